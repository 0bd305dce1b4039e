// SPDX-License-Identifier: GPL-3.0-or-later
// Sharded rendering (render --shard I/N, manifest merge) with the real campaign-cli: shards
// 0..3 of 4 run as four concurrent processes into one output folder, are merged, and must equal
// one full render byte for byte. Also: the assignment rule itself (balanced, independent of the
// project's order), N=1, incremental re-runs of a shard, bad --shard values, and a merge that
// refuses overlapping, incomplete or tampered shards. The project is the tiny 1-second
// campaign with 2 segments x 4 formats, so every render takes seconds. Every wait is bounded.
#include "cli_test_support.h"
#include "tiny_campaign.h"

#include "app/shard.h"

#include <QElapsedTimer>
#include <QTemporaryDir>
#include <QtTest>

#include <algorithm>
#include <memory>
#include <random>

using namespace clitest;

namespace {
const QString kSlug = QStringLiteral("tiny-generation-test");
const QStringList kFormats{QStringLiteral("9x16"), QStringLiteral("1x1"), QStringLiteral("4x5"),
                           QStringLiteral("16x9")};
constexpr int kShards = 4;

// The manifest without what legitimately differs between two renders of the same bytes:
// how long each cell took.
QJsonObject withoutTimings(QJsonObject root)
{
    QJsonArray cells = root.value(QStringLiteral("cells")).toArray();
    for (qsizetype i = 0; i < cells.size(); ++i) {
        QJsonObject c = cells.at(i).toObject();
        c.remove(QStringLiteral("renderSeconds"));
        cells.replace(i, c);
    }
    root.insert(QStringLiteral("cells"), cells);
    return root;
}

QJsonObject readJson(const QString &path) { return QJsonDocument::fromJson(readAll(path)).object(); }

QStringList shardCells(const QString &manifest)
{
    QStringList ids;
    for (const QJsonValue &v : readJson(manifest).value(QStringLiteral("shard")).toObject()
                                   .value(QStringLiteral("cells")).toArray())
        ids << v.toString();
    return ids;
}

QString shardManifest(const QString &campaignDir, int index, int count)
{
    return campaignDir + QStringLiteral("/manifest.shard-%1-of-%2.json").arg(index).arg(count);
}

// Outputs (MP4s and posters) of a campaign folder, relative path -> SHA-256.
QMap<QString, QString> outputHashes(const QString &campaignDir)
{
    QMap<QString, QString> hashes;
    for (const QString &f : allFiles(campaignDir))
        if (f.endsWith(QStringLiteral(".mp4")) || f.endsWith(QStringLiteral(".png")))
            hashes.insert(f, services::sha256OfFile(campaignDir + QLatin1Char('/') + f));
    return hashes;
}

// Runs shard 0..count-1 of `project` as concurrent processes, the way cluster pods would.
bool renderShardsConcurrently(const QString &project, const QString &out, int count,
                              QByteArray *log, QList<QByteArray> *stdouts = nullptr)
{
    std::vector<std::unique_ptr<QProcess>> procs;
    for (int i = 0; i < count; ++i) {
        auto p = std::make_unique<QProcess>();
        p->start(kCli, {QStringLiteral("render"), project, QStringLiteral("--out"), out,
                        QStringLiteral("--jobs"), QStringLiteral("1"), QStringLiteral("--progress"),
                        QStringLiteral("jsonl"), QStringLiteral("--shard"),
                        QStringLiteral("%1/%2").arg(i).arg(count)});
        procs.push_back(std::move(p));
    }
    bool ok = true;
    for (int i = 0; i < count; ++i) {
        QProcess &p = *procs[size_t(i)];
        const bool finished = p.waitForStarted(10000) && p.waitForFinished(400000);
        if (!finished) {
            p.kill();
            p.waitForFinished(10000);
        }
        const QByteArray out = p.readAllStandardOutput();
        if (stdouts)
            *stdouts << out;
        const bool good = finished && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
        *log += "shard " + QByteArray::number(i) + ": exit " + QByteArray::number(p.exitCode())
            + "\n" + out.left(2000) + p.readAllStandardError().left(2000) + "\n";
        ok = ok && good;
    }
    return ok;
}
}  // namespace

class TestCliShard : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void parseShardValues();
    void assignmentIsBalancedAndOrderFree();
    void badShardIsUsageError_data();
    void badShardIsUsageError();
    void shardsEqualFullRender();
    void reorderedProjectKeepsAssignment();
    void singleShardEqualsFull();
    void filterThenShardAndEmptyShards();
    void mergeRefusesBadShards();

private:
    QString copyOf(const QString &dir, const QString &name);

    QTemporaryDir m_tmp;
    QString m_project;
    QString m_fullDir;   // <out>/<slug> of the full render
    QString m_shardDir;  // <out>/<slug> of the 4 shards
};

void TestCliShard::initTestCase()
{
    QVERIFY2(QFileInfo(kCli).isExecutable(), qPrintable(kCli));
    QVERIFY(m_tmp.isValid());
    // The tiny campaign with four formats instead of one: 2 segments x 4 formats = 8 cells.
    const QJsonObject project = testing_support::tinyCampaignInFormats(kFormats);
    QVERIFY(QDir().mkpath(m_tmp.filePath(QStringLiteral("project"))));
    m_project = m_tmp.filePath(QStringLiteral("project/tiny.campaign"));
    QVERIFY(writeAll(m_project, QJsonDocument(project).toJson()));
    const CliRun gen = runCli({QStringLiteral("generate"), m_project}, 120000);
    QVERIFY2(gen.finished && gen.code == 0, describe(gen));
}

void TestCliShard::parseShardValues()
{
    const std::optional<services::ShardSpec> s = services::parseShard(QStringLiteral("3/4"), nullptr);
    QVERIFY(s);
    QCOMPARE(s->index, 3);
    QCOMPARE(s->count, 4);
    QCOMPARE(s->manifestFileName(), QStringLiteral("manifest.shard-3-of-4.json"));
    QVERIFY(services::parseShard(QStringLiteral("0/1"), nullptr));
    for (const char *bad : {"4/4", "0/0", "x", "", "1", "-1/4", "1/-4", "1/4/2", " 1/4", "1 /4",
                            "a/4", "1/b", "0/100001", "99999999999/1"}) {
        QString error;
        QVERIFY2(!services::parseShard(QString::fromLatin1(bad), &error), bad);
        QVERIFY2(error.contains(QStringLiteral("--shard")), qPrintable(error));
    }
    // FNV-1a 64 reference values: the rule must never drift between builds of one cluster job.
    QCOMPARE(services::stableCellHash(QString()), Q_UINT64_C(0xcbf29ce484222325));
    QCOMPARE(services::stableCellHash(QStringLiteral("a")), Q_UINT64_C(0xaf63dc4c8601ec8c));
}

void TestCliShard::assignmentIsBalancedAndOrderFree()
{
    QStringList ids;
    for (int s = 0; s < 7; ++s)
        for (const QString &f : kFormats)
            ids << QStringLiteral("segment-%1/%2").arg(s).arg(f);
    std::mt19937 shuffle(42);
    for (int count = 1; count <= 12; ++count) {
        for (qsizetype n : {qsizetype(1), qsizetype(3), qsizetype(8), ids.size()}) {
            const QStringList cells = ids.mid(0, n);
            const QMap<QString, int> a = services::assignShards(cells, count);
            QCOMPARE(a.size(), cells.size());
            QList<int> sizes(count, 0);
            for (int shard : a)
                ++sizes[shard];
            const auto [lo, hi] = std::minmax_element(sizes.begin(), sizes.end());
            QVERIFY2(*hi - *lo <= 1, qPrintable(QStringLiteral("N=%1, %2 cells").arg(count).arg(n)));
            QStringList shuffled = cells;
            std::shuffle(shuffled.begin(), shuffled.end(), shuffle);
            QCOMPARE(services::assignShards(shuffled, count), a);
        }
    }
    // Not list order: the first cells of the list do not simply go to shards 0, 1, 2, ...
    const QMap<QString, int> a = services::assignShards(ids, 4);
    QList<int> firstFour;
    for (int i = 0; i < 4; ++i)
        firstFour << a.value(ids.at(i));
    QVERIFY(firstFour != (QList<int>{0, 1, 2, 3}));
}

void TestCliShard::badShardIsUsageError_data()
{
    QTest::addColumn<QString>("value");
    QTest::newRow("index == count") << QStringLiteral("4/4");
    QTest::newRow("not a number") << QStringLiteral("x");
    QTest::newRow("zero shards") << QStringLiteral("0/0");
    QTest::newRow("negative") << QStringLiteral("-1/4");
}

void TestCliShard::badShardIsUsageError()
{
    QFETCH(QString, value);
    const CliRun r = runCli({QStringLiteral("render"), m_project, QStringLiteral("--out"),
                             m_tmp.filePath(QStringLiteral("bad")), QStringLiteral("--shard"), value},
                            60000);
    QVERIFY2(r.finished && r.code == 2, describe(r));
    QVERIFY2(r.err.contains("--shard must be INDEX/COUNT") && r.err.contains(value.toUtf8()),
             describe(r));
    QVERIFY(!QFileInfo::exists(m_tmp.filePath(QStringLiteral("bad"))));
}

void TestCliShard::shardsEqualFullRender()
{
    QElapsedTimer timer;
    timer.start();
    const QString fullOut = m_tmp.filePath(QStringLiteral("full"));
    const CliRun full = runCli({QStringLiteral("render"), m_project, QStringLiteral("--out"), fullOut,
                                QStringLiteral("--jobs"), QStringLiteral("2")}, 400000);
    QVERIFY2(full.finished && full.code == 0, describe(full));
    qInfo("full render, 8 cells, --jobs 2: %.1f s", timer.restart() / 1000.0);
    m_fullDir = fullOut + QLatin1Char('/') + kSlug;

    const QString shardOut = m_tmp.filePath(QStringLiteral("sharded"));
    QByteArray log;
    QList<QByteArray> stdouts;
    QVERIFY2(renderShardsConcurrently(m_project, shardOut, kShards, &log, &stdouts), log.constData());
    qInfo("4 concurrent shard processes: %.1f s", timer.restart() / 1000.0);
    m_shardDir = shardOut + QLatin1Char('/') + kSlug;

    // Disjoint, balanced (8 cells / 4 = 2 each), together every cell, each rendered only by
    // the shard that owns it.
    QStringList all;
    for (int i = 0; i < kShards; ++i) {
        const QStringList cells = shardCells(shardManifest(m_shardDir, i, kShards));
        QCOMPARE(cells.size(), 2);
        QCOMPARE(manifestCells(shardManifest(m_shardDir, i, kShards)).keys(), cells);
        QMap<QString, QString> expected;
        for (const QString &c : cells)
            expected.insert(c, QStringLiteral("ok"));
        QCOMPARE(doneStatuses(stdouts.at(i)), expected);
        all += cells;
    }
    all.sort();
    QCOMPARE(all, manifestCells(m_fullDir + QStringLiteral("/manifest.json")).keys());
    QVERIFY(!QFileInfo::exists(m_shardDir + QStringLiteral("/manifest.json")));

    const CliRun merge = runCli({QStringLiteral("manifest"), QStringLiteral("merge"), m_shardDir});
    QVERIFY2(merge.finished && merge.code == 0, describe(merge));
    QVERIFY2(merge.out.contains("Merged 4 shard manifests (8 variants)"), describe(merge));

    // Byte for byte: every MP4 and poster, and the manifest up to render timings.
    const QMap<QString, QString> fullHashes = outputHashes(m_fullDir);
    QCOMPARE(fullHashes.size(), 16);
    QCOMPARE(outputHashes(m_shardDir), fullHashes);
    QCOMPARE(withoutTimings(readJson(m_shardDir + QStringLiteral("/manifest.json"))),
             withoutTimings(readJson(m_fullDir + QStringLiteral("/manifest.json"))));
    QVERIFY(partialFiles(shardOut).isEmpty());

    // Incremental per shard: running shard 2 again renders nothing and keeps its manifest.
    const QByteArray before = readAll(shardManifest(m_shardDir, 2, kShards));
    const CliRun again = runCli({QStringLiteral("render"), m_project, QStringLiteral("--out"), shardOut,
                                 QStringLiteral("--shard"), QStringLiteral("2/4"),
                                 QStringLiteral("--progress"), QStringLiteral("jsonl")});
    QVERIFY2(again.finished && again.code == 0, describe(again));
    QJsonObject summary;
    const QMap<QString, QString> statuses = doneStatuses(again.out, &summary);
    QCOMPARE(statuses.size(), 2);
    for (const QString &s : statuses)
        QCOMPARE(s, QStringLiteral("skipped"));
    QVERIFY2(!again.out.contains("\"event\":\"start\""), describe(again));
    QCOMPARE(readAll(shardManifest(m_shardDir, 2, kShards)), before);
}

void TestCliShard::reorderedProjectKeepsAssignment()
{
    QVERIFY2(!m_shardDir.isEmpty(), "needs shardsEqualFullRender");
    // The same project with segments and formats listed in reverse order, rendered as 4 shards
    // over a copy of the sharded output: every cell lands in the same shard (so each is found up
    // to date and skipped) and the merge still gives the same manifest.
    QJsonObject project = readJson(m_project);
    for (const char *list : {"segments", "formats"}) {
        QJsonArray items = project.value(QLatin1String(list)).toArray();
        QJsonArray reversed;
        for (qsizetype i = items.size() - 1; i >= 0; --i)
            reversed.append(items.at(i));
        project.insert(QLatin1String(list), reversed);
    }
    const QString reordered = QFileInfo(m_project).dir().filePath(QStringLiteral("reordered.campaign"));
    QVERIFY(writeAll(reordered, QJsonDocument(project).toJson()));
    const QString out = m_tmp.filePath(QStringLiteral("reordered-out"));
    QVERIFY(copyTree(QFileInfo(m_shardDir).absolutePath(), out));
    const QString dir = out + QLatin1Char('/') + kSlug;
    QVERIFY(QFile::remove(dir + QStringLiteral("/manifest.json")));

    QByteArray log;
    QList<QByteArray> stdouts;
    QVERIFY2(renderShardsConcurrently(reordered, out, kShards, &log, &stdouts), log.constData());
    for (int i = 0; i < kShards; ++i) {
        QCOMPARE(shardCells(shardManifest(dir, i, kShards)),
                 shardCells(shardManifest(m_shardDir, i, kShards)));
        const QMap<QString, QString> statuses = doneStatuses(stdouts.at(i));
        QCOMPARE(statuses.size(), 2);
        for (const QString &s : statuses)
            QCOMPARE(s, QStringLiteral("skipped"));
    }
    const CliRun merge = runCli({QStringLiteral("manifest"), QStringLiteral("merge"), dir});
    QVERIFY2(merge.finished && merge.code == 0, describe(merge));
    QCOMPARE(readJson(dir + QStringLiteral("/manifest.json")),
             readJson(m_shardDir + QStringLiteral("/manifest.json")));
}

void TestCliShard::singleShardEqualsFull()
{
    QVERIFY2(!m_fullDir.isEmpty(), "needs shardsEqualFullRender");
    // --shard 0/1 over the full render's folder: one shard owns every cell; its manifest is
    // seeded from manifest.json, so nothing renders, and the merge gives back that manifest.
    const QString out = m_tmp.filePath(QStringLiteral("single"));
    QVERIFY(copyTree(QFileInfo(m_fullDir).absolutePath(), out));
    const QString dir = out + QLatin1Char('/') + kSlug;
    const QJsonObject fullManifest = readJson(dir + QStringLiteral("/manifest.json"));
    const CliRun r = runCli({QStringLiteral("render"), m_project, QStringLiteral("--out"), out,
                             QStringLiteral("--shard"), QStringLiteral("0/1"),
                             QStringLiteral("--progress"), QStringLiteral("jsonl")});
    QVERIFY2(r.finished && r.code == 0, describe(r));
    const QMap<QString, QString> statuses = doneStatuses(r.out);
    QCOMPARE(statuses.keys(), manifestCells(dir + QStringLiteral("/manifest.json")).keys());
    for (const QString &s : statuses)
        QCOMPARE(s, QStringLiteral("skipped"));
    QCOMPARE(shardCells(shardManifest(dir, 0, 1)), statuses.keys());
    QVERIFY(QFile::remove(dir + QStringLiteral("/manifest.json")));
    const CliRun merge = runCli({QStringLiteral("manifest"), QStringLiteral("merge"), dir});
    QVERIFY2(merge.finished && merge.code == 0, describe(merge));
    QCOMPARE(readJson(dir + QStringLiteral("/manifest.json")), fullManifest);
}

void TestCliShard::filterThenShardAndEmptyShards()
{
    QVERIFY2(!m_fullDir.isEmpty(), "needs shardsEqualFullRender");
    // Over a copy of the full render (so every cell is up to date and nothing renders):
    // --format narrows the plan before sharding, and with more shards than cells the extra
    // shards are empty but still leave a manifest, so the merge sees them as done.
    const QString out = m_tmp.filePath(QStringLiteral("filtered"));
    QVERIFY(copyTree(QFileInfo(m_fullDir).absolutePath(), out));
    const QString dir = out + QLatin1Char('/') + kSlug;
    QStringList union_;
    for (int i = 0; i < 3; ++i) {
        const CliRun r = runCli({QStringLiteral("render"), m_project, QStringLiteral("--out"), out,
                                 QStringLiteral("--format"), QStringLiteral("1x1"),
                                 QStringLiteral("--shard"), QStringLiteral("%1/3").arg(i),
                                 QStringLiteral("--progress"), QStringLiteral("jsonl")});
        QVERIFY2(r.finished && r.code == 0, describe(r));
        const QString manifest = shardManifest(dir, i, 3);
        const QJsonObject record = readJson(manifest).value(QStringLiteral("shard")).toObject();
        QCOMPARE(record.value(QStringLiteral("planCells")).toInt(), 2);  // 2 segments x 1x1
        const QStringList cells = shardCells(manifest);
        QCOMPARE(manifestCells(manifest).keys(), cells);
        QCOMPARE(doneStatuses(r.out).keys(), cells);
        union_ += cells;
    }
    union_.sort();
    QCOMPARE(union_, (QStringList{QStringLiteral("north/1x1"), QStringLiteral("south/1x1")}));
    const CliRun merge = runCli({QStringLiteral("manifest"), QStringLiteral("merge"), dir});
    QVERIFY2(merge.finished && merge.code == 0, describe(merge));
    QVERIFY2(merge.out.contains("Merged 3 shard manifests (2 variants)"), describe(merge));
    QCOMPARE(manifestCells(dir + QStringLiteral("/manifest.json")).keys(), union_);
}

void TestCliShard::mergeRefusesBadShards()
{
    QVERIFY2(!m_shardDir.isEmpty(), "needs shardsEqualFullRender");
    const auto freshCopy = [&](const QString &name) {
        const QString out = m_tmp.filePath(name);
        if (!copyTree(QFileInfo(m_shardDir).absolutePath(), out))
            return QString();
        QFile::remove(out + QLatin1Char('/') + kSlug + QStringLiteral("/manifest.json"));
        return out + QLatin1Char('/') + kSlug;
    };
    const auto merge = [](const QString &dir, const QStringList &extra = {}) {
        return runCli(QStringList{QStringLiteral("manifest"), QStringLiteral("merge"), dir} + extra);
    };

    // Overlap: shard 1 also claims (and lists) a cell of shard 0.
    {
        const QString dir = freshCopy(QStringLiteral("overlap"));
        QVERIFY(!dir.isEmpty());
        const QString stolen = shardCells(shardManifest(dir, 0, kShards)).first();
        QJsonObject root = readJson(shardManifest(dir, 1, kShards));
        QJsonObject record = root.value(QStringLiteral("shard")).toObject();
        QJsonArray cells = record.value(QStringLiteral("cells")).toArray();
        cells.append(stolen);
        record.insert(QStringLiteral("cells"), cells);
        root.insert(QStringLiteral("shard"), record);
        QJsonArray entries = root.value(QStringLiteral("cells")).toArray();
        entries.append(manifestCells(shardManifest(dir, 0, kShards)).value(stolen));
        root.insert(QStringLiteral("cells"), entries);
        QVERIFY(writeAll(shardManifest(dir, 1, kShards), QJsonDocument(root).toJson()));
        const CliRun r = merge(dir);
        QVERIFY2(r.finished && r.code == 65, describe(r));
        QVERIFY2(r.err.contains("Shards 0/4 and 1/4 overlap: both list the cell " + stolen.toUtf8()),
                 describe(r));
        QVERIFY(!QFileInfo::exists(dir + QStringLiteral("/manifest.json")));
    }
    // Tampered: one MP4 changed by one byte after its shard recorded it.
    {
        const QString dir = freshCopy(QStringLiteral("tampered"));
        QVERIFY(!dir.isEmpty());
        const QString cell = shardCells(shardManifest(dir, 3, kShards)).first();
        const QString file = dir + QLatin1Char('/') + cell + QStringLiteral(".mp4");
        QByteArray bytes = readAll(file);
        QVERIFY(bytes.size() > 1000);
        bytes[bytes.size() / 2] = char(bytes[bytes.size() / 2] ^ 0x01);
        QVERIFY(writeAll(file, bytes));
        const CliRun r = merge(dir);
        QVERIFY2(r.finished && r.code == 65, describe(r));
        QVERIFY2(r.err.contains(file.toUtf8() + " does not match its manifest entry (cell "
                                + cell.toUtf8() + ")"),
                 describe(r));
        QVERIFY2(r.err.contains("--shard 3/4"), describe(r));
        QVERIFY(!QFileInfo::exists(dir + QStringLiteral("/manifest.json")));
    }
    // A shard that never ran, and shards of two counts in one folder.
    {
        const QString dir = freshCopy(QStringLiteral("incomplete"));
        QVERIFY(!dir.isEmpty());
        QVERIFY(QFile::copy(shardManifest(dir, 0, kShards), shardManifest(dir, 0, 2)));
        const CliRun ambiguous = merge(dir);
        QVERIFY2(ambiguous.finished && ambiguous.code == 2, describe(ambiguous));
        QVERIFY2(ambiguous.err.contains("--shards N"), describe(ambiguous));
        // The copied file still says "0/4" inside, and shard 1/2 is missing: both reported.
        const CliRun two = merge(dir, {QStringLiteral("--shards"), QStringLiteral("2")});
        QVERIFY2(two.finished && two.code == 65, describe(two));
        QVERIFY2(two.err.contains("does not describe shard 0/2"), describe(two));
        QVERIFY2(two.err.contains("Shard 1/2 has no manifest"), describe(two));
        QVERIFY(QFile::remove(shardManifest(dir, 0, 2)));
        QVERIFY(QFile::remove(shardManifest(dir, 3, kShards)));
        const CliRun four = merge(dir, {QStringLiteral("--shards"), QStringLiteral("4")});
        QVERIFY2(four.finished && four.code == 66, describe(four));
        QVERIFY2(four.err.contains("Shard 3/4 has no manifest (manifest.shard-3-of-4.json)"),
                 describe(four));
        QVERIFY(!QFileInfo::exists(dir + QStringLiteral("/manifest.json")));
    }
    // Shards from different project files (one shard rendered after the project changed).
    {
        const QString dir = freshCopy(QStringLiteral("mixed"));
        QVERIFY(!dir.isEmpty());
        QJsonObject root = readJson(shardManifest(dir, 2, kShards));
        QJsonObject record = root.value(QStringLiteral("shard")).toObject();
        record.insert(QStringLiteral("projectSha256"), QString(64, QLatin1Char('0')));
        root.insert(QStringLiteral("shard"), record);
        QVERIFY(writeAll(shardManifest(dir, 2, kShards), QJsonDocument(root).toJson()));
        const CliRun r = merge(dir);
        QVERIFY2(r.finished && r.code == 65, describe(r));
        QVERIFY2(r.err.contains("Shards 0/4 and 2/4 differ in the project file"), describe(r));
    }
    const CliRun usage = runCli({QStringLiteral("manifest"), QStringLiteral("join"), m_shardDir});
    QVERIFY2(usage.finished && usage.code == 2, describe(usage));
    const CliRun noDir = merge(m_tmp.filePath(QStringLiteral("nowhere")));
    QVERIFY2(noDir.finished && noDir.code == 66, describe(noDir));
}

QTEST_GUILESS_MAIN(TestCliShard)
#include "tst_cli_shard.moc"
