// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Smart reframe as a service: runs the subject analysis (render/subject_analysis.h) on the
// sources of "smart" clips, remembers each result on disk by the source's content, and turns
// it into Auto crop keys per (asset, format) in the campaign (editor::ReframeSpec).
//
// Cache: one JSON file per analysed source, <dir>/<sha256>-v<version>-<faces|saliency>.json,
// written atomically. Named by the file's SHA-256, so a regenerated or replaced asset is
// analysed again and a renamed one is not; the analysis version is bumped whenever the
// analysis would give other boxes; faces/saliency keeps an analysis made without the face
// cascade from standing in once the cascade is installed. What is cached is the
// format-independent subject track; crops per format are cheap and computed every time, so
// editing a format's safe zones needs no reanalysis. A cache file that cannot be read or
// parsed is simply recomputed and rewritten.
//
// The default cache folder is <project folder>/.campaign-cache/reframe: it travels with the
// project and its media (a render server working on a shared project folder reuses the
// designer's analyses), and deleting it is always safe.

#include "editor/campaign.h"
#include "render/subject_analysis.h"

#include <QHash>
#include <QString>
#include <QStringList>

#include <memory>
#include <optional>
#include <utility>
#include <vector>

namespace services {

// Bump when the analysis (thresholds, sampling rate, face rules) changes its results.
inline constexpr int kReframeAnalysisVersion = 2;  // 2: text lines weighed down
// Video sources are analysed this many times per second.
inline constexpr double kReframeSamplesPerSecond = 5.0;

// <projectDir>/.campaign-cache/reframe
QString defaultReframeCacheDir(const QString &projectFilePath);

class ReframeCache {
public:
    explicit ReframeCache(QString dir);
    ~ReframeCache();

    // The subject track of `path` (an image or video file): from the cache when this content
    // was analysed before, else analysed now and stored. nullopt with `error` when the media
    // cannot be read; a cache file that cannot be written is only a warning (warnings()).
    std::optional<render::SubjectTrack> analysis(const QString &path, editor::AssetKind kind,
                                                 QString *error);

    // Per distinct file: computed now / read from the disk cache (a file asked for again,
    // e.g. once per format, is answered from memory and counted once).
    int analysedCount() const { return m_analysed; }
    int cacheHitCount() const { return m_hits; }
    const QStringList &warnings() const { return m_warnings; }
    const QString &dir() const { return m_dir; }

private:
    QString cacheFile(const QString &sha256) const;

    QString m_dir;
    std::unique_ptr<render::SubjectAnalyzer> m_analyzer;  // created on first use (loads XML)
    QHash<QString, render::SubjectTrack> m_memory;        // by path, for this run
    int m_analysed = 0;
    int m_hits = 0;
    QStringList m_warnings;
};

struct ReframeReport {
    int autoTracks = 0;     // (clip, asset, format) Auto tracks written
    int manualKept = 0;     // Manual tracks left as the designer set them
    QStringList notes;      // e.g. "face cascade missing, saliency only" (deduplicated)
    QStringList errors;     // sources that could not be analysed (their clips stay centred)
};

// Fills Auto crop keys on every clip with fit "smart" for the (segment, format) cells given
// (empty = every segment x format of the campaign). Manual tracks are never changed; Auto
// ones are replaced. Sources that cannot be bound or read are skipped (listed in `errors`
// when the file exists but cannot be analysed): resolving and preflight report those anyway.
ReframeReport fillAutoReframe(editor::Campaign &c, ReframeCache &cache,
                              const std::vector<std::pair<QString, QString>> &cells = {});

}  // namespace services
