// SPDX-License-Identifier: GPL-3.0-or-later
// Rows D1 (disk full during export, and the free-space pre-check) and D7 (export folder
// removed in the middle of a batch) of RELIABILITY.md's fault matrix, with real campaign-cli
// processes on the tiny campaign (2 segments x 2 formats, one second each).
//
// A full disk is a real kernel limit in every run, one of two:
// - "tmpfs": a tmpfs mounted here with room for the earlier export plus half of the new MP4,
//   so the encoder's writes fail with ENOSPC part way (needs root and mount rights: a
//   developer machine as root, or a privileged CI container);
// - "rlimit": the CLI child runs with RLIMIT_FSIZE at half the MP4's size and SIGXFSZ
//   ignored, so the same writes fail with EFBIG. Always available, so it always runs; the
//   tmpfs row falls back to it (and says so in the log) where mounting is not permitted.
#include "cli_test_support.h"
#include "tiny_campaign.h"

#include "app/file_hash.h"

#include <QStorageInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <sys/resource.h>

using namespace clitest;

namespace {
const QString kSlug = QStringLiteral("tiny-generation-test");
const QStringList kFormats{QStringLiteral("1x1"), QStringLiteral("9x16")};
constexpr int kRunTimeoutMs = 300000;
constexpr qint64 kPage = 4096;
constexpr int kStretchedSegments = 64;

qint64 pages(qint64 bytes) { return (bytes + kPage - 1) / kPage * kPage; }

// A tmpfs of `bytes` at `dir`, unmounted when this goes out of scope. mounted() is false where
// the kernel or the container refuses (no CAP_SYS_ADMIN, seccomp): the caller then uses its
// other path, never skips.
class SmallTmpfs {
public:
    SmallTmpfs(const QString &dir, qint64 bytes) : m_dir(dir)
    {
        QDir().mkpath(dir);
        QProcess p;
        p.start(QStringLiteral("mount"), {QStringLiteral("-t"), QStringLiteral("tmpfs"),
                                           QStringLiteral("-o"),
                                           QStringLiteral("size=%1").arg(bytes),
                                           QStringLiteral("tmpfs"), dir});
        m_mounted = p.waitForFinished(20000) && p.exitStatus() == QProcess::NormalExit
            && p.exitCode() == 0 && QStorageInfo(dir).fileSystemType() == "tmpfs";
        if (!m_mounted)
            m_why = QString::fromLocal8Bit(p.readAllStandardError()).trimmed();
    }
    ~SmallTmpfs()
    {
        if (m_mounted)
            QProcess::execute(QStringLiteral("umount"), {QStringLiteral("-l"), m_dir});
    }
    bool mounted() const { return m_mounted; }
    QString why() const { return m_why; }

private:
    QString m_dir;
    bool m_mounted = false;
    QString m_why;
};

// campaign-cli with its output file size limited by the kernel (0 = no limit).
CliRun runCliLimited(const QStringList &args, qint64 fileSizeLimit)
{
    if (fileSizeLimit <= 0)
        return runCli(args, kRunTimeoutMs);
    return runCli(args, kRunTimeoutMs, {}, [fileSizeLimit] {
        // Between fork and exec: only async-signal-safe calls. An ignored SIGXFSZ stays
        // ignored across exec, so write() returns EFBIG instead of killing the CLI.
        ::signal(SIGXFSZ, SIG_IGN);
        rlimit limit{rlim_t(fileSizeLimit), rlim_t(fileSizeLimit)};
        ::setrlimit(RLIMIT_FSIZE, &limit);
    });
}

// The error messages of the failed "done" events of a JSON Lines stream, by job.
QMap<QString, QJsonObject> doneErrors(const QByteArray &out)
{
    QMap<QString, QJsonObject> errors;
    for (const QByteArray &line : out.trimmed().split('\n')) {
        const QJsonObject o = QJsonDocument::fromJson(line).object();
        if (o.value(QStringLiteral("event")).toString() == QLatin1String("done")
            && o.value(QStringLiteral("status")).toString() == QLatin1String("failed"))
            errors.insert(o.value(QStringLiteral("job")).toString(),
                          o.value(QStringLiteral("error")).toObject());
    }
    return errors;
}

int countEvents(const QByteArray &out, const QString &event)
{
    int n = 0;
    for (const QByteArray &line : out.trimmed().split('\n'))
        n += QJsonDocument::fromJson(line).object().value(QStringLiteral("event")).toString() == event;
    return n;
}
}  // namespace

class TestDiskFaults : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void d01_diskFullDuringExport_data();
    void d01_diskFullDuringExport();
    void d01_freeSpacePreCheckRefusesBeforeRendering();
    void d07_exportFolderRemovedMidBatch();
    void d07_exportFolderReadOnlyMidBatch();

private:
    QStringList renderArgs(const QString &out, const QStringList &extra = {}) const
    {
        return QStringList{QStringLiteral("render"), m_project, QStringLiteral("--out"), out,
                           QStringLiteral("--progress"), QStringLiteral("jsonl")}
            + extra;
    }
    QTemporaryDir m_tmp;
    QString m_project;
};

void TestDiskFaults::initTestCase()
{
    QVERIFY2(QFileInfo(kCli).isExecutable(), qPrintable(kCli));
    QVERIFY(m_tmp.isValid());
    QVERIFY(QDir().mkpath(m_tmp.filePath(QStringLiteral("project"))));
    m_project = m_tmp.filePath(QStringLiteral("project/tiny.campaign"));
    QVERIFY(writeAll(m_project,
                     QJsonDocument(testing_support::tinyCampaignInFormats(kFormats)).toJson()));
    const CliRun gen = runCli({QStringLiteral("generate"), m_project}, 120000);
    QVERIFY2(gen.finished && gen.code == 0, describe(gen));
}

void TestDiskFaults::d01_diskFullDuringExport_data()
{
    QTest::addColumn<bool>("wantTmpfs");
    QTest::newRow("tmpfs (rlimit where mounting is refused)") << true;
    QTest::newRow("rlimit") << false;
}

// D1: an earlier export of north/9x16 sits in the folder; exporting it again (--force) runs
// out of room half way through the new MP4. The CLI exits 74 naming the file with the space
// it needs and the space there is; no *.partial-* is left; the earlier MP4, its poster and the
// manifest are byte-identical afterwards.
void TestDiskFaults::d01_diskFullDuringExport()
{
    QFETCH(bool, wantTmpfs);
    const QString job = QStringLiteral("north/9x16");
    const QStringList onlyThisCell{QStringLiteral("--segment"), QStringLiteral("north"),
                                   QStringLiteral("--format"), QStringLiteral("9x16")};
    // The earlier export, on the normal disk.
    const QString baseline = m_tmp.filePath(wantTmpfs ? QStringLiteral("d01-base-a")
                                                      : QStringLiteral("d01-base-b"));
    const CliRun first = runCli(renderArgs(baseline, onlyThisCell), kRunTimeoutMs);
    QVERIFY2(first.finished && first.code == 0, describe(first));
    const QString rel = kSlug + QStringLiteral("/north/9x16.mp4");
    const qint64 mp4Bytes = QFileInfo(baseline + QLatin1Char('/') + rel).size();
    QVERIFY2(mp4Bytes > 8 * kPage, qPrintable(QString::number(mp4Bytes)));
    qint64 used = 0;
    for (const QString &f : allFiles(baseline))
        used += pages(QFileInfo(baseline + QLatin1Char('/') + f).size());

    // The volume: the earlier export fits, plus a page for the lock file and half of the new
    // MP4 (a render of the same cell is the same size: x264 with one thread is deterministic).
    const QString out = m_tmp.filePath(wantTmpfs ? QStringLiteral("d01-tmpfs")
                                                 : QStringLiteral("d01-rlimit"));
    std::unique_ptr<SmallTmpfs> volume;
    if (wantTmpfs) {
        volume = std::make_unique<SmallTmpfs>(out, used + kPage + pages(mp4Bytes / 2));
        if (volume->mounted())
            qInfo("D1 path: tmpfs of %lld bytes at %s", used + kPage + pages(mp4Bytes / 2),
                  qPrintable(out));
        else
            qInfo("D1 path: rlimit (mounting a tmpfs was refused here: %s)", qPrintable(volume->why()));
    } else {
        qInfo("D1 path: rlimit (RLIMIT_FSIZE %lld bytes on the CLI, SIGXFSZ ignored)", mp4Bytes / 2);
    }
    const bool onTmpfs = volume && volume->mounted();
    QVERIFY(copyTree(baseline, out));
    const QStringList filesBefore = allFiles(out);
    QMap<QString, QByteArray> bytesBefore;
    for (const QString &f : filesBefore)
        bytesBefore.insert(f, readAll(out + QLatin1Char('/') + f));
    if (onTmpfs)  // what is left is less than the new MP4 needs
        QVERIFY2(QStorageInfo(out).bytesAvailable() < mp4Bytes,
                 qPrintable(QString::number(QStorageInfo(out).bytesAvailable())));

    // --no-space-check: the pre-check would refuse this on the tmpfs before it starts (that
    // is the next test); here the disk must fill while the encoder writes, as it does when
    // the estimate was low or another program filled the disk meanwhile.
    const CliRun run = runCliLimited(
        renderArgs(out, onlyThisCell + QStringList{QStringLiteral("--force"),
                                                   QStringLiteral("--no-space-check")}),
        onTmpfs ? 0 : mp4Bytes / 2);
    QVERIFY2(run.finished, describe(run));
    QCOMPARE(run.code, 74);
    QCOMPARE(countEvents(run.out, QStringLiteral("start")), 1);  // it did start encoding
    const QJsonObject error = doneErrors(run.out).value(job);
    QCOMPARE(error.value(QStringLiteral("code")).toString(), QStringLiteral("io_error"));
    const QString message = error.value(QStringLiteral("message")).toString();
    const QString finalPath = QDir::cleanPath(out + QLatin1Char('/') + rel);
    qInfo("D1 message: %s", qPrintable(message));
    QVERIFY2(message.contains(finalPath), qPrintable(message));
    QVERIFY2(message.contains(QStringLiteral("needs about")) && message.contains(QStringLiteral("MB free on")),
             qPrintable(message));
    if (onTmpfs)
        QVERIFY2(message.contains(QStringLiteral("No space left on device"))
                     && message.contains(QStringLiteral("The disk is full")),
                 qPrintable(message));
    else
        QVERIFY2(message.contains(QStringLiteral("File too large")), qPrintable(message));

    // Nothing half-written anywhere, and every earlier file (MP4, poster, manifest) unchanged.
    QVERIFY2(partialFiles(out).isEmpty(), qPrintable(partialFiles(out).join(QLatin1Char(' '))));
    QCOMPARE(allFiles(out), filesBefore);
    for (const QString &f : filesBefore)
        QVERIFY2(readAll(out + QLatin1Char('/') + f) == bytesBefore.value(f), qPrintable(f));
    const QMap<QString, QJsonObject> cells =
        manifestCells(out + QLatin1Char('/') + kSlug + QStringLiteral("/manifest.json"));
    QCOMPARE(cells.value(job).value(QStringLiteral("sha256")).toString(),
             services::sha256OfFile(finalPath));
}

// D1 pre-check: the four cells of the tiny campaign are estimated at several MB (posters
// included); a volume with less room refuses the whole export before anything renders, with
// exit 74 and "needs about X MB, Y MB free on <folder>" for every cell.
//
// The small volume is a 1 MiB tmpfs where one can be mounted. Without mount rights there is no
// small volume to make, so the test goes the other way round: it stretches the project (one
// hour, the longest a project may be; all four formats; 64 segments) until its
// estimate is more than twice the free space of the temp folder's real volume. Either way the refusal is measured against a real
// QStorageInfo, never a faked number.
void TestDiskFaults::d01_freeSpacePreCheckRefusesBeforeRendering()
{
    const QString out = m_tmp.filePath(QStringLiteral("d01-precheck"));
    SmallTmpfs volume(out, 1024 * 1024);
    QString project = m_project;
    if (volume.mounted()) {
        qInfo("D1 pre-check path: 1 MiB tmpfs at %s", qPrintable(out));
    } else {
        qInfo("D1 pre-check path: the temp folder's own volume (%lld bytes free) with a project "
              "stretched past it (mounting a tmpfs was refused here: %s)",
              QStorageInfo(m_tmp.path()).bytesAvailable(), qPrintable(volume.why()));
        QJsonObject json = QJsonDocument::fromJson(readAll(m_project)).object();
        json.insert(QStringLiteral("formats"), QJsonArray{QStringLiteral("1x1"), QStringLiteral("9x16"),
                                                          QStringLiteral("4x5"), QStringLiteral("16x9")});
        // 64 segments, copies of "north" (same generated hero picture).
        QJsonArray segments = json.value(QStringLiteral("segments")).toArray();
        const QJsonObject north = segments.first().toObject();
        for (int i = 2; i < kStretchedSegments; ++i) {
            QJsonObject copy = north;
            copy.insert(QStringLiteral("id"), QStringLiteral("north%1").arg(i));
            copy.insert(QStringLiteral("name"), QStringLiteral("North %1").arg(i));
            segments.append(copy);
        }
        json.insert(QStringLiteral("segments"), segments);
        // The generated "hero-north" serves them all; no per-segment requests left to make.
        json.remove(QStringLiteral("generationRequests"));
        QJsonObject timeline = json.value(QStringLiteral("timeline")).toObject();
        timeline.insert(QStringLiteral("duration"), QStringLiteral("3600"));  // the longest allowed
        json.insert(QStringLiteral("timeline"), timeline);
        // A lower bound of the CLI's estimate (video only, 0.06 bit per pixel at CRF 23): per
        // segment 1080x1080 + 1080x1920 + 1080x1350 + 1920x1080 pixels at the formats' 30 fps
        // (a cell renders at its format's rate, not the timeline's), for 3600 s.
        const double perSegment = (1080.0 * 1080 + 2 * 1080.0 * 1920 + 1080.0 * 1350) * 30 * 3600
            * 0.06 / 8;
        QVERIFY2(kStretchedSegments * perSegment > 2.0 * double(QStorageInfo(m_tmp.path()).bytesAvailable()),
                 "this volume has more free space than the stretched project can estimate");
        project = m_tmp.filePath(QStringLiteral("project/stretched.campaign"));
        QVERIFY(writeAll(project, QJsonDocument(json).toJson()));
        QVERIFY(QDir().mkpath(out));
    }
    const qint64 freeBefore = QStorageInfo(out).bytesAvailable();
    QStringList args = renderArgs(out);
    args[1] = project;
    if (!volume.mounted())  // a one-hour timeline breaks the formats' duration rules (preflight)
        args << QStringLiteral("--force");
    const CliRun run = runCli(args, kRunTimeoutMs);
    QVERIFY2(run.finished, describe(run));
    QVERIFY2(run.code == 74, describe(run));
    QCOMPARE(countEvents(run.out, QStringLiteral("start")), 0);  // refused before rendering
    const QMap<QString, QJsonObject> errors = doneErrors(run.out);
    QCOMPARE(errors.size(), volume.mounted() ? 4 : kStretchedSegments * 4);
    const QString folder = QDir::cleanPath(out + QLatin1Char('/') + kSlug);
    for (const QJsonObject &e : errors) {
        QCOMPARE(e.value(QStringLiteral("code")).toString(), QStringLiteral("no_space"));
        const QString message = e.value(QStringLiteral("message")).toString();
        QVERIFY2(message.contains(QStringLiteral("needs about")) && message.contains(folder)
                     && message.contains(QStringLiteral("free some space or choose another output folder")),
                 qPrintable(message));
        // The free figure is the volume's: "…, <Y> MB free on …" within 1 MB of what we read.
        const QRegularExpressionMatch m =
            QRegularExpression(QStringLiteral("needs about ([0-9.]+) MB, ([0-9.]+) MB free")).match(message);
        QVERIFY2(m.hasMatch(), qPrintable(message));
        if (&e == &errors.first())
            qInfo("D1 pre-check message: %s", qPrintable(message));
        QVERIFY2(m.captured(1).toDouble() > m.captured(2).toDouble(), qPrintable(message));
        QVERIFY2(std::abs(m.captured(2).toDouble() - double(freeBefore) / (1024.0 * 1024.0)) < 1.0,
                 qPrintable(message));
    }
    // Nothing but the (empty) campaign folder was made.
    QCOMPARE(allFiles(out), QStringList());
}

// D7: a four-cell batch, one cell at a time; as soon as the first cell is done the export
// folder is removed. The CLI does not make it again: the cells left fail with cannot_create
// naming the folder, the exit code is 73, the CLI ends normally, and nothing is written
// anywhere else.
void TestDiskFaults::d07_exportFolderRemovedMidBatch()
{
    const QString out = m_tmp.filePath(QStringLiteral("d07"));
    const QStringList before = allFiles(m_tmp.path());
    QProcess p;
    p.start(kCli, renderArgs(out, {QStringLiteral("--jobs"), QStringLiteral("1")}));
    QVERIFY(p.waitForStarted(10000));
    QByteArray stdoutSoFar = readStdoutUntil(p, "\"status\":\"ok\"", kRunTimeoutMs);
    QVERIFY2(stdoutSoFar.contains("\"status\":\"ok\""), stdoutSoFar);
    // The next cell may be creating its folder, lock or partial file right now: removal can
    // race with it, so it is repeated (bounded) until the folder is gone.
    bool removed = false;
    for (int attempt = 0; attempt < 100 && !removed; ++attempt)
        removed = QDir(out).removeRecursively() && !QFileInfo::exists(out);
    QVERIFY(removed);
    const bool ended = p.waitForFinished(kRunTimeoutMs);
    if (!ended) {
        p.kill();
        p.waitForFinished(10000);
    }
    QVERIFY(ended);
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    stdoutSoFar += p.readAllStandardOutput();
    const QByteArray err = p.readAllStandardError();
    QCOMPARE(p.exitCode(), 73);

    const QMap<QString, QString> statuses = doneStatuses(stdoutSoFar);
    QCOMPARE(statuses.size(), 4);
    const QMap<QString, QJsonObject> errors = doneErrors(stdoutSoFar);
    // The first cell finished before the removal; the last two had not started. The second
    // may have been encoding at that moment: it fails too, its file had nowhere to go.
    QVERIFY2(errors.size() >= 2 && errors.size() <= 3, stdoutSoFar);
    const QString folder = QDir::cleanPath(out + QLatin1Char('/') + kSlug);
    for (auto it = errors.cbegin(); it != errors.cend(); ++it) {
        QCOMPARE(it.value().value(QStringLiteral("code")).toString(), QStringLiteral("cannot_create"));
        const QString message = it.value().value(QStringLiteral("message")).toString();
        QVERIFY2(message.contains(folder) && message.contains(QStringLiteral("disappeared")),
                 qPrintable(message));
    }
    qInfo("D7 stdout: %s", stdoutSoFar.constData());
    qInfo("D7 stderr: %s", err.constData());
    // Not made again, and nothing written elsewhere in the temp folder.
    QVERIFY(!QFileInfo::exists(out));
    QCOMPARE(allFiles(m_tmp.path()), before);
}

// D7, read-only: the same batch, and after the first cell the campaign folder becomes
// read-only. chmod does not stop root, so the folder is covered by a read-only bind mount of
// itself (the kernel refuses every write through it, root's too). A cell already encoding
// keeps its open file but cannot rename it into place. The cells left fail naming their file,
// nothing is written, the finished cell stays, and the CLI exits 73 (the output folder cannot
// be written, docs/cli.md), each cell with cannot_create and the system's reason.
//
// Binding needs mount rights; without them (an unprivileged container) this test runs the
// removal case instead and says so in the log, since there is no other way to make a folder
// read-only for root.
void TestDiskFaults::d07_exportFolderReadOnlyMidBatch()
{
    const QString out = m_tmp.filePath(QStringLiteral("d07-ro"));
    const QString folder = QDir::cleanPath(out + QLatin1Char('/') + kSlug);
    QVERIFY(QDir().mkpath(folder));
    // Probe once on a scratch folder whether bind mounts are allowed here.
    const QString probe = m_tmp.filePath(QStringLiteral("d07-probe"));
    QVERIFY(QDir().mkpath(probe));
    const bool canBind = QProcess::execute(QStringLiteral("mount"),
                                           {QStringLiteral("--bind"), probe, probe}) == 0;
    if (canBind)
        QProcess::execute(QStringLiteral("umount"), {probe});
    if (!canBind) {
        qInfo("D7 read-only path: unavailable (no mount rights for a read-only bind); ran the "
              "removal case instead");
        d07_exportFolderRemovedMidBatch();
        return;
    }
    qInfo("D7 read-only path: read-only bind mount of %s after the first cell", qPrintable(folder));

    QProcess p;
    p.start(kCli, renderArgs(out, {QStringLiteral("--jobs"), QStringLiteral("1")}));
    QVERIFY(p.waitForStarted(10000));
    QByteArray stdoutSoFar = readStdoutUntil(p, "\"status\":\"ok\"", kRunTimeoutMs);
    QVERIFY2(stdoutSoFar.contains("\"status\":\"ok\""), stdoutSoFar);
    // One step (util-linux's new mount API sets "ro" before the bind is attached): a plain
    // bind followed by a remount races with the CLI opening its next file through the fresh
    // mount, and the remount then fails with EBUSY.
    const bool bound = QProcess::execute(QStringLiteral("mount"),
                                         {QStringLiteral("--bind"), QStringLiteral("-o"),
                                          QStringLiteral("ro"), folder, folder}) == 0;
    const bool ended = p.waitForFinished(kRunTimeoutMs);
    if (!ended) {
        p.kill();
        p.waitForFinished(10000);
    }
    stdoutSoFar += p.readAllStandardOutput();
    const QStringList filesAtTheEnd = allFiles(out);
    QProcess::execute(QStringLiteral("umount"), {QStringLiteral("-l"), folder});
    qInfo("D7 read-only files at the end: %s", qPrintable(filesAtTheEnd.join(QLatin1Char(' '))));
    for (const QByteArray &line : stdoutSoFar.split('\n'))
        if (line.contains("\"done\""))
            qInfo("D7 read-only: %s", line.constData());
    QVERIFY(bound);
    QVERIFY(ended);
    QCOMPARE(p.exitStatus(), QProcess::NormalExit);
    QVERIFY2(p.exitCode() == 73, stdoutSoFar);

    const QMap<QString, QJsonObject> errors = doneErrors(stdoutSoFar);
    QVERIFY2(errors.size() >= 2 && errors.size() <= 3, stdoutSoFar);
    for (auto it = errors.cbegin(); it != errors.cend(); ++it) {
        const QString message = it.value().value(QStringLiteral("message")).toString();
        QCOMPARE(it.value().value(QStringLiteral("code")).toString(), QStringLiteral("cannot_create"));
        QVERIFY2(message.contains(folder) && message.contains(QStringLiteral("Read-only file system")),
                 qPrintable(message));
    }
    qInfo("D7 read-only message: %s",
          qPrintable(errors.first().value(QStringLiteral("message")).toString()));
    // The finished cell, its poster and the manifest that lists it, and no failed cell under
    // its final name. What the read-only folder keeps its writer from removing stays too:
    // the lock file of the cell that was exporting at that moment (its PID is dead once the
    // CLI ends, so it is stale) and that cell's *.partial-* (swept the next time the name is
    // exported). Both are named so as never to be mistaken for an output.
    const QString firstJob = doneStatuses(stdoutSoFar).key(QStringLiteral("ok"));
    QVERIFY(!firstJob.isEmpty());
    QStringList outputs;
    for (const QString &f : filesAtTheEnd)
        if (!f.endsWith(QStringLiteral(".mp4.lock")) && !f.contains(QStringLiteral(".mp4.partial-")))
            outputs << f;
    QCOMPARE(outputs,
             (QStringList{kSlug + QStringLiteral("/manifest.json"),
                          kSlug + QLatin1Char('/') + firstJob + QStringLiteral(".mp4"),
                          kSlug + QLatin1Char('/') + firstJob + QStringLiteral(".poster.png")}));
    QVERIFY2(filesAtTheEnd.size() - outputs.size() <= 3,  // one cell's lock (+ partial)
             qPrintable(filesAtTheEnd.join(QLatin1Char(' '))));
    QVERIFY(manifestCells(folder + QStringLiteral("/manifest.json")).contains(firstJob));
}

QTEST_GUILESS_MAIN(TestDiskFaults)
#include "tst_disk_faults.moc"
