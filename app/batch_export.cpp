// SPDX-License-Identifier: GPL-3.0-or-later
#include "batch_export.h"

#include "advisory_preflight.h"
#include "asset_store.h"
#include "cell_poster.h"
#include "cell_hash.h"
#include "disk_space.h"
#include "export_manifest.h"
#include "file_hash.h"

#include "editor/resolve.h"
#include "render/encoder_slots.h"
#include "render/renderer.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonObject>
#include <QLockFile>
#include <QScopeGuard>
#include <QSet>

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cerrno>
#include <cstring>
#include <sys/stat.h>
#include <unistd.h>
#include <exception>
#include <future>
#include <memory>
#include <mutex>
#include <new>
#include <optional>
#include <system_error>
#include <thread>
#include <utility>

namespace services {

namespace {
QString tr(const char *text) { return QCoreApplication::translate("services", text); }

constexpr qint64 kProgressIntervalMs = 500;  // at most two progress events a second per cell

QString errorCode(render::ErrorKind kind)
{
    switch (kind) {
    case render::ErrorKind::MissingInput: return QStringLiteral("missing_input");
    case render::ErrorKind::InvalidInput: return QStringLiteral("invalid_input");
    case render::ErrorKind::CannotCreate: return QStringLiteral("cannot_create");
    case render::ErrorKind::IoError: return QStringLiteral("io_error");
    case render::ErrorKind::None:
    case render::ErrorKind::Cancelled:
    case render::ErrorKind::Internal: break;
    }
    return QStringLiteral("internal");
}

// Why a cell is kept: the manifest names the same content hash and the file on disk still has
// the recorded SHA-256. Hashing the MP4 costs a few milliseconds per megabyte, far less than a
// render, and unlike size + mtime it also catches a file replaced or edited in place by hand
// (copy tools preserve mtimes, editors can keep sizes).
bool upToDate(const ManifestCell &entry, const QString &contentHash, const QString &outputPath)
{
    return entry.contentHash == contentHash && QFileInfo(outputPath).isFile()
        && QFileInfo(outputPath).size() == entry.bytes && sha256OfFile(outputPath) == entry.sha256;
}

// The generated assets (with their recipes) among the composition's sources.
QJsonArray generatedAssetsUsed(const editor::Campaign &c, const render::Composition &comp)
{
    QSet<QString> sources;
    for (const render::Layer &l : comp.layers)
        sources.insert(l.sourcePath);
    for (const render::AudioClip &a : comp.audio)
        sources.insert(a.sourcePath);
    QJsonArray out;
    for (const editor::Asset &a : c.assets)
        if (a.recipe && !a.path.isEmpty() && sources.contains(a.path))
            out.append(QJsonObject{{QStringLiteral("id"), a.id},
                                   {QStringLiteral("recipe"), AssetStore::recipeToJson(*a.recipe)}});
    return out;
}

}  // namespace

namespace {

// Which directory a path names right now: a folder removed and made again (by this export's
// own file creation, which makes missing folders) is a different directory.
struct FolderIdentity {
    dev_t device = 0;
    ino_t inode = 0;
    bool exists = false;
    bool operator==(const FolderIdentity &) const = default;
};

FolderIdentity folderIdentity(const QString &path)
{
    struct stat st {};
    if (::stat(QFile::encodeName(path).constData(), &st) != 0 || !S_ISDIR(st.st_mode))
        return {};
    return {st.st_dev, st.st_ino, true};
}

// Far longer than any cell renders: only a holder that died (its PID gone) frees a lock early.
constexpr int kOutputLockStaleMs = 24 * 3600 * 1000;

// <name>.partial-XXXXXX files of one output: what a killed export leaves (render/output_file.h).
// Only called with the output's lock held, so none of them belongs to a live export.
void removeLeftoverPartials(const QString &finalPath)
{
    const QFileInfo info(finalPath);
    const QDir dir = info.absoluteDir();
    for (const QString &name : dir.entryList({info.fileName() + QStringLiteral(".partial-*")},
                                             QDir::Files | QDir::Hidden | QDir::System))
        QFile::remove(dir.filePath(name));
}

// Cells rendered together: the cells of one format share the frame size, and usually their
// pictures (only a segment's text or image differs), so they are grouped, in plan order, up
// to --jobs (at most kGroupCells) per unit; render::exportGroup then draws the shared layers
// once per frame while each cell's encoder runs on its own thread. --jobs N still means N
// encoders at once: each 1080p x264 encoder holds ~150 MB of frames, which is what bounds the
// batch's memory (4 at once measured 913 MB peak, 2 at once 526 MB, on the reference
// workload's 9:16 cells). With --jobs 1 every cell renders alone.
constexpr int kGroupCells = 4;

// Out of memory shows up as bad_alloc, or as a thread that cannot be started (its stack cannot
// be mapped: EAGAIN/ENOMEM); the user can act on that, so the message says so.
QString internalFailureMessage(const ExportCell &cell, const std::exception &e)
{
    bool outOfMemory = dynamic_cast<const std::bad_alloc *>(&e) != nullptr;
    if (const auto *system = dynamic_cast<const std::system_error *>(&e))
        outOfMemory = system->code() == std::errc::resource_unavailable_try_again
            || system->code() == std::errc::not_enough_memory;
    if (!outOfMemory)
        return QString::fromLocal8Bit(e.what());
    return tr("Exporting %1 ran out of memory (%2). Close other programs or export fewer "
              "variants at once, then export again.")
        .arg(cell.jobId(), QString::fromLocal8Bit(e.what()));
}

class BatchRun {
public:
    BatchRun(const editor::Campaign &c, const std::function<void(const ExportEvent &)> &onEvent,
             const std::atomic<bool> *cancel, const ExportOptions &options,
             ExportManifest &manifest)
        : m_campaign(c), m_onEvent(onEvent), m_cancel(cancel), m_options(options),
          m_manifest(manifest), m_root(folderIdentity(manifest.directory())),
          m_rootParent(folderIdentity(QFileInfo(manifest.directory()).absolutePath()))
    {
    }

    // A cell that needs rendering, with its output name locked.
    struct PendingCell {
        ExportCell cell;
        render::Composition comp;
        QString contentHash;
        QString poster;
        int64_t posterFrame = 0;
        // The poster's PNG, encoded beside the video from the moment its frame is drawn.
        std::future<QByteArray> posterPng;
        std::unique_ptr<QLockFile> lock;
        qint64 lastEmit = -kProgressIntervalMs;
        bool finished = false;
    };
    // Resolves, hashes and locks every cell, in plan order; finishes those that need no render
    // (up to date, refused, failed) and returns the others.
    std::vector<PendingCell> prepareAll(const std::vector<ExportCell> &cells, int jobs)
    {
        std::vector<PendingCell> pending;
        for (const ExportCell &cell : cells) {
            try {
                if (std::optional<PendingCell> p = prepareCell(cell))
                    pending.push_back(std::move(*p));
            } catch (const std::exception &e) {
                finish(cell, ExportEvent::Status::Failed, QStringLiteral("internal"),
                       internalFailureMessage(cell, e));
            }
        }
        return refuseByPreflight(std::move(pending), jobs);
    }
    // Preflight (ExportOptions::preflightRefusal) for the cells that will render, on up to
    // `jobs` threads: it renders small frames behind each text, which for four cells of four
    // formats (an edited segment) is most of a second per cell.
    std::vector<PendingCell> refuseByPreflight(std::vector<PendingCell> pending, int jobs)
    {
        if (!m_options.preflightRefusal || pending.empty())
            return pending;
        std::vector<QString> refusals(pending.size());
        std::vector<QString> failures(pending.size());
        std::atomic<size_t> next{0};
        const auto check = [&] {
            for (size_t i = next++; i < pending.size(); i = next++) {
                if (cancelled())
                    return;
                try {
                    refusals[i] = m_options.preflightRefusal(pending[i].cell);
                } catch (const std::exception &e) {
                    failures[i] = internalFailureMessage(pending[i].cell, e);
                }
            }
        };
        std::vector<std::thread> threads;
        const size_t count = std::min(pending.size(), size_t(std::clamp(jobs, 1, 16)));
        for (size_t t = 1; t < count; ++t)
            threads.emplace_back(check);
        check();
        for (std::thread &t : threads)
            t.join();
        std::vector<PendingCell> rendering;
        for (size_t i = 0; i < pending.size(); ++i) {
            if (!failures[i].isEmpty())
                finish(pending[i].cell, ExportEvent::Status::Failed, QStringLiteral("internal"),
                       failures[i]);
            else if (!refusals[i].isEmpty())
                finish(pending[i].cell, ExportEvent::Status::Failed,
                       QStringLiteral("preflight_failed"), refusals[i]);
            else
                rendering.push_back(std::move(pending[i]));
        }
        return rendering;
    }
    // Worker threads must not throw: anything unexpected becomes an "internal" failure of the
    // unit's cells not finished yet.
    // `encoders`: the encoder slots the unit uses (a single cell splits its video over them).
    // `chunkSlots`: for a single cell, the batch's slots, taken by each chunk while it renders;
    // null when the caller holds the unit's slots for the whole unit.
    void renderUnitSafely(const std::vector<PendingCell *> &unit, int encoders,
                          render::EncoderSlots *chunkSlots)
    {
        try {
            renderUnit(unit, encoders, chunkSlots);
        } catch (const std::exception &e) {
            for (PendingCell *p : unit) {
                if (!p->finished)
                    finish(p->cell, ExportEvent::Status::Failed, QStringLiteral("internal"),
                           internalFailureMessage(p->cell, e));
            }
        }
    }
    ExportSummary summary() const { return m_summary; }
    // Fails every cell with the same reason before any renders (the free-space pre-check).
    void refuseAll(const std::vector<ExportCell> &cells, const QString &code,
                   const QString &message)
    {
        for (const ExportCell &cell : cells)
            finish(cell, ExportEvent::Status::Failed, code, message);
    }

private:
    // Resolves, hashes and locks a cell; finishes it (skipped, refused, failed) and returns
    // nothing when it needs no render.
    std::optional<PendingCell> prepareCell(const ExportCell &cell);
    // Renders one cell alone, or several of one format together (render::exportGroup).
    void renderUnit(const std::vector<PendingCell *> &unit, int encoders,
                    render::EncoderSlots *chunkSlots);
    // Locks the cell's output name (one export per name across processes) and sweeps its
    // leftover partial files; finishes the cell (busy, unwritable, vanished) when it cannot.
    bool takeOutputLock(const ExportCell &cell, QLockFile &lock);
    void completeCell(PendingCell &p, const render::ExportResult &result, double renderSeconds);
    void emitProgress(PendingCell &p, int64_t done, int64_t total, qint64 elapsedMs);
    // The exports' StillFn: starts encoding each cell's poster on its own thread, so the PNG
    // is ready when the video is and the unit's encoder slots are not held for it.
    render::StillFn posterEncoder(const std::vector<PendingCell *> &unit);
    void emitEvent(const ExportEvent &e);
    void finish(const ExportCell &cell, ExportEvent::Status status, const QString &code = {},
                const QString &message = {}, const ManifestCell *entry = nullptr);
    bool cancelled() const { return m_cancel && m_cancel->load(); }
    // The campaign folder (<out>/<slug>, where the manifest lives) was there when the batch
    // started; if it is gone now, it was removed or unmounted under the running export.
    bool exportFolderVanished() const
    {
        return folderIdentity(m_manifest.directory()) != m_root;
    }
    // Fails the cell; when the cell's own writing made the folders again (the encoder creates
    // a missing output folder), removes what it wrote there and those empty folders, so
    // nothing of this export sits in a folder the user removed.
    void failVanished(const ExportCell &cell, QLockFile *lock = nullptr);

    const editor::Campaign &m_campaign;
    const std::function<void(const ExportEvent &)> &m_onEvent;
    const std::atomic<bool> *m_cancel;
    const ExportOptions m_options;
    ExportManifest &m_manifest;
    const FolderIdentity m_root;        // <out>/<slug> when the batch started
    const FolderIdentity m_rootParent;  // <out>
    FileHashCache m_sourceHashes;
    std::mutex m_mutex;
    ExportSummary m_summary;
};

void BatchRun::failVanished(const ExportCell &cell, QLockFile *lock)
{
    const QString root = m_manifest.directory();
    if (folderIdentity(root).exists) {  // made again under us: take back what we made
        QFile::remove(cell.outputPath);
        QFile::remove(posterPath(cell));
        if (lock)
            lock->unlock();
        QDir().rmdir(QFileInfo(cell.outputPath).absolutePath());  // only ever empty folders
        QDir().rmdir(root);
        const QString parent = QFileInfo(root).absolutePath();
        if (folderIdentity(parent) != m_rootParent)
            QDir().rmdir(parent);
    }
    // Never recreated: a folder that vanished mid-batch is usually an unmounted drive or a
    // user's deliberate removal, and writing the rest into a fresh folder (possibly on the
    // disk under the mount point) would scatter the export.
    finish(cell, ExportEvent::Status::Failed, QStringLiteral("cannot_create"),
           tr("The export folder %1 disappeared during the export (removed, renamed or "
              "unmounted); %2 was not written. Check the folder (or choose another one) and "
              "export again.")
               .arg(QDir::toNativeSeparators(m_manifest.directory()),
                    QDir::toNativeSeparators(cell.outputPath)));
}

void BatchRun::emitEvent(const ExportEvent &e)
{
    std::lock_guard<std::mutex> lock(m_mutex);
    if (e.type == ExportEvent::Type::Done) {
        switch (e.status) {
        case ExportEvent::Status::Ok: ++m_summary.ok; break;
        case ExportEvent::Status::Failed:
            ++m_summary.failed;
            m_summary.errorCodes << e.errorCode;
            break;
        case ExportEvent::Status::Cancelled: ++m_summary.cancelled; break;
        case ExportEvent::Status::Skipped: ++m_summary.skipped; break;
        }
    }
    if (m_onEvent)
        m_onEvent(e);
}

void BatchRun::finish(const ExportCell &cell, ExportEvent::Status status, const QString &code,
                      const QString &message, const ManifestCell *entry)
{
    ExportEvent e;
    e.type = ExportEvent::Type::Done;
    e.cell = cell;
    e.status = status;
    e.errorCode = code;
    e.errorMessage = message;
    if (entry) {
        e.sha256 = entry->sha256;
        e.contentHash = entry->contentHash;
        e.posterPath = m_manifest.absolutePath(entry->poster);
    }
    emitEvent(e);
}

std::optional<BatchRun::PendingCell> BatchRun::prepareCell(const ExportCell &cell)
{
    using Status = ExportEvent::Status;
    const auto finished = [&](auto &&...args) -> std::optional<PendingCell> {
        finish(cell, args...);
        return std::nullopt;
    };
    if (cancelled())
        return finished(Status::Cancelled);
    if (const auto refused = m_options.refusedCells.constFind(cell.jobId());
        refused != m_options.refusedCells.constEnd())
        return finished(Status::Failed, QStringLiteral("preflight_failed"), refused.value());
    const editor::ResolveResult resolved =
        editor::resolveVariant(m_campaign, cell.segmentId, cell.formatId);
    if (!resolved.composition || !resolved.errors.isEmpty())
        return finished(Status::Failed, QStringLiteral("invalid_input"),
                      resolved.errors.join(QStringLiteral("; ")));
    if (!resolved.missingFiles.isEmpty()) {
        QStringList files;
        for (const QString &f : resolved.missingFiles)
            files << QDir::toNativeSeparators(f);
        return finished(Status::Failed, QStringLiteral("missing_input"),
                      tr("Missing media file(s): %1. Generated assets that are not made yet "
                         "come from: campaign-cli generate PROJECT")
                          .arg(files.join(QStringLiteral(", "))));
    }
    render::Composition comp = *resolved.composition;
    comp.encode.threads = kEncoderThreads;
    comp.label = cell.jobId();
    comp.encode.metadata = outputMetadataFor(m_campaign, comp);
    QString hashError;
    const QString contentHash = cellContentHash(comp, m_sourceHashes, &hashError);
    if (contentHash.isEmpty())
        return finished(Status::Failed, QStringLiteral("missing_input"), hashError);
    const QString poster = posterPath(cell);
    const int64_t posterFrame = posterFrameFor(comp, m_options.posterTimeSec);

    const std::optional<ManifestCell> recorded = m_manifest.cell(cell.jobId());
    if (m_options.onlyAsReviewed && (!recorded || recorded->contentHash != contentHash))
        return finished(Status::Failed, QStringLiteral("changed_since_approval"),
                      tr("The project changed since %1 was approved (its inputs no longer give "
                         "the approved render); the approved file is kept as it is. Render it "
                         "without --approved-only and review it again.")
                          .arg(QDir::toNativeSeparators(cell.outputPath)));
    // One export per output name across processes (two studios, a studio and the CLI): the
    // later one fails naming the holder instead of racing for the same file.
    const QString dir = QFileInfo(cell.outputPath).absolutePath();
    const auto vanished = [&]() -> std::optional<PendingCell> {
        failVanished(cell);
        return std::nullopt;
    };
    if (exportFolderVanished())
        return vanished();
    // mkdir, not mkpath: only the segment folder is ever made here (see failVanished).
    if (!QFileInfo(dir).isDir() && ::mkdir(QFile::encodeName(dir).constData(), 0777) != 0
        && errno != EEXIST) {
        const QString why = QString::fromLocal8Bit(std::strerror(errno));
        if (exportFolderVanished())  // removed between the check above and the mkdir
            return vanished();
        return finished(Status::Failed, QStringLiteral("cannot_create"),
                        tr("Cannot create the output folder %1 (%2). Choose a folder you can "
                           "write to.")
                            .arg(QDir::toNativeSeparators(dir), why));
    }
    auto outputLock = std::make_unique<QLockFile>(cell.outputPath + QStringLiteral(".lock"));
    if (!takeOutputLock(cell, *outputLock))
        return std::nullopt;

    if (recorded && !m_options.force && upToDate(*recorded, contentHash, cell.outputPath)) {
        if (recorded->posterFrame == posterFrame && QFileInfo(poster).isFile())
            return finished(Status::Skipped, QString(), QString(), &*recorded);
        // Only the poster is missing or wanted at another time: a single frame, not a render.
        QString error;
        ManifestCell updated = *recorded;
        updated.poster = m_manifest.relativePath(poster);
        updated.posterFrame = posterFrame;
        updated.posterTimeSec = double(posterFrame) / comp.fps.toDouble();
        if (!writePoster(comp, posterFrame, poster, &error) || !m_manifest.record(updated, &error))
            return finished(Status::Failed, QStringLiteral("io_error"), error);
        return finished(Status::Skipped, QString(), QString(), &updated);
    }

    // Released until the cell's unit starts (renderUnit takes it again): a batch of many
    // cells does not hold a lock file per waiting cell, which a folder that turns read-only
    // mid-batch would leave behind.
    outputLock->unlock();
    PendingCell p;
    p.cell = cell;
    p.comp = std::move(comp);
    p.contentHash = contentHash;
    p.poster = poster;
    p.posterFrame = posterFrame;
    p.lock = std::move(outputLock);
    return p;
}

bool BatchRun::takeOutputLock(const ExportCell &cell, QLockFile &outputLock)
{
    using Status = ExportEvent::Status;
    const QString dir = QFileInfo(cell.outputPath).absolutePath();
    // A dead holder (same host) makes the lock stale at once; a live one is never taken over,
    // however long its render takes.
    outputLock.setStaleLockTime(kOutputLockStaleMs);
    if (!outputLock.tryLock(0) && outputLock.error() != QLockFile::LockFailedError) {
        // The segment folder was made when the batch was prepared: gone now means removed
        // (possibly with the export folder still being deleted around it).
        if (exportFolderVanished() || !QFileInfo(dir).isDir()) {
            failVanished(cell);
            return false;
        }
        // Not held by anyone: the lock file cannot be made (a read-only folder or volume,
        // permissions). access() says why, for root too (EROFS).
        const QString why = ::access(QFile::encodeName(dir).constData(), W_OK) != 0
            ? QString::fromLocal8Bit(std::strerror(errno))
            : tr("cannot create %1").arg(QFileInfo(outputLock.fileName()).fileName());
        finish(cell, Status::Failed, QStringLiteral("cannot_create"),
               tr("Cannot write to the output folder %1 (%2); %3 was not written. "
                  "Choose a folder you can write to.")
                   .arg(QDir::toNativeSeparators(dir), why,
                        QDir::toNativeSeparators(cell.outputPath)));
        return false;
    }
    if (!outputLock.isLocked()) {
        qint64 pid = 0;
        QString host, app;
        outputLock.getLockInfo(&pid, &host, &app);
        finish(cell, Status::Failed, QStringLiteral("busy"),
               tr("%1 is already being exported by process %2 (%3 on %4). Let that export "
                  "finish or stop it, then export again.")
                   .arg(QDir::toNativeSeparators(cell.outputPath)).arg(pid)
                   .arg(app.isEmpty() ? tr("unknown program") : app, host));
        return false;
    }
    // Holding the lock makes every *.partial-* of this name a leftover of a killed export.
    removeLeftoverPartials(cell.outputPath);
    return true;
}

void BatchRun::emitProgress(PendingCell &p, int64_t done, int64_t total, qint64 elapsedMs)
{
    if (done < total && elapsedMs - p.lastEmit < kProgressIntervalMs)
        return;
    p.lastEmit = elapsedMs;
    ExportEvent e;
    e.type = ExportEvent::Type::Progress;
    e.cell = p.cell;
    e.frame = done;
    e.frames = total;
    e.etaSeconds = done > 0 ? double(elapsedMs) / 1000.0 * double(total - done) / double(done) : -1;
    emitEvent(e);
}

void BatchRun::renderUnit(const std::vector<PendingCell *> &all, int encoders,
                          render::EncoderSlots *chunkSlots)
{
    std::vector<PendingCell *> unit;
    for (PendingCell *p : all) {
        if (cancelled()) {
            p->finished = true;
            finish(p->cell, ExportEvent::Status::Cancelled);
        } else if (takeOutputLock(p->cell, *p->lock)) {
            unit.push_back(p);
        } else {
            p->finished = true;
        }
    }
    if (unit.empty())
        return;
    for (PendingCell *p : unit) {
        ExportEvent start;
        start.type = ExportEvent::Type::Start;
        start.cell = p->cell;
        start.frames = p->comp.frameCount;
        emitEvent(start);
    }
    QElapsedTimer timer;
    timer.start();
    if (unit.size() == 1) {
        PendingCell &p = *unit.front();
        const render::ExportResult result = render::exportComposition(
            p.comp, p.cell.outputPath,
            [&](int64_t done, int64_t total) { emitProgress(p, done, total, timer.elapsed()); },
            m_cancel, p.posterFrame, encoders, posterEncoder(unit), chunkSlots);
        completeCell(p, result, timer.elapsed() / 1000.0);
        return;
    }
    std::vector<render::Composition> group;
    QStringList paths;
    for (const PendingCell *p : unit) {
        group.push_back(p->comp);
        paths << p->cell.outputPath;
    }
    // Progress comes on this thread, in frame order per cell.
    const std::vector<render::ExportResult> results = render::exportGroup(
        group, paths,
        [&](size_t i, int64_t done, int64_t total) {
            emitProgress(*unit[i], done, total, timer.elapsed());
        },
        m_cancel, unit.front()->posterFrame, posterEncoder(unit));
    // Every cell of a group took the group's time: they were rendered together.
    const double seconds = timer.elapsed() / 1000.0;
    for (size_t i = 0; i < unit.size(); ++i)
        completeCell(*unit[i], results[i], seconds);
}

render::StillFn BatchRun::posterEncoder(const std::vector<PendingCell *> &unit)
{
    return [unit](size_t cell, const QImage &still) {
        if (cell < unit.size() && !still.isNull())
            unit[cell]->posterPng = startPosterEncode(still, unit[cell]->comp.encode.metadata);
    };
}

void BatchRun::completeCell(PendingCell &p, const render::ExportResult &result,
                            double renderSeconds)
{
    using Status = ExportEvent::Status;
    p.finished = true;
    // The output name stays locked until its manifest entry is written, then is free at once
    // (the other cells of a group may still be writing posters).
    const auto unlock = qScopeGuard([&p] { p.lock.reset(); });
    const ExportCell &cell = p.cell;
    const render::Composition &comp = p.comp;
    const QString &poster = p.poster;
    const int64_t posterFrame = p.posterFrame;
    const QString &contentHash = p.contentHash;
    QString hashError;
    if (result.error.kind == render::ErrorKind::Cancelled)
        return finish(cell, Status::Cancelled);
    if (result.error) {
        if (exportFolderVanished())
            return failVanished(cell, p.lock.get());
        QString message = result.error.message;
        // A failed write is most often a full disk or a quota: say how much this variant needs
        // next to what is free, so the user knows how much to free (RELIABILITY.md D1).
        if (result.error.kind == render::ErrorKind::IoError) {
            const QString dir = QFileInfo(cell.outputPath).absolutePath();
            message += QLatin1Char(' ')
                + tr("This variant %1.")
                      .arg(spaceFigures(estimateCellBytes(comp), bytesAvailableFor(dir), dir));
        }
        return finish(cell, Status::Failed, errorCode(result.error.kind), message);
    }
    if (exportFolderVanished())
        return failVanished(cell, p.lock.get());

    ManifestCell entry;
    entry.segmentId = cell.segmentId;
    entry.formatId = cell.formatId;
    entry.file = m_manifest.relativePath(cell.outputPath);
    entry.sha256 = sha256OfFile(cell.outputPath, &hashError);
    if (entry.sha256.isEmpty())
        return finish(cell, Status::Failed, QStringLiteral("io_error"), hashError);
    entry.bytes = QFileInfo(cell.outputPath).size();
    const render::MediaInfo info = render::probeMedia(cell.outputPath);
    entry.durationSec = info.durationSec;
    entry.width = info.width;
    entry.height = info.height;
    entry.contentHash = contentHash;
    entry.renderSeconds = std::round(renderSeconds * 1000.0) / 1000.0;
    entry.poster = m_manifest.relativePath(poster);
    entry.posterFrame = posterFrame;
    entry.posterTimeSec = double(posterFrame) / comp.fps.toDouble();
    entry.assets = generatedAssetsUsed(m_campaign, comp);
    // The poster is one frame: it is finished even when a cancel arrives now, so the manifest
    // entry of a completed MP4 is never lost to an interrupt.
    QString error;
    const QByteArray png = p.posterPng.valid() ? p.posterPng.get() : QByteArray();
    if (!writePoster(comp, posterFrame, poster, &error, result.still, png)
        || !m_manifest.record(entry, &error))
        return exportFolderVanished()
            ? failVanished(cell, p.lock.get())
            : finish(cell, Status::Failed, QStringLiteral("io_error"), error);
    finish(cell, Status::Ok, {}, {}, &entry);
}
}  // namespace

namespace {
// Encoder slots a unit can use: one per cell of a group; a single cell, one per chunk of its
// video (exportComposition encodes them in parallel).
int slotsWanted(const std::vector<BatchRun::PendingCell *> &unit)
{
    if (unit.size() != 1)
        return int(unit.size());
    const render::Composition &c = unit.front()->comp;
    return int(render::encodeChunkStarts(c.frameCount, c.fps).size());
}

// The render units, in plan order: the pending cells of one format in chunks of up to
// min(jobs, kGroupCells), split into single cells where they share no layer.
std::vector<std::vector<BatchRun::PendingCell *>>
renderUnits(std::vector<BatchRun::PendingCell> &pending, int jobs)
{
    const size_t limit = size_t(std::clamp(jobs, 1, kGroupCells));
    std::vector<std::vector<BatchRun::PendingCell *>> chunks;
    QMap<QString, size_t> open;  // format id -> its chunk still taking cells
    for (BatchRun::PendingCell &p : pending) {
        const auto it = open.constFind(p.cell.formatId);
        if (it != open.constEnd() && chunks[it.value()].size() < limit) {
            chunks[it.value()].push_back(&p);
            continue;
        }
        open[p.cell.formatId] = chunks.size();
        chunks.push_back({&p});
    }
    std::vector<std::vector<BatchRun::PendingCell *>> units;
    for (auto &chunk : chunks) {
        std::vector<render::Composition> comps;
        for (const BatchRun::PendingCell *p : chunk)
            comps.push_back(p->comp);
        if (chunk.size() > 1 && render::sharedLayerCount(comps) == 0) {
            for (BatchRun::PendingCell *p : chunk)
                units.push_back({p});
        } else {
            units.push_back(std::move(chunk));
        }
    }
    return units;
}
}  // namespace

ExportSummary runExport(const editor::Campaign &c, const std::vector<ExportCell> &cells, int jobs,
                        const std::function<void(const ExportEvent &)> &onEvent,
                        const std::atomic<bool> *cancel, const ExportOptions &options)
{
    // planExport puts every cell at <outDir>/<slug>/<segment>/<format>.mp4.
    const QString manifestFile = cells.empty()
        ? QString()
        : QFileInfo(cells.front().outputPath).dir().absoluteFilePath(
              QStringLiteral("../") + options.manifestFileName);
    ExportManifest manifest(QDir::cleanPath(manifestFile), c.id, c.name);
    manifest.setExtra(options.manifestExtra);
    if (!cells.empty()) {
        QString warning;
        manifest.load(&warning);
        if (!warning.isEmpty())
            qWarning("%s", qPrintable(warning));
    }
    if (!cells.empty()) {
        // The campaign folder exists from here on; one that vanishes later fails the cells
        // that are left instead of being made again (BatchRun::failVanished).
        QDir().mkpath(manifest.directory());
    }
    BatchRun run(c, onEvent, cancel, options, manifest);
    if (options.checkFreeSpace && !cells.empty()) {
        if (const std::optional<QString> refusal =
                refuseIfShort(estimateBatchBytes(c, cells, manifest, options), manifest.directory())) {
            run.refuseAll(cells, QStringLiteral("no_space"), *refusal);
            return run.summary();
        }
    }
    std::vector<BatchRun::PendingCell> pending = run.prepareAll(cells, jobs);
    const std::vector<std::vector<BatchRun::PendingCell *>> units = renderUnits(pending, jobs);
    std::vector<ExportCell> advised;
    for (const BatchRun::PendingCell &p : pending)
        advised.push_back(p.cell);
    const AdvisoryPreflight advice(std::move(advised), options.preflightAdvice, cancel);

    // `jobs` encoder slots. A group takes one per cell and holds them until its cells are
    // recorded: releasing them when only its encoders were done, so the next group started
    // while this one hashed and recorded its files, was measured no faster (71.2 s against
    // 72.4 s for the batch) and raised the batch's peak memory from 590 to 692 MB. A single
    // cell split into chunks (an incremental re-export of one segment: four cells, one per
    // format) starts once a slot is free and its chunks take one each while they render, so
    // the next cell's first chunk runs beside this cell's last one and its muxing.
    render::EncoderSlots encoderSlots(std::max(1, jobs));
    std::mutex mutex;
    size_t next = 0;
    const auto worker = [&]() {
        for (;;) {
            std::unique_lock lock(mutex);  // units start in plan order
            if (next >= units.size())
                return;
            const size_t index = next++;
            const int need = std::min(encoderSlots.capacity(), slotsWanted(units[index]));
            if (units[index].size() == 1 && need > 1) {
                encoderSlots.waitAvailable();
                lock.unlock();
                run.renderUnitSafely(units[index], need, &encoderSlots);
            } else {
                render::SlotHold hold(&encoderSlots, need);
                lock.unlock();
                run.renderUnitSafely(units[index], need, nullptr);
            }
        }
    };
    std::vector<std::thread> threads;
    const int workers = std::clamp(jobs, 1, std::max(1, int(units.size())));
    threads.reserve(size_t(workers));
    for (int i = 0; i < workers; ++i)
        threads.emplace_back(worker);
    for (std::thread &t : threads)
        t.join();
    if (qEnvironmentVariableIsSet("CAMPAIGN_RENDER_STATS"))
        std::fprintf(stderr, "batch: at most %d of %d encoder slots held at once\n",
                     encoderSlots.peakInUse(), encoderSlots.capacity());
    return run.summary();
}

}  // namespace services
