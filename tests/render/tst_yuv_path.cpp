// SPDX-License-Identifier: GPL-3.0-or-later
// The export's YUV path (Compositor::renderYuv, yuv_image.h): frames drawn straight into
// yuv420p against the same frames drawn in RGB and converted, the frames it must leave to the
// RGB path, and the overlay blend on its own.
#include "fixtures.h"
#include "render/compositor.h"
#include "render/yuv_image.h"

#include <QDir>
#include <QPainter>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace render;
using namespace fixtures;

namespace {
// Smooth colour gradients with a few hard edges: what bilinear sampling in either colour
// space reproduces closely, so a misplaced plane or a wrong weight stands out.
QString writeScenePng(const QString &dir, const QString &name, QSize size, bool alpha = false)
{
    QImage image(size, alpha ? QImage::Format_ARGB32 : QImage::Format_RGB32);
    for (int y = 0; y < size.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < size.width(); ++x)
            line[x] = qRgba(x * 255 / size.width(), y * 255 / size.height(),
                            128 + int(100 * std::sin(x * 0.02) * std::cos(y * 0.015)),
                            alpha ? (x < size.width() / 2 ? 255 : 0) : 255);
    }
    QPainter painter(&image);
    painter.setPen(Qt::NoPen);
    painter.setBrush(QColor(250, 240, 20));
    painter.drawRect(QRectF(size.width() * 0.3, size.height() * 0.3, size.width() * 0.2,
                            size.height() * 0.25));
    painter.end();
    const QString path = QDir(dir).filePath(name);
    return image.save(path, "PNG") ? path : QString();
}

// PSNR of one plane of two pictures of the same size, in dB.
double planePsnr(const YuvImage &a, const YuvImage &b, int plane)
{
    const QSize size = a.planeSize(plane);
    double sum = 0;
    for (int y = 0; y < size.height(); ++y) {
        const uint8_t *pa = a.plane(plane) + ptrdiff_t(y) * a.stride(plane);
        const uint8_t *pb = b.plane(plane) + ptrdiff_t(y) * b.stride(plane);
        for (int x = 0; x < size.width(); ++x)
            sum += double(pa[x] - pb[x]) * (pa[x] - pb[x]);
    }
    const double mse = sum / (double(size.width()) * size.height());
    return mse <= 0 ? 99.0 : 10.0 * std::log10(255.0 * 255.0 / mse);
}
}  // namespace

class TestYuvPath : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void framesMatchTheRgbPath();
    void framesItCannotDrawAreLeftToRgb();
    void overlayChangesOnlyTheCoveredPixels();

private:
    // The reference ad's shape at 360x640: a Ken Burns still, a clip cross-faded in and out,
    // a half-transparent box with a headline and a logo with transparency over everything.
    Composition ad() const;

    QTemporaryDir m_dir;
    QString m_scene, m_logo, m_clip;
};

void TestYuvPath::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString fontError;
    QVERIFY2(loadRenderFonts(&fontError), qPrintable(fontError));
    m_scene = writeScenePng(m_dir.path(), QStringLiteral("scene.png"), {900, 1000});
    m_logo = writeScenePng(m_dir.path(), QStringLiteral("logo.png"), {200, 200}, true);
    QString error;
    m_clip = writeMovingSquareMovie(m_dir.path(), QStringLiteral("clip.mp4"), {640, 360}, 40,
                                    &error);
    QVERIFY2(!m_clip.isEmpty(), qPrintable(error));
    QVERIFY(!m_scene.isEmpty() && !m_logo.isEmpty());
}

Composition TestYuvPath::ad() const
{
    Composition c = baseComposition(360, 640, 90);
    Layer still = image(m_scene, QRectF(0, 0, 360, 640), Fit::Cover, 0, 35);
    still.kenBurns = {true, 1.0, 1.15, 0.5, 0.5, 0.5, 0.5};
    c.layers.push_back(still);
    Layer clip = video(m_clip, QRectF(0, 0, 360, 640), 25, 60);
    clip.fit = Fit::Cover;
    clip.fadeInFrames = 10;
    c.layers.push_back(clip);
    Layer last = image(m_scene, QRectF(0, 0, 360, 640), Fit::Cover, 50, 90);
    last.fadeInFrames = 10;
    c.layers.push_back(last);
    Layer box = solid(QRectF(20, 480, 320, 80), QColor(0, 0, 0), 5, 80);
    box.opacity = AnimatedValue{0.55, {}};
    c.layers.push_back(box);
    c.layers.push_back(text(QStringLiteral("Spring förbi stan – 30 %"), QRectF(20, 480, 320, 80),
                            TextAlign::Center, 5, 80));
    c.layers.push_back(image(m_logo, QRectF(250, 20, 90, 90), Fit::Contain, 0, 90));
    return c;
}

void TestYuvPath::framesMatchTheRgbPath()
{
    const Composition c = ad();
    Compositor yuv(c), rgb(c);
    YuvImage drawn, expected;
    QImage canvas(c.width, c.height, QImage::Format_RGB32);
    // Still alone, with the box; Ken Burns; into the clip; clip alone; out of it; the end.
    for (const int frame : {0, 12, 30, 45, 55, 85}) {
        RenderError error;
        QCOMPARE(yuv.renderYuv(frame, &drawn, &error), Compositor::YuvDraw::Drawn);
        QVERIFY2(rgb.render(frame, &canvas, &error), qPrintable(error.message));
        QVERIFY(toYuv(canvas, &expected));
        const double y = planePsnr(drawn, expected, 0);
        const double u = planePsnr(drawn, expected, 1);
        const double v = planePsnr(drawn, expected, 2);
        qInfo("frame %d: PSNR Y %.1f U %.1f V %.1f dB", frame, y, u, v);
        // Measured 52-76 dB for Y and 47-58 for U and V (the scaling's rounding, chroma
        // subsampled before scaling, the 2x2 chroma blocks under the text's edges). A chroma
        // plane off by one pixel, or a cross-fade left out, fails this.
        QVERIFY2(y > 45 && u > 42 && v > 42, qPrintable(QStringLiteral("frame %1").arg(frame)));
    }
}

void TestYuvPath::framesItCannotDrawAreLeftToRgb()
{
    YuvImage target;
    RenderError error;
    const auto draws = [&](const Composition &c, int64_t frame) {
        Compositor compositor(c);
        return compositor.renderYuv(frame, &target, &error);
    };
    Composition c = ad();
    QCOMPARE(draws(c, 0), Compositor::YuvDraw::Drawn);
    // Fading in from the background: nothing opaque at the bottom.
    Composition fading = c;
    fading.layers[0].fadeInFrames = 10;
    QCOMPARE(draws(fading, 2), Compositor::YuvDraw::Unsupported);
    QCOMPARE(draws(fading, 12), Compositor::YuvDraw::Drawn);
    // A layer fading in over the picture would need its overlay drawn on every frame of the
    // fade; appearing at once is one new overlay.
    Composition fadingBox = c;
    fadingBox.layers[3].fadeInFrames = 10;
    QCOMPARE(draws(fadingBox, 5), Compositor::YuvDraw::Drawn);   // its first frame
    QCOMPARE(draws(fadingBox, 9), Compositor::YuvDraw::Unsupported);
    QCOMPARE(draws(fadingBox, 20), Compositor::YuvDraw::Drawn);
    // A clip shown over the picture, not as it: picture-in-picture.
    Composition pip = c;
    pip.layers[1].rect = QRectF(40, 40, 200, 120);
    QCOMPARE(draws(pip, 45), Compositor::YuvDraw::Unsupported);
    // A picture with transparency at the bottom.
    Composition see = c;
    see.layers[0].sourcePath = m_logo;
    QCOMPARE(draws(see, 0), Compositor::YuvDraw::Unsupported);
    // Scaled below half its size.
    Composition tiny = c;
    tiny.width = 200;
    tiny.height = 120;
    tiny.layers[0].rect = QRectF(0, 0, 200, 120);
    tiny.layers[0].kenBurns.enabled = false;
    QVERIFY(draws(tiny, 0) != Compositor::YuvDraw::Drawn);
    // An odd canvas has no yuv420p frame.
    Composition odd = c;
    odd.width = 361;
    QCOMPARE(draws(odd, 0), Compositor::YuvDraw::Unsupported);
    // A missing file is an error, not a reason to try the other path.
    Composition missing = c;
    missing.layers[0].sourcePath = m_dir.filePath(QStringLiteral("gone.png"));
    QCOMPARE(draws(missing, 0), Compositor::YuvDraw::Failed);
    QVERIFY(error.message.contains(QStringLiteral("gone.png")));
}

void TestYuvPath::overlayChangesOnlyTheCoveredPixels()
{
    YuvImage base;
    QVERIFY(base.allocate(64, 32));
    for (int p = 0; p < 3; ++p) {
        const QSize size = base.planeSize(p);
        for (int y = 0; y < size.height(); ++y)
            for (int x = 0; x < size.width(); ++x)
                base.plane(p)[y * base.stride(p) + x] = uint8_t(60 + x + 2 * y + 30 * p);
    }
    QImage layers(64, 32, QImage::Format_ARGB32_Premultiplied);
    layers.fill(Qt::transparent);
    QPainter painter(&layers);
    painter.fillRect(QRect(8, 4, 16, 8), QColor(255, 255, 255));           // opaque white
    painter.fillRect(QRect(40, 20, 16, 8), QColor(0, 0, 0, 128));          // half black
    painter.end();
    YuvOverlay overlay;
    overlay.build(layers);
    YuvImage out;
    QVERIFY(out.allocate(64, 32));
    out.copyFrom(base);
    overlay.blendOnto(&out);
    const auto at = [](const YuvImage &image, int plane, int x, int y) {
        return int(image.plane(plane)[y * image.stride(plane) + x]);
    };
    for (int y = 0; y < 32; ++y) {
        for (int x = 0; x < 64; ++x) {
            const bool white = QRect(8, 4, 16, 8).contains(x, y);
            const bool half = QRect(40, 20, 16, 8).contains(x, y);
            if (white)
                QCOMPARE(at(out, 0, x, y), 235);  // studio-range white
            else if (half)
                QVERIFY(std::abs(at(out, 0, x, y) - (at(base, 0, x, y) * 127 + 16 * 128) / 255) <= 1);
            else
                QCOMPARE(at(out, 0, x, y), at(base, 0, x, y));
        }
    }
    for (int p = 1; p < 3; ++p) {
        QCOMPARE(at(out, p, 6, 4), 128);                         // white: no colour
        QCOMPARE(at(out, p, 0, 0), at(base, p, 0, 0));           // uncovered
        QCOMPARE(at(out, p, 31, 15), at(base, p, 31, 15));
        QVERIFY(std::abs(at(out, p, 24, 12) - (at(base, p, 24, 12) * 127 + 128 * 128) / 255) <= 1);
    }
}

QTEST_MAIN(TestYuvPath)
#include "tst_yuv_path.moc"
