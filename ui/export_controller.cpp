// SPDX-License-Identifier: GPL-3.0-or-later
#include "export_controller.h"

#include <QMetaObject>
#include <QPointer>
#include <QProcess>
#include <QTemporaryDir>
#include <QtConcurrent>

namespace ui {

ExportController::ExportController(QObject *parent)
    : QObject(parent)
{
    qRegisterMetaType<services::ExportEvent>("services::ExportEvent");
    qRegisterMetaType<services::ExportSummary>("services::ExportSummary");
}

ExportController::~ExportController()
{
    m_cancel = true;
    if (m_process) {
        // SIGTERM lets the CLI cancel cleanly (no partial files); a hung one is killed.
        m_process->disconnect(this);
        m_process->terminate();
        if (!m_process->waitForFinished(10000))
            m_process->kill();
        m_process->waitForFinished(2000);
    }
    m_future.waitForFinished();
}

bool ExportController::start(const editor::Campaign &campaign,
                             std::vector<services::ExportCell> cells, int jobs,
                             const QString &outDir)
{
    if (m_running || cells.empty())
        return false;
    m_cancel = false;
    m_frames.clear();
    m_counted = {};
    m_cellsTotal = int(cells.size());
    m_cellsDone = 0;
    if (!m_cliProgram.isEmpty()) {
        if (!startProcess(campaign, cells, jobs, outDir))
            return false;
        m_running = true;
        emit progressChanged(0, tr("Exporting %n variant(s)…", nullptr, m_cellsTotal));
        return true;
    }
    m_running = true;
    emit progressChanged(0, tr("Exporting %n variant(s)…", nullptr, m_cellsTotal));

    QPointer<ExportController> self(this);
    m_future = QtConcurrent::run([self, this, campaign, cells = std::move(cells), jobs]() {
        // Events arrive on worker threads; hop to the GUI thread before touching state.
        auto onEvent = [self](const services::ExportEvent &event) {
            QMetaObject::invokeMethod(self, [self, event]() {
                if (self)
                    self->handleEvent(event);
            }, Qt::QueuedConnection);
        };
        const services::ExportSummary summary =
            services::runExport(campaign, cells, jobs, onEvent, &m_cancel);
        QMetaObject::invokeMethod(self, [self, summary]() {
            if (self)
                self->finish(summary);
        }, Qt::QueuedConnection);
    });
    return true;
}

void ExportController::finish(const services::ExportSummary &summary)
{
    m_running = false;
    const bool cancelled = m_cancel.load();
    emit progressChanged(cancelled ? 0 : 100,
                         cancelled ? tr("Export cancelled: %1 of %2 done").arg(summary.ok).arg(m_cellsTotal)
                                   : tr("Exported %1 of %2 (%3 up to date, %4 failed)")
                                         .arg(summary.ok).arg(m_cellsTotal)
                                         .arg(summary.skipped).arg(summary.failed));
    emit finished(summary, cancelled);
}

void ExportController::cancel()
{
    m_cancel = true;
    if (m_process)
        m_process->terminate();  // the CLI's SIGTERM handler cancels every cell cleanly
}

void ExportController::handleEvent(const services::ExportEvent &event)
{
    const QString job = event.cell.jobId();
    emit cellEvent(event);
    switch (event.type) {
    case services::ExportEvent::Type::Start:
        m_frames[job] = {0, std::max<qint64>(1, event.frames)};
        break;
    case services::ExportEvent::Type::Progress:
        m_frames[job] = {event.frame, std::max<qint64>(1, event.frames)};
        break;
    case services::ExportEvent::Type::Done:
        ++m_cellsDone;
        switch (event.status) {
        case services::ExportEvent::Status::Ok: ++m_counted.ok; break;
        case services::ExportEvent::Status::Failed: ++m_counted.failed; break;
        case services::ExportEvent::Status::Cancelled: ++m_counted.cancelled; break;
        case services::ExportEvent::Status::Skipped: ++m_counted.skipped; break;
        }
        if (auto it = m_frames.find(job); it != m_frames.end())
            it->second.first = it->second.second;
        emit cellFinished(event);
        break;
    }
    // Overall progress: each cell weighs the same, partially done cells count by frames.
    double sum = 0;
    for (const auto &[id, frames] : m_frames)
        sum += double(frames.first) / double(frames.second);
    const int percent = m_cellsTotal ? int(100.0 * sum / m_cellsTotal) : 0;
    emit progressChanged(std::min(percent, 99),
                         tr("Exporting: %1 of %2 variants done").arg(m_cellsDone).arg(m_cellsTotal));
}

}  // namespace ui
