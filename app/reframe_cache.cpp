// SPDX-License-Identifier: GPL-3.0-or-later
#include "reframe_cache.h"

#include "editor/resolve.h"
#include "file_hash.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>
#include <set>
#include <tuple>

namespace services {

namespace {

QJsonObject toJson(const render::SubjectTrack &track, const QString &sha256)
{
    QJsonArray samples;
    for (const render::SubjectSample &s : track.samples) {
        QJsonObject o{{QStringLiteral("t"), s.time}};
        if (!s.box.isEmpty())
            o.insert(QStringLiteral("box"), QJsonArray{s.box.x(), s.box.y(), s.box.width(),
                                                       s.box.height()});
        samples.append(o);
    }
    return QJsonObject{
        {QStringLiteral("analysisVersion"), kReframeAnalysisVersion},
        {QStringLiteral("sha256"), sha256},
        {QStringLiteral("width"), track.sourceSize.width()},
        {QStringLiteral("height"), track.sourceSize.height()},
        {QStringLiteral("faceDetection"), track.faceDetection},
        {QStringLiteral("note"), track.note},
        {QStringLiteral("samples"), samples},
    };
}

// Anything unexpected means "not cached": the caller recomputes and overwrites.
std::optional<render::SubjectTrack> fromJson(const QByteArray &bytes, const QString &sha256)
{
    const QJsonObject o = QJsonDocument::fromJson(bytes).object();
    if (o.value(QStringLiteral("analysisVersion")).toInt() != kReframeAnalysisVersion
        || o.value(QStringLiteral("sha256")).toString() != sha256)
        return std::nullopt;
    render::SubjectTrack track;
    track.sourceSize = QSizeF(o.value(QStringLiteral("width")).toDouble(),
                              o.value(QStringLiteral("height")).toDouble());
    track.faceDetection = o.value(QStringLiteral("faceDetection")).toBool();
    track.note = o.value(QStringLiteral("note")).toString();
    if (track.sourceSize.isEmpty())
        return std::nullopt;
    for (const QJsonValue &v : o.value(QStringLiteral("samples")).toArray()) {
        const QJsonObject s = v.toObject();
        render::SubjectSample sample;
        sample.time = s.value(QStringLiteral("t")).toDouble(-1);
        if (sample.time < 0)
            return std::nullopt;
        const QJsonArray box = s.value(QStringLiteral("box")).toArray();
        if (box.size() == 4)
            sample.box = QRectF(box[0].toDouble(), box[1].toDouble(), box[2].toDouble(),
                                box[3].toDouble());
        track.samples.push_back(sample);
    }
    if (track.samples.empty())
        return std::nullopt;
    return track;
}

// Seconds to an exact time on a millisecond grid: keys written to the project stay short.
editor::Rational toRational(double seconds)
{
    return editor::Rational(std::llround(seconds * 1000.0), 1000);
}

// Floating point may leave a window a hair outside the source; the project reader is strict.
QRectF clampToUnit(QRectF w)
{
    const double width = std::clamp(w.width(), 0.001, 1.0);
    const double height = std::clamp(w.height(), 0.001, 1.0);
    return QRectF(std::clamp(w.x(), 0.0, 1.0 - width), std::clamp(w.y(), 0.0, 1.0 - height),
                  width, height);
}

}  // namespace

QString defaultReframeCacheDir(const QString &projectFilePath)
{
    return QDir(QFileInfo(projectFilePath).absolutePath())
        .filePath(QStringLiteral(".campaign-cache/reframe"));
}

ReframeCache::ReframeCache(QString dir)
    : m_dir(std::move(dir))
{
}

ReframeCache::~ReframeCache() = default;

QString ReframeCache::cacheFile(const QString &sha256) const
{
    const bool faces = m_analyzer && m_analyzer->hasFaceDetector();
    return QDir(m_dir).filePath(QStringLiteral("%1-v%2-%3.json")
                                    .arg(sha256)
                                    .arg(kReframeAnalysisVersion)
                                    .arg(faces ? QStringLiteral("faces")
                                               : QStringLiteral("saliency")));
}

std::optional<render::SubjectTrack> ReframeCache::analysis(const QString &path,
                                                           editor::AssetKind kind, QString *error)
{
    if (const auto known = m_memory.constFind(path); known != m_memory.constEnd())
        return *known;
    const QString sha = sha256OfFile(path, error);
    if (sha.isEmpty())
        return std::nullopt;
    if (!m_analyzer)  // before cacheFile(): the name depends on whether faces are available
        m_analyzer = std::make_unique<render::SubjectAnalyzer>();
    const QString file = cacheFile(sha);
    QFile cached(file);
    if (cached.open(QIODevice::ReadOnly)) {
        if (auto track = fromJson(cached.readAll(), sha)) {
            ++m_hits;
            m_memory.insert(path, *track);
            return track;
        }
    }
    render::SubjectTrack track;
    render::RenderError renderError;
    const bool ok = kind == editor::AssetKind::Video
        ? render::analyseVideoFile(path, *m_analyzer, kReframeSamplesPerSecond, &track,
                                   &renderError)
        : render::analyseImageFile(path, *m_analyzer, &track, &renderError);
    if (!ok) {
        if (error)
            *error = renderError.message;
        return std::nullopt;
    }
    ++m_analysed;
    m_memory.insert(path, track);
    QString writeError;
    if (!QDir().mkpath(m_dir)
        || !writeFileAtomically(file, QJsonDocument(toJson(track, sha)).toJson(), &writeError))
        m_warnings << QCoreApplication::translate("services",
                                                  "Could not store the reframe analysis in %1: %2")
                          .arg(m_dir, writeError);
    return track;
}

ReframeReport fillAutoReframe(editor::Campaign &c, ReframeCache &cache,
                              const std::vector<std::pair<QString, QString>> &cells)
{
    using editor::ReframeSpec;
    ReframeReport report;
    std::vector<std::pair<QString, QString>> all = cells;
    if (all.empty()) {
        for (const editor::Segment &s : c.segments)
            for (const editor::FormatPreset &f : c.formats)
                all.emplace_back(s.id, f.id);
    }
    std::set<std::tuple<const editor::Clip *, QString, QString>> done;
    for (editor::Track &track : c.timeline.tracks) {
        if (track.kind == editor::TrackKind::Text || track.kind == editor::TrackKind::Audio)
            continue;
        for (editor::Clip &clip : track.clips) {
            if (clip.fit != u"smart")
                continue;
            for (const auto &[segmentId, formatId] : all) {
                const editor::Segment *segment = c.segment(segmentId);
                const editor::FormatPreset *format = c.format(formatId);
                if (!segment || !format)
                    continue;
                const editor::SourceBinding binding = editor::bindClipSource(c, clip, *segment);
                if (!binding.asset || !binding.error.isEmpty()
                    || binding.asset->kind == editor::AssetKind::Audio)
                    continue;  // resolve reports it
                const editor::Asset &asset = *binding.asset;
                if (!done.emplace(&clip, asset.id, formatId).second)
                    continue;  // another segment showing the same asset
                ReframeSpec *spec = clip.reframeFor(asset.id, formatId);
                if (spec && spec->mode == ReframeSpec::Mode::Manual) {
                    ++report.manualKept;
                    continue;
                }
                if (!QFileInfo(asset.path).isFile())
                    continue;  // missing media: preflight names it
                QString error;
                const std::optional<render::SubjectTrack> analysis =
                    cache.analysis(asset.path, asset.kind, &error);
                if (!analysis) {
                    if (!report.errors.contains(error))
                        report.errors << error;
                    continue;
                }
                if (!analysis->note.isEmpty() && !report.notes.contains(analysis->note))
                    report.notes << analysis->note;
                const render::SafeZones safe{format->safeTop, format->safeBottom,
                                             format->safeLeft, format->safeRight};
                const std::vector<render::CropSample> crops =
                    render::planCropTrack(analysis->sourceSize, analysis->samples,
                                          QSizeF(format->width, format->height), safe);
                ReframeSpec fresh;
                fresh.assetId = asset.id;
                fresh.formatId = formatId;
                fresh.mode = ReframeSpec::Mode::Auto;
                for (const render::CropSample &crop : crops) {
                    const editor::Rational t = toRational(crop.time);
                    if (!fresh.keys.empty() && fresh.keys.back().time >= t)
                        continue;  // two samples within a millisecond: keep the first
                    fresh.keys.push_back({t, clampToUnit(crop.window)});
                }
                if (fresh.keys.empty())
                    continue;
                if (spec)
                    *spec = std::move(fresh);
                else
                    clip.reframe.push_back(std::move(fresh));
                ++report.autoTracks;
            }
        }
    }
    return report;
}

}  // namespace services
