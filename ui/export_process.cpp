// SPDX-License-Identifier: GPL-3.0-or-later
// ExportController's child-process mode: campaign-cli render on a snapshot, its JSON Lines
// turned back into the same ExportEvents the in-process batch sends.
#include "export_controller.h"

#include "editor/project_io.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>

namespace ui {

namespace {
services::ExportEvent::Status statusFromName(const QString &s)
{
    if (s == QLatin1String("ok"))
        return services::ExportEvent::Status::Ok;
    if (s == QLatin1String("skipped"))
        return services::ExportEvent::Status::Skipped;
    if (s == QLatin1String("cancelled"))
        return services::ExportEvent::Status::Cancelled;
    return services::ExportEvent::Status::Failed;
}
}  // namespace

QString ExportController::findCliProgram()
{
    const QString fromEnv = qEnvironmentVariable("CAMPAIGN_CLI");
    if (!fromEnv.isEmpty())
        return QFileInfo(fromEnv).isExecutable() ? fromEnv : QString();
    const QDir here(QCoreApplication::applicationDirPath());
    for (const QString &candidate : {here.filePath(QStringLiteral("campaign-cli")),
                                     here.filePath(QStringLiteral("../cli/campaign-cli"))}) {
        const QFileInfo info(candidate);
        if (info.isFile() && info.isExecutable())
            return info.canonicalFilePath();
    }
    return {};
}

bool ExportController::startProcess(const editor::Campaign &campaign,
                                    const std::vector<services::ExportCell> &cells, int jobs,
                                    const QString &outDir)
{
    // The document may be unsaved: the child renders a snapshot of it. Media paths are written
    // relative to the snapshot's folder, so they resolve to the same files.
    m_snapshotDir = std::make_unique<QTemporaryDir>();
    if (!m_snapshotDir->isValid())
        return false;
    const QString snapshot = m_snapshotDir->filePath(QStringLiteral("export.campaign"));
    QString error;
    if (!editor::saveCampaign(campaign, snapshot, &error)) {
        emit progressChanged(0, tr("Cannot start the export: %1").arg(error));
        return false;
    }
    QStringList args{QStringLiteral("render"), snapshot, QStringLiteral("--out"), outDir,
                     QStringLiteral("--jobs"), QString::number(jobs),
                     QStringLiteral("--progress"), QStringLiteral("jsonl")};
    QStringList segments, formats;
    for (const services::ExportCell &cell : cells) {
        if (!segments.contains(cell.segmentId))
            segments << cell.segmentId;
        if (!formats.contains(cell.formatId))
            formats << cell.formatId;
    }
    for (const QString &s : segments)
        args << QStringLiteral("--segment") << s;
    for (const QString &f : formats)
        args << QStringLiteral("--format") << f;

    m_cells = cells;
    m_doneJobs.clear();
    m_summary.reset();
    m_stdoutBuffer.clear();
    m_stderrTail.clear();
    m_process = new QProcess(this);
    connect(m_process, &QProcess::readyReadStandardOutput, this, &ExportController::readProcessOutput);
    connect(m_process, &QProcess::readyReadStandardError, this, [this] {
        m_stderrTail += m_process->readAllStandardError();
        m_stderrTail = m_stderrTail.right(4096);  // the end says why it stopped
    });
    connect(m_process, &QProcess::finished, this, [this](int code, QProcess::ExitStatus status) {
        readProcessOutput();
        processFinished(code, status == QProcess::CrashExit);
    });
    connect(m_process, &QProcess::errorOccurred, this, [this](QProcess::ProcessError e) {
        if (e == QProcess::FailedToStart)
            processFinished(-1, true);
    });
    m_process->start(m_cliProgram, args);
    return true;
}

void ExportController::readProcessOutput()
{
    if (!m_process)
        return;
    m_stdoutBuffer += m_process->readAllStandardOutput();
    qsizetype nl;
    while ((nl = m_stdoutBuffer.indexOf('\n')) >= 0) {
        const QByteArray line = m_stdoutBuffer.left(nl).trimmed();
        m_stdoutBuffer.remove(0, nl + 1);
        if (!line.isEmpty())
            handleJsonLine(line);
    }
}

void ExportController::handleJsonLine(const QByteArray &line)
{
    const QJsonObject o = QJsonDocument::fromJson(line).object();
    const QString kind = o.value(QStringLiteral("event")).toString();
    if (kind == QLatin1String("summary")) {
        services::ExportSummary s;
        s.ok = o.value(QStringLiteral("ok")).toInt();
        s.failed = o.value(QStringLiteral("failed")).toInt();
        s.cancelled = o.value(QStringLiteral("cancelled")).toInt();
        s.skipped = o.value(QStringLiteral("skipped")).toInt();
        m_summary = s;
        return;
    }
    services::ExportEvent e;
    const QString job = o.value(QStringLiteral("job")).toString();
    e.cell.segmentId = job.section(QLatin1Char('/'), 0, 0);
    e.cell.formatId = job.section(QLatin1Char('/'), 1);
    e.cell.outputPath = o.value(QStringLiteral("output")).toString();
    e.frame = o.value(QStringLiteral("frame")).toInteger();
    e.frames = o.value(QStringLiteral("frames")).toInteger();
    if (kind == QLatin1String("start")) {
        e.type = services::ExportEvent::Type::Start;
    } else if (kind == QLatin1String("progress")) {
        e.type = services::ExportEvent::Type::Progress;
        e.etaSeconds = o.value(QStringLiteral("eta_s")).toDouble(-1);
    } else if (kind == QLatin1String("done")) {
        e.type = services::ExportEvent::Type::Done;
        e.status = statusFromName(o.value(QStringLiteral("status")).toString());
        e.sha256 = o.value(QStringLiteral("sha256")).toString();
        e.posterPath = o.value(QStringLiteral("poster")).toString();
        const QJsonObject err = o.value(QStringLiteral("error")).toObject();
        e.errorCode = err.value(QStringLiteral("code")).toString();
        e.errorMessage = err.value(QStringLiteral("message")).toString();
        m_doneJobs << job;
    } else {
        return;  // a newer CLI's event this studio does not know: ignored, not fatal
    }
    handleEvent(e);
}

void ExportController::processFinished(int exitCode, bool crashed)
{
    if (!m_process)
        return;
    m_process->deleteLater();
    m_process = nullptr;
    m_snapshotDir.reset();
    services::ExportSummary summary = m_summary.value_or(services::ExportSummary{});
    if (!m_summary) {
        // No summary: the child died (crash, kill, a bug) or never started. Every cell it did
        // not finish is a failure the user can see; what it finished stays done.
        // The CLI's own words, which name the file and the fix; its last lines are enough.
        QStringList lines = QString::fromUtf8(m_stderrTail).split(QLatin1Char('\n'), Qt::SkipEmptyParts);
        if (lines.size() > 6)
            lines = lines.mid(lines.size() - 6);
        const QString last = lines.join(QLatin1Char('\n')).trimmed();
        const QString why = crashed
            ? tr("The export process (%1) stopped unexpectedly%2. Variants it finished are kept; "
                 "no partial file is left under a final name. Export again to retry.")
                  .arg(QFileInfo(m_cliProgram).fileName(),
                       last.isEmpty() ? QString() : QStringLiteral(": ") + last)
            : tr("The export process (%1) exited with code %2 without a summary%3.")
                  .arg(QFileInfo(m_cliProgram).fileName()).arg(exitCode)
                  .arg(last.isEmpty() ? QString() : QStringLiteral(": ") + last);
        for (const services::ExportCell &cell : m_cells) {
            if (m_doneJobs.contains(cell.jobId()))
                continue;
            services::ExportEvent e;
            e.type = services::ExportEvent::Type::Done;
            e.cell = cell;
            e.status = m_cancel ? services::ExportEvent::Status::Cancelled
                                : services::ExportEvent::Status::Failed;
            e.errorCode = QStringLiteral("internal");
            e.errorMessage = why;
            handleEvent(e);
        }
        summary = m_counted;
    }
    finish(summary);
}

}  // namespace ui
