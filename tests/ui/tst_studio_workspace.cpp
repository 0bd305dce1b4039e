// SPDX-License-Identifier: GPL-3.0-or-later
// The workspace around the document: docks with names and View-menu toggles and a working
// reset, undo through the Edit menu back to the identical JSON, autosave after an edit,
// recovery offered after a simulated crash, the .bak of a manual save, a failed save keeping
// the project modified, save and autosave on a full disk (D2), and recent files.
#include "app/recovery_store.h"
#include "editor/document.h"
#include "editor/project_io.h"
#include "ui/clip_inspector.h"
#include "ui/main_window.h"
#include "ui/preview_panel.h"
#include "ui/reframe_editor.h"

#include <QAction>
#include <QDir>
#include <QDockWidget>
#include <QFile>
#include <QMenu>
#include <QMenuBar>
#include <QProcess>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

#include <cerrno>
#include <csignal>
#include <memory>
#include <sys/resource.h>
#include <unistd.h>

namespace {
const QString kSample =
    QStringLiteral(CAMPAIGN_SOURCE_DIR "/resources/samples/stride/stride.campaign");

QByteArray json(const ui::MainWindow &w)
{
    return editor::serializeCampaign(*w.campaign(), w.document()->projectDir());
}

bool rename(ui::MainWindow &w, const QString &name)
{
    return w.document()->edit(QStringLiteral("Rename"), [&](editor::Campaign &c) {
        c.name = name;
        return true;
    });
}

// What a crashed studio leaves: a lock file naming a process that no longer runs.
bool leaveDeadLock(const QString &lockPath)
{
    QProcess p;
    qint64 pid = 0;
    QObject::connect(&p, &QProcess::started, [&] { pid = p.processId(); });
    p.start(QStringLiteral("true"));
    if (!p.waitForFinished(10000) || pid <= 0)
        return false;
    QFile f(lockPath);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write(QByteArray::number(pid) + "\ntst_studio_workspace\n"
            + QSysInfo::machineHostName().toUtf8() + "\n");
    return true;
}

QByteArray fileBytes(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

QStringList filesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                               QDir::Name);
}

// A tmpfs mounted at `dir` for as long as this lives (needs root and mount rights; mounted()
// is false where the container refuses).
class TmpfsMount {
public:
    TmpfsMount(const QString &dir, qint64 bytes) : m_dir(dir)
    {
        QDir().mkpath(dir);
        m_mounted = QProcess::execute(QStringLiteral("mount"),
                                      {QStringLiteral("-t"), QStringLiteral("tmpfs"),
                                       QStringLiteral("-o"), QStringLiteral("size=%1").arg(bytes),
                                       QStringLiteral("tmpfs"), dir}) == 0;
    }
    ~TmpfsMount()
    {
        if (m_mounted)
            QProcess::execute(QStringLiteral("umount"), {QStringLiteral("-l"), m_dir});
    }
    bool mounted() const { return m_mounted; }

private:
    QString m_dir;
    bool m_mounted = false;
};

// A full disk while this lives. On a tmpfs: a filler file takes every free page (writes fail
// with ENOSPC) and is removed again at the end. Elsewhere: the kernel's file size limit of
// this process (RLIMIT_FSIZE) below `limit`, with SIGXFSZ ignored so a write past it fails
// with EFBIG instead of killing the test; it works as root and in any container.
class FullDisk {
public:
    FullDisk(const QString &filler, qint64 limit) : m_filler(filler)
    {
        if (!filler.isEmpty()) {
            QFile f(filler);
            if (!f.open(QIODevice::WriteOnly))
                return;
            const QByteArray page(4096, 'x');
            while (::write(f.handle(), page.constData(), size_t(page.size())) == page.size()) {
            }
            m_ok = errno == ENOSPC;
            return;
        }
        m_oldHandler = std::signal(SIGXFSZ, SIG_IGN);
        getrlimit(RLIMIT_FSIZE, &m_old);
        rlimit limited = m_old;
        limited.rlim_cur = rlim_t(limit);
        m_ok = setrlimit(RLIMIT_FSIZE, &limited) == 0;
    }
    ~FullDisk()
    {
        if (!m_filler.isEmpty()) {
            QFile::remove(m_filler);
            return;
        }
        setrlimit(RLIMIT_FSIZE, &m_old);
        std::signal(SIGXFSZ, m_oldHandler);
    }
    bool ok() const { return m_ok; }

private:
    QString m_filler;
    rlimit m_old{};
    void (*m_oldHandler)(int) = nullptr;
    bool m_ok = false;
};
}  // namespace

class TestStudioWorkspace : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QStandardPaths::setTestModeEnabled(true);
        QCoreApplication::setOrganizationName(QStringLiteral("CampaignStudioTests"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_studio_workspace"));
        QVERIFY(m_tmp.isValid());
    }

    void init()
    {
        // A fresh project copy per test: saves and .bak files must not leak between them.
        static int n = 0;
        const QString dir = m_tmp.filePath(QStringLiteral("p%1").arg(++n));
        QVERIFY(QDir().mkpath(dir));
        m_project = dir + QStringLiteral("/stride.campaign");
        QVERIFY(QFile::copy(kSample, m_project));
        QFile::setPermissions(m_project, QFile::permissions(m_project) | QFileDevice::WriteOwner);
        m_recoveryDir = dir + QStringLiteral("/recovery");
    }

    void docksAreNamedToggledAndReset()
    {
        ui::MainWindow w(nullptr, m_recoveryDir);
        QVERIFY(w.openProject(m_project, false));
        w.show();
        QVERIFY(QTest::qWaitForWindowExposed(&w));
        const QStringList expected{QStringLiteral("segmentsDock"), QStringLiteral("previewDock"),
                                   QStringLiteral("jobsDock"), QStringLiteral("generationDock"),
                                   QStringLiteral("reviewDock")};
        QMenu *view = nullptr;
        for (QAction *a : w.menuBar()->actions())
            if (a->text().remove(QLatin1Char('&')) == QStringLiteral("View"))
                view = a->menu();
        QVERIFY(view);
        for (const QString &name : expected) {
            auto *dock = w.findChild<QDockWidget *>(name);
            QVERIFY2(dock, qPrintable(name));
            QVERIFY2(view->actions().contains(dock->toggleViewAction()), qPrintable(name));
        }
        auto *jobs = w.findChild<QDockWidget *>(QStringLiteral("jobsDock"));
        QVERIFY(jobs->isVisible());
        jobs->toggleViewAction()->trigger();
        QVERIFY(!jobs->isVisible());
        w.findChild<QAction *>(QStringLiteral("resetLayoutAction"))->trigger();
        QTRY_VERIFY(jobs->isVisible());
    }

    // The Inspector's crop keys are those of the cell the Preview shows.
    void reframeSectionFollowsThePreviewCell()
    {
        ui::MainWindow w(nullptr, m_recoveryDir);
        QVERIFY(w.openProject(m_project, false));
        auto *inspector = w.findChild<ui::ClipInspector *>();
        QVERIFY(inspector && inspector->reframeEditor());
        ui::ReframeEditor *reframe = inspector->reframeEditor();
        QCOMPARE(reframe->segmentId(), w.previewPanel()->currentSegmentId());
        QCOMPARE(reframe->formatId(), w.previewPanel()->currentFormatId());
        w.previewPanel()->setCell(QStringLiteral("de-commuters"), QStringLiteral("4x5"));
        QCOMPARE(reframe->segmentId(), QStringLiteral("de-commuters"));
        QCOMPARE(reframe->formatId(), QStringLiteral("4x5"));
    }

    void undoRedoThroughTheEditMenu()
    {
        ui::MainWindow w(nullptr, m_recoveryDir);
        QVERIFY(w.openProject(m_project, false));
        const QByteArray original = json(w);
        QVERIFY(!w.isWindowModified());
        QVERIFY(rename(w, QStringLiteral("Renamed")));
        QVERIFY(w.isWindowModified());
        QVERIFY(w.windowTitle().contains(QStringLiteral("Renamed")));
        auto *undo = w.findChild<QAction *>(QStringLiteral("undoAction"));
        auto *redo = w.findChild<QAction *>(QStringLiteral("redoAction"));
        QVERIFY(undo && redo);
        QVERIFY(undo->isEnabled());
        undo->trigger();
        QCOMPARE(json(w), original);
        QVERIFY(!w.isWindowModified());
        redo->trigger();
        QCOMPARE(w.campaign()->name, QStringLiteral("Renamed"));
        QVERIFY(editor::checkConsistency(*w.campaign(), w.document()->projectDir()).isEmpty());
    }

    void autosaveAfterAnEditAndRecoveryAfterACrash()
    {
        QString campaignId;
        {
            ui::MainWindow w(nullptr, m_recoveryDir);
            w.setAutosaveDelay(50);
            QVERIFY(w.openProject(m_project, false));
            campaignId = w.campaign()->id;
            QVERIFY(rename(w, QStringLiteral("Work the crash must not lose")));
            // Debounced: written once the edits pause, without any save.
            QTRY_VERIFY_WITH_TIMEOUT(
                !QDir(m_recoveryDir).entryList({QStringLiteral("*.autosave")}, QDir::Files).isEmpty(),
                5000);
            QVERIFY(w.isModified());  // the project file itself was not touched
            editor::LoadResult onDisk = editor::loadCampaign(m_project);
            QVERIFY(onDisk.campaign && onDisk.campaign->name != QStringLiteral("Work the crash must not lose"));
        }
        // The window is gone without a clean quit; its lock stayed behind naming a dead PID.
        services::RecoveryStore store(m_recoveryDir);
        QVERIFY(leaveDeadLock(store.lockPathFor(campaignId)));

        int asked = 0;
        {   // "Decide later" keeps the autosave for the next start.
            ui::MainWindow later(nullptr, m_recoveryDir);
            later.setRecoveryDecider([&](const services::RecoveryCandidate &c) {
                ++asked;
                return c.campaignId == campaignId ? ui::MainWindow::RecoveryChoice::Later
                                                  : ui::MainWindow::RecoveryChoice::Discard;
            });
            QVERIFY(later.openProject(m_project, false));
            QCOMPARE(asked, 1);
            QVERIFY(later.campaign()->name != QStringLiteral("Work the crash must not lose"));
        }
        QVERIFY(leaveDeadLock(store.lockPathFor(campaignId)));
        ui::MainWindow w(nullptr, m_recoveryDir);
        w.setRecoveryDecider([&](const services::RecoveryCandidate &) {
            ++asked;
            return ui::MainWindow::RecoveryChoice::Restore;
        });
        QVERIFY(w.openProject(m_project, false));
        QCOMPARE(asked, 2);
        QCOMPARE(w.campaign()->name, QStringLiteral("Work the crash must not lose"));
        QVERIFY(w.isModified());  // restored, not yet saved
        QCOMPARE(QFileInfo(w.projectPath()).canonicalFilePath(), QFileInfo(m_project).canonicalFilePath());
        QVERIFY(w.save());
        QVERIFY(!w.isModified());
        // Saved after the autosave: nothing is offered any more.
        QVERIFY(!store.candidateFor(campaignId).has_value());
    }

    void liveSessionIsNotOfferedForRecovery()
    {
        ui::MainWindow first(nullptr, m_recoveryDir);
        first.setAutosaveDelay(10);
        QVERIFY(first.openProject(m_project, false));
        QVERIFY(rename(first, QStringLiteral("Still being edited")));
        QVERIFY(first.autosaveNow());
        int asked = 0;
        ui::MainWindow second(nullptr, m_recoveryDir);
        second.setRecoveryDecider([&](const services::RecoveryCandidate &) {
            ++asked;
            return ui::MainWindow::RecoveryChoice::Restore;
        });
        second.offerOtherRecoveries();
        QCOMPARE(asked, 0);  // the first window is alive and holds the lock
    }

    void manualSaveKeepsABak()
    {
        QFile original(m_project);
        QVERIFY(original.open(QIODevice::ReadOnly));
        const QByteArray before = original.readAll();
        original.close();
        ui::MainWindow w(nullptr, m_recoveryDir);
        QVERIFY(w.openProject(m_project, false));
        QVERIFY(rename(w, QStringLiteral("Second version")));
        QVERIFY(w.save());
        QFile bak(m_project + QStringLiteral(".bak"));
        QVERIFY(bak.open(QIODevice::ReadOnly));
        QCOMPARE(bak.readAll(), before);
        editor::LoadResult saved = editor::loadCampaign(m_project);
        QCOMPARE(saved.campaign->name, QStringLiteral("Second version"));
    }

    void failedSaveKeepsTheProjectModified()
    {
        ui::MainWindow w(nullptr, m_recoveryDir);
        QVERIFY(w.openProject(m_project, false));
        QVERIFY(rename(w, QStringLiteral("Unsaved")));
        // The folder vanishes under the project (an unmounted drive): fails even for root.
        const QString folder = QFileInfo(m_project).absolutePath();
        QVERIFY(QDir(folder).removeRecursively());
        QVERIFY(!w.save());
        QVERIFY(w.isModified());
        QVERIFY(w.isWindowModified());
        QVERIFY2(w.lastError().contains(QStringLiteral("stride.campaign")), qPrintable(w.lastError()));
        QCOMPARE(w.campaign()->name, QStringLiteral("Unsaved"));
        // Save As somewhere that exists keeps the work.
        const QString elsewhere = m_tmp.filePath(QStringLiteral("rescued.campaign"));
        QVERIFY(w.saveAs(elsewhere));
        QVERIFY(!w.isModified());
        QCOMPARE(editor::loadCampaign(elsewhere).campaign->name, QStringLiteral("Unsaved"));
    }

    // D2: Save and the autosave on a disk that fills up. The project file keeps its bytes, no
    // temporary or half .bak file is left, the project stays modified, and the messages name
    // the file and say what to do. Once there is room again, both work. Two real limits:
    // a 512 KiB tmpfs holding the project and its autosaves, filled up (ENOSPC; needs mount
    // rights, the row falls back to the file size limit where mounting is refused and says
    // so), and RLIMIT_FSIZE below the project's size (EFBIG; always available).
    void saveAndAutosaveOnAFullDisk_data()
    {
        QTest::addColumn<bool>("wantTmpfs");
        QTest::newRow("tmpfs (rlimit where mounting is refused)") << true;
        QTest::newRow("rlimit") << false;
    }

    void saveAndAutosaveOnAFullDisk()
    {
        QFETCH(bool, wantTmpfs);
        QString project = m_project, recoveryDir = m_recoveryDir, filler;
        std::unique_ptr<TmpfsMount> volume;
        if (wantTmpfs) {
            const QString dir = QFileInfo(m_project).absolutePath() + QStringLiteral("-tmpfs");
            volume = std::make_unique<TmpfsMount>(dir, 512 * 1024);
            if (volume->mounted()) {
                project = dir + QStringLiteral("/stride.campaign");
                recoveryDir = dir + QStringLiteral("/recovery");
                filler = dir + QStringLiteral("/filler.bin");
                QVERIFY(QFile::copy(m_project, project));
                qInfo("D2 path: 512 KiB tmpfs at %s, filled up", qPrintable(dir));
            } else {
                qInfo("D2 path: rlimit (mounting a tmpfs was refused here)");
            }
        } else {
            qInfo("D2 path: rlimit (RLIMIT_FSIZE below the project's size, SIGXFSZ ignored)");
        }
        const QString reason = filler.isEmpty() ? QStringLiteral("File too large")
                                                : QStringLiteral("No space left on device");
        ui::MainWindow w(nullptr, recoveryDir);
        QVERIFY(w.openProject(project, false));
        const QString folder = QFileInfo(project).absolutePath();
        QVERIFY(w.autosaveNow());
        const QByteArray original = fileBytes(project);
        QVERIFY(original.size() > 4096);
        QVERIFY(rename(w, QStringLiteral("Saved on a full disk")));
        QStringList projectFiles = filesIn(folder);
        if (!filler.isEmpty())
            projectFiles = (projectFiles << QStringLiteral("filler.bin")), projectFiles.sort();
        {
            FullDisk full(filler, original.size() / 2);
            QVERIFY(full.ok());
            QVERIFY(!w.save());
            QCOMPARE(filesIn(folder), projectFiles);  // no QSaveFile temp, no half-written .bak
        }
        QCOMPARE(fileBytes(project), original);
        QVERIFY(w.isModified());
        QVERIFY(w.isWindowModified());
        QCOMPARE(w.campaign()->name, QStringLiteral("Saved on a full disk"));
        const QString saveError = w.lastError();
        qInfo("D2 save message: %s", qPrintable(saveError));
        QVERIFY2(saveError.contains(QDir::toNativeSeparators(project)) && saveError.contains(reason)
                     && saveError.contains(QStringLiteral("NOT saved"))
                     && saveError.contains(QStringLiteral("Save As"))
                     && saveError.contains(QStringLiteral("free on")),
                 qPrintable(saveError));

        // The autosave of the same edit, on the same full disk: reported in the status bar
        // (not a dialog mid-edit), and no truncated version among the autosaves.
        const QStringList autosaves = filesIn(recoveryDir);
        {
            FullDisk full(filler, original.size() / 2);
            QVERIFY(full.ok());
            QVERIFY(!w.autosaveNow());
        }
        QCOMPARE(filesIn(recoveryDir), autosaves);
        const QString shown = w.statusBar()->currentMessage();
        qInfo("D2 autosave message: %s", qPrintable(shown));
        QVERIFY2(shown.contains(QStringLiteral("Autosave to ")) && shown.contains(recoveryDir)
                     && shown.contains(reason)
                     && shown.contains(QStringLiteral("free some space or save the project")),
                 qPrintable(shown));
        QVERIFY(w.isModified());

        // Room again: the autosave and the save go through, the .bak is the original.
        QVERIFY2(w.autosaveNow(), qPrintable(w.lastError()));
        QCOMPARE(filesIn(recoveryDir).size(), autosaves.size() + 1);
        QVERIFY2(w.save(), qPrintable(w.lastError()));
        QVERIFY(!w.isModified());
        QCOMPARE(fileBytes(project + QStringLiteral(".bak")), original);
        QCOMPARE(editor::loadCampaign(project).campaign->name, QStringLiteral("Saved on a full disk"));
    }

    void newProjectAndRecentFiles()
    {
        ui::MainWindow w(nullptr, m_recoveryDir);
        const QString path = QFileInfo(m_project).absolutePath() + QStringLiteral("/fresh.campaign");
        QVERIFY2(w.newProject(path, false), qPrintable(w.lastError()));
        QCOMPARE(w.campaign()->formats.size(), size_t(4));
        QVERIFY(editor::checkConsistency(*w.campaign(), w.document()->projectDir()).isEmpty());
        QVERIFY(w.openProject(m_project, false));
        QCOMPARE(w.recentFiles().value(0), QFileInfo(m_project).absoluteFilePath());
        QCOMPARE(w.recentFiles().value(1), QFileInfo(path).absoluteFilePath());
    }

private:
    QTemporaryDir m_tmp;
    QString m_project;
    QString m_recoveryDir;
};

QTEST_MAIN(TestStudioWorkspace)
#include "tst_studio_workspace.moc"
