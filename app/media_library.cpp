// SPDX-License-Identifier: GPL-3.0-or-later
#include "media_library.h"

#include "file_hash.h"

#include "render/image_source.h"
#include "render/renderer.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QImageReader>
#include <QJsonDocument>
#include <QJsonObject>
#include <QPainter>
#include <QtConcurrent>

#include <algorithm>
#include <cmath>

namespace services {

namespace {

// Bumped when what a cache entry holds changes; older entries are then made again.
constexpr int kCacheVersion = 1;
// Waveforms of longer files are not drawn: decoding an hour of audio for a 256-pixel strip
// is not worth the wait or the memory.
constexpr double kMaxWaveformSeconds = 600.0;

QString tr(const char *text)
{
    return QCoreApplication::translate("services", text);
}

QString entryBase(const QString &cacheDir, const QString &sha256)
{
    return QDir(cacheDir).filePath(sha256.left(2) + QLatin1Char('/') + sha256);
}

QImage fitInBox(const QImage &image)
{
    if (image.isNull())
        return {};
    const QSize box = MediaLibrary::thumbnailBox();
    if (image.width() <= box.width() && image.height() <= box.height())
        return image;
    return image.scaled(box, Qt::KeepAspectRatio, Qt::SmoothTransformation);
}

// Min/max per pixel column of the mono mix, mirrored around the middle line.
QImage waveformStrip(const std::vector<float> &interleavedStereo)
{
    const QSize box = MediaLibrary::thumbnailBox();
    QImage image(box.width(), box.height() / 2, QImage::Format_ARGB32_Premultiplied);
    image.fill(QColor(24, 32, 40));
    const size_t frames = interleavedStereo.size() / 2;
    QPainter p(&image);
    p.setPen(QColor(70, 80, 90));
    const int mid = image.height() / 2;
    p.drawLine(0, mid, image.width(), mid);
    if (frames == 0)
        return image;
    p.setPen(QColor(64, 200, 180));
    for (int x = 0; x < image.width(); ++x) {
        const size_t from = frames * size_t(x) / size_t(image.width());
        const size_t to = std::max(from + 1, frames * size_t(x + 1) / size_t(image.width()));
        float low = 0, high = 0;
        for (size_t i = from; i < to && i < frames; ++i) {
            const float v = 0.5f * (interleavedStereo[2 * i] + interleavedStereo[2 * i + 1]);
            low = std::min(low, v);
            high = std::max(high, v);
        }
        const int top = mid - int(std::lround(std::clamp(high, 0.f, 1.f) * (mid - 1)));
        const int bottom = mid + int(std::lround(std::clamp(-low, 0.f, 1.f) * (mid - 1)));
        p.drawLine(x, top, x, bottom);
    }
    return image;
}

QByteArray pngBytes(const QImage &image)
{
    QByteArray bytes;
    QBuffer buffer(&bytes);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "PNG");
    return bytes;
}

QJsonObject factsToJson(const MediaFacts &f)
{
    return {{QStringLiteral("version"), kCacheVersion},
            {QStringLiteral("kind"), editor::assetKindName(f.kind)},
            {QStringLiteral("durationSec"), f.durationSec},
            {QStringLiteral("width"), f.width},
            {QStringLiteral("height"), f.height},
            {QStringLiteral("codec"), f.codec},
            {QStringLiteral("problem"), f.problem},
            {QStringLiteral("thumbnail"), !f.thumbnailPath.isEmpty()}};
}

// Fills `f` from a cache entry; false when there is none or it is unusable.
bool readCacheEntry(const QString &base, MediaFacts &f)
{
    QFile file(base + QStringLiteral(".json"));
    if (!file.open(QIODevice::ReadOnly))
        return false;
    const QJsonObject o = QJsonDocument::fromJson(file.read(64 * 1024)).object();
    if (o.value(QStringLiteral("version")).toInt() != kCacheVersion
        || o.value(QStringLiteral("kind")).toString() != editor::assetKindName(f.kind))
        return false;
    const QString png = base + QStringLiteral(".png");
    const bool hasThumbnail = o.value(QStringLiteral("thumbnail")).toBool();
    if (hasThumbnail && QImageReader(png).size().isEmpty())
        return false;  // the picture went missing or is damaged: make both again
    f.durationSec = o.value(QStringLiteral("durationSec")).toDouble();
    f.width = o.value(QStringLiteral("width")).toInt();
    f.height = o.value(QStringLiteral("height")).toInt();
    f.codec = o.value(QStringLiteral("codec")).toString();
    f.problem = o.value(QStringLiteral("problem")).toString();
    f.thumbnailPath = hasThumbnail ? png : QString();
    f.fromCache = true;
    return true;
}

// Probes the file and draws its thumbnail (null image when none can be made).
QImage probeAndDraw(MediaFacts &f)
{
    render::RenderError error;
    switch (f.kind) {
    case editor::AssetKind::Image: {
        render::ImageInfo info;
        if (!render::probeImage(f.path, &info, &error)) {
            f.problem = error.message;
            return {};
        }
        f.width = int(std::lround(info.size.width()));
        f.height = int(std::lround(info.size.height()));
        f.codec = QString::fromLatin1(QImageReader(f.path).format());
        // loadImage draws at exactly the size asked for, so ask for the fitted size.
        QSize fitted = info.size.toSize();
        if (fitted.width() > MediaLibrary::thumbnailBox().width()
            || fitted.height() > MediaLibrary::thumbnailBox().height() || info.vector)
            fitted.scale(MediaLibrary::thumbnailBox(), Qt::KeepAspectRatio);
        const QImage image = render::loadImage(f.path, fitted.expandedTo({1, 1}), &error);
        if (image.isNull())
            f.problem = error.message;
        return fitInBox(image);
    }
    case editor::AssetKind::Video: {
        const render::MediaInfo info = render::probeMedia(f.path);
        if (info.error) {
            f.problem = info.error.message;
            return {};
        }
        if (info.videoCodec.isEmpty()) {
            f.problem = tr("\"%1\" has no video track.").arg(QFileInfo(f.path).fileName());
            return {};
        }
        f.width = info.width;
        f.height = info.height;
        f.codec = info.videoCodec;
        f.durationSec = info.durationSec > 0 ? info.durationSec : info.videoDurationSec;
        // A second in, past fade-ins and black leaders, but inside very short clips.
        const double at = std::min(1.0, f.durationSec / 3.0);
        const QImage frame = render::decodeVideoFrame(f.path, at, &error);
        if (frame.isNull())
            f.problem = error.message;
        return fitInBox(frame);
    }
    case editor::AssetKind::Audio: {
        const render::MediaInfo info = render::probeMedia(f.path);
        if (info.error) {
            f.problem = info.error.message;
            return {};
        }
        if (info.audioCodec.isEmpty()) {
            f.problem = tr("\"%1\" has no audio track.").arg(QFileInfo(f.path).fileName());
            return {};
        }
        f.codec = info.audioCodec;
        f.durationSec = info.durationSec;
        if (f.durationSec > kMaxWaveformSeconds)
            return {};
        const std::vector<float> samples = render::decodeAudio(f.path, kMaxWaveformSeconds, &error);
        if (samples.empty() && error) {
            f.problem = error.message;
            return {};
        }
        return waveformStrip(samples);
    }
    }
    return {};
}

}  // namespace

MediaLibrary::MediaLibrary(const QString &cacheDirectory, QObject *parent)
    : QObject(parent), m_cacheDir(cacheDirectory)
{
    qRegisterMetaType<services::MediaFacts>();
    // Decoding competes with the preview and the GUI; two jobs keep the bin responsive
    // without taking every core.
    m_pool.setMaxThreadCount(2);
}

MediaLibrary::~MediaLibrary()
{
    m_pool.waitForDone();
}

void MediaLibrary::request(const QString &path, editor::AssetKind kind)
{
    if (path.isEmpty() || m_pending.contains(path))
        return;
    m_pending.insert(path);
    const QString cacheDir = m_cacheDir;
    (void)QtConcurrent::run(&m_pool, [this, path, kind, cacheDir] {
        const MediaFacts facts = inspect(path, kind, cacheDir);
        // Queued to the library's thread; dropped by Qt if the library is gone by then
        // (it cannot be: the destructor waits for the pool).
        QMetaObject::invokeMethod(this, [this, facts] { deliver(facts); }, Qt::QueuedConnection);
    });
}

void MediaLibrary::deliver(const MediaFacts &facts)
{
    m_pending.remove(facts.path);
    if (facts.fromCache)
        ++m_cacheHits;
    else if (!facts.thumbnailPath.isEmpty())
        ++m_thumbnailsMade;
    m_facts.insert(facts.path, facts);
    emit factsReady(facts.path, facts);
}

void MediaLibrary::forget(const QString &path)
{
    m_facts.remove(path);
}

std::optional<MediaFacts> MediaLibrary::facts(const QString &path) const
{
    const auto it = m_facts.constFind(path);
    if (it == m_facts.constEnd())
        return std::nullopt;
    return *it;
}

void MediaLibrary::waitForIdle()
{
    while (!m_pending.isEmpty()) {
        m_pool.waitForDone();
        QCoreApplication::sendPostedEvents(this, QEvent::MetaCall);
    }
}

MediaFacts MediaLibrary::inspect(const QString &path, editor::AssetKind kind,
                                 const QString &cacheDirectory)
{
    MediaFacts f;
    f.path = path;
    f.kind = kind;
    const QFileInfo info(path);
    const QString name = info.fileName();
    if (!info.exists()) {
        f.offline = true;
        f.problem = tr("\"%1\" is missing (%2). Relink the asset to its file.")
                        .arg(name, QDir::toNativeSeparators(path));
        return f;
    }
    if (!info.isFile()) {  // reading a FIFO would block, a device might never end
        f.offline = true;
        f.problem = tr("\"%1\" is not a regular file. Relink the asset to a media file.").arg(name);
        return f;
    }
    f.bytes = info.size();
    if (f.bytes == 0) {
        f.offline = true;
        f.problem = tr("\"%1\" is empty (0 bytes). Relink the asset or generate it again.").arg(name);
        return f;
    }
    QString error;
    f.sha256 = sha256OfFile(path, &error);
    if (f.sha256.isEmpty()) {
        f.offline = true;
        f.problem = tr("Cannot read \"%1\": %2").arg(name, error);
        return f;
    }
    const QString base = entryBase(cacheDirectory, f.sha256);
    if (readCacheEntry(base, f))
        return f;

    const QImage thumbnail = probeAndDraw(f);
    // Store what was learnt even without a thumbnail: a damaged file is not probed again
    // until its bytes change.
    if (!QDir().mkpath(QFileInfo(base).absolutePath()))
        return f;
    if (!thumbnail.isNull()
        && writeFileAtomically(base + QStringLiteral(".png"), pngBytes(thumbnail)))
        f.thumbnailPath = base + QStringLiteral(".png");
    writeFileAtomically(base + QStringLiteral(".json"),
                        QJsonDocument(factsToJson(f)).toJson(QJsonDocument::Compact));
    return f;
}

QString formatDuration(double seconds)
{
    if (!(seconds > 0))
        return {};
    if (seconds < 60)
        return QStringLiteral("%1 s").arg(seconds, 0, 'f', 1);
    const qint64 total = qint64(std::llround(seconds));
    const qint64 h = total / 3600, m = (total / 60) % 60, s = total % 60;
    if (h > 0)
        return QStringLiteral("%1:%2:%3").arg(h).arg(m, 2, 10, QLatin1Char('0')).arg(s, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(m).arg(s, 2, 10, QLatin1Char('0'));
}

QString formatBytes(qint64 bytes)
{
    if (bytes < 1000)
        return QStringLiteral("%1 B").arg(bytes);
    static const char *const units[] = {"kB", "MB", "GB", "TB"};
    double value = double(bytes);
    int unit = -1;
    while (value >= 1000 && unit < 3) {
        value /= 1000;
        ++unit;
    }
    return QStringLiteral("%1 %2").arg(value, 0, 'f', value < 10 ? 1 : 0).arg(QLatin1String(units[unit]));
}

}  // namespace services
