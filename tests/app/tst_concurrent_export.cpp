// SPDX-License-Identifier: GPL-3.0-or-later
// Rows D3 and D6 of RELIABILITY.md's fault matrix with real campaign-cli processes on the tiny
// campaign (2 segments x 2 formats, one second each): an output name held by another live
// export fails that cell naming the holder's PID while the other cells render; *.partial-*
// files left by a killed export are swept when the name is next exported; two exports into
// one folder at the same time leave every file whole and one manifest that lists every cell
// with the hash of the file on disk. Every process is bounded in time.
#include "cli_test_support.h"
#include "tiny_campaign.h"

#include "app/file_hash.h"

#include <QCoreApplication>
#include <QLockFile>
#include <QTemporaryDir>
#include <QtTest>

using namespace clitest;

namespace {
const QString kSlug = QStringLiteral("tiny-generation-test");
const QStringList kFormats{QStringLiteral("1x1"), QStringLiteral("9x16")};
const QStringList kJobs{QStringLiteral("north/1x1"), QStringLiteral("north/9x16"),
                        QStringLiteral("south/1x1"), QStringLiteral("south/9x16")};
constexpr int kRunTimeoutMs = 300000;

// Files whose name says they are a lock, anywhere below `dir`.
QStringList lockFiles(const QString &dir)
{
    QStringList found;
    for (const QString &f : allFiles(dir))
        if (f.endsWith(QStringLiteral(".lock")))
            found << f;
    return found;
}
}  // namespace

class TestConcurrentExport : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void lockedOutputFailsNamingTheHolder();
    void leftoverPartialsAreSwept();
    void twoExportsAtOnceKeepOneConsistentManifest();

private:
    QStringList renderArgs(const QString &out) const
    {
        return {QStringLiteral("render"), m_project, QStringLiteral("--out"), out,
                QStringLiteral("--progress"), QStringLiteral("jsonl")};
    }
    QTemporaryDir m_tmp;
    QString m_project;
    QString m_out;   // the export folder of the first two tests
};

void TestConcurrentExport::initTestCase()
{
    QVERIFY2(QFileInfo(kCli).isExecutable(), qPrintable(kCli));
    QVERIFY(m_tmp.isValid());
    const QJsonObject project = testing_support::tinyCampaignInFormats(kFormats);
    QVERIFY(QDir().mkpath(m_tmp.filePath(QStringLiteral("project"))));
    m_project = m_tmp.filePath(QStringLiteral("project/tiny.campaign"));
    m_out = m_tmp.filePath(QStringLiteral("out"));
    QVERIFY(writeAll(m_project, QJsonDocument(project).toJson()));
    const CliRun gen = runCli({QStringLiteral("generate"), m_project}, 120000);
    QVERIFY2(gen.finished && gen.code == 0, describe(gen));
}

// D6: another live process holds north/1x1 (this test process, through the same QLockFile the
// exporter uses). That cell fails with "busy" naming our PID and leaves no file; the other
// three render. Once the holder lets go, the next run renders it and keeps the rest.
void TestConcurrentExport::lockedOutputFailsNamingTheHolder()
{
    const QString cellFile = m_out + QLatin1Char('/') + kSlug + QStringLiteral("/north/1x1.mp4");
    QVERIFY(QDir().mkpath(QFileInfo(cellFile).absolutePath()));
    auto holder = std::make_unique<QLockFile>(cellFile + QStringLiteral(".lock"));
    QVERIFY(holder->tryLock(0));

    const CliRun locked = runCli(renderArgs(m_out), kRunTimeoutMs);
    QVERIFY2(locked.finished && locked.code == 1, describe(locked));
    const QMap<QString, QString> done = doneStatuses(locked.out);
    QCOMPARE(done.keys(), kJobs);
    QCOMPARE(done.value(QStringLiteral("north/1x1")), QStringLiteral("failed"));
    for (const QString &job : {QStringLiteral("north/9x16"), QStringLiteral("south/1x1"),
                               QStringLiteral("south/9x16")})
        QCOMPARE(done.value(job), QStringLiteral("ok"));
    const QByteArray pid = QByteArray::number(QCoreApplication::applicationPid());
    QVERIFY2(locked.out.contains("\"busy\"") && locked.out.contains("process " + pid),
             describe(locked));
    QVERIFY(!QFileInfo::exists(cellFile));
    QVERIFY(partialFiles(m_out).isEmpty());

    holder.reset();  // unlocks and removes the lock file
    const CliRun after = runCli(renderArgs(m_out), kRunTimeoutMs);
    QVERIFY2(after.finished && after.code == 0, describe(after));
    const QMap<QString, QString> second = doneStatuses(after.out);
    QCOMPARE(second.value(QStringLiteral("north/1x1")), QStringLiteral("ok"));
    QCOMPARE(second.value(QStringLiteral("south/9x16")), QStringLiteral("skipped"));
    QVERIFY(QFileInfo(cellFile).size() > 0);
    QCOMPARE(manifestCells(m_out + QLatin1Char('/') + kSlug + QStringLiteral("/manifest.json")).keys(),
             kJobs);
    QVERIFY2(lockFiles(m_out).isEmpty(), qPrintable(lockFiles(m_out).join(QLatin1Char(' '))));
}

// D3: a killed export leaves only *.partial-* files (never a broken file under the final
// name); the next export of those names removes them, without touching the finished files.
void TestConcurrentExport::leftoverPartialsAreSwept()
{
    const QString root = m_out + QLatin1Char('/') + kSlug;
    const QString north = root + QStringLiteral("/north/1x1.mp4");
    const QString south = root + QStringLiteral("/south/9x16.mp4");
    const QByteArray northBytes = readAll(north);
    const QByteArray southBytes = readAll(south);
    QVERIFY(!northBytes.isEmpty() && !southBytes.isEmpty());
    QVERIFY(writeAll(north + QStringLiteral(".partial-Ab12Cd"), QByteArray(4096, '\0')));
    QVERIFY(writeAll(south + QStringLiteral(".partial-9zYx8w"), "no moov here"));
    QCOMPARE(partialFiles(root).size(), 2);

    const CliRun run = runCli(renderArgs(m_out), kRunTimeoutMs);
    QVERIFY2(run.finished && run.code == 0, describe(run));
    for (const QString &status : doneStatuses(run.out))
        QCOMPARE(status, QStringLiteral("skipped"));
    QVERIFY2(partialFiles(root).isEmpty(), qPrintable(partialFiles(root).join(QLatin1Char(' '))));
    QCOMPARE(readAll(north), northBytes);
    QCOMPARE(readAll(south), southBytes);
}

// D6 with two real exports at once (two studios, or a studio and the CLI) into one folder:
// whichever renders a cell, the other skips it or fails it as busy, never a mixed or broken
// file; and the manifest, updated by both, lists all four cells with the hash of the file
// that is on disk.
void TestConcurrentExport::twoExportsAtOnceKeepOneConsistentManifest()
{
    const QString out = m_tmp.filePath(QStringLiteral("together"));
    const QString root = out + QLatin1Char('/') + kSlug;
    QStringList args = renderArgs(out);
    args << QStringLiteral("--jobs") << QStringLiteral("1");
    QProcess first, second;
    first.start(kCli, args);
    second.start(kCli, args);
    QVERIFY(first.waitForStarted(10000) && second.waitForStarted(10000));
    const bool ended = first.waitForFinished(kRunTimeoutMs) && second.waitForFinished(kRunTimeoutMs);
    if (!ended) {
        first.kill();
        second.kill();
        first.waitForFinished(10000);
        second.waitForFinished(10000);
    }
    QVERIFY(ended);
    QMap<QString, int> rendered;
    for (QProcess *p : {&first, &second}) {
        const QByteArray outText = p->readAllStandardOutput();
        QVERIFY2(p->exitStatus() == QProcess::NormalExit
                     && (p->exitCode() == 0 || p->exitCode() == 1),
                 outText.constData());
        const QMap<QString, QString> done = doneStatuses(outText);
        QCOMPARE(done.keys(), kJobs);
        for (auto it = done.cbegin(); it != done.cend(); ++it) {
            QVERIFY2(it.value() == QLatin1String("ok") || it.value() == QLatin1String("skipped")
                         || it.value() == QLatin1String("failed"),
                     qPrintable(it.key() + QLatin1Char(' ') + it.value()));
            if (it.value() == QLatin1String("ok"))
                ++rendered[it.key()];
        }
        if (p->exitCode() == 1)
            QVERIFY2(outText.contains("\"busy\""), outText.constData());
    }
    for (const QString &job : kJobs)
        QVERIFY2(rendered.value(job) >= 1, qPrintable(job));

    const QMap<QString, QJsonObject> manifest = manifestCells(root + QStringLiteral("/manifest.json"));
    QCOMPARE(manifest.keys(), kJobs);
    for (const QString &job : kJobs) {
        const QString file = root + QLatin1Char('/') + job + QStringLiteral(".mp4");
        QCOMPARE(services::sha256OfFile(file), manifest.value(job).value(QStringLiteral("sha256")).toString());
    }
    QVERIFY(partialFiles(root).isEmpty());
    QVERIFY2(lockFiles(out).isEmpty(), qPrintable(lockFiles(out).join(QLatin1Char(' '))));
}

QTEST_GUILESS_MAIN(TestConcurrentExport)
#include "tst_concurrent_export.moc"
