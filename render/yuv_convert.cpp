// SPDX-License-Identifier: GPL-3.0-or-later
#include "yuv_convert.h"

#include <cmath>

namespace render {

namespace {
// BT.709 luma weights; full-range RGB in, studio range (Y 16..235, C 16..240) out, the tags
// the writer puts on the stream.
constexpr double kKr = 0.2126;
constexpr double kKb = 0.0722;
constexpr double kKg = 1.0 - kKr - kKb;
constexpr double kYScale = 219.0 / 255.0;
constexpr double kCScale = 224.0 / 255.0;
constexpr int kShift = 16;

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

inline uint8_t luma(uint32_t p)
{
    const int r = int((p >> 16) & 0xff), g = int((p >> 8) & 0xff), b = int(p & 0xff);
    return uint8_t((kYR * r + kYG * g + kYB * b + (16 << kShift) + (1 << (kShift - 1))) >> kShift);
}
}  // namespace

// Integer-only, so the AVX2 clone the loader picks on most machines gives exactly the bytes
// of the baseline one; the wider vectors roughly halve this per-frame cost of every export.
__attribute__((target_clones("avx2", "default")))
void rgb32ToYuv420p(const QImage &image, uint8_t *y, int yStride, uint8_t *u, int uStride,
                    uint8_t *v, int vStride)
{
    const int width = image.width();
    const int height = image.height();
    for (int row = 0; row + 1 < height; row += 2) {
        const auto *top = reinterpret_cast<const uint32_t *>(image.constScanLine(row));
        const auto *bottom = reinterpret_cast<const uint32_t *>(image.constScanLine(row + 1));
        uint8_t *yTop = y + ptrdiff_t(row) * yStride;
        uint8_t *yBottom = yTop + yStride;
        for (int x = 0; x < width; ++x) {
            yTop[x] = luma(top[x]);
            yBottom[x] = luma(bottom[x]);
        }
        uint8_t *uRow = u + ptrdiff_t(row / 2) * uStride;
        uint8_t *vRow = v + ptrdiff_t(row / 2) * vStride;
        for (int cx = 0; cx < width / 2; ++cx) {
            const uint32_t a = top[2 * cx], b = top[2 * cx + 1];
            const uint32_t c = bottom[2 * cx], d = bottom[2 * cx + 1];
            // Sums of the 2x2 block (0..1020): chroma of the average, one rounding.
            const int r = int(((a >> 16) & 0xff) + ((b >> 16) & 0xff) + ((c >> 16) & 0xff)
                              + ((d >> 16) & 0xff));
            const int g = int(((a >> 8) & 0xff) + ((b >> 8) & 0xff) + ((c >> 8) & 0xff)
                              + ((d >> 8) & 0xff));
            const int bl = int((a & 0xff) + (b & 0xff) + (c & 0xff) + (d & 0xff));
            constexpr int shift = kShift + 2;
            constexpr int offset = (128 << shift) + (1 << (shift - 1));
            uRow[cx] = uint8_t((kUR * r + kUG * g + kUB * bl + offset) >> shift);
            vRow[cx] = uint8_t((kVR * r + kVG * g + kVB * bl + offset) >> shift);
        }
    }
}

}  // namespace render
