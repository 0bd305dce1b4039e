// SPDX-License-Identifier: GPL-3.0-or-later
// The timeline editor driven like a user would: real TimelineView and ClipInspector widgets on
// a real Document holding the Stride sample, mouse drags and key presses through QTest. After
// every edit and every undo/redo the model must pass editor::checkConsistency, and undoing
// everything must give back the byte-identical project JSON.
#include "app/clip_strips.h"
#include "editor/document.h"
#include "editor/project_io.h"
#include "editor/timeline_edit.h"
#include "render/renderer.h"
#include "ui/clip_inspector.h"
#include "ui/studio_theme.h"
#include "ui/timeline_view.h"

#include <QAction>
#include <QDoubleSpinBox>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <cmath>
#include <memory>

using namespace editor;

namespace {
const QString kSample =
    QStringLiteral(CAMPAIGN_SOURCE_DIR "/resources/samples/stride/stride.campaign");

Rational seconds(int64_t n, int64_t d = 1)
{
    return Rational(n, d);
}
}  // namespace

class TestTimelineView : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<Document> m_doc;
    std::unique_ptr<ui::TimelineView> m_view;
    QString m_dir;
    QByteArray m_original;

    const Timeline &timeline() const { return m_doc->campaign().timeline; }
    const Clip &clip(const QString &id) const
    {
        const Clip *c = clipById(timeline(), id);
        if (!c) {
            // Record the failure and let the rest of the function fail on the empty clip.
            QTest::qFail(qPrintable(QStringLiteral("clip %1 is gone").arg(id)), __FILE__, __LINE__);
            static const Clip none;
            return none;
        }
        return *c;
    }
    QUndoStack *undo() const { return m_doc->undoStack(); }

    void verifyConsistent()
    {
        const QStringList problems = checkConsistency(m_doc->campaign(), m_dir);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }
    // How far the mouse moves for `secondsDelta` at the current zoom.
    int pixels(double secondsDelta) const
    {
        return int(std::lround(secondsDelta * m_view->pixelsPerSecond()));
    }
    // A press, several moves and a release, as a real drag delivers them.
    void drag(QPoint from, QPoint to)
    {
        QTest::mousePress(m_view.get(), Qt::LeftButton, Qt::NoModifier, from);
        for (int i = 1; i <= 6; ++i)
            QTest::mouseMove(m_view.get(), from + (to - from) * i / 6);
        QTest::mouseRelease(m_view.get(), Qt::LeftButton, Qt::NoModifier, to);
    }
    void clickClip(const QString &id, double atSeconds)
    {
        const QRect r = m_view->clipRect(id);
        const QPoint p(m_view->xForSeconds(atSeconds), r.center().y());
        QTest::mouseClick(m_view.get(), Qt::LeftButton, Qt::NoModifier, p);
        QCOMPARE(m_view->selectedClip(), id);
    }
    void setSnapping(bool on)
    {
        if (m_view->isSnapping() != on)
            QTest::keyClick(m_view.get(), Qt::Key_N);
        QCOMPARE(m_view->isSnapping(), on);
    }
    // |a - b| within one frame at 30 fps: the mouse lands on pixels, the clip on frames.
    static bool withinAFrame(const Rational &a, double b)
    {
        return std::abs(a.toDouble() - b) <= 1.0 / 30 + 1e-9;
    }

private slots:
    void initTestCase()
    {
        ui::applyStudioTheme();
        m_dir = QFileInfo(kSample).absolutePath();
    }

    void init()
    {
        LoadResult r = loadCampaign(kSample);
        QVERIFY2(r.status == LoadResult::Status::Ok, qPrintable(r.message));
        m_doc = std::make_unique<Document>();
        m_doc->reset(*r.campaign, kSample);
        m_original = serializeCampaign(m_doc->campaign(), m_dir);
        m_view = std::make_unique<ui::TimelineView>(m_doc.get());
        m_view->resize(1200, 360);
        m_view->show();
        m_view->activateWindow();
        QVERIFY(QTest::qWaitForWindowActive(m_view.get()));
        m_view->setFocus();
        QTRY_VERIFY(m_view->hasFocus());
        // Fitted: the 15 s timeline fills the lane.
        QVERIFY(m_view->xForSeconds(15.0) <= m_view->width());
        QVERIFY(m_view->xForSeconds(15.0) > m_view->width() - 60);
    }

    void cleanup()
    {
        m_view.reset();
        m_doc.reset();
    }

    void dragMovesClipAsOneUndoStep()
    {
        setSnapping(false);
        const QPoint from = m_view->clipRect(QStringLiteral("product")).center();
        drag(from, from - QPoint(pixels(2.0), 0));
        QVERIFY(withinAFrame(clip(QStringLiteral("product")).start, 8.5));
        QCOMPARE(clip(QStringLiteral("product")).duration, seconds(9, 2));
        QCOMPARE(undo()->count(), 1);  // six mouse moves, one step
        QCOMPARE(undo()->undoText(), QStringLiteral("Move clip"));
        verifyConsistent();
        // A second drag is a second step.
        const QPoint again = m_view->clipRect(QStringLiteral("product")).center();
        drag(again, again + QPoint(pixels(1.0), 0));
        QVERIFY(withinAFrame(clip(QStringLiteral("product")).start, 9.5));
        QCOMPARE(undo()->count(), 2);
        verifyConsistent();
        undo()->undo();
        QVERIFY(withinAFrame(clip(QStringLiteral("product")).start, 8.5));
        verifyConsistent();
        undo()->undo();
        QCOMPARE(serializeCampaign(m_doc->campaign(), m_dir), m_original);
    }

    void dragBackToStartIsNoEdit()
    {
        setSnapping(false);
        const QPoint from = m_view->clipRect(QStringLiteral("run")).center();
        QTest::mousePress(m_view.get(), Qt::LeftButton, Qt::NoModifier, from);
        QTest::mouseMove(m_view.get(), from + QPoint(pixels(1.0), 0));
        QVERIFY(withinAFrame(clip(QStringLiteral("run")).start, 6.0));
        QTest::mouseMove(m_view.get(), from);
        QTest::mouseRelease(m_view.get(), Qt::LeftButton, Qt::NoModifier, from);
        QCOMPARE(clip(QStringLiteral("run")).start, seconds(5));
        QVERIFY(!undo()->canUndo());
        QCOMPARE(serializeCampaign(m_doc->campaign(), m_dir), m_original);
    }

    void undoOrEscapeDuringADrag()
    {
        setSnapping(false);
        const QPoint from = m_view->clipRect(QStringLiteral("run")).center();
        // Escape puts the clip back and leaves no undo step.
        QTest::mousePress(m_view.get(), Qt::LeftButton, Qt::NoModifier, from);
        QTest::mouseMove(m_view.get(), from + QPoint(pixels(1.0), 0));
        QVERIFY(withinAFrame(clip(QStringLiteral("run")).start, 6.0));
        QTest::keyClick(m_view.get(), Qt::Key_Escape);
        QTest::mouseMove(m_view.get(), from + QPoint(pixels(2.0), 0));
        QTest::mouseRelease(m_view.get(), Qt::LeftButton, Qt::NoModifier, from + QPoint(pixels(2.0), 0));
        QCOMPARE(clip(QStringLiteral("run")).start, seconds(5));
        QVERIFY(!undo()->canUndo());
        QCOMPARE(serializeCampaign(m_doc->campaign(), m_dir), m_original);
        // Ctrl+Z in the middle of a drag undoes it and ends it: later mouse moves edit nothing.
        QTest::mousePress(m_view.get(), Qt::LeftButton, Qt::NoModifier, from);
        QTest::mouseMove(m_view.get(), from + QPoint(pixels(1.0), 0));
        QCOMPARE(undo()->count(), 1);
        QTest::keyClick(m_view.get(), Qt::Key_Z, Qt::ControlModifier);
        verifyConsistent();
        QTest::mouseMove(m_view.get(), from + QPoint(pixels(2.0), 0));
        QTest::mouseRelease(m_view.get(), Qt::LeftButton, Qt::NoModifier, from + QPoint(pixels(2.0), 0));
        QCOMPARE(clip(QStringLiteral("run")).start, seconds(5));
        QCOMPARE(undo()->index(), 0);
        QCOMPARE(serializeCampaign(m_doc->campaign(), m_dir), m_original);
    }

    void verticalDragChangesTrack()
    {
        // run: the "Pictures" video track -> the "Logo" image track (both visual).
        const QPoint from = m_view->clipRect(QStringLiteral("run")).center();
        const int logoY = m_view->trackRect(2).center().y();
        drag(from, QPoint(from.x(), logoY));
        QCOMPARE(findClip(timeline(), QStringLiteral("run")).track, 2);
        QCOMPARE(clip(QStringLiteral("run")).start, seconds(5));
        QCOMPARE(timeline().tracks[0].clips.size(), size_t(2));
        QCOMPARE(undo()->count(), 1);
        verifyConsistent();
        // A text clip dragged onto the audio track stays on its text track.
        const QPoint cta = m_view->clipRect(QStringLiteral("cta")).center();
        const int audioY = m_view->trackRect(3).center().y();
        drag(cta, QPoint(cta.x(), audioY));
        QCOMPARE(findClip(timeline(), QStringLiteral("cta")).track, 1);
        verifyConsistent();
        undo()->undo();
        QCOMPARE(findClip(timeline(), QStringLiteral("run")).track, 0);
        verifyConsistent();
        QCOMPARE(serializeCampaign(m_doc->campaign(), m_dir), m_original);
    }

    void trimBothEdges()
    {
        setSnapping(false);
        // Left edge of product (drawn over run's tail), one second to the right.
        QRect r = m_view->clipRect(QStringLiteral("product"));
        QPoint edge(r.left() + 2, r.center().y());
        drag(edge, edge + QPoint(pixels(1.0), 0));
        const Clip &product = clip(QStringLiteral("product"));
        QVERIFY(withinAFrame(product.start, 11.5));
        QCOMPARE(product.start + product.duration, seconds(15));  // the end stays
        QCOMPARE(product.in, product.start - seconds(21, 2));     // the source follows
        QCOMPARE(undo()->undoText(), QStringLiteral("Trim clip start"));
        verifyConsistent();
        // Right edge of cta, one second to the left.
        r = m_view->clipRect(QStringLiteral("cta"));
        edge = QPoint(r.right() - 2, r.center().y());
        drag(edge, edge - QPoint(pixels(1.0), 0));
        QCOMPARE(clip(QStringLiteral("cta")).start, seconds(11));
        QVERIFY(withinAFrame(clip(QStringLiteral("cta")).duration, 3.0));
        QCOMPARE(undo()->undoText(), QStringLiteral("Trim clip end"));
        QCOMPARE(undo()->count(), 2);
        verifyConsistent();
        // A trim can never make a clip empty: drag the start far past the end.
        r = m_view->clipRect(QStringLiteral("cta"));
        edge = QPoint(r.left() + 2, r.center().y());
        drag(edge, edge + QPoint(pixels(6.0), 0));
        QVERIFY(seconds(0) < clip(QStringLiteral("cta")).duration);
        verifyConsistent();
    }

    void snappingToClipEdgesAndToggleWithN()
    {
        // cta's end dragged to 0.1 s after headline's end (14 s): snaps onto it.
        QVERIFY(m_view->isSnapping());
        QRect r = m_view->clipRect(QStringLiteral("cta"));
        const QPoint edge(r.right() - 2, r.center().y());
        const QPoint target = edge - QPoint(pixels(0.9), 0);
        drag(edge, target);
        QCOMPARE(clipEnd(clip(QStringLiteral("cta"))), seconds(14));
        verifyConsistent();
        undo()->undo();
        // N turns snapping off: the same drag lands where the mouse is.
        QTest::keyClick(m_view.get(), Qt::Key_N);
        QVERIFY(!m_view->isSnapping());
        QVERIFY(!m_view->snapAction()->isChecked());
        drag(edge, target);
        QVERIFY(clipEnd(clip(QStringLiteral("cta"))) != seconds(14));
        QVERIFY(withinAFrame(clipEnd(clip(QStringLiteral("cta"))), 14.1));
        verifyConsistent();
        undo()->undo();
        // Snapping to the playhead: move run so its start lands near the playhead at 7 s.
        QTest::keyClick(m_view.get(), Qt::Key_N);
        QVERIFY(m_view->isSnapping());
        m_view->setPlayhead(7 * 30);
        const QPoint from = m_view->clipRect(QStringLiteral("run")).center();
        drag(from, from + QPoint(pixels(2.05), 0));
        QCOMPARE(clip(QStringLiteral("run")).start, seconds(7));
        verifyConsistent();
    }

    void splitAtPlayheadWithSAndCtrlK()
    {
        clickClip(QStringLiteral("run"), 8.0);
        m_view->setPlayhead(8 * 30);
        QTest::keyClick(m_view.get(), Qt::Key_S);
        QCOMPARE(clip(QStringLiteral("run")).duration, seconds(3));
        QCOMPARE(clip(QStringLiteral("run-2")).start, seconds(8));
        QCOMPARE(clip(QStringLiteral("run-2")).in, seconds(3));
        QCOMPARE(undo()->count(), 1);
        verifyConsistent();
        clickClip(QStringLiteral("run-2"), 9.0);
        m_view->setPlayhead(285);  // 9.5 s
        QTest::keyClick(m_view.get(), Qt::Key_K, Qt::ControlModifier);
        QCOMPARE(clip(QStringLiteral("run-3")).start, seconds(19, 2));
        QCOMPARE(timeline().tracks[0].clips.size(), size_t(5));
        verifyConsistent();
        // The playhead outside the selected clip: nothing to split.
        m_view->setPlayhead(2 * 30);
        QTest::keyClick(m_view.get(), Qt::Key_S);
        QCOMPARE(undo()->count(), 2);
    }

    void deleteAndRippleDelete()
    {
        clickClip(QStringLiteral("hero"), 2.0);
        QTest::keyClick(m_view.get(), Qt::Key_Delete, Qt::ShiftModifier);
        QVERIFY(!clipById(timeline(), QStringLiteral("hero")));
        QCOMPARE(clip(QStringLiteral("run")).start, seconds(0));
        QCOMPARE(clip(QStringLiteral("product")).start, seconds(11, 2));
        QCOMPARE(undo()->undoText(), QStringLiteral("Ripple delete"));
        QVERIFY(m_view->selectedClip().isEmpty());
        verifyConsistent();
        clickClip(QStringLiteral("cta"), 13.0);
        QTest::keyClick(m_view.get(), Qt::Key_Delete);
        QVERIFY(!clipById(timeline(), QStringLiteral("cta")));
        QCOMPARE(clip(QStringLiteral("headline")).start, seconds(1));  // no ripple
        verifyConsistent();
    }

    void undoEverythingThenRedoWithKeys()
    {
        setSnapping(false);
        const QPoint from = m_view->clipRect(QStringLiteral("product")).center();
        drag(from, from - QPoint(pixels(1.5), 0));
        verifyConsistent();
        QRect r = m_view->clipRect(QStringLiteral("headline"));
        drag(QPoint(r.left() + 2, r.center().y()), QPoint(r.left() + 2 + pixels(1.0), r.center().y()));
        verifyConsistent();
        clickClip(QStringLiteral("run"), 7.0);
        m_view->setPlayhead(7 * 30);
        QTest::keyClick(m_view.get(), Qt::Key_S);
        verifyConsistent();
        clickClip(QStringLiteral("hero"), 2.0);
        QTest::keyClick(m_view.get(), Qt::Key_Delete, Qt::ShiftModifier);
        verifyConsistent();
        QCOMPARE(undo()->count(), 4);
        const QByteArray edited = serializeCampaign(m_doc->campaign(), m_dir);
        QVERIFY(edited != m_original);

        for (int i = 0; i < 4; ++i) {
            QTest::keyClick(m_view.get(), Qt::Key_Z, Qt::ControlModifier);
            verifyConsistent();
        }
        QCOMPARE(undo()->index(), 0);
        QCOMPARE(serializeCampaign(m_doc->campaign(), m_dir), m_original);
        for (int i = 0; i < 4; ++i) {
            QTest::keyClick(m_view.get(), Qt::Key_Z, Qt::ControlModifier | Qt::ShiftModifier);
            verifyConsistent();
        }
        QCOMPARE(undo()->index(), 4);
        QCOMPARE(serializeCampaign(m_doc->campaign(), m_dir), edited);
    }

    void transportKeysEmitAndMoveThePlayhead()
    {
        QSignalSpy shuttle(m_view.get(), &ui::TimelineView::shuttleRequested);
        QSignalSpy play(m_view.get(), &ui::TimelineView::playPauseRequested);
        QSignalSpy moved(m_view.get(), &ui::TimelineView::playheadMoved);
        for (Qt::Key k : {Qt::Key_L, Qt::Key_L, Qt::Key_L, Qt::Key_L, Qt::Key_K, Qt::Key_J,
                          Qt::Key_J})
            QTest::keyClick(m_view.get(), k);
        QList<int> rates;
        for (const auto &args : shuttle)
            rates << args.at(0).toInt();
        QCOMPARE(rates, (QList<int>{1, 2, 4, 4, 0, -1, -2}));
        QTest::keyClick(m_view.get(), Qt::Key_Space);
        QCOMPARE(play.count(), 1);

        m_view->setPlayhead(30);
        QTest::keyClick(m_view.get(), Qt::Key_Right);
        QCOMPARE(m_view->playhead(), 31);
        QTest::keyClick(m_view.get(), Qt::Key_Left);
        QTest::keyClick(m_view.get(), Qt::Key_Left);
        QCOMPARE(m_view->playhead(), 29);
        QCOMPARE(moved.last().at(0).toLongLong(), 29);
        QTest::keyClick(m_view.get(), Qt::Key_I);
        QTest::keyClick(m_view.get(), Qt::Key_Right, Qt::ShiftModifier);
        QCOMPARE(m_view->playhead(), 59);
        QTest::keyClick(m_view.get(), Qt::Key_O);
        QCOMPARE(m_view->inPoint(), 29);
        QCOMPARE(m_view->outPoint(), 59);
        // A click in the ruler moves the playhead there.
        QTest::mouseClick(m_view.get(), Qt::LeftButton, Qt::NoModifier,
                          QPoint(m_view->xForSeconds(10.0), 10));
        QVERIFY(std::abs(m_view->playhead() - 300) <= 1);
        m_view->setPlayhead(100000);
        QCOMPARE(m_view->playhead(), 450);  // clamped to the 15 s timeline
        QVERIFY(!undo()->canUndo());        // none of this is an edit
    }

    void zoomKeys()
    {
        const double fit = m_view->pixelsPerSecond();
        QTest::keyClick(m_view.get(), Qt::Key_Equal);
        QVERIFY(m_view->pixelsPerSecond() > fit * 1.4);
        QTest::keyClick(m_view.get(), Qt::Key_Minus);
        QTest::keyClick(m_view.get(), Qt::Key_Minus);
        QVERIFY(m_view->pixelsPerSecond() < fit);
        QTest::keyClick(m_view.get(), Qt::Key_0);
        QCOMPARE(m_view->pixelsPerSecond(), fit);
    }

    void inspectorEditsKeyframesAtThePlayhead()
    {
        ui::ClipInspector inspector(m_doc.get());
        connect(m_view.get(), &ui::TimelineView::selectionChanged, &inspector,
                &ui::ClipInspector::setClip);
        connect(m_view.get(), &ui::TimelineView::playheadMoved, &inspector,
                &ui::ClipInspector::setPlayhead);
        inspector.show();
        clickClip(QStringLiteral("headline"), 3.0);
        QCOMPARE(inspector.clip(), QStringLiteral("headline"));
        m_view->setPlayhead(90);  // 3 s: 2 s into headline
        QDoubleSpinBox *scale = inspector.keyValueEditor(KeyProperty::Scale);
        QVERIFY(scale->isEnabled());
        QCOMPARE(scale->value(), 1.0);
        QVERIFY(!inspector.removeKeyButton(KeyProperty::Scale)->isEnabled());
        // Stepping the value twice is one undo step (merged per field).
        scale->setValue(1.25);
        scale->setValue(1.5);
        QCOMPARE(undo()->count(), 1);
        const Clip *h = &clip(QStringLiteral("headline"));
        QCOMPARE(h->scale.size(), size_t(1));
        QCOMPARE(h->scale[0].time, seconds(2));
        QCOMPARE(h->scale[0].value, 1.5);
        QVERIFY(inspector.removeKeyButton(KeyProperty::Scale)->isEnabled());
        verifyConsistent();
        // Position X keyed at another time.
        m_view->setPlayhead(240);  // 8 s: 7 s into headline
        QDoubleSpinBox *x = inspector.keyValueEditor(KeyProperty::OffsetX);
        x->setValue(0.2);
        QTest::mouseClick(inspector.addKeyButton(KeyProperty::Opacity), Qt::LeftButton);
        h = &clip(QStringLiteral("headline"));
        QCOMPARE(h->offsetX.size(), size_t(1));
        QCOMPARE(h->offsetX[0].time, seconds(7));
        QCOMPARE(h->opacity.size(), size_t(1));
        QCOMPARE(h->opacity[0].value, 1.0);
        QCOMPARE(undo()->count(), 3);
        verifyConsistent();
        // The inspector shows the interpolated value between keys (scale is held after its key).
        QCOMPARE(inspector.keyValueEditor(KeyProperty::Scale)->value(), 1.5);
        // Remove the opacity key again.
        QTest::mouseClick(inspector.removeKeyButton(KeyProperty::Opacity), Qt::LeftButton);
        QVERIFY(clip(QStringLiteral("headline")).opacity.empty());
        verifyConsistent();
        // The keys are drawn on the clip as diamonds in the property's colour.
        const QImage image = m_view->grab().toImage();
        const QRect r = m_view->clipRect(QStringLiteral("headline"));
        const QColor diamond = image.pixelColor(m_view->xForSeconds(3.0), r.bottom() - 6);
        QCOMPARE(diamond, QColor(255, 205, 60));
        inspector.resize(360, 480);
        QCoreApplication::sendPostedEvents();  // the deferred layout of shown/hidden rows
        QVERIFY(inspector.grab().save(QStringLiteral("/tmp/inspector.png")));
        // Outside the clip the key controls are off.
        m_view->setPlayhead(0);
        QVERIFY(!inspector.keyValueEditor(KeyProperty::Scale)->isEnabled());
        // Undo all of it: identical JSON.
        while (undo()->canUndo()) {
            undo()->undo();
            verifyConsistent();
        }
        QCOMPARE(serializeCampaign(m_doc->campaign(), m_dir), m_original);
    }

    void inspectorTextAndCrossfade()
    {
        ui::ClipInspector inspector(m_doc.get());
        inspector.setClip(QStringLiteral("cta"));
        QCOMPARE(inspector.textEditor()->text(), QStringLiteral("{{cta}} · {{price:currency}}"));
        inspector.show();
        inspector.textEditor()->setFocus();
        inspector.textEditor()->selectAll();
        QTest::keyClicks(inspector.textEditor(), QStringLiteral("Buy {{cta}}"));
        QCOMPARE(clip(QStringLiteral("cta")).text.text, QStringLiteral("Buy {{cta}}"));
        QCOMPARE(undo()->count(), 1);  // eleven key presses, one step
        verifyConsistent();
        inspector.transitionEditor()->setValue(1.0);
        QCOMPARE(clip(QStringLiteral("cta")).transitionIn, seconds(1));
        QCOMPARE(undo()->count(), 2);
        verifyConsistent();
        undo()->undo();
        undo()->undo();
        QCOMPARE(serializeCampaign(m_doc->campaign(), m_dir), m_original);
    }

    void filmstripAndWaveformFromRealMedia()
    {
        // Two seconds of media made here: red for the first second, blue for the second, and a
        // 440 Hz tone at half amplitude.
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        const QString path = dir.filePath(QStringLiteral("redblue.mp4"));
        {
            render::VideoWriter writer;
            render::RenderError error;
            QVERIFY2(writer.open(path, 160, 90, render::FrameRate{30, 1}, render::EncodeSettings{},
                                 true, &error),
                     qPrintable(error.message));
            for (int f = 0; f < 60; ++f) {
                QImage frame(160, 90, QImage::Format_RGB32);
                frame.fill(f < 30 ? QColor(220, 30, 30) : QColor(30, 30, 220));
                QVERIFY2(writer.writeFrame(frame, &error), qPrintable(error.message));
            }
            std::vector<float> tone(2 * 48000 * 2);
            for (size_t i = 0; i < tone.size() / 2; ++i)
                tone[2 * i] = tone[2 * i + 1] = float(0.5 * std::sin(2 * M_PI * 440 * i / 48000.0));
            QVERIFY2(writer.writeAudio(tone.data(), int64_t(tone.size() / 2), &error),
                     qPrintable(error.message));
            QVERIFY2(writer.finish(&error), qPrintable(error.message));
        }
        using Source = services::ClipStripCache::Source;
        const auto film = services::ClipStripCache::generate(path, Source::Video, 40);
        QVERIFY2(film->isValid(), qPrintable(film->error));
        QVERIFY(film->frames.size() >= 2);
        QCOMPARE(film->frames.front().height(), 40);
        QVERIFY(film->frameAt(0.2).pixelColor(20, 20).red() > 150);
        QVERIFY(film->frameAt(1.8).pixelColor(20, 20).blue() > 150);
        const auto wave = services::ClipStripCache::generate(path, Source::Audio, 40);
        QVERIFY2(wave->isValid(), qPrintable(wave->error));
        const float peak = wave->peakBetween(0.5, 1.5);
        QVERIFY2(peak > 0.4f && peak < 0.6f, qPrintable(QString::number(peak)));
        QCOMPARE(wave->peakBetween(3.0, 4.0), 0.0f);  // past the end of the audio

        // On the timeline: run shows the filmstrip, bed the waveform, once the cache has them.
        QVERIFY(m_doc->edit(QStringLiteral("media"), [&](Campaign &c) {
            c.assets.push_back({QStringLiteral("redblue"), AssetKind::Video, path, {}, false});
            c.assets.push_back({QStringLiteral("tone"), AssetKind::Audio, path, {}, false});
            c.timeline.tracks[0].clips[1].source = QStringLiteral("asset:redblue");
            c.timeline.tracks[3].clips[0].source = QStringLiteral("asset:tone");
            return true;
        }));
        m_view->grab();
        QVERIFY(m_view->stripCache()->pendingCount() > 0);  // placeholders first
        QTRY_VERIFY(m_view->stripCache()->pendingCount() == 0);
        const QImage shot = m_view->grab().toImage();
        shot.save(QStringLiteral("/tmp/timeline_media.png"));
        const QRect run = m_view->clipRect(QStringLiteral("run"));
        const int y = run.center().y() + 8;  // inside the filmstrip, below the label strip
        // Tiles show the source frame under their middle; the first tile covers the red second.
        const QColor first = shot.pixelColor(m_view->xForSeconds(5.7), y);
        QVERIFY2(first.red() > 150 && first.blue() < 100, qPrintable(first.name()));
        const QColor late = shot.pixelColor(m_view->xForSeconds(6.5), y);
        QVERIFY2(late.blue() > 150 && late.red() < 100, qPrintable(late.name()));
        // Past the 2 s source (the clip is 6 s long) no frame is shown.
        const QColor past = shot.pixelColor(m_view->xForSeconds(9.5), y);
        QVERIFY2(past.blue() < 150 && past.red() < 100, qPrintable(past.name()));
        const QRect bed = m_view->clipRect(QStringLiteral("bed"));
        const int waveY = bed.top() + 16 + (bed.height() - 16) / 2 - 5;
        const QColor loud = shot.pixelColor(m_view->xForSeconds(1.0), waveY);
        const QColor silent = shot.pixelColor(m_view->xForSeconds(5.0), waveY);
        QCOMPARE(loud, QColor(150, 230, 160));
        QVERIFY(silent != QColor(150, 230, 160));
    }

    void stripsArriveOffTheUiThreadAndScreenshot()
    {
        // The logo is the one media file the sample ships with; its still is generated on the
        // cache's pool and the view repaints when it arrives.
        QSignalSpy ready(m_view->stripCache(), &services::ClipStripCache::stripReady);
        m_view->grab();  // the first paint requests the strips
        QTRY_VERIFY(m_view->stripCache()->pendingCount() == 0);
        QVERIFY(!ready.isEmpty());
        const QString logo = m_doc->campaign().asset(QStringLiteral("logo"))->path;
        const auto still = services::ClipStripCache::generate(
            logo, services::ClipStripCache::Source::Image, 40);
        QVERIFY2(still->isValid(), qPrintable(still->error));
        QCOMPARE(still->frames.front().height(), 40);

        // Some state worth looking at: a selection, keys, marks, the playhead.
        QVERIFY(m_doc->edit(QStringLiteral("keys"), [](Campaign &c) {
            return setKeyframe(c.timeline, QStringLiteral("hero"), KeyProperty::Scale, Rational(1), 1.2)
                && setKeyframe(c.timeline, QStringLiteral("hero"), KeyProperty::Opacity, Rational(3), 0.5);
        }));
        m_view->setPlayhead(7 * 30);
        QTest::keyClick(m_view.get(), Qt::Key_I);
        m_view->setPlayhead(12 * 30);
        QTest::keyClick(m_view.get(), Qt::Key_O);
        clickClip(QStringLiteral("run"), 8.0);
        m_view->setPlayhead(9 * 30);
        const QImage shot = m_view->grab().toImage();
        QVERIFY(shot.save(QStringLiteral("/tmp/timeline.png")));
        // The playhead is drawn where the view says it is.
        const int headX = m_view->xForFrame(9 * 30);
        const QColor head = shot.pixelColor(headX, m_view->trackRect(3).center().y());
        QCOMPARE(head, QColor(255, 70, 70));
        // Zooming keeps the playhead where it is on screen.
        for (int i = 0; i < 4; ++i)
            QTest::keyClick(m_view.get(), Qt::Key_Equal);
        QCOMPARE(m_view->xForFrame(9 * 30), headX);
        const QImage zoomed = m_view->grab().toImage();
        QVERIFY(zoomed.save(QStringLiteral("/tmp/timeline_zoomed.png")));
        QCOMPARE(zoomed.pixelColor(headX, m_view->trackRect(3).center().y()), QColor(255, 70, 70));
    }
};

QTEST_MAIN(TestTimelineView)
#include "tst_timeline_view.moc"
