// SPDX-License-Identifier: GPL-3.0-or-later
// H.264 (libx264) + AAC (FFmpeg's native encoder) into MP4, through a partial file that is
// renamed into place only once complete (see output_file.h). Every failure path aborts, so a
// failed writer never leaves a partial file behind.
//
// The video is encoded in fixed chunks, each by its own single-threaded encoder starting on
// a keyframe, and joined at the packet level. x264 with several threads gave different bytes
// run to run on identical frames; chunks give both cores to one variant with bytes that do
// not depend on how many ran at once (see bench/README.md).
#include "audio_mix.h"
#include "encoder_memory.h"
#include "ffmpeg/input.h"
#include "output_file.h"
#include "output_metadata.h"
#include "renderer.h"
#include "soundtrack_cache.h"
#include "validate.h"
#include "yuv_convert.h"
#include "yuv_image.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QScopeGuard>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace render {

// One independent H.264 encoder per chunk of frames (see encodeChunkStarts): its own
// libx264 context and yuv frame, and the packets it produced, timestamped on the whole
// video's frame clock.
struct EncodeChunk {
    int64_t start = 0, end = 0;  // frames [start, end)
    ff::CodecContextPtr codec;
    ff::FramePtr yuv;
    ff::FramePtr given;          // a YuvImage's planes, handed to the encoder where they are
    std::vector<ff::PacketPtr> packets;
    int64_t sent = 0;            // frames handed to the encoder
    bool closed = false;         // flushed, encoder freed
};

struct VideoWriter::Impl {
    QString finalPath;
    QString partialPath;
    bool open = false;
    int width = 0, height = 0;
    FrameRate fps;
    EncodeSettings settings;
    bool withAudio = false;

    ff::OutputFormatPtr muxer;
    ff::CodecContextPtr audio;
    AVStream *videoStream = nullptr;
    AVStream *audioStream = nullptr;
    AVRational videoTimeBase{1, 30};
    QByteArray extradata;  // the first chunk's SPS/PPS; every chunk must produce the same
    ff::FramePtr audioFrame;
    ff::PacketPtr packet;
    std::vector<EncodeChunk> chunks;
    std::vector<ff::PacketPtr> audioPackets;
    size_t current = 0;             // writeFrame(): the chunk being filled

    int64_t audioSamplesSent = 0;   // sample frames handed to the encoder (= next pts)
    std::vector<float> audioFifo;   // interleaved, not yet a whole encoder frame
    int64_t wholeAudioFrames = -1;  // writeWholeAudio(): the video length it was encoded for

    bool fail(RenderError *error, ErrorKind kind, const QString &message)
    {
        setError(error, kind, message);
        abort();
        return false;
    }
    static bool setError(RenderError *error, ErrorKind kind, const QString &message)
    {
        if (error) {
            error->kind = kind;
            error->message = message;
        }
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
        chunks.clear();
        audio.reset();
        audioPackets.clear();
        removePartialFile(partialPath);
        partialPath.clear();
        open = false;
    }
    int64_t framesSent() const
    {
        int64_t n = 0;
        for (const EncodeChunk &chunk : chunks)
            n += chunk.sent;
        return n;
    }

    // The chunk functions touch only their own chunk (and read the fixed settings), so
    // different chunks may run on different threads; they report without aborting.
    bool openChunk(EncodeChunk &chunk, RenderError *error);
    // One of `rgb` (converted here) or `yuv` (copied) is the frame.
    bool encodeChunkFrame(EncodeChunk &chunk, const QImage *rgb, const YuvImage *yuv,
                          RenderError *error);
    bool closeChunk(EncodeChunk &chunk, RenderError *error);
    bool collectVideo(EncodeChunk &chunk, RenderError *error);
    bool openAudio(RenderError *error);
    bool collectAudio(RenderError *error);
    bool encodeAudio(int samples, RenderError *error);
    // Pads with silence or cuts what is queued to `target` sample frames, encodes it all and
    // drains the encoder.
    bool encodeAudioTo(int64_t target, RenderError *error);
    int audioFrameSize() const { return audio->frame_size > 0 ? audio->frame_size : 1024; }
    bool mux(RenderError *error);
};

namespace {
QString tr(const char *text) { return QCoreApplication::translate("render", text); }
QString outOfMemory()
{
    return tr("Out of memory. Close other programs or export fewer variants at once, then "
              "export again.");
}
}  // namespace

std::vector<int64_t> encodeChunkStarts(int64_t frameCount, FrameRate fps)
{
    const double seconds = fps.num > 0 && fps.den > 0 ? double(frameCount) / fps.toDouble() : 0.0;
    if (frameCount < 2 || seconds < 4.0)
        return {0};
    // An even number of chunks of about 7.5 s (two for a 15 s ad), none shorter than two
    // seconds; a keyframe more per chunk costs little, as the encoder places one every two
    // seconds anyway. Fewer, longer chunks won over 3.75 s ones: each chunk rendered on its
    // own core opens its own encoder and sources (a clip it starts inside of is decoded from
    // its keyframe), and the reference variant was no faster with four chunks on 2 cores
    // (6.15-6.74 s against 6.20-6.44 s) while faulting in 108k pages against 82k.
    int chunks = std::max(2, 2 * int(std::lround(seconds / 15.0)));
    chunks = std::min(chunks, std::max(1, int(seconds / 2.0)));
    std::vector<int64_t> starts;
    for (int k = 0; k < chunks; ++k)
        starts.push_back(frameCount * k / chunks);
    return starts;
}

bool VideoWriter::Impl::openChunk(EncodeChunk &chunk, RenderError *error)
{
    const AVCodec *codec = avcodec_find_encoder_by_name("libx264");
    if (!codec)
        return setError(error, ErrorKind::Internal,
                        tr("The H.264 encoder libx264 is not available in this FFmpeg build. "
                           "Install an FFmpeg with libx264 (Debian: libavcodec59)."));
    chunk.codec.reset(avcodec_alloc_context3(codec));
    if (!chunk.codec)
        return setError(error, ErrorKind::Internal,
                        tr("Out of memory opening the video encoder. Close other programs or "
                           "export fewer variants at once, then export again."));
    AVCodecContext *c = chunk.codec.get();
    c->width = width;
    c->height = height;
    c->pix_fmt = AV_PIX_FMT_YUV420P;
    c->time_base = videoTimeBase;  // one tick per frame, exact
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
        return setError(error, ErrorKind::Internal,
                        tr("Cannot start the H.264 encoder at %1×%2 (%3), most often because "
                           "memory ran out. Close other programs or export fewer variants at "
                           "once, then export again.")
                            .arg(width).arg(height).arg(ff::errorText(ret)));
    if (ret < 0)
        return setError(error, ErrorKind::InvalidInput,
                        tr("Cannot open the H.264 encoder with preset \"%1\" at %2×%3 (%4). Use "
                           "a standard x264 preset such as veryfast or medium.")
                            .arg(settings.x264Preset).arg(width).arg(height).arg(ff::errorText(ret)));
    // The chunks are one stream to the muxer: they must share the parameter sets, which
    // they do because they share every setting (checked, not assumed).
    const QByteArray headers(reinterpret_cast<const char *>(c->extradata), c->extradata_size);
    if (&chunk != &chunks.front() && headers != extradata)
        return setError(error, ErrorKind::Internal,
                        tr("The H.264 encoder produced different stream headers for two parts "
                           "of %1; cannot join them.").arg(finalPath));

    // RGB -> limited-range BT.709 YUV (matching the tags above) is done by rgb32ToYuv420p.
    chunk.yuv = ff::allocFrame();
    if (!chunk.yuv)
        return setError(error, ErrorKind::Internal, outOfMemory());
    AVFrame *yuv = chunk.yuv.get();
    yuv->format = AV_PIX_FMT_YUV420P;
    yuv->width = width;
    yuv->height = height;
    yuv->color_primaries = AVCOL_PRI_BT709;
    yuv->color_trc = AVCOL_TRC_BT709;
    yuv->colorspace = AVCOL_SPC_BT709;
    yuv->color_range = AVCOL_RANGE_MPEG;
    if (av_frame_get_buffer(yuv, 0) < 0)
        return setError(error, ErrorKind::Internal, outOfMemory());
    return true;
}

bool VideoWriter::Impl::collectVideo(EncodeChunk &chunk, RenderError *error)
{
    for (;;) {
        ff::PacketPtr out = ff::allocPacket();
        if (!out)
            return setError(error, ErrorKind::Internal, outOfMemory());
        const int ret = avcodec_receive_packet(chunk.codec.get(), out.get());
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return true;
        if (ret < 0)
            return setError(error, ErrorKind::Internal,
                            tr("Encoding failed (%1).").arg(ff::errorText(ret)));
        // FFmpeg 5.1's libx264 wrapper leaves durations unset; the muxer needs the last one
        // for the track to last exactly frameCount / fps.
        if (out->duration == 0)
            out->duration = 1;
        // Each encoder counts from 0; the stream counts from the chunk's first frame.
        out->pts += chunk.start;
        out->dts += chunk.start;
        chunk.packets.push_back(std::move(out));
    }
}

bool VideoWriter::Impl::encodeChunkFrame(EncodeChunk &chunk, const QImage *rgb,
                                         const YuvImage *given, RenderError *error)
{
    const QSize size = rgb ? rgb->size() : QSize(given->width(), given->height());
    if (size != QSize(width, height))
        return setError(error, ErrorKind::Internal,
                        tr("Frame size %1×%2 does not match the output %3×%4.")
                            .arg(size.width()).arg(size.height()).arg(width).arg(height));
    if (chunk.closed || chunk.sent >= chunk.end - chunk.start)
        return setError(error, ErrorKind::Internal, tr("More frames than the video has."));
    if (!chunk.codec && !openChunk(chunk, error))
        return false;
    AVFrame *yuv = chunk.yuv.get();
    if (given) {
        // No copy into our own frame: libx264 copies the picture into its own frames while
        // encoding it, and collectVideo() below drains the encoder, so the planes are free
        // again when this returns. The buffers only make the frame reference-counted (which
        // is what lets libavcodec take it without a copy); freeing them frees nothing.
        if (!chunk.given && !(chunk.given = ff::allocFrame()))
            return setError(error, ErrorKind::Internal, outOfMemory());
        AVFrame *wrap = chunk.given.get();
        av_frame_unref(wrap);
        wrap->format = yuv->format;
        wrap->width = width;
        wrap->height = height;
        wrap->color_primaries = yuv->color_primaries;
        wrap->color_trc = yuv->color_trc;
        wrap->colorspace = yuv->colorspace;
        wrap->color_range = yuv->color_range;
        for (int p = 0; p < 3; ++p) {
            wrap->data[p] = const_cast<uint8_t *>(given->plane(p));
            wrap->linesize[p] = given->stride(p);
            wrap->buf[p] = av_buffer_create(wrap->data[p],
                                            size_t(given->stride(p)) * size_t(given->planeSize(p).height()),
                                            [](void *, uint8_t *) {}, nullptr,
                                            AV_BUFFER_FLAG_READONLY);
            if (!wrap->buf[p])
                return setError(error, ErrorKind::Internal, outOfMemory());
        }
        yuv = wrap;
    } else {
        if (av_frame_make_writable(yuv) < 0)
            return setError(error, ErrorKind::Internal, outOfMemory());
        // RGB32 and premultiplied ARGB have the byte layout rgb32ToYuv420p expects (alpha is
        // ignored, premultiplied = composited over black); anything else is converted first.
        QImage converted;
        const QImage *source = rgb;
        if (rgb->format() != QImage::Format_RGB32
            && rgb->format() != QImage::Format_ARGB32_Premultiplied) {
            converted = rgb->convertToFormat(QImage::Format_RGB32);
            source = &converted;
        }
        rgb32ToYuv420p(*source, yuv->data[0], yuv->linesize[0], yuv->data[1], yuv->linesize[1],
                       yuv->data[2], yuv->linesize[2]);
    }
    yuv->pts = chunk.sent;
    const int ret = avcodec_send_frame(chunk.codec.get(), yuv);
    if (ret < 0) {
        // x264 reports a failed malloc as AVERROR_EXTERNAL ("Generic error in an external
        // library"), which alone tells the user nothing (RELIABILITY.md, Messages).
        const bool memory = ret == AVERROR(ENOMEM) || ret == AVERROR_EXTERNAL;
        return setError(error, ErrorKind::Internal,
                        memory ? tr("Video encoding failed (%1): the H.264 encoder stopped, most "
                                    "often because memory ran out. Close other programs or "
                                    "export fewer variants at once, then export again.")
                                     .arg(ff::errorText(ret))
                               : tr("Video encoding failed (%1).").arg(ff::errorText(ret)));
    }
    ++chunk.sent;
    if (!collectVideo(chunk, error))
        return false;
    if (given) {
        // Checked, not assumed: were the encoder still holding the planes, the caller's next
        // picture would change a frame not yet encoded.
        const bool released = av_buffer_get_ref_count(yuv->buf[0]) == 1;
        av_frame_unref(yuv);
        if (!released)
            return setError(error, ErrorKind::Internal,
                            tr("The H.264 encoder kept a frame it was handed (%1).").arg(finalPath));
    }
    // A finished chunk frees its encoder at once: one encoder's memory per writer at a time
    // when the chunks are filled one after another.
    return chunk.sent < chunk.end - chunk.start || closeChunk(chunk, error);
}

bool VideoWriter::Impl::closeChunk(EncodeChunk &chunk, RenderError *error)
{
    if (chunk.closed)
        return true;
    if (chunk.codec) {
        avcodec_send_frame(chunk.codec.get(), nullptr);
        if (!collectVideo(chunk, error))
            return false;
    }
    chunk.codec.reset();
    chunk.yuv.reset();
    chunk.closed = true;
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
        return fail(error, ErrorKind::Internal, outOfMemory());
    return true;
}

bool VideoWriter::Impl::collectAudio(RenderError *error)
{
    for (;;) {
        ff::PacketPtr out = ff::allocPacket();
        if (!out)
            return setError(error, ErrorKind::Internal, outOfMemory());
        const int ret = avcodec_receive_packet(audio.get(), out.get());
        if (ret == AVERROR(EAGAIN) || ret == AVERROR_EOF)
            return true;
        if (ret < 0)
            return setError(error, ErrorKind::Internal,
                            tr("Encoding failed (%1).").arg(ff::errorText(ret)));
        audioPackets.push_back(std::move(out));
    }
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

bool VideoWriter::Impl::encodeAudio(int samples, RenderError *error)
{
    AVFrame *f = audioFrame.get();
    av_frame_unref(f);
    f->format = AV_SAMPLE_FMT_FLTP;
    f->sample_rate = settings.audioSampleRate;
    f->nb_samples = samples;
    ff::setStereo(&f->ch_layout);
    if (av_frame_get_buffer(f, 0) < 0)
        return setError(error, ErrorKind::Internal, outOfMemory());
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
        return setError(error, ErrorKind::Internal,
                        tr("Audio encoding failed (%1).").arg(ff::errorText(ret)));
    return collectAudio(error);
}

bool VideoWriter::open(const QString &outputPath, int width, int height, FrameRate fps,
                       const EncodeSettings &settings, bool withAudio, RenderError *error,
                       int64_t frameCount)
{
    ff::quietLogging();
    makeEncodesRepeatable();
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
    d->videoTimeBase = AVRational{fps.den, fps.num};
    // Unknown length: one chunk that takes every frame.
    const std::vector<int64_t> starts =
        frameCount > 0 ? encodeChunkStarts(frameCount, fps) : std::vector<int64_t>{0};
    for (size_t k = 0; k < starts.size(); ++k) {
        EncodeChunk chunk;
        chunk.start = starts[k];
        chunk.end = k + 1 < starts.size() ? starts[k + 1]
                                          : (frameCount > 0 ? frameCount : INT64_MAX);
        d->chunks.push_back(std::move(chunk));
    }
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
        return d->fail(error, ErrorKind::Internal, outOfMemory());
    // The first chunk's encoder is opened now: its parameter sets go into the header, and a
    // preset or memory problem shows before any frame is drawn.
    EncodeChunk &first = d->chunks.front();
    if (!d->openChunk(first, error)) {
        d->abort();
        return false;
    }
    AVCodecContext *firstCodec = first.codec.get();
    d->extradata = QByteArray(reinterpret_cast<const char *>(firstCodec->extradata),
                              firstCodec->extradata_size);
    d->videoStream = avformat_new_stream(d->muxer.get(), nullptr);
    if (!d->videoStream || avcodec_parameters_from_context(d->videoStream->codecpar, firstCodec) < 0)
        return d->fail(error, ErrorKind::Internal, tr("Cannot add the video stream."));
    d->videoStream->time_base = d->videoTimeBase;
    d->videoStream->avg_frame_rate = firstCodec->framerate;
    if (withAudio && !d->openAudio(error))
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
    d->open = true;
    return true;
}

int VideoWriter::chunkCount() const
{
    return int(d->chunks.size());
}

int64_t VideoWriter::chunkStart(int chunk) const
{
    return d->chunks.at(size_t(chunk)).start;
}

int64_t VideoWriter::chunkEnd(int chunk) const
{
    return d->chunks.at(size_t(chunk)).end;
}

bool VideoWriter::writeFrame(const QImage &frame, RenderError *error)
{
    return writeFrame(&frame, nullptr, error);
}

bool VideoWriter::writeFrame(const YuvImage &frame, RenderError *error)
{
    return writeFrame(nullptr, &frame, error);
}

bool VideoWriter::writeFrame(const QImage *rgb, const YuvImage *yuv, RenderError *error)
{
    if (!d->open)
        return d->fail(error, ErrorKind::Internal, tr("The video writer is not open."));
    // Frames in order fill the chunks one after another; each chunk's encoder is closed
    // before the next one opens.
    while (d->current + 1 < d->chunks.size()
           && d->chunks[d->current].sent >= d->chunks[d->current].end - d->chunks[d->current].start)
        ++d->current;
    if (!d->encodeChunkFrame(d->chunks[d->current], rgb, yuv, error)) {
        d->abort();
        return false;
    }
    return true;
}

bool VideoWriter::writeChunkFrame(int chunk, const QImage &frame, RenderError *error)
{
    return writeChunkFrame(chunk, &frame, nullptr, error);
}

bool VideoWriter::writeChunkFrame(int chunk, const YuvImage &frame, RenderError *error)
{
    return writeChunkFrame(chunk, nullptr, &frame, error);
}

bool VideoWriter::writeChunkFrame(int chunk, const QImage *rgb, const YuvImage *yuv,
                                  RenderError *error)
{
    if (!d->open || chunk < 0 || size_t(chunk) >= d->chunks.size())
        return Impl::setError(error, ErrorKind::Internal, tr("The video writer is not open."));
    return d->encodeChunkFrame(d->chunks[size_t(chunk)], rgb, yuv, error);
}

bool VideoWriter::writeAudio(const float *interleaved, int64_t sampleFrames, RenderError *error)
{
    // No abort on failure: chunk threads may be writing; the caller aborts (renderer.h).
    if (!d->open || !d->withAudio)
        return Impl::setError(error, ErrorKind::Internal, tr("The writer has no audio track."));
    if (sampleFrames <= 0)
        return true;
    if (d->wholeAudioFrames >= 0)
        return Impl::setError(error, ErrorKind::Internal, tr("The soundtrack was already written whole."));
    d->audioFifo.insert(d->audioFifo.end(), interleaved, interleaved + sampleFrames * 2);
    const int frameSize = d->audioFrameSize();
    while (int64_t(d->audioFifo.size() / 2) >= frameSize) {
        if (!d->encodeAudio(frameSize, error))
            return false;
    }
    return true;
}

bool VideoWriter::Impl::encodeAudioTo(int64_t target, RenderError *error)
{
    const int64_t queued = audioSamplesSent + int64_t(audioFifo.size() / 2);
    if (queued < target)
        audioFifo.resize(audioFifo.size() + size_t(target - queued) * 2, 0.0f);
    else if (queued > target)
        audioFifo.resize(size_t(std::max<int64_t>(0, target - audioSamplesSent)) * 2);
    const int frameSize = audioFrameSize();
    while (!audioFifo.empty()) {
        int samples = int(std::min<int64_t>(frameSize, int64_t(audioFifo.size() / 2)));
        // Encoders without small-last-frame support get a silent tail instead.
        if (samples < frameSize
            && !(audio->codec->capabilities
                 & (AV_CODEC_CAP_SMALL_LAST_FRAME | AV_CODEC_CAP_VARIABLE_FRAME_SIZE))) {
            audioFifo.resize(size_t(frameSize) * 2, 0.0f);
            samples = frameSize;
        }
        if (!encodeAudio(samples, error))
            return false;
    }
    avcodec_send_frame(audio.get(), nullptr);
    return collectAudio(error);
}

bool VideoWriter::writeWholeAudio(const float *interleaved, int64_t sampleFrames,
                                  int64_t videoFrames, RenderError *error)
{
    if (!d->open || !d->withAudio)
        return Impl::setError(error, ErrorKind::Internal, tr("The writer has no audio track."));
    if (d->wholeAudioFrames >= 0 || d->audioSamplesSent > 0 || !d->audioFifo.empty())
        return Impl::setError(error, ErrorKind::Internal, tr("The soundtrack was already written."));
    // Exactly the samples finish() would encode for a video of `videoFrames` frames.
    const int64_t target = samplesForFrames(std::max<int64_t>(0, videoFrames), d->fps,
                                            d->settings.audioSampleRate);
    const int64_t given = std::clamp<int64_t>(sampleFrames, 0, target);
    d->audioFifo.assign(interleaved, interleaved + given * 2);
    d->audioFifo.resize(size_t(target) * 2, 0.0f);
    const QByteArray key = soundtrackKey(d->audioFifo, d->settings.audioSampleRate,
                                         int(d->audio->bit_rate), d->audioFrameSize());
    if (std::optional<std::vector<ff::PacketPtr>> reused = claimSoundtrack(key)) {
        d->audioPackets = std::move(*reused);
        d->audioFifo.clear();
        d->audioSamplesSent = target;
        d->wholeAudioFrames = std::max<int64_t>(0, videoFrames);
        return true;
    }
    bool published = false;
    const auto abandonOnExit = qScopeGuard([&] {
        if (!published)
            abandonSoundtrack(key);
    });
    if (!d->encodeAudioTo(target, error))
        return false;
    publishSoundtrack(key, d->audioPackets);
    published = true;
    d->wholeAudioFrames = std::max<int64_t>(0, videoFrames);
    return true;
}

bool VideoWriter::Impl::mux(RenderError *error)
{
    // The chunks' packets in order, interleaved with the audio by decode time, so the file
    // is laid out as if one encoder had made it. Decode times must keep rising across a
    // chunk boundary: x264 starts a chunk's decode clock its B-frame delay early, and the
    // previous chunk ends that much early too, so they do (checked, the muxer needs it).
    std::vector<AVPacket *> video;
    for (EncodeChunk &chunk : chunks)
        for (ff::PacketPtr &p : chunk.packets)
            video.push_back(p.get());
    for (size_t i = 1; i < video.size(); ++i) {
        if (video[i]->dts <= video[i - 1]->dts)
            return fail(error, ErrorKind::Internal,
                        tr("The parts of %1 do not join (decode time %2 after %3).")
                            .arg(finalPath).arg(video[i]->dts).arg(video[i - 1]->dts));
    }
    const AVRational audioTimeBase = audio ? audio->time_base : AVRational{1, 1};
    size_t v = 0, a = 0;
    while (v < video.size() || a < audioPackets.size()) {
        const bool takeVideo = a >= audioPackets.size()
            || (v < video.size()
                && av_compare_ts(video[v]->dts, videoTimeBase, audioPackets[a]->dts,
                                 audioTimeBase) <= 0);
        AVPacket *p = takeVideo ? video[v++] : audioPackets[a++].get();
        AVStream *stream = takeVideo ? videoStream : audioStream;
        av_packet_rescale_ts(p, takeVideo ? videoTimeBase : audioTimeBase, stream->time_base);
        p->stream_index = stream->index;
        const int ret = av_interleaved_write_frame(muxer.get(), p);
        if (ret < 0)
            return failWrite(error, ret);
    }
    return true;
}

bool VideoWriter::finish(RenderError *error)
{
    if (!d->open)
        return d->fail(error, ErrorKind::Internal, tr("The video writer is not open."));
    for (EncodeChunk &chunk : d->chunks) {
        if (!d->closeChunk(chunk, error)) {
            d->abort();
            return false;
        }
    }
    const int64_t framesWritten = d->framesSent();
    if (d->withAudio && d->wholeAudioFrames >= 0 && d->wholeAudioFrames != framesWritten) {
        return d->fail(error, ErrorKind::Internal,
                       tr("The soundtrack of %1 was made for %2 frames, the video has %3.")
                           .arg(d->finalPath).arg(d->wholeAudioFrames).arg(framesWritten));
    }
    // The audio track lasts exactly as long as the video.
    if (d->withAudio && d->wholeAudioFrames < 0
        && !d->encodeAudioTo(samplesForFrames(framesWritten, d->fps, d->settings.audioSampleRate),
                             error)) {
        d->abort();
        return false;
    }
    if (!d->mux(error))
        return false;
    d->chunks.clear();
    d->audioPackets.clear();
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
    d->audio.reset();
    return true;
}

void VideoWriter::abort()
{
    d->abort();
}

}  // namespace render
