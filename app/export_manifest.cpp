// SPDX-License-Identifier: GPL-3.0-or-later
#include "export_manifest.h"

#include "cell_hash.h"
#include "file_hash.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLockFile>

#include <optional>

namespace services {

namespace {
QString key(const char *name) { return QString::fromLatin1(name); }

}  // namespace

QJsonObject manifestCellToJson(const ManifestCell &c)
{
    return QJsonObject{
        {key("segment"), c.segmentId},
        {key("format"), c.formatId},
        {key("file"), c.file},
        {key("sha256"), c.sha256},
        {key("bytes"), double(c.bytes)},
        {key("durationSec"), c.durationSec},
        {key("width"), c.width},
        {key("height"), c.height},
        {key("contentHash"), c.contentHash},
        {key("renderSeconds"), c.renderSeconds},
        {key("poster"), c.poster},
        {key("posterFrame"), double(c.posterFrame)},
        {key("posterTimeSec"), c.posterTimeSec},
        {key("assets"), c.assets},
    };
}

std::optional<ManifestCell> manifestCellFromJson(const QJsonObject &o)
{
    ManifestCell c;
    c.segmentId = o.value(key("segment")).toString();
    c.formatId = o.value(key("format")).toString();
    c.file = o.value(key("file")).toString();
    c.sha256 = o.value(key("sha256")).toString();
    c.bytes = o.value(key("bytes")).toInteger();
    c.durationSec = o.value(key("durationSec")).toDouble();
    c.width = o.value(key("width")).toInt();
    c.height = o.value(key("height")).toInt();
    c.contentHash = o.value(key("contentHash")).toString();
    c.renderSeconds = o.value(key("renderSeconds")).toDouble();
    c.poster = o.value(key("poster")).toString();
    c.posterFrame = o.value(key("posterFrame")).toInteger(-1);
    c.posterTimeSec = o.value(key("posterTimeSec")).toDouble();
    c.assets = o.value(key("assets")).toArray();
    // An entry without these cannot justify skipping anything: drop it.
    if (c.segmentId.isEmpty() || c.formatId.isEmpty() || c.file.isEmpty() || c.sha256.isEmpty()
        || c.contentHash.isEmpty())
        return std::nullopt;
    return c;
}

ExportManifest::ExportManifest(const QString &path, const QString &campaignId,
                               const QString &campaignName)
    : m_path(QFileInfo(path).absoluteFilePath()), m_campaignId(campaignId),
      m_campaignName(campaignName)
{
}

QString ExportManifest::directory() const
{
    return QFileInfo(m_path).absolutePath();
}

QString ExportManifest::absolutePath(const QString &relative) const
{
    return QDir::cleanPath(QDir(directory()).filePath(relative));
}

QString ExportManifest::relativePath(const QString &absolute) const
{
    return QDir(directory()).relativeFilePath(absolute);
}

namespace {
// The cells of the manifest file at `path`: an empty map for no file, nullopt (with `why`)
// for one that cannot be read or is damaged.
std::optional<QMap<QString, ManifestCell>> readManifestCells(const QString &path, QString *why)
{
    QMap<QString, ManifestCell> cells;
    QFile file(path);
    if (!file.exists())
        return cells;
    if (!file.open(QIODevice::ReadOnly)) {
        *why = file.errorString();
        return std::nullopt;
    }
    QJsonParseError parseError;
    const QJsonObject root = QJsonDocument::fromJson(file.readAll(), &parseError).object();
    if (parseError.error != QJsonParseError::NoError) {
        *why = parseError.errorString();
        return std::nullopt;
    }
    if (root.value(key("manifestVersion")).toInt() != kManifestVersion) {
        *why = QCoreApplication::translate("services", "unknown manifestVersion");
        return std::nullopt;
    }
    for (const QJsonValue &v : root.value(key("cells")).toArray())
        if (const std::optional<ManifestCell> c = manifestCellFromJson(v.toObject()))
            cells.insert(c->jobId(), *c);
    return cells;
}

// Far longer than one read-modify-write of the file; a dead holder frees it at once.
constexpr int kManifestLockStaleMs = 60 * 1000;
constexpr int kManifestLockWaitMs = 30 * 1000;
}  // namespace

void ExportManifest::load(QString *warning)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_cells.clear();
    QString why;
    if (std::optional<QMap<QString, ManifestCell>> cells = readManifestCells(m_path, &why))
        m_cells = std::move(*cells);
    else if (warning)
        *warning = QCoreApplication::translate(
                       "services", "Ignoring the export manifest %1 (%2); every variant is "
                                   "rendered again.")
                       .arg(QDir::toNativeSeparators(m_path), why);
}

std::optional<ManifestCell> ExportManifest::cell(const QString &jobId) const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    const auto it = m_cells.constFind(jobId);
    if (it == m_cells.cend())
        return std::nullopt;
    return it.value();
}

bool ExportManifest::record(const ManifestCell &cell, QString *error)
{
    // Held across the write: two workers finishing together must not interleave their files,
    // and the later write must contain both entries.
    std::lock_guard<std::mutex> lock(m_mutex);
    // Another process (a second studio, the CLI) may export into the same folder: the file is
    // read again under a lock shared with it, so its entries written since our load() are kept
    // and only this cell's entry is ours to change.
    QLockFile fileLock(m_path + QStringLiteral(".lock"));
    fileLock.setStaleLockTime(kManifestLockStaleMs);
    if (!fileLock.tryLock(kManifestLockWaitMs)) {
        if (error)
            *error = QCoreApplication::translate("services", "Cannot update %1: it stays locked "
                                                             "by another export (%2).")
                         .arg(QDir::toNativeSeparators(m_path), m_path + QStringLiteral(".lock"));
        return false;
    }
    QString why;
    if (std::optional<QMap<QString, ManifestCell>> onDisk = readManifestCells(m_path, &why))
        for (auto it = onDisk->cbegin(); it != onDisk->cend(); ++it)
            m_cells.insert(it.key(), it.value());
    m_cells.insert(cell.jobId(), cell);
    return writeFileAtomically(m_path, serialise(), error);
}

QList<ManifestCell> ExportManifest::cells() const
{
    std::lock_guard<std::mutex> lock(m_mutex);
    return m_cells.values();
}

bool ExportManifest::replaceCells(const QList<ManifestCell> &cells, QString *error)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_cells.clear();
    for (const ManifestCell &c : cells)
        m_cells.insert(c.jobId(), c);
    return writeFileAtomically(m_path, serialise(), error);
}

void ExportManifest::setExtra(const QJsonObject &extra)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    m_extra = extra;
}

QByteArray ExportManifest::serialise() const
{
    QJsonArray cells;
    for (const ManifestCell &c : m_cells)
        cells.append(manifestCellToJson(c));
    QJsonObject root{
        {key("manifestVersion"), kManifestVersion},
        {key("campaign"), QJsonObject{{key("id"), m_campaignId}, {key("name"), m_campaignName}}},
        {key("rendererVersion"), QString::fromLatin1(kRendererVersion)},
        {key("cells"), cells},
    };
    for (auto it = m_extra.begin(); it != m_extra.end(); ++it)
        root.insert(it.key(), it.value());
    return QJsonDocument(root).toJson(QJsonDocument::Indented);
}

}  // namespace services
