// SPDX-License-Identifier: GPL-3.0-or-later
#include "generate_assets.h"

#include "asset_store.h"
#include "file_hash.h"

#include "editor/generation_plan.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>

#include <algorithm>
#include <condition_variable>
#include <mutex>
#include <thread>

namespace services {

namespace {
QString tr(const char *text) { return QCoreApplication::translate("services", text); }

using Status = GenerationOutcome::Status;

GenerationProvider *findProvider(const QList<GenerationProvider *> &providers, const QString &id)
{
    for (GenerationProvider *p : providers)
        if (p && p->id() == id)
            return p;
    return nullptr;
}

// Which requests a --provider override applies to: a video provider to video requests, an
// image provider to image requests, the offline generator to every request.
bool providerFits(const QString &provider, editor::AssetKind kind)
{
    if (provider == QLatin1String("veo"))
        return kind == editor::AssetKind::Video;
    if (provider == QLatin1String("gemini-image"))
        return kind == editor::AssetKind::Image;
    return true;
}

struct Job {
    GenerationJobEvent event;        // the latest state, as sent
    editor::GenerationRecipe recipe; // as planned
    QString sourceAssetId;
    int dependsOn = -1;              // index of the job making the source, or -1
    bool force = false;
    bool started = false;
    bool finished = false;
    GenerationOutcome outcome;
    std::shared_ptr<std::atomic<bool>> cancel;
};

// Shared state of one run; every member below `mutex` is guarded by it.
class Run {
public:
    Run(editor::Campaign &campaign, const QString &projectDir,
        const QList<GenerationProvider *> &providers, const GenerationOptions &options,
        const GenerationEventFn &onEvent, GenerationCancellation *cancellation)
        : campaign(campaign), store(projectDir), providers(providers), options(options),
          onEvent(onEvent), cancellation(cancellation)
    {
    }

    editor::Campaign &campaign;
    AssetStore store;
    const QList<GenerationProvider *> &providers;
    const GenerationOptions &options;
    const GenerationEventFn &onEvent;
    GenerationCancellation *cancellation;

    std::mutex mutex;
    std::condition_variable wake;
    std::vector<Job> jobs;
    QHash<QString, int> runningPerProvider;
    int running = 0;

    std::mutex eventMutex;  // events go out one at a time, in the order they happen

    void emitEvent(const GenerationJobEvent &e)
    {
        std::lock_guard lock(eventMutex);
        writeLog(e);
        if (onEvent)
            onEvent(e);
    }

    void log(const QString &line)
    {
        if (options.dryRun)
            return;  // a dry run leaves no trace on disk
        QFile file(QDir(store.directory()).filePath(QStringLiteral("generation.log")));
        if (!QDir().mkpath(store.directory()) || !file.open(QIODevice::Append | QIODevice::Text))
            return;
        const QString stamped = QDateTime::currentDateTimeUtc().toString(Qt::ISODate)
                                + QLatin1Char(' ') + redactSecrets(line, options.secrets);
        file.write(stamped.toUtf8() + '\n');
    }

    bool cancelled(const Job &job) const
    {
        return (job.cancel && job.cancel->load())
            || (cancellation && (cancellation->allCancelled() || cancellation->externalCancelled()));
    }

    void execute(int index);

private:
    void writeLog(const GenerationJobEvent &e)
    {
        if (e.state == JobState::Queued || e.state == JobState::UpToDate)
            return;
        QString line = QStringLiteral("%1 [%2 %3] %4").arg(e.assetId, e.provider, e.model,
                                                          jobStateName(e.state));
        if (!e.message.isEmpty())
            line += QStringLiteral(": ") + e.message;
        if (e.billedAttempts)
            line += QStringLiteral(" (billed attempts %1)").arg(e.billedAttempts);
        log(line);
    }
};

void Run::execute(int index)
{
    GenerationJobEvent ev;
    editor::GenerationRecipe recipe;
    QString sourcePath;
    bool force = false;
    std::shared_ptr<std::atomic<bool>> cancelFlag;
    {
        std::lock_guard lock(mutex);
        Job &job = jobs[size_t(index)];
        ev = job.event;
        recipe = job.recipe;
        force = job.force;
        cancelFlag = job.cancel;
        if (!job.sourceAssetId.isEmpty()) {
            const editor::Asset *source = campaign.asset(job.sourceAssetId);
            if (source)
                sourcePath = source->path;
        }
    }
    QElapsedTimer timer;
    timer.start();
    GenerationOutcome out;
    out.assetId = ev.assetId;

    const auto finish = [&](JobState state) {
        out.seconds = timer.elapsed() / 1000.0;
        ev.state = state;
        ev.seconds = out.seconds;
        ev.failure = out.failure;
        ev.message = out.message;
        ev.path = out.path;
        ev.alternativePaths = out.alternativePaths;
        ev.billedAttempts = out.billedAttempts;
        {
            std::lock_guard lock(mutex);
            Job &job = jobs[size_t(index)];
            job.outcome = out;
            job.event = ev;
        }
        emitEvent(ev);
    };

    ev.state = JobState::Running;
    emitEvent(ev);

    if (!recipe.sourceAssetId.isEmpty()) {
        if (sourcePath.isEmpty() || !QFileInfo(sourcePath).isFile()) {
            out.status = Status::Failed;
            out.failure = FailureKind::Config;
            out.message = tr("The source asset \"%1\" has no file yet.").arg(recipe.sourceAssetId);
            return finish(JobState::Failed);
        }
        QString hashError;
        recipe.inputSha256 = sha256OfFile(sourcePath, &hashError);
        if (recipe.inputSha256.isEmpty()) {
            out.status = Status::Failed;
            out.message = hashError;
            return finish(JobState::Failed);
        }
    }
    const QString key = AssetStore::cacheKey(recipe);
    const auto applyToCampaign = [&](const editor::GenerationRecipe &stored, const QString &path) {
        std::lock_guard lock(mutex);
        if (editor::Asset *asset = campaign.asset(ev.assetId)) {
            asset->path = path;
            asset->recipe = stored;
            asset->pinned = false;  // a new result for the slot replaces an earlier choice
        }
    };

    if (!force) {
        if (const auto hit = store.findByRecipeHash(key)) {
            editor::GenerationRecipe stored = recipe;
            stored.outputSha256 = hit->sha256;
            stored.createdAt = hit->createdAt;
            stored.requestRecordId = hit->requestRecordId;
            applyToCampaign(stored, hit->path);
            out.status = Status::Reused;
            out.path = hit->path;
            return finish(JobState::Reused);
        }
    }
    GenerationProvider *provider = findProvider(providers, recipe.provider);
    if (!provider) {
        out.status = Status::Failed;
        out.failure = FailureKind::Config;
        const QString problem = options.providerProblems.value(recipe.provider);
        const bool known = recipe.provider == QLatin1String("offline")
            || recipe.provider == QLatin1String("gemini-image")
            || recipe.provider == QLatin1String("veo");
        out.message = !problem.isEmpty() ? problem
            : known ? tr("The generation provider \"%1\" is not available here: set up its key "
                         "and back end (generation settings in the studio, GEMINI_API_KEY or "
                         "GOOGLE_CLOUD_ACCESS_TOKEN for the CLI).").arg(recipe.provider)
                    : tr("The generation provider \"%1\" is not known; use offline, "
                         "gemini-image or veo.").arg(recipe.provider);
        return finish(JobState::Failed);
    }

    GenerationContext context;
    context.cancel = cancelFlag.get();
    context.notify = [&](const ProviderNotice &n) {
        switch (n.kind) {
        case ProviderNotice::Kind::BilledAttempt:
            ++out.billedAttempts;
            ev.billedAttempts = out.billedAttempts;
            ev.state = JobState::Running;
            ev.message.clear();
            break;
        case ProviderNotice::Kind::Retrying:
            ev.state = JobState::Retrying;
            ev.seconds = n.seconds;
            ev.attempt = n.attempt;
            ev.maxAttempts = n.maxAttempts;
            ev.message = n.text;
            break;
        case ProviderNotice::Kind::Submitted:
            ev.state = JobState::Running;
            ev.message = tr("submitted %1").arg(n.text);
            break;
        case ProviderNotice::Kind::Polling:
            ev.state = JobState::Polling;
            ev.seconds = n.seconds;
            ev.message = n.text;
            break;
        case ProviderNotice::Kind::Downloading:
            ev.state = JobState::Running;
            ev.message = tr("downloading");
            break;
        }
        emitEvent(ev);
    };
    context.loadPendingOperation = [&] { return store.pendingOperation(key); };
    context.savePendingOperation = [&](const QJsonObject &op) {
        QString error;
        if (!store.savePendingOperation(key, op, &error))
            log(ev.assetId + QStringLiteral(": ") + error);
    };
    context.clearPendingOperation = [&] { store.clearPendingOperation(key); };
    context.log = [&](const QString &line) { log(ev.assetId + QStringLiteral(": ") + line); };

    GenerationInputs inputs;
    inputs.sourcePath = sourcePath;
    const GenerationResult result = provider->generate(recipe, inputs, store.workDirectory(), context);
    out.billedAttempts = std::max(out.billedAttempts, result.billedAttempts);
    out.failure = result.failure;
    const auto dropFiles = [&result] {
        QStringList files = result.extraFilePaths;
        files << result.filePath;
        for (const QString &file : std::as_const(files))
            if (!file.isEmpty())
                QFile::remove(file);
    };
    if (result.cancelled || cancelled(jobs[size_t(index)])) {
        dropFiles();
        out.status = Status::Cancelled;
        out.failure = FailureKind::Cancelled;
        return finish(JobState::Cancelled);
    }
    if (!result.ok()) {
        dropFiles();
        out.message = result.error.isEmpty() ? tr("The provider returned no file.") : result.error;
        const bool blocked = result.failure == FailureKind::Blocked;
        out.status = blocked ? Status::Blocked : Status::Failed;
        return finish(blocked ? JobState::Blocked : JobState::Failed);
    }
    editor::GenerationRecipe stored = recipe;
    stored.requestRecordId = result.requestRecordId;
    // Milliseconds: two results of one slot made within a second still sort newest first.
    stored.createdAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODateWithMs);
    const AssetStore::Stored saved = store.store(result.filePath, result.suffix, stored,
                                                 result.details);
    if (saved.sha256.isEmpty() || !QFileInfo(saved.path).isFile()) {
        for (const QString &extra : result.extraFilePaths)
            QFile::remove(extra);
        out.status = Status::Failed;
        out.message = saved.error;
        return finish(JobState::Failed);
    }
    // Alternatives get their own recipe (candidate index in params) so the cache never hands
    // out the second image for the first one's recipe; the history shows them all.
    for (int i = 0; i < result.extraFilePaths.size(); ++i) {
        editor::GenerationRecipe alt = stored;
        alt.params.insert(QStringLiteral("candidate"), i + 2);
        const AssetStore::Stored extra = store.store(result.extraFilePaths.at(i),
                                                     result.extraSuffixes.value(i, result.suffix),
                                                     alt, result.details);
        if (!extra.sha256.isEmpty())
            out.alternativePaths << extra.path;
    }
    stored.outputSha256 = saved.sha256;
    applyToCampaign(stored, saved.path);
    out.status = Status::Generated;
    out.path = saved.path;
    out.message = saved.error;  // a failed recipe.json write only costs the cache entry
    return finish(JobState::Done);
}
}  // namespace

QString jobStateName(JobState s)
{
    switch (s) {
    case JobState::Queued: return QStringLiteral("queued");
    case JobState::Running: return QStringLiteral("running");
    case JobState::Retrying: return QStringLiteral("retrying");
    case JobState::Polling: return QStringLiteral("polling");
    case JobState::Done: return QStringLiteral("done");
    case JobState::Reused: return QStringLiteral("reused");
    case JobState::UpToDate: return QStringLiteral("up-to-date");
    case JobState::Planned: return QStringLiteral("planned");
    case JobState::Blocked: return QStringLiteral("blocked");
    case JobState::Failed: return QStringLiteral("failed");
    case JobState::Cancelled: return QStringLiteral("cancelled");
    }
    return QString();
}

bool isFinalJobState(JobState s)
{
    switch (s) {
    case JobState::Queued:
    case JobState::Running:
    case JobState::Retrying:
    case JobState::Polling:
        return false;
    default:
        return true;
    }
}

void GenerationCancellation::cancelAll()
{
    m_all = true;
    QMutexLocker lock(&m_mutex);
    for (const auto &flag : std::as_const(m_flags))
        *flag = true;
}

void GenerationCancellation::cancel(const QString &assetId)
{
    *flagFor(assetId) = true;
}

bool GenerationCancellation::isCancelled(const QString &assetId) const
{
    if (m_all || externalCancelled())
        return true;
    QMutexLocker lock(&m_mutex);
    const auto flag = m_flags.value(assetId);
    return flag && flag->load();
}

std::shared_ptr<std::atomic<bool>> GenerationCancellation::flagFor(const QString &assetId)
{
    QMutexLocker lock(&m_mutex);
    auto &flag = m_flags[assetId];
    if (!flag)
        flag = std::make_shared<std::atomic<bool>>(m_all.load());
    return flag;
}

int GenerationReport::count(GenerationOutcome::Status s) const
{
    return int(std::count_if(items.begin(), items.end(),
                             [s](const GenerationOutcome &o) { return o.status == s; }));
}

int GenerationReport::temporaryFailures() const
{
    return int(std::count_if(items.begin(), items.end(), [](const GenerationOutcome &o) {
        return o.status == Status::Failed && isTemporaryFailure(o.failure);
    }));
}

GenerationReport generateAssets(editor::Campaign &campaign, const QString &projectDir,
                                const QList<GenerationProvider *> &providers,
                                const GenerationOptions &options, const GenerationEventFn &onEvent,
                                GenerationCancellation *cancellation)
{
    GenerationReport report;
    const editor::Campaign before = campaign;
    GenerationCancellation ownCancellation;
    if (!cancellation)
        cancellation = &ownCancellation;

    // A dry run plans on a copy: nothing of the caller's campaign changes.
    editor::Campaign scratch;
    editor::Campaign &target = options.dryRun ? (scratch = campaign) : campaign;

    for (editor::GenerationRequest &r : target.generationRequests) {
        if (!options.providerOverride.isEmpty() && providerFits(options.providerOverride, r.kind)
            && r.provider != options.providerOverride) {
            r.provider = options.providerOverride;
            r.model.clear();  // the old provider's model id means nothing to the new one
        }
        if (!options.modelOverride.isEmpty()
            && (options.providerOverride.isEmpty() || providerFits(options.providerOverride, r.kind)))
            r.model = options.modelOverride;
        if (r.model.isEmpty())
            if (const GenerationProvider *p = findProvider(providers, r.provider))
                r.model = p->modelWhenUnset();
    }
    const editor::GenerationPlan plan = editor::expandGenerationRequests(target);

    Run run(target, projectDir, providers, options, onEvent, cancellation);
    QStringList selected;
    for (const QString &id : plan.assetIds) {
        const editor::Asset *asset = target.asset(id);
        if (!asset || !asset->recipe)
            continue;
        if (!options.assetIds.isEmpty() && !options.assetIds.contains(id))
            continue;
        if (!options.segmentIds.isEmpty() && !asset->recipe->segmentId.isEmpty()
            && !options.segmentIds.contains(asset->recipe->segmentId))
            continue;
        selected << id;
    }
    // Sources first, so a job's dependency always has the lower index.
    std::stable_partition(selected.begin(), selected.end(), [&target](const QString &id) {
        return target.asset(id)->recipe->sourceAssetId.isEmpty();
    });

    QHash<QString, int> jobOfAsset;
    for (const QString &id : selected) {
        const editor::Asset *asset = target.asset(id);
        const editor::GenerationRecipe &recipe = *asset->recipe;
        const bool force = options.forceNew && options.assetIds.contains(id);
        bool needs = force || plan.needsGenerating.contains(id);
        // A clip made from an image that has since been regenerated is stale too.
        if (!needs && !recipe.sourceAssetId.isEmpty() && !recipe.inputSha256.isEmpty()
            && !asset->pinned) {
            const editor::Asset *source = target.asset(recipe.sourceAssetId);
            needs = jobOfAsset.contains(recipe.sourceAssetId)
                || (source && sha256OfFile(source->path) != recipe.inputSha256);
        }
        GenerationJobEvent ev;
        ev.assetId = id;
        ev.requestId = recipe.requestId;
        ev.segmentId = recipe.segmentId;
        ev.provider = recipe.provider;
        ev.model = recipe.model;
        if (!needs) {
            ev.state = JobState::UpToDate;
            ev.path = asset->path;
            report.items.push_back({id, Status::UpToDate, asset->path, {}, {}, FailureKind::None, 0, 0});
            continue;
        }
        Job job;
        job.event = ev;
        job.recipe = recipe;
        job.force = force;
        job.sourceAssetId = recipe.sourceAssetId;
        job.dependsOn = jobOfAsset.value(recipe.sourceAssetId, -1);
        job.cancel = cancellation->flagFor(id);
        jobOfAsset.insert(id, int(run.jobs.size()));
        run.jobs.push_back(std::move(job));
    }
    const int total = int(run.jobs.size());
    for (int i = 0; i < total; ++i) {
        run.jobs[size_t(i)].event.index = i;
        run.jobs[size_t(i)].event.total = total;
    }

    if (options.dryRun) {
        for (Job &job : run.jobs) {
            GenerationOutcome out;
            out.assetId = job.event.assetId;
            const bool cached = !job.force && job.recipe.sourceAssetId.isEmpty()
                && run.store.findByRecipeHash(AssetStore::cacheKey(job.recipe));
            out.status = cached ? Status::Reused : Status::Planned;
            out.message = cached ? tr("would reuse the stored result (recipe cache)")
                                 : tr("would request: %1").arg(job.recipe.prompt);
            job.event.state = cached ? JobState::Reused : JobState::Planned;
            job.event.message = out.message;
            run.emitEvent(job.event);
            report.items.push_back(out);
        }
        return report;
    }

    for (const Job &job : run.jobs)
        run.emitEvent(job.event);  // everything shows as queued before the first one starts
    if (total > 0) {
        QString dirError;
        if (!run.store.ensureDirectory(&dirError)) {
            for (Job &job : run.jobs) {
                job.outcome = {job.event.assetId, Status::Failed, {}, {}, dirError,
                               FailureKind::Config, 0, 0};
                job.event.state = JobState::Failed;
                job.event.message = dirError;
                run.emitEvent(job.event);
                job.finished = true;
            }
        } else {
            run.store.removeStaleTemporaries();
        }
    }

    // The calling thread dispatches: it starts a worker per job as limits allow, and marks
    // queued jobs cancelled at once when asked (a running job stops through its own flag).
    std::vector<std::thread> workers;
    const int maxParallel = std::max(1, options.maxParallelJobs);
    std::unique_lock lock(run.mutex);
    for (;;) {
        bool allDone = true;
        for (int i = 0; i < total; ++i) {
            Job &job = run.jobs[size_t(i)];
            if (job.finished)
                continue;
            allDone = false;
            if (job.started)
                continue;
            const Job *dep = job.dependsOn >= 0 ? &run.jobs[size_t(job.dependsOn)] : nullptr;
            JobState early = JobState::Queued;
            QString why;
            if (run.cancelled(job)) {
                early = JobState::Cancelled;
            } else if (dep && dep->finished && dep->outcome.status != Status::Generated
                       && dep->outcome.status != Status::Reused) {
                early = JobState::Failed;
                why = tr("Its source \"%1\" was not generated.").arg(job.sourceAssetId);
            }
            if (early != JobState::Queued) {
                job.started = job.finished = true;
                job.outcome.assetId = job.event.assetId;
                job.outcome.status = early == JobState::Cancelled ? Status::Cancelled : Status::Failed;
                job.outcome.failure = early == JobState::Cancelled ? FailureKind::Cancelled
                                                                   : FailureKind::Config;
                job.outcome.message = why;
                job.event.state = early;
                job.event.message = why;
                const GenerationJobEvent ev = job.event;
                lock.unlock();
                run.emitEvent(ev);
                lock.lock();
                continue;
            }
            if (dep && !dep->finished)
                continue;
            GenerationProvider *provider = findProvider(providers, job.recipe.provider);
            const int providerLimit = provider ? std::max(1, provider->maxConcurrency()) : maxParallel;
            if (run.running >= maxParallel
                || run.runningPerProvider.value(job.recipe.provider) >= providerLimit)
                continue;
            job.started = true;
            ++run.running;
            ++run.runningPerProvider[job.recipe.provider];
            workers.emplace_back([&run, i] {
                run.execute(i);
                std::lock_guard done(run.mutex);
                Job &j = run.jobs[size_t(i)];
                j.finished = true;
                --run.running;
                --run.runningPerProvider[j.recipe.provider];
                run.wake.notify_all();
            });
        }
        if (allDone)
            break;
        if (run.cancellation && run.cancellation->externalCancelled())
            run.cancellation->cancelAll();
        run.wake.wait_for(lock, std::chrono::milliseconds(50));
    }
    lock.unlock();
    for (std::thread &t : workers)
        t.join();

    for (const Job &job : run.jobs) {
        report.items.push_back(job.outcome);
        report.billedAttempts += job.outcome.billedAttempts;
        report.cancelled = report.cancelled || job.outcome.status == Status::Cancelled;
    }
    report.campaignChanged = !(campaign == before);
    return report;
}

GenerationReport generateMissingAssets(editor::Campaign &campaign, const QString &projectDir,
                                       const QList<GenerationProvider *> &providers,
                                       const GenerationProgressFn &progress,
                                       const std::atomic<bool> *cancel)
{
    GenerationCancellation cancellation;
    cancellation.linkExternal(cancel);
    std::mutex mutex;
    QHash<QString, GenerationOutcome> finals;
    GenerationOptions options;
    const auto onEvent = [&](const GenerationJobEvent &e) {
        if (!progress)
            return;
        if (e.state == JobState::Running && e.billedAttempts == 0 && e.message.isEmpty()) {
            progress({GenerationProgress::Stage::Started, e.index, e.total, e.assetId, nullptr});
        } else if (isFinalJobState(e.state) && e.state != JobState::UpToDate
                   && e.state != JobState::Planned) {
            GenerationOutcome o;
            o.assetId = e.assetId;
            o.path = e.path;
            o.message = e.message;
            o.failure = e.failure;
            o.seconds = e.seconds;
            o.billedAttempts = e.billedAttempts;
            o.status = e.state == JobState::Done      ? Status::Generated
                     : e.state == JobState::Reused    ? Status::Reused
                     : e.state == JobState::Blocked   ? Status::Blocked
                     : e.state == JobState::Cancelled ? Status::Cancelled
                                                      : Status::Failed;
            std::lock_guard lock(mutex);
            const GenerationOutcome &kept = finals[e.assetId] = o;
            progress({GenerationProgress::Stage::Finished, e.index, e.total, e.assetId, &kept});
        }
    };
    return generateAssets(campaign, projectDir, providers, options, onEvent, &cancellation);
}

QList<StoredGeneration> storedGenerations(const QString &projectDir, const QString &requestId,
                                          const QString &segmentId)
{
    QList<StoredGeneration> out;
    const AssetStore store(projectDir);
    for (const AssetStore::Entry &e : store.entries()) {
        if (e.recipe.requestId != requestId)
            continue;
        if (!segmentId.isEmpty() && e.recipe.segmentId != segmentId)
            continue;
        out.push_back({e.path, e.recipe});
    }
    std::stable_sort(out.begin(), out.end(), [](const StoredGeneration &a, const StoredGeneration &b) {
        return a.recipe.createdAt > b.recipe.createdAt;
    });
    return out;
}

}  // namespace services
