// SPDX-License-Identifier: GPL-3.0-or-later
// H.264 (libx264) + AAC (FFmpeg's native encoder) into MP4, through a partial file that is
// renamed into place only once complete (see output_file.h). Every failure path aborts, so a
// failed writer never leaves a partial file behind.
#include "audio_mix.h"
#include "ffmpeg/input.h"
#include "output_file.h"
#include "output_metadata.h"
#include "renderer.h"
#include "validate.h"
#include "yuv_convert.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <algorithm>
#include <cmath>

namespace render {

struct VideoWriter::Impl {
    QString finalPath;
    QString partialPath;
    bool open = false;
    bool headerWritten = false;
    int width = 0, height = 0;
    FrameRate fps;
    EncodeSettings settings;
    bool withAudio = false;

    ff::OutputFormatPtr muxer;
    ff::CodecContextPtr video;
    ff::CodecContextPtr audio;
    AVStream *videoStream = nullptr;
    AVStream *audioStream = nullptr;
    ff::FramePtr yuv;
    ff::FramePtr audioFrame;
    ff::PacketPtr packet;

    int64_t framesWritten = 0;
    int64_t audioSamplesSent = 0;   // sample frames handed to the encoder (= next pts)
    std::vector<float> audioFifo;   // interleaved, not yet a whole encoder frame

    bool fail(RenderError *error, ErrorKind kind, const QString &message)
    {
        if (error) {
            error->kind = kind;
            error->message = message;
        }
        abort();
        return false;
    }
    bool failWrite(RenderError *error, int averror)
    {
        const int errnoValue = averror < 0 && averror > -4096 ? -averror : 0;
        const RenderError failure = writeFailure(finalPath, errnoValue, ff::errorText(averror));
        return fail(error, failure.kind, failure.message);
    }
    void abort()
    {
        // Closing the muxer without a trailer leaves garbage, which the unlink removes.
        muxer.reset();
        video.reset();
        audio.reset();
        removePartialFile(partialPath);
        partialPath.clear();
        open = false;
    }

    bool openVideo(RenderError *error);
    bool openAudio(RenderError *error);
    bool drain(AVCodecContext *codec, AVStream *stream, RenderError *error);
    bool encodeAudio(int samples, RenderError *error);
};

namespace {
QString tr(const char *text) { return QCoreApplication::translate("render", text); }
}  // namespace

bool VideoWriter::Impl::openVideo(RenderError *error)
{
    const AVCodec *codec = avcodec_find_encoder_by_name("libx264");
    if (!codec)
        return fail(error, ErrorKind::Internal,
                    tr("The H.264 encoder libx264 is not available in this FFmpeg build. "
                       "Install an FFmpeg with libx264 (Debian: libavcodec59)."));
    video.reset(avcodec_alloc_context3(codec));
    if (!video)
        return fail(error, ErrorKind::Internal, tr("Out of memory opening the video encoder. Close other programs or export fewer "
                                                   "variants at once, then export again."));
    AVCodecContext *c = video.get();
    c->width = width;
    c->height = height;
    c->pix_fmt = AV_PIX_FMT_YUV420P;
    c->time_base = AVRational{fps.den, fps.num};  // one tick per frame, exact
    c->framerate = AVRational{fps.num, fps.den};
    c->sample_aspect_ratio = AVRational{1, 1};
    // A keyframe about every two seconds: seekable in players and editors, cheap in bits.
    c->gop_size = settings.keyframeInterval > 0
        ? settings.keyframeInterval
        : std::max(1, int(std::lround(2.0 * fps.toDouble())));
    c->color_primaries = AVCOL_PRI_BT709;
    c->color_trc = AVCOL_TRC_BT709;
    c->colorspace = AVCOL_SPC_BT709;
    c->color_range = AVCOL_RANGE_MPEG;
    c->thread_count = std::max(0, settings.threads);
    if (muxer->oformat->flags & AVFMT_GLOBALHEADER)
        c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    const QByteArray preset = settings.x264Preset.toUtf8();
    av_opt_set(c->priv_data, "preset", preset.constData(), 0);
    av_opt_set_double(c->priv_data, "crf", std::clamp(settings.crf, 0, 51), 0);
    int ret = avcodec_open2(c, codec, nullptr);
    // An unknown preset is EINVAL; x264_encoder_open failing (its frame buffers could not be
    // allocated) comes back as AVERROR_EXTERNAL, and a preset hint would send the user the
    // wrong way.
    if (ret == AVERROR(ENOMEM) || ret == AVERROR_EXTERNAL)
        return fail(error, ErrorKind::Internal,
                    tr("Cannot start the H.264 encoder at %1×%2 (%3), most often because memory "
                       "ran out. Close other programs or export fewer variants at once, then "
                       "export again.")
                        .arg(width).arg(height).arg(ff::errorText(ret)));
    if (ret < 0)
        return fail(error, ErrorKind::InvalidInput,
                    tr("Cannot open the H.264 encoder with preset \"%1\" at %2×%3 (%4). Use a "
                       "standard x264 preset such as veryfast or medium.")
                        .arg(settings.x264Preset).arg(width).arg(height).arg(ff::errorText(ret)));
    videoStream = avformat_new_stream(muxer.get(), nullptr);
    if (!videoStream || avcodec_parameters_from_context(videoStream->codecpar, c) < 0)
        return fail(error, ErrorKind::Internal, tr("Cannot add the video stream."));
    videoStream->time_base = c->time_base;
    videoStream->avg_frame_rate = c->framerate;

    // RGB -> limited-range BT.709 YUV (matching the tags above) is done by rgb32ToYuv420p.
    yuv = ff::allocFrame();
    if (!yuv)
        return fail(error, ErrorKind::Internal, tr("Out of memory. Close other programs or export fewer variants at once, then "
                                                     "export again."));
    yuv->format = AV_PIX_FMT_YUV420P;
    yuv->width = width;
    yuv->height = height;
    yuv->color_primaries = AVCOL_PRI_BT709;
    yuv->color_trc = AVCOL_TRC_BT709;
    yuv->colorspace = AVCOL_SPC_BT709;
    yuv->color_range = AVCOL_RANGE_MPEG;
    if (av_frame_get_buffer(yuv.get(), 0) < 0)
        return fail(error, ErrorKind::Internal, tr("Out of memory. Close other programs or export fewer variants at once, then "
                                                     "export again."));
    return true;
}

bool VideoWriter::Impl::openAudio(RenderError *error)
{
    const AVCodec *codec = avcodec_find_encoder_by_name("aac");
    if (!codec)
        return fail(error, ErrorKind::Internal, tr("FFmpeg's AAC encoder is not available."));
    audio.reset(avcodec_alloc_context3(codec));
    if (!audio)
        return fail(error, ErrorKind::Internal, tr("Out of memory opening the audio encoder. Close other programs or export fewer "
                                                   "variants at once, then export again."));
    AVCodecContext *c = audio.get();
    c->sample_fmt = AV_SAMPLE_FMT_FLTP;
    c->sample_rate = settings.audioSampleRate;
    ff::setStereo(&c->ch_layout);
    c->bit_rate = settings.audioBitrate;
    c->time_base = AVRational{1, settings.audioSampleRate};
    if (muxer->oformat->flags & AVFMT_GLOBALHEADER)
        c->flags |= AV_CODEC_FLAG_GLOBAL_HEADER;
    const int ret = avcodec_open2(c, codec, nullptr);
    if (ret < 0)
        return fail(error, ErrorKind::InvalidInput,
                    tr("Cannot open the AAC encoder at %1 Hz, %2 bit/s (%3).")
                        .arg(settings.audioSampleRate).arg(settings.audioBitrate)
                        .arg(ff::errorText(ret)));
    audioStream = avformat_new_stream(muxer.get(), nullptr);
    if (!audioStream || avcodec_parameters_from_context(audioStream->codecpar, c) < 0)
        return fail(error, ErrorKind::Internal, tr("Cannot add the audio stream."));
    audioStream->time_base = c->time_base;
    audioFrame = ff::allocFrame();
    if (!audioFrame)
        return fail(error, ErrorKind::Internal, tr("Out of memory. Close other programs or export fewer variants at once, then "
                                                     "export again."));
    return true;
}

bool VideoWriter::Impl::drain(AVCodecContext *codec, AVStream *stream, RenderError *error)
{
    for (;;) {
        int ret = avcodec_receive_packet(codec, packet.get());
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return true;
        if (ret < 0)
            return fail(error, ErrorKind::Internal,
                        tr("Encoding failed (%1).").arg(ff::errorText(ret)));
        // FFmpeg 5.1's libx264 wrapper leaves durations unset; the muxer needs the last one
        // for the track to last exactly frameCount / fps.
        if (codec == video.get() && packet->duration == 0)
            packet->duration = 1;
        av_packet_rescale_ts(packet.get(), codec->time_base, stream->time_base);
        packet->stream_index = stream->index;
        ret = av_interleaved_write_frame(muxer.get(), packet.get());
        av_packet_unref(packet.get());
        if (ret < 0)
            return failWrite(error, ret);
    }
}

bool VideoWriter::Impl::encodeAudio(int samples, RenderError *error)
{
    AVFrame *f = audioFrame.get();
    av_frame_unref(f);
    f->format = AV_SAMPLE_FMT_FLTP;
    f->sample_rate = settings.audioSampleRate;
    f->nb_samples = samples;
    ff::setStereo(&f->ch_layout);
    if (av_frame_get_buffer(f, 0) < 0)
        return fail(error, ErrorKind::Internal, tr("Out of memory. Close other programs or export fewer variants at once, then "
                                                     "export again."));
    auto *left = reinterpret_cast<float *>(f->data[0]);
    auto *right = reinterpret_cast<float *>(f->data[1]);
    for (int i = 0; i < samples; ++i) {
        left[i] = audioFifo[size_t(i) * 2];
        right[i] = audioFifo[size_t(i) * 2 + 1];
    }
    audioFifo.erase(audioFifo.begin(), audioFifo.begin() + ptrdiff_t(samples) * 2);
    f->pts = audioSamplesSent;
    audioSamplesSent += samples;
    const int ret = avcodec_send_frame(audio.get(), f);
    if (ret < 0)
        return fail(error, ErrorKind::Internal,
                    tr("Audio encoding failed (%1).").arg(ff::errorText(ret)));
    return drain(audio.get(), audioStream, error);
}

VideoWriter::VideoWriter()
    : d(std::make_unique<Impl>())
{
}

VideoWriter::~VideoWriter()
{
    if (d->open || !d->partialPath.isEmpty())
        d->abort();
}

bool VideoWriter::open(const QString &outputPath, int width, int height, FrameRate fps,
                       const EncodeSettings &settings, bool withAudio, RenderError *error)
{
    ff::quietLogging();
    if (d->open)
        d->abort();
    *d = Impl();
    d->finalPath = QFileInfo(outputPath).absoluteFilePath();
    d->width = width;
    d->height = height;
    d->fps = fps;
    d->settings = settings;
    d->withAudio = withAudio;
    if (width < 2 || height < 2 || width > kMaxDimension || height > kMaxDimension
        || width % 2 || height % 2)
        return d->fail(error, ErrorKind::InvalidInput,
                       tr("Cannot encode %1×%2: H.264 output needs even sizes from 2 to %3 pixels.")
                           .arg(width).arg(height).arg(kMaxDimension));
    if (fps.num <= 0 || fps.den <= 0)
        return d->fail(error, ErrorKind::InvalidInput,
                       tr("Invalid frame rate %1/%2.").arg(fps.num).arg(fps.den));
    if (withAudio && (settings.audioSampleRate < 8000 || settings.audioSampleRate > 96000))
        return d->fail(error, ErrorKind::InvalidInput,
                       tr("Invalid audio sample rate %1.").arg(settings.audioSampleRate));
    if (!createPartialFile(d->finalPath, &d->partialPath, error))
        return false;

    const AVOutputFormat *mp4 = av_guess_format("mp4", nullptr, nullptr);
    AVFormatContext *raw = nullptr;
    const QByteArray partial = d->partialPath.toUtf8();
    if (!mp4 || avformat_alloc_output_context2(&raw, mp4, nullptr, partial.constData()) < 0)
        return d->fail(error, ErrorKind::Internal, tr("The MP4 muxer is not available."));
    d->muxer.reset(raw);
    d->packet = ff::allocPacket();
    if (!d->packet)
        return d->fail(error, ErrorKind::Internal, tr("Out of memory. Close other programs or export fewer variants at once, then "
                                                     "export again."));
    if (!d->openVideo(error) || (withAudio && !d->openAudio(error)))
        return false;

    // Container tags for readers that do not parse XMP (ffprobe, players' "info" panes). The
    // mov muxer writes "encoding_tool" as the ©too atom, which readers report as "encoder";
    // the plain "encoder" key would be overwritten with libavformat's own name.
    const OutputMetadata &meta = settings.metadata;
    const auto setTag = [&](const char *key, const QString &value) {
        if (!value.isEmpty())
            av_dict_set(&d->muxer->metadata, key, value.toUtf8().constData(), 0);
    };
    setTag("encoding_tool", meta.creatorTool);
    setTag("title", meta.title);
    setTag("description", meta.description);
    setTag("comment", disclosureText(meta));

    int ret = avio_open(&d->muxer->pb, partial.constData(), AVIO_FLAG_WRITE);
    if (ret < 0)
        return d->failWrite(error, ret);
    ff::Dictionary options;
    // moov in front: the file starts playing before it is fully downloaded.
    options.set("movflags", "+faststart");
    ret = avformat_write_header(d->muxer.get(), options.address());
    if (ret < 0)
        return d->failWrite(error, ret);
    d->headerWritten = true;
    d->open = true;
    return true;
}

bool VideoWriter::writeFrame(const QImage &frame, RenderError *error)
{
    if (!d->open)
        return d->fail(error, ErrorKind::Internal, tr("The video writer is not open."));
    if (frame.size() != QSize(d->width, d->height))
        return d->fail(error, ErrorKind::Internal,
                       tr("Frame size %1×%2 does not match the output %3×%4.")
                           .arg(frame.width()).arg(frame.height()).arg(d->width).arg(d->height));
    // RGB32 and premultiplied ARGB have the byte layout AV_PIX_FMT_RGB32 expects (alpha is
    // ignored, premultiplied = composited over black); anything else is converted once here.
    QImage converted;
    const QImage *source = &frame;
    if (frame.format() != QImage::Format_RGB32
        && frame.format() != QImage::Format_ARGB32_Premultiplied) {
        converted = frame.convertToFormat(QImage::Format_RGB32);
        source = &converted;
    }
    if (av_frame_make_writable(d->yuv.get()) < 0)
        return d->fail(error, ErrorKind::Internal, tr("Out of memory. Close other programs or export fewer variants at once, then "
                                                     "export again."));
    rgb32ToYuv420p(*source, d->yuv->data[0], d->yuv->linesize[0], d->yuv->data[1],
                   d->yuv->linesize[1], d->yuv->data[2], d->yuv->linesize[2]);
    d->yuv->pts = d->framesWritten;
    const int ret = avcodec_send_frame(d->video.get(), d->yuv.get());
    if (ret < 0) {
        // x264 reports a failed malloc as AVERROR_EXTERNAL ("Generic error in an external
        // library"), which alone tells the user nothing (RELIABILITY.md, Messages).
        const bool memory = ret == AVERROR(ENOMEM) || ret == AVERROR_EXTERNAL;
        return d->fail(error, ErrorKind::Internal,
                       memory ? tr("Video encoding failed (%1): the H.264 encoder stopped, most "
                                   "often because memory ran out. Close other programs or "
                                   "export fewer variants at once, then export again.")
                                    .arg(ff::errorText(ret))
                              : tr("Video encoding failed (%1).").arg(ff::errorText(ret)));
    }
    ++d->framesWritten;
    return d->drain(d->video.get(), d->videoStream, error);
}

bool VideoWriter::writeAudio(const float *interleaved, int64_t sampleFrames, RenderError *error)
{
    if (!d->open || !d->withAudio)
        return d->fail(error, ErrorKind::Internal, tr("The writer has no audio track."));
    if (sampleFrames <= 0)
        return true;
    d->audioFifo.insert(d->audioFifo.end(), interleaved, interleaved + sampleFrames * 2);
    const int frameSize = d->audio->frame_size > 0 ? d->audio->frame_size : 1024;
    while (int64_t(d->audioFifo.size() / 2) >= frameSize) {
        if (!d->encodeAudio(frameSize, error))
            return false;
    }
    return true;
}

bool VideoWriter::finish(RenderError *error)
{
    if (!d->open)
        return d->fail(error, ErrorKind::Internal, tr("The video writer is not open."));
    if (d->withAudio) {
        // The audio track lasts exactly as long as the video: pad with silence or drop what
        // was queued beyond the last frame.
        const int64_t target = samplesForFrames(d->framesWritten, d->fps, d->settings.audioSampleRate);
        const int64_t queued = d->audioSamplesSent + int64_t(d->audioFifo.size() / 2);
        if (queued < target)
            d->audioFifo.resize(d->audioFifo.size() + size_t(target - queued) * 2, 0.0f);
        else if (queued > target)
            d->audioFifo.resize(size_t(std::max<int64_t>(0, target - d->audioSamplesSent)) * 2);
        const int frameSize = d->audio->frame_size > 0 ? d->audio->frame_size : 1024;
        while (!d->audioFifo.empty()) {
            int samples = int(std::min<int64_t>(frameSize, int64_t(d->audioFifo.size() / 2)));
            // Encoders without small-last-frame support get a silent tail instead.
            if (samples < frameSize
                && !(d->audio->codec->capabilities
                     & (AV_CODEC_CAP_SMALL_LAST_FRAME | AV_CODEC_CAP_VARIABLE_FRAME_SIZE))) {
                d->audioFifo.resize(size_t(frameSize) * 2, 0.0f);
                samples = frameSize;
            }
            if (!d->encodeAudio(samples, error))
                return false;
        }
        avcodec_send_frame(d->audio.get(), nullptr);
        if (!d->drain(d->audio.get(), d->audioStream, error))
            return false;
    }
    avcodec_send_frame(d->video.get(), nullptr);
    if (!d->drain(d->video.get(), d->videoStream, error))
        return false;
    int ret = av_write_trailer(d->muxer.get());
    if (ret < 0)
        return d->failWrite(error, ret);
    ret = avio_closep(&d->muxer->pb);
    if (ret < 0)
        return d->failWrite(error, ret);
    d->muxer.reset();
    // The XMP goes in after the trailer, on the partial file, so the final name only ever
    // holds a file that carries its disclosure.
    if (const QByteArray xmp = buildXmpPacket(d->settings.metadata);
        !xmp.isEmpty() && !appendMp4XmpBox(d->partialPath, xmp, error)) {
        d->abort();
        return false;
    }
    if (!commitPartialFile(d->partialPath, d->finalPath, error)) {
        d->abort();
        return false;
    }
    d->partialPath.clear();
    d->open = false;
    d->video.reset();
    d->audio.reset();
    return true;
}

void VideoWriter::abort()
{
    d->abort();
}

}  // namespace render
