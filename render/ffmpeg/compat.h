// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The one place that knows which FFmpeg we build against. Everything in render/ includes the
// libav* headers through this file and calls the helpers below instead of touching APIs that
// changed between releases (channel layouts in 5.1, frame flags and durations in 6.x), so the
// next FFmpeg bump is an edit here, not a hunt through the renderer.

extern "C" {
#include <libavcodec/avcodec.h>
#include <libavformat/avformat.h>
#include <libavutil/avutil.h>
#include <libavutil/channel_layout.h>
#include <libavutil/error.h>
#include <libavutil/imgutils.h>
#include <libavutil/mathematics.h>
#include <libavutil/opt.h>
#include <libavutil/pixdesc.h>
#include <libswresample/swresample.h>
#include <libswscale/swscale.h>
}

// AVChannelLayout (ch_layout) arrived in libavutil 57.28 / FFmpeg 5.1 and the old
// channel_layout/channels fields are gone in 7.0; we only support the new API.
#if LIBAVUTIL_VERSION_INT < AV_VERSION_INT(57, 28, 100)
#error "Campaign Studio needs FFmpeg 5.1 or newer (libavutil >= 57.28)"
#endif

namespace render::ff {

inline int channelCount(const AVCodecParameters *par) { return par->ch_layout.nb_channels; }

// Copies the stereo layout into `dst` (codec context or frame field).
inline void setStereo(AVChannelLayout *dst)
{
    av_channel_layout_uninit(dst);
    const AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
    av_channel_layout_copy(dst, &stereo);
}

// Sets up a resampler from `in` to interleaved float stereo at `outRate`.
inline int swrAllocToStereoFloat(SwrContext **swr, const AVChannelLayout *inLayout,
                                 AVSampleFormat inFormat, int inRate, int outRate)
{
    // 5.1 declares the layouts non-const although it only reads them (fixed in 6.0).
    AVChannelLayout stereo = AV_CHANNEL_LAYOUT_STEREO;
    return swr_alloc_set_opts2(swr, &stereo, AV_SAMPLE_FMT_FLT, outRate,
                               const_cast<AVChannelLayout *>(inLayout), inFormat, inRate, 0,
                               nullptr);
}

// The presentation timestamp of a decoded frame (the guessed one survives broken pts).
inline int64_t framePts(const AVFrame *frame) { return frame->best_effort_timestamp; }

}  // namespace render::ff
