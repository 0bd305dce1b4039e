// SPDX-License-Identifier: GPL-3.0-or-later
// Compositing: layer geometry, fits, Ken Burns, transforms, fades, text, video layers.
// Exact checks run on FrameRenderer output (lossless); a few frames go through a real encode
// and decodeVideoFrame to prove the file shows the same picture within codec tolerance.
#include "fixtures.h"
#include "render/compositor.h"
#include "render/renderer.h"
#include "render/video_source.h"

#include <QDir>
#include <QFile>
#include <QTemporaryDir>
#include <QTest>
#include <QtEndian>

#include <cmath>

using namespace render;
using namespace fixtures;

class TestCompositor : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void animatedValueInterpolates();
    void scaledCompositionScalesGeometry();
    void layersLieInTheirRects();
    void crossfadeAndOpacityKeyframes();
    void kenBurnsZooms();
    void transformKeyframesMoveAndScale();
    void svgIsRasterisedAtDrawnSize();
    void oversizedImageIsRefused();
    void videoLayerFollowsSource();
    void clipEnteredLateDecodesFromTheKeyframeBefore();
    void clipPartIsTheSamePixelsAsTheWholeFrame();
    void clipConvertedOnlyWhereItShowsDrawsTheSame();
    void coveredFramesDoNotShowWhatTheCanvasHeld();
    void textAlignsByDirection();
    void longTextShrinksAndStaysInside();

private:
    QString path(const QString &name) const { return m_dir.filePath(name); }

    QTemporaryDir m_dir;
    QString m_green, m_disc, m_movie, m_noiseMovie;
};

namespace {
// Colour noise over smooth ramps (every pixel and chroma sample differs from its neighbours),
// so a part cut one pixel or one chroma sample off shows.
QString writeNoiseMovie(const QString &dir, QSize size, int frames, QString *error)
{
    const QString path = QDir(dir).filePath(QStringLiteral("noise.mp4"));
    VideoWriter writer;
    RenderError err;
    EncodeSettings settings;
    settings.crf = 12;
    if (!writer.open(path, size.width(), size.height(), {30, 1}, settings, false, &err)) {
        *error = err.message;
        return {};
    }
    QImage frame(size, QImage::Format_RGB32);
    uint32_t state = 12345;
    for (int i = 0; i < frames; ++i) {
        for (int y = 0; y < size.height(); ++y) {
            auto *line = reinterpret_cast<QRgb *>(frame.scanLine(y));
            for (int x = 0; x < size.width(); ++x) {
                state = state * 1664525u + 1013904223u;
                const int n = int(state >> 26);  // 0..63
                line[x] = qRgb((x * 255 / size.width() + n + i) & 255,
                               (y * 255 / size.height() + 2 * n) & 255, (x + y + 3 * n) & 255);
            }
        }
        if (!writer.writeFrame(frame, &err)) {
            *error = err.message;
            return {};
        }
    }
    if (!writer.finish(&err)) {
        *error = err.message;
        return {};
    }
    return path;
}
}  // namespace

void TestCompositor::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString fontError;
    QVERIFY2(loadRenderFonts(&fontError), qPrintable(fontError));
    m_green = writeSolidPng(m_dir.path(), QStringLiteral("green.png"), {200, 200}, kGreen);
    // 2048² like a generated still: its drawn size is far smaller, exercising the prescale.
    m_disc = writeDiscPng(m_dir.path(), QStringLiteral("disc.png"), {2048, 2048}, 320);
    QString error;
    m_movie = writeMovingSquareMovie(m_dir.path(), QStringLiteral("square.mp4"), {320, 240}, 64,
                                     &error);
    QVERIFY2(!m_movie.isEmpty(), qPrintable(error));
    m_noiseMovie = writeNoiseMovie(m_dir.path(), {320, 180}, 12, &error);
    QVERIFY2(!m_noiseMovie.isEmpty(), qPrintable(error));
    QVERIFY(!m_green.isEmpty() && !m_disc.isEmpty());
}

void TestCompositor::animatedValueInterpolates()
{
    AnimatedValue constant{0.25, {}};
    QCOMPARE(constant.at(-5), 0.25);
    AnimatedValue v{0.0, {{10, 1.0}, {20, 3.0}, {30, 3.0}}};
    QCOMPARE(v.at(0), 1.0);    // held before the first key
    QCOMPARE(v.at(10), 1.0);
    QCOMPARE(v.at(15), 2.0);   // linear between keys
    QCOMPARE(v.at(25), 3.0);
    QCOMPARE(v.at(99), 3.0);   // held after the last key
}

void TestCompositor::scaledCompositionScalesGeometry()
{
    Composition c = baseComposition(1080, 1920, 10);
    Layer t = text(QStringLiteral("x"), QRectF(100, 200, 300, 400), TextAlign::Center, 0, 10);
    t.textStyle.padding = 20;
    t.offsetX = AnimatedValue{0.0, {{0, 100.0}, {5, 200.0}}};
    t.scale = AnimatedValue{1.5, {}};
    c.layers.push_back(t);
    const Composition s = scaledComposition(c, 0.25);
    QCOMPARE(s.width, 270);
    QCOMPARE(s.height, 480);
    QCOMPARE(s.layers[0].rect, QRectF(25, 50, 75, 100));
    QCOMPARE(s.layers[0].textStyle.pixelSize, 10.0);
    QCOMPARE(s.layers[0].textStyle.padding, 5.0);
    QCOMPARE(s.layers[0].offsetX.at(5), 50.0);
    QCOMPARE(s.layers[0].scale.at(0), 1.5);  // a factor, not a length
    QCOMPARE(s.frameCount, c.frameCount);
}

void TestCompositor::layersLieInTheirRects()
{
    Composition c = baseComposition(480, 360, 10);
    c.background = kGrey;
    c.layers.push_back(solid(QRectF(40, 40, 100, 60), kRed, 0, 10));
    c.layers.push_back(image(m_green, QRectF(300, 40, 120, 120), Fit::Contain, 0, 10));
    Layer box = text(QStringLiteral("HELLO"), QRectF(40, 220, 400, 100), TextAlign::Center, 0, 10);
    box.textStyle.pixelSize = 48;
    box.textStyle.boxColor = Qt::black;
    box.textStyle.boxOpacity = 0.75;
    box.textStyle.padding = 10;
    c.layers.push_back(box);

    FrameRenderer renderer(c);
    RenderError error;
    const QImage preview = renderer.renderFrame(5, &error);
    QVERIFY2(!preview.isNull(), qPrintable(error.message));
    QCOMPARE(preview.format(), QImage::Format_RGB32);
    dump(preview, QStringLiteral("layers-preview.png"));
    // Exact edges: first/last pixel inside the rect have the colour, the next one does not.
    QCOMPARE(QColor(preview.pixel(40, 40)), kRed);
    QCOMPARE(QColor(preview.pixel(139, 99)), kRed);
    QCOMPARE(QColor(preview.pixel(39, 40)), kGrey);
    QCOMPARE(QColor(preview.pixel(140, 99)), kGrey);
    QCOMPARE(QColor(preview.pixel(139, 100)), kGrey);
    QCOMPARE(QColor(preview.pixel(300, 40)), kGreen);
    QCOMPARE(QColor(preview.pixel(419, 159)), kGreen);
    QCOMPARE(QColor(preview.pixel(299, 100)), kGrey);
    QCOMPARE(QColor(preview.pixel(420, 100)), kGrey);
    QCOMPARE(QColor(preview.pixel(350, 160)), kGrey);
    // The box corner (no glyphs there) is the background darkened to 25 %.
    QVERIFY(colorDistance(preview.pixel(42, 222), QColor(32, 32, 32)) <= 1);
    QCOMPARE(QColor(preview.pixel(39, 222)), kGrey);

    const QString out = path(QStringLiteral("layers.mp4"));
    EXPORT_OK(c, out);
    const QImage frame = frameOf(out, 5);
    QVERIFY(!frame.isNull());
    dump(frame, QStringLiteral("layers-export.png"));
    if (qEnvironmentVariableIsSet("CAMPAIGN_RENDER_DUMP"))
        QFile::copy(out, QDir(qEnvironmentVariable("CAMPAIGN_RENDER_DUMP")).filePath(QStringLiteral("layers.mp4")));
    QVERIFY(colorDistance(meanColor(frame, QRect(44, 44, 92, 52)), kRed) <= kCodecTolerance);
    QVERIFY(colorDistance(meanColor(frame, QRect(304, 44, 112, 112)), kGreen) <= kCodecTolerance);
    // Strips 2..5 px outside each edge are still background.
    const QRect outside[] = {QRect(34, 50, 4, 40), QRect(142, 50, 4, 40), QRect(60, 34, 60, 4),
                             QRect(60, 102, 60, 4), QRect(294, 60, 4, 80), QRect(422, 60, 4, 80),
                             QRect(320, 162, 80, 4)};
    for (const QRect &r : outside)
        QVERIFY2(colorDistance(meanColor(frame, r), kGrey) <= kCodecTolerance,
                 qPrintable(QStringLiteral("%1,%2").arg(r.x()).arg(r.y())));
    // The text box darkens its rect, and its glyphs are bright.
    const QRect boxRect(40, 220, 400, 100);
    QVERIFY(luma(meanColor(frame, boxRect).rgb()) < 90);
    int bright = 0;
    for (int y = boxRect.top(); y <= boxRect.bottom(); ++y)
        for (int x = boxRect.left(); x <= boxRect.right(); ++x)
            bright += luma(frame.pixel(x, y)) > 200;
    QVERIFY2(bright > 300, qPrintable(QString::number(bright)));
    // FrameRenderer and the export draw the same picture.
    QVERIFY2(meanAbsDiff(frame, preview) < 3.0, qPrintable(QString::number(meanAbsDiff(frame, preview))));
}

void TestCompositor::crossfadeAndOpacityKeyframes()
{
    Composition c = baseComposition(160, 120, 30);
    c.layers.push_back(solid(QRectF(0, 0, 80, 120), kRed, 0, 30));
    Layer upper = solid(QRectF(0, 0, 80, 120), QColor(0, 0, 255), 10, 30);
    upper.fadeInFrames = 10;  // crossfade: 0 % at frame 10, 50 % at 15, 100 % at 20
    c.layers.push_back(upper);
    Layer keyed = solid(QRectF(80, 0, 80, 120), Qt::white, 0, 30);
    keyed.opacity = AnimatedValue{1.0, {{0, 0.0}, {20, 1.0}}};
    c.layers.push_back(keyed);

    FrameRenderer renderer(c);
    const QImage mid = renderer.renderFrame(15);
    QVERIFY(colorDistance(mid.pixel(40, 60), QColor(110, 15, 142)) <= 2);
    QVERIFY(colorDistance(mid.pixel(120, 60), QColor(191, 191, 191)) <= 2);

    const QString out = path(QStringLiteral("crossfade.mp4"));
    EXPORT_OK(c, out);
    const QRect left(10, 10, 60, 100), right(90, 10, 60, 100);
    QVERIFY(colorDistance(meanColor(frameOf(out, 5), left), kRed) <= kCodecTolerance);
    const QImage f15 = frameOf(out, 15);
    QVERIFY2(colorDistance(meanColor(f15, left), QColor(110, 15, 142)) <= kCodecTolerance,
             qPrintable(meanColor(f15, left).name()));
    QVERIFY(colorDistance(meanColor(frameOf(out, 25), left), QColor(0, 0, 255)) <= kCodecTolerance);
    QVERIFY(luma(meanColor(frameOf(out, 0), right).rgb()) < 20);
    QVERIFY(std::abs(luma(meanColor(f15, right).rgb()) - 191) <= 15);
    QVERIFY(luma(meanColor(frameOf(out, 25), right).rgb()) > 235);
}

void TestCompositor::kenBurnsZooms()
{
    // disc.png: 2048² with a disc of radius 320; cover into 320x240 -> radius 50 at scale 1.
    Composition c = baseComposition(320, 240, 30);
    Layer still = image(m_disc, QRectF(0, 0, 320, 240), Fit::Cover, 0, 30);
    still.kenBurns.enabled = true;
    still.kenBurns.startScale = 1.0;
    still.kenBurns.endScale = 1.6;
    c.layers.push_back(still);
    auto discWidth = [](const QImage &frame) {
        int dark = 0;
        for (int x = 0; x < frame.width(); ++x)
            dark += luma(frame.pixel(x, frame.height() / 2)) < 128;
        return dark;
    };
    const QString out = path(QStringLiteral("kenburns.mp4"));
    EXPORT_OK(c, out);
    const QImage first = frameOf(out, 0), last = frameOf(out, 29);
    dump(last, QStringLiteral("kenburns-last.png"));
    QVERIFY2(std::abs(discWidth(first) - 100) <= 4, qPrintable(QString::number(discWidth(first))));
    QVERIFY2(std::abs(discWidth(frameOf(out, 15)) - 131) <= 5,
             qPrintable(QString::number(discWidth(frameOf(out, 15)))));
    QVERIFY2(std::abs(discWidth(last) - 160) <= 5, qPrintable(QString::number(discWidth(last))));
    QVERIFY(meanAbsDiff(first, last) > 5.0);

    // Focus pans from the left edge to the right edge of the zoomed picture: at 1.5x the
    // 480 px wide fitted still shows its centre (the disc) at x = 240, then at x = 80.
    c.layers[0].kenBurns = {true, 1.5, 1.5, 0.0, 0.5, 1.0, 0.5};
    FrameRenderer renderer(c);
    auto discCentre = [](const QImage &frame) {
        double sum = 0;
        int n = 0;
        for (int x = 0; x < frame.width(); ++x)
            if (luma(frame.pixel(x, frame.height() / 2)) < 128) {
                sum += x;
                ++n;
            }
        return n ? sum / n : -1.0;
    };
    QVERIFY(std::abs(discCentre(renderer.renderFrame(0)) - 239.5) <= 1.0);
    QVERIFY(std::abs(discCentre(renderer.renderFrame(29)) - 79.5) <= 1.0);
}

void TestCompositor::transformKeyframesMoveAndScale()
{
    Composition c = baseComposition(320, 160, 11);
    Layer square = solid(QRectF(40, 40, 40, 40), kRed, 0, 11);
    square.scale = AnimatedValue{2.0, {}};  // around the rect centre (60, 60): 20..100
    square.offsetX = AnimatedValue{0.0, {{0, 0.0}, {10, 100.0}}};
    c.layers.push_back(square);
    FrameRenderer renderer(c);
    const QImage f0 = renderer.renderFrame(0);
    QCOMPARE(QColor(f0.pixel(20, 20)), kRed);
    QCOMPARE(QColor(f0.pixel(99, 99)), kRed);
    QCOMPARE(QColor(f0.pixel(19, 60)), QColor(Qt::black));
    QCOMPARE(QColor(f0.pixel(100, 60)), QColor(Qt::black));
    const QImage f5 = renderer.renderFrame(5);  // offset 50
    QCOMPARE(QColor(f5.pixel(70, 60)), kRed);
    QCOMPARE(QColor(f5.pixel(69, 60)), QColor(Qt::black));
    const QImage f10 = renderer.renderFrame(10);  // offset 100
    QCOMPARE(QColor(f10.pixel(199, 99)), kRed);
    QCOMPARE(QColor(f10.pixel(200, 99)), QColor(Qt::black));
    QCOMPARE(renderer.renderFrame(99), f10);  // clamped to the last frame
}

void TestCompositor::svgIsRasterisedAtDrawnSize()
{
    // A 10x10 SVG, left half red, right half blue, drawn 200x200: rasterised at that size the
    // edge is one pixel sharp; an upscaled 10 px bitmap would blur it over ~20 pixels.
    const QString svg = path(QStringLiteral("halves.svg"));
    QFile file(svg);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write("<svg xmlns='http://www.w3.org/2000/svg' width='10' height='10' viewBox='0 0 10 10'>"
               "<rect x='0' y='0' width='5' height='10' fill='#ff0000'/>"
               "<rect x='5' y='0' width='5' height='10' fill='#0000ff'/></svg>");
    file.close();
    Composition c = baseComposition(240, 240, 1);
    c.layers.push_back(image(svg, QRectF(20, 20, 200, 200), Fit::Contain, 0, 1));
    FrameRenderer renderer(c);
    RenderError error;
    const QImage frame = renderer.renderFrame(0, &error);
    QVERIFY2(!frame.isNull(), qPrintable(error.message));
    QVERIFY(colorDistance(frame.pixel(118, 120), QColor(255, 0, 0)) <= 8);
    QVERIFY(colorDistance(frame.pixel(121, 120), QColor(0, 0, 255)) <= 8);
    QCOMPARE(QColor(frame.pixel(19, 120)), QColor(Qt::black));
}

void TestCompositor::oversizedImageIsRefused()
{
    // A PNG whose header claims 20000x20000 and whose data is a stub: the header check must
    // refuse it before anything is decoded.
    auto crc32 = [](const QByteArray &data) {
        quint32 crc = 0xffffffffu;
        for (char ch : data) {
            crc ^= quint8(ch);
            for (int k = 0; k < 8; ++k)
                crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
        }
        return ~crc;
    };
    auto chunk = [&](const QByteArray &type, const QByteArray &data) {
        QByteArray out;
        char b[4];
        qToBigEndian(quint32(data.size()), b);
        out.append(b, 4);
        out.append(type + data);
        qToBigEndian(crc32(type + data), b);
        out.append(b, 4);
        return out;
    };
    QByteArray ihdr(13, '\0');
    qToBigEndian(quint32(20000), ihdr.data());
    qToBigEndian(quint32(20000), ihdr.data() + 4);
    ihdr[8] = 8;  // 8-bit
    ihdr[9] = 6;  // RGBA
    const QByteArray png = QByteArray("\x89PNG\r\n\x1a\n", 8) + chunk("IHDR", ihdr)
        + chunk("IDAT", QByteArray("\x78\x9c", 2)) + chunk("IEND", {});
    const QString huge = path(QStringLiteral("huge.png"));
    QFile file(huge);
    QVERIFY(file.open(QIODevice::WriteOnly));
    file.write(png);
    file.close();
    Composition c = baseComposition(160, 120, 1);
    c.layers.push_back(image(huge, QRectF(0, 0, 160, 120), Fit::Cover, 0, 1));
    RenderError error;
    FrameRenderer renderer(c);
    QVERIFY(renderer.renderFrame(0, &error).isNull());
    QCOMPARE(error.kind, ErrorKind::InvalidInput);
    QVERIFY2(error.message.contains(huge) && error.message.contains(QStringLiteral("20000")),
             qPrintable(error.message));
}

void TestCompositor::videoLayerFollowsSource()
{
    Composition c = baseComposition(320, 240, 90);
    c.layers.push_back(video(m_movie, QRectF(0, 0, 320, 240), 0, 90));
    const QString out = path(QStringLiteral("video.mp4"));
    EXPORT_OK(c, out);
    QVERIFY(std::abs(squareLeft(frameOf(out, 0)) - movieSquareLeft(0)) <= 2.0);
    QVERIFY(std::abs(squareLeft(frameOf(out, 30)) - movieSquareLeft(30)) <= 2.0);
    // The source has 64 frames: past its end the last one is held.
    QVERIFY(std::abs(squareLeft(frameOf(out, 80)) - movieSquareLeft(63)) <= 2.0);

    // In-point at 0.5 s, scrubbing forwards, backwards (seek) and forwards again.
    c.layers[0].sourceInNum = 1;
    c.layers[0].sourceInDen = 2;
    FrameRenderer renderer(c);
    const int expected[][2] = {{0, 15}, {10, 25}, {40, 55}, {2, 17}, {47, 62}, {89, 63}, {0, 15}};
    for (const auto &[frame, sourceFrame] : expected) {
        RenderError error;
        const QImage image = renderer.renderFrame(frame, &error);
        QVERIFY2(!image.isNull(), qPrintable(error.message));
        QCOMPARE(squareLeft(image), double(movieSquareLeft(sourceFrame)));
    }
}

void TestCompositor::clipPartIsTheSamePixelsAsTheWholeFrame()
{
    VideoSource whole, cut;
    RenderError error;
    QVERIFY2(whole.open(m_noiseMovie, 1, &error), qPrintable(error.message));
    QVERIFY2(cut.open(m_noiseMovie, 1, &error), qPrintable(error.message));
    const QSize size(320, 180);
    // Parts that need widening: left edge and width to steps of 32, top and height to whole
    // chroma rows; one reaching the right and bottom edges; one off the frame.
    const struct {
        QRect asked, expected;
    } cases[] = {
        {QRect(107, 3, 106, 171), QRect(96, 2, 128, 172)},
        {QRect(200, 91, 500, 500), QRect(192, 90, 128, 90)},
        {QRect(0, 0, 32, 2), QRect(0, 0, 32, 2)},
        {QRect(400, 300, 10, 10), QRect(0, 0, 320, 180)},
    };
    for (int frame : {0, 5, 11}) {
        const QImage full = whole.frameAt(frame, 30, size, &error);
        QVERIFY2(!full.isNull(), qPrintable(error.message));
        QCOMPARE(whole.convertedPart(), QRect(QPoint(0, 0), size));
        for (const auto &[asked, expected] : cases) {
            const QImage part = cut.frameAt(frame, 30, size, &error, asked);
            QVERIFY2(!part.isNull(), qPrintable(error.message));
            QCOMPARE(cut.convertedPart(), expected);
            QCOMPARE(part.size(), expected.size());
            QCOMPARE(part, full.copy(expected));
        }
        // Asked at another size than the coded one: no part, the whole frame scaled.
        QCOMPARE(cut.frameAt(frame, 30, QSize(160, 90), &error, QRect(10, 10, 50, 50)).size(),
                 QSize(160, 90));
        QCOMPARE(cut.convertedPart(), QRect(QPoint(0, 0), size));
    }
}

void TestCompositor::clipConvertedOnlyWhereItShowsDrawsTheSame()
{
    // A 16:9 clip cover-fitted into 9:16 (a third of it shows), into a rect hanging off the
    // canvas, contained with bars, and under a fade: each drawn the same with and without
    // converting only the part that shows.
    struct Case {
        QSize canvas;
        QRectF rect;
        Fit fit;
        bool fade;
    };
    const Case cases[] = {
        {{180, 320}, QRectF(0, 0, 180, 320), Fit::Cover, false},
        {{240, 240}, QRectF(-70, 30, 320, 180), Fit::Cover, false},
        {{200, 200}, QRectF(13, 9, 177, 180), Fit::Contain, true},
        {{200, 120}, QRectF(-3, -1, 330, 190), Fit::Stretch, false},
    };
    for (const Case &k : cases) {
        Composition c = baseComposition(k.canvas.width(), k.canvas.height(), 12);
        c.layers.push_back(video(m_noiseMovie, k.rect, 0, 12));
        c.layers.back().fit = k.fit;
        if (k.fade)
            c.layers.back().fadeInFrames = 12;
        Compositor partOnly(c), whole(c);
        whole.setConvertVisibleOnly(false);
        QImage a(k.canvas, QImage::Format_RGB32), b(k.canvas, QImage::Format_RGB32);
        for (int frame : {0, 4, 11}) {
            RenderError error;
            QVERIFY2(partOnly.render(frame, &a, &error), qPrintable(error.message));
            QVERIFY2(whole.render(frame, &b, &error), qPrintable(error.message));
            QCOMPARE(a, b);
        }
        // Not a blank canvas that would compare equal anyway.
        QVERIFY(meanColor(a, a.rect()) != QColor(Qt::black));
    }
}

void TestCompositor::clipEnteredLateDecodesFromTheKeyframeBefore()
{
    // The square movie has keyframes at 0 and 60 (one every two seconds). A source asked first
    // for frame 62 (a chunk starting inside a clip, a late in-point) starts at keyframe 60
    // instead of decoding the 60 frames before it, and shows the same frame.
    RenderError error;
    VideoSource late;
    QVERIFY2(late.open(m_movie, 1, &error), qPrintable(error.message));
    const QImage direct = late.frameAt(62, 30, QSize(), &error);
    QVERIFY2(!direct.isNull(), qPrintable(error.message));
    QCOMPARE(squareLeft(direct), double(movieSquareLeft(62)));
    QVERIFY2(late.framesDecoded() <= 6, qPrintable(QString::number(late.framesDecoded())));

    // Frame by frame from the start reaches the same pixels.
    VideoSource stepped;
    QVERIFY2(stepped.open(m_movie, 1, &error), qPrintable(error.message));
    QImage walked;
    for (int f = 0; f <= 62; ++f)
        walked = stepped.frameAt(f, 30, QSize(), &error).copy();
    QVERIFY2(!walked.isNull(), qPrintable(error.message));
    QCOMPARE(walked, direct);

    // Before the first keyframe's successor there is nothing to skip: decoded from the start.
    VideoSource early;
    QVERIFY2(early.open(m_movie, 1, &error), qPrintable(error.message));
    QCOMPARE(squareLeft(early.frameAt(40, 30, QSize(), &error)), double(movieSquareLeft(40)));
    QVERIFY(early.framesDecoded() >= 41);
}

void TestCompositor::coveredFramesDoNotShowWhatTheCanvasHeld()
{
    // A frame whose bottom layer covers the canvas opaquely is not filled with the background
    // first; every other frame is. Either way, nothing of what the canvas held before (here
    // magenta, as a reused canvas would hold the previous frame) may show.
    const QString alpha = writeSolidPng(m_dir.path(), QStringLiteral("half.png"), {64, 64},
                                        QColor(0, 0, 255, 128));
    Composition c = baseComposition(320, 240, 50);
    c.layers.push_back(video(m_movie, QRectF(0, 0, 320, 240), 0, 10));  // opaque clip, 0..9
    c.layers.push_back(image(m_disc, QRectF(0, 0, 320, 240), Fit::Cover, 10, 20));
    c.layers.back().kenBurns = {true, 1.0, 1.2, 0.5, 0.5, 0.4, 0.6};                 // covers
    c.layers.push_back(image(m_green, QRectF(0, 0, 160, 240), Fit::Stretch, 20, 30));  // half
    c.layers.push_back(image(alpha, QRectF(0, 0, 320, 240), Fit::Stretch, 30, 40));    // alpha
    c.layers.push_back(image(m_disc, QRectF(0, 0, 320, 240), Fit::Cover, 40, 50));
    c.layers.back().opacity = AnimatedValue{0.5, {}};                                  // faded
    Compositor compositor(c);
    QImage canvas(320, 240, QImage::Format_RGB32);
    for (int64_t f = 0; f < 50; ++f) {
        canvas.fill(QColor(255, 0, 255));
        RenderError error;
        QVERIFY2(compositor.render(f, &canvas, &error), qPrintable(error.message));
        const QImage fresh = FrameRenderer(c).renderFrame(f, &error);
        QVERIFY2(!fresh.isNull(), qPrintable(error.message));
        QVERIFY2(canvas == fresh, qPrintable(QStringLiteral("frame %1").arg(f)));
        bool magenta = false;
        for (int y = 0; y < canvas.height() && !magenta; ++y)
            for (int x = 0; x < canvas.width() && !magenta; ++x)
                magenta = canvas.pixel(x, y) == qRgb(255, 0, 255);
        QVERIFY2(!magenta, qPrintable(QStringLiteral("frame %1").arg(f)));
    }
}

void TestCompositor::textAlignsByDirection()
{
    Composition c = baseComposition(480, 300, 1);
    const QRectF latinRect(20, 20, 440, 80), arabicRect(20, 110, 440, 80), trailingRect(20, 200, 440, 80);
    c.layers.push_back(text(QStringLiteral("Hello world"), latinRect, TextAlign::Leading, 0, 1));
    Layer arabic = text(QStringLiteral("مرحبا بالعالم"), arabicRect, TextAlign::Leading, 0, 1);
    arabic.textStyle.boxOpacity = 0.5;
    arabic.textStyle.boxColor = QColor(0, 0, 160);
    c.layers.push_back(arabic);
    c.layers.push_back(text(QStringLiteral("مرحبا بالعالم"), trailingRect, TextAlign::Trailing, 0, 1));
    FrameRenderer renderer(c);
    RenderError error;
    const QImage frame = renderer.renderFrame(0, &error);
    QVERIFY2(!frame.isNull(), qPrintable(error.message));
    dump(frame, QStringLiteral("rtl.png"));
    const double latinX = brightCentroidX(frame, latinRect.toRect(), 128);
    const double arabicX = brightCentroidX(frame, arabicRect.toRect(), 128);
    const double trailingX = brightCentroidX(frame, trailingRect.toRect(), 128);
    QVERIFY2(latinX > 20 && latinX < 160, qPrintable(QString::number(latinX)));
    QVERIFY2(arabicX > 320, qPrintable(QString::number(arabicX)));
    QVERIFY2(trailingX > 20 && trailingX < 160, qPrintable(QString::number(trailingX)));
}

void TestCompositor::longTextShrinksAndStaysInside()
{
    Composition c = baseComposition(320, 200, 1);
    const QRectF rect(40, 50, 240, 100);
    Layer t = text(QStringLiteral("A headline that is far too long to fit this box at its size"),
                   rect, TextAlign::Center, 0, 1);
    t.textStyle.pixelSize = 40;
    c.layers.push_back(t);
    FrameRenderer renderer(c);
    const QImage frame = renderer.renderFrame(0);
    QVERIFY(!frame.isNull());
    dump(frame, QStringLiteral("shrink.png"));
    int inside = 0, outsideInk = 0;
    for (int y = 0; y < frame.height(); ++y) {
        for (int x = 0; x < frame.width(); ++x) {
            const bool ink = luma(frame.pixel(x, y)) > 100;
            if (rect.contains(QPointF(x + 0.5, y + 0.5)))
                inside += ink;
            else
                outsideInk += ink;
        }
    }
    QVERIFY(inside > 200);
    QCOMPARE(outsideInk, 0);
}

QTEST_MAIN(TestCompositor)
#include "tst_render.moc"
