// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Whole-clip audio decoding to interleaved stereo float: libavcodec decodes, swresample
// converts layout, format and rate in one step.

#include "renderer.h"

#include <vector>

namespace render {

// Decodes `path` starting at source time startNum/startDen seconds, at most `maxFrames`
// sample frames (one frame = left + right). `*truncated` tells whether the stream went on
// beyond that. A stream that starts later than the requested time is padded with silence.
bool decodeAudioFile(const QString &path, int sampleRate, int64_t startNum, int64_t startDen,
                     int64_t maxFrames, std::vector<float> *out, bool *truncated,
                     RenderError *error);

}  // namespace render
