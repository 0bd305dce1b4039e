// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Runs an export batch in the background and reports to the GUI thread.
//
// With a CLI program set (the studio finds campaign-cli beside itself), the batch runs as a
// `campaign-cli render --progress jsonl` child process on a snapshot of the document and the
// controller reads its JSON Lines: a crash or a hang inside a decoder or encoder then ends
// that process, never the studio holding the designer's unsaved work (RELIABILITY.md D3), and
// the GUI and the CLI are the same renderer by construction. Without one it runs
// services::runExport in a thread, the same code the CLI runs.

#include "app/batch_export.h"
#include "editor/campaign.h"

#include <QFuture>
#include <QObject>
#include <QString>

#include <memory>

#include <atomic>
#include <map>
#include <optional>

namespace ui {

}  // namespace ui

class QProcess;
class QTemporaryDir;

namespace ui {

class ExportController : public QObject {
    Q_OBJECT
public:
    explicit ExportController(QObject *parent = nullptr);
    ~ExportController() override;  // cancels and waits for a running batch

    bool isRunning() const { return m_running; }
    // Starts exporting `cells` of `campaign` into `outDir` (a snapshot: later edits don't
    // affect the batch).
    bool start(const editor::Campaign &campaign, std::vector<services::ExportCell> cells,
               int jobs, const QString &outDir);
    void cancel();

    // Empty: in-process export. Otherwise the campaign-cli executable to run.
    void setCliProgram(const QString &program) { m_cliProgram = program; }
    QString cliProgram() const { return m_cliProgram; }
    // $CAMPAIGN_CLI, else campaign-cli beside this executable (installed layout), else in the
    // build tree (app/cli beside app/studio); empty when none is executable.
    static QString findCliProgram();

signals:
    void progressChanged(int percent, const QString &status);
    void cellFinished(const services::ExportEvent &event);
    // Every start, progress and done event of every cell (the Jobs list follows them).
    void cellEvent(const services::ExportEvent &event);
    void finished(const services::ExportSummary &summary, bool cancelled);

private:
    void handleEvent(const services::ExportEvent &event);
    bool startProcess(const editor::Campaign &campaign, const std::vector<services::ExportCell> &cells,
                      int jobs, const QString &outDir);
    void readProcessOutput();
    void handleJsonLine(const QByteArray &line);
    void processFinished(int exitCode, bool crashed);
    void finish(const services::ExportSummary &summary);

    std::atomic<bool> m_cancel{false};
    bool m_running = false;
    QFuture<void> m_future;
    std::map<QString, std::pair<qint64, qint64>> m_frames;  // job id -> (done, total)
    int m_cellsTotal = 0;
    int m_cellsDone = 0;

    QString m_cliProgram;
    QProcess *m_process = nullptr;
    std::unique_ptr<QTemporaryDir> m_snapshotDir;
    QByteArray m_stdoutBuffer;
    QByteArray m_stderrTail;
    std::vector<services::ExportCell> m_cells;
    QStringList m_doneJobs;
    std::optional<services::ExportSummary> m_summary;
    services::ExportSummary m_counted;  // from the Done events seen
};

}  // namespace ui
