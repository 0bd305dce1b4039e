// SPDX-License-Identifier: GPL-3.0-or-later
// Smart reframe on synthetic media with a known subject: a bright disc on grey noise, placed
// off-centre in stills and moving (or standing) in a short encoded video, and a drawn frontal
// face the Debian Haar cascade detects, beside a disc that would win on saliency alone, and a
// disc under a baked-in title. The subject box must be found, every format's crop must contain
// it clear of the format's safe-zone bands,
// and the crop of a video must follow a moving subject smoothly and hold still for a still one.

#include "fixtures.h"

#include "render/layer_geometry.h"
#include "render/reframe.h"
#include "render/renderer.h"
#include "render/subject_analysis.h"
#include "render/video_source.h"

#include <QDir>
#include <QPainter>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTest>

#include <cmath>

using namespace render;

namespace {

struct Format {
    const char *id;
    QSizeF size;
    SafeZones safe;
};

// resources/formats.json, literally: the render tests do not link the editor.
const Format kFormats[] = {
    {"9x16", {1080, 1920}, {0.14, 0.20, 0.06, 0.12}},
    {"1x1", {1080, 1080}, {0.05, 0.05, 0.05, 0.05}},
    {"4x5", {1080, 1350}, {0.05, 0.08, 0.05, 0.05}},
    {"16x9", {1920, 1080}, {0.05, 0.12, 0.05, 0.05}},
};

// Grey noise, the same for a given seed: busy enough that a plain "brightest region" rule
// would not find the disc by luck, uniform enough that nothing in it is salient.
QImage noiseImage(QSize size, quint32 seed)
{
    QImage image(size, QImage::Format_RGB32);
    QRandomGenerator rng(seed);
    for (int y = 0; y < size.height(); ++y) {
        auto *row = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < size.width(); ++x) {
            const int v = 96 + int(rng.bounded(64));
            row[x] = qRgb(v, v, v);
        }
    }
    return image;
}

void drawDisc(QImage &image, QPointF centre, double radius)
{
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(250, 240, 40));
    p.drawEllipse(centre, radius, radius);
    p.setBrush(QColor(20, 20, 120));
    p.drawEllipse(centre, radius * 0.45, radius * 0.45);
}

// A frontal face drawn the way the Haar cascade sees one: a pale oval under dark hair, dark
// brows over shadowed eye sockets with bright eyes and dark irises, a lit nose bridge between
// them, a nostril shadow and a dark mouth. Drawn at a third of its size and scaled up smoothly,
// which softens the edges into shading (hard-edged cartoons are less face-like to the cascade).
// `width` is the width of the head in pixels; the returned rectangle is the head (hair to chin).
QRectF drawFace(QImage &image, QPointF centre, double width)
{
    const double k = 3.0;  // drawn this much smaller, then scaled up
    const double w = width / k, h = w * 1.3;
    const QSize tileSize(int(std::ceil(w * 1.5)), int(std::ceil(h * 1.5)));
    QImage tile(tileSize, QImage::Format_ARGB32_Premultiplied);
    tile.fill(Qt::transparent);
    const QPointF c(tileSize.width() / 2.0, tileSize.height() / 2.0);
    QPainter p(&tile);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    const auto oval = [&](double fx, double fy, double fw, double fh, int grey) {
        p.setBrush(QColor(grey, grey, grey));
        p.drawEllipse(QPointF(c.x() + fx * w, c.y() + fy * h), fw * w / 2, fh * h / 2);
    };
    oval(0, -0.08, 1.12, 1.15, 40);     // hair, the outline of the head
    oval(0, 0.04, 0.96, 1.0, 185);      // skin
    for (const double side : {-1.0, 1.0}) {
        oval(side * 0.22, -0.17, 0.30, 0.06, 60);   // brow
        oval(side * 0.21, -0.07, 0.30, 0.11, 110);  // eye socket shadow
        oval(side * 0.21, -0.07, 0.20, 0.06, 230);  // eye
        p.setBrush(QColor(25, 25, 25));
        p.drawEllipse(QPointF(c.x() + side * 0.21 * w, c.y() - 0.07 * h), 0.05 * w, 0.05 * w);
    }
    oval(0, 0.02, 0.10, 0.22, 205);     // nose bridge, lit
    oval(0, 0.14, 0.20, 0.05, 120);     // nostrils
    oval(0, 0.28, 0.36, 0.07, 80);      // mouth
    p.end();
    const QRectF target(centre.x() - tileSize.width() * k / 2,
                        centre.y() - tileSize.height() * k / 2,
                        tileSize.width() * k, tileSize.height() * k);
    QPainter onto(&image);
    onto.setRenderHint(QPainter::SmoothPixmapTransform);
    onto.drawImage(target, tile);
    onto.end();
    const double headW = 1.12 * width, headH = 1.15 * width * 1.3;
    return {centre.x() - headW / 2, centre.y() - 0.08 * width * 1.3 - headH / 2, headW,
            (0.04 * width * 1.3 + 0.5 * width * 1.3) - (-0.08 * width * 1.3 - headH / 2)};
}

QRectF discBox(QPointF centre, double radius)
{
    return {centre.x() - radius, centre.y() - radius, 2 * radius, 2 * radius};
}

QRectF toPixels(QRectF fraction, QSizeF size)
{
    return {fraction.x() * size.width(), fraction.y() * size.height(),
            fraction.width() * size.width(), fraction.height() * size.height()};
}

// `outer` contains `inner` give or take `slack` pixels.
bool containsWithin(QRectF outer, QRectF inner, double slack)
{
    return outer.adjusted(-slack, -slack, slack, slack).contains(inner);
}

QString describe(QRectF r)
{
    return QStringLiteral("(%1,%2 %3x%4)").arg(r.x()).arg(r.y()).arg(r.width()).arg(r.height());
}

// Window at time t, linear between keys, held outside them (as the renderer does).
QRectF windowAt(const std::vector<CropSample> &keys, double t)
{
    if (keys.empty())
        return {};
    if (t <= keys.front().time)
        return keys.front().window;
    for (size_t i = 1; i < keys.size(); ++i) {
        if (t <= keys[i].time) {
            const double k = (t - keys[i - 1].time) / (keys[i].time - keys[i - 1].time);
            const QRectF &a = keys[i - 1].window, &b = keys[i].window;
            return {a.x() + (b.x() - a.x()) * k, a.y() + (b.y() - a.y()) * k,
                    a.width() + (b.width() - a.width()) * k,
                    a.height() + (b.height() - a.height()) * k};
        }
    }
    return keys.back().window;
}

constexpr int kMovieFrames = 120;  // 4 s at 30 fps
constexpr double kMovieRadius = 28;
QPointF movieDisc(int frame, bool moving)
{
    // Left to right across most of a 640x360 frame, at constant speed.
    return moving ? QPointF(80.0 + 480.0 * frame / (kMovieFrames - 1), 170.0) : QPointF(470, 120);
}

QString writeDiscMovie(const QString &dir, const QString &name, bool moving, QString *error)
{
    const QSize size(640, 360);
    const QImage background = noiseImage(size, 7);
    const QString path = QDir(dir).filePath(name);
    VideoWriter writer;
    RenderError err;
    EncodeSettings settings;
    settings.crf = 18;
    if (!writer.open(path, size.width(), size.height(), {30, 1}, settings, false, &err)) {
        *error = err.message;
        return {};
    }
    for (int i = 0; i < kMovieFrames; ++i) {
        QImage frame = background;
        drawDisc(frame, movieDisc(i, moving), kMovieRadius);
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

class TestReframe : public QObject {
    Q_OBJECT
private slots:
    void cropWindowRules();
    void stillSubjectInEveryFormat_data();
    void stillSubjectInEveryFormat();
    void faceIsFramedInEveryFormat_data();
    void faceIsFramedInEveryFormat();
    void titleTextDoesNotPullTheCrop_data();
    void titleTextDoesNotPullTheCrop();
    void flatPictureHasNoSubject();
    void missingCascadeFallsBackToSaliency();
    void videoCropFollowsMovingSubject();
    void videoCropHoldsForStillSubject();
    void cropWindowCoversLayer();
    void renderedFrameShowsSubject();
};

void TestReframe::cropWindowRules()
{
    const QSizeF source(1920, 1080);
    const SafeZones vertical{0.14, 0.20, 0.06, 0.12};
    // No subject: the centred cover crop, full height, 9:16 wide.
    const QRectF centred = chooseCropWindow(source, {}, {1080, 1920}, vertical);
    QCOMPARE(centred.height(), 1080.0);
    QVERIFY(std::abs(centred.width() - 1080.0 * 9 / 16) < 1e-9);
    QVERIFY(std::abs(centred.center().x() - 960.0) < 1e-9);

    // A subject at the far left edge: the crop cannot leave the source.
    const QRectF atEdge = chooseCropWindow(source, {0, 400, 80, 80}, {1080, 1920}, vertical);
    QCOMPARE(atEdge.left(), 0.0);
    QVERIFY(atEdge.contains(QRectF(0, 400, 80, 80)));

    // A subject near the right: it lands inside the safe band even though the band is
    // narrower on the right (the action rail).
    const QRectF subject(1500, 500, 120, 120);
    const QRectF right = chooseCropWindow(source, subject, {1080, 1920}, vertical);
    QVERIFY2(safeArea(right, vertical).contains(subject), qPrintable(describe(right)));
    QVERIFY(right.right() <= 1920.0 + 1e-9);

    // Wider than the window: centred on the subject, which then overflows on both sides.
    const QRectF wide(600, 300, 900, 200);
    const QRectF overflow = chooseCropWindow(source, wide, {1080, 1920}, vertical);
    QVERIFY(std::abs(overflow.center().x() - wide.center().x()) < overflow.width() * 0.1);

    // Same aspect as the source: the whole source, whatever the subject.
    QCOMPARE(chooseCropWindow(source, subject, {1920, 1080}, {}), QRectF(0, 0, 1920, 1080));
}

void TestReframe::stillSubjectInEveryFormat_data()
{
    QTest::addColumn<QPointF>("centre");
    QTest::newRow("left third") << QPointF(420, 540);
    QTest::newRow("top right") << QPointF(1600, 250);
    QTest::newRow("bottom right") << QPointF(1450, 760);
    QTest::newRow("top left") << QPointF(260, 300);
}

void TestReframe::stillSubjectInEveryFormat()
{
    QFETCH(QPointF, centre);
    const double radius = 70;
    const QSize size(1920, 1080);
    QImage picture = noiseImage(size, 1234);
    drawDisc(picture, centre, radius);
    QTemporaryDir dir;
    const QString path = QDir(dir.path()).filePath(QStringLiteral("still.png"));
    QVERIFY(picture.save(path));

    SubjectAnalyzer analyzer;
    SubjectTrack track;
    RenderError error;
    QVERIFY2(analyseImageFile(path, analyzer, &track, &error), qPrintable(error.message));
    QCOMPARE(track.sourceSize, QSizeF(size));
    QCOMPARE(track.samples.size(), size_t(1));
    const QRectF truth = discBox(centre, radius);
    const QRectF found = toPixels(track.samples.front().box, track.sourceSize);
    // Found at the disc: containing it (to the saliency map's resolution) and not much more.
    QVERIFY2(containsWithin(found, truth, 16), qPrintable(describe(found)));
    QVERIFY2(found.width() * found.height() < 4.0 * truth.width() * truth.height(),
             qPrintable(describe(found)));

    for (const Format &f : kFormats) {
        const QRectF crop = chooseCropWindow(track.sourceSize, found, f.size, f.safe);
        const QString what = QStringLiteral("%1: crop %2").arg(QLatin1String(f.id), describe(crop));
        QVERIFY2(QRectF(QPointF(0, 0), track.sourceSize).contains(crop), qPrintable(what));
        QVERIFY2(std::abs(crop.width() / crop.height() - f.size.width() / f.size.height()) < 1e-6,
                 qPrintable(what));
        QVERIFY2(crop.contains(truth), qPrintable(what));
        QVERIFY2(safeArea(crop, f.safe).contains(truth), qPrintable(what));
    }
}

void TestReframe::faceIsFramedInEveryFormat_data()
{
    QTest::addColumn<QPointF>("centre");
    QTest::addColumn<double>("width");
    QTest::newRow("upper right, large") << QPointF(1450, 400) << 220.0;
    QTest::newRow("left third, medium") << QPointF(420, 480) << 150.0;
    QTest::newRow("lower right, small") << QPointF(1300, 700) << 110.0;
}

// A face beats a more salient object: the yellow disc, which saliency alone would pick, sits
// far from the face; the crop of every format must hold the whole head clear of the safe zones.
// (Placed so that is possible: reframing never zooms, so a 9:16 crop of a 16:9 picture is the
// full height and a head within the top 14 % of the picture cannot leave the top band.)
void TestReframe::faceIsFramedInEveryFormat()
{
    QFETCH(QPointF, centre);
    QFETCH(double, width);
    const QSize size(1920, 1080);
    QImage picture = noiseImage(size, 4321);
    const QPointF discCentre(centre.x() < 960 ? 1500 : 350, centre.y() < 540 ? 800 : 250);
    drawDisc(picture, discCentre, 90);
    const QRectF head = drawFace(picture, centre, width);
    QTemporaryDir dir;
    const QString path = QDir(dir.path()).filePath(QStringLiteral("face.png"));
    QVERIFY(picture.save(path));

    SubjectAnalyzer analyzer;
    QVERIFY2(analyzer.hasFaceDetector(), qPrintable(analyzer.note()));
    const SubjectEstimate estimate = analyzer.analyse(picture);
    QCOMPARE(estimate.faces, 1);
    const QRectF found = toPixels(estimate.box, QSizeF(size));
    // Without the cascade the disc pulls the subject box to itself: the face detector is what
    // makes the difference here, not a lucky saliency map.
    const QRectF saliencyOnly = toPixels(
        SubjectAnalyzer(QStringLiteral("/nonexistent/cascade.xml")).analyse(picture).box,
        QSizeF(size));
    QVERIFY2(saliencyOnly.intersects(discBox(discCentre, 90)), qPrintable(describe(saliencyOnly)));
    // The box frames the face (eyes to mouth at least) and not the disc.
    const QRectF features(centre.x() - 0.3 * width, centre.y() - 0.25 * width * 1.3,
                          0.6 * width, 0.6 * width * 1.3);
    QVERIFY2(found.contains(features), qPrintable(describe(found)));
    QVERIFY2(!found.intersects(discBox(discCentre, 90)), qPrintable(describe(found)));
    // Padded for hair and chin (faceBox), but about the head's size, not the picture's.
    QVERIFY2(found.width() < 2.0 * head.width() && found.height() < 2.0 * head.height(),
             qPrintable(describe(found)));

    // The same through the file path the reframe cache uses, then every format's crop.
    SubjectTrack track;
    RenderError error;
    QVERIFY2(analyseImageFile(path, analyzer, &track, &error), qPrintable(error.message));
    const QRectF fromFile = toPixels(track.samples.front().box, track.sourceSize);
    QVERIFY2(fromFile.contains(features), qPrintable(describe(fromFile)));
    for (const Format &f : kFormats) {
        const QRectF crop = chooseCropWindow(track.sourceSize, fromFile, f.size, f.safe);
        const QString what = QStringLiteral("%1: crop %2, head %3")
                                 .arg(QLatin1String(f.id), describe(crop), describe(head));
        QVERIFY2(QRectF(QPointF(0, 0), track.sourceSize).contains(crop), qPrintable(what));
        QVERIFY2(safeArea(crop, f.safe).contains(features), qPrintable(what));
        // The whole head, hair included, where the format leaves room for it.
        if (head.height() < safeArea(crop, f.safe).height())
            QVERIFY2(containsWithin(safeArea(crop, f.safe), head, 2.0), qPrintable(what));
    }
}

void TestReframe::titleTextDoesNotPullTheCrop_data()
{
    QTest::addColumn<QString>("title");
    QTest::addColumn<QPointF>("subject");
    QTest::newRow("one line, subject lower right")
        << QStringLiteral("SUMMER RUN") << QPointF(1450, 720);
    QTest::newRow("two lines, subject lower left")
        << QStringLiteral("TRAIL RUNNING\nSHOES") << QPointF(420, 720);
}

// Generated pictures often have their title baked in: big letters with a shadow, which the
// spectral residual finds at least as salient as the product. Such text lines are told apart
// by their stroke rhythm and weighed down, so the crop goes to the subject, not the words.
void TestReframe::titleTextDoesNotPullTheCrop()
{
    QFETCH(QString, title);
    QFETCH(QPointF, subject);
    QString fontError;
    QVERIFY2(loadRenderFonts(&fontError), qPrintable(fontError));
    const QSize size(1920, 1080);
    const double radius = 110;
    QFont font(QStringLiteral("Noto Sans"));
    font.setBold(true);
    font.setPixelSize(110);
    const QRect titleArea(240, 60, 1440, 300);
    const QRectF inked = QFontMetrics(font).boundingRect(titleArea, Qt::AlignHCenter | Qt::AlignTop,
                                                         title);
    // A soft backdrop like a generated picture's, a dark subject (less of a contrast than the
    // white letters) and the title across the top, white with a dark shadow.
    const auto makePicture = [&](bool withSubject) {
        QImage picture(size, QImage::Format_RGB32);
        QPainter p(&picture);
        QLinearGradient gradient(0, 0, size.width(), size.height());
        gradient.setColorAt(0, QColor(240, 150, 90));
        gradient.setColorAt(1, QColor(120, 90, 160));
        p.fillRect(picture.rect(), gradient);
        p.setRenderHint(QPainter::Antialiasing);
        p.setRenderHint(QPainter::TextAntialiasing);
        if (withSubject) {
            p.setPen(Qt::NoPen);
            p.setBrush(QColor(30, 30, 45));
            p.drawEllipse(subject, radius, radius);
        }
        p.setFont(font);
        p.setPen(QColor(20, 20, 20));
        p.drawText(titleArea.translated(6, 6), Qt::AlignHCenter | Qt::AlignTop, title);
        p.setPen(QColor(250, 250, 250));
        p.drawText(titleArea, Qt::AlignHCenter | Qt::AlignTop, title);
        return picture;
    };
    const QImage picture = makePicture(true);

    SubjectAnalyzer analyzer;
    const QRectF found = toPixels(analyzer.analyse(picture).box, QSizeF(size));
    const QRectF disc = discBox(subject, radius);
    QVERIFY2(containsWithin(found, disc, 16), qPrintable(describe(found)));
    // Not the title, nor the title and the subject together.
    QVERIFY2(found.intersected(inked).isEmpty()
                 || found.intersected(inked).width() * found.intersected(inked).height()
                     < 0.1 * inked.width() * inked.height(),
             qPrintable(describe(found) + QStringLiteral(" title ") + describe(inked)));
    for (const Format &f : kFormats) {
        const QRectF crop = chooseCropWindow(QSizeF(size), found, f.size, f.safe);
        QVERIFY2(safeArea(crop, f.safe).contains(disc),
                 qPrintable(QLatin1String(f.id) + QLatin1Char(' ') + describe(crop)));
    }
    // Words alone are still the subject of a picture that has nothing else.
    const QRectF wordsOnly = toPixels(analyzer.analyse(makePicture(false)).box, QSizeF(size));
    QVERIFY2(!wordsOnly.isEmpty() && wordsOnly.intersects(inked), qPrintable(describe(wordsOnly)));
}

void TestReframe::flatPictureHasNoSubject()
{
    QImage flat(800, 600, QImage::Format_RGB32);
    flat.fill(QColor(90, 120, 150));
    SubjectAnalyzer analyzer;
    QVERIFY(analyzer.analyse(flat).box.isEmpty());
    // Noise without anything in it: no subject either, so the crop stays centred.
    QVERIFY(analyzer.analyse(noiseImage({800, 600}, 5)).box.isEmpty());
}

void TestReframe::missingCascadeFallsBackToSaliency()
{
    SubjectAnalyzer analyzer(QStringLiteral("/nonexistent/cascade.xml"));
    QVERIFY(!analyzer.hasFaceDetector());
    QVERIFY(analyzer.note().contains(QStringLiteral("/nonexistent/cascade.xml")));
    QImage picture = noiseImage({960, 540}, 99);
    drawDisc(picture, {700, 200}, 40);
    const SubjectEstimate estimate = analyzer.analyse(picture);
    QVERIFY(containsWithin(toPixels(estimate.box, QSizeF(960, 540)), discBox({700, 200}, 40), 10));

    // The Debian cascade is installed on the build machine (opencv-data in setup.sh).
    QVERIFY2(SubjectAnalyzer().hasFaceDetector(), qPrintable(SubjectAnalyzer().note()));
}

void TestReframe::videoCropFollowsMovingSubject()
{
    QTemporaryDir dir;
    QString error;
    const QString path = writeDiscMovie(dir.path(), QStringLiteral("moving.mp4"), true, &error);
    QVERIFY2(!path.isEmpty(), qPrintable(error));
    SubjectAnalyzer analyzer;
    SubjectTrack track;
    RenderError err;
    QVERIFY2(analyseVideoFile(path, analyzer, 5.0, &track, &err), qPrintable(err.message));
    QCOMPARE(track.sourceSize, QSizeF(640, 360));
    QCOMPARE(track.samples.size(), size_t(20));  // 4 s at 5 per second

    const Format &vertical = kFormats[0];
    const std::vector<CropSample> keys =
        planCropTrack(track.sourceSize, track.samples, vertical.size, vertical.safe);
    QVERIFY(keys.size() >= 2);
    std::vector<double> xs;
    for (const SubjectSample &s : track.samples) {
        const int frame = std::min(kMovieFrames - 1, int(std::lround(s.time * 30)));
        const QRectF disc = discBox(movieDisc(frame, true), kMovieRadius);
        const QRectF window = toPixels(windowAt(keys, s.time), track.sourceSize);
        QVERIFY2(window.contains(disc), qPrintable(QStringLiteral("t=%1 window %2 disc %3")
                                                       .arg(s.time)
                                                       .arg(describe(window), describe(disc))));
        xs.push_back(window.x());
    }
    // It moved with the disc, left to right...
    QVERIFY(xs.back() - xs.front() > 300);
    // ...monotonically (no back-and-forth hunting)...
    for (size_t i = 1; i < xs.size(); ++i)
        QVERIFY2(xs[i] >= xs[i - 1] - 1e-9, qPrintable(QString::number(i)));
    // ...and smoothly: the crop's acceleration per sample stays below the disc's own step per
    // sample (24 px), i.e. no jumps beyond starting and stopping.
    const double step = 480.0 / (kMovieFrames - 1) * 30 / 5;
    for (size_t i = 1; i + 1 < xs.size(); ++i) {
        const double accel = std::abs(xs[i + 1] - 2 * xs[i] + xs[i - 1]);
        QVERIFY2(accel <= step * 1.05, qPrintable(QStringLiteral("sample %1: %2").arg(i).arg(accel)));
    }
}

void TestReframe::videoCropHoldsForStillSubject()
{
    QTemporaryDir dir;
    QString error;
    const QString path = writeDiscMovie(dir.path(), QStringLiteral("still.mp4"), false, &error);
    QVERIFY2(!path.isEmpty(), qPrintable(error));
    SubjectAnalyzer analyzer;
    SubjectTrack track;
    RenderError err;
    QVERIFY2(analyseVideoFile(path, analyzer, 5.0, &track, &err), qPrintable(err.message));
    for (const Format &f : kFormats) {
        const std::vector<CropSample> keys =
            planCropTrack(track.sourceSize, track.samples, f.size, f.safe);
        QVERIFY(!keys.empty());
        const QRectF disc = discBox(movieDisc(0, false), kMovieRadius);
        for (const CropSample &k : keys) {
            QCOMPARE(k.window, keys.front().window);  // not a pixel of drift
            QVERIFY(toPixels(k.window, track.sourceSize).contains(disc));
        }
        QVERIFY2(keys.size() <= 2, f.id);
    }
}

// placeSource maps the crop window exactly onto the layer rect, interpolates between keys and
// sizes the prescale for the tightest window; without keys nothing changes.
void TestReframe::cropWindowCoversLayer()
{
    Layer layer;
    layer.kind = LayerKind::Image;
    layer.rect = QRectF(0, 0, 1080, 1920);
    layer.startFrame = 0;
    layer.endFrame = 100;
    const QSizeF source(1920, 1080);
    const QRectF plain = placeSource(layer, source, 0);
    QVERIFY(std::abs(plain.center().x() - 540) < 1e-6);  // centred cover

    const double w = 1080.0 * 9 / 16 / 1920;  // 9:16 window width as a fraction
    layer.sourceCrop = {{0, QRectF(0.0, 0, w, 1)}, {50, QRectF(1.0 - w, 0, w, 1)}};
    for (const auto &[frame, x] : {std::pair{0, 0.0}, std::pair{25, (1.0 - w) / 2},
                                   std::pair{50, 1.0 - w}, std::pair{99, 1.0 - w}}) {
        const QRectF placed = placeSource(layer, source, frame);
        // The window's left and right edges land on the rect's.
        QVERIFY2(std::abs(placed.x() + x * placed.width()) < 1e-6, qPrintable(QString::number(frame)));
        QVERIFY(std::abs(placed.x() + (x + w) * placed.width() - 1080) < 1e-6);
        QVERIFY(std::abs(placed.height() - 1920) < 1e-6);
    }
    QVERIFY(std::abs(maxDrawSize(layer, source).height() - 1920) < 1e-6);
    layer.sourceCrop.push_back({80, QRectF(0.25, 0.25, w / 2, 0.5)});  // a 2x zoom-in
    QVERIFY(std::abs(maxDrawSize(layer, source).height() - 3840) < 1e-6);
}

// End to end through the compositor: the disc, off-centre at the top right of a 16:9 still,
// is on screen (yellow ring) in every format's frame with the chosen crop, and a plain
// centred cover crop of the vertical format misses it (so the check can fail).
void TestReframe::renderedFrameShowsSubject()
{
    QTemporaryDir dir;
    QImage picture = noiseImage({1920, 1080}, 4321);
    const QPointF centre(1600, 300);
    drawDisc(picture, centre, 70);
    const QString path = QDir(dir.path()).filePath(QStringLiteral("still.png"));
    QVERIFY(picture.save(path));
    SubjectAnalyzer analyzer;
    SubjectTrack track;
    RenderError error;
    QVERIFY(analyseImageFile(path, analyzer, &track, &error));
    auto yellowPixels = [](const QImage &img) {
        int n = 0;
        for (int y = 0; y < img.height(); y += 2)
            for (int x = 0; x < img.width(); x += 2) {
                const QRgb c = img.pixel(x, y);
                n += qRed(c) > 200 && qGreen(c) > 200 && qBlue(c) < 100;
            }
        return n;
    };
    for (const Format &f : kFormats) {
        const std::vector<CropSample> keys =
            planCropTrack(track.sourceSize, track.samples, f.size, f.safe);
        QCOMPARE(keys.size(), size_t(1));
        Composition comp = fixtures::baseComposition(int(f.size.width()), int(f.size.height()), 1);
        Layer layer = fixtures::image(path, QRectF(QPointF(0, 0), f.size), Fit::Cover, 0, 1);
        layer.sourceCrop = {{0, keys.front().window}};
        comp.layers = {layer};
        FrameRenderer smart(comp);
        const QImage frame = smart.renderFrame(0, &error);
        QVERIFY2(!frame.isNull(), qPrintable(error.message));
        fixtures::dump(frame, QStringLiteral("reframe-%1.png").arg(QLatin1String(f.id)));
        QVERIFY2(yellowPixels(frame) > 500, f.id);
        if (QLatin1String(f.id) == QLatin1String("9x16")) {
            comp.layers.front().sourceCrop.clear();
            FrameRenderer centred(comp);
            QCOMPARE(yellowPixels(centred.renderFrame(0, &error)), 0);
        }
    }
}

QTEST_MAIN(TestReframe)
#include "tst_reframe.moc"
