// SPDX-License-Identifier: GPL-3.0-or-later
// libx264 reads memory it allocated and never wrote, and its output depends on what was
// there: the same frames gave different bytes run to run, a few pixels in the frames just
// after a chunk's keyframe (tst_group_export failed about 1 run in 6). Filling memalign()'s
// blocks with random bytes made most runs differ; zero-filling them made 40 of 40 runs
// identical. libx264 allocates all of its buffers with memalign() (x264_malloc), so this
// process defines memalign() itself and hands out zeroed blocks: the executable's
// definition comes first in the dynamic linker's search, ahead of glibc's. The only other
// libraries here that call memalign() (TBB, libgomp) do not mind zeroed memory.
#include "encoder_memory.h"

#include <cerrno>
#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <mutex>

#include <dlfcn.h>
#include <malloc.h>

namespace {

// A block glibc mmap()ed for this one request is fresh zero pages from the kernel; clearing
// it would only fault in pages libx264 may never touch (about 20 MB more peak memory on one
// 9:16 variant). glibc marks such blocks with bit 1 (IS_MMAPPED) of the size word just
// before the pointer, the bit its own calloc() checks to skip the clearing. Under
// AddressSanitizer the blocks come from its allocator, which keeps no such word.
bool freshFromTheKernel(const void *block)
{
#if defined(__GLIBC__) && !defined(__SANITIZE_ADDRESS__)
    size_t sizeWord = 0;
    std::memcpy(&sizeWord, static_cast<const char *>(block) - sizeof(size_t), sizeof sizeWord);
    return (sizeWord & 2) != 0;
#else
    (void)block;
    return false;
#endif
}

}  // namespace

extern "C" void *memalign(size_t alignment, size_t size) noexcept
{
    // posix_memalign wants a power of two that is a multiple of sizeof(void *); memalign
    // takes any alignment and rounds it up the same way (none can exceed the top bit).
    constexpr size_t largest = ~(SIZE_MAX >> 1);
    if (alignment > largest) {
        errno = EINVAL;
        return nullptr;
    }
    size_t rounded = sizeof(void *);
    while (rounded < alignment)
        rounded <<= 1;
    void *block = nullptr;
    const int failed = posix_memalign(&block, rounded, size);
    if (failed) {
        errno = failed;
        return nullptr;
    }
    if (!freshFromTheKernel(block))
        std::memset(block, 0, size);
    return block;
}

namespace {
// Two malloc arenas at most, set before main() starts any thread: otherwise each of a batch's
// threads (compositors, encoders, writers, decoders) gets an arena of its own, which keeps
// the blocks freed in it (reference batch, --jobs 2: peak RSS 610 MB with glibc's default
// arenas, 585 MB with two).
const bool g_arenasBounded = mallopt(M_ARENA_MAX, 2) == 1;
}  // namespace

namespace render {

void makeEncodesRepeatable()
{
    // With the mmap threshold fixed at 128 KiB (glibc otherwise raises it once a large block
    // is freed), every large encoder buffer is its own mapping: fresh zero pages that
    // memalign() above need not clear, given back to the kernel when the encoder closes.
    static std::once_flag once;
    std::call_once(once, [] { mallopt(M_MMAP_THRESHOLD, 128 * 1024); });
}

bool memalignHandsOutZeroedMemory()
{
    // The memalign() libx264 gets is the one the dynamic linker finds first, which is this
    // file's only if the executable exports it.
    using Memalign = void *(*)(size_t, size_t);
    const auto found = reinterpret_cast<Memalign>(dlsym(RTLD_DEFAULT, "memalign"));
    if (found != &memalign)
        return false;
    // Dirty heap blocks of a few sizes, freed, then taken again through memalign(): glibc's
    // own memalign would hand some of them back with the junk still in them.
    constexpr size_t sizes[] = {96, 4000, 40000, 100000};
    for (size_t size : sizes) {
        for (int round = 0; round < 4; ++round) {
            void *junk = std::malloc(size);
            if (!junk)
                return false;
            std::memset(junk, 0xA5, size);
            std::free(junk);
            auto *block = static_cast<unsigned char *>(found(64, size));
            if (!block)
                return false;
            bool zero = (reinterpret_cast<uintptr_t>(block) % 64) == 0;
            for (size_t i = 0; zero && i < size; ++i)
                zero = block[i] == 0;
            std::free(block);
            if (!zero)
                return false;
        }
    }
    return true;
}

}  // namespace render
