// SPDX-License-Identifier: GPL-3.0-or-later
#include "yuv_image.h"
#include "yuv_convert.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <new>

#if defined(__x86_64__)
#include <emmintrin.h>
#endif

namespace render {

namespace {
// Rows padded to 64 bytes: the SIMD loops of the scaler and the blends read and write whole
// vectors without touching the next row's start in a way that matters.
int paddedStride(int width) { return (width + 63) / 64 * 64; }

// BT.709, full-range RGB in, studio-range YUV out: the weights of rgb32ToYuv420p.
constexpr double kKr = 0.2126, kKb = 0.0722, kKg = 1.0 - kKr - kKb;
constexpr double kYScale = 219.0 / 255.0, kCScale = 224.0 / 255.0;

// `a` = coverage 0..1, rgb premultiplied 0..255: the colour's share of the blended pixel.
double premultipliedY(double a, double r, double g, double b)
{
    return 16.0 * a + kYScale * (kKr * r + kKg * g + kKb * b);
}
double premultipliedU(double a, double r, double g, double b)
{
    return 128.0 * a + kCScale * (-kKr * r - kKg * g + (1.0 - kKb) * b) / (2.0 * (1.0 - kKb));
}
double premultipliedV(double a, double r, double g, double b)
{
    return 128.0 * a + kCScale * ((1.0 - kKr) * r - kKg * g - kKb * b) / (2.0 * (1.0 - kKr));
}

uint8_t toByte(double v) { return uint8_t(std::clamp(std::lround(v), 0L, 255L)); }

// out = p + (255 - a) * t / 255 over `n` pixels, rounded.
void blendRow(uint8_t *t, const uint8_t *p, const uint8_t *a, int n)
{
    int x = 0;
#if defined(__x86_64__)
    const __m128i zero = _mm_setzero_si128();
    const __m128i full = _mm_set1_epi16(255);
    const __m128i half = _mm_set1_epi16(128);
    for (; x + 8 <= n; x += 8) {
        const __m128i vt = _mm_unpacklo_epi8(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(t + x)), zero);
        const __m128i vp = _mm_unpacklo_epi8(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(p + x)), zero);
        const __m128i va = _mm_unpacklo_epi8(_mm_loadl_epi64(reinterpret_cast<const __m128i *>(a + x)), zero);
        __m128i m = _mm_add_epi16(_mm_mullo_epi16(_mm_sub_epi16(full, va), vt), half);
        m = _mm_srli_epi16(_mm_add_epi16(m, _mm_srli_epi16(m, 8)), 8);
        _mm_storel_epi64(reinterpret_cast<__m128i *>(t + x), _mm_packus_epi16(_mm_add_epi16(vp, m), zero));
    }
#endif
    for (; x < n; ++x) {
        int m = (255 - a[x]) * t[x] + 128;
        m = (m + (m >> 8)) >> 8;
        t[x] = uint8_t(std::min(255, p[x] + m));
    }
}

// out = (a * (256 - w) + b * w + 128) >> 8 over `n` bytes.
void fadeRow(uint8_t *a, const uint8_t *b, int w, int n)
{
    int x = 0;
#if defined(__x86_64__)
    const __m128i zero = _mm_setzero_si128();
    const __m128i wb = _mm_set1_epi16(int16_t(w));
    const __m128i wa = _mm_set1_epi16(int16_t(256 - w));
    const __m128i half = _mm_set1_epi16(128);
    for (; x + 16 <= n; x += 16) {
        const __m128i va = _mm_loadu_si128(reinterpret_cast<const __m128i *>(a + x));
        const __m128i vb = _mm_loadu_si128(reinterpret_cast<const __m128i *>(b + x));
        const __m128i lo = _mm_srli_epi16(
            _mm_add_epi16(_mm_add_epi16(_mm_mullo_epi16(_mm_unpacklo_epi8(va, zero), wa),
                                        _mm_mullo_epi16(_mm_unpacklo_epi8(vb, zero), wb)),
                          half),
            8);
        const __m128i hi = _mm_srli_epi16(
            _mm_add_epi16(_mm_add_epi16(_mm_mullo_epi16(_mm_unpackhi_epi8(va, zero), wa),
                                        _mm_mullo_epi16(_mm_unpackhi_epi8(vb, zero), wb)),
                          half),
            8);
        _mm_storeu_si128(reinterpret_cast<__m128i *>(a + x), _mm_packus_epi16(lo, hi));
    }
#endif
    for (; x < n; ++x)
        a[x] = uint8_t((a[x] * (256 - w) + b[x] * w + 128) >> 8);
}
}  // namespace

bool YuvImage::allocate(int width, int height)
{
    if (width <= 0 || height <= 0 || width % 2 || height % 2)
        return false;
    if (width == m_width && height == m_height)
        return true;
    m_width = m_height = 0;
    const int lumaStride = paddedStride(width), chromaStride = paddedStride(width / 2);
    const size_t luma = size_t(lumaStride) * size_t(height);
    const size_t chroma = size_t(chromaStride) * size_t(height / 2);
    m_memory = PixelBuffer();  // the old frame goes first: the two never coexist
    m_memory = PixelBuffer(luma + 2 * chroma);
    if (m_memory.isNull())  // reported by the caller, like a null QImage
        return false;
    m_planes[0] = m_memory.data();
    m_planes[1] = m_planes[0] + luma;
    m_planes[2] = m_planes[1] + chroma;
    m_planeBytes[0] = luma;
    m_planeBytes[1] = m_planeBytes[2] = chroma;
    std::memset(m_planes[0], 16, luma);
    std::memset(m_planes[1], 128, 2 * chroma);
    m_width = width;
    m_height = height;
    m_lumaStride = lumaStride;
    m_chromaStride = chromaStride;
    return true;
}

QSize YuvImage::planeSize(int plane) const
{
    return plane == 0 ? QSize(m_width, m_height) : QSize(m_width / 2, m_height / 2);
}

void YuvImage::copyFrom(const YuvImage &other)
{
    for (int p = 0; p < 3; ++p)
        std::memcpy(m_planes[p], other.m_planes[p], m_planeBytes[p]);
}

bool toYuv(const QImage &image, YuvImage *out)
{
    if (image.format() != QImage::Format_RGB32 || !out->allocate(image.width(), image.height()))
        return false;
    rgb32ToYuv420p(image, out->plane(0), out->stride(0), out->plane(1), out->stride(1),
                   out->plane(2), out->stride(2));
    return true;
}

void crossFade(YuvImage *target, const YuvImage &over, double opacity)
{
    const int w = int(std::lround(std::clamp(opacity, 0.0, 1.0) * 256));
    for (int p = 0; p < 3; ++p) {
        const QSize size = target->planeSize(p);
        for (int y = 0; y < size.height(); ++y)
            fadeRow(target->plane(p) + ptrdiff_t(y) * target->stride(p),
                    over.plane(p) + ptrdiff_t(y) * over.stride(p), w, size.width());
    }
}

void YuvOverlay::clear()
{
    for (auto &spans : m_spans)
        spans.clear();
    for (auto *bytes : {&m_luma, &m_lumaAlpha, &m_u, &m_v, &m_chromaAlpha})
        bytes->clear();
}

void YuvOverlay::build(const QImage &layers)
{
    clear();
    const int width = layers.width(), height = layers.height();
    if (layers.format() != QImage::Format_ARGB32_Premultiplied || width % 2 || height % 2)
        return;
    m_width = width;
    m_height = height;
    const auto pixel = [&](int x, int y) {
        return reinterpret_cast<const QRgb *>(layers.constScanLine(y))[x];
    };
    // Luma: every covered pixel, with the covered span of each row.
    std::vector<std::pair<int, int>> rowSpan(size_t(height), {width, 0});
    for (int y = 0; y < height; ++y) {
        const auto *line = reinterpret_cast<const QRgb *>(layers.constScanLine(y));
        int left = width, right = 0;
        for (int x = 0; x < width; ++x) {
            if (qAlpha(line[x]) == 0)
                continue;
            left = std::min(left, x);
            right = x + 1;
        }
        if (right <= left)
            continue;
        rowSpan[size_t(y)] = {left, right};
        m_spans[0].push_back({y, left, right, m_luma.size()});
        for (int x = left; x < right; ++x) {
            const QRgb p = line[x];
            m_luma.push_back(toByte(premultipliedY(qAlpha(p) / 255.0, qRed(p), qGreen(p), qBlue(p))));
            m_lumaAlpha.push_back(uint8_t(qAlpha(p)));
        }
    }
    // Chroma: the average of each 2x2 block, over the blocks the two luma rows' spans touch.
    for (int cy = 0; cy < height / 2; ++cy) {
        const auto [l0, r0] = rowSpan[size_t(2 * cy)];
        const auto [l1, r1] = rowSpan[size_t(2 * cy + 1)];
        const int left = std::min(l0, l1) / 2, right = (std::max(r0, r1) + 1) / 2;
        if (right <= left)
            continue;
        m_spans[1].push_back({cy, left, right, m_u.size()});
        for (int cx = left; cx < right; ++cx) {
            double a = 0, r = 0, g = 0, b = 0;
            for (int k = 0; k < 4; ++k) {
                const QRgb p = pixel(2 * cx + (k & 1), 2 * cy + (k >> 1));
                a += qAlpha(p) / 255.0;
                r += qRed(p);
                g += qGreen(p);
                b += qBlue(p);
            }
            a /= 4;
            r /= 4;
            g /= 4;
            b /= 4;
            m_u.push_back(toByte(premultipliedU(a, r, g, b)));
            m_v.push_back(toByte(premultipliedV(a, r, g, b)));
            m_chromaAlpha.push_back(toByte(a * 255.0));
        }
    }
}

void YuvOverlay::blendOnto(YuvImage *target) const
{
    if (target->width() != m_width || target->height() != m_height || isEmpty())
        return;
    for (const Span &s : m_spans[0])
        blendRow(target->plane(0) + ptrdiff_t(s.row) * target->stride(0) + s.left,
                 m_luma.data() + s.at, m_lumaAlpha.data() + s.at, s.right - s.left);
    for (const Span &s : m_spans[1]) {
        for (int p = 1; p < 3; ++p)
            blendRow(target->plane(p) + ptrdiff_t(s.row) * target->stride(p) + s.left,
                     (p == 1 ? m_u : m_v).data() + s.at, m_chromaAlpha.data() + s.at,
                     s.right - s.left);
    }
}

}  // namespace render
