// SPDX-License-Identifier: GPL-3.0-or-later
// campaign-cli review-sheet PROJECT --out SHEET.html|SHEET.pdf [--renders DIR]
// A contact sheet of every variant with its review status, for approvers without the studio.
#include "cli_common.h"

#include "app/review_sheet.h"
#include "app/review_status.h"

#include <QCommandLineParser>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QMap>

namespace cli {

int runReviewSheet(const QStringList &args, std::atomic<bool> *cancel)
{
    // Nothing here takes long enough to be worth interrupting half-way; a signal still ends the
    // process through the second-signal path.
    Q_UNUSED(cancel);
    QCommandLineParser parser;
    parser.setApplicationDescription(tr("Write a review sheet: every variant's poster, segment, "
                                        "headline/CTA, review status and comment."));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  tr("Show this help and exit."));
    const QCommandLineOption out(QStringLiteral("out"),
                                 tr("The sheet to write: FILE.html (one self-contained page, "
                                    "images embedded) or FILE.pdf (A4, six variants a page)."),
                                 tr("FILE"));
    const QCommandLineOption renders(QStringLiteral("renders"),
                                     tr("The export folder that was reviewed: what \"render "
                                        "--out\" was given (default: <project folder>/renders)."),
                                     tr("DIR"));
    parser.addOptions({help, out, renders});
    parser.addPositionalArgument(QStringLiteral("PROJECT"), tr("The .campaign file."));
    const QString usage = tr("Usage: campaign-cli review-sheet [options] PROJECT --out FILE");
    const QString command = QStringLiteral("review-sheet");

    if (!parser.parse(QStringList{QStringLiteral("campaign-cli review-sheet")} + args))
        return usageError(parser.errorText(), command);
    if (parser.isSet(help)) {
        printOut(commandHelp(parser, usage) + QLatin1Char('\n') + exitCodeHelp());
        return ExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty())
        return usageError(tr("review-sheet needs a PROJECT file."), command);
    if (positional.size() > 1)
        return usageError(tr("Unexpected argument \"%1\".").arg(positional.at(1)), command);
    if (!parser.isSet(out))
        return usageError(tr("review-sheet needs --out FILE.html or --out FILE.pdf."), command);
    const QString sheetPath = QFileInfo(parser.value(out)).absoluteFilePath();
    const QString suffix = QFileInfo(sheetPath).suffix().toLower();
    const bool pdf = suffix == QStringLiteral("pdf");
    if (!pdf && suffix != QStringLiteral("html") && suffix != QStringLiteral("htm"))
        return usageError(tr("--out must end in .html or .pdf, got \"%1\".").arg(parser.value(out)),
                          command);

    if (!loadFonts())
        return ExitNoInput;
    const QString projectPath = QFileInfo(positional.first()).absoluteFilePath();
    int exitCode = ExitOk;
    const std::optional<editor::Campaign> campaign = loadProject(projectPath, &exitCode);
    if (!campaign)
        return exitCode;
    const QString outDir = parser.isSet(renders)
        ? QFileInfo(parser.value(renders)).absoluteFilePath()
        : QDir(QFileInfo(projectPath).absolutePath()).filePath(QStringLiteral("renders"));

    services::FileHashCache hashes;
    QString warning;
    const QList<services::CellReview> cells = services::reviewCells(*campaign, outDir, hashes, &warning);
    if (!warning.isEmpty())
        printErr(warning);
    if (cells.isEmpty()) {
        printErr(tr("The project has no segment x format variants to review."));
        return ExitDataErr;
    }
    const QDir sheetDir = QFileInfo(sheetPath).absoluteDir();
    if (!QDir().mkpath(sheetDir.absolutePath())) {
        printErr(tr("Cannot create the folder %1.").arg(QDir::toNativeSeparators(sheetDir.absolutePath())));
        return ExitCantCreate;
    }
    QString error;
    const QDateTime now = QDateTime::currentDateTimeUtc();
    const bool written = pdf ? services::writeReviewSheetPdf(*campaign, cells, now, sheetPath, &error)
                             : services::writeReviewSheetHtml(*campaign, cells, now, sheetPath, &error);
    if (!written) {
        printErr(error);
        return ExitCantCreate;
    }
    QMap<services::ReviewStatus, int> counts;
    for (const services::CellReview &cell : cells)
        ++counts[cell.status];
    QStringList parts;
    for (auto it = counts.constBegin(); it != counts.constEnd(); ++it)
        parts << QStringLiteral("%1 %2").arg(it.value()).arg(services::reviewStatusName(it.key()));
    printErr(tr("Review sheet of %1 variants (%2).").arg(cells.size()).arg(parts.join(QStringLiteral(", "))));
    printOut(QDir::toNativeSeparators(sheetPath));
    return ExitOk;
}

}  // namespace cli
