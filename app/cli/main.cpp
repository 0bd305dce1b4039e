// SPDX-License-Identifier: GPL-3.0-or-later
// campaign-cli: batch front end of Campaign Studio. Parsing and wiring only; the work is done by
// the services library, exactly as in the GUI.
#include "cli_common.h"

#include <QCommandLineParser>
#include <QGuiApplication>

#ifndef CAMPAIGN_VERSION
#define CAMPAIGN_VERSION "0.0.0"
#endif

namespace {
QtMessageHandler g_defaultHandler = nullptr;

// Without a session (cron, CI, containers) Qt warns about XDG_RUNTIME_DIR on every start; the
// CLI never uses the runtime dir, and scripts should see only meaningful lines on stderr.
void filterMessages(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    if (type == QtWarningMsg && message.startsWith(QLatin1String("QStandardPaths: XDG_RUNTIME_DIR")))
        return;
    g_defaultHandler(type, context, message);
}

QString topLevelHelp()
{
    return cli::tr("Usage: campaign-cli [--help] [--version] COMMAND [options] PROJECT\n"
                   "\n"
                   "Batch tool of Campaign Studio: renders every audience segment x format\n"
                   "variant of a campaign and generates its missing AI assets, without a window.\n"
                   "\n"
                   "Commands:\n"
                   "  render PROJECT     Render all variants (or --segment/--format ones) to\n"
                   "                     H.264/AAC MP4; --progress jsonl for JSON Lines events.\n"
                   "  generate PROJECT   Generate missing assets (offline, gemini-image or veo)\n"
                   "                     and save the project; exit 75 when quota or network\n"
                   "                     failures remain.\n"
                   "  manifest merge DIR Join the shard manifests of \"render --shard I/N\" in the\n"
                   "                     campaign folder DIR into DIR/manifest.json.\n"
                   "  validate PROJECT   Check every variant against the preflight rules (safe\n"
                   "                     zones, overflow, text size, contrast, logo clear space,\n"
                   "                     disclaimers, duration, media, slots); --json for a\n"
                   "                     report; exit 1 when a blocking rule fails.\n"
                   "  review-sheet PROJECT --out FILE.html|FILE.pdf\n"
                   "                     Write a contact sheet of every variant: poster, segment,\n"
                   "                     headline/CTA, review status and comment.\n"
                   "  contact-sheet PROJECT --out FILE.png [--time SECONDS] [--tile-height PX]\n"
                   "                     Render the frame at one time of every variant into one\n"
                   "                     PNG: a row per segment, a column per format.\n"
                   "\n"
                   "Options:\n"
                   "  -h, --help         Show this help and exit.\n"
                   "  -v, --version      Show the version and exit.\n"
                   "\n"
                   "Run \"campaign-cli COMMAND --help\" for the options of a command.\n"
                   "\n")
        + cli::exitCodeHelp();
}
}  // namespace

int main(int argc, char **argv)
{
    // Text needs QtGui, but the CLI never opens a window: work without a display.
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    g_defaultHandler = qInstallMessageHandler(filterMessages);
    QGuiApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("campaign-cli"));
    QCoreApplication::setApplicationVersion(QStringLiteral(CAMPAIGN_VERSION));

    std::atomic<bool> cancel{false};
    cli::installSignalHandlers(&cancel);

    // Top level knows only --help/--version and the command; everything after the command
    // belongs to the command's own parser.
    QCommandLineParser parser;
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  cli::tr("Show this help and exit."));
    const QCommandLineOption version(QStringList{QStringLiteral("v"), QStringLiteral("version")},
                                     cli::tr("Show the version and exit."));
    parser.addOptions({help, version});
    parser.addPositionalArgument(QStringLiteral("command"), cli::tr("render | generate | validate | manifest | review-sheet | contact-sheet"));
    parser.setOptionsAfterPositionalArgumentsMode(QCommandLineParser::ParseAsPositionalArguments);
    if (!parser.parse(QCoreApplication::arguments()))
        return cli::usageError(parser.errorText());
    if (parser.isSet(help)) {
        cli::printOut(topLevelHelp());
        return cli::ExitOk;
    }
    if (parser.isSet(version)) {
        cli::printOut(QStringLiteral("campaign-cli " CAMPAIGN_VERSION));
        return cli::ExitOk;
    }
    QStringList args = parser.positionalArguments();
    if (args.isEmpty())
        return cli::usageError(cli::tr("No command given."));
    const QString command = args.takeFirst();
    if (command == QStringLiteral("render"))
        return cli::runRender(args, &cancel);
    if (command == QStringLiteral("generate"))
        return cli::runGenerate(args, &cancel);
    if (command == QStringLiteral("manifest"))
        return cli::runManifest(args);
    if (command == QStringLiteral("review-sheet"))
        return cli::runReviewSheet(args, &cancel);
    if (command == QStringLiteral("validate"))
        return cli::runValidate(args, &cancel);
    if (command == QStringLiteral("contact-sheet"))
        return cli::runContactSheet(args, &cancel);
    return cli::usageError(cli::tr("Unknown command \"%1\".").arg(command));
}
