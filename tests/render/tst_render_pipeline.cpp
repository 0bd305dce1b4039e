// SPDX-License-Identifier: GPL-3.0-or-later
// The pipelined export (compositing on the calling thread, encoding on a writer thread):
// byte-identical output for identical input, cancel and errors at any point of the pipeline
// leave no partial file and keep the earlier one, and each source is decoded once.
#include "fixtures.h"
#include "render/renderer.h"
#include "render/yuv_convert.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <algorithm>
#include <cstdlib>
#include <vector>

using namespace render;
using namespace fixtures;

class TestPipeline : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void exportsAreByteIdentical_data();
    void exportsAreByteIdentical();
    void cancelMidPipeline_data();
    void cancelMidPipeline();
    void sourceErrorMidPipelinePropagates();
    void eachSourceIsOpenedOnce();
    void yuvConversionIsBt709Limited();
    void yuvPathsGiveTheSameBytes();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }
    // Every kind of layer, a crossfade, Ken Burns and an audio bed: all the per-frame paths.
    Composition richComposition(int64_t frames) const;
    static QByteArray readAll(const QString &file);

    QTemporaryDir m_dir;
    QString m_disc, m_movie, m_wav;
};

void TestPipeline::initTestCase()
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

Composition TestPipeline::richComposition(int64_t frames) const
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
    c.layers.push_back(solid(QRectF(200, 10, 100, 40), kGreen, 0, frames));
    c.layers.push_back(text(QStringLiteral("Sommar – 30 %"), QRectF(0, 180, 320, 50),
                            TextAlign::Center, 5, frames - 5));
    AudioClip bed;
    bed.sourcePath = m_wav;
    bed.endFrame = frames;
    bed.fadeOutFrames = 10;
    c.audio.push_back(bed);
    return c;
}

QByteArray TestPipeline::readAll(const QString &file)
{
    QFile f(file);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

void TestPipeline::exportsAreByteIdentical_data()
{
    QTest::addColumn<int>("threads");
    QTest::newRow("automatic threads") << 0;
    QTest::newRow("1 thread") << 1;
    QTest::newRow("2 threads") << 2;
}

void TestPipeline::exportsAreByteIdentical()
{
    QFETCH(int, threads);
    Composition c = richComposition(60);
    c.encode.threads = threads;
    const QString a = path(QStringLiteral("same-a-%1.mp4").arg(threads));
    const QString b = path(QStringLiteral("same-b-%1.mp4").arg(threads));
    EXPORT_OK(c, a);
    EXPORT_OK(c, b);
    const QByteArray first = readAll(a);
    QVERIFY(first.size() > 1000);
    QVERIFY2(first == readAll(b), "two exports of the same composition differ");
}

void TestPipeline::cancelMidPipeline_data()
{
    QTest::addColumn<int>("cancelAt");
    QTest::newRow("first frame") << 1;
    QTest::newRow("while the video plays") << 37;
    QTest::newRow("last frame") << 60;
}

void TestPipeline::cancelMidPipeline()
{
    QFETCH(int, cancelAt);
    const QString folder = path(QStringLiteral("cancel-%1").arg(cancelAt));
    const QString out = QDir(folder).filePath(QStringLiteral("variant.mp4"));
    Composition first = baseComposition(320, 240, 10);
    first.layers.push_back(solid(QRectF(0, 0, 320, 240), kRed, 0, 10));
    EXPORT_OK(first, out);
    const QByteArray before = readAll(out);
    QVERIFY(!before.isEmpty());

    CancelFlag cancel{false};
    int64_t lastProgress = 0;
    bool inOrder = true;
    const auto progress = [&](int64_t done, int64_t total) {
        inOrder = inOrder && done == lastProgress + 1 && total == 60;
        lastProgress = done;
        if (done == cancelAt)
            cancel = true;
    };
    const ExportResult result = exportComposition(richComposition(60), out, progress, &cancel);
    QCOMPARE(result.error.kind, ErrorKind::Cancelled);
    QVERIFY(inOrder);
    QCOMPARE(lastProgress, int64_t(cancelAt));
    QCOMPARE(result.framesWritten, int64_t(cancelAt));
    QVERIFY(result.outputPath.isEmpty());
    QCOMPARE(readAll(out), before);
    QVERIFY(partialFiles(folder).isEmpty());
    QCOMPARE(QDir(folder).entryList(QDir::Files), QStringList{QStringLiteral("variant.mp4")});
}

void TestPipeline::sourceErrorMidPipelinePropagates()
{
    // The clip exists (so the up-front checks pass) but cannot be decoded: the error surfaces
    // at frame 30, when the layer first shows, while earlier frames are in the encoder.
    const QString broken = path(QStringLiteral("broken.mp4"));
    {
        QFile f(broken);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QByteArray(4096, 'x'));
    }
    const QString folder = path(QStringLiteral("broken-out"));
    const QString out = QDir(folder).filePath(QStringLiteral("variant.mp4"));
    Composition first = baseComposition(320, 240, 10);
    first.layers.push_back(solid(QRectF(0, 0, 320, 240), kRed, 0, 10));
    EXPORT_OK(first, out);
    const QByteArray before = readAll(out);

    Composition c = richComposition(60);
    Layer bad;
    bad.kind = LayerKind::Video;
    bad.sourcePath = broken;
    bad.rect = QRectF(0, 0, 160, 120);
    bad.startFrame = 30;
    bad.endFrame = 60;
    c.layers.push_back(bad);
    const ExportResult result = exportComposition(c, out);
    QCOMPARE(result.error.kind, ErrorKind::InvalidInput);
    QVERIFY2(result.error.message.contains(broken), qPrintable(result.error.message));
    QVERIFY(result.framesWritten <= 30);
    QVERIFY(result.outputPath.isEmpty());
    QCOMPARE(readAll(out), before);
    QVERIFY(partialFiles(folder).isEmpty());
}

void TestPipeline::eachSourceIsOpenedOnce()
{
    resetDebugCounters();
    QCOMPARE(debugCounters().totalDecoderOpens, 0);
    const Composition c = richComposition(60);
    EXPORT_OK(c, path(QStringLiteral("opens.mp4")));
    const DebugCounters counters = debugCounters();
    QCOMPARE(counters.decoderOpens.count(m_movie), size_t(1));
    QCOMPARE(counters.decoderOpens.at(m_movie), 1);
    QCOMPARE(counters.decoderOpens.at(m_wav), 1);
    QCOMPARE(counters.totalDecoderOpens, 2);
    resetDebugCounters();
    QVERIFY(debugCounters().decoderOpens.empty());
}

void TestPipeline::yuvConversionIsBt709Limited()
{
    // 2x2 blocks of one colour each: Y, U, V against the BT.709 studio-range formulas.
    const QColor colors[] = {Qt::black, Qt::white, QColor(255, 0, 0), QColor(0, 255, 0),
                             QColor(0, 0, 255), QColor(128, 128, 128)};
    const int expected[][3] = {{16, 128, 128}, {235, 128, 128}, {63, 102, 240},
                               {173, 42, 26}, {32, 240, 118}, {126, 128, 128}};
    QImage image(12, 2, QImage::Format_RGB32);
    for (int i = 0; i < 6; ++i) {
        for (int x = 0; x < 2; ++x)
            for (int y = 0; y < 2; ++y)
                image.setPixel(2 * i + x, y, colors[i].rgb());
    }
    uint8_t yPlane[2 * 16], uPlane[8], vPlane[8];
    rgb32ToYuv420p(image, yPlane, 16, uPlane, 8, vPlane, 8);
    for (int i = 0; i < 6; ++i) {
        QVERIFY2(std::abs(yPlane[2 * i] - expected[i][0]) <= 1, qPrintable(QString::number(yPlane[2 * i])));
        QCOMPARE(yPlane[2 * i], yPlane[16 + 2 * i + 1]);
        QVERIFY2(std::abs(uPlane[i] - expected[i][1]) <= 1, qPrintable(QString::number(uPlane[i])));
        QVERIFY2(std::abs(vPlane[i] - expected[i][2]) <= 1, qPrintable(QString::number(vPlane[i])));
    }
}

void TestPipeline::yuvPathsGiveTheSameBytes()
{
    // The AVX2 path takes 32 pixels (16 chroma samples) a step and leaves the rest of a row to
    // the plain loop: widths either side of those steps, random pixels (alpha too, which both
    // ignore) and the extremes of every channel, on padded strides.
    std::srand(7);
    for (const int width : {2, 30, 32, 34, 62, 64, 66, 96, 1080}) {
        const int height = 6;
        QImage image(width, height, QImage::Format_ARGB32_Premultiplied);
        for (int row = 0; row < height; ++row) {
            auto *line = reinterpret_cast<uint32_t *>(image.scanLine(row));
            for (int x = 0; x < width; ++x) {
                const uint32_t r = uint32_t(std::rand());
                line[x] = row == 4 ? (x % 3 == 0 ? 0xffffffffu : 0u) : (r << 8) ^ uint32_t(std::rand());
            }
        }
        const int yStride = width + 7, cStride = width / 2 + 5;
        const int chromaRows = height / 2;
        // The planes in one buffer pre-filled with `fill`, then only the pixels' bytes.
        const auto convert = [&](YuvPath path, uint8_t fill, std::vector<uint8_t> *whole) {
            whole->assign(size_t(yStride * height + 2 * cStride * chromaRows), fill);
            uint8_t *y = whole->data(), *u = y + yStride * height, *v = u + cStride * chromaRows;
            rgb32ToYuv420p(image, y, yStride, u, cStride, v, cStride, path);
            std::vector<uint8_t> pixels;
            for (int row = 0; row < height; ++row)
                pixels.insert(pixels.end(), y + row * yStride, y + row * yStride + width);
            for (const uint8_t *plane : {u, v})
                for (int row = 0; row < chromaRows; ++row)
                    pixels.insert(pixels.end(), plane + row * cStride, plane + row * cStride + width / 2);
            return pixels;
        };
        std::vector<uint8_t> fast, plain, refill;
        const std::vector<uint8_t> fastPixels = convert(YuvPath::Fastest, 0xa5, &fast);
        QVERIFY2(fastPixels == convert(YuvPath::Portable, 0xa5, &plain),
                 qPrintable(QStringLiteral("width %1").arg(width)));
        // Same padding too: neither path writes past a row.
        QVERIFY(fast == plain);
        // Every pixel byte is written: another fill leaves them the same.
        QVERIFY(fastPixels == convert(YuvPath::Fastest, 0x5a, &refill));
    }
}

QTEST_MAIN(TestPipeline)
#include "tst_render_pipeline.moc"
