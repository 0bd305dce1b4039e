// SPDX-License-Identifier: GPL-3.0-or-later
// Separable bilinear scaling: each source row that is needed is first resampled horizontally
// to the target width (kept in a two-row cache: a clip scaled up 1.78× for 9:16 reuses each
// resampled row for about two target rows), then each target row is the vertical blend of
// two of them. Integer weights in 1/64 steps, the same arithmetic in the SIMD and the plain
// paths, so the pixels do not depend on the CPU. RGB32 pictures and single 8-bit planes share
// the taps, the cache and the vertical pass; only the horizontal pass knows the pixel size.
#include "scale_blit.h"

#include <algorithm>
#include <array>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <vector>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define CAMPAIGN_X86 1
#endif

namespace render {

namespace {
constexpr int kFractionBits = 6;
constexpr int kOne = 1 << kFractionBits;  // weights of a pair add up to this
constexpr int kHalf = kOne / 2;

// Where `n` target pixels covering `length` source pixels from `start` sample a source of
// `size` (>= 2) pixels: the left/upper pixel of each pair and the weight of the other one.
// The pair is kept inside the source (index <= size - 2, weight kOne at the far edge), so
// every read stays within a row or the picture.
void taps(double start, double length, int n, int size, int32_t *index, uint8_t *weight)
{
    const double step = length / n;
    for (int i = 0; i < n; ++i) {
        const double s = std::clamp(start + (i + 0.5) * step - 0.5, 0.0, double(size - 1));
        int i0 = int(s);
        int f = int(std::lround((s - i0) * kOne));
        if (f == kOne) {
            ++i0;
            f = 0;
        }
        if (i0 >= size - 1) {
            i0 = size - 2;
            f = kOne;
        }
        index[i] = i0;
        weight[i] = uint8_t(f);
    }
}

// For horizontalAvx2: each group of four target pixels whose pairs all lie within the eight
// source pixels from the group's first one, and inside the row (`width` pixels), is marked
// in `gathered`, and `spread` gets each pixel's left and right offsets from that first one.
void spreadTaps(const int32_t *index, int n, int width, int32_t *spread, uint8_t *gathered)
{
    for (int g = 0; g + 4 <= n; g += 4) {
        const int32_t base = index[g];
        gathered[g / 4] = uint8_t(index[g + 3] + 1 - base <= 7 && base + 8 <= width);
        for (int k = 0; k < 4; ++k) {
            const int32_t offset = gathered[g / 4] ? index[g + k] - base : 0;
            spread[2 * (g + k)] = offset;
            spread[2 * (g + k) + 1] = offset + 1;
        }
    }
}

// For planeHorizontalAvx2: each group of eight target pixels whose pairs all lie within 16
// bytes of the plane's row (`width` bytes) gets the first of those bytes in `groupBase` and,
// in `groupMask`, the byte shuffle that puts its eight pairs side by side; the others (scales
// below 1/2, rows under 16 bytes) get -1. At the row's right end the 16 bytes are moved left
// to stay inside it, so the clamped last pixels need no slow path.
void groupTaps(const int32_t *index, int n, int width, int32_t *groupBase, uint8_t *groupMask)
{
    for (int g = 0; 8 * g + 8 <= n; ++g) {
        const int32_t *group = index + 8 * g;  // nondecreasing, as the sample positions are
        const int32_t base = std::min(group[0], width - 16);
        const bool fits = base >= 0 && group[7] + 1 - base <= 15;
        groupBase[g] = fits ? base : -1;
        for (int k = 0; k < 8; ++k) {
            groupMask[16 * g + 2 * k] = uint8_t(fits ? group[k] - base : 0);
            groupMask[16 * g + 2 * k + 1] = uint8_t(fits ? group[k] + 1 - base : 0);
        }
    }
}

void horizontalPlain(const uint8_t *row, const int32_t *index, const uint8_t *weight, int n,
                     uint8_t *out)
{
    for (int x = 0; x < n; ++x) {
        const uint8_t *p = row + 4 * index[x];
        const int w1 = weight[x], w0 = kOne - w1;
        for (int c = 0; c < 4; ++c)
            out[4 * x + c] = uint8_t((p[c] * w0 + p[4 + c] * w1 + kHalf) >> kFractionBits);
    }
}

void planeHorizontalPlain(const uint8_t *row, const int32_t *index, const uint8_t *weight, int n,
                          uint8_t *out)
{
    for (int x = 0; x < n; ++x) {
        const uint8_t *p = row + index[x];
        const int w1 = weight[x], w0 = kOne - w1;
        out[x] = uint8_t((p[0] * w0 + p[1] * w1 + kHalf) >> kFractionBits);
    }
}

void verticalPlain(const uint8_t *a, const uint8_t *b, int w1, int bytes, uint8_t *out)
{
    const int w0 = kOne - w1;
    for (int i = 0; i < bytes; ++i)
        out[i] = uint8_t((a[i] * w0 + b[i] * w1 + kHalf) >> kFractionBits);
}

#ifdef CAMPAIGN_X86
// Two target pixels per step: both source pairs loaded side by side, interleaved channel by
// channel, and weighted with one multiply-add of unsigned pixels by signed weights.
__attribute__((target("ssse3"))) void horizontalSsse3(const uint8_t *row, const int32_t *index,
                                                      const uint8_t *weights8, int n, uint8_t *out)
{
    const __m128i interleave = _mm_setr_epi8(0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14, 11, 15);
    const __m128i half = _mm_set1_epi16(kHalf);
    int x = 0;
    for (; x + 2 <= n; x += 2) {
        const __m128i a = _mm_loadl_epi64(reinterpret_cast<const __m128i *>(row + 4 * index[x]));
        const __m128i b = _mm_loadl_epi64(reinterpret_cast<const __m128i *>(row + 4 * index[x + 1]));
        const __m128i pairs = _mm_shuffle_epi8(_mm_unpacklo_epi64(a, b), interleave);
        const __m128i w = _mm_loadu_si128(reinterpret_cast<const __m128i *>(weights8 + 8 * x));
        __m128i v = _mm_maddubs_epi16(pairs, w);
        v = _mm_srli_epi16(_mm_add_epi16(v, half), kFractionBits);
        _mm_storel_epi64(reinterpret_cast<__m128i *>(out + 4 * x), _mm_packus_epi16(v, v));
    }
    for (; x < n; ++x) {
        const uint8_t *p = row + 4 * index[x];
        const int w0 = weights8[8 * x], w1 = weights8[8 * x + 1];
        for (int c = 0; c < 4; ++c)
            out[4 * x + c] = uint8_t((p[c] * w0 + p[4 + c] * w1 + kHalf) >> kFractionBits);
    }
}

// Four target pixels per step, the same arithmetic on both 128-bit lanes. Where the four
// pairs lie within eight source pixels (any scale down to 1/2, so every Ken Burns frame and
// clip here) one load and one cross-lane permute gather them (`spread`, made by
// spreadTaps); elsewhere each pair is loaded on its own.
__attribute__((target("avx2"))) void horizontalAvx2(const uint8_t *row, const int32_t *index,
                                                    const uint8_t *weights8, const int32_t *spread,
                                                    const uint8_t *gathered, int n, uint8_t *out)
{
    const __m256i interleave = _mm256_setr_epi8(0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14, 11,
                                                15, 0, 4, 1, 5, 2, 6, 3, 7, 8, 12, 9, 13, 10, 14,
                                                11, 15);
    const __m256i half = _mm256_set1_epi16(kHalf);
    const auto pair = [row](int32_t i) {
        return _mm_loadl_epi64(reinterpret_cast<const __m128i *>(row + 4 * i));
    };
    int x = 0;
    for (; x + 4 <= n; x += 4) {
        __m256i v;
        if (gathered[x / 4]) {
            // Pixels index[x] .. index[x] + 7, permuted to the pairs' order below.
            v = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(row + 4 * index[x]));
            v = _mm256_permutevar8x32_epi32(
                v, _mm256_loadu_si256(reinterpret_cast<const __m256i *>(spread + 2 * x)));
        } else {
            const __m128i ab = _mm_unpacklo_epi64(pair(index[x]), pair(index[x + 1]));
            const __m128i cd = _mm_unpacklo_epi64(pair(index[x + 2]), pair(index[x + 3]));
            v = _mm256_inserti128_si256(_mm256_castsi128_si256(ab), cd, 1);
        }
        // Each lane: two pairs (left, right pixel) side by side, channels then interleaved.
        v = _mm256_shuffle_epi8(v, interleave);
        v = _mm256_maddubs_epi16(
            v, _mm256_loadu_si256(reinterpret_cast<const __m256i *>(weights8 + 8 * x)));
        v = _mm256_srli_epi16(_mm256_add_epi16(v, half), kFractionBits);
        // Packing works per lane: pixels 0-1 land in quadword 0, pixels 2-3 in quadword 2.
        const __m256i packed = _mm256_permute4x64_epi64(_mm256_packus_epi16(v, v), 0x08);
        _mm_storeu_si128(reinterpret_cast<__m128i *>(out + 4 * x), _mm256_castsi256_si128(packed));
    }
    for (; x < n; ++x) {
        const uint8_t *p = row + 4 * index[x];
        const int w0 = weights8[8 * x], w1 = weights8[8 * x + 1];
        for (int c = 0; c < 4; ++c)
            out[4 * x + c] = uint8_t((p[c] * w0 + p[4 + c] * w1 + kHalf) >> kFractionBits);
    }
}

// Sixteen target pixels per step, eight per 128-bit lane: each lane loads its group's 16
// bytes (groupBase), shuffles them into the eight (left, right) pairs (groupMask) and weights
// them with one multiply-add of unsigned bytes by the signed (w0, w1) of `weights2`, the
// arithmetic of planeHorizontalPlain exactly. Groups groupTaps could not place go pixel by
// pixel.
__attribute__((target("avx2"))) void planeHorizontalAvx2(const uint8_t *row, const int32_t *index,
                                                         const uint8_t *weight,
                                                         const uint8_t *weights2,
                                                         const int32_t *groupBase,
                                                         const uint8_t *groupMask, int n,
                                                         uint8_t *out)
{
    const __m256i half = _mm256_set1_epi16(kHalf);
    const auto at = [](const uint8_t *p) { return reinterpret_cast<const __m128i *>(p); };
    int x = 0;
    while (x + 8 <= n) {
        // The common case, kept tight: sixteen pixels whose two groups both fit.
        for (; x + 16 <= n && (groupBase[x / 8] | groupBase[x / 8 + 1]) >= 0; x += 16) {
            const int g = x / 8;
            __m256i v = _mm256_inserti128_si256(
                _mm256_castsi128_si256(_mm_loadu_si128(at(row + groupBase[g]))),
                _mm_loadu_si128(at(row + groupBase[g + 1])), 1);
            v = _mm256_shuffle_epi8(
                v, _mm256_loadu_si256(reinterpret_cast<const __m256i *>(groupMask + 16 * g)));
            v = _mm256_maddubs_epi16(
                v, _mm256_loadu_si256(reinterpret_cast<const __m256i *>(weights2 + 2 * x)));
            v = _mm256_srli_epi16(_mm256_add_epi16(v, half), kFractionBits);
            // Lane 0 holds pixels 0-7 as 16-bit values, lane 1 pixels 8-15: packed in order.
            _mm_storeu_si128(reinterpret_cast<__m128i *>(out + x),
                             _mm_packus_epi16(_mm256_castsi256_si128(v),
                                              _mm256_extracti128_si256(v, 1)));
        }
        if (x + 8 > n)
            break;
        const int g = x / 8;
        if (groupBase[g] < 0) {
            planeHorizontalPlain(row, index + x, weight + x, 8, out + x);
        } else {
            // A group whose neighbour does not fit, or the last one: the same on one lane.
            __m128i v = _mm_shuffle_epi8(_mm_loadu_si128(at(row + groupBase[g])),
                                         _mm_loadu_si128(at(groupMask + 16 * g)));
            v = _mm_maddubs_epi16(v, _mm_loadu_si128(at(weights2 + 2 * x)));
            v = _mm_srli_epi16(_mm_add_epi16(v, _mm256_castsi256_si128(half)), kFractionBits);
            _mm_storel_epi64(reinterpret_cast<__m128i *>(out + x), _mm_packus_epi16(v, v));
        }
        x += 8;
    }
    planeHorizontalPlain(row, index + x, weight + x, n - x, out + x);
}

// 32 bytes per step: the two rows' bytes interleaved and weighted with one multiply-add,
// the arithmetic of verticalPlain exactly (weights up to 64 fit the signed bytes).
__attribute__((target("avx2"))) void verticalAvx2(const uint8_t *a, const uint8_t *b, int w1,
                                                  int bytes, uint8_t *out)
{
    const __m256i weights = _mm256_set1_epi16(int16_t((w1 << 8) | (kOne - w1)));
    const __m256i half = _mm256_set1_epi16(kHalf);
    int i = 0;
    for (; i + 32 <= bytes; i += 32) {
        const __m256i va = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(a + i));
        const __m256i vb = _mm256_loadu_si256(reinterpret_cast<const __m256i *>(b + i));
        // Unpacking and packing both work per 128-bit lane, so the bytes keep their order.
        // (No lambda here: it would not inherit the function's AVX2 target.)
        __m256i lo = _mm256_maddubs_epi16(_mm256_unpacklo_epi8(va, vb), weights);
        __m256i hi = _mm256_maddubs_epi16(_mm256_unpackhi_epi8(va, vb), weights);
        lo = _mm256_srli_epi16(_mm256_add_epi16(lo, half), kFractionBits);
        hi = _mm256_srli_epi16(_mm256_add_epi16(hi, half), kFractionBits);
        _mm256_storeu_si256(reinterpret_cast<__m256i *>(out + i), _mm256_packus_epi16(lo, hi));
    }
    verticalPlain(a + i, b + i, w1, bytes - i, out + i);
}

// SSE2 is part of x86-64 itself: no dispatch needed.
void verticalSse2(const uint8_t *a, const uint8_t *b, int w1, int bytes, uint8_t *out)
{
    const __m128i zero = _mm_setzero_si128();
    const __m128i k0 = _mm_set1_epi16(int16_t(kOne - w1));
    const __m128i k1 = _mm_set1_epi16(int16_t(w1));
    const __m128i half = _mm_set1_epi16(kHalf);
    int i = 0;
    for (; i + 16 <= bytes; i += 16) {
        const __m128i va = _mm_loadu_si128(reinterpret_cast<const __m128i *>(a + i));
        const __m128i vb = _mm_loadu_si128(reinterpret_cast<const __m128i *>(b + i));
        const auto blend = [&](__m128i pa, __m128i pb) {
            const __m128i sum = _mm_add_epi16(_mm_add_epi16(_mm_mullo_epi16(pa, k0),
                                                            _mm_mullo_epi16(pb, k1)), half);
            return _mm_srli_epi16(sum, kFractionBits);
        };
        const __m128i lo = blend(_mm_unpacklo_epi8(va, zero), _mm_unpacklo_epi8(vb, zero));
        const __m128i hi = blend(_mm_unpackhi_epi8(va, zero), _mm_unpackhi_epi8(vb, zero));
        _mm_storeu_si128(reinterpret_cast<__m128i *>(out + i), _mm_packus_epi16(lo, hi));
    }
    verticalPlain(a + i, b + i, w1, bytes - i, out + i);
}

bool hasSsse3()
{
    static const bool yes = __builtin_cpu_supports("ssse3");
    return yes;
}

bool hasAvx2()
{
    static const bool yes = __builtin_cpu_supports("avx2");
    return yes;
}
#endif

// Per thread, reused from frame to frame and shared by both scalers: the hot loop allocates
// nothing once warm.
struct Scratch {
    std::vector<int32_t> columnIndex;
    std::vector<uint8_t> columnWeight;
    std::vector<uint8_t> weights8;  // (w0, w1) four times per target pixel, for the SIMD pass
    std::vector<int32_t> spread;     // per target pixel: its pair's offsets in its group's load
    std::vector<uint8_t> gathered;   // per group of 4 target pixels: one load covers its pairs
    std::vector<uint8_t> weights2;   // planes: (w0, w1) per target pixel, for the AVX2 pass
    std::vector<int32_t> groupBase;  // planes, per group of 8 target pixels: see groupTaps
    std::vector<uint8_t> groupMask;  // planes: 16 shuffle bytes per group of 8
    std::array<std::vector<uint8_t>, 2> rows;
    std::array<int, 2> rowSource{-1, -1};
};

Scratch &scratch()
{
    thread_local Scratch s;
    return s;
}

// The column taps for `n` target pixels, and the row cache emptied, its rows `rowBytes` long.
void prepare(Scratch &s, const QRectF &source, int n, int srcWidth, int rowBytes)
{
    s.columnIndex.resize(size_t(n));
    s.columnWeight.resize(size_t(n));
    for (auto &row : s.rows)
        row.resize(size_t(rowBytes));
    s.rowSource = {-1, -1};
    taps(source.left(), source.width(), n, srcWidth, s.columnIndex.data(), s.columnWeight.data());
}

// The horizontally resampled source row `y`, from the cache or made now by `horizontal(y, out)`.
template <typename Horizontal>
const uint8_t *resampledRow(Scratch &s, int y, int keep, const Horizontal &horizontal)
{
    for (int k = 0; k < 2; ++k) {
        if (s.rowSource[size_t(k)] == y)
            return s.rows[size_t(k)].data();
    }
    // Replace the slot not holding the row the caller still needs.
    const size_t slot = s.rowSource[0] == keep ? 1 : 0;
    uint8_t *out = s.rows[slot].data();
    horizontal(y, out);
    s.rowSource[slot] = y;
    return out;
}

// The vertical pass: each of the `rows` target rows (`targetRow(y)`, `bytes` long) blends the
// two resampled source rows around where its centre maps to in `source`.
template <typename Horizontal, typename TargetRow>
void blendRows(Scratch &s, const QRectF &source, int srcHeight, int rows, int bytes, bool simd,
               const Horizontal &horizontal, const TargetRow &targetRow)
{
    const double stepY = source.height() / rows;
    for (int y = 0; y < rows; ++y) {
        int32_t y0 = 0;
        uint8_t w1 = 0;
        // One row's tap, computed as the column taps are.
        const double start = source.top() + y * stepY;
        taps(start, stepY, 1, srcHeight, &y0, &w1);
        const uint8_t *upper = resampledRow(s, y0, y0 + 1, horizontal);
        const uint8_t *lower = resampledRow(s, y0 + 1, y0, horizontal);
        uint8_t *out = targetRow(y);
#ifdef CAMPAIGN_X86
        if (simd && hasAvx2()) {
            verticalAvx2(upper, lower, w1, bytes, out);
            continue;
        }
        if (simd) {
            verticalSse2(upper, lower, w1, bytes, out);
            continue;
        }
#endif
        verticalPlain(upper, lower, w1, bytes, out);
    }
}
}  // namespace

bool scaleBlitOpaque(const QImage &src, const QRectF &source, QImage *dst, const QRect &target,
                     ScalePath path)
{
    const bool simd = path == ScalePath::Fastest;
    if (!dst || dst->depth() != 32 || src.format() != QImage::Format_RGB32 || src.width() < 2
        || src.height() < 2 || target.isEmpty() || !dst->rect().contains(target)
        || !(source.width() > 0) || !(source.height() > 0) || !dst->isDetached())
        return false;
    Scratch &s = scratch();
    const int n = target.width();
    prepare(s, source, n, src.width(), n * 4);
    s.weights8.resize(size_t(n) * 8);
    s.spread.resize(size_t(n) * 2);
    s.gathered.resize(size_t(n) / 4 + 1);
    spreadTaps(s.columnIndex.data(), n, src.width(), s.spread.data(), s.gathered.data());
    for (int x = 0; x < n; ++x) {
        const uint8_t w1 = s.columnWeight[size_t(x)], w0 = uint8_t(kOne - w1);
        for (int c = 0; c < 4; ++c) {
            s.weights8[size_t(x) * 8 + size_t(2 * c)] = w0;
            s.weights8[size_t(x) * 8 + size_t(2 * c + 1)] = w1;
        }
    }
    const auto horizontal = [&](int y, uint8_t *out) {
        const uint8_t *row = src.constScanLine(y);
#ifdef CAMPAIGN_X86
        if (simd && hasAvx2())
            horizontalAvx2(row, s.columnIndex.data(), s.weights8.data(), s.spread.data(),
                           s.gathered.data(), n, out);
        else if (simd && hasSsse3())
            horizontalSsse3(row, s.columnIndex.data(), s.weights8.data(), n, out);
        else
#endif
            horizontalPlain(row, s.columnIndex.data(), s.columnWeight.data(), n, out);
    };
    blendRows(s, source, src.height(), target.height(), n * 4, simd, horizontal,
              [&](int y) { return dst->scanLine(target.top() + y) + 4 * target.left(); });
    return true;
}

bool scalePlane(const uint8_t *src, int srcStride, QSize srcSize, const QRectF &source,
                uint8_t *dst, int dstStride, QSize dstSize, const QRect &target, ScalePath path)
{
    if (!src || !dst || srcSize.width() < 2 || srcSize.height() < 2 || srcStride < srcSize.width()
        || dstStride < dstSize.width() || target.isEmpty()
        || !QRect(QPoint(0, 0), dstSize).contains(target) || !(source.width() > 0)
        || !(source.height() > 0))
        return false;
    Scratch &s = scratch();
    const int n = target.width();
    prepare(s, source, n, srcSize.width(), n);
    [[maybe_unused]] bool avx2 = false;
#ifdef CAMPAIGN_X86
    avx2 = path == ScalePath::Fastest && hasAvx2();
    if (avx2) {
        const size_t groups = size_t(n) / 8 + 1;
        s.weights2.resize(size_t(n) * 2);
        s.groupBase.resize(groups);
        s.groupMask.resize(groups * 16);
        groupTaps(s.columnIndex.data(), n, srcSize.width(), s.groupBase.data(), s.groupMask.data());
        for (int x = 0; x < n; ++x) {
            s.weights2[size_t(2 * x)] = uint8_t(kOne - s.columnWeight[size_t(x)]);
            s.weights2[size_t(2 * x + 1)] = s.columnWeight[size_t(x)];
        }
    }
#endif
    const auto horizontal = [&](int y, uint8_t *out) {
        const uint8_t *row = src + ptrdiff_t(y) * srcStride;
#ifdef CAMPAIGN_X86
        if (avx2) {
            planeHorizontalAvx2(row, s.columnIndex.data(), s.columnWeight.data(),
                                s.weights2.data(), s.groupBase.data(), s.groupMask.data(), n, out);
            return;
        }
#endif
        planeHorizontalPlain(row, s.columnIndex.data(), s.columnWeight.data(), n, out);
    };
    blendRows(s, source, srcSize.height(), target.height(), n, path == ScalePath::Fastest,
              horizontal, [&](int y) {
                  return dst + ptrdiff_t(target.top() + y) * dstStride + target.left();
              });
    return true;
}

}  // namespace render
