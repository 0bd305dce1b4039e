// SPDX-License-Identifier: GPL-3.0-or-later
// campaign-cli manifest merge DIR [--shards N]
// Joins the manifests of a sharded render (render --shard I/N) into DIR/manifest.json. The
// checks live in services::mergeShardManifests; this file maps its result to exit codes.
#include "cli_common.h"

#include "app/shard.h"

#include <QCommandLineParser>
#include <QDir>
#include <QFileInfo>

namespace cli {

int runManifest(const QStringList &args)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("Join the shard manifests (manifest.shard-I-of-N.json) that \"render --shard I/N\" "
           "wrote into DIR, the campaign folder <out>/<campaign>, into DIR/manifest.json. Every "
           "shard 0..N-1 must be present, from the same project and renderer, without overlap, "
           "and every listed file must still have its recorded SHA-256."));
    const QCommandLineOption help(QStringList{QStringLiteral("h"), QStringLiteral("help")},
                                  tr("Show this help and exit."));
    const QCommandLineOption shards(QStringLiteral("shards"),
                                    tr("Merge the shards of this count N (needed only when DIR "
                                       "holds shard manifests of several counts)."),
                                    tr("N"));
    parser.addOptions({help, shards});
    parser.addPositionalArgument(QStringLiteral("merge"), tr("The action (only \"merge\")."));
    parser.addPositionalArgument(QStringLiteral("DIR"), tr("The campaign output folder."));
    const QString usage = tr("Usage: campaign-cli manifest merge [--shards N] DIR");

    if (!parser.parse(QStringList{QStringLiteral("campaign-cli manifest")} + args))
        return usageError(parser.errorText(), QStringLiteral("manifest"));
    if (parser.isSet(help)) {
        printOut(commandHelp(parser, usage) + QLatin1Char('\n') + exitCodeHelp());
        return ExitOk;
    }
    const QStringList positional = parser.positionalArguments();
    if (positional.isEmpty() || positional.first() != QLatin1String("merge"))
        return usageError(positional.isEmpty()
                              ? tr("manifest needs an action: merge.")
                              : tr("Unknown manifest action \"%1\" (known: merge).").arg(positional.first()),
                          QStringLiteral("manifest"));
    if (positional.size() != 2)
        return usageError(positional.size() < 2 ? tr("manifest merge needs the campaign folder DIR.")
                                                : tr("Unexpected argument \"%1\".").arg(positional.at(2)),
                          QStringLiteral("manifest"));
    int count = 0;
    if (parser.isSet(shards)) {
        bool ok = false;
        count = parser.value(shards).toInt(&ok);
        if (!ok || count < 1 || count > services::kMaxShards)
            return usageError(tr("--shards must be a whole number from 1 to %1, got \"%2\".")
                                  .arg(services::kMaxShards).arg(parser.value(shards)),
                              QStringLiteral("manifest"));
    }
    const QString dir = positional.at(1);
    if (!QFileInfo(dir).isDir()) {
        printErr(tr("The folder %1 does not exist.").arg(QDir::toNativeSeparators(dir)));
        return ExitNoInput;
    }

    const services::MergeResult result = services::mergeShardManifests(dir, count);
    for (const QString &problem : result.problems)
        printErr(problem);
    switch (result.status) {
    case services::MergeResult::Status::Ok:
        printOut(tr("Merged %1 shard manifests (%2 variants) into %3")
                     .arg(result.shards).arg(result.cells)
                     .arg(QDir::toNativeSeparators(result.output)));
        return ExitOk;
    case services::MergeResult::Status::Ambiguous:
        return ExitUsage;
    case services::MergeResult::Status::Missing:
        printErr(tr("Nothing was merged."));
        return ExitNoInput;
    case services::MergeResult::Status::Inconsistent:
        printErr(tr("Nothing was merged."));
        return ExitDataErr;
    case services::MergeResult::Status::WriteFailed:
        return ExitIoErr;
    }
    return ExitSomeFailed;
}

}  // namespace cli
