// SPDX-License-Identifier: GPL-3.0-or-later
#include "export_controller.h"

#include <QMetaObject>
#include <QPointer>
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
    m_future.waitForFinished();
}

bool ExportController::start(const editor::Campaign &campaign,
                             std::vector<services::ExportCell> cells, int jobs)
{
    if (m_running || cells.empty())
        return false;
    m_running = true;
    m_cancel = false;
    m_frames.clear();
    m_cellsTotal = int(cells.size());
    m_cellsDone = 0;
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
            if (!self)
                return;
            self->m_running = false;
            const bool cancelled = self->m_cancel.load();
            emit self->progressChanged(cancelled ? 0 : 100,
                                       cancelled ? tr("Export cancelled: %1 of %2 done")
                                                       .arg(summary.ok).arg(self->m_cellsTotal)
                                                 : tr("Exported %1 of %2 (%3 up to date, %4 failed)")
                                                       .arg(summary.ok).arg(self->m_cellsTotal)
                                                       .arg(summary.skipped).arg(summary.failed));
            emit self->finished(summary, cancelled);
        }, Qt::QueuedConnection);
    });
    return true;
}

void ExportController::cancel()
{
    m_cancel = true;
}

void ExportController::handleEvent(const services::ExportEvent &event)
{
    const QString job = event.cell.jobId();
    switch (event.type) {
    case services::ExportEvent::Type::Start:
        m_frames[job] = {0, std::max<qint64>(1, event.frames)};
        break;
    case services::ExportEvent::Type::Progress:
        m_frames[job] = {event.frame, std::max<qint64>(1, event.frames)};
        break;
    case services::ExportEvent::Type::Done:
        ++m_cellsDone;
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
