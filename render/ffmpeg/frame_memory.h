// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Video decoders' frame buffers from recycled huge-page memory.
//
// libavcodec's own pools zero every buffer they allocate and free them with the decoder, so
// each decoder an export opens (one per encode chunk, the preflight's, each group's) touches
// a fresh set of frames: about 9 frames of 3 MB for a 1080p H.264 clip, 7,000 small pages,
// which these VMs take about 10 µs each to fault in (pixel_memory.h). Here a frame is one
// PixelBuffer for all its planes, laid out as libavcodec lays them out, and a buffer whose
// frame is released goes back to a process-wide store, from which the next decoder of frames
// that size takes it, already resident (and zeroed, as a new buffer from libavcodec is). The
// store keeps at most kIdleFrameBytes of idle buffers.

extern "C" {
#include <libavcodec/avcodec.h>
}

#include <cstdint>

namespace render::ff {

// Sets `codec`'s get_buffer2 (before avcodec_open2) when it is a video decoder that lets the
// caller allocate its frames; others keep libavcodec's allocator. Uses codec->opaque (a number
// per decoder).
void useRecycledFrames(AVCodecContext *codec);

// Idle buffers kept for the next decoder; a released buffer beyond that is freed.
inline constexpr int64_t kIdleFrameBytes = int64_t(32) << 20;

// For tests: buffers made and buffers taken again from the store since the process started.
struct FrameMemoryCounters {
    int64_t allocated = 0;
    int64_t reused = 0;
    int64_t idleBytes = 0;
};
FrameMemoryCounters frameMemoryCounters();

}  // namespace render::ff
