// SPDX-License-Identifier: GPL-3.0-or-later
// Review mode in the real main window, offscreen: the grid's statuses against real renders
// (the tiny campaign, 2 segments x 2 formats, rendered by the real campaign-cli), the filters,
// approving and rejecting with the keyboard (arrows, A, R) with a comment, approvals saved in the
// project, "changed since approval" once the approved file is modified, and playback that may
// fail here (no GStreamer plugins, no display) without taking the window down.
#include "../app/tiny_campaign.h"

#include "app/review_status.h"
#include "editor/project_io.h"
#include "render/renderer.h"
#include "ui/studio_theme.h"
#include "ui/main_window.h"
#include "ui/review_panel.h"
#include "ui/review_player.h"

#include <QAction>
#include <QApplication>
#include <QComboBox>
#include <QDockWidget>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QProcess>
#include <QTemporaryDir>
#include <QtTest>

using services::ReviewStatus;

namespace QTest {
template <>
char *toString(const ReviewStatus &s)
{
    return qstrdup(services::reviewStatusName(s).toUtf8().constData());
}
}  // namespace QTest

namespace {
const QString kCli = QStringLiteral(CAMPAIGN_CLI_PATH);

bool runCli(const QStringList &args, QByteArray *log)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(kCli, args);
    const bool ok = p.waitForStarted(10000) && p.waitForFinished(300000)
        && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    if (p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished(10000);
    }
    *log = p.readAll();
    return ok;
}

template <typename T>
T *child(QObject &parent, const char *name)
{
    return parent.findChild<T *>(QLatin1String(name));
}

int comboIndex(QComboBox *box, const QString &data)
{
    return box->findData(data);
}
}  // namespace

class TestReviewMode : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void gridShowsStatuses();
    void filters();
    void keyboardApproval();
    void changedSinceApproval();
    void playbackNeverTakesTheWindowDown();
    void cleanupTestCase();

private:
    ReviewStatus statusOf(const char *job) const
    {
        const QStringList parts = QString::fromLatin1(job).split(QLatin1Char('/'));
        return m_panel->status(parts.at(0), parts.at(1)).value_or(ReviewStatus::NotRendered);
    }
    QTemporaryDir m_tmp;
    QTemporaryDir m_config;
    QString m_project;
    QString m_out;
    std::unique_ptr<ui::MainWindow> m_window;
    ui::ReviewPanel *m_panel = nullptr;
    QListWidget *m_grid = nullptr;
};

void TestReviewMode::initTestCase()
{
    QVERIFY(m_tmp.isValid() && m_config.isValid());
    qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
    qputenv("CAMPAIGN_NO_KEYCHAIN", "1");
    QCoreApplication::setOrganizationName(QStringLiteral("CampaignStudioTest"));
    QCoreApplication::setApplicationName(QStringLiteral("tst_review_mode"));
    ui::applyStudioTheme();  // so the screenshot shows what users see
    QString error;
    QVERIFY2(render::loadRenderFonts(&error), qPrintable(error));

    QJsonObject project = QJsonDocument::fromJson(
        testing_support::tinyCampaignJson(QStringLiteral("offline"), QStringLiteral("offline"),
                                          false)).object();
    project.insert(QStringLiteral("formats"), QJsonArray{QStringLiteral("1x1"), QStringLiteral("9x16")});
    QVERIFY(QDir().mkpath(m_tmp.filePath(QStringLiteral("project"))));
    m_project = m_tmp.filePath(QStringLiteral("project/tiny.campaign"));
    m_out = m_tmp.filePath(QStringLiteral("out"));
    QFile f(m_project);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(QJsonDocument(project).toJson());
    f.close();
    QByteArray log;
    QVERIFY2(runCli({QStringLiteral("generate"), m_project}, &log), log.constData());
    // Three of the four cells: south/9x16 stays "not rendered".
    QVERIFY2(runCli({QStringLiteral("render"), m_project, QStringLiteral("--out"), m_out,
                     QStringLiteral("--segment"), QStringLiteral("north")}, &log), log.constData());
    QVERIFY2(runCli({QStringLiteral("render"), m_project, QStringLiteral("--out"), m_out,
                     QStringLiteral("--segment"), QStringLiteral("south"), QStringLiteral("--format"),
                     QStringLiteral("1x1")}, &log), log.constData());

    m_window = std::make_unique<ui::MainWindow>();
    QVERIFY(m_window->openProject(m_project, false));
    m_window->setExportFolder(m_out);
    m_window->show();
    QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    auto *dock = child<QDockWidget>(*m_window, "reviewDock");
    QVERIFY(dock);
    QVERIFY(!dock->isVisible());
    auto *toggle = child<QAction>(*m_window, "toggleReviewDockAction");
    QVERIFY(toggle);
    toggle->trigger();  // View > Review
    QTRY_VERIFY_WITH_TIMEOUT(dock->isVisible(), 5000);
    m_panel = m_window->reviewPanel();
    m_grid = child<QListWidget>(*m_window, "reviewGrid");
    QVERIFY(m_panel && m_grid);
    QVERIFY(child<QWidget>(*m_window, "reviewPlayer"));
}

void TestReviewMode::gridShowsStatuses()
{
    QCOMPARE(m_grid->count(), 4);
    QCOMPARE(statusOf("north/1x1"), ReviewStatus::Rendered);
    QCOMPARE(statusOf("north/9x16"), ReviewStatus::Rendered);
    QCOMPARE(statusOf("south/1x1"), ReviewStatus::Rendered);
    QCOMPARE(statusOf("south/9x16"), ReviewStatus::NotRendered);
    // The badge is in the item's picture; its words are in the tooltip.
    for (int i = 0; i < m_grid->count(); ++i) {
        QVERIFY(!m_grid->item(i)->icon().isNull());
        QVERIFY(m_grid->item(i)->toolTip().contains(m_grid->item(i)->toolTip().startsWith(QStringLiteral("south/9x16"))
                                                        ? QStringLiteral("Not rendered")
                                                        : QStringLiteral("Rendered")));
    }
    // A rendered cell shows its poster in the player, a missing one says why.
    QVERIFY(m_panel->selectCell(QStringLiteral("south"), QStringLiteral("9x16")));
    auto *poster = child<QLabel>(*m_window, "reviewPoster");
    QVERIFY(poster->pixmap().isNull());
    QVERIFY(poster->text().contains(QStringLiteral("Not rendered")));
    QVERIFY(m_panel->selectCell(QStringLiteral("north"), QStringLiteral("1x1")));
    QVERIFY(!poster->pixmap().isNull());
}

void TestReviewMode::filters()
{
    auto *segment = child<QComboBox>(*m_window, "reviewFilterSegment");
    auto *format = child<QComboBox>(*m_window, "reviewFilterFormat");
    auto *status = child<QComboBox>(*m_window, "reviewFilterStatus");
    QVERIFY(segment && format && status);
    status->setCurrentIndex(comboIndex(status, QStringLiteral("not-rendered")));
    QCOMPARE(m_panel->visibleJobIds(), QStringList{QStringLiteral("south/9x16")});
    QCOMPARE(m_panel->currentJobId(), QStringLiteral("south/9x16"));
    status->setCurrentIndex(0);
    segment->setCurrentIndex(comboIndex(segment, QStringLiteral("north")));
    QCOMPARE(m_panel->visibleJobIds(), (QStringList{QStringLiteral("north/1x1"), QStringLiteral("north/9x16")}));
    format->setCurrentIndex(comboIndex(format, QStringLiteral("9x16")));
    QCOMPARE(m_panel->visibleJobIds(), QStringList{QStringLiteral("north/9x16")});
    segment->setCurrentIndex(0);
    format->setCurrentIndex(0);
    QCOMPARE(int(m_panel->visibleJobIds().size()), 4);
}

void TestReviewMode::keyboardApproval()
{
    QVERIFY(m_panel->selectCell(QStringLiteral("north"), QStringLiteral("1x1")));
    auto *comment = child<QLineEdit>(*m_window, "reviewComment");
    QVERIFY(comment);
    // Keyboard only: C to the comment field, type, Enter back to the grid, A to approve.
    m_grid->setFocus();
    QTRY_VERIFY_WITH_TIMEOUT(m_grid->hasFocus(), 5000);
    QTest::keyClick(m_grid, Qt::Key_C);
    QTRY_VERIFY_WITH_TIMEOUT(comment->hasFocus(), 5000);
    QTest::keyClicks(comment, QStringLiteral("Looks great"));
    QTest::keyClick(comment, Qt::Key_Return);
    QTRY_VERIFY_WITH_TIMEOUT(m_grid->hasFocus(), 5000);
    QTest::keyClick(m_grid, Qt::Key_A);
    QCOMPARE(statusOf("north/1x1"), ReviewStatus::Approved);
    QVERIFY(m_window->isModified());
    QVERIFY(comment->text().isEmpty());  // the comment went with the decision
    const editor::Approval *a = services::findApproval(*m_window->campaign(), QStringLiteral("north"),
                                                       QStringLiteral("1x1"));
    QVERIFY(a);
    QCOMPARE(a->comment, QStringLiteral("Looks great"));
    QCOMPARE(a->decision, editor::Approval::Decision::Approved);
    QCOMPARE(m_panel->currentJobId(), QStringLiteral("north/1x1"));  // the reviewer stays put

    // Right arrow to the next cell, R rejects it.
    QTest::keyClick(m_grid, Qt::Key_Right);
    QCOMPARE(m_panel->currentJobId(), QStringLiteral("north/9x16"));
    comment->setText(QStringLiteral("CTA hidden by the Reels UI"));
    QTest::keyClick(m_grid, Qt::Key_R);
    QCOMPARE(statusOf("north/9x16"), ReviewStatus::Rejected);
    // A cell without a file cannot be decided on.
    QVERIFY(m_panel->selectCell(QStringLiteral("south"), QStringLiteral("9x16")));
    QTest::keyClick(m_grid, Qt::Key_A);
    QCOMPARE(statusOf("south/9x16"), ReviewStatus::NotRendered);
    QCOMPARE(m_window->campaign()->approvals.size(), size_t(2));

    // Stored in the project file.
    QVERIFY(m_window->save());
    const editor::LoadResult saved = editor::loadCampaign(m_project);
    QCOMPARE(saved.status, editor::LoadResult::Status::Ok);
    QCOMPARE(saved.campaign->approvals.size(), size_t(2));
    QCOMPARE(saved.campaign->approvals.at(1).comment, QStringLiteral("CTA hidden by the Reels UI"));

    // What the approver sees, for the report and for a human look.
    QVERIFY(m_panel->selectCell(QStringLiteral("north"), QStringLiteral("1x1")));
    QVERIFY(m_window->grab().save(QDir::temp().filePath(QStringLiteral("review_mode_window.png"))));
    QVERIFY(m_window->findChild<QDockWidget *>(QStringLiteral("reviewDock"))->grab()
                .save(QDir::temp().filePath(QStringLiteral("review_mode_dock.png"))));
}

void TestReviewMode::changedSinceApproval()
{
    const QString file = m_out + QStringLiteral("/tiny-generation-test/north/1x1.mp4");
    QFile f(file);
    QVERIFY(f.open(QIODevice::Append));
    QCOMPARE(f.write("edited after approval"), qint64(21));
    f.close();
    m_panel->refresh();  // what F5 / the Refresh button do
    QCOMPARE(statusOf("north/1x1"), ReviewStatus::Changed);
    QCOMPARE(statusOf("north/9x16"), ReviewStatus::Rejected);
    QVERIFY(m_panel->selectCell(QStringLiteral("north"), QStringLiteral("1x1")));
    auto *details = child<QLabel>(*m_window, "reviewDetails");
    QVERIFY2(details->text().contains(QStringLiteral("void")), qPrintable(details->text()));
    QVERIFY(details->text().contains(QStringLiteral("Looks great")));  // history stays visible
    // A modified file cannot be approved again until it is exported again.
    QTest::keyClick(m_grid, Qt::Key_A);
    QCOMPARE(statusOf("north/1x1"), ReviewStatus::Changed);
    auto *status = child<QComboBox>(*m_window, "reviewFilterStatus");
    status->setCurrentIndex(comboIndex(status, QStringLiteral("changed")));
    QCOMPARE(m_panel->visibleJobIds(), QStringList{QStringLiteral("north/1x1")});
    status->setCurrentIndex(0);
}

void TestReviewMode::playbackNeverTakesTheWindowDown()
{
    QVERIFY(m_panel->selectCell(QStringLiteral("north"), QStringLiteral("9x16")));
    m_grid->setFocus();
    QTest::keyClick(m_grid, Qt::Key_Space);
    // Either it plays, or it says why and keeps the poster; both are fine here, silence is not.
    QTRY_VERIFY_WITH_TIMEOUT(m_panel->player()->isPlaying()
                                 || m_panel->player()->message().contains(QStringLiteral("Cannot play")),
                             15000);
    qInfo("playback: %s", m_panel->player()->isPlaying() ? "playing"
                                                         : qPrintable(m_panel->player()->message()));
    // Moving on stops it and shows the next poster.
    QTest::keyClick(m_grid, Qt::Key_Left);
    QCOMPARE(m_panel->currentJobId(), QStringLiteral("north/1x1"));
    QVERIFY(!m_panel->player()->isPlaying());
    QVERIFY(!child<QLabel>(*m_window, "reviewPoster")->pixmap().isNull());
}

void TestReviewMode::cleanupTestCase() { m_window.reset(); }

QTEST_MAIN(TestReviewMode)
#include "tst_review_mode.moc"
