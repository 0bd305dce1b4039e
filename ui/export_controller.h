// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Runs an export batch in the background and reports to the GUI thread. The batch itself is
// services::runExport, the same code campaign-cli runs, so the GUI and the CLI write the
// same files.

#include "app/batch_export.h"
#include "editor/campaign.h"

#include <QFuture>
#include <QObject>
#include <QString>

#include <atomic>
#include <map>

namespace ui {

class ExportController : public QObject {
    Q_OBJECT
public:
    explicit ExportController(QObject *parent = nullptr);
    ~ExportController() override;  // cancels and waits for a running batch

    bool isRunning() const { return m_running; }
    // Starts exporting `cells` of `campaign` (a snapshot: later edits don't affect the batch).
    bool start(const editor::Campaign &campaign, std::vector<services::ExportCell> cells,
               int jobs);
    void cancel();

signals:
    void progressChanged(int percent, const QString &status);
    void cellFinished(const services::ExportEvent &event);
    void finished(const services::ExportSummary &summary, bool cancelled);

private:
    void handleEvent(const services::ExportEvent &event);

    std::atomic<bool> m_cancel{false};
    bool m_running = false;
    QFuture<void> m_future;
    std::map<QString, std::pair<qint64, qint64>> m_frames;  // job id -> (done, total)
    int m_cellsTotal = 0;
    int m_cellsDone = 0;
};

}  // namespace ui
