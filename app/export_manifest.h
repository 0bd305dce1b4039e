// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// <outDir>/<campaign-slug>/manifest.json: what an export produced, one entry per cell, and the
// memory of incremental exports (a cell whose content hash and file are unchanged is kept).
// The file is rewritten atomically (QSaveFile) after every finished cell, so an interrupted
// batch keeps the entries of the cells it completed. Paths in it are relative to its folder.

#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QMap>
#include <QString>

#include <mutex>
#include <optional>

namespace services {

// The "manifestVersion" written at the top; load() ignores a file with another version.
inline constexpr int kManifestVersion = 1;

struct ManifestCell {
    QString segmentId;
    QString formatId;
    QString file;            // relative to the manifest's folder: "us-parents/1x1.mp4"
    QString sha256;          // of the file's bytes
    qint64 bytes = 0;
    double durationSec = 0;  // container duration, probed
    int width = 0;
    int height = 0;
    QString contentHash;     // cellContentHash of the composition it was rendered from
    double renderSeconds = 0;
    QString poster;          // relative: "us-parents/1x1.poster.png"
    int64_t posterFrame = 0;
    double posterTimeSec = 0;
    QJsonArray assets;       // [{"id", "recipe"}] of the generated assets the cell uses

    QString jobId() const { return segmentId + QLatin1Char('/') + formatId; }
};

// One "cells" entry in the file's form, and back. fromJson gives nullopt for an entry that
// lacks what an incremental export relies on (ids, file, sha256, contentHash).
QJsonObject manifestCellToJson(const ManifestCell &cell);
std::optional<ManifestCell> manifestCellFromJson(const QJsonObject &object);

class ExportManifest {
public:
    ExportManifest(const QString &path, const QString &campaignId, const QString &campaignName);

    QString path() const { return m_path; }
    QString directory() const;
    QString absolutePath(const QString &relative) const;
    QString relativePath(const QString &absolute) const;

    // Reads the existing file. A missing file is an empty manifest; an unreadable or damaged
    // one is treated as empty too (every cell is rendered again and the file rewritten), and
    // `warning` says so.
    void load(QString *warning = nullptr);

    std::optional<ManifestCell> cell(const QString &jobId) const;
    // Inserts or replaces the entry and rewrites the file. Thread-safe.
    bool record(const ManifestCell &cell, QString *error);

    // Every entry, ordered by job id.
    QList<ManifestCell> cells() const;
    // Replaces every entry and rewrites the file (shard manifests, `manifest merge`).
    bool replaceCells(const QList<ManifestCell> &cells, QString *error);
    // Extra top-level keys written with every later save, e.g. a shard manifest's "shard"
    // record (shard.h). The default manifest has none.
    void setExtra(const QJsonObject &extra);

private:
    QByteArray serialise() const;  // m_mutex held

    QString m_path;
    QString m_campaignId;
    QString m_campaignName;
    QJsonObject m_extra;
    mutable std::mutex m_mutex;
    QMap<QString, ManifestCell> m_cells;  // by job id, so the file lists cells in a stable order
};

}  // namespace services
