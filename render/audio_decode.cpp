// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio_decode.h"
#include "ffmpeg/input.h"

#include <QCoreApplication>

#include <algorithm>

namespace render {

namespace {
class AudioDecoder {
public:
    AudioDecoder(const QString &path, int sampleRate)
        : m_path(path), m_rate(sampleRate)
    {
    }
    ~AudioDecoder() { av_channel_layout_uninit(&m_swrLayout); }
    AudioDecoder(const AudioDecoder &) = delete;
    AudioDecoder &operator=(const AudioDecoder &) = delete;

    bool run(int64_t startNum, int64_t startDen, int64_t maxFrames, std::vector<float> *out,
             bool *truncated, RenderError *error);

private:
    bool fail(int averror, RenderError *error) const
    {
        if (error) {
            error->kind = ErrorKind::InvalidInput;
            error->message = QCoreApplication::translate("render",
                                 "Decoding the audio of \"%1\" failed (%2). Convert it to WAV "
                                 "or AAC and relink it.")
                                 .arg(m_path, ff::errorText(averror));
        }
        return false;
    }
    bool setupResampler(const AVFrame *frame);
    // Appends converted samples, dropping the first m_skip frames (the part before the
    // requested start after a keyframe-granular seek).
    void append(const float *data, int frames);

    QString m_path;
    int m_rate;
    ff::DecoderInput m_in;
    ff::SwrPtr m_swr;
    AVChannelLayout m_swrLayout{};
    int m_swrFormat = -1, m_swrRate = 0;
    std::vector<float> m_buffer;
    std::vector<float> *m_out = nullptr;
    int64_t m_skip = 0;
    int64_t m_limit = 0;  // maxFrames + 1: one frame more tells us the stream was longer
};

bool AudioDecoder::setupResampler(const AVFrame *frame)
{
    AVChannelLayout layout{};
    if (frame->ch_layout.order != AV_CHANNEL_ORDER_UNSPEC)
        av_channel_layout_copy(&layout, &frame->ch_layout);
    else
        av_channel_layout_default(&layout, std::max(1, frame->ch_layout.nb_channels));
    if (m_swr && m_swrFormat == frame->format && m_swrRate == frame->sample_rate
        && av_channel_layout_compare(&layout, &m_swrLayout) == 0) {
        av_channel_layout_uninit(&layout);
        return true;
    }
    SwrContext *raw = nullptr;
    int ret = ff::swrAllocToStereoFloat(&raw, &layout, AVSampleFormat(frame->format),
                                        frame->sample_rate, m_rate);
    m_swr.reset(raw);
    if (ret >= 0)
        ret = swr_init(m_swr.get());
    av_channel_layout_uninit(&m_swrLayout);
    m_swrLayout = layout;
    m_swrFormat = frame->format;
    m_swrRate = frame->sample_rate;
    return ret >= 0;
}

void AudioDecoder::append(const float *data, int frames)
{
    const int64_t drop = std::min<int64_t>(m_skip, frames);
    m_skip -= drop;
    const int64_t room = m_limit - int64_t(m_out->size() / 2);
    const int64_t keep = std::min<int64_t>(frames - drop, room);
    if (keep > 0)
        m_out->insert(m_out->end(), data + drop * 2, data + (drop + keep) * 2);
}

bool AudioDecoder::run(int64_t startNum, int64_t startDen, int64_t maxFrames,
                       std::vector<float> *out, bool *truncated, RenderError *error)
{
    out->clear();
    m_out = out;
    m_limit = maxFrames + 1;
    // All of it at once: growing by doubling would touch (and fault in) about twice the memory.
    out->reserve(size_t(std::min<int64_t>(m_limit, int64_t(1) << 27)) * 2);
    if (!ff::openDecoder(m_path, AVMEDIA_TYPE_AUDIO, 1, &m_in, error))
        return false;
    const AVRational tb = m_in.stream->time_base;
    const int64_t streamStart = m_in.stream->start_time != AV_NOPTS_VALUE ? m_in.stream->start_time : 0;
    const int64_t startSamples = av_rescale_rnd(startNum, m_rate, startDen, AV_ROUND_NEAR_INF);
    if (startNum > 0) {
        const int64_t startPts = streamStart + av_rescale_rnd(startNum, tb.den, startDen * tb.num,
                                                              AV_ROUND_DOWN);
        if (av_seek_frame(m_in.format.get(), m_in.streamIndex, startPts, AVSEEK_FLAG_BACKWARD) >= 0)
            avcodec_flush_buffers(m_in.codec.get());
    }

    ff::PacketPtr packet = ff::allocPacket();
    ff::FramePtr frame = ff::allocFrame();
    if (!packet || !frame)
        return fail(AVERROR(ENOMEM), error);
    bool first = true;
    bool demuxEnded = false;
    for (;;) {
        if (int64_t(out->size() / 2) >= m_limit)
            break;
        int ret = avcodec_receive_frame(m_in.codec.get(), frame.get());
        if (ret == AVERROR(EAGAIN)) {
            if (demuxEnded)
                break;
            ret = av_read_frame(m_in.format.get(), packet.get());
            if (ret < 0) {
                demuxEnded = true;
                avcodec_send_packet(m_in.codec.get(), nullptr);
                continue;
            }
            if (packet->stream_index == m_in.streamIndex) {
                ret = avcodec_send_packet(m_in.codec.get(), packet.get());
                if (ret < 0 && ret != AVERROR_INVALIDDATA && ret != AVERROR(EAGAIN)) {
                    av_packet_unref(packet.get());
                    return fail(ret, error);
                }
            }
            av_packet_unref(packet.get());
            continue;
        }
        if (ret == AVERROR_EOF)
            break;
        if (ret < 0)
            return fail(ret, error);
        if (first) {
            first = false;
            // Where this first frame sits in the source decides how much to drop (after a
            // seek) or how much silence to put in front (a stream starting late).
            const int64_t pts = ff::framePts(frame.get());
            const int64_t at = pts == AV_NOPTS_VALUE
                ? 0
                : av_rescale_q(pts - streamStart, tb, AVRational{1, m_rate});
            m_skip = startSamples - at;
            if (m_skip < 0) {
                out->resize(size_t(std::min(-m_skip, m_limit)) * 2, 0.0f);
                m_skip = 0;
            }
        }
        if (!setupResampler(frame.get()))
            return fail(AVERROR(EINVAL), error);
        const int capacity = swr_get_out_samples(m_swr.get(), frame->nb_samples);
        m_buffer.resize(size_t(std::max(capacity, 0)) * 2);
        uint8_t *dst[1] = {reinterpret_cast<uint8_t *>(m_buffer.data())};
        const int converted = swr_convert(m_swr.get(), dst, capacity,
                                          const_cast<const uint8_t **>(frame->extended_data),
                                          frame->nb_samples);
        av_frame_unref(frame.get());
        if (converted < 0)
            return fail(converted, error);
        append(m_buffer.data(), converted);
    }
    // The resampler keeps a few samples of filter delay; flush them out.
    if (m_swr && int64_t(out->size() / 2) < m_limit) {
        const int capacity = swr_get_out_samples(m_swr.get(), 0);
        if (capacity > 0) {
            m_buffer.resize(size_t(capacity) * 2);
            uint8_t *dst[1] = {reinterpret_cast<uint8_t *>(m_buffer.data())};
            const int converted = swr_convert(m_swr.get(), dst, capacity, nullptr, 0);
            if (converted > 0)
                append(m_buffer.data(), converted);
        }
    }
    *truncated = int64_t(out->size() / 2) > maxFrames;
    if (*truncated)
        out->resize(size_t(maxFrames) * 2);
    return true;
}
}  // namespace

bool decodeAudioFile(const QString &path, int sampleRate, int64_t startNum, int64_t startDen,
                     int64_t maxFrames, std::vector<float> *out, bool *truncated,
                     RenderError *error)
{
    if (startDen <= 0 || sampleRate <= 0 || maxFrames < 0) {
        if (error) {
            error->kind = ErrorKind::InvalidInput;
            error->message = QCoreApplication::translate("render",
                                 "Invalid audio request for \"%1\".").arg(path);
        }
        return false;
    }
    AudioDecoder decoder(path, sampleRate);
    return decoder.run(startNum, startDen, maxFrames, out, truncated, error);
}

}  // namespace render
