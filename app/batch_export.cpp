// SPDX-License-Identifier: GPL-3.0-or-later
#include "batch_export.h"

#include "file_hash.h"

#include "editor/resolve.h"
#include "render/renderer.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QSet>
#include <QThread>

#include <algorithm>
#include <exception>
#include <mutex>
#include <thread>

namespace services {

namespace {
QString tr(const char *text) { return QCoreApplication::translate("services", text); }

constexpr qint64 kProgressIntervalMs = 500;  // at most two progress events a second per cell

// "Stride Autumn Drop" -> "stride-autumn-drop"; accents are dropped, not the letters.
QString campaignSlug(const QString &name)
{
    const QString decomposed = name.normalized(QString::NormalizationForm_KD).toLower();
    QString slug;
    for (QChar ch : decomposed) {
        if ((ch >= u'a' && ch <= u'z') || (ch >= u'0' && ch <= u'9'))
            slug += ch;
        else if (ch.category() != QChar::Mark_NonSpacing && !slug.endsWith(QLatin1Char('-')))
            slug += QLatin1Char('-');
    }
    while (slug.startsWith(QLatin1Char('-')))
        slug.remove(0, 1);
    while (slug.endsWith(QLatin1Char('-')))
        slug.chop(1);
    return slug.isEmpty() ? QStringLiteral("campaign") : slug;
}

// Ids become single path components: [A-Za-z0-9._-] only, never "", "." or "..", never hidden.
QString pathComponent(const QString &id)
{
    QString out;
    for (QChar ch : id) {
        const bool ok = (ch >= u'a' && ch <= u'z') || (ch >= u'A' && ch <= u'Z')
            || (ch >= u'0' && ch <= u'9') || ch == u'.' || ch == u'_' || ch == u'-';
        out += ok ? ch : QLatin1Char('_');
    }
    if (out.isEmpty() || out.startsWith(QLatin1Char('.')))
        out.prepend(QLatin1Char('_'));
    return out;
}

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

class BatchRun {
public:
    BatchRun(const editor::Campaign &c, const std::function<void(const ExportEvent &)> &onEvent,
             const std::atomic<bool> *cancel, int threadsPerJob)
        : m_campaign(c), m_onEvent(onEvent), m_cancel(cancel), m_threadsPerJob(threadsPerJob)
    {
    }

    // Worker threads must not throw: anything unexpected becomes an "internal" failure.
    void runCellSafely(const ExportCell &cell)
    {
        try {
            runCell(cell);
        } catch (const std::exception &e) {
            finish(cell, ExportEvent::Status::Failed, QStringLiteral("internal"),
                   QString::fromLocal8Bit(e.what()));
        }
    }
    ExportSummary summary() const { return m_summary; }

private:
    void runCell(const ExportCell &cell);
    void emitEvent(const ExportEvent &e);
    void finish(const ExportCell &cell, ExportEvent::Status status, const QString &code = {},
                const QString &message = {}, const QString &sha256 = {});
    bool cancelled() const { return m_cancel && m_cancel->load(); }

    const editor::Campaign &m_campaign;
    const std::function<void(const ExportEvent &)> &m_onEvent;
    const std::atomic<bool> *m_cancel;
    const int m_threadsPerJob;
    std::mutex m_mutex;
    ExportSummary m_summary;
};

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
        }
    }
    if (m_onEvent)
        m_onEvent(e);
}

void BatchRun::finish(const ExportCell &cell, ExportEvent::Status status, const QString &code,
                      const QString &message, const QString &sha256)
{
    ExportEvent e;
    e.type = ExportEvent::Type::Done;
    e.cell = cell;
    e.status = status;
    e.errorCode = code;
    e.errorMessage = message;
    e.sha256 = sha256;
    emitEvent(e);
}

void BatchRun::runCell(const ExportCell &cell)
{
    using Status = ExportEvent::Status;
    if (cancelled())
        return finish(cell, Status::Cancelled);
    const editor::ResolveResult resolved =
        editor::resolveVariant(m_campaign, cell.segmentId, cell.formatId);
    if (!resolved.composition || !resolved.errors.isEmpty())
        return finish(cell, Status::Failed, QStringLiteral("invalid_input"),
                      resolved.errors.join(QStringLiteral("; ")));
    if (!resolved.missingFiles.isEmpty()) {
        QStringList files;
        for (const QString &f : resolved.missingFiles)
            files << QDir::toNativeSeparators(f);
        return finish(cell, Status::Failed, QStringLiteral("missing_input"),
                      tr("Missing media file(s): %1. Generated assets that are not made yet "
                         "come from: campaign-cli generate PROJECT")
                          .arg(files.join(QStringLiteral(", "))));
    }
    render::Composition comp = *resolved.composition;
    comp.encode.threads = m_threadsPerJob;
    comp.label = cell.jobId();
    const QString dir = QFileInfo(cell.outputPath).absolutePath();
    if (!QDir().mkpath(dir))
        return finish(cell, Status::Failed, QStringLiteral("cannot_create"),
                      tr("Cannot create the output folder %1.").arg(QDir::toNativeSeparators(dir)));

    ExportEvent start;
    start.type = ExportEvent::Type::Start;
    start.cell = cell;
    start.frames = comp.frameCount;
    emitEvent(start);

    QElapsedTimer timer;
    timer.start();
    qint64 lastEmit = -kProgressIntervalMs;
    const auto progress = [&](int64_t done, int64_t total) {
        const qint64 now = timer.elapsed();
        if (done < total && now - lastEmit < kProgressIntervalMs)
            return;
        lastEmit = now;
        ExportEvent e;
        e.type = ExportEvent::Type::Progress;
        e.cell = cell;
        e.frame = done;
        e.frames = total;
        e.etaSeconds = done > 0 ? double(now) / 1000.0 * double(total - done) / double(done) : -1;
        emitEvent(e);
    };
    const render::ExportResult result =
        render::exportComposition(comp, cell.outputPath, progress, m_cancel);
    if (result.error.kind == render::ErrorKind::Cancelled)
        return finish(cell, Status::Cancelled);
    if (result.error)
        return finish(cell, Status::Failed, errorCode(result.error.kind), result.error.message);
    QString hashError;
    const QString sha = sha256OfFile(cell.outputPath, &hashError);
    if (sha.isEmpty())
        return finish(cell, Status::Failed, QStringLiteral("io_error"), hashError);
    finish(cell, Status::Ok, {}, {}, sha);
}
}  // namespace

QString cellOutputPath(const editor::Campaign &c, const QString &outDir, const QString &segmentId,
                       const QString &formatId)
{
    const QString root = QDir::cleanPath(QDir(outDir).absolutePath());
    const QString path = QDir::cleanPath(root + QLatin1Char('/') + campaignSlug(c.name)
                                         + QLatin1Char('/') + pathComponent(segmentId)
                                         + QLatin1Char('/') + pathComponent(formatId)
                                         + QStringLiteral(".mp4"));
    // Belt and braces: the sanitising above already makes escaping impossible.
    return path.startsWith(root + QLatin1Char('/')) ? path : QString();
}

std::vector<ExportCell> planExport(const editor::Campaign &c, const QString &outDir,
                                   const QStringList &segmentIds, const QStringList &formatIds,
                                   QStringList *errors)
{
    QStringList problems;
    QStringList known;
    for (const auto &s : c.segments)
        known << s.id;
    for (const QString &id : segmentIds)
        if (!c.segment(id))
            problems << tr("Unknown segment id \"%1\" (the project has: %2).")
                            .arg(id, known.join(QStringLiteral(", ")));
    known.clear();
    for (const auto &f : c.formats)
        known << f.id;
    for (const QString &id : formatIds)
        if (!c.format(id))
            problems << tr("Unknown format id \"%1\" (the project has: %2).")
                            .arg(id, known.join(QStringLiteral(", ")));

    std::vector<ExportCell> cells;
    QSet<QString> paths;
    for (const auto &s : c.segments) {
        if (!segmentIds.isEmpty() && !segmentIds.contains(s.id))
            continue;
        for (const auto &f : c.formats) {
            if (!formatIds.isEmpty() && !formatIds.contains(f.id))
                continue;
            ExportCell cell{s.id, f.id, cellOutputPath(c, outDir, s.id, f.id)};
            if (cell.outputPath.isEmpty() || paths.contains(cell.outputPath)) {
                problems << tr("The cell %1 has no output path of its own; rename the segment "
                               "or format so their ids differ in letters, digits, '.', '_' or '-'.")
                                .arg(cell.jobId());
                continue;
            }
            paths.insert(cell.outputPath);
            cells.push_back(cell);
        }
    }
    if (errors)
        *errors = problems;
    return cells;
}

ExportSummary runExport(const editor::Campaign &c, const std::vector<ExportCell> &cells, int jobs,
                        const std::function<void(const ExportEvent &)> &onEvent,
                        const std::atomic<bool> *cancel)
{
    const int workers = std::clamp(jobs, 1, std::max(1, int(cells.size())));
    // Parallel cells already keep the cores busy; libx264's own threads share what is left.
    const int threadsPerJob = std::max(1, QThread::idealThreadCount() / std::max(1, jobs));
    BatchRun run(c, onEvent, cancel, threadsPerJob);
    std::atomic<size_t> next{0};
    const auto worker = [&]() {
        for (size_t i = next++; i < cells.size(); i = next++) {
            run.runCellSafely(cells[i]);
        }
    };
    std::vector<std::thread> threads;
    threads.reserve(size_t(workers));
    for (int i = 0; i < workers; ++i)
        threads.emplace_back(worker);
    for (std::thread &t : threads)
        t.join();
    return run.summary();
}

}  // namespace services
