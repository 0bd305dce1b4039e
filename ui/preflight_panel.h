// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The studio's preflight list: every finding of services::runPreflight over the open
// document (cell, rule, severity, layer, message). It re-runs by itself shortly after the
// document stops changing, and on "Run again"; the checks run on a worker thread
// (QtConcurrent) on a copy of the campaign, so typing never waits for them. A result that
// arrives for an older revision than the document's is dropped. Double-clicking a finding
// emits cellActivated so the main window can show that cell in the preview.

#include "app/preflight.h"

#include <QFutureWatcher>
#include <QWidget>

#include <atomic>
#include <memory>

class QLabel;
class QPushButton;
class QTimer;
class QTreeWidget;
class QTreeWidgetItem;

namespace editor {
class Document;
}

namespace ui {

class PreflightPanel : public QWidget {
    Q_OBJECT
public:
    // `document` must outlive the panel.
    explicit PreflightPanel(editor::Document *document, QWidget *parent = nullptr);
    ~PreflightPanel() override;

    // Options of the next runs (pseudo-localisation, minimum text size, pixel sampling).
    void setOptions(const services::PreflightOptions &options);
    // Milliseconds of quiet after the last Document::changed before a re-run (default 600).
    void setDebounceMs(int ms);

    const services::PreflightReport &report() const { return m_report; }
    bool isRunning() const;
    QTreeWidget *findingsView() const { return m_tree; }

public slots:
    void runNow();

signals:
    void cellActivated(const QString &segmentId, const QString &formatId);
    void finished(const services::PreflightReport &report);

private:
    void scheduleRun();
    void onFinished();
    void showReport();
    void onItemActivated(QTreeWidgetItem *item);

    editor::Document *m_document;
    services::PreflightOptions m_options;
    services::PreflightReport m_report;
    QTreeWidget *m_tree;
    QLabel *m_status;
    QPushButton *m_runButton;
    QTimer *m_debounce;
    QFutureWatcher<services::PreflightReport> m_watcher;
    quint64 m_runningRevision = 0;
    bool m_rerunWanted = false;
    std::shared_ptr<std::atomic<bool>> m_cancel;
};

}  // namespace ui
