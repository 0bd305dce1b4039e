// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The compositor's hot path: a full-frame picture or clip, scaled (a Ken Burns move, a clip
// cover-fitted to 9:16) and opaque, drawn over the whole canvas on almost every frame of an
// ad. QPainter's smooth drawImage does that through its generic transformed-fetch pipeline
// and hands each one to its own thread pool; this does the same bilinear sampling in two
// separable passes, writing straight into the canvas.
#include <QImage>
#include <QRect>
#include <QRectF>
#include <QSize>

#include <cstdint>

namespace render {

// Replaces the pixels of `target` (whole pixels, inside `dst`) with the part `source` of
// `src` (source pixel coordinates, fractional), bilinearly resampled: the sample for a target
// pixel is taken where its centre maps to, as QPainter's smooth drawImage takes it, with
// coordinates past the picture's edge clamped to it; fractions are kept to 1/64 pixel.
// `src` must be opaque (Format_RGB32) and at least 2×2, `dst` 32-bit and not shared.
// Returns false, drawing nothing, for anything else. The pixels are the same on every path.
enum class ScalePath { Fastest, Portable };  // Portable: plain C++, no SIMD (for tests)
bool scaleBlitOpaque(const QImage &src, const QRectF &source, QImage *dst, const QRect &target,
                     ScalePath path = ScalePath::Fastest);

// scaleBlitOpaque for one 8-bit plane (the Y, U or V plane of a yuv420p frame, drawn without
// going through RGB): the same taps, weights and roundings, so each byte is what
// scaleBlitOpaque gives in each channel of the grey picture R = G = B = that byte. `source`
// is in pixels of `src` (srcSize, rows srcStride bytes apart), `target` in pixels of `dst`.
// Returns false, drawing nothing, when src is smaller than 2×2, `target` is empty or not
// inside dst, `source` has no area, a plane is null or a stride is shorter than its row.
bool scalePlane(const uint8_t *src, int srcStride, QSize srcSize, const QRectF &source,
                uint8_t *dst, int dstStride, QSize dstSize, const QRect &target,
                ScalePath path = ScalePath::Fastest);

}  // namespace render
