// SPDX-License-Identifier: GPL-3.0-or-later
#include "frame_memory.h"
#include "render/pixel_memory.h"

extern "C" {
#include <libavutil/imgutils.h>
#include <libavutil/pixdesc.h>
}

#include <algorithm>
#include <cstring>
#include <iterator>
#include <list>
#include <mutex>
#include <new>

namespace render::ff {

namespace {
// libavcodec's STRIDE_ALIGN on x86 with AVX-512 is 64 and it pads each plane by 16 +
// STRIDE_ALIGN - 1 bytes for its SIMD reads past the end; this uses the same.
constexpr int kAlign = 64;
constexpr size_t kPlanePadding = 16 + kAlign - 1;

// A buffer and the decoder it last held a frame of (codec->opaque, a number per decoder).
struct Held {
    PixelBuffer buffer;
    uintptr_t owner = 0;
};

class Store {
public:
    static Store &instance()
    {
        // Never destroyed: a frame still held at exit returns its buffer here.
        static Store *store = new Store;
        return *store;
    }

    // A buffer of `bytes` for `owner`: one of its own first (its content is what libavcodec's
    // pool would hand back too), else another decoder's or a new one, zeroed as libavcodec
    // zeroes new buffers, so that what a decoder sees never depends on the other decoders.
    PixelBuffer take(size_t bytes, uintptr_t owner)
    {
        PixelBuffer buffer;
        {
            std::lock_guard lock(m_mutex);
            auto found = std::find_if(m_idle.begin(), m_idle.end(), [&](const Held &h) {
                return h.owner == owner && h.buffer.size() == bytes;
            });
            const bool own = found != m_idle.end();
            if (!own)
                found = std::find_if(m_idle.begin(), m_idle.end(),
                                     [&](const Held &h) { return h.buffer.size() == bytes; });
            if (found != m_idle.end()) {
                buffer = std::move(found->buffer);
                m_idle.erase(found);
                m_idleBytes -= int64_t(bytes);
                ++m_counters.reused;
                if (own)
                    return buffer;
            } else {
                ++m_counters.allocated;
            }
        }
        if (buffer.isNull())
            buffer = PixelBuffer(bytes);
        if (!buffer.isNull())
            std::memset(buffer.data(), 0, bytes);
        return buffer;
    }

    void give(Held held)
    {
        if (int64_t(held.buffer.size()) > kIdleFrameBytes)
            return;
        std::list<Held> dropped;  // freed after the lock
        std::lock_guard lock(m_mutex);
        // Newest first: the oldest (likely a finished source's) go first.
        m_idleBytes += int64_t(held.buffer.size());
        m_idle.push_front(std::move(held));
        while (m_idleBytes > kIdleFrameBytes) {
            m_idleBytes -= int64_t(m_idle.back().buffer.size());
            dropped.splice(dropped.end(), m_idle, std::prev(m_idle.end()));
        }
    }

    FrameMemoryCounters counters()
    {
        std::lock_guard lock(m_mutex);
        FrameMemoryCounters c = m_counters;
        c.idleBytes = m_idleBytes;
        return c;
    }

    uintptr_t newOwner()
    {
        std::lock_guard lock(m_mutex);
        return ++m_owners;
    }

private:
    std::mutex m_mutex;
    std::list<Held> m_idle;
    int64_t m_idleBytes = 0;
    uintptr_t m_owners = 0;
    FrameMemoryCounters m_counters;
};

void giveBack(void *opaque, uint8_t *)
{
    auto *held = static_cast<Held *>(opaque);
    Store::instance().give(std::move(*held));
    delete held;
}

// The planes' line sizes and offsets in one buffer, as libavcodec's default allocator
// computes them (avcodec_align_dimensions2, then widening until every line size is aligned).
bool layout(AVCodecContext *codec, const AVFrame *frame, int linesize[4], size_t offset[4],
            size_t *total)
{
    int width = frame->width, height = frame->height;
    int strideAlign[AV_NUM_DATA_POINTERS];
    avcodec_align_dimensions2(codec, &width, &height, strideAlign);
    const auto format = AVPixelFormat(frame->format);
    for (int attempt = 0;; ++attempt) {
        if (av_image_fill_linesizes(linesize, format, width) < 0 || attempt > 16)
            return false;
        bool aligned = true;
        for (int i = 0; i < 4; ++i)
            aligned = aligned && linesize[i] % std::max(strideAlign[i], 1) == 0;
        if (aligned)
            break;
        width += width & ~(width - 1);
    }
    ptrdiff_t linesizes[4];
    for (int i = 0; i < 4; ++i)
        linesizes[i] = linesize[i];
    size_t sizes[4];
    if (av_image_fill_plane_sizes(sizes, format, height, linesizes) < 0)
        return false;
    size_t at = 0;
    for (int i = 0; i < 4; ++i) {
        offset[i] = at;
        if (sizes[i] > 0)
            at += (sizes[i] + kPlanePadding + kAlign - 1) / kAlign * kAlign;
    }
    *total = at;
    return at > 0;
}

int getBuffer(AVCodecContext *codec, AVFrame *frame, int flags)
{
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(AVPixelFormat(frame->format));
    if (!desc || (desc->flags & (AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_HWACCEL
                                 | AV_PIX_FMT_FLAG_BITSTREAM))
        || codec->codec_type != AVMEDIA_TYPE_VIDEO)
        return avcodec_default_get_buffer2(codec, frame, flags);
    int linesize[4] = {};
    size_t offset[4] = {};
    size_t total = 0;
    if (!layout(codec, frame, linesize, offset, &total))
        return avcodec_default_get_buffer2(codec, frame, flags);
    const auto owner = reinterpret_cast<uintptr_t>(codec->opaque);
    auto *held = new (std::nothrow) Held{Store::instance().take(total, owner), owner};
    if (!held || held->buffer.isNull()) {
        delete held;
        return AVERROR(ENOMEM);
    }
    uint8_t *base = held->buffer.data();
    frame->buf[0] = av_buffer_create(base, total, giveBack, held, 0);
    if (!frame->buf[0]) {
        giveBack(held, nullptr);
        return AVERROR(ENOMEM);
    }
    for (int i = 0; i < 4; ++i) {
        frame->linesize[i] = linesize[i];
        frame->data[i] = linesize[i] > 0 ? base + offset[i] : nullptr;
    }
    frame->extended_data = frame->data;
    return 0;
}
}  // namespace

void useRecycledFrames(AVCodecContext *codec)
{
    if (codec->codec_type == AVMEDIA_TYPE_VIDEO && codec->codec
        && (codec->codec->capabilities & AV_CODEC_CAP_DR1) && !codec->opaque) {
        codec->opaque = reinterpret_cast<void *>(Store::instance().newOwner());
        codec->get_buffer2 = getBuffer;
    }
}

FrameMemoryCounters frameMemoryCounters()
{
    return Store::instance().counters();
}

}  // namespace render::ff
