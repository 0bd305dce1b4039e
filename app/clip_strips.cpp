// SPDX-License-Identifier: GPL-3.0-or-later
#include "clip_strips.h"

#include "render/audio_decode.h"
#include "render/image_source.h"
#include "render/renderer.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QPointer>
#include <QtConcurrent>

#include <algorithm>
#include <cmath>

namespace services {

namespace {

// Enough frames for a clip that fills a wide timeline; each one costs a seek and a decode.
constexpr int kMaxFilmstripFrames = 24;
// One filmstrip frame per second of source, within the limits above and below.
constexpr int kMinFilmstripFrames = 2;
constexpr int kAudioRate = 48000;
constexpr double kPeaksPerSecond = 100.0;  // 10 ms buckets: finer than any useful zoom
constexpr double kMaxAudioSeconds = 600.0;

QImage scaledToHeight(const QImage &image, int height)
{
    if (image.isNull() || image.height() <= height)
        return image;
    return image.scaledToHeight(height, Qt::SmoothTransformation);
}

std::shared_ptr<ClipStrip> failed(ClipStrip::Kind kind, const QString &message)
{
    auto strip = std::make_shared<ClipStrip>();
    strip->kind = kind;
    strip->error = message;
    return strip;
}

std::shared_ptr<const ClipStrip> makeFilmstrip(const QString &path, int height)
{
    const render::MediaInfo info = render::probeMedia(path);
    if (info.error)
        return failed(ClipStrip::Kind::Filmstrip, info.error.message);
    const double duration = info.videoDurationSec > 0 ? info.videoDurationSec : info.durationSec;
    const int count = std::clamp(int(std::ceil(duration)), kMinFilmstripFrames, kMaxFilmstripFrames);
    auto strip = std::make_shared<ClipStrip>();
    strip->kind = ClipStrip::Kind::Filmstrip;
    strip->durationSeconds = duration;
    for (int i = 0; i < count; ++i) {
        // The middle of each of `count` equal spans, so the first and last frames are inside
        // the source even when its end is not exactly where the header says.
        const double t = duration * (i + 0.5) / count;
        render::RenderError error;
        const QImage frame = render::decodeVideoFrame(path, t, &error);
        if (frame.isNull()) {
            if (strip->frames.empty())
                return failed(ClipStrip::Kind::Filmstrip, error.message);
            break;
        }
        strip->frames.push_back(scaledToHeight(frame, height));
        strip->frameTimes.push_back(t);
    }
    return strip;
}

std::shared_ptr<const ClipStrip> makeStill(const QString &path, int height)
{
    render::ImageInfo info;
    render::RenderError error;
    if (!render::probeImage(path, &info, &error))
        return failed(ClipStrip::Kind::Still, error.message);
    const double aspect =
        info.size.height() > 0 ? info.size.width() / info.size.height() : 1.0;
    const QSize size(std::max(1, int(std::lround(height * aspect))), height);
    const QImage image = render::loadImage(path, size, &error);
    if (image.isNull())
        return failed(ClipStrip::Kind::Still, error.message);
    auto strip = std::make_shared<ClipStrip>();
    strip->kind = ClipStrip::Kind::Still;
    strip->frames.push_back(image.size() == size ? image
                                                 : image.scaled(size, Qt::KeepAspectRatio,
                                                                Qt::SmoothTransformation));
    strip->frameTimes.push_back(0.0);
    return strip;
}

std::shared_ptr<const ClipStrip> makeWaveform(const QString &path)
{
    std::vector<float> samples;
    bool truncated = false;
    render::RenderError error;
    const auto maxFrames = int64_t(kMaxAudioSeconds * kAudioRate);
    if (!render::decodeAudioFile(path, kAudioRate, 0, 1, maxFrames, &samples, &truncated, &error))
        return failed(ClipStrip::Kind::Waveform, error.message);
    auto strip = std::make_shared<ClipStrip>();
    strip->kind = ClipStrip::Kind::Waveform;
    strip->peaksPerSecond = kPeaksPerSecond;
    const size_t frames = samples.size() / 2;
    strip->durationSeconds = double(frames) / kAudioRate;
    const auto bucket = size_t(kAudioRate / kPeaksPerSecond);
    strip->peaks.reserve(frames / bucket + 1);
    for (size_t first = 0; first < frames; first += bucket) {
        float peak = 0.0f;
        const size_t last = std::min(frames, first + bucket);
        for (size_t i = first * 2; i < last * 2; ++i)
            peak = std::max(peak, std::abs(samples[i]));
        strip->peaks.push_back(std::min(peak, 1.0f));
    }
    return strip;
}

}  // namespace

QImage ClipStrip::frameAt(double sourceSeconds) const
{
    if (frames.empty())
        return {};
    size_t best = 0;
    for (size_t i = 1; i < frameTimes.size(); ++i)
        if (std::abs(frameTimes[i] - sourceSeconds) < std::abs(frameTimes[best] - sourceSeconds))
            best = i;
    return frames[best];
}

float ClipStrip::peakBetween(double fromSeconds, double toSeconds) const
{
    if (peaks.empty() || peaksPerSecond <= 0)
        return 0.0f;
    const auto clampIndex = [&](double s) {
        return std::clamp<qsizetype>(qsizetype(s * peaksPerSecond), 0, qsizetype(peaks.size()));
    };
    const qsizetype a = clampIndex(fromSeconds);
    const qsizetype b = std::max(clampIndex(toSeconds), std::min(a + 1, qsizetype(peaks.size())));
    float peak = 0.0f;
    for (qsizetype i = a; i < b; ++i)
        peak = std::max(peak, peaks[size_t(i)]);
    return peak;
}

ClipStripCache::ClipStripCache(QObject *parent) : QObject(parent)
{
    m_pool.setMaxThreadCount(2);
}

ClipStripCache::~ClipStripCache()
{
    m_pool.clear();
    m_pool.waitForDone();
}

QString ClipStripCache::keyOf(const QString &path, Source source, int height)
{
    return QStringLiteral("%1|%2|%3").arg(int(source)).arg(source == Source::Audio ? 0 : height)
        .arg(path);
}

bool ClipStripCache::isPending(const QString &path, Source source, int height) const
{
    return m_pending.contains(keyOf(path, source, height));
}

std::shared_ptr<const ClipStrip> ClipStripCache::strip(const QString &path, Source source,
                                                       int height)
{
    const QString key = keyOf(path, source, height);
    if (const auto it = m_ready.constFind(key); it != m_ready.constEnd())
        return it.value();
    if (m_pending.contains(key))
        return nullptr;
    m_pending.insert(key);
    QPointer<ClipStripCache> self(this);
    QtConcurrent::run(&m_pool, [path, source, height] { return generate(path, source, height); })
        .then(this, [self, key, path](std::shared_ptr<const ClipStrip> result) {
            if (!self)
                return;
            self->m_pending.remove(key);
            self->m_ready.insert(key, std::move(result));
            emit self->stripReady(path);
        });
    return nullptr;
}

std::shared_ptr<const ClipStrip> ClipStripCache::generate(const QString &path, Source source,
                                                          int height)
{
    height = std::max(height, 8);
    if (path.isEmpty() || !QFileInfo(path).isFile())
        return failed(source == Source::Audio ? ClipStrip::Kind::Waveform
                          : source == Source::Image ? ClipStrip::Kind::Still
                                                    : ClipStrip::Kind::Filmstrip,
                      QCoreApplication::translate("services", "The file \"%1\" is missing.")
                          .arg(path));
    switch (source) {
    case Source::Video: return makeFilmstrip(path, height);
    case Source::Image: return makeStill(path, height);
    case Source::Audio: break;
    }
    return makeWaveform(path);
}

}  // namespace services
