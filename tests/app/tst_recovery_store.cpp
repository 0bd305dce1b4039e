// SPDX-License-Identifier: GPL-3.0-or-later
// Autosave and crash recovery below the GUI: versions kept, what is offered after a crash
// (stale lock) and what is not (a live studio holds the project, or the project was saved
// after the autosave), and an autosave reads back as the document that was autosaved.
#include "app/recovery_store.h"
#include "editor/project_io.h"

#include <QDir>
#include <QFile>
#include <QProcess>
#include <QTemporaryDir>
#include <QThread>
#include <QtTest>

#include <sys/time.h>
#include <utime.h>

using namespace services;

namespace {
const QString kSample =
    QStringLiteral(CAMPAIGN_SOURCE_DIR "/resources/samples/stride/stride.campaign");

// A lock file as a studio that crashed leaves it: the PID of a process that has exited.
bool writeDeadLock(const QString &path)
{
    QProcess p;
    qint64 pid = 0;
    QObject::connect(&p, &QProcess::started, [&] { pid = p.processId(); });
    p.start(QStringLiteral("true"));
    if (!p.waitForFinished(10000) || pid <= 0)
        return false;
    QFile f(path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    f.write(QByteArray::number(pid) + "\ncampaign-studio\n" + QSysInfo::machineHostName().toUtf8()
            + "\n");
    return true;
}

void setMtime(const QString &path, const QDateTime &t)
{
    struct utimbuf times;
    times.actime = times.modtime = time_t(t.toSecsSinceEpoch());
    QVERIFY(::utime(QFile::encodeName(path).constData(), &times) == 0);
}
}  // namespace

class TestRecoveryStore : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_project = m_tmp.filePath(QStringLiteral("stride.campaign"));
        QVERIFY(QFile::copy(kSample, m_project));
        editor::LoadResult r = editor::loadCampaign(m_project);
        QVERIFY(r.status == editor::LoadResult::Status::Ok);
        m_campaign = *r.campaign;
        // The project was saved an hour ago; autosaves made now are newer.
        setMtime(m_project, QDateTime::currentDateTimeUtc().addSecs(-3600));
    }

    void autosaveReadsBackAsTheDocument()
    {
        RecoveryStore store(m_tmp.filePath(QStringLiteral("r1")));
        editor::Campaign edited = m_campaign;
        edited.name = QStringLiteral("Edited before the crash — ünïcode");
        QString error;
        QVERIFY2(store.write(edited, m_project, &error), qPrintable(error));
        const auto candidate = store.candidateFor(edited.id);
        QVERIFY(candidate.has_value());
        QCOMPARE(QFileInfo(candidate->projectPath).canonicalFilePath(),
                 QFileInfo(m_project).canonicalFilePath());
        QString projectPath;
        const auto back = RecoveryStore::read(candidate->autosavePath, &projectPath, &error);
        QVERIFY2(back.has_value(), qPrintable(error));
        QCOMPARE(*back, edited);  // media paths resolve against the project folder again
    }

    void keepsTheNewestTenVersions()
    {
        const QString dir = m_tmp.filePath(QStringLiteral("r2"));
        RecoveryStore store(dir);
        editor::Campaign c = m_campaign;
        QString error;
        for (int i = 0; i < 13; ++i) {
            c.name = QStringLiteral("v%1").arg(i);
            QVERIFY2(store.write(c, m_project, &error), qPrintable(error));
            QThread::msleep(3);  // names carry milliseconds
        }
        const QStringList files = QDir(dir).entryList({QStringLiteral("*.autosave")}, QDir::Files);
        QCOMPARE(files.size(), RecoveryStore::kVersionsKept);
        const auto candidate = store.candidateFor(c.id);
        QVERIFY(candidate.has_value());
        const auto newest = RecoveryStore::read(candidate->autosavePath, nullptr, &error);
        QVERIFY(newest.has_value());
        QCOMPARE(newest->name, QStringLiteral("v12"));
    }

    void liveLockHidesTheAutosaveStaleLockOffersIt()
    {
        const QString dir = m_tmp.filePath(QStringLiteral("r3"));
        {
            RecoveryStore running(dir);
            QVERIFY(running.lockProject(m_campaign.id));
            QString error;
            QVERIFY(running.write(m_campaign, m_project, &error));
            // Another studio looking now sees a live owner: nothing to recover.
            RecoveryStore other(dir);
            QVERIFY(!other.candidateFor(m_campaign.id).has_value());
            QString holder;
            QVERIFY(!other.lockProject(m_campaign.id, &holder));
            QVERIFY(holder.contains(QString::number(QCoreApplication::applicationPid())));
        }
        // The owner is gone but, as after a crash, its lock file stayed behind.
        QVERIFY(writeDeadLock(RecoveryStore(dir).lockPathFor(m_campaign.id)));
        RecoveryStore next(dir);
        const auto offered = next.candidates();
        QCOMPARE(offered.size(), size_t(1));
        QCOMPARE(offered.front().campaignId, m_campaign.id);
        QVERIFY(next.lockProject(m_campaign.id));  // stale: taken over
    }

    void projectSavedAfterTheAutosaveIsNotOffered()
    {
        const QString dir = m_tmp.filePath(QStringLiteral("r4"));
        RecoveryStore store(dir);
        QString error;
        QVERIFY(store.write(m_campaign, m_project, &error));
        QVERIFY(store.candidateFor(m_campaign.id).has_value());
        setMtime(m_project, QDateTime::currentDateTimeUtc().addSecs(60));
        QVERIFY(!store.candidateFor(m_campaign.id).has_value());
        setMtime(m_project, QDateTime::currentDateTimeUtc().addSecs(-3600));
    }

    void discardRemovesEveryVersion()
    {
        const QString dir = m_tmp.filePath(QStringLiteral("r5"));
        RecoveryStore store(dir);
        QString error;
        QVERIFY(store.write(m_campaign, m_project, &error));
        store.discard(m_campaign.id);
        QVERIFY(QDir(dir).entryList({QStringLiteral("*.autosave")}, QDir::Files).isEmpty());
        QVERIFY(store.candidates().empty());
    }

    void unwritableFolderIsReportedWithItsName()
    {
        // A file where the folder should be: fails even for root.
        const QString blocker = m_tmp.filePath(QStringLiteral("blocker"));
        QFile f(blocker);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.close();
        RecoveryStore store(blocker + QStringLiteral("/recovery"));
        QString error;
        QVERIFY(!store.write(m_campaign, m_project, &error));
        QVERIFY2(error.contains(QStringLiteral("recovery")), qPrintable(error));
    }

    void damagedAutosaveIsAnErrorNotACrash()
    {
        const QString path = m_tmp.filePath(QStringLiteral("broken.autosave"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("{\"projectPath\": \"/x/y.campaign\", \"campaign\": {\"schemaVersion\": 1,");
        f.close();
        QString error;
        QVERIFY(!RecoveryStore::read(path, nullptr, &error).has_value());
        QVERIFY2(error.contains(QStringLiteral("broken.autosave")), qPrintable(error));
    }

private:
    QTemporaryDir m_tmp;
    QString m_project;
    editor::Campaign m_campaign;
};

QTEST_GUILESS_MAIN(TestRecoveryStore)
#include "tst_recovery_store.moc"
