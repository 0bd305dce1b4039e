// SPDX-License-Identifier: GPL-3.0-or-later
#include "pixel_memory.h"

#include <sys/mman.h>
#include <unistd.h>

#include <new>
#include <utility>

namespace render {

namespace {
constexpr size_t kHugePage = size_t(2) << 20;

#if defined(__SANITIZE_ADDRESS__)
// Under AddressSanitizer the buffers come from the heap, so that reading or writing past a
// plane's end is caught at its redzone instead of landing in the mapping's last page.
uint8_t *mapAligned(size_t bytes)
{
    return new (std::nothrow) uint8_t[bytes];
}

void unmap(uint8_t *data, size_t)
{
    delete[] data;
}
#else
size_t pageRounded(size_t bytes)
{
    const size_t page = size_t(sysconf(_SC_PAGESIZE));
    return (bytes + page - 1) / page * page;
}

// `bytes` (page-rounded) starting on a 2 MiB boundary: maps 2 MiB more and unmaps the slack
// before and after.
uint8_t *mapAligned(size_t bytes)
{
    const size_t length = pageRounded(bytes);
    void *mapped = mmap(nullptr, length + kHugePage, PROT_READ | PROT_WRITE,
                        MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
    if (mapped == MAP_FAILED)
        return nullptr;
    auto *base = static_cast<uint8_t *>(mapped);
    const uintptr_t address = reinterpret_cast<uintptr_t>(base);
    auto *aligned = reinterpret_cast<uint8_t *>((address + kHugePage - 1) & ~(kHugePage - 1));
    if (aligned > base)
        munmap(base, size_t(aligned - base));
    const size_t tail = size_t(base + length + kHugePage - (aligned + length));
    if (tail > 0)
        munmap(aligned + length, tail);
    // Advice only: without THP support the pages are simply small.
    madvise(aligned, length, MADV_HUGEPAGE);
    return aligned;
}

void unmap(uint8_t *data, size_t bytes)
{
    if (data)
        munmap(data, pageRounded(bytes));
}
#endif
}  // namespace

PixelBuffer::PixelBuffer(size_t bytes)
{
    if (bytes == 0)
        return;
    m_data = mapAligned(bytes);
    m_size = m_data ? bytes : 0;
}

PixelBuffer::~PixelBuffer()
{
    unmap(m_data, m_size);
}

PixelBuffer::PixelBuffer(PixelBuffer &&other) noexcept
    : m_data(std::exchange(other.m_data, nullptr))
    , m_size(std::exchange(other.m_size, 0))
{
}

PixelBuffer &PixelBuffer::operator=(PixelBuffer &&other) noexcept
{
    if (this != &other) {
        unmap(m_data, m_size);
        m_data = std::exchange(other.m_data, nullptr);
        m_size = std::exchange(other.m_size, 0);
    }
    return *this;
}

QImage hugePageImage(int width, int height, QImage::Format format)
{
    if (width <= 0 || height <= 0)
        return {};
    const int depth = QImage::toPixelFormat(format).bitsPerPixel();
    const size_t bytesPerLine = (size_t(width) * size_t(depth) + 31) / 32 * 4;
    const size_t bytes = bytesPerLine * size_t(height);
    if (bytes < kHugePage || depth < 8)
        return QImage(width, height, format);
    auto *buffer = new PixelBuffer(bytes);
    if (buffer->isNull()) {
        delete buffer;
        return {};
    }
    return QImage(buffer->data(), width, height, qsizetype(bytesPerLine), format,
                  [](void *info) { delete static_cast<PixelBuffer *>(info); }, buffer);
}

}  // namespace render
