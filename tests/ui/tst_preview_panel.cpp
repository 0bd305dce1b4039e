// SPDX-License-Identifier: GPL-3.0-or-later
// The Preview dock on the generated sample, offscreen: segment and format switching, the
// safe-zone overlay, scrubbing, silent playback (the test machine has no audio device), the
// J/K/L shuttle and re-rendering on document edits. No timing is asserted beyond "playback
// cannot run ahead of the wall clock"; the machines are shared.
#include "editor/document.h"
#include "editor/project_io.h"
#include "render/renderer.h"
#include "ui/playback_controller.h"
#include "ui/preview_panel.h"
#include "ui/preview_view.h"

#include <QCheckBox>
#include <QComboBox>
#include <QElapsedTimer>
#include <QLabel>
#include <QAudioDevice>
#include <QMediaDevices>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

namespace {
const QString kSample = QStringLiteral(CAMPAIGN_BINARY_DIR "/test-sample/stride.campaign");

// Fraction of pixels whose colour differs by more than a small tolerance (different sizes
// count as completely different).
double differingFraction(const QImage &a, const QImage &b)
{
    if (a.size() != b.size() || a.isNull())
        return 1.0;
    const QImage x = a.convertToFormat(QImage::Format_RGB32);
    const QImage y = b.convertToFormat(QImage::Format_RGB32);
    qint64 differing = 0;
    for (int row = 0; row < x.height(); ++row) {
        const auto *p = reinterpret_cast<const QRgb *>(x.constScanLine(row));
        const auto *q = reinterpret_cast<const QRgb *>(y.constScanLine(row));
        for (int col = 0; col < x.width(); ++col) {
            const int d = std::abs(qRed(p[col]) - qRed(q[col]))
                + std::abs(qGreen(p[col]) - qGreen(q[col])) + std::abs(qBlue(p[col]) - qBlue(q[col]));
            differing += d > 24;
        }
    }
    return double(differing) / (double(x.width()) * x.height());
}

QImage grabView(ui::PreviewPanel &panel)
{
    return panel.view()->grab().toImage();
}

// The panel on a freshly loaded sample, shown, with its first frame on screen.
struct Fixture {
    editor::Document document;
    std::unique_ptr<ui::PreviewPanel> panel;
    QTemporaryDir proxies;  // each test builds its own, never in the user's cache

    bool open(QString *why)
    {
        editor::LoadResult loaded = editor::loadCampaign(kSample);
        if (!loaded.campaign) {
            *why = loaded.message;
            return false;
        }
        document.reset(*loaded.campaign, kSample);
        panel = std::make_unique<ui::PreviewPanel>(&document);
        panel->setProxyDirectory(proxies.path());
        panel->resize(480, 860);
        panel->show();
        if (!QTest::qWaitForWindowExposed(panel.get())) {
            *why = QStringLiteral("panel not exposed");
            return false;
        }
        return waitForFrame(panel->playhead(), why);
    }

    // Waits until the frame under the playhead `frame` is what the view shows.
    bool waitForFrame(qint64 frame, QString *why = nullptr)
    {
        ui::PlaybackController *c = panel->controller();
        QElapsedTimer t;
        t.start();
        while (!(c->shownFrame() == frame && panel->view()->image().cacheKey()
                                                 == c->currentImage().cacheKey())) {
            if (t.elapsed() > 60000) {
                if (why)
                    *why = QStringLiteral("frame %1 not shown (view message: %2)")
                               .arg(frame).arg(panel->view()->message());
                return false;
            }
            QTest::qWait(10);
        }
        QCoreApplication::processEvents();  // let the view repaint before a grab
        return true;
    }
};
}  // namespace

class TestPreviewPanel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(kSample), qPrintable(kSample + " missing (fixture sample_generated)"));
        QString error;
        QVERIFY2(render::loadRenderFonts(&error), qPrintable(error));
    }

    void switchersListTheCampaignsCells()
    {
        Fixture f;
        QString why;
        QVERIFY2(f.open(&why), qPrintable(why));
        auto *segments = f.panel->findChild<QComboBox *>(QStringLiteral("previewSegmentCombo"));
        auto *formats = f.panel->findChild<QComboBox *>(QStringLiteral("previewFormatCombo"));
        QVERIFY(segments && formats);
        QCOMPARE(segments->count(), int(f.document.campaign().segments.size()));
        QCOMPARE(formats->count(), int(f.document.campaign().formats.size()));
        QCOMPARE(f.panel->currentSegmentId(), f.document.campaign().segments.front().id);
        QCOMPARE(f.panel->currentFormatId(), f.document.campaign().formats.front().id);
        QVERIFY2(f.panel->view()->message().isEmpty(), qPrintable(f.panel->view()->message()));
        if (qEnvironmentVariableIsSet("CAMPAIGN_SCREENSHOT_DIR")) {
            f.panel->setPlayhead(90);
            f.panel->setSafeZonesVisible(true);
            QVERIFY(f.waitForFrame(90));
            QVERIFY(f.panel->grab().save(qEnvironmentVariable("CAMPAIGN_SCREENSHOT_DIR")
                                         + QStringLiteral("/preview_panel.png")));
        }
    }

    void segmentSwitchChangesTheGrabbedImage()
    {
        Fixture f;
        QString why;
        QVERIFY2(f.open(&why), qPrintable(why));
        f.panel->setPlayhead(90);  // hero still with the headline box
        QVERIFY(f.waitForFrame(90));
        const QImage before = grabView(*f.panel);
        QSignalSpy cellSpy(f.panel.get(), &ui::PreviewPanel::cellChanged);
        const QString arabic = f.document.campaign().segments.back().id;
        auto *segments = f.panel->findChild<QComboBox *>(QStringLiteral("previewSegmentCombo"));
        segments->setCurrentIndex(segments->count() - 1);  // as the user would
        QCOMPARE(cellSpy.count(), 1);
        QCOMPARE(cellSpy.first().at(0).toString(), arabic);
        QCOMPARE(f.panel->currentSegmentId(), arabic);
        QCOMPARE(f.panel->playhead(), 90);  // the same moment, another segment
        QTRY_VERIFY_WITH_TIMEOUT(f.panel->controller()->shownFrame() == 90
                                     && differingFraction(grabView(*f.panel), before) > 0.1,
                                 60000);
    }

    void formatSwitchChangesTheAspect()
    {
        Fixture f;
        QString why;
        QVERIFY2(f.open(&why), qPrintable(why));
        const QImage vertical = f.panel->view()->image();
        QCOMPARE(vertical.width() * 16, vertical.height() * 9);  // 9:16 first
        const QImage before = grabView(*f.panel);
        f.panel->setCurrentFormatId(QStringLiteral("16x9"));
        QCOMPARE(f.panel->currentFormatId(), QStringLiteral("16x9"));
        QTRY_VERIFY_WITH_TIMEOUT(f.panel->view()->image().width() * 9
                                     == f.panel->view()->image().height() * 16,
                                 60000);
        // The preview box is 720 px: the long side uses it whatever the format.
        QCOMPARE(std::max(f.panel->view()->image().width(), f.panel->view()->image().height()), 720);
        QVERIFY(differingFraction(grabView(*f.panel), before) > 0.2);
    }

    void safeZoneToggleTintsTheBandsOnly()
    {
        Fixture f;
        QString why;
        QVERIFY2(f.open(&why), qPrintable(why));
        ui::PreviewView *view = f.panel->view();
        QVERIFY(!view->isSafeZoneVisible());
        const QImage off = grabView(*f.panel);
        auto *toggle = f.panel->findChild<QCheckBox *>(QStringLiteral("previewSafeZoneToggle"));
        QVERIFY(toggle);
        toggle->click();
        QVERIFY(f.panel->safeZonesVisible());
        const QImage on = grabView(*f.panel);

        const QRect frame = view->imageRect();
        const QRectF safe = view->safeRect();
        // 9:16 preset: 14 % at the top, 20 % at the bottom, 6 % left, 12 % right.
        QVERIFY(std::abs(safe.top() - frame.top() - 0.14 * frame.height()) < 1.0);
        QVERIFY(std::abs(frame.bottom() + 1 - safe.bottom() - 0.20 * frame.height()) < 1.0);
        const qreal dpr = on.devicePixelRatio();
        auto crop = [dpr](const QImage &img, const QRectF &r) {
            return img.copy(QRectF(r.topLeft() * dpr, r.size() * dpr).toRect());
        };
        const QRectF topBand(frame.left() + 2, frame.top() + 2, frame.width() - 4,
                             safe.top() - frame.top() - 4);
        const QRectF interior = safe.adjusted(4, 4, -4, -4);
        QVERIFY(differingFraction(crop(on, topBand), crop(off, topBand)) > 0.9);
        QCOMPARE(differingFraction(crop(on, interior), crop(off, interior)), 0.0);
        toggle->click();
        QCOMPARE(differingFraction(grabView(*f.panel), off), 0.0);
    }

    void scrubbingShowsTheFrameUnderThePlayhead()
    {
        Fixture f;
        QString why;
        QVERIFY2(f.open(&why), qPrintable(why));
        QSignalSpy moved(f.panel.get(), &ui::PreviewPanel::playheadMoved);
        f.panel->setPlayhead(30);
        QVERIFY(f.waitForFrame(30));
        const QImage early = f.panel->view()->image();
        f.panel->setPlayhead(400);  // the product still with the CTA
        QVERIFY(f.waitForFrame(400));
        QVERIFY(differingFraction(f.panel->view()->image(), early) > 0.2);
        // Set from outside: no echo back to whoever set it.
        QCOMPARE(moved.count(), 0);
        auto *time = f.panel->findChild<QLabel *>(QStringLiteral("previewTimeLabel"));
        QVERIFY(time);
        QVERIFY2(time->text().startsWith(QStringLiteral("00:13:10 / 00:14:29")), qPrintable(time->text()));

        // Many scrubs in a row: the latest wins.
        for (qint64 frame = 100; frame <= 140; frame += 4)
            f.panel->setPlayhead(frame);
        QVERIFY(f.waitForFrame(140));
        QCOMPARE(f.panel->playhead(), 140);
    }

    void silentPlaybackAdvancesAndPauses()
    {
        Fixture f;
        QString why;
        QVERIFY2(f.open(&why), qPrintable(why));
        const bool noDevice = QMediaDevices::defaultAudioOutput().isNull();
        QSignalSpy moved(f.panel.get(), &ui::PreviewPanel::playheadMoved);
        QSignalSpy playing(f.panel.get(), &ui::PreviewPanel::playingChanged);
        const qint64 start = f.panel->playhead();
        QElapsedTimer wall;
        wall.start();
        f.panel->play();
        QVERIFY(f.panel->isPlaying());
        QCOMPARE(playing.count(), 1);
        if (noDevice) {
            QCOMPARE(f.panel->notice(), QStringLiteral("No audio output device — playing silently"));
            auto *notice = f.panel->findChild<QLabel *>(QStringLiteral("previewNotice"));
            QVERIFY(notice && notice->isVisible());
            QCOMPARE(notice->text(), f.panel->notice());
        }
        QTRY_VERIFY_WITH_TIMEOUT(f.panel->playhead() >= start + 20, 30000);
        const double elapsedSeconds = wall.nsecsElapsed() / 1e9;
        f.panel->pause();
        QVERIFY(!f.panel->isPlaying());
        QCOMPARE(playing.count(), 2);
        const qint64 stoppedAt = f.panel->playhead();
        // The wall clock runs the silent playback: it cannot be ahead of real time.
        if (noDevice)
            QVERIFY2(stoppedAt - start <= qint64(elapsedSeconds * 30.0) + 2,
                     qPrintable(QStringLiteral("%1 frames in %2 s").arg(stoppedAt - start).arg(elapsedSeconds)));

        // The timeline would follow these: strictly forward, ending where playback stopped.
        QVERIFY(moved.count() >= 1);
        qint64 previous = start;
        for (const QList<QVariant> &args : moved) {
            QVERIFY(args.at(0).toLongLong() > previous);
            previous = args.at(0).toLongLong();
        }
        QCOMPARE(previous, stoppedAt);

        const ui::PlaybackStats &s = f.panel->controller()->stats();
        QCOMPARE(s.firstFrame, start);
        QVERIFY(s.framesShown >= 1);
        QVERIFY(s.lastShownFrame <= stoppedAt);
        QCOMPARE(s.framesShown + s.framesDropped, s.lastShownFrame - s.firstFrame + 1);
        QCOMPARE(s.audioClock, !noDevice);

        // Paused: the playhead stays and the exact frame under it is shown.
        QTest::qWait(300);
        QCOMPARE(f.panel->playhead(), stoppedAt);
        QVERIFY(f.waitForFrame(stoppedAt));
    }

    void playbackStopsAtTheEnd()
    {
        Fixture f;
        QString why;
        QVERIFY2(f.open(&why), qPrintable(why));
        const qint64 last = f.panel->frameCount() - 1;
        QCOMPARE(last, 449);
        f.panel->setPlayhead(last - 12);
        QVERIFY(f.waitForFrame(last - 12));
        f.panel->play();
        QTRY_VERIFY_WITH_TIMEOUT(!f.panel->isPlaying(), 30000);
        QCOMPARE(f.panel->playhead(), last);
        const ui::PlaybackStats &s = f.panel->controller()->stats();
        QCOMPARE(s.lastShownFrame, last);
        QCOMPARE(s.framesShown + s.framesDropped, 13);
        // Play at the end starts again from the beginning.
        f.panel->play();
        QVERIFY(f.panel->playhead() < 30);
        f.panel->pause();
    }

    void shuttleReverseAndStop()
    {
        Fixture f;
        QString why;
        QVERIFY2(f.open(&why), qPrintable(why));
        f.panel->setPlayhead(300);
        QVERIFY(f.waitForFrame(300));
        QSignalSpy moved(f.panel.get(), &ui::PreviewPanel::playheadMoved);
        f.panel->setShuttleRate(-2);
        QCOMPARE(f.panel->shuttleRate(), -2);
        QVERIFY(f.panel->notice().isEmpty());  // silent by design, not for want of a device
        QTRY_VERIFY_WITH_TIMEOUT(f.panel->playhead() <= 280, 30000);
        f.panel->setShuttleRate(0);
        QVERIFY(!f.panel->isPlaying());
        qint64 previous = 300;
        for (const QList<QVariant> &args : moved) {
            QVERIFY(args.at(0).toLongLong() < previous);
            previous = args.at(0).toLongLong();
        }
        // K / L from the keyboard: L plays forward, K stops.
        QTest::keyClick(f.panel.get(), Qt::Key_L);
        QCOMPARE(f.panel->shuttleRate(), 1);
        QTest::keyClick(f.panel.get(), Qt::Key_L);
        QCOMPARE(f.panel->shuttleRate(), 2);
        QTest::keyClick(f.panel.get(), Qt::Key_K);
        QVERIFY(!f.panel->isPlaying());
    }

    void videoProxyShowsTheSameFrame()
    {
        Fixture f;
        QString why;
        QVERIFY2(f.open(&why), qPrintable(why));
        // Frame 240 lies inside the running clip: the first visit decodes the original and
        // starts the proxy; the same frame from the proxy must look the same.
        f.panel->setPlayhead(240);
        QVERIFY(f.waitForFrame(240));
        const QImage fromOriginal = f.panel->view()->image();
        QTRY_VERIFY_WITH_TIMEOUT(f.panel->pendingProxies() == 0, 120000);
        const QStringList made = QDir(f.proxies.path()).entryList({QStringLiteral("*.mp4")});
        QCOMPARE(made.size(), 1);
        f.panel->setPlayhead(10);
        QVERIFY(f.waitForFrame(10));
        f.panel->setPlayhead(240);
        QVERIFY(f.waitForFrame(240));
        const QImage fromProxy = f.panel->view()->image();
        QVERIFY(fromProxy.cacheKey() != fromOriginal.cacheKey());
        const double differing = differingFraction(fromProxy, fromOriginal);
        QVERIFY2(differing < 0.02, qPrintable(QString::number(differing)));
        // Another frame of the clip differs: the proxy is not one frame held.
        f.panel->setPlayhead(200);
        QVERIFY(f.waitForFrame(200));
        QVERIFY(differingFraction(f.panel->view()->image(), fromProxy) > 0.05);
    }

    void documentEditReRenders()
    {
        Fixture f;
        QString why;
        QVERIFY2(f.open(&why), qPrintable(why));
        f.panel->setPlayhead(90);
        QVERIFY(f.waitForFrame(90));
        const QImage before = f.panel->view()->image();
        const QString segmentId = f.panel->currentSegmentId();
        QVERIFY(f.document.edit(QStringLiteral("Headline"), [&](editor::Campaign &c) {
            for (editor::Segment &s : c.segments) {
                if (s.id == segmentId)
                    s.variables[QStringLiteral("headline")] = QStringLiteral("WWWWWWWW WWWWWWWW WWWWWWWW");
            }
            return true;
        }));
        QTRY_VERIFY_WITH_TIMEOUT(differingFraction(f.panel->view()->image(), before) > 0.005, 60000);
        QCOMPARE(f.panel->currentSegmentId(), segmentId);  // the edit kept the chosen cell
        f.document.undoStack()->undo();
        QTRY_VERIFY_WITH_TIMEOUT(differingFraction(f.panel->view()->image(), before) == 0.0, 60000);
    }
};

QTEST_MAIN(TestPreviewPanel)
#include "tst_preview_panel.moc"
