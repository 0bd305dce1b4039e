// SPDX-License-Identifier: GPL-3.0-or-later
#include "input.h"
#include "frame_memory.h"

#include <QCoreApplication>
#include <QFile>
#include <QFileInfo>

#include <mutex>

namespace render::ff {

namespace {
// 8192 x 8192: larger than any format we export, small enough that a hostile header cannot
// make a decoder allocate gigabytes.
constexpr int64_t kMaxPixels = int64_t(8192) * 8192;
// Enough to find the streams of any sane MP4/MOV/WAV without reading a whole broken file.
constexpr int64_t kProbeSize = 32 * 1024 * 1024;
constexpr int64_t kAnalyzeDurationUs = 10 * AV_TIME_BASE;
constexpr int kMaxSide = 8192;
// Only container formats that hold one file's own media. Playlists and scripts (hls, concat,
// dash, image2 sequences ...) would make libav open other files named inside the media file,
// so a file that is really one of those is refused whatever its extension says.
constexpr const char *kFormatWhitelist =
    "mov,mp4,m4a,3gp,3g2,mj2,matroska,webm,avi,wav,w64,aiff,mp3,aac,flac,ogg,mpegts,"
    "yuv4mpegpipe";

// Process-wide decoder-open tally behind render::debugCounters(). Opens are rare (once per
// source per export), so one mutex costs nothing.
std::mutex g_countersMutex;
DebugCounters g_counters;

void noteDecoderOpen(const QString &path)
{
    std::lock_guard lock(g_countersMutex);
    ++g_counters.decoderOpens[path];
    ++g_counters.totalDecoderOpens;
}
}  // namespace

void quietLogging()
{
    static std::once_flag once;
    std::call_once(once, [] {
        if (!qEnvironmentVariableIsSet("CAMPAIGN_FFMPEG_VERBOSE"))
            av_log_set_level(AV_LOG_ERROR);
    });
}

QString errorText(int averror)
{
    char buffer[AV_ERROR_MAX_STRING_SIZE] = {};
    av_strerror(averror, buffer, sizeof buffer);
    return QString::fromUtf8(buffer);
}

bool checkSourceFile(const QString &path, const QString &what, RenderError *error)
{
    const QFileInfo info(path);
    if (info.exists() && info.isFile() && info.size() > 0)
        return true;
    if (error) {
        error->kind = ErrorKind::MissingInput;
        if (path.isEmpty())
            error->message = QCoreApplication::translate("render",
                                 "A %1 layer has no source file. Assign an asset to it.")
                                 .arg(what);
        else if (info.isFile())
            error->message = QCoreApplication::translate("render",
                                 "The %1 source \"%2\" is empty (0 bytes). Relink the asset or "
                                 "generate it again.")
                                 .arg(what, path);
        else if (info.exists())
            error->message = QCoreApplication::translate("render",
                                 "The %1 source \"%2\" is not a regular file. Relink the asset "
                                 "to a media file.")
                                 .arg(what, path);
        else
            error->message = QCoreApplication::translate("render",
                                 "The %1 source \"%2\" does not exist. Relink the asset or "
                                 "generate it again.")
                                 .arg(what, path);
    }
    return false;
}

bool openInput(const QString &path, InputFormatPtr *out, RenderError *error)
{
    if (!checkSourceFile(path, QCoreApplication::translate("render", "media"), error))
        return false;
    quietLogging();
    Dictionary options;
    options.set("protocol_whitelist", "file");
    options.set("format_whitelist", kFormatWhitelist);
    options.set("probesize", kProbeSize);
    options.set("analyzeduration", kAnalyzeDurationUs);
    AVFormatContext *raw = nullptr;
    // "file:" keeps a path with a colon from being read as a protocol prefix.
    const QByteArray url = "file:" + QFile::encodeName(path);
    int ret = avformat_open_input(&raw, url.constData(), nullptr, options.address());
    InputFormatPtr format(raw);
    if (ret >= 0)
        ret = avformat_find_stream_info(format.get(), nullptr);
    if (ret < 0) {
        if (error) {
            error->kind = ErrorKind::InvalidInput;
            error->message = QCoreApplication::translate("render",
                                 "Cannot read \"%1\" (%2). The file is damaged or not a "
                                 "supported media format.")
                                 .arg(path, errorText(ret));
        }
        return false;
    }
    *out = std::move(format);
    return true;
}

bool openDecoder(const QString &path, AVMediaType type, int threads, DecoderInput *out,
                 RenderError *error)
{
    noteDecoderOpen(path);
    DecoderInput in;
    if (!openInput(path, &in.format, error))
        return false;
    auto fail = [&](const QString &message) {
        if (error) {
            error->kind = ErrorKind::InvalidInput;
            error->message = message;
        }
        return false;
    };
    const AVCodec *decoder = nullptr;
    const int index = av_find_best_stream(in.format.get(), type, -1, -1, &decoder, 0);
    if (index < 0 || !decoder)
        return fail(type == AVMEDIA_TYPE_VIDEO
                        ? QCoreApplication::translate("render",
                              "\"%1\" has no decodable video stream.").arg(path)
                        : QCoreApplication::translate("render",
                              "\"%1\" has no decodable audio stream.").arg(path));
    in.streamIndex = index;
    in.stream = in.format->streams[index];
    // Refuse a declared size over the limit before a decoder is opened for it.
    const AVCodecParameters *par = in.stream->codecpar;
    if (type == AVMEDIA_TYPE_VIDEO
        && (par->width > kMaxSide || par->height > kMaxSide
            || int64_t(par->width) * par->height > kMaxPixels))
        return fail(QCoreApplication::translate("render",
                        "Video resolution %1×%2 of \"%3\" exceeds %4×%4.")
                        .arg(par->width).arg(par->height).arg(path).arg(kMaxSide));
    // Only the chosen stream is demuxed into packets we look at; the others are dropped early.
    for (unsigned i = 0; i < in.format->nb_streams; ++i)
        in.format->streams[i]->discard = int(i) == index ? AVDISCARD_DEFAULT : AVDISCARD_ALL;

    in.codec.reset(avcodec_alloc_context3(decoder));
    if (!in.codec)
        return fail(QCoreApplication::translate("render", "Out of memory opening \"%1\".").arg(path));
    int ret = avcodec_parameters_to_context(in.codec.get(), in.stream->codecpar);
    if (ret >= 0) {
        in.codec->pkt_timebase = in.stream->time_base;
        in.codec->max_pixels = kMaxPixels;
        in.codec->thread_count = threads;
        in.codec->thread_type = FF_THREAD_FRAME | FF_THREAD_SLICE;
        useRecycledFrames(in.codec.get());
        ret = avcodec_open2(in.codec.get(), decoder, nullptr);
    }
    if (ret < 0)
        return fail(QCoreApplication::translate("render",
                        "Cannot decode \"%1\" with %2 (%3). Convert it to H.264/AAC MP4, PNG "
                        "or WAV.")
                        .arg(path, QString::fromUtf8(decoder->name), errorText(ret)));
    *out = std::move(in);
    return true;
}

}  // namespace render::ff

namespace render {

void countExportedFrame(bool yuv)
{
    std::lock_guard lock(ff::g_countersMutex);
    ++(yuv ? ff::g_counters.yuvFrames : ff::g_counters.rgbFrames);
}

DebugCounters debugCounters()
{
    std::lock_guard lock(ff::g_countersMutex);
    return ff::g_counters;
}

void resetDebugCounters()
{
    std::lock_guard lock(ff::g_countersMutex);
    ff::g_counters = DebugCounters();
}

}  // namespace render
