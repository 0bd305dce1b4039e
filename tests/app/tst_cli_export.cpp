// SPDX-License-Identifier: GPL-3.0-or-later
// campaign-cli's export bookkeeping, with real processes on copies of the generated sample
// (fixture sample_generated): the manifest, incremental re-renders, --force, byte-identical
// output whatever --jobs, posters, and an interrupt between two cells. Every wait is bounded.
#include "cli_test_support.h"

#include <QDateTime>
#include <QElapsedTimer>
#include <QImageReader>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace clitest;

class TestCliExport : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void incrementalExport();
    void interruptKeepsFinishedCellsInManifest();

private:
    QString copyOfGenerated(const QString &name);
    QTemporaryDir m_tmp;
    QString m_project;
};

void TestCliExport::initTestCase()
{
    QVERIFY2(QFileInfo(kCli).isExecutable(), qPrintable(kCli));
    QVERIFY2(QFileInfo(kGeneratedSample + QStringLiteral("/stride.campaign")).isFile(),
             "run the prepare_sample fixture first");
    QVERIFY(m_tmp.isValid());
    m_project = copyOfGenerated(QStringLiteral("project"));
    QVERIFY(!m_project.isEmpty());
}

QString TestCliExport::copyOfGenerated(const QString &name)
{
    const QString dir = m_tmp.filePath(name);
    if (!copyTree(kGeneratedSample, dir, {QStringLiteral("renders")}))
        return {};
    return dir + QStringLiteral("/stride.campaign");
}

void TestCliExport::incrementalExport()
{
    // Two segments x 1x1: rendered with --jobs 1; one headline edited, rendered again with
    // --jobs 2 (only that cell renders); then --force --jobs 2 (both render, and the bytes equal
    // the earlier renders: the encoder's thread count does not follow --jobs).
    const QString copy = copyOfGenerated(QStringLiteral("incremental"));
    QVERIFY(!copy.isEmpty());
    const QString out = m_tmp.filePath(QStringLiteral("incremental-out"));
    const QString root = out + QStringLiteral("/stride-autumn-drop");
    const QString manifest = root + QStringLiteral("/manifest.json");
    const QString usFile = root + QStringLiteral("/us-parents/1x1.mp4");
    const QString deFile = root + QStringLiteral("/de-commuters/1x1.mp4");
    const QStringList args = {QStringLiteral("render"), copy, QStringLiteral("--segment"),
                              QStringLiteral("us-parents"), QStringLiteral("--segment"),
                              QStringLiteral("de-commuters"), QStringLiteral("--format"),
                              QStringLiteral("1x1"), QStringLiteral("--progress"),
                              QStringLiteral("jsonl"), QStringLiteral("--out"), out};
    QElapsedTimer timer;
    timer.start();
    const CliRun first = runCli(args + QStringList{QStringLiteral("--jobs"), QStringLiteral("1")}, 400000);
    qInfo("2 cells, --jobs 1: %.1f s", timer.restart() / 1000.0);
    QVERIFY2(first.finished && first.code == 0, describe(first));
    QCOMPARE(doneStatuses(first.out), (QMap<QString, QString>{{kUs, "ok"}, {kDe, "ok"}}));
    const QMap<QString, QJsonObject> before = manifestCells(manifest);
    QCOMPARE(before.keys(), (QStringList{kDe, kUs}));
    for (const QJsonObject &c : before) {
        const QString file = root + QLatin1Char('/') + c.value(QStringLiteral("file")).toString();
        QCOMPARE(c.value(QStringLiteral("sha256")).toString(), services::sha256OfFile(file));
        QCOMPARE(QImageReader(root + QLatin1Char('/') + c.value(QStringLiteral("poster")).toString()).size(),
                 QSize(1080, 1080));
    }
    const QString usSha = services::sha256OfFile(usFile);
    const QString deSha = services::sha256OfFile(deFile);
    const QDateTime usMtime = QFileInfo(usFile).lastModified();

    // Edit one segment's headline in the project JSON.
    QJsonObject o = QJsonDocument::fromJson(readAll(copy)).object();
    QJsonArray segments = o.value(QStringLiteral("segments")).toArray();
    for (qsizetype i = 0; i < segments.size(); ++i) {
        QJsonObject seg = segments.at(i).toObject();
        if (seg.value(QStringLiteral("id")).toString() != QLatin1String("de-commuters"))
            continue;
        QJsonObject vars = seg.value(QStringLiteral("variables")).toObject();
        vars.insert(QStringLiteral("headline"), QStringLiteral("Neu: leichter durch jeden Tag"));
        seg.insert(QStringLiteral("variables"), vars);
        segments.replace(i, seg);
    }
    o.insert(QStringLiteral("segments"), segments);
    QVERIFY(writeAll(copy, QJsonDocument(o).toJson()));

    const CliRun second = runCli(args + QStringList{QStringLiteral("--jobs"), QStringLiteral("2")}, 400000);
    qInfo("2 cells, one changed, --jobs 2: %.1f s", timer.restart() / 1000.0);
    QVERIFY2(second.finished && second.code == 0, describe(second));
    QJsonObject summary;
    QCOMPARE(doneStatuses(second.out, &summary), (QMap<QString, QString>{{kUs, "skipped"}, {kDe, "ok"}}));
    QVERIFY2(!second.out.contains("\"event\":\"start\",\"job\":\"us-parents/1x1\""), describe(second));
    QCOMPARE(summary.value(QStringLiteral("ok")).toInt(), 1);
    QCOMPARE(summary.value(QStringLiteral("skipped")).toInt(), 1);
    const QMap<QString, QJsonObject> after = manifestCells(manifest);
    QCOMPARE(after.value(kUs), before.value(kUs));
    QVERIFY(after.value(kDe).value(QStringLiteral("contentHash"))
            != before.value(kDe).value(QStringLiteral("contentHash")));
    QCOMPARE(QFileInfo(usFile).lastModified(), usMtime);
    QCOMPARE(services::sha256OfFile(usFile), usSha);
    const QString deChangedSha = services::sha256OfFile(deFile);
    QVERIFY(deChangedSha != deSha);
    QCOMPARE(after.value(kDe).value(QStringLiteral("sha256")).toString(), deChangedSha);

    const CliRun forced = runCli(args + QStringList{QStringLiteral("--jobs"), QStringLiteral("2"),
                                                    QStringLiteral("--force")}, 400000);
    qInfo("2 cells, --force --jobs 2: %.1f s", timer.restart() / 1000.0);
    QVERIFY2(forced.finished && forced.code == 0, describe(forced));
    QCOMPARE(doneStatuses(forced.out), (QMap<QString, QString>{{kUs, "ok"}, {kDe, "ok"}}));
    // Byte-identical whatever --jobs: us-parents was first rendered alone with --jobs 1, now
    // next to another cell with --jobs 2.
    QCOMPARE(services::sha256OfFile(usFile), usSha);
    QCOMPARE(services::sha256OfFile(deFile), deChangedSha);
    QCOMPARE(manifestCells(manifest).value(kUs).value(QStringLiteral("contentHash")),
             before.value(kUs).value(QStringLiteral("contentHash")));
    QCOMPARE(allFiles(root), (QStringList{QStringLiteral("de-commuters/1x1.mp4"),
                                          QStringLiteral("de-commuters/1x1.poster.png"),
                                          QStringLiteral("manifest.json"),
                                          QStringLiteral("us-parents/1x1.mp4"),
                                          QStringLiteral("us-parents/1x1.poster.png")}));
}

void TestCliExport::interruptKeepsFinishedCellsInManifest()
{
    // SIGINT after the first of two cells finished: that cell stays in the manifest with its
    // poster, the other leaves no file behind.
    const QString out = m_tmp.filePath(QStringLiteral("cancel-out"));
    const QString root = out + QStringLiteral("/stride-autumn-drop");
    QProcess p;
    p.start(kCli, {QStringLiteral("render"), m_project, QStringLiteral("--segment"),
                   QStringLiteral("us-parents"), QStringLiteral("--segment"),
                   QStringLiteral("de-commuters"), QStringLiteral("--format"), QStringLiteral("1x1"),
                   QStringLiteral("--jobs"), QStringLiteral("1"), QStringLiteral("--progress"),
                   QStringLiteral("jsonl"), QStringLiteral("--out"), out});
    QVERIFY(p.waitForStarted(10000));
    QByteArray stdoutSoFar = readStdoutUntil(p, "\"event\":\"done\"", 300000);
    QVERIFY2(stdoutSoFar.contains("\"event\":\"done\""), stdoutSoFar.constData());
    QCOMPARE(p.state(), QProcess::Running);
    QVERIFY2(signalAndWait(p, SIGINT), "the CLI did not stop within 60 s of the signal");
    stdoutSoFar += p.readAllStandardOutput();
    QCOMPARE(p.exitCode(), 130);
    const QMap<QString, QString> statuses = doneStatuses(stdoutSoFar);
    QCOMPARE(statuses.size(), 2);
    const QString finishedJob = statuses.key(QStringLiteral("ok"));
    QVERIFY2(!finishedJob.isEmpty(), stdoutSoFar.constData());
    const QString cancelledJob = finishedJob == kUs ? kDe : kUs;
    QCOMPARE(statuses.value(cancelledJob), QStringLiteral("cancelled"));
    const QMap<QString, QJsonObject> cells = manifestCells(root + QStringLiteral("/manifest.json"));
    QCOMPARE(cells.keys(), QStringList{finishedJob});
    const QString format = QStringLiteral("/1x1");
    const QString finishedDir = finishedJob.section(QLatin1Char('/'), 0, 0);
    QCOMPARE(cells.value(finishedJob).value(QStringLiteral("sha256")).toString(),
             services::sha256OfFile(root + QLatin1Char('/') + finishedDir + format + QStringLiteral(".mp4")));
    QStringList expectedFiles{finishedDir + format + QStringLiteral(".mp4"),
                              finishedDir + format + QStringLiteral(".poster.png"),
                              QStringLiteral("manifest.json")};
    expectedFiles.sort();
    QCOMPARE(allFiles(root), expectedFiles);
    QVERIFY(partialFiles(out).isEmpty());
}

QTEST_GUILESS_MAIN(TestCliExport)
#include "tst_cli_export.moc"
