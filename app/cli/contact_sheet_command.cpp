// SPDX-License-Identifier: GPL-3.0-or-later
// campaign-cli contact-sheet PROJECT --out SHEET.png [--time SECONDS] [--tile-height PX]
// The frame at one time of every segment x format cell, rendered by the render core exactly as
// the preview renders it (no encode) and tiled into one PNG: one row per segment, one column
// per format, each tile labelled. For looking at all variants side by side before exporting.
#include "cli_common.h"

#include "app/contact_sheet.h"
#include "render/renderer.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

#include <cmath>

namespace cli {

namespace {
constexpr int kMinTileHeight = 32;
constexpr int kMaxTileHeight = 1920;
}  // namespace

int runContactSheet(const QStringList &args, std::atomic<bool> *cancel)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Write a contact sheet: the frame at one time of every segment x format variant, "
           "rendered as the preview renders it, one row per segment and one column per format."));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  tr("Show this help and exit."));
    const QCommandLineOption out(QStringLiteral("out"), tr("The PNG file to write."),
                                 tr("FILE.png"));
    const QCommandLineOption time(QStringLiteral("time"),
                                  tr("Time of the frame, in seconds from the start (default: a "
                                     "third of the timeline, the poster time of an export)."),
                                  tr("SECONDS"));
    const QCommandLineOption tileHeight(QStringLiteral("tile-height"),
                                        tr("Height of every tile in pixels, %1 to %2 (default: "
                                           "320); widths follow each format's aspect.")
                                            .arg(kMinTileHeight)
                                            .arg(kMaxTileHeight),
                                        tr("PX"), QStringLiteral("320"));
    parser.addOptions({help, out, time, tileHeight});
    parser.addPositionalArgument(QStringLiteral("PROJECT"), tr("The .campaign file."));
    const QString usage = tr("Usage: campaign-cli contact-sheet [options] PROJECT --out FILE.png");
    const QString command = QStringLiteral("contact-sheet");

    if (!parser.parse(QStringList{QStringLiteral("campaign-cli contact-sheet")} + args))
        return usageError(parser.errorText(), command);
    if (parser.isSet(help)) {
        printOut(commandHelp(parser, usage)
                 + tr("\nExit codes of contact-sheet: 0 every variant rendered, 1 some variants "
                      "could not be rendered\n(their tiles show why; the sheet is still "
                      "written); the others as for every command.\n\n")
                 + exitCodeHelp());
        return ExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return usageError(tr("contact-sheet needs a PROJECT file."), command);
    if (positional.size() > 1)
        return usageError(tr("Unexpected argument \"%1\".").arg(positional.at(1)), command);
    if (!parser.isSet(out))
        return usageError(tr("contact-sheet needs --out FILE.png."), command);
    const QString sheetPath = QFileInfo(parser.value(out)).absoluteFilePath();
    if (QFileInfo(sheetPath).suffix().toLower() != QStringLiteral("png"))
        return usageError(tr("--out must end in .png, got \"%1\".").arg(parser.value(out)),
                          command);
    services::ContactSheetOptions options;
    options.cancel = cancel;
    bool ok = false;
    if (parser.isSet(time)) {
        options.timeSeconds = parser.value(time).toDouble(&ok);
        if (!ok || !std::isfinite(options.timeSeconds) || options.timeSeconds < 0)
            return usageError(tr("--time must be a number of seconds from 0, got \"%1\".")
                                  .arg(parser.value(time)),
                              command);
    }
    options.tileHeight = parser.value(tileHeight).toInt(&ok);
    if (!ok || options.tileHeight < kMinTileHeight || options.tileHeight > kMaxTileHeight)
        return usageError(tr("--tile-height must be a whole number of pixels from %1 to %2, got "
                             "\"%3\".")
                              .arg(kMinTileHeight)
                              .arg(kMaxTileHeight)
                              .arg(parser.value(tileHeight)),
                          command);

    if (!loadFonts())
        return ExitNoInput;
    const QString projectPath = QFileInfo(positional.first()).absoluteFilePath();
    int exitCode = ExitOk;
    std::optional<editor::Campaign> campaign = loadProject(projectPath, &exitCode);
    if (!campaign)
        return exitCode;
    QStringList fontErrors;
    render::loadProjectFonts(QFileInfo(projectPath).absolutePath(), &fontErrors);
    for (const QString &f : fontErrors)
        printErr(tr("Warning: cannot read the project font %1.").arg(f));
    if (campaign->segments.empty() || campaign->formats.empty()) {
        printErr(tr("%1 has no segment x format variants to show.")
                     .arg(QDir::toNativeSeparators(projectPath)));
        return ExitDataErr;
    }
    if (options.timeSeconds > campaign->timeline.duration.toDouble())
        printErr(tr("Warning: --time %1 is after the end of the timeline (%2 s); the last frame "
                    "is shown.")
                     .arg(options.timeSeconds)
                     .arg(campaign->timeline.duration.toDouble()));

    // As render does: smart clips are framed by the subject analysis, so the sheet shows what
    // the export will.
    std::vector<std::pair<QString, QString>> cells;
    for (const editor::Segment &s : campaign->segments)
        for (const editor::FormatPreset &f : campaign->formats)
            cells.emplace_back(s.id, f.id);
    reframeSmartClips(*campaign, cells, projectPath);

    const services::ContactSheet sheet = services::renderContactSheet(*campaign, options);
    if (sheet.cancelled)
        return interruptExitCode() ? interruptExitCode() : ExitSomeFailed;
    for (const services::ContactSheetTile &tile : sheet.tiles)
        if (!tile.error.isEmpty())
            printErr(tr("%1/%2: %3").arg(tile.segmentId, tile.formatId, tile.error));

    const QString folder = QFileInfo(sheetPath).absolutePath();
    if (!QDir().mkpath(folder)) {
        printErr(tr("Cannot create the folder %1.").arg(QDir::toNativeSeparators(folder)));
        return ExitCantCreate;
    }
    // Written to a temporary file beside the target and renamed over it only when complete.
    QSaveFile file(sheetPath);
    if (!file.open(QIODevice::WriteOnly)) {
        printErr(tr("Cannot write %1: %2").arg(QDir::toNativeSeparators(sheetPath),
                                               file.errorString()));
        return ExitCantCreate;
    }
    if (!sheet.image.save(&file, "PNG") || !file.commit()) {
        printErr(tr("Writing %1 failed: %2").arg(QDir::toNativeSeparators(sheetPath),
                                                 file.errorString()));
        return ExitIoErr;
    }
    printErr(tr("Contact sheet of %1 variants at %2 s (%3 x %4 px)%5.")
                 .arg(sheet.tiles.size())
                 .arg(sheet.timeSeconds, 0, 'f', 2)
                 .arg(sheet.image.width())
                 .arg(sheet.image.height())
                 .arg(sheet.failedCount()
                          ? tr("; %1 could not be rendered").arg(sheet.failedCount())
                          : QString()));
    printOut(QDir::toNativeSeparators(sheetPath));
    return sheet.failedCount() ? ExitSomeFailed : ExitOk;
}

}  // namespace cli
