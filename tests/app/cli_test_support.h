// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shared by the campaign-cli tests (tst_cli, tst_cli_export): running the CLI as a real
// process with bounded waits, copying the generated sample, reading its outputs.
#include "app/file_hash.h"

#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QMap>
#include <QProcess>

#include <functional>
#include <QProcessEnvironment>

#include <csignal>
#include <sys/types.h>

namespace clitest {
inline const QString kCli = QStringLiteral(CAMPAIGN_CLI_PATH);
inline const QString kGeneratedSample = QStringLiteral(CAMPAIGN_BINARY_DIR "/test-sample");
inline const QString kPristineSample = QStringLiteral(CAMPAIGN_SOURCE_DIR "/resources/samples/stride");

struct CliRun {
    bool finished = false;
    int code = -1;
    QByteArray out, err;
};

// `env` empty: the test's own environment. `childSetup` runs in the child between fork and
// exec (only async-signal-safe calls there), e.g. to set a resource limit.
inline CliRun runCli(const QStringList &args, int timeoutMs = 180000,
                     const QProcessEnvironment &env = {},
                     const std::function<void()> &childSetup = {})
{
    CliRun run;
    QProcess p;
    if (!env.isEmpty())
        p.setProcessEnvironment(env);
    if (childSetup)
        p.setChildProcessModifier(childSetup);
    p.start(kCli, args);
    if (!p.waitForStarted(10000))
        return run;
    run.finished = p.waitForFinished(timeoutMs);
    if (!run.finished) {
        p.kill();
        p.waitForFinished(10000);
    }
    run.code = p.exitStatus() == QProcess::NormalExit ? p.exitCode() : -1;
    run.out = p.readAllStandardOutput();
    run.err = p.readAllStandardError();
    return run;
}

inline QByteArray describe(const CliRun &r)
{
    return "exit " + QByteArray::number(r.code) + "\n--- stdout\n" + r.out.left(3000)
        + "\n--- stderr\n" + r.err.left(3000);
}

inline bool copyTree(const QString &from, const QString &to, const QStringList &skipDirs = {})
{
    QDir src(from);
    if (!QDir().mkpath(to))
        return false;
    const auto entries = src.entryInfoList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
    for (const QFileInfo &e : entries) {
        const QString target = QDir(to).filePath(e.fileName());
        if (e.isDir()) {
            if (!skipDirs.contains(e.fileName()) && !copyTree(e.filePath(), target))
                return false;
        } else if (!QFile::copy(e.filePath(), target)) {
            return false;
        }
    }
    return true;
}

inline QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

inline QStringList partialFiles(const QString &dir)
{
    QStringList found;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (path.contains(QStringLiteral(".partial-")) || QFileInfo(path).fileName().startsWith(QLatin1Char('.')))
            found << path;
    }
    return found;
}

inline QStringList listing(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot, QDir::Name);
}

// Every file below `dir`, relative to it, sorted.
inline QStringList allFiles(const QString &dir)
{
    QStringList found;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext())
        found << QDir(dir).relativeFilePath(it.next());
    found.sort();
    return found;
}

// job -> status of the "done" events, and the summary object, of a JSON Lines stream.
inline QMap<QString, QString> doneStatuses(const QByteArray &out, QJsonObject *summary = nullptr)
{
    QMap<QString, QString> statuses;
    for (const QByteArray &line : out.trimmed().split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        const QString event = o.value(QStringLiteral("event")).toString();
        if (event == QLatin1String("done"))
            statuses.insert(o.value(QStringLiteral("job")).toString(),
                            o.value(QStringLiteral("status")).toString());
        else if (event == QLatin1String("summary") && summary)
            *summary = o;
    }
    return statuses;
}

// job -> manifest entry.
inline QMap<QString, QJsonObject> manifestCells(const QString &manifestPath)
{
    QMap<QString, QJsonObject> cells;
    const QJsonObject root = QJsonDocument::fromJson(readAll(manifestPath)).object();
    for (const QJsonValue &v : root.value(QStringLiteral("cells")).toArray()) {
        const QJsonObject c = v.toObject();
        cells.insert(c.value(QStringLiteral("segment")).toString() + QLatin1Char('/')
                         + c.value(QStringLiteral("format")).toString(),
                     c);
    }
    return cells;
}

// Reads a running CLI's stdout until `marker` appears, the process ends or `timeoutMs` passes.
inline QByteArray readStdoutUntil(QProcess &p, const QByteArray &marker, int timeoutMs)
{
    QByteArray out;
    QElapsedTimer timer;
    timer.start();
    while (!out.contains(marker) && timer.elapsed() < timeoutMs && p.state() == QProcess::Running) {
        p.waitForReadyRead(500);
        out += p.readAllStandardOutput();
    }
    return out;
}

// Sends `signal` and waits (bounded) for the process to stop; kills it if it does not.
// Returns whether it stopped by itself.
inline bool signalAndWait(QProcess &p, int signal, int timeoutMs = 60000)
{
    if (::kill(pid_t(p.processId()), signal) != 0)
        return false;
    if (p.waitForFinished(timeoutMs))
        return true;
    p.kill();
    p.waitForFinished(10000);
    return false;
}

inline const QString kUs = QStringLiteral("us-parents/1x1");
inline const QString kDe = QStringLiteral("de-commuters/1x1");
}  // namespace clitest
