// SPDX-License-Identifier: GPL-3.0-or-later
// campaign-cli generate PROJECT: makes the project's missing generated assets and saves it.
#include "cli_common.h"

#include "app/generate_assets.h"
#include "app/offline_generator.h"
#include "editor/project_io.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>

namespace cli {

namespace {
QString relativeToProject(const QString &projectDir, const QString &path)
{
    return QDir::toNativeSeparators(QDir(projectDir).relativeFilePath(path));
}

void reportOutcome(const services::GenerationProgress &p, const QString &projectDir)
{
    using Status = services::GenerationOutcome::Status;
    const QString counter = QStringLiteral("[%1/%2] ").arg(p.index + 1).arg(p.total);
    if (p.stage == services::GenerationProgress::Stage::Started) {
        printErr(counter + tr("%1: generating...").arg(p.assetId));
        return;
    }
    const services::GenerationOutcome &o = *p.outcome;
    switch (o.status) {
    case Status::Generated:
        printErr(counter + tr("%1: generated %2 (%3 s)")
                               .arg(o.assetId, relativeToProject(projectDir, o.path))
                               .arg(o.seconds, 0, 'f', 1));
        break;
    case Status::Reused:
        printErr(counter + tr("%1: reused %2 (recipe cache)")
                               .arg(o.assetId, relativeToProject(projectDir, o.path)));
        break;
    case Status::Cancelled:
        printErr(counter + tr("%1: cancelled").arg(o.assetId));
        break;
    case Status::Failed:
        printErr(counter + tr("%1: FAILED: %2").arg(o.assetId, o.message));
        break;
    case Status::UpToDate:
        break;
    }
}
}  // namespace

int runGenerate(const QStringList &args, std::atomic<bool> *cancel)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Generate the generated assets the project is missing (offline generator, no network) "
           "into <project folder>/generated/ and save the project. Assets whose recipe is "
           "already stored there are reused, not generated again."));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  tr("Show this help and exit."));
    parser.addOption(help);
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

    if (!loadFonts())
        return ExitNoInput;
    const QString projectPath = QFileInfo(positional.first()).absoluteFilePath();
    const QString projectDir = QFileInfo(projectPath).absolutePath();
    int exitCode = ExitOk;
    std::optional<editor::Campaign> campaign = loadProject(projectPath, &exitCode);
    if (!campaign)
        return exitCode;

    services::OfflineGenerator offline;
    const services::GenerationReport report = services::generateMissingAssets(
        *campaign, projectDir, {&offline},
        [&projectDir](const services::GenerationProgress &p) { reportOutcome(p, projectDir); },
        cancel);

    using Status = services::GenerationOutcome::Status;
    const int generated = report.count(Status::Generated);
    const int reused = report.count(Status::Reused);
    const int failed = report.count(Status::Failed);
    if (const int interrupted = interruptExitCode(); interrupted || report.cancelled) {
        // Nothing is saved: the files already stored are found again by the recipe cache.
        printErr(tr("Interrupted; the project was not changed."));
        return interrupted ? interrupted : ExitSomeFailed;
    }
    if (report.campaignChanged) {
        QString error;
        if (!editor::saveCampaign(*campaign, projectPath, &error)) {
            printErr(error);
            return ExitIoErr;
        }
    }
    printOut(tr("Generated %1, reused %2 (recipe cache), up to date %3, failed %4%5")
                 .arg(generated).arg(reused).arg(report.count(Status::UpToDate)).arg(failed)
                 .arg(report.campaignChanged
                          ? tr("; saved %1").arg(QDir::toNativeSeparators(projectPath))
                          : QString()));
    return failed > 0 ? ExitSomeFailed : ExitOk;
}

}  // namespace cli
