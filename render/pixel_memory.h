// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Frame-sized pixel buffers on transparent huge pages.
//
// Why: on the virtual machines this renders on, the kernel takes about 10 µs for every 4 KiB
// page a process touches for the first time: 2.7 s per GB, measured by touching a fresh
// gigabyte, against 0.07 s per GB (1.7 s when the host has not backed the memory yet) with
// 2 MiB pages. An export touches fresh frame-sized buffers all the time: a decoded 2048²
// still is 4,096 pages (40 ms), a 9:16 overlay 2,000, a yuv420p frame 760. These buffers are
// mapped 2 MiB-aligned and advised (MADV_HUGEPAGE) so that their pages come 512 at a time.
// They are mapped at their exact size, so a buffer's tail shorter than 2 MiB stays on small
// pages and nothing untouched becomes resident.

#include <QImage>

#include <cstddef>
#include <cstdint>

namespace render {

class PixelBuffer {
public:
    PixelBuffer() = default;
    // Uninitialised memory; null when out of memory (bytes 0 gives null too).
    explicit PixelBuffer(size_t bytes);
    ~PixelBuffer();
    PixelBuffer(PixelBuffer &&other) noexcept;
    PixelBuffer &operator=(PixelBuffer &&other) noexcept;
    PixelBuffer(const PixelBuffer &) = delete;
    PixelBuffer &operator=(const PixelBuffer &) = delete;

    uint8_t *data() const { return m_data; }
    size_t size() const { return m_size; }
    bool isNull() const { return m_data == nullptr; }

private:
    uint8_t *m_data = nullptr;
    size_t m_size = 0;
};

// An uninitialised QImage whose pixels are a PixelBuffer (freed with the last copy of the
// image). Null when out of memory. Small images (under 2 MiB) are ordinary QImages.
QImage hugePageImage(int width, int height, QImage::Format format);

}  // namespace render
