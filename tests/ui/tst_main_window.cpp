// SPDX-License-Identifier: GPL-3.0-or-later
// Drives the real main window offscreen on the generated sample campaign.
#include "render/renderer.h"
#include "ui/jobs_view.h"
#include "ui/main_window.h"
#include "ui/preview_view.h"

#include <QDirIterator>
#include <QElapsedTimer>
#include <QListWidget>
#include <QProgressBar>
#include <QPushButton>
#include <QSlider>
#include <QTemporaryDir>
#include <QTimer>
#include <QtTest>

namespace {
const QString kSample = QStringLiteral(CAMPAIGN_BINARY_DIR "/test-sample/stride.campaign");

QStringList filesUnder(const QString &dir, const QString &pattern)
{
    QStringList out;
    QDirIterator it(dir, {pattern}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        out << it.next();
    return out;
}

// Opens `project` in `w`, exporting into `exportDir`, and shows the window.
bool showProject(ui::MainWindow &w, const QString &project, const QString &exportDir)
{
    if (!w.openProject(project, false))
        return false;
    w.setExportFolder(exportDir);
    w.show();
    return QTest::qWaitForWindowExposed(&w);
}

// Fraction of pixels that differ by more than a small tolerance.
double differingFraction(const QImage &a, const QImage &b)
{
    if (a.size() != b.size())
        return 1.0;
    const QImage x = a.convertToFormat(QImage::Format_RGB32);
    const QImage y = b.convertToFormat(QImage::Format_RGB32);
    qint64 differing = 0;
    for (int row = 0; row < x.height(); ++row) {
        const QRgb *p = reinterpret_cast<const QRgb *>(x.constScanLine(row));
        const QRgb *q = reinterpret_cast<const QRgb *>(y.constScanLine(row));
        for (int col = 0; col < x.width(); ++col) {
            const int d = std::abs(qRed(p[col]) - qRed(q[col])) + std::abs(qGreen(p[col]) - qGreen(q[col]))
                + std::abs(qBlue(p[col]) - qBlue(q[col]));
            differing += d > 24;
        }
    }
    return double(differing) / (double(x.width()) * x.height());
}
}  // namespace

class TestMainWindow : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY2(QFileInfo::exists(kSample), qPrintable(kSample + " missing (fixture sample_generated)"));
        QString error;
        QVERIFY2(render::loadRenderFonts(&error), qPrintable(error));
        // Exports run as the studio runs them when installed: campaign-cli child processes.
        qputenv("CAMPAIGN_CLI", CAMPAIGN_CLI_PATH);
    }

    void opensSampleAndPreviews()
    {
        ui::MainWindow w;
        QVERIFY2(w.openProject(kSample, false), qPrintable(w.lastError()));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto *segments = w.findChild<QListWidget *>(QStringLiteral("segmentList"));
        auto *formats = w.findChild<QListWidget *>(QStringLiteral("formatList"));
        auto *preview = w.findChild<ui::PreviewView *>(QStringLiteral("previewView"));
        QVERIFY(segments && formats && preview);
        QCOMPARE(segments->count(), 4);
        QCOMPARE(formats->count(), 4);
        QTRY_VERIFY_WITH_TIMEOUT(!preview->image().isNull(), 30000);
        QVERIFY2(preview->message().isEmpty(), qPrintable(preview->message()));
        // 9:16 first: the preview keeps the format's aspect.
        QCOMPARE(preview->image().width() * 16, preview->image().height() * 9);
        if (qEnvironmentVariableIsSet("CAMPAIGN_SCREENSHOT_DIR"))
            w.grab().save(qEnvironmentVariable("CAMPAIGN_SCREENSHOT_DIR") + "/main_window.png");

        // Switching segment re-renders the cell with that segment's hero and headline.
        const QImage first = preview->image();
        segments->setCurrentRow(3);
        QTRY_VERIFY_WITH_TIMEOUT(differingFraction(preview->image(), first) > 0.2, 30000);
        if (qEnvironmentVariableIsSet("CAMPAIGN_SCREENSHOT_DIR"))
            w.grab().save(qEnvironmentVariable("CAMPAIGN_SCREENSHOT_DIR") + "/main_window_arabic.png");

        // Switching format changes the aspect.
        formats->setCurrentRow(3);  // 16:9
        QTRY_VERIFY_WITH_TIMEOUT(preview->image().width() * 9 == preview->image().height() * 16, 30000);

        // Moving the preview's scrubber shows another moment of the timeline.
        auto *slider = w.findChild<QSlider *>(QStringLiteral("previewScrubber"));
        QVERIFY(slider);
        const QImage before = preview->image();
        slider->setValue(slider->maximum() - 10);  // the end card with the CTA
        QTRY_VERIFY_WITH_TIMEOUT(differingFraction(preview->image(), before) > 0.2, 30000);
    }

    void exportsCurrentVariantWithoutFreezing()
    {
        QTemporaryDir out;
        ui::MainWindow w;
        QVERIFY2(showProject(w, kSample, out.path()), qPrintable(w.lastError()));
        auto *segments = w.findChild<QListWidget *>(QStringLiteral("segmentList"));
        auto *formats = w.findChild<QListWidget *>(QStringLiteral("formatList"));
        auto *progress = w.findChild<QProgressBar *>(QStringLiteral("exportProgress"));
        auto *exportButton = w.findChild<QPushButton *>(QStringLiteral("exportCurrentButton"));
        QVERIFY(segments && formats && progress && exportButton);
        segments->setCurrentRow(1);
        formats->setCurrentRow(1);  // 1:1, the smallest

        // A timer on the GUI thread measures how long the event loop is ever blocked.
        QElapsedTimer clock;
        qint64 last = 0, worstGap = 0;
        QTimer tick;
        QObject::connect(&tick, &QTimer::timeout, [&]() {
            const qint64 now = clock.elapsed();
            worstGap = std::max(worstGap, now - last);
            last = now;
        });
        clock.start();
        tick.start(10);

        QTest::mouseClick(exportButton, Qt::LeftButton);
        QVERIFY(!exportButton->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(progress->value() > 0, 60000);
        QTRY_VERIFY_WITH_TIMEOUT(exportButton->isEnabled(), 240000);
        tick.stop();
        QCOMPARE(progress->value(), 100);
        const QStringList mp4s = filesUnder(out.path(), QStringLiteral("*.mp4"));
        QCOMPARE(mp4s.size(), 1);
        QVERIFY(mp4s.first().endsWith(QStringLiteral("/us-parents/1x1.mp4")));
        const render::MediaInfo info = render::probeMedia(mp4s.first());
        QVERIFY2(!info.error, qPrintable(info.error.message));
        QCOMPARE(info.width, 1080);
        QCOMPARE(info.height, 1080);
        QVERIFY(filesUnder(out.path(), QStringLiteral("*.partial-*")).isEmpty());
        auto *jobs = w.findChild<ui::JobsView *>(QStringLiteral("jobsView"));
        QVERIFY(jobs);
        QCOMPARE(jobs->topLevelItemCount(), 1);
        QCOMPARE(jobs->statusOf(QStringLiteral("us-parents/1x1")), QStringLiteral("done"));
        QCOMPARE(jobs->progressOf(QStringLiteral("us-parents/1x1")), 100);
        // The UI never froze for long while encoding (generous: shared 2-core machines).
        QVERIFY2(worstGap < 1000, qPrintable(QStringLiteral("event loop blocked %1 ms").arg(worstGap)));
    }

    void cancelLeavesNoFiles()
    {
        QTemporaryDir out;
        ui::MainWindow w;
        QVERIFY2(showProject(w, kSample, out.path()), qPrintable(w.lastError()));
        auto *progress = w.findChild<QProgressBar *>(QStringLiteral("exportProgress"));
        auto *exportAll = w.findChild<QPushButton *>(QStringLiteral("exportAllButton"));
        auto *cancel = w.findChild<QPushButton *>(QStringLiteral("cancelExportButton"));
        QVERIFY(progress && exportAll && cancel);
        QVERIFY(!cancel->isEnabled());
        QTest::mouseClick(exportAll, Qt::LeftButton);
        QVERIFY(cancel->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(progress->value() > 0 || !filesUnder(out.path(), "*.partial-*").isEmpty(), 60000);
        QTest::mouseClick(cancel, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(exportAll->isEnabled(), 60000);
        QVERIFY(!cancel->isEnabled());
        QVERIFY(filesUnder(out.path(), QStringLiteral("*.partial-*")).isEmpty());
        // Nothing could have finished 15 s of 1080p in that time, so no final files either.
        QVERIFY(filesUnder(out.path(), QStringLiteral("*.mp4")).isEmpty());
        // Every variant's row says it was cancelled, none claims to be done.
        auto *jobs = w.findChild<ui::JobsView *>(QStringLiteral("jobsView"));
        QVERIFY(jobs);
        QCOMPARE(jobs->topLevelItemCount(), 16);
        for (int i = 0; i < jobs->topLevelItemCount(); ++i)
            QCOMPARE(jobs->topLevelItem(i)->text(2), QStringLiteral("cancelled"));
    }

    void generatesMissingAssetsAndSaves()
    {
        // A fresh copy of the bundled sample: nothing generated yet.
        QTemporaryDir dir;
        const QString src = QStringLiteral(CAMPAIGN_SOURCE_DIR "/resources/samples/stride");
        for (const QString &name : {QStringLiteral("stride.campaign"), QStringLiteral("logo.svg")})
            QVERIFY(QFile::copy(src + "/" + name, dir.filePath(name)));
        const QString project = dir.filePath(QStringLiteral("stride.campaign"));
        ui::MainWindow w;
        QVERIFY2(w.openProject(project, false), qPrintable(w.lastError()));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        auto *preview = w.findChild<ui::PreviewView *>(QStringLiteral("previewView"));
        auto *generate = w.findChild<QPushButton *>(QStringLiteral("generateButton"));
        QVERIFY(preview && generate);
        // Without media the preview explains what is missing instead of showing a frame.
        QTRY_VERIFY_WITH_TIMEOUT(!preview->message().isEmpty(), 30000);
        QVERIFY(preview->image().isNull());

        QTest::mouseClick(generate, Qt::LeftButton);
        QVERIFY(!generate->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(generate->isEnabled(), 300000);
        QTRY_VERIFY_WITH_TIMEOUT(!preview->image().isNull(), 30000);
        QVERIFY2(preview->message().isEmpty(), qPrintable(preview->message()));
        // The project on disk now points at the generated files.
        QFile saved(project);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        const QByteArray text = saved.readAll();
        QVERIFY(text.contains("generated/"));
        QCOMPARE(QDir(dir.filePath(QStringLiteral("generated"))).entryList({"*.png"}).size(), 5);
    }

    void invalidProjectIsReported()
    {
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("broken.campaign"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(R"({"schemaVersion": 1, "name": 5})");
        f.close();
        ui::MainWindow w;
        QVERIFY(!w.openProject(path, false));
        QVERIFY2(w.lastError().contains(QStringLiteral("broken.campaign")), qPrintable(w.lastError()));
        QVERIFY2(w.lastError().contains(QStringLiteral("$.name")), qPrintable(w.lastError()));
        QVERIFY(!w.openProject(dir.filePath(QStringLiteral("nope.campaign")), false));
        QVERIFY(w.lastError().contains(QStringLiteral("nope.campaign")));
    }
};

QTEST_MAIN(TestMainWindow)
#include "tst_main_window.moc"
