// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// What the asset bin shows about media files, worked out off the GUI thread: whether the file
// is there (offline otherwise), its probe data (duration, pixel size, codec) and a thumbnail —
// a frame for video, the picture for images, a waveform strip for audio.
//
// Results are cached on disk by content: <cacheDir>/<sha256[0..1]>/<sha256>.png and .json.
// Keying by the bytes rather than the path means a moved or relinked file, or the same
// generated file in two projects, never decodes twice, and an edited file never shows a stale
// thumbnail. Cache files are written with QSaveFile, so a crash leaves the old entry or none,
// never a torn PNG; an unreadable entry is simply made again.
//
// The GUI never calls FFmpeg itself: everything that decodes runs here, on a private thread
// pool (QtConcurrent), and arrives by the factsReady signal on the library's thread.

#include "editor/campaign.h"

#include <QHash>
#include <QMetaType>
#include <QObject>
#include <QSet>
#include <QSize>
#include <QString>
#include <QThreadPool>

#include <optional>

namespace services {

struct MediaFacts {
    QString path;
    editor::AssetKind kind = editor::AssetKind::Image;
    // Missing, not a regular file (FIFO, device, folder) or empty: the asset must be relinked.
    bool offline = false;
    // Why it is offline, or why a present file could not be read (damaged, unsupported);
    // names the file. Empty when all is well.
    QString problem;
    QString sha256;
    qint64 bytes = 0;
    double durationSec = 0;  // video and audio
    int width = 0;           // images and video
    int height = 0;
    QString codec;           // "h264", "png", "pcm_s16le", ...
    QString thumbnailPath;   // the cached PNG; empty when none could be made
    bool fromCache = false;  // probe data and thumbnail came from the disk cache
};

class MediaLibrary : public QObject {
    Q_OBJECT
public:
    // `cacheDirectory` is created on first use; the GUI passes a folder under
    // QStandardPaths::CacheLocation, tests a temporary one.
    explicit MediaLibrary(const QString &cacheDirectory, QObject *parent = nullptr);
    ~MediaLibrary() override;  // waits for running jobs (a job takes well under a second)

    QString cacheDirectory() const { return m_cacheDir; }

    // Starts inspecting `path` in the background; factsReady follows. A request for a path
    // whose job is still running is folded into that job.
    void request(const QString &path, editor::AssetKind kind);
    // Drops the remembered result for `path` (e.g. after a relink), so the next request
    // looks at the file again. The disk cache stays: it is keyed by content.
    void forget(const QString &path);
    // The last delivered result for `path`.
    std::optional<MediaFacts> facts(const QString &path) const;
    bool isPending(const QString &path) const { return m_pending.contains(path); }
    bool isIdle() const { return m_pending.isEmpty(); }
    // Blocks until every started job has finished and its factsReady has been emitted. For
    // tests and for shutdown; the GUI otherwise just waits for the signal.
    void waitForIdle();

    // Diagnostics (tests): thumbnails decoded and written, and results served from the cache.
    int thumbnailsMade() const { return m_thumbnailsMade; }
    int cacheHits() const { return m_cacheHits; }

    static QSize thumbnailBox() { return {256, 144}; }
    // The work of one job, synchronous and thread-safe.
    static MediaFacts inspect(const QString &path, editor::AssetKind kind,
                              const QString &cacheDirectory);

signals:
    void factsReady(const QString &path, const services::MediaFacts &facts);

private:
    void deliver(const MediaFacts &facts);

    QString m_cacheDir;
    QThreadPool m_pool;
    QSet<QString> m_pending;
    QHash<QString, MediaFacts> m_facts;
    int m_thumbnailsMade = 0;
    int m_cacheHits = 0;
};

// "0:06", "1:02:03" and "2.5 s" style durations for lists.
QString formatDuration(double seconds);
// "12.3 MB" (decimal units, as file managers show them).
QString formatBytes(qint64 bytes);

}  // namespace services

Q_DECLARE_METATYPE(services::MediaFacts)
