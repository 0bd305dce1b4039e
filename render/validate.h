// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Sanity limits checked before any decoder or encoder is opened, so a nonsense composition
// fails with InvalidInput and a message instead of deep inside libavcodec.

#include "composition.h"
#include "renderer.h"

namespace render {

constexpr int kMaxDimension = 8192;
constexpr int64_t kMaxFrames = int64_t(240) * 60 * 60 * 4;  // four hours at 240 fps

bool validateComposition(const Composition &c, RenderError *error);

}  // namespace render
