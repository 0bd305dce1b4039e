// SPDX-License-Identifier: GPL-3.0-or-later
#include "cli_common.h"

#include "app/reframe_cache.h"
#include "editor/project_io.h"
#include "render/renderer.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>

#include <csignal>
#include <cstdio>

namespace cli {

namespace {
// Signal handlers cannot take arguments; these two are the only process-wide state.
std::atomic<bool> *g_cancelFlag = nullptr;
volatile std::sig_atomic_t g_signal = 0;

void onSignal(int sig)
{
    if (g_signal == 0)
        g_signal = sig;
    if (g_cancelFlag)
        g_cancelFlag->store(true);
    // The next Ctrl-C should not wait for a frame boundary.
    struct sigaction dfl = {};
    dfl.sa_handler = SIG_DFL;
    sigemptyset(&dfl.sa_mask);
    sigaction(sig, &dfl, nullptr);
}

static_assert(std::atomic<bool>::is_always_lock_free, "the signal handler needs a lock-free flag");
}  // namespace

QString tr(const char *text) { return QCoreApplication::translate("campaign-cli", text); }

void printErr(const QString &text)
{
    const QByteArray bytes = (text + QLatin1Char('\n')).toUtf8();
    std::fwrite(bytes.constData(), 1, size_t(bytes.size()), stderr);
    std::fflush(stderr);
}

void printOut(const QString &text) { printOutRaw(text.toUtf8()); }

void printOutRaw(const QByteArray &line)
{
    std::fwrite(line.constData(), 1, size_t(line.size()), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

int usageError(const QString &message, const QString &command)
{
    printErr(QStringLiteral("campaign-cli: ") + message);
    printErr(command.isEmpty() ? tr("Try \"campaign-cli --help\".")
                               : tr("Try \"campaign-cli %1 --help\".").arg(command));
    return ExitUsage;
}

QString commandHelp(const QCommandLineParser &parser, const QString &usageLine)
{
    // Qt's usage line names the executable path, not the subcommand; replace it.
    QString text = parser.helpText();
    const qsizetype firstBreak = text.indexOf(QLatin1Char('\n'));
    if (firstBreak >= 0)
        text = text.mid(firstBreak + 1);
    return usageLine + QLatin1Char('\n') + text;
}

QString exitCodeHelp()
{
    return tr("Exit codes:\n"
              "  0    everything succeeded\n"
              "  1    some variants or assets failed (details on stderr / in \"done\" events)\n"
              "  2    usage error: unknown option or command, missing PROJECT, bad --jobs,\n"
              "       unknown --segment/--format id\n"
              "  65   invalid project file (every problem is listed with its JSON path)\n"
              "  66   project file or media file missing (generated assets that do not exist\n"
              "       yet come from \"campaign-cli generate PROJECT\")\n"
              "  73   output folder cannot be created or written\n"
              "  74   I/O error while writing (for example disk full)\n"
              "  75   generate: quota or network failures remain after the retries; run the\n"
              "       same command again later\n"
              "  130  interrupted by SIGINT (143: SIGTERM); no partial file is left under a\n"
              "       final name\n");
}

void installSignalHandlers(std::atomic<bool> *flag)
{
    g_cancelFlag = flag;
    struct sigaction sa = {};
    sa.sa_handler = onSignal;
    sigemptyset(&sa.sa_mask);
    sa.sa_flags = SA_RESTART;
    sigaction(SIGINT, &sa, nullptr);
    sigaction(SIGTERM, &sa, nullptr);
}

int interruptExitCode() { return g_signal ? 128 + int(g_signal) : 0; }

bool loadFonts()
{
    QString error;
    if (render::loadRenderFonts(&error))
        return true;
    printErr(error);
    return false;
}

std::optional<editor::Campaign> loadProject(const QString &path, int *exitCode)
{
    const editor::LoadResult result = editor::loadCampaign(path);
    switch (result.status) {
    case editor::LoadResult::Status::Ok:
        return result.campaign;
    case editor::LoadResult::Status::FileMissing:
    case editor::LoadResult::Status::FileUnreadable:
        *exitCode = ExitNoInput;
        break;
    case editor::LoadResult::Status::Invalid:
        *exitCode = ExitDataErr;
        break;
    }
    printErr(result.message.isEmpty()
                 ? tr("Cannot load the project %1.").arg(QDir::toNativeSeparators(path))
                 : result.message);
    for (const editor::LoadIssue &issue : result.issues)
        printErr(QStringLiteral("  ") + issue.toString());
    return std::nullopt;
}

void reframeSmartClips(editor::Campaign &c, const std::vector<std::pair<QString, QString>> &cells,
                       const QString &projectPath)
{
    services::ReframeCache cache(services::defaultReframeCacheDir(projectPath));
    QElapsedTimer timer;
    timer.start();
    const services::ReframeReport report = services::fillAutoReframe(c, cache, cells);
    if (report.autoTracks == 0 && report.manualKept == 0 && report.errors.isEmpty())
        return;
    printErr(tr("Smart reframe: %1 automatic and %2 manual crop tracks; %3 sources analysed, "
                "%4 from the cache, in %5 s.")
                 .arg(report.autoTracks)
                 .arg(report.manualKept)
                 .arg(cache.analysedCount())
                 .arg(cache.cacheHitCount())
                 .arg(double(timer.elapsed()) / 1000.0, 0, 'f', 2));
    for (const QString &note : report.notes)
        printErr(tr("Smart reframe: %1").arg(note));
    for (const QString &warning : cache.warnings())
        printErr(tr("Warning: %1").arg(warning));
    for (const QString &error : report.errors)
        printErr(tr("Warning: smart reframe could not analyse a source, which keeps the centred "
                    "crop: %1").arg(error));
}

}  // namespace cli
