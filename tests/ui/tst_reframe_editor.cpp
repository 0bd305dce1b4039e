// SPDX-License-Identifier: GPL-3.0-or-later
// The Reframe section of the clip inspector, driven like a designer would: a real
// ClipInspector on a real Document, a picture with a known subject (a yellow disc in the
// upper right of a 1600x900 noise picture), mouse drags and clicks through QTest. Checks that
// a drag makes the crop Manual with the moved window and that the Preview renders that cell
// through it, one undo step per drag restoring the exact campaign, re-running the analysis
// keeping the designer's crop, "Back to automatic", adding, editing and deleting keys, and
// "Use smart reframe" on a plain clip.

#include "app/reframe_cache.h"
#include "editor/document.h"
#include "editor/project_io.h"
#include "editor/resolve.h"
#include "render/renderer.h"
#include "ui/clip_inspector.h"
#include "ui/crop_view.h"
#include "ui/preview_panel.h"
#include "ui/preview_view.h"
#include "ui/reframe_editor.h"

#include <QApplication>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QUndoStack>
#include <QWheelEvent>
#include <QtTest>

using namespace editor;

namespace {

const QSize kPicture(1600, 900);
const QPointF kDisc(1200, 300);
constexpr double kDiscRadius = 90;

bool writePicture(const QString &path)
{
    QImage image(kPicture, QImage::Format_RGB32);
    QRandomGenerator rng(11);
    for (int y = 0; y < image.height(); ++y) {
        auto *row = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < image.width(); ++x) {
            const int v = 70 + int(rng.bounded(50));
            row[x] = qRgb(v, v, v);
        }
    }
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(250, 230, 30));
    p.drawEllipse(kDisc, kDiscRadius, kDiscRadius);
    p.end();
    return image.save(path);
}

QByteArray projectJson()
{
    return R"({
  "schemaVersion": 1,
  "id": "6a1f2b3c-4d5e-4f60-8a7b-9c0d1e2f3a4b",
  "name": "Reframe Editor Test",
  "formats": ["9x16", "1x1"],
  "segments": [{"id": "all", "name": "All", "attributes": {"locale": "en_US"}, "variables": {}}],
  "assets": [{"id": "pic", "kind": "image", "path": "pic.png"},
             {"id": "mov", "kind": "video", "path": "mov.mp4"}],
  "timeline": {
    "fps": "10", "duration": "2",
    "tracks": [
      {"id": "v1", "kind": "video", "name": "Picture",
       "clips": [{"id": "hero", "source": "asset:pic", "start": "0", "duration": "2",
                  "fit": "smart"}]},
      {"id": "v3", "kind": "video", "name": "Movie",
       "clips": [{"id": "moving", "source": "asset:mov", "start": "0", "duration": "2",
                  "in": "1/2", "fit": "smart",
                  "layout": {"mode": "box", "box": {"x": 0.0, "y": 0.0, "w": 0.5, "h": 0.5}}}]},
      {"id": "v2", "kind": "image", "name": "Overlay",
       "clips": [{"id": "plain", "source": "asset:pic", "start": "0", "duration": "2",
                  "layout": {"mode": "box", "box": {"x": 0.0, "y": 0.0, "w": 0.3, "h": 0.3}}}]}
    ]
  }
}
)";
}

// A 3 s, 30 fps movie of a yellow disc crossing a dark frame left to right at constant speed.
constexpr int kMovieFrames = 90;
const QSize kMovieSize(640, 360);
double movieDiscX(double seconds)  // fraction of the width
{
    return (80.0 + 480.0 * std::clamp(seconds * 30.0, 0.0, kMovieFrames - 1.0)
                       / (kMovieFrames - 1))
        / kMovieSize.width();
}

QString writeMovie(const QString &path)
{
    render::VideoWriter writer;
    render::RenderError error;
    if (!writer.open(path, kMovieSize.width(), kMovieSize.height(), {30, 1},
                     render::EncodeSettings(), false, &error))
        return error.message;
    for (int i = 0; i < kMovieFrames; ++i) {
        QImage frame(kMovieSize, QImage::Format_RGB32);
        frame.fill(QColor(40, 40, 60));
        QPainter p(&frame);
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(250, 230, 30));
        p.drawEllipse(QPointF(movieDiscX(i / 30.0) * kMovieSize.width(), 180), 40, 40);
        p.end();
        if (!writer.writeFrame(frame, &error))
            return error.message;
    }
    return writer.finish(&error) ? QString() : error.message;
}

bool isYellow(QRgb c)
{
    return qRed(c) > 200 && qGreen(c) > 180 && qBlue(c) < 110;
}

// Mean x of the yellow pixels, as a fraction of the width; -1 when there are none.
double yellowCentreX(const QImage &image)
{
    double sum = 0;
    int count = 0;
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x)
            if (isYellow(image.pixel(x, y))) {
                sum += x;
                ++count;
            }
    return count ? sum / count / image.width() : -1.0;
}

}  // namespace

class TestReframeEditor : public QObject {
    Q_OBJECT
private slots:
    void init();
    void cleanup();
    void dragMakesManualAndThePreviewUsesIt();
    void reanalysisKeepsTheManualCrop();
    void backToAutomatic();
    void analyseAllFillsEveryCellAndKeepsManualCrops();
    void addEditAndDeleteKeys();
    void wheelAndNumericZoomKeepTheAspect();
    void videoFramesFollowTheSourceTime();
    void useSmartReframeOnAPlainClip();
    void grabSection();

private:
    const ReframeSpec *spec(const QString &formatId = QStringLiteral("9x16")) const;
    // Drags the crop window by `dx` widget pixels in `steps` moves.
    void dragWindow(double dx, double dy, int steps = 5);
    bool waitForFrame();

    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<Document> m_doc;
    std::unique_ptr<ui::ClipInspector> m_inspector;
    ui::ReframeEditor *m_editor = nullptr;
};

void TestReframeEditor::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(writePicture(m_dir->filePath(QStringLiteral("pic.png"))));
    const QString movieError = writeMovie(m_dir->filePath(QStringLiteral("mov.mp4")));
    QVERIFY2(movieError.isEmpty(), qPrintable(movieError));
    const QString project = m_dir->filePath(QStringLiteral("test.campaign"));
    QFile f(project);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(projectJson());
    f.close();
    const LoadResult loaded = loadCampaign(project);
    QVERIFY2(loaded.campaign, qPrintable(loaded.issues.empty() ? loaded.message
                                                               : loaded.issues[0].toString()));
    m_doc = std::make_unique<Document>();
    m_doc->reset(*loaded.campaign, project);
    m_inspector = std::make_unique<ui::ClipInspector>(m_doc.get());
    m_inspector->resize(440, 900);
    m_inspector->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_inspector.get()));
    m_editor = m_inspector->reframeEditor();
    QVERIFY(m_editor);
    m_editor->setCell(QStringLiteral("all"), QStringLiteral("9x16"));
    m_inspector->setClip(QStringLiteral("hero"));
    QVERIFY(m_editor->isVisible());
    QVERIFY(waitForFrame());
}

void TestReframeEditor::cleanup()
{
    m_inspector.reset();
    m_doc.reset();
    m_dir.reset();
}

bool TestReframeEditor::waitForFrame()
{
    return QTest::qWaitFor(
        [this] { return m_editor->cropView()->hasImage() && !m_editor->sourceSize().isEmpty(); },
        20000);
}

const ReframeSpec *TestReframeEditor::spec(const QString &formatId) const
{
    const Clip *clip = clipById(m_doc->campaign().timeline, QStringLiteral("hero"));
    return clip ? clip->reframeFor(QStringLiteral("pic"), formatId) : nullptr;
}

void TestReframeEditor::dragWindow(double dx, double dy, int steps)
{
    ui::CropView *view = m_editor->cropView();
    const QPoint from = view->windowRect().center().toPoint();
    QTest::mousePress(view, Qt::LeftButton, Qt::NoModifier, from);
    for (int i = 1; i <= steps; ++i)
        QTest::mouseMove(view, from + QPoint(int(std::lround(dx * i / steps)),
                                             int(std::lround(dy * i / steps))));
    QTest::mouseRelease(view, Qt::LeftButton, Qt::NoModifier,
                        from + QPoint(int(std::lround(dx)), int(std::lround(dy))));
}

void TestReframeEditor::dragMakesManualAndThePreviewUsesIt()
{
    QVERIFY(!spec());  // nothing analysed yet: the centred cover crop
    const Campaign before = m_doc->campaign();
    const int undoBefore = m_doc->undoStack()->count();
    ui::CropView *view = m_editor->cropView();
    const QRectF start = view->window();
    // 9:16 from 16:9: the full height, 900*9/16 px wide, centred.
    QCOMPARE(start.height(), 1.0);
    QVERIFY(std::abs(start.width() - 900.0 * 9 / 16 / 1600) < 1e-6);
    QVERIFY(std::abs(start.center().x() - 0.5) < 1e-6);

    // The preview of this cell, before: nothing is stored yet, but the preview shows the crop
    // export will compute (the subject analysis, from the project's cache): the disc (x = 0.75
    // of the source) in the middle, where the centred cover crop would cut it off.
    ui::PreviewPanel preview(m_doc.get());
    preview.setProxyDirectory(QString());
    preview.setMaxFrameSize(QSize(270, 480));
    preview.setCell(QStringLiteral("all"), QStringLiteral("9x16"));
    preview.resize(320, 600);
    preview.show();
    QTRY_VERIFY_WITH_TIMEOUT(!preview.view()->image().isNull(), 20000);
    const QImage automatic = preview.view()->image();
    const QPoint middle(automatic.width() / 2,
                        int(kDisc.y() / kPicture.height() * automatic.height()));
    QVERIFY2(isYellow(automatic.pixel(middle)), "the preview does not show the analysed crop");

    // Drag the window to the left edge of the source, away from the disc.
    const double wantedX = 0.0;
    const double dx = (wantedX - start.x()) * view->pictureRect().width();
    dragWindow(dx, 0, 6);

    const ReframeSpec *manual = spec();
    QVERIFY(manual);
    QCOMPARE(manual->mode, ReframeSpec::Mode::Manual);
    QCOMPARE(manual->keys.size(), std::size_t(1));
    const QRectF moved = manual->keys[0].window;
    QVERIFY2(std::abs(moved.x() - wantedX) < 2.0 / view->pictureRect().width(),
             qPrintable(QStringLiteral("x %1, wanted %2").arg(moved.x()).arg(wantedX)));
    QCOMPARE(moved.y(), start.y());
    QCOMPARE(moved.size(), start.size());
    QCOMPARE(view->window(), moved);
    QCOMPARE(m_doc->undoStack()->count(), undoBefore + 1);  // six moves, one undo step
    QVERIFY(checkConsistency(m_doc->campaign(), m_doc->projectDir()).isEmpty());

    // The composition the preview renders for this cell crops through the moved window...
    const ResolveResult resolved =
        resolveVariant(m_doc->campaign(), QStringLiteral("all"), QStringLiteral("9x16"));
    QVERIFY(resolved.composition);
    QCOMPARE(resolved.composition->layers.front().sourceCrop.size(), std::size_t(1));
    QCOMPARE(resolved.composition->layers.front().sourceCrop[0].window, moved);
    // ...and the preview follows the manual crop (once the frames of the drag have come in):
    // the disc has left the middle of the frame.
    QTRY_VERIFY_WITH_TIMEOUT(!isYellow(preview.view()->image().pixel(middle)), 20000);

    // One undo: exactly the campaign before the drag, and the window back in the centre.
    m_doc->undoStack()->undo();
    QVERIFY(m_doc->campaign() == before);
    QVERIFY(!spec());
    QCOMPARE(view->window(), start);
    m_doc->undoStack()->redo();
    QVERIFY(*spec() == *manual);
}

void TestReframeEditor::reanalysisKeepsTheManualCrop()
{
    dragWindow(-30, 0);
    const ReframeSpec manual = *spec();
    QCOMPARE(manual.mode, ReframeSpec::Mode::Manual);
    // What export does before rendering: the analysis fills every smart clip's cells.
    Campaign analysed = m_doc->campaign();
    services::ReframeCache cache(m_dir->filePath(QStringLiteral("cache")));
    const services::ReframeReport report = services::fillAutoReframe(analysed, cache);
    QVERIFY2(report.errors.isEmpty(), qPrintable(report.errors.join(QLatin1Char('\n'))));
    QCOMPARE(report.manualKept, 1);
    QCOMPARE(report.autoTracks, 3);  // the picture's 1x1 cell, the movie's two
    const Clip *clip = clipById(analysed.timeline, QStringLiteral("hero"));
    QVERIFY(*clip->reframeFor(QStringLiteral("pic"), QStringLiteral("9x16")) == manual);
    QCOMPARE(clip->reframeFor(QStringLiteral("pic"), QStringLiteral("1x1"))->mode,
             ReframeSpec::Mode::Auto);
}

void TestReframeEditor::backToAutomatic()
{
    // Not analysed: the button offers the analysis itself.
    QCOMPARE(m_editor->automaticButton()->text(), QStringLiteral("Analyse subject"));
    dragWindow(-40, 0);
    QCOMPARE(spec()->mode, ReframeSpec::Mode::Manual);
    const Campaign manual = m_doc->campaign();
    QVERIFY(m_editor->automaticButton()->isEnabled());
    QCOMPARE(m_editor->automaticButton()->text(), QStringLiteral("Back to automatic"));

    // The expected keys: the service on a copy without the designer's track.
    Campaign expected = m_doc->campaign();
    expected.timeline.tracks[0].clips[0].reframe.clear();
    services::ReframeCache cache(m_dir->filePath(QStringLiteral("expected-cache")));
    services::fillAutoReframe(expected, cache, {{QStringLiteral("all"), QStringLiteral("9x16")}});
    const ReframeSpec *wanted =
        expected.timeline.tracks[0].clips[0].reframeFor(QStringLiteral("pic"),
                                                        QStringLiteral("9x16"));
    QVERIFY(wanted);
    QCOMPARE(wanted->mode, ReframeSpec::Mode::Auto);

    const int undoBefore = m_doc->undoStack()->count();
    QElapsedTimer clock;
    clock.start();
    QTest::mouseClick(m_editor->automaticButton(), Qt::LeftButton);
    const qint64 clickMs = clock.elapsed();
    // The analysis runs on a worker: the click returns at once, the crop is still the
    // designer's and the section says it is analysing.
    QCOMPARE(spec()->mode, ReframeSpec::Mode::Manual);
    QVERIFY(!m_editor->automaticButton()->isEnabled());
    QTRY_VERIFY_WITH_TIMEOUT(spec()->mode == ReframeSpec::Mode::Auto, 30000);
    qInfo("Back to automatic: click returned after %lld ms, analysis applied after %lld ms",
          clickMs, clock.elapsed());
    QVERIFY(*spec() == *wanted);
    // The analysis found the disc: it is inside the crop, clear of the 9:16 safe zones.
    const QRectF disc((kDisc.x() - kDiscRadius) / kPicture.width(),
                      (kDisc.y() - kDiscRadius) / kPicture.height(),
                      2 * kDiscRadius / kPicture.width(), 2 * kDiscRadius / kPicture.height());
    const FormatPreset *format = m_doc->campaign().format(QStringLiteral("9x16"));
    QVERIFY(render::safeArea(spec()->keys[0].window,
                             {format->safeTop, format->safeBottom, format->safeLeft,
                              format->safeRight})
                .contains(disc));
    QCOMPARE(m_doc->undoStack()->count(), undoBefore + 1);
    QTRY_VERIFY(!m_editor->isAnalysing());
    QVERIFY(!m_editor->automaticButton()->isEnabled());  // already automatic
    QCOMPARE(m_editor->cropView()->window(), spec()->keys[0].window);

    m_doc->undoStack()->undo();
    QVERIFY(m_doc->campaign() == manual);
}

void TestReframeEditor::analyseAllFillsEveryCellAndKeepsManualCrops()
{
    dragWindow(-40, 0);
    const ReframeSpec manual = *spec();
    const Campaign before = m_doc->campaign();
    const int undoBefore = m_doc->undoStack()->count();
    QTest::mouseClick(m_editor->analyseAllButton(), Qt::LeftButton);
    const auto trackOf = [this](const QString &clipId, const QString &assetId,
                                const QString &formatId) -> const ReframeSpec * {
        const Clip *clip = clipById(m_doc->campaign().timeline, clipId);
        return clip ? clip->reframeFor(assetId, formatId) : nullptr;
    };
    QTRY_VERIFY_WITH_TIMEOUT(trackOf(QStringLiteral("hero"), QStringLiteral("pic"),
                                     QStringLiteral("1x1")),
                             30000);
    QCOMPARE(m_doc->undoStack()->count(), undoBefore + 1);
    // Every smart clip in every cell: the picture's 1x1, the movie's 9x16 and 1x1.
    for (const auto &[clipId, assetId, formatId] :
         {std::tuple{"hero", "pic", "1x1"}, std::tuple{"moving", "mov", "9x16"},
          std::tuple{"moving", "mov", "1x1"}}) {
        const ReframeSpec *track = trackOf(QLatin1String(clipId), QLatin1String(assetId),
                                           QLatin1String(formatId));
        QVERIFY2(track && track->mode == ReframeSpec::Mode::Auto, formatId);
    }
    QVERIFY(*spec() == manual);  // the designer's crop stays
    // Not a smart clip: nothing written.
    QVERIFY(clipById(m_doc->campaign().timeline, QStringLiteral("plain"))->reframe.empty());
    QTRY_VERIFY(!m_editor->isAnalysing());
    QVERIFY(m_editor->statusLabel()->text().contains(QStringLiteral("3 automatic")));
    m_doc->undoStack()->undo();
    QVERIFY(m_doc->campaign() == before);
}

void TestReframeEditor::addEditAndDeleteKeys()
{
    const Rational fps = m_doc->campaign().timeline.fps;  // 10
    // At 1 s: a key there, with the window shown there (the single centred one).
    m_inspector->setPlayhead(Rational(1).toFrames(fps));
    const QRectF first = m_editor->cropView()->window();
    QVERIFY(m_editor->addKeyButton()->isEnabled());
    QTest::mouseClick(m_editor->addKeyButton(), Qt::LeftButton);
    QVERIFY(spec());
    QCOMPARE(spec()->mode, ReframeSpec::Mode::Manual);
    QCOMPARE(spec()->keys.size(), std::size_t(2));
    QCOMPARE(spec()->keys[0].time, Rational(0));
    QCOMPARE(spec()->keys[1].time, Rational(1));
    QCOMPARE(spec()->keys[1].window, first);
    QVERIFY(!m_editor->addKeyButton()->isEnabled());  // a key is already here
    QCOMPARE(m_editor->keyList()->topLevelItemCount(), 2);

    // A drag at 1 s changes only the key at 1 s.
    dragWindow(60, 0);
    QCOMPARE(spec()->keys[0].window, first);
    const QRectF second = spec()->keys[1].window;
    QVERIFY(second.x() > first.x() + 0.05);

    // At 0.5 s the window is half way; a key added there keeps it.
    m_inspector->setPlayhead(Rational(1, 2).toFrames(fps));
    const QRectF half = m_editor->cropView()->window();
    QVERIFY(std::abs(half.x() - (first.x() + second.x()) / 2) < 1e-9);
    QTest::mouseClick(m_editor->addKeyButton(), Qt::LeftButton);
    QCOMPARE(spec()->keys.size(), std::size_t(3));
    QCOMPARE(spec()->keys[1].time, Rational(1, 2));
    QVERIFY(std::abs(spec()->keys[1].window.x() - half.x()) < 1e-12);

    // Typing an X at 0.5 s edits that key only.
    m_editor->xEditor()->setValue(0.1);
    QCOMPARE(spec()->keys[1].window.x(), 0.1);
    QCOMPARE(spec()->keys[0].window, first);
    QCOMPARE(spec()->keys[2].window, second);
    const Campaign threeKeys = m_doc->campaign();

    // Delete the middle key from the list.
    QCOMPARE(m_editor->keyList()->topLevelItemCount(), 3);
    m_editor->keyList()->setCurrentItem(m_editor->keyList()->topLevelItem(1));
    QVERIFY(m_editor->deleteKeyButton()->isEnabled());
    QTest::mouseClick(m_editor->deleteKeyButton(), Qt::LeftButton);
    QCOMPARE(spec()->keys.size(), std::size_t(2));
    QCOMPARE(spec()->keys[0].time, Rational(0));
    QCOMPARE(spec()->keys[1].time, Rational(1));
    // The last key cannot go: a track has at least one.
    m_editor->keyList()->setCurrentItem(m_editor->keyList()->topLevelItem(0));
    QTest::mouseClick(m_editor->deleteKeyButton(), Qt::LeftButton);
    QCOMPARE(spec()->keys.size(), std::size_t(1));
    m_editor->keyList()->setCurrentItem(m_editor->keyList()->topLevelItem(0));
    QVERIFY(!m_editor->deleteKeyButton()->isEnabled());

    m_doc->undoStack()->undo();
    m_doc->undoStack()->undo();
    QVERIFY(m_doc->campaign() == threeKeys);
    QVERIFY(checkConsistency(m_doc->campaign(), m_doc->projectDir()).isEmpty());
}

void TestReframeEditor::wheelAndNumericZoomKeepTheAspect()
{
    ui::CropView *view = m_editor->cropView();
    const QRectF start = view->window();
    const double aspect = start.height() / start.width();
    const QPointF centre = view->windowRect().center();
    QWheelEvent wheel(centre, view->mapToGlobal(centre), QPoint(), QPoint(0, 240), Qt::NoButton,
                      Qt::NoModifier, Qt::NoScrollPhase, false);
    QApplication::sendEvent(view, &wheel);
    QVERIFY(spec());
    const QRectF zoomed = spec()->keys[0].window;
    QVERIFY(zoomed.width() < start.width() * 0.9);
    QVERIFY(std::abs(zoomed.height() / zoomed.width() - aspect) < 1e-9);
    QVERIFY(std::abs(zoomed.center().x() - start.center().x()) < 1e-9);

    m_editor->widthEditor()->setValue(0.2);
    const QRectF typed = spec()->keys[0].window;
    QCOMPARE(typed.width(), 0.2);
    QVERIFY(std::abs(typed.height() / typed.width() - aspect) < 1e-9);
    // The format's aspect in output pixels: 9:16.
    QVERIFY(std::abs(typed.width() * kPicture.width() / (typed.height() * kPicture.height())
                     - 9.0 / 16.0) < 1e-9);
    // Wider than the source allows at 9:16: the field stops at the full-height window.
    m_editor->widthEditor()->setValue(1.0);
    const QRectF widest = spec()->keys[0].window;
    QVERIFY(widest.height() <= 1.0);
    QVERIFY(widest.height() > 0.99);
    QVERIFY(std::abs(widest.height() / widest.width() - aspect) < 1e-9);
}

// A video clip trimmed to start 0.5 s into its source: the frame shown is the source's at
// (in + playhead - clip start), and the analysed track follows the moving disc.
void TestReframeEditor::videoFramesFollowTheSourceTime()
{
    const Rational fps = m_doc->campaign().timeline.fps;  // 10
    m_inspector->setClip(QStringLiteral("moving"));
    m_inspector->setPlayhead(Rational(1).toFrames(fps));  // source 1.5 s
    QTRY_VERIFY_WITH_TIMEOUT(m_editor->sourceSize() == QSizeF(kMovieSize)
                                 && m_editor->cropView()->hasImage(), 20000);
    QTRY_VERIFY_WITH_TIMEOUT(std::abs(yellowCentreX(m_editor->cropView()->image())
                                      - movieDiscX(1.5)) < 0.02, 20000);
    m_inspector->setPlayhead(0);  // source 0.5 s
    QTRY_VERIFY_WITH_TIMEOUT(std::abs(yellowCentreX(m_editor->cropView()->image())
                                      - movieDiscX(0.5)) < 0.02, 20000);

    // The analysis: several keys following the disc; at the playhead the window holds it.
    QCOMPARE(m_editor->automaticButton()->text(), QStringLiteral("Analyse subject"));
    QTest::mouseClick(m_editor->automaticButton(), Qt::LeftButton);
    const auto track = [this] {
        const Clip *clip = clipById(m_doc->campaign().timeline, QStringLiteral("moving"));
        return clip->reframeFor(QStringLiteral("mov"), QStringLiteral("9x16"));
    };
    QTRY_VERIFY_WITH_TIMEOUT(track(), 30000);
    QCOMPARE(track()->mode, ReframeSpec::Mode::Auto);
    QVERIFY2(track()->keys.size() >= 3, qPrintable(QString::number(track()->keys.size())));
    QCOMPARE(m_editor->keyList()->topLevelItemCount(), int(track()->keys.size()));
    QVERIFY(track()->keys.back().window.x() > track()->keys.front().window.x() + 0.2);
    const QRectF shown = m_editor->cropView()->window();
    QVERIFY2(shown.left() < movieDiscX(0.5) && movieDiscX(0.5) < shown.right(),
             qPrintable(QStringLiteral("%1..%2").arg(shown.left()).arg(shown.right())));
    QTest::qWait(50);
    QVERIFY(m_editor->grab().toImage().save(
        QStringLiteral(CAMPAIGN_BINARY_DIR "/reframe_editor_video.png")));
}

void TestReframeEditor::useSmartReframeOnAPlainClip()
{
    m_inspector->setClip(QStringLiteral("plain"));
    QVERIFY(m_editor->isVisible());
    QVERIFY(m_editor->useSmartButton()->isVisible());
    QVERIFY(!m_editor->cropView()->isVisible());
    const Campaign before = m_doc->campaign();
    QTest::mouseClick(m_editor->useSmartButton(), Qt::LeftButton);
    QCOMPARE(clipById(m_doc->campaign().timeline, QStringLiteral("plain"))->fit,
             QStringLiteral("smart"));
    QVERIFY(!m_editor->useSmartButton()->isVisible());
    QVERIFY(m_editor->cropView()->isVisible());
    QCOMPARE(m_inspector->fitEditor()->currentData().toString(), QStringLiteral("smart"));
    m_doc->undoStack()->undo();
    QVERIFY(m_doc->campaign() == before);
    QVERIFY(m_editor->useSmartButton()->isVisible());
}

void TestReframeEditor::grabSection()
{
    m_inspector->setPlayhead(5);
    QTest::mouseClick(m_editor->addKeyButton(), Qt::LeftButton);
    dragWindow(80, 0);
    QTest::qWait(50);  // let the layouts settle (button texts changed with the mode)
    const QString out = QStringLiteral(CAMPAIGN_BINARY_DIR "/reframe_editor.png");
    const QImage image = m_inspector->grab().toImage();
    QVERIFY(image.save(out));
    qInfo("inspector with the Reframe section: %s", qPrintable(out));
}

QTEST_MAIN(TestReframeEditor)
#include "tst_reframe_editor.moc"
