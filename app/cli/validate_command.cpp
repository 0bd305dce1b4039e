// SPDX-License-Identifier: GPL-3.0-or-later
// campaign-cli validate PROJECT [--json] [--segment ID]... [--format ID]... [--pseudo-locale]
//                               [--min-text-px N] [--no-pixels]
// Runs the preflight rules (app/preflight.h) over every selected cell without rendering any
// output file. The report is the command's result, so it goes to stdout (a list, or JSON with
// --json); exit 0 without blocking findings, 1 with.
#include "cli_common.h"

#include "app/preflight.h"
#include "app/batch_export.h"
#include "render/renderer.h"

#include <QCommandLineParser>
#include <QFileInfo>
#include <QJsonDocument>

#include <cmath>

namespace cli {

namespace {
// --segment a --segment b and --segments a,b are the same selection.
QStringList idList(const QCommandLineParser &parser, const QCommandLineOption &one,
                   const QCommandLineOption &many)
{
    QStringList ids = parser.values(one);
    for (const QString &v : parser.values(many))
        for (const QString &id : v.split(QLatin1Char(','), Qt::SkipEmptyParts))
            ids << id.trimmed();
    ids.removeDuplicates();
    return ids;
}
}  // namespace

int runValidate(const QStringList &args, std::atomic<bool> *cancel)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Check every segment x format variant against the preflight rules (safe zones, text "
           "overflow, minimum size, contrast, logo clear space, disclaimers, duration, media, "
           "slots) without rendering."));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  tr("Show this help and exit."));
    const QCommandLineOption json(QStringLiteral("json"),
                                  tr("Print the report as one JSON object instead of a list."));
    const QCommandLineOption segment(QStringLiteral("segment"),
                                     tr("Check only this segment (repeatable; default: all)."),
                                     tr("ID"));
    const QCommandLineOption segments(QStringLiteral("segments"),
                                      tr("Comma-separated segment ids (same as --segment)."),
                                      tr("IDS"));
    const QCommandLineOption format(QStringLiteral("format"),
                                    tr("Check only this format (repeatable; default: all)."),
                                    tr("ID"));
    const QCommandLineOption formats(QStringLiteral("formats"),
                                     tr("Comma-separated format ids (same as --format)."),
                                     tr("IDS"));
    const QCommandLineOption pseudo(QStringLiteral("pseudo-locale"),
                                    tr("Also lay out every text with pseudo-localised copy (+40 %, "
                                       "German-like words, a right-to-left run) and report what "
                                       "would overflow, as warnings."));
    const QCommandLineOption minText(QStringLiteral("min-text-px"),
                                     tr("Smallest allowed text size in output pixels after "
                                        "shrink-to-fit (default: 24)."),
                                     tr("N"), QStringLiteral("24"));
    const QCommandLineOption noPixels(QStringLiteral("no-pixels"),
                                      tr("Do not render frames to measure contrast against the "
                                         "picture behind text; only opaque boxes are checked."));
    parser.addOptions({help, json, segment, segments, format, formats, pseudo, minText, noPixels});
    parser.addPositionalArgument(QStringLiteral("PROJECT"), tr("The .campaign file."));
    const QString usage = tr("Usage: campaign-cli validate [options] PROJECT");
    const QString command = QStringLiteral("validate");

    if (!parser.parse(QStringList{QStringLiteral("campaign-cli validate")} + args))
        return usageError(parser.errorText(), command);
    if (parser.isSet(help)) {
        printOut(commandHelp(parser, usage)
                 + tr("\nExit codes of validate: 0 no blocking finding (warnings allowed), 1 at "
                      "least one blocking finding;\nthe others as for every command.\n\n")
                 + exitCodeHelp());
        return ExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return usageError(tr("validate needs a PROJECT file."), command);
    if (positional.size() > 1)
        return usageError(tr("Unexpected argument \"%1\".").arg(positional.at(1)), command);
    services::PreflightOptions options;
    bool ok = false;
    options.minTextPx = parser.value(minText).toDouble(&ok);
    if (!ok || !std::isfinite(options.minTextPx) || options.minTextPx < 0)
        return usageError(tr("--min-text-px must be a number of pixels from 0, got \"%1\".")
                              .arg(parser.value(minText)),
                          command);
    options.pseudoLocale = parser.isSet(pseudo);
    options.samplePixels = !parser.isSet(noPixels);
    options.cancel = cancel;

    if (!loadFonts())
        return ExitNoInput;
    const QString projectPath = QFileInfo(positional.first()).absoluteFilePath();
    int exitCode = ExitOk;
    const std::optional<editor::Campaign> campaign = loadProject(projectPath, &exitCode);
    if (!campaign)
        return exitCode;
    QStringList fontErrors;
    render::loadProjectFonts(QFileInfo(projectPath).absolutePath(), &fontErrors);
    for (const QString &f : fontErrors)
        printErr(tr("Warning: cannot read the project font %1.").arg(f));

    // The same id checks as render, so a typo is a usage error and not an empty "all clear".
    QStringList planErrors;
    options.segmentIds = idList(parser, segment, segments);
    options.formatIds = idList(parser, format, formats);
    services::planExport(*campaign, QString(), options.segmentIds, options.formatIds, &planErrors);
    if (!planErrors.isEmpty()) {
        for (const QString &e : planErrors)
            printErr(QStringLiteral("campaign-cli: ") + e);
        return ExitUsage;
    }

    const services::PreflightReport report = services::runPreflight(*campaign, options);
    if (const int interrupted = interruptExitCode())
        return interrupted;
    if (parser.isSet(json)) {
        QJsonObject root = report.toJson();
        root.insert(QStringLiteral("project"), projectPath);
        printOutRaw(QJsonDocument(root).toJson(QJsonDocument::Indented));
    } else {
        printOut(report.toText());
    }
    return report.hasBlocking() ? ExitSomeFailed : ExitOk;
}

}  // namespace cli
