// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Runs the generation job queue (services::generateAssets) on a worker thread and reports every
// job's state to the GUI thread through queued signals. The worker edits its own copy of the
// campaign and hands it back when the run ends; the window merges it into its document (which
// the user may have edited meanwhile) and saves.
//
// Providers: the offline generator always; Gemini image and Veo with the back end set through
// setBackend() when it is usable. When it is not, jobs for them fail at once with the back
// end's problem() — nothing is sent anywhere.

#include "app/generate_assets.h"
#include "app/google_api.h"
#include "editor/campaign.h"

#include <QFuture>
#include <QHash>
#include <QObject>
#include <QString>

#include <memory>
#include <optional>

namespace ui {

class GenerationController : public QObject {
    Q_OBJECT
public:
    explicit GenerationController(QObject *parent = nullptr);
    ~GenerationController() override;  // cancels and waits

    bool isRunning() const { return m_running; }
    void setBackend(const services::GoogleBackend &backend) { m_backend = backend; }
    const std::optional<services::GoogleBackend> &backend() const { return m_backend; }

    // Every asset without a file (the "Generate missing assets" button).
    bool start(const editor::Campaign &campaign, const QString &projectDir);
    // A run with options: assetIds, forceNew ... One run at a time; false while running.
    bool start(const editor::Campaign &campaign, const QString &projectDir,
               const services::GenerationOptions &options);
    void cancel();
    void cancelAsset(const QString &assetId);

    // The message a job for `providerId` fails with when `backend` is not usable.
    static QString unusableBackendMessage(const QString &providerId, const QString &problem);

signals:
    void runStarted(const services::GenerationOptions &options);
    // Every state change of every job of the current run, in order, on the GUI thread.
    void jobChanged(const services::GenerationJobEvent &event);
    void progressChanged(int percent, const QString &status);
    // `campaign` holds the new asset paths; `changed` says whether it must be saved.
    void finished(const editor::Campaign &campaign, bool changed, int failed,
                  const QString &message);

private:
    void deliver(const services::GenerationJobEvent &event);
    void complete(const editor::Campaign &campaign, const services::GenerationReport &report);

    bool m_running = false;
    std::optional<services::GoogleBackend> m_backend;
    std::shared_ptr<services::GenerationCancellation> m_cancellation;
    QHash<QString, services::GenerationJobEvent> m_lastEvents;  // per asset, this run
    int m_total = 0;
    QFuture<void> m_future;
};

}  // namespace ui
