// SPDX-License-Identifier: GPL-3.0-or-later
#include "yuv_convert.h"

#include <immintrin.h>

namespace render {

namespace {
// BT.709 luma weights; full-range RGB in, studio range (Y 16..235, C 16..240) out, the tags
// the writer puts on the stream. 15 fractional bits, so every weight fits the signed 16-bit
// multiply-add (pmaddwd) of the AVX2 path; the products and sums are exact integers on both
// paths, which is what makes their bytes the same.
constexpr double kKr = 0.2126;
constexpr double kKb = 0.0722;
constexpr double kKg = 1.0 - kKr - kKb;
constexpr double kYScale = 219.0 / 255.0;
constexpr double kCScale = 224.0 / 255.0;
constexpr int kShift = 15;

constexpr int fixed(double v) { return int(v * (1 << kShift) + (v < 0 ? -0.5 : 0.5)); }

constexpr int kYR = fixed(kYScale * kKr);
constexpr int kYG = fixed(kYScale * kKg);
constexpr int kYB = fixed(kYScale * kKb);
constexpr int kUR = fixed(kCScale * -kKr / (2.0 * (1.0 - kKb)));
constexpr int kUG = fixed(kCScale * -kKg / (2.0 * (1.0 - kKb)));
constexpr int kUB = fixed(kCScale * 0.5);
constexpr int kVR = fixed(kCScale * 0.5);
constexpr int kVG = fixed(kCScale * -kKg / (2.0 * (1.0 - kKr)));
constexpr int kVB = fixed(kCScale * -kKb / (2.0 * (1.0 - kKr)));
static_assert(kYG < 32768 && kUB < 32768 && kVR < 32768, "weights must fit int16");

constexpr int kLumaOffset = (16 << kShift) + (1 << (kShift - 1));
// Chroma is taken from the sums of 2x2 blocks (0..1020): two more bits, one rounding.
constexpr int kChromaShift = kShift + 2;
constexpr int kChromaOffset = (128 << kChromaShift) + (1 << (kChromaShift - 1));

inline uint8_t luma(uint32_t p)
{
    const int r = int((p >> 16) & 0xff), g = int((p >> 8) & 0xff), b = int(p & 0xff);
    return uint8_t((kYR * r + kYG * g + kYB * b + kLumaOffset) >> kShift);
}

void lumaRow(const uint32_t *src, uint8_t *dst, int from, int width)
{
    for (int x = from; x < width; ++x)
        dst[x] = luma(src[x]);
}

void chromaRow(const uint32_t *top, const uint32_t *bottom, uint8_t *u, uint8_t *v, int from,
               int count)
{
    for (int cx = from; cx < count; ++cx) {
        const uint32_t a = top[2 * cx], b = top[2 * cx + 1];
        const uint32_t c = bottom[2 * cx], d = bottom[2 * cx + 1];
        const int r = int(((a >> 16) & 0xff) + ((b >> 16) & 0xff) + ((c >> 16) & 0xff)
                          + ((d >> 16) & 0xff));
        const int g = int(((a >> 8) & 0xff) + ((b >> 8) & 0xff) + ((c >> 8) & 0xff)
                          + ((d >> 8) & 0xff));
        const int bl = int((a & 0xff) + (b & 0xff) + (c & 0xff) + (d & 0xff));
        u[cx] = uint8_t((kUR * r + kUG * g + kUB * bl + kChromaOffset) >> kChromaShift);
        v[cx] = uint8_t((kVR * r + kVG * g + kVB * bl + kChromaOffset) >> kChromaShift);
    }
}

// The weights of one pixel's B, G, R, A as 16-bit lanes (QImage's RGB32 is B G R A in memory).
__attribute__((target("avx2"))) inline __m256i pixelWeights(int b, int g, int r)
{
    return _mm256_set1_epi64x(int64_t(uint16_t(b)) | int64_t(uint16_t(g)) << 16
                              | int64_t(uint16_t(r)) << 32);
}

// 32 pixels a step: each 8-pixel load is widened to 16 bits, pmaddwd multiplies and adds B,G
// and R,A pairs, hadd finishes each pixel's sum; the packs and one permute undo the lane order.
// Returns the number of pixels done (a multiple of 32).
__attribute__((target("avx2"))) int lumaRowAvx2(const uint32_t *src, uint8_t *dst, int width)
{
    const __m256i weights = pixelWeights(kYB, kYG, kYR);
    const __m256i offset = _mm256_set1_epi32(kLumaOffset);
    const __m256i zero = _mm256_setzero_si256();
    const __m256i order = _mm256_setr_epi32(0, 4, 1, 5, 2, 6, 3, 7);
    int x = 0;
    for (; x + 32 <= width; x += 32) {
        __m256i sums[4];
        for (int k = 0; k < 4; ++k) {
            const __m256i px = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(src + x + 8 * k));
            const __m256i lo = _mm256_madd_epi16(_mm256_unpacklo_epi8(px, zero), weights);
            const __m256i hi = _mm256_madd_epi16(_mm256_unpackhi_epi8(px, zero), weights);
            // lane 0: pixels 0..3 of these eight, lane 1: pixels 4..7
            sums[k] = _mm256_srai_epi32(_mm256_add_epi32(_mm256_hadd_epi32(lo, hi), offset), kShift);
        }
        const __m256i words01 = _mm256_packus_epi32(sums[0], sums[1]);
        const __m256i words23 = _mm256_packus_epi32(sums[2], sums[3]);
        // Four-pixel dwords now run 0a 1a 2a 3a | 0b 1b 2b 3b (a: pixels 0..3 of load k, b: 4..7).
        const __m256i bytes = _mm256_packus_epi16(words01, words23);
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(dst + x),
                            _mm256_permutevar8x32_epi32(bytes, order));
    }
    return x;
}

// Finishes 16 chroma samples from the per-pixel sums of four 8-pixel loads (chromaRowAvx2).
__attribute__((target("avx2"))) inline void storeChromaAvx2(const __m256i *pixel, __m256i offset,
                                                            uint8_t *out)
{
    // Blocks: lane 0 holds blocks 0,1 of load k then 0,1 of load k+1; lane 1 blocks 2,3.
    const __m256i a = _mm256_srai_epi32(
        _mm256_add_epi32(_mm256_hadd_epi32(pixel[0], pixel[1]), offset), kChromaShift);
    const __m256i b = _mm256_srai_epi32(
        _mm256_add_epi32(_mm256_hadd_epi32(pixel[2], pixel[3]), offset), kChromaShift);
    const __m256i bytes = _mm256_packus_epi16(_mm256_packus_epi32(a, b), _mm256_setzero_si256());
    // Byte pairs: lane 0 holds samples 0 1, 4 5, 8 9, 12 13; lane 1 2 3, 6 7, 10 11, 14 15.
    const __m128i ordered = _mm_unpacklo_epi16(_mm256_castsi256_si128(bytes),
                                               _mm256_extracti128_si256(bytes, 1));
    _mm_storeu_si128(reinterpret_cast<__m128i *>(out), ordered);
}

// 16 chroma samples (32 pixels of two rows) a step: the rows are added as 16-bit lanes, then
// pmaddwd and two hadds sum each 2x2 block's weighted B, G, R; the linear sum is the same
// integer the plain path gets from the block's channel sums. Returns the samples done.
__attribute__((target("avx2"))) int chromaRowAvx2(const uint32_t *top, const uint32_t *bottom,
                                                  uint8_t *u, uint8_t *v, int count)
{
    const __m256i uWeights = pixelWeights(kUB, kUG, kUR);
    const __m256i vWeights = pixelWeights(kVB, kVG, kVR);
    const __m256i offset = _mm256_set1_epi32(kChromaOffset);
    const __m256i zero = _mm256_setzero_si256();
    int cx = 0;
    for (; cx + 16 <= count; cx += 16) {
        __m256i uPixel[4], vPixel[4];  // per pixel of the column pair: lane 0 pixels 0..3, lane 1 4..7
        for (int k = 0; k < 4; ++k) {
            const int x = 2 * cx + 8 * k;
            const __m256i t = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(top + x));
            const __m256i b = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(bottom + x));
            const __m256i lo = _mm256_add_epi16(_mm256_unpacklo_epi8(t, zero),
                                                _mm256_unpacklo_epi8(b, zero));
            const __m256i hi = _mm256_add_epi16(_mm256_unpackhi_epi8(t, zero),
                                                _mm256_unpackhi_epi8(b, zero));
            uPixel[k] = _mm256_hadd_epi32(_mm256_madd_epi16(lo, uWeights),
                                          _mm256_madd_epi16(hi, uWeights));
            vPixel[k] = _mm256_hadd_epi32(_mm256_madd_epi16(lo, vWeights),
                                          _mm256_madd_epi16(hi, vWeights));
        }
        storeChromaAvx2(uPixel, offset, u + cx);
        storeChromaAvx2(vPixel, offset, v + cx);
    }
    return cx;
}

bool hasAvx2()
{
    static const bool yes = __builtin_cpu_supports("avx2");
    return yes;
}
}  // namespace

void rgb32ToYuv420p(const QImage &image, uint8_t *y, int yStride, uint8_t *u, int uStride,
                    uint8_t *v, int vStride, YuvPath path)
{
    const int width = image.width();
    const int height = image.height();
    const bool simd = path == YuvPath::Fastest && hasAvx2();
    for (int row = 0; row + 1 < height; row += 2) {
        const auto *top = reinterpret_cast<const uint32_t *>(image.constScanLine(row));
        const auto *bottom = reinterpret_cast<const uint32_t *>(image.constScanLine(row + 1));
        uint8_t *yTop = y + ptrdiff_t(row) * yStride;
        uint8_t *yBottom = yTop + yStride;
        uint8_t *uRow = u + ptrdiff_t(row / 2) * uStride;
        uint8_t *vRow = v + ptrdiff_t(row / 2) * vStride;
        lumaRow(top, yTop, simd ? lumaRowAvx2(top, yTop, width) : 0, width);
        lumaRow(bottom, yBottom, simd ? lumaRowAvx2(bottom, yBottom, width) : 0, width);
        chromaRow(top, bottom, uRow, vRow, simd ? chromaRowAvx2(top, bottom, uRow, vRow, width / 2) : 0,
                  width / 2);
    }
}

}  // namespace render
