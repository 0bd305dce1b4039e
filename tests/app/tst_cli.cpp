// SPDX-License-Identifier: GPL-3.0-or-later
// campaign-cli as a batch operator meets it: real processes on copies of the generated sample
// (fixture sample_generated), checking exit codes, stdout/stderr contracts, JSON Lines, signal
// handling and the generation cache. Every wait is bounded.
#include "cli_test_support.h"

#include "editor/project_io.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>

using namespace clitest;

class TestCli : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void helpAndVersion_data();
    void helpAndVersion();
    void usageErrors_data();
    void usageErrors();
    void invalidProject_data();
    void invalidProject();
    void missingProject();
    void missingMedia();
    void outputNotWritable_data();
    void outputNotWritable();
    void renderWithJsonProgress();
    void interruptKeepsEarlierOutput_data();
    void interruptKeepsEarlierOutput();
    void generateOnGeneratedProject();
    void generateReusesRecipeCache();
    void generateRejectsUnavailableProvider();
    void generateFreshSample();

private:
    QString project() const { return m_tmp.filePath(QStringLiteral("project/stride.campaign")); }
    QString copyOfGenerated(const QString &name);
    QTemporaryDir m_tmp;
};

void TestCli::initTestCase()
{
    QVERIFY2(QFileInfo(kCli).isExecutable(), qPrintable(kCli));
    QVERIFY2(QFileInfo(kGeneratedSample + QStringLiteral("/stride.campaign")).isFile(),
             "run the prepare_sample fixture first");
    QVERIFY(m_tmp.isValid());
    QVERIFY(copyTree(kGeneratedSample, m_tmp.filePath(QStringLiteral("project")), {QStringLiteral("renders")}));
}

QString TestCli::copyOfGenerated(const QString &name)
{
    const QString dir = m_tmp.filePath(name);
    if (!copyTree(kGeneratedSample, dir, {QStringLiteral("renders")}))
        return {};
    return dir + QStringLiteral("/stride.campaign");
}

void TestCli::helpAndVersion_data()
{
    QTest::addColumn<QStringList>("args");
    QTest::addColumn<QString>("expected");
    QTest::newRow("--help") << QStringList{QStringLiteral("--help")} << QStringLiteral("Exit codes");
    QTest::newRow("-h") << QStringList{QStringLiteral("-h")} << QStringLiteral("generate PROJECT");
    QTest::newRow("--version") << QStringList{QStringLiteral("--version")} << QStringLiteral("campaign-cli 0.");
    QTest::newRow("render --help") << QStringList{QStringLiteral("render"), QStringLiteral("--help")}
                                   << QStringLiteral("--jobs");
    QTest::newRow("render --help poster") << QStringList{QStringLiteral("render"), QStringLiteral("--help")}
                                         << QStringLiteral("--poster-time");
    QTest::newRow("generate --help") << QStringList{QStringLiteral("generate"), QStringLiteral("--help")}
                                     << QStringLiteral("recipe");
}

void TestCli::helpAndVersion()
{
    QFETCH(QStringList, args);
    QFETCH(QString, expected);
    const CliRun r = runCli(args, 30000);
    QVERIFY2(r.finished && r.code == 0, describe(r));
    QVERIFY2(QString::fromUtf8(r.out).contains(expected), describe(r));
    if (args.contains(QStringLiteral("--help")))
        QVERIFY2(r.out.contains("130") && r.out.contains("66"), "exit codes are documented in --help");
}

void TestCli::usageErrors_data()
{
    QTest::addColumn<QStringList>("args");
    const QString p = project();
    QTest::newRow("no arguments") << QStringList{};
    QTest::newRow("unknown option") << QStringList{QStringLiteral("--bogus")};
    QTest::newRow("unknown command") << QStringList{QStringLiteral("frobnicate"), p};
    QTest::newRow("render without project") << QStringList{QStringLiteral("render")};
    QTest::newRow("render unknown option") << QStringList{QStringLiteral("render"), p, QStringLiteral("--fast")};
    QTest::newRow("jobs 0") << QStringList{QStringLiteral("render"), p, QStringLiteral("--jobs"), QStringLiteral("0")};
    QTest::newRow("jobs 17") << QStringList{QStringLiteral("render"), p, QStringLiteral("--jobs=17")};
    QTest::newRow("jobs text") << QStringList{QStringLiteral("render"), p, QStringLiteral("--jobs"), QStringLiteral("two")};
    QTest::newRow("unknown segment") << QStringList{QStringLiteral("render"), p, QStringLiteral("--segment"), QStringLiteral("fr-nobody")};
    QTest::newRow("unknown format") << QStringList{QStringLiteral("render"), p, QStringLiteral("--format"), QStringLiteral("2x3")};
    QTest::newRow("bad progress") << QStringList{QStringLiteral("render"), p, QStringLiteral("--progress"), QStringLiteral("xml")};
    QTest::newRow("poster-time text") << QStringList{QStringLiteral("render"), p, QStringLiteral("--poster-time"), QStringLiteral("soon")};
    QTest::newRow("poster-time negative") << QStringList{QStringLiteral("render"), p, QStringLiteral("--poster-time=-1")};
    QTest::newRow("two projects") << QStringList{QStringLiteral("generate"), p, p};
}

void TestCli::usageErrors()
{
    QFETCH(QStringList, args);
    const CliRun r = runCli(args, 30000);
    QVERIFY2(r.finished && r.code == 2, describe(r));
    QVERIFY2(!r.err.trimmed().isEmpty(), "a usage error explains itself on stderr");
    QVERIFY2(r.out.isEmpty(), describe(r));
}

void TestCli::invalidProject_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("jsonPath");
    QTest::newRow("syntax error") << "syntax" << "$:";
    QTest::newRow("schemaVersion 2") << "schema" << "$.schemaVersion";
    QTest::newRow("negative duration") << "duration" << "$.timeline.duration";
}

void TestCli::invalidProject()
{
    QFETCH(QString, kind);
    QFETCH(QString, jsonPath);
    const QByteArray original = readAll(project());
    QByteArray broken;
    if (kind == QLatin1String("syntax")) {
        broken = original.left(original.size() / 2);
    } else {
        QJsonObject o = QJsonDocument::fromJson(original).object();
        QVERIFY(!o.isEmpty());
        if (kind == QLatin1String("schema")) {
            o.insert(QStringLiteral("schemaVersion"), 2);
        } else {
            QJsonObject timeline = o.value(QStringLiteral("timeline")).toObject();
            timeline.insert(QStringLiteral("duration"), QStringLiteral("-15"));
            o.insert(QStringLiteral("timeline"), timeline);
        }
        broken = QJsonDocument(o).toJson();
    }
    const QString path = m_tmp.filePath(QStringLiteral("project/invalid-%1.campaign").arg(kind));
    QVERIFY(writeAll(path, broken));
    for (const QString &command : {QStringLiteral("render"), QStringLiteral("generate")}) {
        const CliRun r = runCli({command, path}, 60000);
        QVERIFY2(r.finished && r.code == 65, describe(r));
        QVERIFY2(QString::fromUtf8(r.err).contains(jsonPath), describe(r));
    }
}

void TestCli::missingProject()
{
    const QString path = m_tmp.filePath(QStringLiteral("nowhere/none.campaign"));
    for (const QString &command : {QStringLiteral("render"), QStringLiteral("generate")}) {
        const CliRun r = runCli({command, path}, 30000);
        QVERIFY2(r.finished && r.code == 66, describe(r));
        QVERIFY2(QString::fromUtf8(r.err).contains(QStringLiteral("none.campaign")), describe(r));
    }
}

void TestCli::missingMedia()
{
    const QString copy = copyOfGenerated(QStringLiteral("missing"));
    QVERIFY(!copy.isEmpty());
    const editor::LoadResult loaded = editor::loadCampaign(copy);
    QVERIFY(loaded.campaign.has_value());
    const editor::Asset *hero = loaded.campaign->asset(QStringLiteral("hero-us-parents"));
    QVERIFY(hero && QFileInfo(hero->path).isFile());
    QVERIFY(QFile::remove(hero->path));
    const QString out = m_tmp.filePath(QStringLiteral("missing-out"));
    const CliRun r = runCli({QStringLiteral("render"), copy, QStringLiteral("--segment"),
                             QStringLiteral("us-parents"), QStringLiteral("--format"),
                             QStringLiteral("1x1"), QStringLiteral("--out"), out}, 60000);
    QVERIFY2(r.finished && r.code == 66, describe(r));
    const QString err = QString::fromUtf8(r.err);
    QVERIFY2(err.contains(QFileInfo(hero->path).fileName()), describe(r));
    QVERIFY2(err.contains(QStringLiteral("campaign-cli generate")), describe(r));
    QVERIFY(!QFileInfo::exists(out + QStringLiteral("/stride-autumn-drop/us-parents/1x1.mp4")));
}

void TestCli::outputNotWritable_data()
{
    QTest::addColumn<QString>("blocker");
    QTest::newRow("--out is a file") << QString();
    QTest::newRow("campaign folder is a file") << QStringLiteral("stride-autumn-drop");
}

void TestCli::outputNotWritable()
{
    QFETCH(QString, blocker);
    const QString out = m_tmp.filePath(QStringLiteral("blocked-%1").arg(blocker.isEmpty() ? 1 : 2));
    if (blocker.isEmpty()) {
        QVERIFY(writeAll(out, "not a folder"));
    } else {
        QVERIFY(QDir().mkpath(out));
        QVERIFY(writeAll(out + QLatin1Char('/') + blocker, "not a folder"));
    }
    const CliRun r = runCli({QStringLiteral("render"), project(), QStringLiteral("--segment"),
                             QStringLiteral("us-parents"), QStringLiteral("--format"),
                             QStringLiteral("1x1"), QStringLiteral("--out"), out}, 60000);
    QVERIFY2(r.finished && r.code == 73, describe(r));
    QVERIFY2(r.err.contains("blocked-"), describe(r));
}

void TestCli::renderWithJsonProgress()
{
    const QString out = m_tmp.filePath(QStringLiteral("out"));
    const QString expected = out + QStringLiteral("/stride-autumn-drop/us-parents/1x1.mp4");
    QElapsedTimer timer;
    timer.start();
    const CliRun r = runCli({QStringLiteral("render"), project(), QStringLiteral("--segment"),
                             QStringLiteral("us-parents"), QStringLiteral("--format"),
                             QStringLiteral("1x1"), QStringLiteral("--progress"),
                             QStringLiteral("jsonl"), QStringLiteral("--out"), out}, 400000);
    const double seconds = timer.elapsed() / 1000.0;
    qInfo("one 1080x1080 15 s variant rendered in %.1f s", seconds);
    QVERIFY2(r.finished && r.code == 0, describe(r));
    QStringList events;
    QJsonObject done, summary;
    qint64 lastFrame = -1;
    const QList<QByteArray> lines = r.out.trimmed().split('\n');
    for (const QByteArray &line : lines) {
        QJsonParseError err;
        const QJsonObject o = QJsonDocument::fromJson(line, &err).object();
        QVERIFY2(err.error == QJsonParseError::NoError && !o.isEmpty(), line.constData());
        QVERIFY2(line.startsWith("{\"event\":"), line.constData());
        const QString event = o.value(QStringLiteral("event")).toString();
        events << event;
        if (event != QLatin1String("summary"))
            QCOMPARE(o.value(QStringLiteral("job")).toString(), QStringLiteral("us-parents/1x1"));
        if (event == QLatin1String("start")) {
            QCOMPARE(o.value(QStringLiteral("output")).toString(), expected);
            QCOMPARE(o.value(QStringLiteral("frames")).toInteger(), 450);
        } else if (event == QLatin1String("progress")) {
            const qint64 frame = o.value(QStringLiteral("frame")).toInteger();
            QVERIFY(frame >= lastFrame && frame <= 450);
            lastFrame = frame;
            const double pct = o.value(QStringLiteral("pct")).toDouble(-1);
            QVERIFY(pct >= 0 && pct <= 100);
            QVERIFY(o.contains(QStringLiteral("eta_s")));
        } else if (event == QLatin1String("done")) {
            done = o;
        } else {
            summary = o;
        }
    }
    QCOMPARE(events.first(), QStringLiteral("start"));
    QVERIFY(events.contains(QStringLiteral("progress")));
    QCOMPARE(events.at(events.size() - 2), QStringLiteral("done"));
    QCOMPARE(events.last(), QStringLiteral("summary"));
    QCOMPARE(lastFrame, 450);
    // Throttled: about two progress events a second, plus the final one.
    const qsizetype progressEvents = events.count(QStringLiteral("progress"));
    QVERIFY2(progressEvents <= 2 * seconds + 3,
             qPrintable(QStringLiteral("%1 progress events in %2 s").arg(progressEvents).arg(seconds)));
    QCOMPARE(done.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
    QCOMPARE(done.value(QStringLiteral("output")).toString(), expected);
    QCOMPARE(done.value(QStringLiteral("sha256")).toString(), services::sha256OfFile(expected));
    QCOMPARE(summary.value(QStringLiteral("ok")).toInt(), 1);
    QCOMPARE(summary.value(QStringLiteral("failed")).toInt(-1), 0);
    QCOMPARE(summary.value(QStringLiteral("cancelled")).toInt(-1), 0);
    QCOMPARE(summary.value(QStringLiteral("out")).toString(), out + QStringLiteral("/stride-autumn-drop"));
    QVERIFY(partialFiles(out).isEmpty());

    // Without --progress: human text on stderr, only the result folder on stdout.
    const CliRun human = runCli({QStringLiteral("render"), project(), QStringLiteral("--segment"),
                                 QStringLiteral("us-parents"), QStringLiteral("--format"),
                                 QStringLiteral("1x1"), QStringLiteral("--jobs"), QStringLiteral("2"),
                                 QStringLiteral("--out"), m_tmp.filePath(QStringLiteral("out-human"))},
                                400000);
    QVERIFY2(human.finished && human.code == 0, describe(human));
    QCOMPARE(QString::fromUtf8(human.out).trimmed(),
             QStringLiteral("Rendered 1 variants into %1/stride-autumn-drop")
                 .arg(m_tmp.filePath(QStringLiteral("out-human"))));
    QVERIFY2(human.err.contains("us-parents/1x1"), describe(human));
    // Same inputs, same bytes, whatever the progress mode or --jobs (the encoder's thread count
    // is fixed; incrementalExport compares --jobs 1 with --jobs 2).
    QCOMPARE(services::sha256OfFile(m_tmp.filePath(QStringLiteral("out-human/stride-autumn-drop/us-parents/1x1.mp4"))),
             services::sha256OfFile(expected));
}

void TestCli::interruptKeepsEarlierOutput_data()
{
    QTest::addColumn<int>("signal");
    QTest::addColumn<int>("expectedCode");
    QTest::newRow("SIGINT") << int(SIGINT) << 130;
    QTest::newRow("SIGTERM") << int(SIGTERM) << 143;
}

void TestCli::interruptKeepsEarlierOutput()
{
    QFETCH(int, signal);
    QFETCH(int, expectedCode);
    const QString out = m_tmp.filePath(QStringLiteral("out"));
    const QString target = out + QStringLiteral("/stride-autumn-drop/us-parents/1x1.mp4");
    const QString before = services::sha256OfFile(target);
    QVERIFY2(!before.isEmpty(), "renderWithJsonProgress leaves the earlier output");

    QProcess p;
    // --force: the earlier file is up to date, and this test needs a render to interrupt.
    p.start(kCli, {QStringLiteral("render"), project(), QStringLiteral("--segment"),
                   QStringLiteral("us-parents"), QStringLiteral("--format"), QStringLiteral("1x1"),
                   QStringLiteral("--force"), QStringLiteral("--progress"), QStringLiteral("jsonl"),
                   QStringLiteral("--out"), out});
    QVERIFY(p.waitForStarted(10000));
    QByteArray stdoutSoFar = readStdoutUntil(p, "\"event\":\"progress\"", 120000);
    QVERIFY2(stdoutSoFar.contains("\"event\":\"progress\""), stdoutSoFar.constData());
    QCOMPARE(p.state(), QProcess::Running);
    QVERIFY2(signalAndWait(p, signal), "the CLI did not stop within 60 s of the signal");
    stdoutSoFar += p.readAllStandardOutput();
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY2(p.exitCode() == expectedCode,
             qPrintable(QStringLiteral("exit %1\n%2").arg(p.exitCode())
                            .arg(QString::fromUtf8(stdoutSoFar + p.readAllStandardError()))));
    QVERIFY2(stdoutSoFar.contains("\"status\":\"cancelled\""), stdoutSoFar.constData());
    QCOMPARE(services::sha256OfFile(target), before);
    QVERIFY2(partialFiles(out).isEmpty(), qPrintable(partialFiles(out).join(QLatin1Char('\n'))));
}

void TestCli::generateOnGeneratedProject()
{
    const QString copy = copyOfGenerated(QStringLiteral("regen"));
    QVERIFY(!copy.isEmpty());
    const QString generated = QFileInfo(copy).absolutePath() + QStringLiteral("/generated");
    const QByteArray projectBefore = readAll(copy);
    const QStringList filesBefore = listing(generated);
    QCOMPARE(filesBefore.size(), 15);  // 7 media files, 7 recipes, generation.log
    const CliRun r = runCli({QStringLiteral("generate"), copy}, 120000);
    QVERIFY2(r.finished && r.code == 0, describe(r));
    QVERIFY2(r.out.contains("Generated 0,") && r.out.contains("up to date 7"), describe(r));
    QCOMPARE(listing(generated), filesBefore);
    QCOMPARE(readAll(copy), projectBefore);
}

void TestCli::generateReusesRecipeCache()
{
    // The pristine project (no generated assets listed) next to an existing generated/ folder.
    const QString dir = m_tmp.filePath(QStringLiteral("cache"));
    QVERIFY(copyTree(kPristineSample, dir, {QStringLiteral("generated"), QStringLiteral("renders")}));
    QVERIFY(copyTree(kGeneratedSample + QStringLiteral("/generated"), dir + QStringLiteral("/generated")));
    const QStringList filesBefore = listing(dir + QStringLiteral("/generated"));
    const CliRun r = runCli({QStringLiteral("generate"), dir + QStringLiteral("/stride.campaign")}, 120000);
    QVERIFY2(r.finished && r.code == 0, describe(r));
    QVERIFY2(r.out.contains("Generated 0, reused 7"), describe(r));
    QCOMPARE(listing(dir + QStringLiteral("/generated")), filesBefore);
    const editor::LoadResult loaded = editor::loadCampaign(dir + QStringLiteral("/stride.campaign"));
    QVERIFY(loaded.campaign.has_value());
    int generatedAssets = 0;
    for (const editor::Asset &a : loaded.campaign->assets) {
        if (!a.recipe)
            continue;
        ++generatedAssets;
        QVERIFY2(a.path.startsWith(dir + QStringLiteral("/generated/")), qPrintable(a.path));
        QCOMPARE(a.recipe->outputSha256, services::sha256OfFile(a.path));
    }
    QCOMPARE(generatedAssets, 7);
}

void TestCli::generateRejectsUnavailableProvider()
{
    const QString copy = copyOfGenerated(QStringLiteral("remote"));
    QVERIFY(!copy.isEmpty());
    QJsonObject o = QJsonDocument::fromJson(readAll(copy)).object();
    QJsonArray requests = o.value(QStringLiteral("generationRequests")).toArray();
    bool changed = false;
    for (qsizetype i = 0; i < requests.size(); ++i) {
        QJsonObject req = requests.at(i).toObject();
        if (req.value(QStringLiteral("id")).toString() == QLatin1String("product")) {
            req.insert(QStringLiteral("provider"), QStringLiteral("gemini-image"));
            requests.replace(i, req);
            changed = true;
        }
    }
    QVERIFY(changed);
    o.insert(QStringLiteral("generationRequests"), requests);
    QVERIFY(writeAll(copy, QJsonDocument(o).toJson()));
    const CliRun r = runCli({QStringLiteral("generate"), copy}, 120000);
    QVERIFY2(r.finished && r.code == 1, describe(r));
    QVERIFY2(r.err.contains("gemini-image") && r.err.contains("not available"), describe(r));
}

void TestCli::generateFreshSample()
{
    const QString dir = m_tmp.filePath(QStringLiteral("fresh"));
    QVERIFY(copyTree(kPristineSample, dir, {QStringLiteral("generated"), QStringLiteral("renders")}));
    QElapsedTimer timer;
    timer.start();
    const CliRun r = runCli({QStringLiteral("generate"), dir + QStringLiteral("/stride.campaign")}, 400000);
    qInfo("generate on the fresh sample took %.1f s", timer.elapsed() / 1000.0);
    QVERIFY2(r.finished && r.code == 0, describe(r));
    QVERIFY2(r.out.contains("Generated 7,"), describe(r));
    const QStringList files = listing(dir + QStringLiteral("/generated"));
    QCOMPARE(files.size(), 15);
    QCOMPARE(files.filter(QStringLiteral(".recipe.json")).size(), 7);
    QVERIFY(files.contains(QStringLiteral("generation.log")));
    QVERIFY(partialFiles(dir).isEmpty());
    const editor::LoadResult loaded = editor::loadCampaign(dir + QStringLiteral("/stride.campaign"));
    QVERIFY(loaded.campaign.has_value());
    for (const editor::Asset &a : loaded.campaign->assets)
        if (a.recipe)
            QCOMPARE(QFileInfo(a.path).completeBaseName(), services::sha256OfFile(a.path));
}

QTEST_GUILESS_MAIN(TestCli)
#include "tst_cli.moc"
