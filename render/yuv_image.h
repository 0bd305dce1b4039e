// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A yuv420p picture (limited-range BT.709, what the writer encodes) and the two operations
// the export's YUV path needs besides scaling: a cross-fade of two pictures and a cached
// overlay (the layers over the moving picture: text, boxes, logos) blended in.
//
// Why composite in YUV at all: a frame that is a scaled still or clip with a few static layers
// over it was scaled in RGB (4 bytes a pixel), then converted for the encoder. Scaling the
// planes themselves is 1.5 bytes a pixel, and the conversion is gone; only the overlay's
// pixels are blended. Blending commutes with the (linear) RGB to YUV matrix, so the result
// is the RGB path's up to rounding and to where chroma changes inside a 2x2 block under an
// overlay's edge.

#include "pixel_memory.h"

#include <QImage>
#include <QSize>

#include <cstdint>
#include <vector>

namespace render {

struct YuvImage {
    // Even width and height. Planes 0 (Y, width x height), 1 (U) and 2 (V) (half each way).
    bool allocate(int width, int height);
    bool isNull() const { return m_width == 0; }
    int width() const { return m_width; }
    int height() const { return m_height; }
    QSize planeSize(int plane) const;
    int stride(int plane) const { return plane == 0 ? m_lumaStride : m_chromaStride; }
    uint8_t *plane(int plane) { return m_planes[plane]; }
    const uint8_t *plane(int plane) const { return m_planes[plane]; }
    void copyFrom(const YuvImage &other);  // same size

private:
    int m_width = 0, m_height = 0, m_lumaStride = 0, m_chromaStride = 0;
    PixelBuffer m_memory;  // the three planes, one after the other
    uint8_t *m_planes[3] = {};
    size_t m_planeBytes[3] = {};
};

// `image` (RGB32, even size) converted with rgb32ToYuv420p.
bool toYuv(const QImage &image, YuvImage *out);

// target = target * (1 - opacity) + over * opacity, plane by plane (same sizes); opacity in
// 1/256 steps.
void crossFade(YuvImage *target, const YuvImage &over, double opacity);

// Layers composited once into a premultiplied ARGB picture the size of the canvas, kept as
// premultiplied YUV plus coverage (chroma: the 2x2 averages) for only the row spans they
// cover, so blending touches only those pixels and a cell's overlay costs what it covers
// (a 9:16 headline box and logo: about a tenth of the frame).
class YuvOverlay {
public:
    // `layers`: Format_ARGB32_Premultiplied, even size.
    void build(const QImage &layers);
    void clear();
    bool isEmpty() const { return m_spans[0].empty(); }
    // Over `target` (the size it was built at): out = premultiplied + (1 - coverage) * target.
    void blendOnto(YuvImage *target) const;

private:
    struct Span {
        int row, left, right;  // [left, right) of plane row `row`
        size_t at;             // where its pixels start in the arrays below
    };
    std::vector<Span> m_spans[2];        // luma rows, chroma rows with any coverage
    std::vector<uint8_t> m_luma, m_lumaAlpha;
    std::vector<uint8_t> m_u, m_v, m_chromaAlpha;
    int m_width = 0, m_height = 0;
};

}  // namespace render
