// SPDX-License-Identifier: GPL-3.0-or-later
// The media (M1-M13) and project-file (P1-P9) rows of the B5 fault matrix in RELIABILITY.md,
// each driven through the real `campaign-cli render` on a one-second, one-segment, one-format
// project whose media are imported files (a PNG still and an MP4 clip encoded here with the
// ffmpeg CLI). Every fault fixture is made at test time in a QTemporaryDir. For each row the
// test checks the exit code of docs/cli.md, that stderr names the offending file, that nothing
// is created outside the export folder, that a failing cell leaves no `*.partial-*` and no
// final-named file, that an earlier output stays byte-identical, and that every run ends within
// a bounded time (a FIFO or /dev/zero must not hang the CLI).
#include "cli_test_support.h"
#include "fault_fixtures.h"

#include <QElapsedTimer>
#include <QImage>
#include <QPainter>
#include <QStandardPaths>
#include <QTemporaryDir>
#include <QtTest>

#include <sys/stat.h>

#include <functional>

using namespace clitest;
using namespace faultfix;

namespace {
constexpr int kRunTimeoutMs = 90000;
const QString kSlug = QStringLiteral("fault-matrix");
const QString kCell = QStringLiteral("out/fault-matrix/north/1x1.mp4");
const QString kPoster = QStringLiteral("out/fault-matrix/north/1x1.poster.png");

// The current data row as a folder name.
QString tagName()
{
    QString name = QString::fromLatin1(QTest::currentDataTag());
    for (QChar &ch : name)
        if (!ch.isLetterOrNumber())
            ch = u'-';
    return name;
}

}  // namespace

class TestFaultMatrix : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();

    void m01_zeroLengthMedia_data();
    void m01_zeroLengthMedia();
    void m02_truncatedMp4NoMoov();
    void m03_truncatedMp4MdatCut();
    void m04_corruptMp4Bytes();
    void m05_truncatedPng();
    void m06_truncatedJpeg();
    void m07_hugeDeclaredImage();
    void m08_hugeDeclaredVideo();
    void m09_bitstreamLargerThanContainer();
    void m10_playlistNamedMp4();
    void m11_mediaDeletedAfterSave();
    void m12_notARegularFile_data();
    void m12_notARegularFile();
    void m13_noVideoStream_data();
    void m13_noVideoStream();

    void p01_malformedJson_data();
    void p01_malformedJson();
    void p02_wrongTypes_data();
    void p02_wrongTypes();
    void p03_absurdValues_data();
    void p03_absurdValues();
    void p04_deepNestingAndOversized_data();
    void p04_deepNestingAndOversized();
    void p05_futureSchemaVersion();
    void p06_referencesMissingFiles();
    void p07_referencesOutsideProject_data();
    void p07_referencesOutsideProject();
    void p08_segmentIdAsOutputName_data();
    void p08_segmentIdAsOutputName();
    void p09_danglingAndDuplicateIds_data();
    void p09_danglingAndDuplicateIds();

private:
    // A fresh case folder: <tmp>/<name>/proj/{fault.campaign, media/pic.png, media/clip.mp4}.
    // With `seeded`, <tmp>/<name>/out already holds the baseline render (the earlier output).
    QString makeCase(const QString &name, bool seeded);
    QString caseProject(const QString &root) const { return root + QStringLiteral("/proj/fault.campaign"); }
    // Renders `project` into <root>/out with a bounded wait and checks the invariants that hold
    // for every failing run. Returns the run for row-specific checks.
    CliRun renderFailing(const QString &root, const QString &project, int expectedCode,
                         const QStringList &mustName, bool seeded);
    // Both runs of a media row: into an empty export folder and over an earlier output.
    void mediaRow(const QString &name, const QString &assetId, const std::function<bool(const QString &)> &makeFault,
                  int expectedCode, const QStringList &mustName);

    QTemporaryDir m_tmp;
    QString m_ffmpeg;
    QString m_okMp4, m_faststartMp4, m_okPng, m_okJpg, m_audioMp4, m_mjpegAvi;
    QString m_baselineOut;
    QString m_baselineMp4Sha, m_baselinePosterSha;
};

void TestFaultMatrix::initTestCase()
{
    QVERIFY(m_tmp.isValid());
    QVERIFY2(QFileInfo(kCli).isExecutable(), qPrintable(kCli));
    m_ffmpeg = QStandardPaths::findExecutable(QStringLiteral("ffmpeg"));
    QVERIFY2(!m_ffmpeg.isEmpty(), "the ffmpeg CLI makes the media fixtures");
    const QString src = m_tmp.filePath(QStringLiteral("src"));
    QVERIFY(QDir().mkpath(src));
    m_okMp4 = src + QStringLiteral("/ok.mp4");
    m_faststartMp4 = src + QStringLiteral("/faststart.mp4");
    m_okPng = src + QStringLiteral("/ok.png");
    m_okJpg = src + QStringLiteral("/ok.jpg");
    m_audioMp4 = src + QStringLiteral("/audio-only.mp4");
    m_mjpegAvi = src + QStringLiteral("/mjpeg.avi");
    QByteArray log;
    const QStringList common{QStringLiteral("-hide_banner"), QStringLiteral("-nostdin"),
                             QStringLiteral("-y"), QStringLiteral("-loglevel"), QStringLiteral("error")};
    const QStringList video{QStringLiteral("-f"), QStringLiteral("lavfi"), QStringLiteral("-i"),
                            QStringLiteral("testsrc2=size=320x240:rate=10"), QStringLiteral("-t"),
                            QStringLiteral("2"), QStringLiteral("-pix_fmt"), QStringLiteral("yuv420p"),
                            QStringLiteral("-c:v"), QStringLiteral("libx264"), QStringLiteral("-g"),
                            QStringLiteral("5")};
    QVERIFY2(runTool(m_ffmpeg, common + video + QStringList{m_okMp4}, &log), log);
    QVERIFY2(runTool(m_ffmpeg, common + video + QStringList{QStringLiteral("-movflags"),
                                                            QStringLiteral("+faststart"), m_faststartMp4}, &log), log);
    QVERIFY2(runTool(m_ffmpeg, common + QStringList{QStringLiteral("-f"), QStringLiteral("lavfi"),
                                                    QStringLiteral("-i"), QStringLiteral("sine=frequency=440:sample_rate=48000"),
                                                    QStringLiteral("-t"), QStringLiteral("1"),
                                                    QStringLiteral("-c:a"), QStringLiteral("aac"), m_audioMp4}, &log), log);
    QVERIFY2(runTool(m_ffmpeg, common + QStringList{QStringLiteral("-f"), QStringLiteral("lavfi"),
                                                    QStringLiteral("-i"), QStringLiteral("testsrc2=size=64x64:rate=10"),
                                                    QStringLiteral("-t"), QStringLiteral("1"),
                                                    QStringLiteral("-c:v"), QStringLiteral("mjpeg"), m_mjpegAvi}, &log), log);
    // Stills with detail everywhere, so a cut anywhere in the data is a real cut.
    QImage img(256, 256, QImage::Format_RGB32);
    for (int y = 0; y < img.height(); ++y)
        for (int x = 0; x < img.width(); ++x)
            img.setPixel(x, y, qRgb((x * 7 + y * 3) & 0xff, (x * y) & 0xff, (x ^ y) & 0xff));
    QVERIFY(img.save(m_okPng, "PNG"));
    QVERIFY(img.save(m_okJpg, "JPEG", 90));
    QVERIFY(QFileInfo(m_okMp4).size() > 30000);

    // The earlier output every media row starts from.
    const QString base = makeCase(QStringLiteral("baseline"), false);
    QVERIFY(!base.isEmpty());
    const CliRun r = runCli({QStringLiteral("render"), caseProject(base), QStringLiteral("--out"),
                             base + QStringLiteral("/out")}, kRunTimeoutMs);
    QVERIFY2(r.finished && r.code == 0, describe(r));
    m_baselineOut = base + QStringLiteral("/out");
    m_baselineMp4Sha = services::sha256OfFile(base + QLatin1Char('/') + kCell);
    m_baselinePosterSha = services::sha256OfFile(base + QLatin1Char('/') + kPoster);
    QVERIFY(!m_baselineMp4Sha.isEmpty() && !m_baselinePosterSha.isEmpty());
}

QString TestFaultMatrix::makeCase(const QString &name, bool seeded)
{
    const QString root = m_tmp.filePath(QStringLiteral("cases/") + name);
    if (!QDir().mkpath(root + QStringLiteral("/proj/media")))
        return {};
    if (!QFile::copy(m_okPng, root + QStringLiteral("/proj/media/pic.png"))
        || !QFile::copy(m_okMp4, root + QStringLiteral("/proj/media/clip.mp4"))
        || !writeAll(caseProject(root), toJson(baseProject())))
        return {};
    if (seeded && !copyTree(m_baselineOut, root + QStringLiteral("/out")))
        return {};
    return root;
}

CliRun TestFaultMatrix::renderFailing(const QString &root, const QString &project, int expectedCode,
                                      const QStringList &mustName, bool seeded)
{
    const QStringList before = snapshot(m_tmp.path());
    const bool regularProject = QFileInfo(project).isFile();  // never read a FIFO here
    const QByteArray projectBytes = regularProject ? readAll(project) : QByteArray();
    QElapsedTimer timer;
    timer.start();
    const QString out = root + QStringLiteral("/out");
    const CliRun r = runCli({QStringLiteral("render"), project, QStringLiteral("--out"), out,
                             QStringLiteral("--jobs"), QStringLiteral("1")}, kRunTimeoutMs);
    qInfo().noquote() << "exit" << r.code << "in" << timer.elapsed() << "ms:" << r.err.trimmed().right(700);
    [&] {
        QVERIFY2(r.finished, "the CLI must end within the bounded wait: " + describe(r));
        QVERIFY2(timer.elapsed() < kRunTimeoutMs, describe(r));
        QVERIFY2(r.code == expectedCode,
                 "expected exit " + QByteArray::number(expectedCode) + ", got " + describe(r));
        const QString err = QString::fromUtf8(r.err);
        for (const QString &n : mustName)
            QVERIFY2(err.contains(n), qPrintable(QStringLiteral("stderr must name '%1'\n").arg(n)
                                                 + QString::fromUtf8(describe(r))));
        // Nothing new anywhere but inside the export folder.
        const QString outRel = QDir(m_tmp.path()).relativeFilePath(out);
        for (const QString &entry : snapshot(m_tmp.path()))
            if (!before.contains(entry))
                QVERIFY2(entry == outRel || entry.startsWith(outRel + QLatin1Char('/')),
                         qPrintable(QStringLiteral("created outside the export folder: ") + entry));
        QVERIFY2(partialFiles(out).isEmpty(), qPrintable(partialFiles(out).join(QLatin1Char('\n'))));
        if (regularProject)
            QCOMPARE(readAll(project), projectBytes);  // a project is never written by render
        const QString cell = root + QLatin1Char('/') + kCell;
        if (seeded) {
            QCOMPARE(services::sha256OfFile(cell), m_baselineMp4Sha);
            QCOMPARE(services::sha256OfFile(root + QLatin1Char('/') + kPoster), m_baselinePosterSha);
        } else {
            QVERIFY2(!QFileInfo::exists(cell), "a failing cell leaves no final-named file");
        }
    }();
    return r;
}

void TestFaultMatrix::mediaRow(const QString &name, const QString &assetId,
                               const std::function<bool(const QString &)> &makeFault,
                               int expectedCode, const QStringList &mustName)
{
    for (const bool seeded : {false, true}) {
        const QString root = makeCase(name + (seeded ? QStringLiteral("-seeded") : QStringLiteral("-fresh")), seeded);
        QVERIFY(!root.isEmpty());
        const QString faultPath = root + QStringLiteral("/proj/media/") + mustName.first();
        QVERIFY2(makeFault(faultPath), qPrintable(faultPath));
        QVERIFY(writeAll(caseProject(root),
                         toJson(withAssetPath(baseProject(), assetId,
                                              QStringLiteral("media/") + mustName.first()))));
        renderFailing(root, caseProject(root), expectedCode, mustName, seeded);
        if (QTest::currentTestFailed())
            return;
    }
}

// ---------------------------------------------------------------- media rows

void TestFaultMatrix::m01_zeroLengthMedia_data()
{
    QTest::addColumn<QString>("asset");
    QTest::addColumn<QString>("file");
    QTest::newRow("empty.mp4") << "clip" << "empty.mp4";
    QTest::newRow("empty.png") << "pic" << "empty.png";
}

void TestFaultMatrix::m01_zeroLengthMedia()
{
    QFETCH(QString, asset);
    QFETCH(QString, file);
    mediaRow(QStringLiteral("m01-") + file, asset,
             [](const QString &p) { return writeAll(p, {}); }, 66,
             {file, QStringLiteral("empty (0 bytes)")});
}

void TestFaultMatrix::m02_truncatedMp4NoMoov()
{
    const QByteArray ok = readAll(m_okMp4);
    QVERIFY(ok.lastIndexOf("moov") > ok.size() / 2);  // the index is at the end
    mediaRow(QStringLiteral("m02"), QStringLiteral("clip"),
             [&](const QString &p) { return writeAll(p, ok.left(20000)); }, 1,
             {QStringLiteral("no-moov.mp4")});
}

void TestFaultMatrix::m03_truncatedMp4MdatCut()
{
    const QByteArray ok = readAll(m_faststartMp4);
    const qsizetype mdat = ok.indexOf("mdat");
    QVERIFY(ok.indexOf("moov") < mdat && mdat > 0);  // faststart: index first
    // Keep the index and the first fifth of the samples: the clip is read from 0 to 0.5 s of a
    // 2 s source, so the render runs into the missing range.
    const QByteArray cut = ok.left(mdat + (ok.size() - mdat) / 5);
    mediaRow(QStringLiteral("m03"), QStringLiteral("clip"),
             [&](const QString &p) { return writeAll(p, cut); }, 1, {QStringLiteral("mdat-cut.mp4")});
}

void TestFaultMatrix::m04_corruptMp4Bytes()
{
    QByteArray bad = readAll(m_faststartMp4);
    const qsizetype mdat = bad.indexOf("mdat");
    QVERIFY(mdat > 0);
    quint32 state = 12345;
    const qsizetype span = bad.size() - (mdat + 64);
    for (qsizetype k = 0; k < span / 100; ++k) {  // 1 % of the sample bytes
        state = state * 1664525u + 1013904223u;
        const qsizetype at = mdat + 64 + qsizetype(state % quint32(span));
        bad[at] = char(bad[at] ^ 0x5a);
    }
    // Decoders conceal or fail: either the export completes with a valid file, or the cell
    // fails naming the file. Never a hang, a crash or a half-written final file.
    const QString root = makeCase(QStringLiteral("m04"), false);
    QVERIFY(!root.isEmpty());
    QVERIFY(writeAll(root + QStringLiteral("/proj/media/corrupt.mp4"), bad));
    QVERIFY(writeAll(caseProject(root), toJson(withAssetPath(baseProject(), QStringLiteral("clip"),
                                                             QStringLiteral("media/corrupt.mp4")))));
    QElapsedTimer timer;
    timer.start();
    const CliRun r = runCli({QStringLiteral("render"), caseProject(root), QStringLiteral("--out"),
                             root + QStringLiteral("/out")}, kRunTimeoutMs);
    qInfo().noquote() << "exit" << r.code << ":" << r.err.trimmed().right(500);
    QVERIFY2(r.finished, describe(r));
    QVERIFY2(r.code == 0 || r.code == 1, describe(r));
    QVERIFY(partialFiles(root + QStringLiteral("/out")).isEmpty());
    if (r.code == 1) {
        QVERIFY2(r.err.contains("corrupt.mp4"), describe(r));
        QVERIFY(!QFileInfo::exists(root + QLatin1Char('/') + kCell));
    } else {
        QVERIFY(QFileInfo(root + QLatin1Char('/') + kCell).size() > 0);
    }
}

void TestFaultMatrix::m05_truncatedPng()
{
    const QByteArray ok = readAll(m_okPng);
    mediaRow(QStringLiteral("m05"), QStringLiteral("pic"),
             [&](const QString &p) { return writeAll(p, ok.left(200)); }, 1, {QStringLiteral("cut.png")});
}

void TestFaultMatrix::m06_truncatedJpeg()
{
    const QByteArray ok = readAll(m_okJpg);
    mediaRow(QStringLiteral("m06"), QStringLiteral("pic"),
             [&](const QString &p) { return writeAll(p, ok.left(300)); }, 1, {QStringLiteral("cut.jpg")});
}

void TestFaultMatrix::m07_hugeDeclaredImage()
{
    QByteArray ihdr = be32(60000) + be32(60000);
    ihdr += char(8);  // bit depth
    ihdr += char(6);  // RGBA
    ihdr += QByteArray(3, '\0');
    const QByteArray png = QByteArray("\x89PNG\r\n\x1a\n", 8) + pngChunk("IHDR", ihdr)
        + pngChunk("IDAT", QByteArray::fromHex("789c636000000000010001")) + pngChunk("IEND", {});
    mediaRow(QStringLiteral("m07"), QStringLiteral("pic"),
             [&](const QString &p) { return writeAll(p, png); }, 1,
             {QStringLiteral("huge.png"), QStringLiteral("60000")});
}

void TestFaultMatrix::m08_hugeDeclaredVideo()
{
    const QByteArray y4m = QByteArray("YUV4MPEG2 W16000 H16000 F10:1 Ip A1:1 C420jpeg\nFRAME\n")
        + QByteArray(100 * 1024, '\x10');
    mediaRow(QStringLiteral("m08"), QStringLiteral("clip"),
             [&](const QString &p) { return writeAll(p, y4m); }, 1, {QStringLiteral("huge.y4m")});
}

void TestFaultMatrix::m09_bitstreamLargerThanContainer()
{
    // The AVI says 64x64; every frame's SOF0 says 16000x16000.
    QByteArray avi = readAll(m_mjpegAvi);
    const QByteArray sof = QByteArray::fromHex("ffc0001108") + QByteArray::fromHex("00400040");
    const QByteArray big = QByteArray::fromHex("ffc0001108") + QByteArray::fromHex("3e803e80");
    QVERIFY(avi.contains(sof));
    avi.replace(sof, big);
    mediaRow(QStringLiteral("m09"), QStringLiteral("clip"),
             [&](const QString &p) { return writeAll(p, avi); }, 1, {QStringLiteral("sof.avi")});
}

void TestFaultMatrix::m10_playlistNamedMp4()
{
    // The playlist points at a perfectly good local MP4. Following it would render without an
    // error, so a failing cell proves it was not followed.
    const QString sentinel = m_tmp.filePath(QStringLiteral("src/sentinel-segment.mp4"));
    QVERIFY(QFile::exists(sentinel) || QFile::copy(m_okMp4, sentinel));
    const QByteArray playlist = "#EXTM3U\n#EXT-X-VERSION:3\n#EXT-X-TARGETDURATION:2\n"
                                "#EXT-X-MEDIA-SEQUENCE:0\n#EXTINF:2.0,\n"
        + QFile::encodeName(sentinel) + "\n#EXTINF:2.0,\nfile:" + QFile::encodeName(sentinel)
        + "\n#EXT-X-ENDLIST\n";
    mediaRow(QStringLiteral("m10"), QStringLiteral("clip"),
             [&](const QString &p) { return writeAll(p, playlist); }, 1, {QStringLiteral("playlist.mp4")});
}

void TestFaultMatrix::m11_mediaDeletedAfterSave()
{
    mediaRow(QStringLiteral("m11"), QStringLiteral("clip"),
             [](const QString &p) {
                 return QFile::copy(QFileInfo(p).absolutePath() + QStringLiteral("/clip.mp4"), p)
                     && QFile::remove(p);
             },
             66, {QStringLiteral("deleted.mp4")});
}

void TestFaultMatrix::m12_notARegularFile_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("asset");
    QTest::newRow("FIFO as video") << "fifo" << "clip";
    QTest::newRow("FIFO as image") << "fifo" << "pic";
    QTest::newRow("symlink to /dev/zero") << "zero" << "clip";
    QTest::newRow("directory") << "dir" << "clip";
}

void TestFaultMatrix::m12_notARegularFile()
{
    QFETCH(QString, kind);
    QFETCH(QString, asset);
    const QString file = kind + (asset == QLatin1String("pic") ? QStringLiteral(".png") : QStringLiteral(".mp4"));
    mediaRow(QStringLiteral("m12-") + file, asset,
             [&](const QString &p) {
                 if (kind == QLatin1String("fifo"))
                     return ::mkfifo(QFile::encodeName(p).constData(), 0600) == 0;
                 if (kind == QLatin1String("zero"))
                     return QFile::link(QStringLiteral("/dev/zero"), p);
                 return QDir().mkpath(p);
             },
             66, {file, QStringLiteral("not a regular file")});
}

void TestFaultMatrix::m13_noVideoStream_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("audio-only file as video") << "audio";
    QTest::newRow("unknown FourCC") << "fourcc";
}

void TestFaultMatrix::m13_noVideoStream()
{
    QFETCH(QString, kind);
    QByteArray bytes;
    QString file;
    if (kind == QLatin1String("audio")) {
        bytes = readAll(m_audioMp4);
        file = QStringLiteral("audio-only.mp4");
    } else {
        bytes = readAll(m_mjpegAvi);
        QVERIFY(bytes.contains("MJPG"));
        bytes.replace("MJPG", "ZQ9X");  // no decoder has this tag
        file = QStringLiteral("fourcc.avi");
    }
    QVERIFY(!bytes.isEmpty());
    mediaRow(QStringLiteral("m13-") + kind, QStringLiteral("clip"),
             [&](const QString &p) { return writeAll(p, bytes); }, 1, {file, QStringLiteral("video")});
}

// ---------------------------------------------------------------- project rows

namespace {
QByteArray jsonWith(const std::function<void(QJsonObject &)> &edit)
{
    QJsonObject o = baseProject();
    edit(o);
    return toJson(o);
}

QJsonObject editTimeline(QJsonObject o, const QString &key, const QJsonValue &v)
{
    QJsonObject t = o.value(QStringLiteral("timeline")).toObject();
    t.insert(key, v);
    o.insert(QStringLiteral("timeline"), t);
    return o;
}
}  // namespace

void TestFaultMatrix::p01_malformedJson_data()
{
    QTest::addColumn<QByteArray>("bytes");
    const QByteArray good = toJson(baseProject());
    QByteArray trailing = good;
    trailing.insert(trailing.lastIndexOf('}'), ",");
    QTest::newRow("trailing comma") << trailing;
    QTest::newRow("cut mid-object") << good.left(good.indexOf("\"timeline\"") + 14);
    QByteArray junk = good.left(200);
    for (int i = 0; i < 64; ++i)
        junk += char((i * 37 + 128) & 0xff);
    QTest::newRow("binary junk") << junk;
}

void TestFaultMatrix::p01_malformedJson()
{
    QFETCH(QByteArray, bytes);
    const QString root = makeCase(QStringLiteral("p01-") + tagName(), false);
    QVERIFY(!root.isEmpty());
    QVERIFY(writeAll(caseProject(root), bytes));
    const CliRun r = renderFailing(root, caseProject(root), 65, {QStringLiteral("fault.campaign")}, false);
    if (QTest::currentTestFailed())
        return;
    QVERIFY2(r.err.contains("line "), describe(r));
    QVERIFY(!QFileInfo::exists(root + QStringLiteral("/out")));
}

void TestFaultMatrix::p02_wrongTypes_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("jsonPath");
    QTest::newRow("fps true") << jsonWith([](QJsonObject &o) { o = editTimeline(o, QStringLiteral("fps"), true); })
                              << "$.timeline.fps";
    QTest::newRow("clips {}") << jsonWith([](QJsonObject &o) {
        QJsonObject t = o.value(QStringLiteral("timeline")).toObject();
        QJsonArray tracks = t.value(QStringLiteral("tracks")).toArray();
        QJsonObject track = tracks.at(0).toObject();
        track.insert(QStringLiteral("clips"), QJsonObject());
        tracks.replace(0, track);
        t.insert(QStringLiteral("tracks"), tracks);
        o.insert(QStringLiteral("timeline"), t);
    }) << "$.timeline.tracks[0].clips";
    QTest::newRow("formats string") << jsonWith([](QJsonObject &o) { o.insert(QStringLiteral("formats"), QStringLiteral("1x1")); })
                                    << "$.formats";
}

void TestFaultMatrix::p02_wrongTypes()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, jsonPath);
    const QString root = makeCase(QStringLiteral("p02-") + tagName(), false);
    QVERIFY(!root.isEmpty());
    QVERIFY(writeAll(caseProject(root), bytes));
    renderFailing(root, caseProject(root), 65, {QStringLiteral("fault.campaign"), jsonPath}, false);
}

void TestFaultMatrix::p03_absurdValues_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("jsonPath");
    QTest::newRow("negative duration") << jsonWith([](QJsonObject &o) { o = editTimeline(o, QStringLiteral("duration"), QStringLiteral("-1")); })
                                       << "$.timeline.duration";
    QTest::newRow("1e12 s duration") << jsonWith([](QJsonObject &o) { o = editTimeline(o, QStringLiteral("duration"), 1e12); })
                                     << "$.timeline.duration";
    QTest::newRow("fps 0") << jsonWith([](QJsonObject &o) { o = editTimeline(o, QStringLiteral("fps"), QStringLiteral("0")); })
                           << "$.timeline.fps";
    QTest::newRow("fps 1/0") << jsonWith([](QJsonObject &o) { o = editTimeline(o, QStringLiteral("fps"), QStringLiteral("1/0")); })
                             << "$.timeline.fps";
    QTest::newRow("fps 1e9") << jsonWith([](QJsonObject &o) { o = editTimeline(o, QStringLiteral("fps"), QStringLiteral("1000000000")); })
                             << "$.timeline.fps";
}

void TestFaultMatrix::p03_absurdValues()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, jsonPath);
    const QString root = makeCase(QStringLiteral("p03-") + tagName(), false);
    QVERIFY(!root.isEmpty());
    QVERIFY(writeAll(caseProject(root), bytes));
    renderFailing(root, caseProject(root), 65, {QStringLiteral("fault.campaign"), jsonPath}, false);
}

void TestFaultMatrix::p04_deepNestingAndOversized_data()
{
    QTest::addColumn<QString>("kind");
    QTest::addColumn<QString>("mustSay");
    QTest::newRow("1e5 nested [") << "deep" << "line ";
    // Valid JSON padded with whitespace past the 16 MiB cap: refused unparsed, by its size.
    QTest::newRow("17 MiB project") << "big" << "too large";
    // A project that never ends (or blocks on open) is refused without being read.
    QTest::newRow("project is a FIFO") << "fifo" << "not a regular file";
}

void TestFaultMatrix::p04_deepNestingAndOversized()
{
    QFETCH(QString, kind);
    QFETCH(QString, mustSay);
    const QString root = makeCase(QStringLiteral("p04-") + kind, false);
    QVERIFY(!root.isEmpty());
    if (kind == QLatin1String("fifo")) {
        QVERIFY(QFile::remove(caseProject(root)));
        QVERIFY(::mkfifo(QFile::encodeName(caseProject(root)).constData(), 0600) == 0);
        renderFailing(root, caseProject(root), 66, {QStringLiteral("fault.campaign"), mustSay}, false);
        return;
    }
    QByteArray bytes;
    if (kind == QLatin1String("deep")) {
        bytes = QByteArray(100000, '[') + QByteArray(100000, ']');
    } else {
        bytes = toJson(baseProject());
        bytes.insert(1, QByteArray(17 * 1024 * 1024, ' '));
    }
    QVERIFY(writeAll(caseProject(root), bytes));
    QElapsedTimer timer;
    timer.start();
    renderFailing(root, caseProject(root), 65, {QStringLiteral("fault.campaign"), mustSay}, false);
    QVERIFY2(timer.elapsed() < 30000, "refused quickly");
}

void TestFaultMatrix::p05_futureSchemaVersion()
{
    const QString root = makeCase(QStringLiteral("p05"), false);
    QVERIFY(!root.isEmpty());
    QVERIFY(writeAll(caseProject(root), jsonWith([](QJsonObject &o) { o.insert(QStringLiteral("schemaVersion"), 99); })));
    renderFailing(root, caseProject(root), 65, {QStringLiteral("fault.campaign"), QStringLiteral("99")}, false);
    if (QTest::currentTestFailed())
        return;
    // `generate` saves projects; it must never save over a newer one.
    const QByteArray before = readAll(caseProject(root));
    const CliRun g = runCli({QStringLiteral("generate"), caseProject(root)}, kRunTimeoutMs);
    QVERIFY2(g.finished && g.code == 65, describe(g));
    QCOMPARE(readAll(caseProject(root)), before);
    QVERIFY(listing(root + QStringLiteral("/proj")).contains(QStringLiteral("fault.campaign")));
    QCOMPARE(listing(root + QStringLiteral("/proj")).size(), 1);  // no .bak or temp file beside it
}

void TestFaultMatrix::p06_referencesMissingFiles()
{
    const QString root = makeCase(QStringLiteral("p06"), true);
    QVERIFY(!root.isEmpty());
    QVERIFY(writeAll(caseProject(root), toJson(withAssetPath(withAssetPath(baseProject(), QStringLiteral("pic"),
                                                                           QStringLiteral("media/gone.png")),
                                                             QStringLiteral("clip"), QStringLiteral("elsewhere/gone.mp4")))));
    const CliRun r = renderFailing(root, caseProject(root), 66,
                                   {QStringLiteral("gone.png"), QStringLiteral("gone.mp4")}, true);
    Q_UNUSED(r);
}

void TestFaultMatrix::p07_referencesOutsideProject_data()
{
    QTest::addColumn<QString>("kind");
    QTest::newRow("../ path to a text file") << "relative";
    QTest::newRow("absolute /etc/passwd") << "absolute";
    QTest::newRow("symlink escaping the folder") << "symlink";
}

void TestFaultMatrix::p07_referencesOutsideProject()
{
    QFETCH(QString, kind);
    const QString root = makeCase(QStringLiteral("p07-") + kind, false);
    QVERIFY(!root.isEmpty());
    const QString secret = root + QStringLiteral("/secret/passwd.png");  // outside proj/
    QVERIFY(QDir().mkpath(root + QStringLiteral("/secret")));
    const QByteArray secretBytes = "root:x:0:0:root:/root:/bin/sh\n";
    QVERIFY(writeAll(secret, secretBytes));
    QString path;
    QString named;
    if (kind == QLatin1String("relative")) {
        path = QStringLiteral("../secret/passwd.png");
        named = QStringLiteral("passwd.png");
    } else if (kind == QLatin1String("absolute")) {
        path = QStringLiteral("/etc/passwd");
        named = QStringLiteral("/etc/passwd");
    } else {
        // A valid picture outside the folder, reached through a link inside it: it may be read
        // (it is media), with a warning, and is never written.
        const QString outside = root + QStringLiteral("/secret/elsewhere.png");
        QVERIFY(QFile::copy(m_okPng, outside));
        QVERIFY(QFile::link(outside, root + QStringLiteral("/proj/media/link.png")));
        path = QStringLiteral("media/link.png");
        named = QStringLiteral("elsewhere.png");
    }
    QVERIFY(writeAll(caseProject(root), toJson(withAssetPath(baseProject(), QStringLiteral("pic"), path))));
    const QByteArray passwd = readAll(QStringLiteral("/etc/passwd"));
    if (kind == QLatin1String("symlink")) {
        const QByteArray outsideBytes = readAll(root + QStringLiteral("/secret/elsewhere.png"));
        const CliRun r = runCli({QStringLiteral("render"), caseProject(root), QStringLiteral("--out"),
                                 root + QStringLiteral("/out")}, kRunTimeoutMs);
        QVERIFY2(r.finished && r.code == 0, describe(r));
        QVERIFY2(r.err.contains("outside its folder") && r.err.contains(named.toUtf8()), describe(r));
        QCOMPARE(readAll(root + QStringLiteral("/secret/elsewhere.png")), outsideBytes);
        QVERIFY(QFileInfo(root + QLatin1Char('/') + kCell).isFile());
    } else {
        renderFailing(root, caseProject(root), 1, {named, QStringLiteral("outside its folder")}, false);
    }
    QCOMPARE(readAll(secret), secretBytes);
    QCOMPARE(readAll(QStringLiteral("/etc/passwd")), passwd);
    QCOMPARE(listing(root + QStringLiteral("/secret")).size(), kind == QLatin1String("symlink") ? 2 : 1);
}

void TestFaultMatrix::p08_segmentIdAsOutputName_data()
{
    QTest::addColumn<QString>("segmentId");
    QTest::addColumn<int>("expectedCode");
    QTest::newRow("../../.bashrc") << "../../.bashrc" << 0;
    QTest::newRow("..") << ".." << 0;
    QTest::newRow("absolute") << "/tmp/evil" << 0;
    QTest::newRow("con\\0x") << QStringLiteral("con") + QChar(0) + QStringLiteral("x") << 65;
    QTest::newRow("control characters") << QStringLiteral("a\x01\x1b[2Jb\nc") << 65;
}

void TestFaultMatrix::p08_segmentIdAsOutputName()
{
    QFETCH(QString, segmentId);
    QFETCH(int, expectedCode);
    static int serial = 0;
    const QString root = makeCase(QStringLiteral("p08-%1").arg(++serial), false);
    QVERIFY(!root.isEmpty());
    QVERIFY(writeAll(caseProject(root), jsonWith([&](QJsonObject &o) {
        QJsonArray segs = o.value(QStringLiteral("segments")).toArray();
        QJsonObject s = segs.at(0).toObject();
        s.insert(QStringLiteral("id"), segmentId);
        s.insert(QStringLiteral("name"), segmentId);
        segs.replace(0, s);
        o.insert(QStringLiteral("segments"), segs);
    })));
    const QStringList before = snapshot(m_tmp.path());
    const QString out = root + QStringLiteral("/out");
    const CliRun r = runCli({QStringLiteral("render"), caseProject(root), QStringLiteral("--out"), out},
                            kRunTimeoutMs);
    qInfo().noquote() << "exit" << r.code << ":" << r.err.trimmed().right(500);
    QVERIFY2(r.finished, describe(r));
    // Sanitised (rendered inside the export folder), or refused with a message when the id
    // holds control characters (which would also reach terminals and logs).
    QVERIFY2(r.code == expectedCode, describe(r));
    if (r.code == 65)
        QVERIFY2(r.err.contains("$.segments[0].id: must not contain control characters"), describe(r));
    const QString outRel = QDir(m_tmp.path()).relativeFilePath(out);
    for (const QString &entry : snapshot(m_tmp.path()))
        if (!before.contains(entry))
            QVERIFY2(entry == outRel || entry.startsWith(outRel + QLatin1Char('/')),
                     qPrintable(QStringLiteral("created outside the export folder: ") + entry));
    QVERIFY(!QFileInfo::exists(QStringLiteral("/tmp/evil")));
    if (r.code == 0) {
        const QStringList files = allFiles(out);
        QVERIFY2(files.filter(QStringLiteral(".mp4")).size() == 1, qPrintable(files.join(u',')));
        for (const QString &f : files) {
            QVERIFY2(f.startsWith(kSlug + QLatin1Char('/')), qPrintable(f));
            for (const QString &part : f.split(QLatin1Char('/'))) {
                QVERIFY2(!part.startsWith(QLatin1Char('.')), qPrintable(f));
                for (const QChar ch : part)
                    QVERIFY2(ch.unicode() >= 0x20 && ch.unicode() < 0x7f, qPrintable(f));
            }
        }
    }
}

void TestFaultMatrix::p09_danglingAndDuplicateIds_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::addColumn<QString>("named");
    QTest::newRow("dangling asset id") << jsonWith([](QJsonObject &o) {
        QJsonObject t = o.value(QStringLiteral("timeline")).toObject();
        QJsonArray tracks = t.value(QStringLiteral("tracks")).toArray();
        QJsonObject track = tracks.at(0).toObject();
        QJsonArray clips = track.value(QStringLiteral("clips")).toArray();
        QJsonObject c = clips.at(1).toObject();
        c.insert(QStringLiteral("source"), QStringLiteral("asset:no-such-asset"));
        clips.replace(1, c);
        track.insert(QStringLiteral("clips"), clips);
        tracks.replace(0, track);
        t.insert(QStringLiteral("tracks"), tracks);
        o.insert(QStringLiteral("timeline"), t);
    }) << "no-such-asset";
    QTest::newRow("duplicate asset id") << jsonWith([](QJsonObject &o) {
        QJsonArray assets = o.value(QStringLiteral("assets")).toArray();
        QJsonObject a = assets.at(1).toObject();
        a.insert(QStringLiteral("id"), QStringLiteral("pic"));
        assets.replace(1, a);
        o.insert(QStringLiteral("assets"), assets);
    }) << "pic";
    QTest::newRow("duplicate segment id") << jsonWith([](QJsonObject &o) {
        QJsonArray segs = o.value(QStringLiteral("segments")).toArray();
        segs.append(segs.at(0));
        o.insert(QStringLiteral("segments"), segs);
    }) << "north";
}

void TestFaultMatrix::p09_danglingAndDuplicateIds()
{
    QFETCH(QByteArray, bytes);
    QFETCH(QString, named);
    const QString root = makeCase(QStringLiteral("p09-") + tagName(), false);
    QVERIFY(!root.isEmpty());
    QVERIFY(writeAll(caseProject(root), bytes));
    renderFailing(root, caseProject(root), 65, {QStringLiteral("fault.campaign"), named}, false);
}

QTEST_MAIN(TestFaultMatrix)
#include "tst_fault_matrix.moc"
