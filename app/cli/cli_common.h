// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shared plumbing of the campaign-cli subcommands: exit codes, output streams, signals and
// project loading. The real work lives in the services library; this is wiring only.

#include "editor/campaign.h"

#include <QString>
#include <QStringList>

#include <atomic>
#include <optional>
#include <utility>
#include <vector>

class QCommandLineParser;

namespace cli {

// sysexits.h values where one fits; documented in --help and docs/cli.md.
enum ExitCode {
    ExitOk = 0,
    ExitSomeFailed = 1,
    ExitUsage = 2,
    ExitDataErr = 65,    // EX_DATAERR: the project is invalid
    ExitNoInput = 66,    // EX_NOINPUT: project or media file missing
    ExitCantCreate = 73, // EX_CANTCREAT: output folder cannot be created or written
    ExitIoErr = 74,      // EX_IOERR: writing failed (disk full)
};

QString tr(const char *text);

// Human text: always stderr. Machine output (JSON Lines, final folder): stdout, flushed per line.
void printErr(const QString &text);
void printOut(const QString &text);
void printOutRaw(const QByteArray &line);

// Usage error: message + hint on stderr, returns ExitUsage.
int usageError(const QString &message, const QString &command = {});

// "Usage: campaign-cli <command> ..." followed by the parser's option list.
QString commandHelp(const QCommandLineParser &parser, const QString &usageLine);
QString exitCodeHelp();

// SIGINT/SIGTERM only set `flag` (and remember which signal); a second signal kills at once.
void installSignalHandlers(std::atomic<bool> *flag);
int interruptExitCode();  // 130 / 143, or 0 when no signal arrived

// Fonts for QPainter text (generated images, rendered captions).
bool loadFonts();

// Loads the project, printing every problem to stderr. On failure returns nullopt and sets
// `exitCode` (65 invalid, 66 missing/unreadable).
std::optional<editor::Campaign> loadProject(const QString &path, int *exitCode);

// Smart reframe before rendering: Auto crop keys for every "smart" clip in `cells` (segment,
// format), from the subject analysis cached in <project>/.campaign-cache/reframe
// (app/reframe_cache.h); Manual keys are kept. Only the campaign in memory changes, never the
// project file. Silent for projects without smart clips; a source that cannot be analysed
// keeps the centred cover crop (a warning on stderr).
void reframeSmartClips(editor::Campaign &c, const std::vector<std::pair<QString, QString>> &cells,
                       const QString &projectPath);

int runRender(const QStringList &args, std::atomic<bool> *cancel);
int runGenerate(const QStringList &args, std::atomic<bool> *cancel);
// `manifest merge`: joins the manifests of a sharded render (no rendering, nothing to cancel).
int runManifest(const QStringList &args);
// `review-sheet`: a contact sheet (HTML or PDF) of every variant with its review status.
int runReviewSheet(const QStringList &args, std::atomic<bool> *cancel);
// `validate`: preflight rules over every cell, a list or JSON report; exit 1 when blocking.
int runValidate(const QStringList &args, std::atomic<bool> *cancel);
// `contact-sheet`: the frame at one time of every cell tiled into one PNG (no encode).
int runContactSheet(const QStringList &args, std::atomic<bool> *cancel);

}  // namespace cli
