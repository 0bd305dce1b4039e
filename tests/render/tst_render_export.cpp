// SPDX-License-Identifier: GPL-3.0-or-later
// Export: real H.264/AAC files probed back (sizes, rates, exact durations, faststart),
// cancellation and failure paths (no partial files, earlier files untouched), audio mixing.
#include "fixtures.h"
#include "render/output_file.h"
#include "render/renderer.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>
#include <csignal>
#include <sys/resource.h>

using namespace render;
using namespace fixtures;

class TestExport : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void exportProbesBack_data();
    void exportProbesBack();
    void fifteenSecondsLastExactly();
    void cancelKeepsEarlierFile();
    void missingSourceIsReported();
    void uncreatableFolderIsReported();
    void writeFailureIsIoError();
    void audioIsPlacedAndFaded();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
    QString m_disc, m_movie, m_wav;
};

void TestExport::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString fontError;
    QVERIFY2(loadRenderFonts(&fontError), qPrintable(fontError));
    m_disc = writeDiscPng(m_dir.path(), QStringLiteral("disc.png"), {2048, 2048}, 320);
    m_wav = writeSineWav(m_dir.path(), QStringLiteral("sine.wav"), 3.0, 440.0, 0.5);
    QString error;
    m_movie = writeMovingSquareMovie(m_dir.path(), QStringLiteral("square.mp4"), {320, 240}, 64,
                                     &error);
    QVERIFY2(!m_movie.isEmpty(), qPrintable(error));
    QVERIFY(!m_disc.isEmpty() && !m_wav.isEmpty());

    // The generated movie itself is a VideoWriter product without audio.
    const MediaInfo info = probeMedia(m_movie);
    QVERIFY2(!info.error, qPrintable(info.error.message));
    QCOMPARE(info.videoCodec, QStringLiteral("h264"));
    QCOMPARE(info.videoFrames, 64);
    QVERIFY(info.audioCodec.isEmpty());
    QCOMPARE(squareLeft(frameOf(m_movie, 0)), double(movieSquareLeft(0)));
}

void TestExport::exportProbesBack_data()
{
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<int>("fpsNum");
    QTest::addColumn<int>("fpsDen");
    QTest::addColumn<int>("frames");
    QTest::newRow("320x240") << 320 << 240 << 30 << 1 << 30;
    QTest::newRow("4:5 1080x1350") << 1080 << 1350 << 30 << 1 << 12;
    QTest::newRow("ntsc 160x90") << 160 << 90 << 30000 << 1001 << 30;
}

void TestExport::exportProbesBack()
{
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(int, fpsNum);
    QFETCH(int, fpsDen);
    QFETCH(int, frames);
    Composition c = baseComposition(width, height, frames);
    c.fps = {fpsNum, fpsDen};
    c.layers.push_back(image(m_disc, QRectF(0, 0, width, height), Fit::Cover, 0, frames));
    c.layers.push_back(text(QStringLiteral("Probe"), QRectF(0, 0, width, height / 3.0),
                            TextAlign::Center, 0, frames));
    const QString out = path(QStringLiteral("probe-%1x%2.mp4").arg(width).arg(height));
    EXPORT_OK(c, out);
    const MediaInfo info = probeMedia(out);
    QVERIFY2(!info.error, qPrintable(info.error.message));
    QVERIFY(info.container.contains(QLatin1String("mp4")));
    QCOMPARE(info.videoCodec, QStringLiteral("h264"));
    QCOMPARE(info.audioCodec, QStringLiteral("aac"));
    QCOMPARE(info.pixelFormat, QStringLiteral("yuv420p"));
    QCOMPARE(info.width, width);
    QCOMPARE(info.height, height);
    QCOMPARE(info.fps, (FrameRate{fpsNum, fpsDen}));
    QCOMPARE(info.videoFrames, int64_t(frames));
    const double expected = double(frames) * fpsDen / fpsNum;
    const double oneFrame = double(fpsDen) / fpsNum;
    QVERIFY2(std::abs(info.videoDurationSec - expected) <= oneFrame,
             qPrintable(QString::number(info.videoDurationSec)));
    QVERIFY2(std::abs(info.durationSec - expected) <= oneFrame,
             qPrintable(QString::number(info.durationSec)));
    QCOMPARE(info.audioSampleRate, 48000);
    QCOMPARE(info.audioChannels, 2);
    QVERIFY(info.faststart);
    QVERIFY(partialFiles(m_dir.path()).isEmpty());
}

void TestExport::fifteenSecondsLastExactly()
{
    Composition c = baseComposition(128, 72, 450);
    c.layers.push_back(solid(QRectF(0, 0, 64, 72), kRed, 0, 450));
    AudioClip clip;
    clip.sourcePath = m_wav;  // 3 s: the rest of the 15 s is padded with silence
    clip.startFrame = 0;
    clip.endFrame = 450;
    c.audio.push_back(clip);
    const QString out = path(QStringLiteral("fifteen.mp4"));
    EXPORT_OK(c, out);
    const MediaInfo info = probeMedia(out);
    QVERIFY2(!info.error, qPrintable(info.error.message));
    QCOMPARE(info.videoFrames, 450);
    QVERIFY2(std::abs(info.durationSec - 15.0) <= 1.0 / 30, qPrintable(QString::number(info.durationSec, 'f', 4)));
    QVERIFY2(std::abs(info.videoDurationSec - 15.0) <= 1.0 / 30,
             qPrintable(QString::number(info.videoDurationSec, 'f', 4)));
    RenderError error;
    const std::vector<float> audio = decodeAudio(out, 20.0, &error);
    QVERIFY2(!error, qPrintable(error.message));
    const double audioSec = double(audio.size() / 2) / 48000.0;
    QVERIFY2(std::abs(audioSec - 15.0) <= 1.0 / 30, qPrintable(QString::number(audioSec, 'f', 4)));
    QVERIFY(!decodeAudio(out, 5.0, &error).size());  // refuses more than maxSeconds
    QCOMPARE(error.kind, ErrorKind::InvalidInput);
}

void TestExport::cancelKeepsEarlierFile()
{
    const QString folder = path(QStringLiteral("cancel"));
    const QString out = QDir(folder).filePath(QStringLiteral("variant.mp4"));
    Composition first = baseComposition(160, 120, 20);
    first.layers.push_back(solid(QRectF(0, 0, 160, 120), kRed, 0, 20));
    EXPORT_OK(first, out);  // also creates the missing folder
    QFile earlier(out);
    QVERIFY(earlier.open(QIODevice::ReadOnly));
    const QByteArray before = earlier.readAll();
    earlier.close();

    Composition second = baseComposition(160, 120, 60);
    second.layers.push_back(solid(QRectF(0, 0, 160, 120), Qt::blue, 0, 60));
    CancelFlag cancel{false};
    int64_t lastProgress = 0;
    const auto progress = [&](int64_t done, int64_t total) {
        QCOMPARE(total, int64_t(60));
        lastProgress = done;
        if (done == 10)
            cancel = true;
    };
    ExportResult result = exportComposition(second, out, progress, &cancel);
    QCOMPARE(result.error.kind, ErrorKind::Cancelled);
    QCOMPARE(result.framesWritten, int64_t(10));
    QCOMPARE(lastProgress, int64_t(10));
    QVERIFY(earlier.open(QIODevice::ReadOnly));
    QCOMPARE(earlier.readAll(), before);
    earlier.close();
    QVERIFY(partialFiles(folder).isEmpty());

    // Cancelled with nothing there before: nothing there after.
    const QString fresh = QDir(folder).filePath(QStringLiteral("fresh.mp4"));
    cancel = false;
    result = exportComposition(second, fresh, progress, &cancel);
    QCOMPARE(result.error.kind, ErrorKind::Cancelled);
    QVERIFY(!QFile::exists(fresh));
    QVERIFY(partialFiles(folder).isEmpty());
    QCOMPARE(QDir(folder).entryList(QDir::Files), QStringList{QStringLiteral("variant.mp4")});
}

void TestExport::missingSourceIsReported()
{
    const QString folder = path(QStringLiteral("missing"));
    const QString out = QDir(folder).filePath(QStringLiteral("out.mp4"));
    const QString gone = path(QStringLiteral("no-such-still.png"));
    Composition c = baseComposition(160, 120, 10);
    c.layers.push_back(image(gone, QRectF(0, 0, 160, 120), Fit::Cover, 0, 10));
    ExportResult result = exportComposition(c, out);
    QCOMPARE(result.error.kind, ErrorKind::MissingInput);
    QVERIFY2(result.error.message.contains(gone), qPrintable(result.error.message));
    QVERIFY(!QFile::exists(out));
    QVERIFY(partialFiles(folder).isEmpty());

    RenderError error;
    FrameRenderer renderer(c);
    QVERIFY(renderer.renderFrame(0, &error).isNull());
    QCOMPARE(error.kind, ErrorKind::MissingInput);

    c.layers[0].kind = LayerKind::Video;
    c.layers[0].sourcePath = path(QStringLiteral("no-such-clip.mp4"));
    result = exportComposition(c, out);
    QCOMPARE(result.error.kind, ErrorKind::MissingInput);
    QVERIFY(result.error.message.contains(QStringLiteral("no-such-clip.mp4")));

    c.layers.clear();
    AudioClip clip;
    clip.sourcePath = path(QStringLiteral("no-such-bed.wav"));
    clip.endFrame = 10;
    c.audio.push_back(clip);
    result = exportComposition(c, out);
    QCOMPARE(result.error.kind, ErrorKind::MissingInput);
    QVERIFY(result.error.message.contains(QStringLiteral("no-such-bed.wav")));

    // A folder is not a regular file.
    c.audio[0].sourcePath = m_dir.path();
    result = exportComposition(c, out);
    QCOMPARE(result.error.kind, ErrorKind::MissingInput);
    QVERIFY(!QFile::exists(out));

    QCOMPARE(probeMedia(gone).error.kind, ErrorKind::MissingInput);
    QVERIFY(decodeVideoFrame(gone, 0.0, &error).isNull());
    QCOMPARE(error.kind, ErrorKind::MissingInput);
}

void TestExport::uncreatableFolderIsReported()
{
    const QString blocker = path(QStringLiteral("blocker"));
    QFile file(blocker);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("not a folder");
    file.close();
    Composition c = baseComposition(160, 120, 5);
    const ExportResult result = exportComposition(c, blocker + QStringLiteral("/sub/out.mp4"));
    QCOMPARE(result.error.kind, ErrorKind::CannotCreate);
    QVERIFY2(result.error.message.contains(blocker), qPrintable(result.error.message));

    // Odd sizes cannot be H.264 4:2:0: a clear InvalidInput, not an encoder crash.
    c.width = 161;
    QCOMPARE(exportComposition(c, path(QStringLiteral("odd.mp4"))).error.kind, ErrorKind::InvalidInput);
    QVERIFY(!QFile::exists(path(QStringLiteral("odd.mp4"))));
}

void TestExport::writeFailureIsIoError()
{
    // A file size limit makes the encoder's writes fail part way, like a full disk would
    // (this export is about 7 KB).
    Composition c = baseComposition(320, 240, 60);
    Layer video;
    video.kind = LayerKind::Video;
    video.sourcePath = m_movie;
    video.rect = QRectF(0, 0, 320, 240);
    video.endFrame = 60;
    c.layers.push_back(video);
    const QString folder = path(QStringLiteral("full"));
    const QString out = QDir(folder).filePath(QStringLiteral("out.mp4"));
    const auto previousHandler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit previous{};
    getrlimit(RLIMIT_FSIZE, &previous);
    rlimit limited = previous;
    limited.rlim_cur = 4 * 1024;
    QVERIFY(setrlimit(RLIMIT_FSIZE, &limited) == 0);
    const ExportResult result = exportComposition(c, out);
    setrlimit(RLIMIT_FSIZE, &previous);
    std::signal(SIGXFSZ, previousHandler);
    QCOMPARE(result.error.kind, ErrorKind::IoError);
    QVERIFY2(result.error.message.contains(out), qPrintable(result.error.message));
    QVERIFY(!QFile::exists(out));
    QVERIFY(partialFiles(folder).isEmpty());

    // "No space left" also says how much space there is (internal helper, tested directly).
    const RenderError full = writeFailure(out, ENOSPC, {});
    QCOMPARE(full.kind, ErrorKind::IoError);
    QVERIFY2(full.message.contains(QStringLiteral("free on")), qPrintable(full.message));
}

void TestExport::audioIsPlacedAndFaded()
{
    Composition c = baseComposition(160, 120, 60);
    AudioClip clip;
    clip.sourcePath = m_wav;  // 0.5 amplitude sine: RMS 0.354
    clip.startFrame = 0;
    clip.endFrame = 60;
    clip.fadeOutFrames = 15;  // 1.5 s .. 2.0 s
    c.audio.push_back(clip);
    QString out = path(QStringLiteral("fade.mp4"));
    EXPORT_OK(c, out);
    RenderError error;
    std::vector<float> audio = decodeAudio(out, 10.0, &error);
    QVERIFY2(!error, qPrintable(error.message));
    QVERIFY(std::abs(double(audio.size() / 2) - 96000.0) <= 1600.0);
    QVERIFY2(rms(audio, 0.5, 1.0) > 0.3, qPrintable(QString::number(rms(audio, 0.5, 1.0))));
    QVERIFY2(std::abs(rms(audio, 1.70, 1.80) - 0.177) < 0.05, qPrintable(QString::number(rms(audio, 1.7, 1.8))));
    QVERIFY2(rms(audio, 1.98, 2.0) < 0.02, qPrintable(QString::number(rms(audio, 1.98, 2.0))));

    // Placed at frame 30 from 1 s into the source, gain 0.5: silence first, then the sound.
    c.audio[0] = clip;
    c.audio[0].startFrame = 30;
    c.audio[0].fadeOutFrames = 0;
    c.audio[0].sourceInNum = 1;
    c.audio[0].gain = 0.5;
    out = path(QStringLiteral("placed.mp4"));
    EXPORT_OK(c, out);
    audio = decodeAudio(out, 10.0, &error);
    QVERIFY2(!error, qPrintable(error.message));
    QVERIFY2(rms(audio, 0.0, 0.95) < 0.01, qPrintable(QString::number(rms(audio, 0.0, 0.95))));
    QVERIFY2(std::abs(rms(audio, 1.1, 1.9) - 0.177) < 0.03, qPrintable(QString::number(rms(audio, 1.1, 1.9))));
}

QTEST_MAIN(TestExport)
#include "tst_render_export.moc"
