// SPDX-License-Identifier: GPL-3.0-or-later
// Reading media back: stream facts for tests and the asset bin, single frames for pixel
// checks and thumbnails, whole audio tracks for waveforms.
#include "audio_decode.h"
#include "ffmpeg/input.h"
#include "renderer.h"
#include "video_source.h"

#include <QCoreApplication>
#include <QFile>
#include <QtEndian>

#include <cmath>

namespace render {

namespace {
// Top-level MP4/MOV boxes: moov before mdat means a player can start before the download
// ends. Reads 16 bytes per box, never the payloads.
bool moovBeforeMdat(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const qint64 size = file.size();
    qint64 pos = 0;
    while (pos + 8 <= size) {
        if (!file.seek(pos))
            return false;
        uchar header[16];
        if (file.read(reinterpret_cast<char *>(header), 8) != 8)
            return false;
        quint64 boxSize = qFromBigEndian<quint32>(header);
        const QByteArray type(reinterpret_cast<const char *>(header + 4), 4);
        if (type == "moov")
            return true;
        if (type == "mdat")
            return false;
        if (boxSize == 1) {  // 64-bit size follows the type
            if (file.read(reinterpret_cast<char *>(header + 8), 8) != 8)
                return false;
            boxSize = qFromBigEndian<quint64>(header + 8);
        } else if (boxSize == 0) {  // box runs to the end of the file
            return false;
        }
        // A box claiming more than the rest of the file ends the walk: nothing follows it, and
        // adding a hostile 64-bit size to `pos` would overflow.
        if (boxSize < 8 || boxSize > quint64(size - pos))
            return false;
        pos += qint64(boxSize);
    }
    return false;
}

FrameRate streamRate(const AVStream *st)
{
    AVRational r = st->avg_frame_rate;
    if (r.num <= 0 || r.den <= 0)
        r = st->r_frame_rate;
    if (r.num <= 0 || r.den <= 0)
        return FrameRate{0, 1};
    int num = 0, den = 1;
    av_reduce(&num, &den, r.num, r.den, INT_MAX);
    return FrameRate{num, den};
}

int64_t countPackets(const QString &path, int streamIndex)
{
    ff::InputFormatPtr format;
    if (!ff::openInput(path, &format, nullptr))
        return 0;
    ff::PacketPtr packet = ff::allocPacket();
    int64_t count = 0;
    while (packet && av_read_frame(format.get(), packet.get()) >= 0) {
        if (packet->stream_index == streamIndex)
            ++count;
        av_packet_unref(packet.get());
    }
    return count;
}
}  // namespace

MediaInfo probeMedia(const QString &path)
{
    MediaInfo info;
    ff::InputFormatPtr format;
    if (!ff::openInput(path, &format, &info.error))
        return info;
    info.container = QString::fromUtf8(format->iformat->name);
    if (format->duration != AV_NOPTS_VALUE)
        info.durationSec = double(format->duration) / AV_TIME_BASE;

    const int video = av_find_best_stream(format.get(), AVMEDIA_TYPE_VIDEO, -1, -1, nullptr, 0);
    if (video >= 0 && !(format->streams[video]->disposition & AV_DISPOSITION_ATTACHED_PIC)) {
        const AVStream *st = format->streams[video];
        const AVCodecParameters *par = st->codecpar;
        info.videoCodec = QString::fromUtf8(avcodec_get_name(par->codec_id));
        if (const char *name = av_get_pix_fmt_name(AVPixelFormat(par->format)))
            info.pixelFormat = QString::fromUtf8(name);
        info.width = par->width;
        info.height = par->height;
        info.fps = streamRate(st);
        info.videoFrames = st->nb_frames > 0 ? st->nb_frames : countPackets(path, video);
        if (st->duration != AV_NOPTS_VALUE && st->duration > 0)
            info.videoDurationSec = double(st->duration) * av_q2d(st->time_base);
        else if (info.fps.num > 0)
            info.videoDurationSec = double(info.videoFrames) / info.fps.toDouble();
    }
    const int audio = av_find_best_stream(format.get(), AVMEDIA_TYPE_AUDIO, -1, -1, nullptr, 0);
    if (audio >= 0) {
        const AVCodecParameters *par = format->streams[audio]->codecpar;
        info.audioCodec = QString::fromUtf8(avcodec_get_name(par->codec_id));
        info.audioSampleRate = par->sample_rate;
        info.audioChannels = ff::channelCount(par);
    }
    if (info.container.contains(QLatin1String("mp4")) || info.container.contains(QLatin1String("mov")))
        info.faststart = moovBeforeMdat(path);
    return info;
}

QImage decodeVideoFrame(const QString &path, double seconds, RenderError *error)
{
    VideoSource source;
    if (!source.open(path, 0, error))
        return {};
    // Microsecond ratio plus one microsecond, so a time computed as k / fps in floating point
    // still reaches frame k instead of stopping one tick short.
    const int64_t micros = std::max<int64_t>(0, std::llround(seconds * 1e6) + 1);
    return source.frameAt(micros, 1000000, QSize(), error);
}

std::vector<float> decodeAudio(const QString &path, double maxSeconds, RenderError *error)
{
    constexpr int kRate = 48000;
    std::vector<float> samples;
    bool truncated = false;
    const int64_t maxFrames = int64_t(std::ceil(std::max(0.0, maxSeconds) * kRate));
    if (!decodeAudioFile(path, kRate, 0, 1, maxFrames, &samples, &truncated, error))
        return {};
    if (truncated) {
        if (error) {
            error->kind = ErrorKind::InvalidInput;
            error->message = QCoreApplication::translate("render",
                                 "The audio of \"%1\" is longer than %2 seconds.")
                                 .arg(path).arg(maxSeconds);
        }
        return {};
    }
    return samples;
}

}  // namespace render
