// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The generation job queue. Fills in the generated assets a campaign is missing: expands the
// generation requests (editor::expandGenerationRequests), then runs one job per asset without a
// file: reuse a stored file made from the same recipe (the recipe cache in
// <projectDir>/generated, no request at all), or ask the recipe's provider and store the result
// content-addressed with its full recipe. Jobs run in parallel up to each provider's
// maxConcurrency() and the overall limit; assets made from another asset (image -> video) wait
// for their source. Retries with backoff happen inside the network providers; the queue shows
// them ("retrying in 7 s") through events. Every job can be cancelled, alone or all together;
// a cancelled or failed job keeps nothing.
//
// Updates the campaign in place (asset paths, recipes); saving it is the caller's job. Blocking:
// the GUI runs it on a worker thread with its own copy of the campaign. Events arrive on worker
// threads; the callback must be thread-safe (the GUI queues them to its thread).

#include "generation_provider.h"

#include "editor/campaign.h"

#include <QHash>
#include <QList>
#include <QMutex>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>
#include <memory>
#include <vector>

namespace services {

enum class JobState {
    Queued,
    Running,
    Retrying,   // waiting `seconds` before another attempt
    Polling,    // a long-running operation is being polled
    Done,       // generated and stored
    Reused,     // recipe cache hit, no request
    UpToDate,   // already had a file; no job ran
    Planned,    // dry run: would be requested
    Blocked,    // safety block; not retried
    Failed,
    Cancelled,
};
QString jobStateName(JobState s);  // "queued", "running", "retrying", ... (JSON output)
bool isFinalJobState(JobState s);

// One job's state, sent on every change.
struct GenerationJobEvent {
    int index = 0;               // among the jobs of this run (0-based); stable per asset
    int total = 0;
    QString assetId;
    QString requestId;
    QString segmentId;
    QString provider;
    QString model;
    JobState state = JobState::Queued;
    double seconds = 0;          // Retrying / Polling: wait before the next try; final: duration
    int attempt = 0;             // Retrying: the attempt that failed
    int maxAttempts = 0;
    int billedAttempts = 0;      // this job's requests that reached a paid service
    FailureKind failure = FailureKind::None;
    QString message;             // Failed/Blocked: why, naming the fix; Retrying: the reason
    QString path;                // Done/Reused/UpToDate: the stored file
    QStringList alternativePaths;  // Done: further candidates stored beside it
};
using GenerationEventFn = std::function<void(const GenerationJobEvent &)>;

// Cancel flags shared between the caller (GUI thread, signal handler) and the workers.
class GenerationCancellation {
public:
    void cancelAll();
    void cancel(const QString &assetId);
    bool isCancelled(const QString &assetId) const;
    // The flag a provider polls for this asset; set by cancel(assetId) and cancelAll().
    std::shared_ptr<std::atomic<bool>> flagFor(const QString &assetId);
    bool allCancelled() const { return m_all.load(); }
    // Lets a SIGINT handler or another cancel flag stop everything: polled by the queue.
    void linkExternal(const std::atomic<bool> *external) { m_external = external; }
    bool externalCancelled() const { return m_external && m_external->load(); }

private:
    mutable QMutex m_mutex;
    std::atomic<bool> m_all{false};
    const std::atomic<bool> *m_external = nullptr;
    QHash<QString, std::shared_ptr<std::atomic<bool>>> m_flags;
};

struct GenerationOptions {
    QStringList segmentIds;    // only assets of these segments (and shared ones); empty = all
    QStringList assetIds;      // only these assets; empty = every asset that needs a file
    // Regenerate: ask the provider even when the recipe cache or the asset already has a file
    // (for assetIds; the previous file stays in the store and in the history).
    bool forceNew = false;
    bool dryRun = false;       // report what would be requested (Planned); send nothing
    int maxParallelJobs = 4;   // overall cap; each provider's maxConcurrency() caps its share
    // Overrides of the expanded recipes (CLI --provider/--model); empty = as the request says.
    QString providerOverride;
    QString modelOverride;
    // Why a provider is missing from the list (no key, no project ...): the message its jobs
    // fail with, keyed by provider id.
    QHash<QString, QString> providerProblems;
    // Written to <projectDir>/generated/generation.log with these strings redacted.
    QStringList secrets;
};

struct GenerationOutcome {
    enum class Status { Generated, Reused, UpToDate, Planned, Failed, Blocked, Cancelled };
    QString assetId;
    Status status = Status::Failed;
    QString path;      // the stored file (Generated, Reused, UpToDate)
    QStringList alternativePaths;
    QString message;   // why it failed
    FailureKind failure = FailureKind::None;
    int billedAttempts = 0;
    double seconds = 0;
};

struct GenerationReport {
    std::vector<GenerationOutcome> items;  // one per asset the requests produce (filtered)
    bool campaignChanged = false;          // the caller should save
    bool cancelled = false;
    int billedAttempts = 0;                // over all jobs
    int count(GenerationOutcome::Status s) const;
    // Failed jobs whose failure is temporary (network, quota, 5xx, timeout): CLI exit 75.
    int temporaryFailures() const;
};

// `providers` are looked up by GenerationRecipe::provider; they are not owned. `cancellation`
// may be null.
GenerationReport generateAssets(editor::Campaign &campaign, const QString &projectDir,
                                const QList<GenerationProvider *> &providers,
                                const GenerationOptions &options, const GenerationEventFn &onEvent,
                                GenerationCancellation *cancellation);

// The foundation's entry point, kept for the simple callers: all missing assets, default
// options, progress as Started/Finished pairs.
struct GenerationProgress {
    enum class Stage { Started, Finished };
    Stage stage = Stage::Started;
    int index = 0;   // among the assets that need a file
    int total = 0;
    QString assetId;
    const GenerationOutcome *outcome = nullptr;  // Finished only
};
using GenerationProgressFn = std::function<void(const GenerationProgress &)>;
GenerationReport generateMissingAssets(editor::Campaign &campaign, const QString &projectDir,
                                       const QList<GenerationProvider *> &providers,
                                       const GenerationProgressFn &progress,
                                       const std::atomic<bool> *cancel);

// Every stored result for a slot: the recipes in <projectDir>/generated/*.recipe.json whose
// requestId (and segmentId, when given) match, newest first, with their files. For the
// history list, compare and "use this" in the generation panel.
struct StoredGeneration {
    QString path;                 // the media file
    editor::GenerationRecipe recipe;
};
QList<StoredGeneration> storedGenerations(const QString &projectDir, const QString &requestId,
                                          const QString &segmentId);

}  // namespace services
