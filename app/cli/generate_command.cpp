// SPDX-License-Identifier: GPL-3.0-or-later
// campaign-cli generate PROJECT: makes the project's missing generated assets and saves it.
// Credentials and endpoints come from the environment only (GEMINI_API_KEY,
// GOOGLE_CLOUD_ACCESS_TOKEN, GOOGLE_CLOUD_PROJECT, GOOGLE_CLOUD_LOCATION,
// CAMPAIGN_GEMINI_BASE_URL, CAMPAIGN_VERTEX_BASE_URL); they never reach the project, the log or
// the output.
#include "cli_common.h"

#include "app/gemini_image_provider.h"
#include "app/generate_assets.h"
#include "app/offline_generator.h"
#include "app/veo_provider.h"
#include "editor/project_io.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcessEnvironment>

#include <memory>
#include <mutex>

namespace cli {

namespace {
constexpr int ExitTempFail = 75;  // EX_TEMPFAIL: quota or network failures remain

QString relativeToProject(const QString &projectDir, const QString &path)
{
    return QDir::toNativeSeparators(QDir(projectDir).relativeFilePath(path));
}

QByteArray jobLine(const services::GenerationJobEvent &e, const QString &projectDir)
{
    QJsonObject o;
    o.insert(QStringLiteral("event"), QStringLiteral("job"));
    o.insert(QStringLiteral("index"), e.index);
    o.insert(QStringLiteral("total"), e.total);
    o.insert(QStringLiteral("asset"), e.assetId);
    o.insert(QStringLiteral("request"), e.requestId);
    o.insert(QStringLiteral("segment"), e.segmentId);
    o.insert(QStringLiteral("provider"), e.provider);
    o.insert(QStringLiteral("model"), e.model);
    o.insert(QStringLiteral("state"), services::jobStateName(e.state));
    if (e.state == services::JobState::Retrying || e.state == services::JobState::Polling
        || services::isFinalJobState(e.state))
        o.insert(QStringLiteral("seconds"), qRound(e.seconds * 100) / 100.0);
    if (e.state == services::JobState::Retrying) {
        o.insert(QStringLiteral("attempt"), e.attempt);
        o.insert(QStringLiteral("maxAttempts"), e.maxAttempts);
    }
    o.insert(QStringLiteral("billedAttempts"), e.billedAttempts);
    if (e.failure != services::FailureKind::None)
        o.insert(QStringLiteral("failure"), services::failureKindName(e.failure));
    if (!e.message.isEmpty())
        o.insert(QStringLiteral("message"), e.message);
    if (!e.path.isEmpty())
        o.insert(QStringLiteral("path"), relativeToProject(projectDir, e.path));
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

void humanLine(const services::GenerationJobEvent &e, const QString &projectDir)
{
    using services::JobState;
    const QString counter = QStringLiteral("[%1/%2] %3: ").arg(e.index + 1).arg(e.total).arg(e.assetId);
    switch (e.state) {
    case JobState::Queued:
    case JobState::UpToDate:
        return;
    case JobState::Running:
        if (e.message.isEmpty() && e.billedAttempts == 0)
            printErr(counter + tr("generating with %1 %2...").arg(e.provider, e.model));
        else if (!e.message.isEmpty())
            printErr(counter + e.message);
        return;
    case JobState::Retrying:
        printErr(counter + tr("%1; retrying in %2 s (attempt %3 of %4)")
                               .arg(e.message).arg(e.seconds, 0, 'f', 1)
                               .arg(e.attempt + 1).arg(e.maxAttempts));
        return;
    case JobState::Polling:
        printErr(counter + tr("still running; next check in %1 s").arg(e.seconds, 0, 'f', 0));
        return;
    case JobState::Done:
        printErr(counter + tr("generated %1 (%2 s)")
                               .arg(relativeToProject(projectDir, e.path))
                               .arg(e.seconds, 0, 'f', 1));
        return;
    case JobState::Reused:
        printErr(counter + (e.path.isEmpty() ? e.message
                                             : tr("reused %1 (recipe cache)")
                                                   .arg(relativeToProject(projectDir, e.path))));
        return;
    case JobState::Planned:
        printErr(counter + e.message);
        return;
    case JobState::Blocked:
        printErr(counter + tr("BLOCKED: %1").arg(e.message));
        return;
    case JobState::Failed:
        printErr(counter + tr("FAILED: %1").arg(e.message));
        return;
    case JobState::Cancelled:
        printErr(counter + tr("cancelled"));
        return;
    }
}

// Test hook, documented in docs/cli.md: scales every retry and polling wait (0 < s <= 1).
double timeScaleFromEnvironment(const QProcessEnvironment &env)
{
    bool ok = false;
    const double s = env.value(QStringLiteral("CAMPAIGN_GENERATION_TIME_SCALE")).toDouble(&ok);
    return ok && s > 0 && s <= 1 ? s : 1.0;
}
}  // namespace

int runGenerate(const QStringList &args, std::atomic<bool> *cancel)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Generate the generated assets the project is missing into <project folder>/generated/ "
           "and save the project. Assets whose recipe is already stored there are reused, not "
           "requested again. The offline generator needs no network; gemini-image and veo read "
           "their credentials from the environment (GEMINI_API_KEY, or "
           "GOOGLE_CLOUD_ACCESS_TOKEN + GOOGLE_CLOUD_PROJECT [+ GOOGLE_CLOUD_LOCATION])."));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  tr("Show this help and exit."));
    const QCommandLineOption provider(QStringLiteral("provider"),
        tr("Generate with this provider: offline, gemini-image (image requests) or veo (video "
           "requests). Changes those requests in the project."), QStringLiteral("NAME"));
    const QCommandLineOption backend(QStringLiteral("backend"),
        tr("Google back end: gemini (Gemini Developer API, default) or vertex (Vertex AI)."),
        QStringLiteral("NAME"));
    const QCommandLineOption model(QStringLiteral("model"),
        tr("Model id for the generated requests (Google retires ids; this overrides the "
           "project's)."), QStringLiteral("ID"));
    const QCommandLineOption segment(QStringLiteral("segment"),
        tr("Only this segment's assets (repeatable)."), QStringLiteral("ID"));
    const QCommandLineOption dryRun(QStringLiteral("dry-run"),
        tr("List what would be requested or reused; send nothing, change nothing."));
    const QCommandLineOption progress(QStringLiteral("progress"),
        tr("\"jsonl\": JSON Lines job events on stdout."), QStringLiteral("FORMAT"));
    const QCommandLineOption jobs(QStringLiteral("jobs"),
        tr("Jobs running at once, 1 to 16 (each provider has its own limit too). Default 4."),
        QStringLiteral("N"), QStringLiteral("4"));
    parser.addOptions({help, provider, backend, model, segment, dryRun, progress, jobs});
    parser.addPositionalArgument(QStringLiteral("PROJECT"), tr("The .campaign file."));
    if (!parser.parse(QStringList{QStringLiteral("campaign-cli generate")} + args))
        return usageError(parser.errorText(), QStringLiteral("generate"));
    if (parser.isSet(help)) {
        printOut(commandHelp(parser, tr("Usage: campaign-cli generate [options] PROJECT"))
                 + QLatin1Char('\n') + exitCodeHelp());
        return ExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return usageError(tr("generate needs a PROJECT file."), QStringLiteral("generate"));
    if (positional.size() > 1)
        return usageError(tr("Unexpected argument \"%1\".").arg(positional.at(1)),
                          QStringLiteral("generate"));
    const QString providerName = parser.value(provider);
    if (parser.isSet(provider) && providerName != services::OfflineGenerator::providerId()
        && providerName != services::GeminiImageProvider::providerId()
        && providerName != services::VeoProvider::providerId())
        return usageError(tr("--provider must be offline, gemini-image or veo, got \"%1\".")
                              .arg(providerName), QStringLiteral("generate"));
    services::GoogleBackendKind backendKind = services::GoogleBackendKind::GeminiApi;
    if (parser.isSet(backend) && !services::parseBackendKind(parser.value(backend), &backendKind))
        return usageError(tr("--backend must be gemini or vertex, got \"%1\".")
                              .arg(parser.value(backend)), QStringLiteral("generate"));
    bool jobsOk = false;
    const int jobCount = parser.value(jobs).toInt(&jobsOk);
    if (!jobsOk || jobCount < 1 || jobCount > 16)
        return usageError(tr("--jobs must be a number from 1 to 16."), QStringLiteral("generate"));
    const bool jsonl = parser.isSet(progress);
    if (jsonl && parser.value(progress) != QStringLiteral("jsonl"))
        return usageError(tr("--progress accepts only \"jsonl\", got \"%1\".")
                              .arg(parser.value(progress)), QStringLiteral("generate"));

    if (!loadFonts())
        return ExitNoInput;
    const QString projectPath = QFileInfo(positional.first()).absoluteFilePath();
    const QString projectDir = QFileInfo(projectPath).absolutePath();
    int exitCode = ExitOk;
    std::optional<editor::Campaign> campaign = loadProject(projectPath, &exitCode);
    if (!campaign)
        return exitCode;
    const QStringList segments = parser.values(segment);
    for (const QString &id : segments) {
        if (!campaign->segment(id)) {
            QStringList known;
            for (const editor::Segment &s : campaign->segments)
                known << s.id;
            return usageError(tr("Unknown segment \"%1\"; the project has: %2.")
                                  .arg(id, known.join(QStringLiteral(", "))),
                              QStringLiteral("generate"));
        }
    }

    // Providers: offline always; the Google ones when the environment makes the back end usable,
    // otherwise their jobs fail with the sentence naming what to set.
    const QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    const services::GoogleBackend google = services::GoogleBackend::fromEnvironment(backendKind, env);
    services::RetryPolicy policy;
    policy.timeScale = timeScaleFromEnvironment(env);
    services::VeoTiming timing;
    timing.firstPollSeconds *= policy.timeScale;
    timing.pollSeconds *= policy.timeScale;
    timing.maxPollSeconds *= policy.timeScale;
    timing.deadlineSeconds *= policy.timeScale;
    services::OfflineGenerator offline;
    std::unique_ptr<services::GeminiImageProvider> gemini;
    std::unique_ptr<services::VeoProvider> veo;
    services::GenerationOptions options;
    QList<services::GenerationProvider *> providers{&offline};
    if (const QString problem = google.problem(); problem.isEmpty()) {
        gemini = std::make_unique<services::GeminiImageProvider>(google, policy);
        veo = std::make_unique<services::VeoProvider>(google, timing, policy);
        providers << gemini.get() << veo.get();
    } else {
        for (const QString &id : {services::GeminiImageProvider::providerId(),
                                  services::VeoProvider::providerId()})
            options.providerProblems.insert(
                id, tr("The provider \"%1\" is not available: %2").arg(id, problem));
    }
    options.secrets = google.secrets();
    for (const char *name : {"GEMINI_API_KEY", "GOOGLE_CLOUD_ACCESS_TOKEN"})
        if (const QString v = env.value(QLatin1String(name)); !v.isEmpty())
            options.secrets << v;
    options.segmentIds = segments;
    options.dryRun = parser.isSet(dryRun);
    options.maxParallelJobs = jobCount;
    options.providerOverride = providerName;
    options.modelOverride = parser.value(model);

    services::GenerationCancellation cancellation;
    cancellation.linkExternal(cancel);
    std::mutex outputMutex;
    const services::GenerationReport report = services::generateAssets(
        *campaign, projectDir, providers, options,
        [&](const services::GenerationJobEvent &e) {
            std::lock_guard lock(outputMutex);
            if (jsonl) {
                if (e.state != services::JobState::UpToDate)
                    printOutRaw(services::redactSecrets(jobLine(e, projectDir), options.secrets));
            } else {
                humanLine(e, projectDir);
            }
        },
        &cancellation);

    using Status = services::GenerationOutcome::Status;
    const int failed = report.count(Status::Failed);
    const int blocked = report.count(Status::Blocked);
    const int temporary = report.temporaryFailures();
    const int interrupted = interruptExitCode();
    bool saved = false;
    // What was generated is kept even when other jobs failed; an interrupted run saves nothing
    // (the stored files are found again through the recipe cache next time).
    if (!options.dryRun && !interrupted && !report.cancelled && report.campaignChanged) {
        QString error;
        if (!editor::saveCampaign(*campaign, projectPath, &error)) {
            printErr(error);
            return ExitIoErr;
        }
        saved = true;
    }
    if (jsonl) {
        QJsonObject o;
        o.insert(QStringLiteral("event"), QStringLiteral("summary"));
        o.insert(QStringLiteral("generated"), report.count(Status::Generated));
        o.insert(QStringLiteral("reused"), report.count(Status::Reused));
        o.insert(QStringLiteral("upToDate"), report.count(Status::UpToDate));
        o.insert(QStringLiteral("planned"), report.count(Status::Planned));
        o.insert(QStringLiteral("failed"), failed);
        o.insert(QStringLiteral("blocked"), blocked);
        o.insert(QStringLiteral("cancelled"), report.count(Status::Cancelled));
        o.insert(QStringLiteral("temporaryFailures"), temporary);
        o.insert(QStringLiteral("billedAttempts"), report.billedAttempts);
        o.insert(QStringLiteral("saved"), saved);
        printOutRaw(QJsonDocument(o).toJson(QJsonDocument::Compact));
    }
    if (interrupted || report.cancelled) {
        printErr(tr("Interrupted; the project was not changed."));
        return interrupted ? interrupted : ExitSomeFailed;
    }
    const QString summary =
        options.dryRun
            ? tr("Dry run: would request %1, would reuse %2, up to date %3; nothing was sent")
                  .arg(report.count(Status::Planned)).arg(report.count(Status::Reused))
                  .arg(report.count(Status::UpToDate))
            : tr("Generated %1, reused %2 (recipe cache), up to date %3, failed %4, blocked %5, "
                 "billed attempts %6%7")
                  .arg(report.count(Status::Generated)).arg(report.count(Status::Reused))
                  .arg(report.count(Status::UpToDate)).arg(failed).arg(blocked)
                  .arg(report.billedAttempts)
                  .arg(saved ? tr("; saved %1").arg(QDir::toNativeSeparators(projectPath))
                             : QString());
    if (jsonl)
        printErr(summary);
    else
        printOut(summary);
    if (temporary > 0) {
        printErr(tr("%1 job(s) failed for a temporary reason (quota or network); run the same "
                    "command again later.").arg(temporary));
        return ExitTempFail;
    }
    return failed + blocked > 0 ? ExitSomeFailed : ExitOk;
}

}  // namespace cli
