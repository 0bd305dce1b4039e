// SPDX-License-Identifier: GPL-3.0-or-later
// exportGroup (the cells of one format rendered in one pass, their shared lower layers drawn
// once per frame): every cell gets the bytes a plain export gives it, the shared video is
// decoded once for the whole group, the still frame is the exported frame, one cell's failure
// stays its own, and a cancel leaves no partial file and the earlier outputs as they were.
#include "fixtures.h"
#include "render/renderer.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

using namespace render;
using namespace fixtures;

class TestGroupExport : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void sharedLayerCountFindsTheCommonBottom();
    void eachCellGetsTheBytesOfItsOwnExport();
    void cellsDrawnPartlyInRgbKeepTheirBytes();
    void sharedVideoIsDecodedOncePerGroup();
    void aSoundtrackIsEncodedOncePerProcess();
    void oneCellFailingLeavesTheOthers();
    void cancelStopsEveryCellAndKeepsEarlierFiles();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    // A still with Ken Burns, a crossfading video and a badge (shared), then the cell's own
    // headline and a logo-like solid above it: the shape of a campaign's cells of one format.
    Composition cell(const QString &headline, int64_t frames) const;
    static QByteArray readAll(const QString &file);

    QTemporaryDir m_dir;
    QString m_disc, m_movie, m_wav;
};

void TestGroupExport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString fontError;
    QVERIFY2(loadRenderFonts(&fontError), qPrintable(fontError));
    m_disc = writeDiscPng(m_dir.path(), QStringLiteral("disc.png"), {1024, 1024}, 200);
    m_wav = writeSineWav(m_dir.path(), QStringLiteral("sine.wav"), 3.0, 440.0, 0.5);
    QString error;
    m_movie = writeMovingSquareMovie(m_dir.path(), QStringLiteral("square.mp4"), {320, 240}, 64,
                                     &error);
    QVERIFY2(!m_movie.isEmpty(), qPrintable(error));
    QVERIFY(!m_disc.isEmpty() && !m_wav.isEmpty());
}

Composition TestGroupExport::cell(const QString &headline, int64_t frames) const
{
    Composition c = baseComposition(320, 240, frames);
    Layer still = image(m_disc, QRectF(0, 0, 320, 240), Fit::Cover, 0, frames / 2 + 5);
    still.kenBurns = {true, 1.0, 1.2, 0.4, 0.5, 0.6, 0.5};
    c.layers.push_back(still);
    Layer video;
    video.kind = LayerKind::Video;
    video.sourcePath = m_movie;
    video.rect = QRectF(0, 0, 320, 240);
    video.startFrame = frames / 2 - 5;
    video.endFrame = frames;
    video.fadeInFrames = 10;
    c.layers.push_back(video);
    c.layers.push_back(solid(QRectF(10, 10, 60, 30), kRed, 0, frames));
    Layer words = text(headline, QRectF(0, 180, 320, 50), TextAlign::Center, 5, frames - 5);
    words.textStyle.boxOpacity = 0.5;
    c.layers.push_back(words);
    c.layers.push_back(solid(QRectF(250, 10, 60, 30), kGreen, 0, frames));
    AudioClip bed;
    bed.sourcePath = m_wav;
    bed.endFrame = frames;
    bed.fadeOutFrames = 10;
    c.audio.push_back(bed);
    return c;
}

QByteArray TestGroupExport::readAll(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void TestGroupExport::sharedLayerCountFindsTheCommonBottom()
{
    const Composition a = cell(QStringLiteral("Sommar"), 30);
    const Composition b = cell(QStringLiteral("Summer"), 30);
    QCOMPARE(sharedLayerCount({a}), a.layers.size());
    QCOMPARE(sharedLayerCount({a, a}), a.layers.size());
    // The headline (layer 3) differs, so the still, video and badge are shared.
    QCOMPARE(sharedLayerCount({a, b}), size_t(3));
    Composition other = a;
    other.layers[1].fadeInFrames = 4;
    QCOMPARE(sharedLayerCount({a, b, other}), size_t(1));
    Composition wider = b;
    wider.width = 400;
    QCOMPARE(sharedLayerCount({a, wider}), size_t(0));
    Composition longer = b;
    longer.frameCount = 31;
    QCOMPARE(sharedLayerCount({a, longer}), size_t(0));
    QCOMPARE(sharedLayerCount({}), size_t(0));
}

void TestGroupExport::eachCellGetsTheBytesOfItsOwnExport()
{
    const std::vector<Composition> group{cell(QStringLiteral("Sommar – 30 %"), 60),
                                         cell(QStringLiteral("خصم ٣٠٪"), 60),
                                         cell(QStringLiteral("Sale 30%"), 60)};
    QCOMPARE(sharedLayerCount(group), size_t(3));
    QStringList grouped, alone;
    for (size_t i = 0; i < group.size(); ++i) {
        grouped << path(QStringLiteral("group-%1.mp4").arg(i));
        alone << path(QStringLiteral("alone-%1.mp4").arg(i));
    }
    std::vector<int64_t> lastProgress(group.size(), 0);
    const int64_t stillFrame = 40;
    std::vector<QImage> handedOver(group.size());
    std::vector<int> handOvers(group.size(), 0);
    resetDebugCounters();
    const std::vector<ExportResult> results = exportGroup(
        group, grouped,
        [&](size_t i, int64_t done, int64_t total) {
            QCOMPARE(total, int64_t(60));
            lastProgress[i] = done;
        },
        nullptr, stillFrame,
        [&](size_t i, const QImage &still) {  // on the compositing thread, one at a time
            if (i < group.size()) {
                handedOver[i] = still;
                ++handOvers[i];
            }
        });
    QCOMPARE(results.size(), group.size());
    // Every frame of every cell went the YUV way (the pictures drawn once for the group, each
    // cell blending its layers over them), and still each cell's bytes are its own export's.
    const DebugCounters counters = debugCounters();
    QCOMPARE(counters.yuvFrames, int64_t(3 * 60));
    QCOMPARE(counters.rgbFrames, int64_t(0));
    for (size_t i = 0; i < group.size(); ++i) {
        QVERIFY2(!results[i].error, qPrintable(results[i].error.message));
        QCOMPARE(results[i].framesWritten, int64_t(60));
        QCOMPARE(lastProgress[i], int64_t(60));
        EXPORT_OK(group[i], alone[qsizetype(i)]);
        const QByteArray bytes = readAll(grouped[qsizetype(i)]);
        QVERIFY(bytes.size() > 1000);
        QVERIFY2(bytes == readAll(alone[qsizetype(i)]),
                 qPrintable(QStringLiteral("cell %1 of the group differs from its own export").arg(i)));
        // The still is the frame the export composited, and the preview's frame.
        const QImage expected = FrameRenderer(group[i]).renderFrame(stillFrame);
        QCOMPARE(results[i].still.size(), expected.size());
        QVERIFY(results[i].still.convertToFormat(QImage::Format_RGB32) == expected);
        // Handed over once, as soon as it was drawn, for the poster to encode beside the video.
        QCOMPARE(handOvers[i], 1);
        QVERIFY(handedOver[i] == results[i].still);
    }
    // The cells do differ where their headlines are.
    QVERIFY(meanAbsDiff(results[0].still, results[1].still) > 0.5);
    QVERIFY(partialFiles(m_dir.path()).isEmpty());
}

void TestGroupExport::cellsDrawnPartlyInRgbKeepTheirBytes()
{
    // One cell's headline fades in: the frames of its fade go the RGB way for that cell alone
    // (as in its own export), the other cells' frames and the rest of its own stay YUV.
    Composition fading = cell(QStringLiteral("Fades in"), 40);
    fading.layers[3].fadeInFrames = 10;
    Composition plain = cell(QStringLiteral("Plain"), 40);
    const std::vector<Composition> group{plain, fading, cell(QStringLiteral("Also plain"), 40)};
    QCOMPARE(sharedLayerCount(group), size_t(3));
    resetDebugCounters();
    const QStringList grouped{path(QStringLiteral("mixed-0.mp4")), path(QStringLiteral("mixed-1.mp4")),
                              path(QStringLiteral("mixed-2.mp4"))};
    const std::vector<ExportResult> results = exportGroup(group, grouped);
    const DebugCounters counters = debugCounters();
    QVERIFY2(counters.rgbFrames >= 8 && counters.rgbFrames <= 12,
             qPrintable(QString::number(counters.rgbFrames)));
    QCOMPARE(counters.yuvFrames + counters.rgbFrames, int64_t(3 * 40));
    for (size_t i = 0; i < group.size(); ++i) {
        QVERIFY2(!results[i].error, qPrintable(results[i].error.message));
        const QString alone = path(QStringLiteral("mixed-alone-%1.mp4").arg(i));
        EXPORT_OK(group[i], alone);
        QVERIFY2(readAll(grouped[qsizetype(i)]) == readAll(alone),
                 qPrintable(QStringLiteral("cell %1 of the group differs from its own export").arg(i)));
    }
}

void TestGroupExport::sharedVideoIsDecodedOncePerGroup()
{
    const std::vector<Composition> group{cell(QStringLiteral("A"), 60), cell(QStringLiteral("B"), 60),
                                         cell(QStringLiteral("C"), 60), cell(QStringLiteral("D"), 60)};
    resetDebugCounters();
    const std::vector<ExportResult> results =
        exportGroup(group, {path(QStringLiteral("o1.mp4")), path(QStringLiteral("o2.mp4")),
                            path(QStringLiteral("o3.mp4")), path(QStringLiteral("o4.mp4"))});
    for (const ExportResult &r : results)
        QVERIFY2(!r.error, qPrintable(r.error.message));
    const DebugCounters counters = debugCounters();
    // Four separate exports open it four times.
    QCOMPARE(counters.decoderOpens.at(m_movie), 1);
    // Each cell mixes its own sound (cheap, and it may differ per segment).
    QCOMPARE(counters.decoderOpens.at(m_wav), 4);
}

void TestGroupExport::aSoundtrackIsEncodedOncePerProcess()
{
    forgetEncodedSoundtracks();
    const std::vector<Composition> group{cell(QStringLiteral("Eins"), 60),
                                         cell(QStringLiteral("Zwei"), 60)};
    const QStringList grouped{path(QStringLiteral("st-g0.mp4")), path(QStringLiteral("st-g1.mp4"))};
    for (const ExportResult &r : exportGroup(group, grouped))
        QVERIFY2(!r.error, qPrintable(r.error.message));
    // Two cells, one soundtrack: the second writer waited for the first's packets.
    QCOMPARE(soundtrackCounters().encodes, 1);
    QCOMPARE(soundtrackCounters().reuses, 1);

    // Later exports with the same samples reuse it too (alone, and split over two cores)...
    Composition longer = cell(QStringLiteral("Drei"), 150);
    EXPORT_OK(cell(QStringLiteral("Drei"), 60), path(QStringLiteral("st-alone.mp4")));
    QCOMPARE(soundtrackCounters().reuses, 2);
    // ...but not a different soundtrack: another fade, or the same bed for longer.
    Composition faded = cell(QStringLiteral("Drei"), 60);
    faded.audio.front().fadeOutFrames = 20;
    EXPORT_OK(faded, path(QStringLiteral("st-faded.mp4")));
    const ExportResult chunked =
        exportComposition(longer, path(QStringLiteral("st-long.mp4")), {}, nullptr, -1, 2);
    QVERIFY2(!chunked.error, qPrintable(chunked.error.message));
    QCOMPARE(soundtrackCounters().encodes, 3);
    QCOMPARE(soundtrackCounters().reuses, 2);
    QVERIFY(exportComposition(longer, path(QStringLiteral("st-long2.mp4")), {}, nullptr, -1, 2)
                .error.kind == ErrorKind::None);
    QCOMPARE(soundtrackCounters().reuses, 3);

    // The reused packets are the bytes a fresh encode gives.
    forgetEncodedSoundtracks();
    EXPORT_OK(group[1], path(QStringLiteral("st-fresh.mp4")));
    QCOMPARE(soundtrackCounters().encodes, 1);
    QCOMPARE(soundtrackCounters().reuses, 0);
    QVERIFY(readAll(grouped[1]).size() > 1000);
    QVERIFY(readAll(grouped[1]) == readAll(path(QStringLiteral("st-fresh.mp4"))));
    QVERIFY(readAll(path(QStringLiteral("st-long.mp4")))
            == readAll(path(QStringLiteral("st-long2.mp4"))));
    const std::vector<float> sound = decodeAudio(grouped[1], 10.0);
    QVERIFY(rms(sound, 0.5, 1.5) > 0.2);  // the sine is there
}

void TestGroupExport::oneCellFailingLeavesTheOthers()
{
    Composition broken = cell(QStringLiteral("B"), 30);
    broken.layers.back() = image(path(QStringLiteral("no-such-logo.png")), QRectF(250, 10, 60, 30),
                                 Fit::Contain, 0, 30);
    const std::vector<Composition> group{cell(QStringLiteral("A"), 30), broken,
                                         cell(QStringLiteral("C"), 30)};
    QCOMPARE(sharedLayerCount(group), size_t(3));
    const QStringList outs{path(QStringLiteral("ok-a.mp4")), path(QStringLiteral("broken-b.mp4")),
                           path(QStringLiteral("ok-c.mp4"))};
    const std::vector<ExportResult> results = exportGroup(group, outs);
    QVERIFY2(!results[0].error, qPrintable(results[0].error.message));
    QVERIFY2(!results[2].error, qPrintable(results[2].error.message));
    QCOMPARE(results[1].error.kind, ErrorKind::MissingInput);
    QVERIFY2(results[1].error.message.contains(QStringLiteral("no-such-logo.png")),
             qPrintable(results[1].error.message));
    QVERIFY(QFileInfo(outs[0]).isFile() && QFileInfo(outs[2]).isFile());
    QVERIFY(!QFileInfo::exists(outs[1]));
    QCOMPARE(probeMedia(outs[2]).videoFrames, int64_t(30));
    QVERIFY(partialFiles(m_dir.path()).isEmpty());
}

void TestGroupExport::cancelStopsEveryCellAndKeepsEarlierFiles()
{
    const std::vector<Composition> group{cell(QStringLiteral("A"), 60), cell(QStringLiteral("B"), 60)};
    const QStringList outs{path(QStringLiteral("keep-a.mp4")), path(QStringLiteral("keep-b.mp4"))};
    for (const QString &out : outs) {
        QFile f(out);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("earlier export");
    }
    CancelFlag cancel{false};
    int64_t maxDone = 0;
    const std::vector<ExportResult> results = exportGroup(
        group, outs,
        [&](size_t, int64_t done, int64_t) {
            maxDone = std::max(maxDone, done);
            if (done == 10)
                cancel = true;
        },
        &cancel);
    for (const ExportResult &r : results)
        QCOMPARE(r.error.kind, ErrorKind::Cancelled);
    QVERIFY(maxDone < 60);
    for (const QString &out : outs)
        QCOMPARE(readAll(out), QByteArray("earlier export"));
    QVERIFY(partialFiles(m_dir.path()).isEmpty());
}

QTEST_MAIN(TestGroupExport)
#include "tst_group_export.moc"
