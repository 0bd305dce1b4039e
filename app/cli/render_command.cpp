// SPDX-License-Identifier: GPL-3.0-or-later
// campaign-cli render PROJECT [--segment ID]... [--format ID]... [--out DIR] [--jobs N]
//                             [--progress jsonl] [--force] [--ignore-preflight]
//                             [--poster-time SECONDS] [--shard I/N] [--approved-only]
//                             [--no-space-check]
#include "cli_common.h"
#include "progress_output.h"

#include "app/batch_export.h"
#include "app/file_hash.h"
#include "app/preflight.h"
#include "app/reframe_cache.h"
#include "app/review_status.h"
#include "app/shard.h"
#include "editor/generation_plan.h"
#include "editor/resolve.h"
#include "render/renderer.h"

#include <QCommandLineParser>
#include <QDir>

#include <mutex>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QTemporaryFile>

#include <cmath>

namespace cli {

namespace {
constexpr int kMaxJobs = 16;

// Why a file listed in ResolveResult::missingFiles cannot be used.
QString unusableMediaMessage(const QString &path)
{
    const QFileInfo info(path);
    const QString shown = QDir::toNativeSeparators(path);
    if (!info.exists())
        return tr("Missing media file: %1").arg(shown);
    if (!info.isFile())
        return tr("Media file %1 is not a regular file (a folder, FIFO or device).").arg(shown);
    return tr("Media file %1 is empty (0 bytes).").arg(shown);
}

// Media may live anywhere, but the user should know when a project reaches outside its
// folder (after resolving symlinks): such a project does not travel, and may read files the
// user did not mean to share.
void warnOutsideProject(const QString &projectDir, const QStringList &files)
{
    const QString root = QFileInfo(projectDir).canonicalFilePath();
    if (root.isEmpty())
        return;
    for (const QString &f : files) {
        const QString canonical = QFileInfo(f).canonicalFilePath();
        if (canonical.isEmpty() || canonical.startsWith(root + QLatin1Char('/')))
            continue;
        const QString shown = QDir::toNativeSeparators(f);
        printErr(canonical == f
                     ? tr("Warning: the project references files outside its folder: %1").arg(shown)
                     : tr("Warning: the project references files outside its folder: %1 (%2)")
                           .arg(shown, QDir::toNativeSeparators(canonical)));
    }
}

// Checks every planned cell before any rendering starts, so a batch either starts with all it
// needs or stops at once with the full list of problems (and the right exit code).
int preflight(const editor::Campaign &c, const std::vector<services::ExportCell> &cells,
              const QStringList &notGenerated, const QString &projectDir)
{
    QStringList errors;
    QStringList missing;
    QStringList referenced;
    for (const services::ExportCell &cell : cells) {
        const editor::ResolveResult r = editor::resolveVariant(c, cell.segmentId, cell.formatId);
        for (const QString &e : r.errors)
            errors << cell.jobId() + QStringLiteral(": ") + e;
        for (const QString &f : r.missingFiles)
            if (!missing.contains(f))
                missing << f;
        if (r.composition) {
            for (const render::Layer &l : r.composition->layers)
                if (!l.sourcePath.isEmpty() && !referenced.contains(l.sourcePath))
                    referenced << l.sourcePath;
            for (const render::AudioClip &a : r.composition->audio)
                if (!a.sourcePath.isEmpty() && !referenced.contains(a.sourcePath))
                    referenced << a.sourcePath;
        }
    }
    warnOutsideProject(projectDir, referenced);
    if (!missing.isEmpty() || (!errors.isEmpty() && !notGenerated.isEmpty())) {
        for (const QString &f : missing)
            printErr(unusableMediaMessage(f));
        if (!notGenerated.isEmpty())
            printErr(tr("Generated assets not made yet: %1").arg(notGenerated.join(QStringLiteral(", "))));
        for (const QString &e : errors)
            printErr(e);
        printErr(tr("Generated assets are made with: campaign-cli generate PROJECT; imported "
                    "media must be put back at the path shown."));
        return ExitNoInput;
    }
    if (!errors.isEmpty()) {
        printErr(tr("The project cannot be rendered:"));
        for (const QString &e : errors)
            printErr(QStringLiteral("  ") + e);
        return ExitDataErr;
    }
    return ExitOk;
}

// Creates the campaign's output folder and proves it is writable (a read-only mount passes
// the permission bits but fails here).
bool prepareOutputFolder(const QString &dir)
{
    if (!QDir().mkpath(dir) || !QFileInfo(dir).isDir()) {
        printErr(tr("Cannot create the output folder %1.").arg(QDir::toNativeSeparators(dir)));
        return false;
    }
    QTemporaryFile probe(QDir(dir).filePath(QStringLiteral(".write-test-XXXXXX")));
    if (!probe.open()) {
        printErr(tr("Cannot write into the output folder %1: %2")
                     .arg(QDir::toNativeSeparators(dir), probe.errorString()));
        return false;
    }
    return true;
}

// The brand/platform rules (app/preflight.h) for one cell about to render: a cell with a
// blocking finding is refused (it fails alone, the rest of the batch renders) unless --force
// or --ignore-preflight, which print the findings as a warning instead. Called by the batch
// only for the cells it renders; `samples` shares the pictures sampled behind text between
// the cells of a format.
QString preflightRefusal(const editor::Campaign &c, const services::ExportCell &cell, bool force,
                         const services::PreflightOptions &options, std::mutex &printMutex)
{
    QStringList blocking;
    for (const services::PreflightFinding &f :
         services::preflightCell(c, cell.segmentId, cell.formatId, options)) {
        if (f.severity != services::Severity::Blocking)
            continue;
        blocking << (f.layerId.isEmpty() ? f.rule : f.rule + QStringLiteral(" [") + f.layerId + QLatin1Char(']'))
                + QStringLiteral(": ") + f.message;
    }
    if (blocking.isEmpty())
        return {};
    if (force) {
        QString warning = tr("Warning: %1 fails preflight, rendered anyway:").arg(cell.jobId());
        for (const QString &b : blocking)
            warning += QStringLiteral("\n  ") + b;
        std::lock_guard lock(printMutex);
        printErr(warning);
        return {};
    }
    return tr("Refused by preflight (%1 blocking finding(s)): %2 Fix them (see "
              "\"campaign-cli validate PROJECT\") or render with --force.")
        .arg(blocking.size()).arg(blocking.join(QStringLiteral(" ")));
}

int exitCodeFor(const services::ExportSummary &s)
{
    if (const int interrupted = interruptExitCode())
        return interrupted;
    if (s.failed == 0 && s.cancelled == 0)
        return ExitOk;
    if (s.errorCodes.contains(QStringLiteral("io_error"))
        || s.errorCodes.contains(QStringLiteral("no_space")))
        return ExitIoErr;
    if (s.errorCodes.contains(QStringLiteral("cannot_create")))
        return ExitCantCreate;
    return ExitSomeFailed;
}
}  // namespace

int runRender(const QStringList &args, std::atomic<bool> *cancel)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Render segment x format variants of a campaign to H.264/AAC MP4."));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  tr("Show this help and exit."));
    const QCommandLineOption segment(QStringLiteral("segment"),
                                     tr("Render only this segment (repeatable; default: all)."),
                                     tr("ID"));
    const QCommandLineOption format(QStringLiteral("format"),
                                    tr("Render only this format (repeatable; default: all)."),
                                    tr("ID"));
    const QCommandLineOption out(QStringLiteral("out"),
                                 tr("Output folder (default: <project folder>/renders). Files go "
                                    "to DIR/<campaign>/<segment>/<format>.mp4 with a "
                                    "<format>.poster.png, listed in DIR/<campaign>/manifest.json."),
                                 tr("DIR"));
    const QCommandLineOption jobs(QStringLiteral("jobs"),
                                  tr("Variants rendered in parallel, 1..16 (default: 2)."),
                                  tr("N"), QStringLiteral("2"));
    const QCommandLineOption progress(QStringLiteral("progress"),
                                      tr("\"jsonl\": JSON Lines progress events on stdout."),
                                      tr("FORMAT"));
    const QCommandLineOption force(QStringLiteral("force"),
                                   tr("Render every variant again, even those the export "
                                      "manifest shows as up to date, and render variants "
                                      "that fail blocking preflight rules (see validate)."));
    const QCommandLineOption posterTime(QStringLiteral("poster-time"),
                                        tr("Time of the poster still <format>.poster.png, in "
                                           "seconds (default: a third of the duration; clamped to the last frame)."),
                                        tr("SECONDS"));
    const QCommandLineOption shard(QStringLiteral("shard"),
                                   tr("Render only shard I of N (0 <= I < N) of the variants left "
                                      "after --segment/--format, for a cluster; merge the shards' "
                                      "manifests with \"campaign-cli manifest merge\"."),
                                   tr("I/N"));
    const QCommandLineOption approvedOnly(QStringLiteral("approved-only"),
                                          tr("Render only approved variants: those whose approval "
                                             "still matches the file in the output folder and its "
                                             "manifest entry. Exit 0 when there are none."));
    // Only the preflight half of --force: up-to-date variants are still skipped. For layouts
    // that are outside a platform's safe zones on purpose (the benchmark's reference
    // composition keeps the lower third BENCHMARKS.md prescribes).
    const QCommandLineOption ignorePreflight(QStringLiteral("ignore-preflight"),
                                             tr("Render variants that fail blocking preflight "
                                                "rules (with a warning each), but still skip "
                                                "those that are up to date."));
    const QCommandLineOption noSpaceCheck(QStringLiteral("no-space-check"),
                                          tr("Do not refuse the export when its estimated size is "
                                             "more than the output folder's free space (for "
                                             "volumes that report free space wrongly). A full "
                                             "disk still fails the variant it stops."));
    parser.addOptions({help, segment, format, out, jobs, progress, force, ignorePreflight,
                       posterTime, shard, approvedOnly, noSpaceCheck});
    parser.addPositionalArgument(QStringLiteral("PROJECT"), tr("The .campaign file."));
    const QString usage = tr("Usage: campaign-cli render [options] PROJECT");

    if (!parser.parse(QStringList{QStringLiteral("campaign-cli render")} + args))
        return usageError(parser.errorText(), QStringLiteral("render"));
    if (parser.isSet(help)) {
        printOut(commandHelp(parser, usage) + QLatin1Char('\n') + exitCodeHelp());
        return ExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return usageError(tr("render needs a PROJECT file."), QStringLiteral("render"));
    if (positional.size() > 1)
        return usageError(tr("Unexpected argument \"%1\".").arg(positional.at(1)),
                          QStringLiteral("render"));
    bool jobsOk = false;
    const int jobCount = parser.value(jobs).toInt(&jobsOk);
    if (!jobsOk || jobCount < 1 || jobCount > kMaxJobs)
        return usageError(tr("--jobs must be a whole number from 1 to %1, got \"%2\".")
                              .arg(kMaxJobs).arg(parser.value(jobs)),
                          QStringLiteral("render"));
    services::ExportOptions options;
    options.force = parser.isSet(force);
    options.checkFreeSpace = !parser.isSet(noSpaceCheck);
    if (parser.isSet(posterTime)) {
        bool ok = false;
        options.posterTimeSec = parser.value(posterTime).toDouble(&ok);
        if (!ok || !std::isfinite(options.posterTimeSec) || options.posterTimeSec < 0)
            return usageError(tr("--poster-time must be a number of seconds from 0, got \"%1\".")
                                  .arg(parser.value(posterTime)),
                              QStringLiteral("render"));
    }
    services::ShardSpec shardSpec;
    if (parser.isSet(shard)) {
        QString error;
        const std::optional<services::ShardSpec> parsed = services::parseShard(parser.value(shard), &error);
        if (!parsed)
            return usageError(error, QStringLiteral("render"));
        shardSpec = *parsed;
    }
    const bool jsonl = parser.isSet(progress);
    if (jsonl && parser.value(progress) != QStringLiteral("jsonl"))
        return usageError(tr("--progress accepts only \"jsonl\", got \"%1\".").arg(parser.value(progress)),
                          QStringLiteral("render"));

    if (!loadFonts())
        return ExitNoInput;
    const QString projectPath = QFileInfo(positional.first()).absoluteFilePath();
    int exitCode = ExitOk;
    std::optional<editor::Campaign> campaign = loadProject(projectPath, &exitCode);
    if (!campaign)
        return exitCode;
    // The same expansion `generate` does: an asset whose recipe changed since it was generated
    // counts as missing instead of silently rendering the stale picture.
    const editor::GenerationPlan generation = editor::expandGenerationRequests(*campaign);

    const QString outDir = parser.isSet(out)
        ? QFileInfo(parser.value(out)).absoluteFilePath()
        : QDir(QFileInfo(projectPath).absolutePath()).filePath(QStringLiteral("renders"));
    QStringList planErrors;
    std::vector<services::ExportCell> plan = services::planExport(
        *campaign, outDir, parser.values(segment), parser.values(format), &planErrors);
    if (!planErrors.isEmpty()) {
        for (const QString &e : planErrors)
            printErr(QStringLiteral("campaign-cli: ") + e);
        return ExitUsage;
    }
    if (plan.empty()) {
        printErr(tr("The project has no segment x format variants to render."));
        return ExitDataErr;
    }
    {
        std::vector<std::pair<QString, QString>> cells;
        for (const services::ExportCell &cell : plan)
            cells.emplace_back(cell.segmentId, cell.formatId);
        reframeSmartClips(*campaign, cells, projectPath);
    }
    // Only what an approver signed off ships. Applied before sharding, so the shards split the
    // approved variants; an approval voided by a changed file does not count, and a cell whose
    // inputs changed after its approved render is refused rather than rendered anew.
    if (parser.isSet(approvedOnly)) {
        const std::size_t planned = plan.size();
        plan = services::approvedCells(*campaign, outDir, plan);
        options.onlyAsReviewed = true;
        printErr(tr("%1 of %2 variants are approved.").arg(plan.size()).arg(planned));
        if (plan.empty()) {
            printErr(tr("No approved variants to render. Review them in the studio (a changed "
                        "file or changed inputs void an approval)."));
            return ExitOk;
        }
    }
    // Filter first, then shard: the shards split whatever --segment/--format left. A shard
    // may get no cell at all (more shards than cells); it still writes its manifest so the
    // merge can tell "empty" from "never ran".
    const std::vector<services::ExportCell> cells = services::selectShard(plan, shardSpec);
    if (shardSpec.active())
        printErr(tr("Shard %1: %2 of %3 variants.")
                     .arg(shardSpec.label()).arg(cells.size()).arg(plan.size()));
    if (const int code = preflight(*campaign, cells, generation.needsGenerating,
                                   QFileInfo(projectPath).absolutePath()))
        return code;
    QStringList fontErrors;
    render::loadProjectFonts(QFileInfo(projectPath).absolutePath(), &fontErrors);
    for (const QString &f : fontErrors)
        printErr(tr("Warning: cannot read the project font %1.").arg(f));
    services::PreflightOptions preflightOptions;
    preflightOptions.cancel = cancel;
    preflightOptions.samples = services::makePreflightSamples();
    const bool renderAnyway = options.force || parser.isSet(ignorePreflight);
    std::mutex warningMutex;  // the batch checks cells on several threads
    if (renderAnyway) {
        options.preflightAdvice = [&](const services::ExportCell &cell) {
            preflightRefusal(*campaign, cell, true, preflightOptions, warningMutex);
        };
    } else {
        options.preflightRefusal = [&](const services::ExportCell &cell) {
            return preflightRefusal(*campaign, cell, false, preflightOptions, warningMutex);
        };
    }
    if (const int interrupted = interruptExitCode())
        return interrupted;
    const QString campaignRoot =  // <out>/<slug>
        QFileInfo(services::manifestPath(*campaign, outDir)).absolutePath();
    if (!prepareOutputFolder(campaignRoot))
        return ExitCantCreate;
    if (shardSpec.active()) {
        QString error;
        const QString projectSha = services::sha256OfFile(projectPath, &error);
        const QJsonObject record = services::shardRecord(shardSpec, plan, projectSha);
        if (projectSha.isEmpty()
            || !services::prepareShardManifest(*campaign, campaignRoot, shardSpec, cells, record,
                                               &error)) {
            printErr(error);
            return ExitIoErr;
        }
        options.manifestFileName = shardSpec.manifestFileName();
        options.manifestExtra = QJsonObject{{QStringLiteral("shard"), record}};
    }

    ProgressOutput output(jsonl, int(cells.size()));
    const services::ExportSummary summary = services::runExport(
        *campaign, cells, jobCount,
        [&output](const services::ExportEvent &e) { output.onEvent(e); }, cancel, options);
    output.summary(summary, campaignRoot);
    return exitCodeFor(summary);
}

}  // namespace cli
