// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Mixing a composition's AudioClips into one interleaved stereo float track of exactly the
// composition's length. Compositions are short (seconds to minutes), so the mix is built in
// memory up front and handed to the encoder frame by frame.

#include "composition.h"
#include "renderer.h"

#include <vector>

namespace render {

// Sample frames in `frames` video frames at `sampleRate`, rounded to nearest.
int64_t samplesForFrames(int64_t frames, FrameRate fps, int sampleRate);

// Decodes, places (startFrame / source in-point), applies gain and linear fades, sums and
// clamps to [-1, 1]. `out` gets samplesForFrames(frameCount) * 2 floats.
bool mixAudio(const Composition &c, std::vector<float> *out, RenderError *error);

}  // namespace render
