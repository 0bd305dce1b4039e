// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Fills a campaign's missing generated assets in the background (services::
// generateMissingAssets with the offline provider) and hands the updated campaign back to the
// GUI thread, which saves it. The worker edits its own copy, never the window's document.

#include "editor/campaign.h"

#include <QFuture>
#include <QObject>
#include <QString>

#include <atomic>

namespace ui {

class GenerationController : public QObject {
    Q_OBJECT
public:
    explicit GenerationController(QObject *parent = nullptr);
    ~GenerationController() override;  // cancels and waits

    bool isRunning() const { return m_running; }
    bool start(const editor::Campaign &campaign, const QString &projectDir);
    void cancel() { m_cancel = true; }

signals:
    void progressChanged(int percent, const QString &status);
    // `campaign` holds the new asset paths; `changed` says whether it must be saved.
    void finished(const editor::Campaign &campaign, bool changed, int failed,
                  const QString &message);

private:
    std::atomic<bool> m_cancel{false};
    bool m_running = false;
    QFuture<void> m_future;
};

}  // namespace ui
