// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// One RAII owner per FFmpeg type. Every FFmpeg object the renderer allocates is held by one of
// these from the line that creates it, so early returns never leak and nothing else in render/
// calls an av_*_free function by hand.

#include "compat.h"

#include <memory>

namespace render::ff {

struct InputFormatDeleter {
    void operator()(AVFormatContext *ctx) const { avformat_close_input(&ctx); }
};
// An output context owns its AVIOContext too; the trailer must already be written.
struct OutputFormatDeleter {
    void operator()(AVFormatContext *ctx) const
    {
        if (ctx && ctx->oformat && !(ctx->oformat->flags & AVFMT_NOFILE))
            avio_closep(&ctx->pb);
        avformat_free_context(ctx);
    }
};
struct CodecContextDeleter {
    void operator()(AVCodecContext *ctx) const { avcodec_free_context(&ctx); }
};
struct FrameDeleter {
    void operator()(AVFrame *frame) const { av_frame_free(&frame); }
};
struct PacketDeleter {
    void operator()(AVPacket *packet) const { av_packet_free(&packet); }
};
struct SwsDeleter {
    void operator()(SwsContext *ctx) const { sws_freeContext(ctx); }
};
struct SwrDeleter {
    void operator()(SwrContext *ctx) const { swr_free(&ctx); }
};

using InputFormatPtr = std::unique_ptr<AVFormatContext, InputFormatDeleter>;
using OutputFormatPtr = std::unique_ptr<AVFormatContext, OutputFormatDeleter>;
using CodecContextPtr = std::unique_ptr<AVCodecContext, CodecContextDeleter>;
using FramePtr = std::unique_ptr<AVFrame, FrameDeleter>;
using PacketPtr = std::unique_ptr<AVPacket, PacketDeleter>;
using SwsPtr = std::unique_ptr<SwsContext, SwsDeleter>;
using SwrPtr = std::unique_ptr<SwrContext, SwrDeleter>;

// AVDictionary is filled through AVDictionary** APIs and consumed by open calls that replace
// it with the unused entries, so it is a small owner with an address-of accessor.
class Dictionary {
public:
    Dictionary() = default;
    ~Dictionary() { av_dict_free(&m_dict); }
    Dictionary(const Dictionary &) = delete;
    Dictionary &operator=(const Dictionary &) = delete;
    void set(const char *key, const char *value) { av_dict_set(&m_dict, key, value, 0); }
    void set(const char *key, int64_t value) { av_dict_set_int(&m_dict, key, value, 0); }
    AVDictionary **address() { return &m_dict; }

private:
    AVDictionary *m_dict = nullptr;
};

inline FramePtr allocFrame() { return FramePtr(av_frame_alloc()); }
inline PacketPtr allocPacket() { return PacketPtr(av_packet_alloc()); }

}  // namespace render::ff
