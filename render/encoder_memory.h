// SPDX-License-Identifier: GPL-3.0-or-later
// What makes libx264's output depend only on its input frames (see encoder_memory.cpp).
#pragma once

namespace render {

// Sets glibc up for the encoders; idempotent and thread-safe. VideoWriter calls it before
// opening an encoder. It also links in the zero-filling memalign that libx264 allocates with.
void makeEncodesRepeatable();

// True when memalign() in this process hands out zero-filled memory, as libx264 needs for
// repeatable output. Tests check it; it is false only if the override failed to link in.
bool memalignHandsOutZeroedMemory();

}  // namespace render
