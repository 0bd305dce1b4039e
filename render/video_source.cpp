// SPDX-License-Identifier: GPL-3.0-or-later
#include "video_source.h"

#include <QCoreApplication>

namespace render {

namespace {
// Without an index we cannot tell where the next keyframe is; only seek forward when the
// target is so far ahead that decoding up to it would clearly cost more.
constexpr int64_t kBlindSeekAheadSeconds = 10;

int swsColorspace(const AVFrame *frame)
{
    switch (frame->colorspace) {
    case AVCOL_SPC_BT709: return SWS_CS_ITU709;
    case AVCOL_SPC_BT470BG:
    case AVCOL_SPC_SMPTE170M: return SWS_CS_ITU601;
    case AVCOL_SPC_SMPTE240M: return SWS_CS_SMPTE240M;
    case AVCOL_SPC_BT2020_NCL:
    case AVCOL_SPC_BT2020_CL: return SWS_CS_BT2020;
    case AVCOL_SPC_FCC: return SWS_CS_FCC;
    default:
        // Untagged: the usual convention is BT.709 for HD and BT.601 below it.
        return frame->height >= 720 ? SWS_CS_ITU709 : SWS_CS_ITU601;
    }
}
}  // namespace

VideoSource::VideoSource() = default;
VideoSource::~VideoSource() = default;

bool VideoSource::open(const QString &path, int threads, RenderError *error)
{
    m_path = path;
    if (!ff::openDecoder(path, AVMEDIA_TYPE_VIDEO, threads, &m_in, error))
        return false;
    m_packet = ff::allocPacket();
    m_current = ff::allocFrame();
    m_pending = ff::allocFrame();
    if (!m_packet || !m_current || !m_pending)
        return fail(AVERROR(ENOMEM), error);
    m_startPts = m_in.stream->start_time != AV_NOPTS_VALUE ? m_in.stream->start_time : 0;
    m_lastPts = m_startPts;
    return true;
}

QSize VideoSource::codedSize() const
{
    return m_in.codec ? QSize(m_in.codec->width, m_in.codec->height) : QSize();
}

QSizeF VideoSource::displaySize() const
{
    if (!m_in.codec)
        return {};
    AVRational sar = m_in.stream->sample_aspect_ratio;
    if (sar.num <= 0 || sar.den <= 0)
        sar = m_in.codec->sample_aspect_ratio;
    const double aspect = (sar.num > 0 && sar.den > 0) ? av_q2d(sar) : 1.0;
    return QSizeF(m_in.codec->width * aspect, m_in.codec->height);
}

bool VideoSource::fail(int averror, RenderError *error) const
{
    if (error) {
        error->kind = ErrorKind::InvalidInput;
        error->message = QCoreApplication::translate("render",
                             "Decoding the video \"%1\" failed (%2). Re-encode it or replace "
                             "the asset.")
                             .arg(m_path, ff::errorText(averror));
    }
    return false;
}

bool VideoSource::dataMissing() const
{
    AVIOContext *pb = m_in.format->pb;
    const int count = avformat_index_get_entries_count(m_in.stream);
    if (!pb || count <= 0)
        return false;
    const int64_t fileSize = avio_size(pb);
    const AVIndexEntry *last = avformat_index_get_entry(m_in.stream, count - 1);
    return fileSize > 0 && last && last->pos + last->size > fileSize;
}

int VideoSource::decodeNext(AVFrame *into)
{
    for (;;) {
        int ret = avcodec_receive_frame(m_in.codec.get(), into);
        if (ret >= 0) {
            // Broken files may carry no timestamps; keep time moving forward regardless.
            if (ff::framePts(into) == AV_NOPTS_VALUE)
                into->best_effort_timestamp = m_lastPts + 1;
            m_lastPts = ff::framePts(into);
            ++m_framesDecoded;
            return 1;
        }
        if (ret == AVERROR_EOF) {
            m_decoderEnded = true;
            return 0;
        }
        if (ret != AVERROR(EAGAIN))
            return ret;
        if (m_demuxEnded) {
            // The drain packet was sent but the decoder still wants input: treat as ended.
            m_decoderEnded = true;
            return 0;
        }
        ret = av_read_frame(m_in.format.get(), m_packet.get());
        if (ret == AVERROR_EOF || (ret < 0 && avio_feof(m_in.format->pb))) {
            m_demuxEnded = true;
            m_truncated = dataMissing();
            ret = avcodec_send_packet(m_in.codec.get(), nullptr);
            if (ret < 0 && ret != AVERROR_EOF)
                return ret;
            continue;
        }
        if (ret < 0)
            return ret;
        if (m_packet->stream_index == m_in.streamIndex) {
            ret = avcodec_send_packet(m_in.codec.get(), m_packet.get());
            // A damaged packet costs a frame, not the whole render.
            if (ret < 0 && ret != AVERROR(EAGAIN) && ret != AVERROR_INVALIDDATA) {
                av_packet_unref(m_packet.get());
                return ret;
            }
        }
        av_packet_unref(m_packet.get());
    }
}

bool VideoSource::seekTo(int64_t pts, RenderError *error)
{
    int ret = av_seek_frame(m_in.format.get(), m_in.streamIndex, pts, AVSEEK_FLAG_BACKWARD);
    if (ret < 0)  // some demuxers only seek by bytes or to the start; rewind then
        ret = av_seek_frame(m_in.format.get(), m_in.streamIndex, m_startPts,
                            AVSEEK_FLAG_BACKWARD | AVSEEK_FLAG_ANY);
    if (ret < 0)
        return fail(ret, error);
    avcodec_flush_buffers(m_in.codec.get());
    av_frame_unref(m_current.get());
    av_frame_unref(m_pending.get());
    m_haveCurrent = m_havePending = false;
    m_demuxEnded = m_decoderEnded = m_truncated = false;
    m_convertedPts = INT64_MIN;
    return true;
}

bool VideoSource::worthSeekingForward(int64_t target) const
{
    const int64_t reached = m_havePending ? ff::framePts(m_pending.get()) : m_lastPts;
    if (target <= reached)
        return false;
    const AVStream *st = m_in.stream;
    if (avformat_index_get_entries_count(st) > 0) {
        // Seek only if a keyframe lies between where the decoder is and the target.
        const int idx = av_index_search_timestamp(const_cast<AVStream *>(st), target,
                                                  AVSEEK_FLAG_BACKWARD);
        const AVIndexEntry *entry = idx >= 0 ? avformat_index_get_entry(const_cast<AVStream *>(st), idx)
                                             : nullptr;
        return entry && entry->timestamp > reached;
    }
    const int64_t far = av_rescale_q(kBlindSeekAheadSeconds, AVRational{1, 1}, st->time_base);
    return target - reached > far;
}

bool VideoSource::reach(int64_t num, int64_t den, RenderError *error)
{
    if (!isOpen() || den <= 0)
        return fail(AVERROR(EINVAL), error);
    const AVRational tb = m_in.stream->time_base;
    // Exact: floor(num/den seconds in stream ticks), so a frame whose pts equals the target
    // time is the one shown.
    const int64_t offset = num <= 0 ? 0 : av_rescale_rnd(num, tb.den, den * tb.num, AV_ROUND_DOWN);
    const int64_t target = m_startPts + offset;

    if (m_haveCurrent && target < ff::framePts(m_current.get())) {
        if (!seekTo(target, error))
            return false;
    } else if (!m_decoderEnded && worthSeekingForward(target)) {
        // Also on the first frame asked for: a clip entered mid-way (a chunk starting inside
        // it, a trimmed in-point) starts decoding at the keyframe before the target, not at
        // the file's first frame.
        if (!seekTo(target, error))
            return false;
    }

    for (;;) {
        if (m_havePending) {
            if (ff::framePts(m_pending.get()) > target && m_haveCurrent)
                break;
            // Before the first frame (or at/after it): the pending frame becomes current.
            std::swap(m_current, m_pending);
            m_haveCurrent = true;
            m_havePending = false;
            av_frame_unref(m_pending.get());
            if (ff::framePts(m_current.get()) > target)
                break;
            continue;
        }
        if (m_decoderEnded && m_truncated && m_haveCurrent) {
            // Holding the last frame would hide a cut file: the render reached samples the
            // index lists but the file does not hold.
            if (error) {
                const double t = double(ff::framePts(m_current.get()) - m_startPts) * av_q2d(tb);
                const int ms = int(std::max(0.0, t) * 1000 + 0.5);
                error->kind = ErrorKind::InvalidInput;
                error->message = QCoreApplication::translate("render",
                                     "The video \"%1\" ends early at %2: the file is incomplete "
                                     "or damaged. Re-export or re-download it.")
                                     .arg(m_path)
                                     .arg(QString::asprintf("%02d:%02d:%02d.%d", ms / 3600000,
                                                            ms / 60000 % 60, ms / 1000 % 60,
                                                            ms / 100 % 10));
            }
            return false;
        }
        if (m_decoderEnded)
            break;  // hold the last frame past the end of the source
        av_frame_unref(m_pending.get());
        const int ret = decodeNext(m_pending.get());
        if (ret < 0) {
            fail(ret, error);
            return false;
        }
        m_havePending = ret > 0;
    }
    if (!m_haveCurrent) {
        if (error) {
            error->kind = ErrorKind::InvalidInput;
            error->message = QCoreApplication::translate("render",
                                 "The video \"%1\" contains no decodable frames.").arg(m_path);
        }
        return false;
    }
    return true;
}

const AVFrame *VideoSource::decodedFrameAt(int64_t num, int64_t den, RenderError *error)
{
    return reach(num, den, error) ? m_current.get() : nullptr;
}

bool VideoSource::isEncoderYuv(const AVFrame *frame) const
{
    return frame && frame->format == AV_PIX_FMT_YUV420P && frame->color_range != AVCOL_RANGE_JPEG
        && swsColorspace(frame) == SWS_CS_ITU709 && frame->width >= 2 && frame->height >= 2
        && displaySize() == QSizeF(frame->width, frame->height);
}

QImage VideoSource::frameAt(int64_t num, int64_t den, QSize outSize, RenderError *error,
                            QRect part)
{
    if (!reach(num, den, error))
        return {};
    const QSize size = outSize.isEmpty() ? codedSize() : outSize;
    const QRect whole(0, 0, m_current->width, m_current->height);
    const QRect cut = part.isEmpty() || size != whole.size() ? whole
                                                             : alignedPart(m_current.get(), part);
    if (m_convertedPts == ff::framePts(m_current.get()) && m_convertedSize == size
        && m_convertedPart == cut)
        return m_converted;
    m_convertedPts = INT64_MIN;
    if (!convert(m_current.get(), cut == whole ? size : cut.size(), cut, error))
        return {};
    m_convertedPts = ff::framePts(m_current.get());
    m_convertedSize = size;
    m_convertedPart = cut;
    return m_converted;
}

QRect VideoSource::alignedPart(const AVFrame *frame, QRect part) const
{
    const QRect whole(0, 0, frame->width, frame->height);
    const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(AVPixelFormat(frame->format));
    if (!desc || !(desc->flags & AV_PIX_FMT_FLAG_PLANAR)
        || (desc->flags & (AV_PIX_FMT_FLAG_HWACCEL | AV_PIX_FMT_FLAG_PAL | AV_PIX_FMT_FLAG_BITSTREAM)))
        return whole;
    // Left edge and width in steps of 32 pixels: every plane's start stays 16-byte aligned
    // for swscale's vector loops, and whole chroma samples are cut.
    constexpr int kStep = 32;
    const int yStep = 1 << desc->log2_chroma_h;
    part = part.intersected(whole);
    if (part.isEmpty())
        return whole;
    const int left = part.left() / kStep * kStep;
    const int right = std::min(whole.width(), (part.left() + part.width() + kStep - 1) / kStep * kStep);
    const int top = part.top() / yStep * yStep;
    const int bottom = std::min(whole.height(),
                                (part.top() + part.height() + yStep - 1) / yStep * yStep);
    return QRect(left, top, right - left, bottom - top);
}

bool VideoSource::convert(const AVFrame *frame, QSize outSize, QRect part, RenderError *error)
{
    const auto srcFormat = AVPixelFormat(frame->format);
    const int colorKey = swsColorspace(frame) * 2 + (frame->color_range == AVCOL_RANGE_JPEG ? 1 : 0);
    const SwsKey key{part.width(), part.height(), int(srcFormat), outSize.width(),
                     outSize.height(), colorKey};
    if (!m_sws || !(key == m_swsKey)) {
        m_sws.reset(sws_getContext(part.width(), part.height(), srcFormat, outSize.width(),
                                   outSize.height(), AV_PIX_FMT_RGB32, SWS_BICUBIC, nullptr,
                                   nullptr, nullptr));
        if (!m_sws) {
            fail(AVERROR(EINVAL), error);
            return false;
        }
        m_swsKey = key;
        const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(srcFormat);
        if (desc && !(desc->flags & AV_PIX_FMT_FLAG_RGB)) {
            // Tell swscale which YUV matrix and range the source uses; its default (BT.601,
            // limited) would shift the colours of every HD clip.
            sws_setColorspaceDetails(m_sws.get(), sws_getCoefficients(colorKey / 2), colorKey % 2,
                                     sws_getCoefficients(SWS_CS_DEFAULT), 1, 0, 1 << 16, 1 << 16);
        }
    }
    // Reuse the previous frame's buffer when the caller has let go of it (the export draws
    // and drops each frame), so decoding allocates nothing per frame.
    if (m_converted.size() != outSize || !m_converted.isDetached())
        m_converted = QImage(outSize, QImage::Format_RGB32);
    if (m_converted.isNull()) {
        fail(AVERROR(ENOMEM), error);
        return false;
    }
    // The part is cut by moving each plane's start (alignedPart() kept it on whole chroma
    // samples): nothing is copied.
    const uint8_t *src[4] = {frame->data[0], frame->data[1], frame->data[2], frame->data[3]};
    if (part.topLeft() != QPoint(0, 0)) {
        const AVPixFmtDescriptor *desc = av_pix_fmt_desc_get(srcFormat);
        for (int c = 0; c < desc->nb_components; ++c) {
            const AVComponentDescriptor &comp = desc->comp[c];
            const bool chroma = c == 1 || c == 2;
            if (comp.plane < 0 || comp.plane > 3 || !frame->data[comp.plane])
                continue;
            const int x = chroma ? part.left() >> desc->log2_chroma_w : part.left();
            const int y = chroma ? part.top() >> desc->log2_chroma_h : part.top();
            src[comp.plane] = frame->data[comp.plane] + ptrdiff_t(y) * frame->linesize[comp.plane]
                + ptrdiff_t(x) * comp.step;
        }
    }
    uint8_t *dst[4] = {m_converted.bits(), nullptr, nullptr, nullptr};
    int dstStride[4] = {int(m_converted.bytesPerLine()), 0, 0, 0};
    sws_scale(m_sws.get(), src, frame->linesize, 0, part.height(), dst, dstStride);
    return true;
}

}  // namespace render
