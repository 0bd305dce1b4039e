// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// RGB32 -> limited-range BT.709 yuv420p in one pass, for the encoder's input. swscale's generic
// path (it has no unscaled RGB32 -> yuv420p converter) took about a tenth of an export's CPU;
// this does the same arithmetic in one read of the canvas, with 2x2-averaged chroma.

#include <QImage>

#include <cstdint>

namespace render {

// `image` must be Format_RGB32 or Format_ARGB32_Premultiplied (alpha ignored) with even width
// and height; the planes are written with the given strides. Both paths give the same bytes;
// Fastest uses AVX2 where the CPU has it.
enum class YuvPath { Fastest, Portable };  // Portable: plain C++, no SIMD (for tests)
void rgb32ToYuv420p(const QImage &image, uint8_t *y, int yStride, uint8_t *u, int uStride,
                    uint8_t *v, int vStride, YuvPath path = YuvPath::Fastest);

}  // namespace render
