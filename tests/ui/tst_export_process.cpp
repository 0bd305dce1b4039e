// SPDX-License-Identifier: GPL-3.0-or-later
// The studio's exports as campaign-cli child processes: the JSON Lines become the same
// progress and per-cell results, an unsaved document is exported from a snapshot, cancel
// leaves no partial file, and a crashing, out-of-memory or refusing CLI is reported per cell
// while the studio carries on (RELIABILITY.md D3, D10).
#include "../app/tiny_campaign.h"

#include "app/batch_export.h"
#include "editor/project_io.h"
#include "ui/export_controller.h"

#include <QDirIterator>
#include <QFile>
#include <QProcess>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QtTest>

namespace {
const QString kCli = QStringLiteral(CAMPAIGN_CLI_PATH);

QStringList filesUnder(const QString &dir, const QString &pattern)
{
    QStringList out;
    QDirIterator it(dir, {pattern}, QDir::Files, QDirIterator::Subdirectories);
    while (it.hasNext())
        out << it.next();
    return out;
}
}  // namespace

class TestExportProcess : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        QVERIFY(m_tmp.isValid());
        m_project = m_tmp.filePath(QStringLiteral("tiny/tiny.campaign"));
        QVERIFY(QDir().mkpath(QFileInfo(m_project).absolutePath()));
        QFile f(m_project);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write(QJsonDocument(testing_support::tinyCampaignInFormats(
                                  {QStringLiteral("1x1"), QStringLiteral("9x16")})).toJson());
        f.close();
        QProcess generate;
        generate.start(kCli, {QStringLiteral("generate"), m_project});
        QVERIFY(generate.waitForFinished(120000));
        QCOMPARE(generate.exitCode(), 0);
        editor::LoadResult r = editor::loadCampaign(m_project);
        QVERIFY2(r.campaign, qPrintable(r.message));
        m_campaign = *r.campaign;
    }

    void unsavedDocumentExportsThroughTheCli()
    {
        // An edit that was never saved must reach the export: the child reads a snapshot.
        editor::Campaign edited = m_campaign;
        edited.segments[0].variables[QStringLiteral("headline")] = QStringLiteral("Unsaved edit");
        const QString out = m_tmp.filePath(QStringLiteral("out1"));
        QStringList errors;
        auto cells = services::planExport(edited, out, {}, {}, &errors);
        QCOMPARE(cells.size(), size_t(4));
        ui::ExportController controller;
        controller.setCliProgram(kCli);
        QSignalSpy finished(&controller, &ui::ExportController::finished);
        QSignalSpy cellDone(&controller, &ui::ExportController::cellFinished);
        QSignalSpy progress(&controller, &ui::ExportController::progressChanged);
        QVERIFY(controller.start(edited, cells, 2, out));
        QVERIFY(controller.isRunning());
        QVERIFY(finished.wait(180000));
        const auto summary = finished.first().at(0).value<services::ExportSummary>();
        QCOMPARE(summary.ok, 4);
        QCOMPARE(summary.failed, 0);
        QCOMPARE(cellDone.size(), 4);
        QVERIFY(progress.size() >= 2);
        QCOMPARE(progress.last().at(0).toInt(), 100);
        for (const auto &cell : cells)
            QVERIFY2(QFileInfo(cell.outputPath).size() > 0, qPrintable(cell.outputPath));
        services::ExportEvent first = cellDone.first().at(0).value<services::ExportEvent>();
        QCOMPARE(first.status, services::ExportEvent::Status::Ok);
        QCOMPARE(first.sha256.size(), 64);
        QVERIFY(!controller.isRunning());
    }

    void cancelLeavesNoPartialFiles()
    {
        const QString out = m_tmp.filePath(QStringLiteral("out2"));
        QStringList errors;
        auto cells = services::planExport(m_campaign, out, {}, {}, &errors);
        ui::ExportController controller;
        controller.setCliProgram(kCli);
        QSignalSpy finished(&controller, &ui::ExportController::finished);
        QVERIFY(controller.start(m_campaign, cells, 1, out));
        controller.cancel();
        QVERIFY(finished.wait(60000));
        QVERIFY(finished.first().at(1).toBool());  // reported as cancelled
        QVERIFY(filesUnder(out, QStringLiteral("*.partial-*")).isEmpty());
        // Whatever exists under a final name is complete (probed by the CLI's own sha256).
        for (const QString &mp4 : filesUnder(out, QStringLiteral("*.mp4")))
            QVERIFY(QFileInfo(mp4).size() > 0);
    }

    void crashingCliIsReportedPerCell()
    {
        // A CLI that starts the first cell and then dies of a segfault.
        const QString fake = m_tmp.filePath(QStringLiteral("crashing-cli.sh"));
        QFile script(fake);
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("#!/bin/sh\n"
                     "echo '{\"event\":\"start\",\"job\":\"north/1x1\",\"output\":\"x\",\"frames\":10}'\n"
                     "echo 'decoder exploded' >&2\n"
                     "kill -SEGV $$\n");
        script.close();
        QFile::setPermissions(fake, QFile::permissions(fake) | QFileDevice::ExeOwner);
        const QString out = m_tmp.filePath(QStringLiteral("out3"));
        QStringList errors;
        auto cells = services::planExport(m_campaign, out, {}, {}, &errors);
        ui::ExportController controller;
        controller.setCliProgram(fake);
        QSignalSpy finished(&controller, &ui::ExportController::finished);
        QSignalSpy cellDone(&controller, &ui::ExportController::cellFinished);
        QVERIFY(controller.start(m_campaign, cells, 1, out));
        QVERIFY(finished.wait(30000));
        const auto summary = finished.first().at(0).value<services::ExportSummary>();
        QCOMPARE(summary.failed, int(cells.size()));
        QCOMPARE(cellDone.size(), int(cells.size()));
        const auto event = cellDone.first().at(0).value<services::ExportEvent>();
        QCOMPARE(event.status, services::ExportEvent::Status::Failed);
        QVERIFY2(event.errorMessage.contains(QStringLiteral("stopped unexpectedly")),
                 qPrintable(event.errorMessage));
        QVERIFY2(event.errorMessage.contains(QStringLiteral("decoder exploded")),
                 qPrintable(event.errorMessage));
        QVERIFY(!controller.isRunning());
        // The controller is usable again: the next export runs.
        controller.setCliProgram(kCli);
        QVERIFY(controller.start(m_campaign, cells, 2, out));
        QVERIFY(finished.wait(180000));
        QCOMPARE(finished.last().at(0).value<services::ExportSummary>().ok, int(cells.size()));
    }

    // D10 with a real out-of-memory child: the real campaign-cli under `ulimit -v` (RLIMIT_AS)
    // of 450 MB, set by a wrapper script. Measured here: from about 300 MB the CLI starts and
    // loads its fonts (250 MB is too little for the CJK fonts), up to about 600 MB x264's
    // frame buffers cannot be allocated, from 800 MB everything renders. Every cell is then
    // reported failed with a message about memory (in an ASan build the CLI cannot even start
    // under this limit, and the cells fail with its last stderr lines instead), the studio's
    // controller ends the export, and the next export runs.
    void outOfMemoryCliIsReportedPerCell()
    {
        const QString wrapper = m_tmp.filePath(QStringLiteral("cli-450mb.sh"));
        QFile script(wrapper);
        QVERIFY(script.open(QIODevice::WriteOnly));
        script.write("#!/bin/sh\nulimit -v 450000 || exit 99\nexec '" + kCli.toUtf8() + "' \"$@\"\n");
        script.close();
        QFile::setPermissions(wrapper, QFile::permissions(wrapper) | QFileDevice::ExeOwner);
        const QString out = m_tmp.filePath(QStringLiteral("out-oom"));
        QStringList errors;
        auto cells = services::planExport(m_campaign, out, {}, {}, &errors);
        ui::ExportController controller;
        controller.setCliProgram(wrapper);
        QSignalSpy finished(&controller, &ui::ExportController::finished);
        QSignalSpy cellDone(&controller, &ui::ExportController::cellFinished);
        QVERIFY(controller.start(m_campaign, cells, 1, out));
        QVERIFY(finished.wait(180000));
        const auto summary = finished.first().at(0).value<services::ExportSummary>();
        QCOMPARE(summary.failed, int(cells.size()));
        QCOMPARE(cellDone.size(), int(cells.size()));
        for (const QList<QVariant> &args : cellDone) {
            const auto event = args.at(0).value<services::ExportEvent>();
            QCOMPARE(event.status, services::ExportEvent::Status::Failed);
#if defined(__SANITIZE_ADDRESS__)
            // ASan reserves terabytes of shadow memory at start: under ulimit -v the CLI
            // cannot start and says so ("Perhaps you're using ulimit -v"), exit 1.
            QVERIFY2(event.errorMessage.contains(QStringLiteral("without a summary"))
                         || event.errorMessage.contains(QStringLiteral("stopped unexpectedly")),
                     qPrintable(event.errorMessage));
#else
            // Where it ran out varies (x264's buffers, a frame, a thread); each says so and
            // what to do.
            QVERIFY2(event.errorMessage.contains(QStringLiteral("memory"), Qt::CaseInsensitive)
                         && event.errorMessage.contains(QStringLiteral("export fewer variants at once")),
                     qPrintable(event.errorMessage));
#endif
        }
        qInfo("D10 message: %s",
              qPrintable(cellDone.first().at(0).value<services::ExportEvent>().errorMessage));
        QVERIFY(filesUnder(out, QStringLiteral("*.partial-*")).isEmpty());
        QVERIFY(filesUnder(out, QStringLiteral("*.mp4")).isEmpty());
        QVERIFY(!controller.isRunning());
        // The studio (this process) carries on: the same export without the limit succeeds.
        controller.setCliProgram(kCli);
        QVERIFY(controller.start(m_campaign, cells, 2, out));
        QVERIFY(finished.wait(180000));
        QCOMPARE(finished.last().at(0).value<services::ExportSummary>().ok, int(cells.size()));
    }

    // D1 pre-check as the studio sees it: an export that does not fit on the export folder's
    // volume is refused by the CLI child before anything renders, and every cell reaches the
    // controller (and so the Jobs view, which shows "failed (no_space): …") with the needed
    // and free space. The volume is a 1 MiB tmpfs where one can be mounted; without mount
    // rights the project is stretched instead (96 segments, one hour) past the real free space
    // of the temp folder's volume, and a wrapper passes --force so preflight's duration rule
    // for the formats does not refuse those cells first.
    void noSpaceIsReportedPerCell()
    {
        const QString out = m_tmp.filePath(QStringLiteral("out-nospace"));
        QDir().mkpath(out);
        const bool mounted = QProcess::execute(QStringLiteral("mount"),
                                               {QStringLiteral("-t"), QStringLiteral("tmpfs"),
                                                QStringLiteral("-o"), QStringLiteral("size=1048576"),
                                                QStringLiteral("tmpfs"), out}) == 0;
        const auto unmount = qScopeGuard([&] {
            if (mounted)
                QProcess::execute(QStringLiteral("umount"), {QStringLiteral("-l"), out});
        });
        editor::Campaign campaign = m_campaign;
        QString program = kCli;
        if (mounted) {
            qInfo("D1 studio path: 1 MiB tmpfs at %s", qPrintable(out));
        } else {
            qInfo("D1 studio path: a project stretched past the temp volume's free space "
                  "(mounting a tmpfs was refused here)");
            campaign.generationRequests.clear();  // the generated hero-north serves them all
            const editor::Segment north = campaign.segments.front();
            for (int i = 2; i < 96; ++i) {
                editor::Segment copy = north;
                copy.id = QStringLiteral("north%1").arg(i);
                campaign.segments.push_back(copy);
            }
            campaign.timeline.duration = editor::Rational(3600);
            // A lower bound of the estimate: video at 0.06 bit per pixel, 30 fps, one hour.
            const double perSegment = (1080.0 * 1080 + 1080.0 * 1920) * 30 * 3600 * 0.06 / 8;
            QVERIFY(96 * perSegment > 2.0 * double(QStorageInfo(out).bytesAvailable()));
            program = m_tmp.filePath(QStringLiteral("cli-force.sh"));
            QFile script(program);
            QVERIFY(script.open(QIODevice::WriteOnly));
            script.write("#!/bin/sh\nexec '" + kCli.toUtf8() + "' \"$@\" --force\n");
            script.close();
            QFile::setPermissions(program, QFile::permissions(program) | QFileDevice::ExeOwner);
        }
        QStringList errors;
        auto cells = services::planExport(campaign, out, {}, {}, &errors);
        ui::ExportController controller;
        controller.setCliProgram(program);
        QSignalSpy finished(&controller, &ui::ExportController::finished);
        QSignalSpy cellDone(&controller, &ui::ExportController::cellFinished);
        QVERIFY(controller.start(campaign, cells, 2, out));
        QVERIFY(finished.wait(180000));
        QCOMPARE(finished.first().at(0).value<services::ExportSummary>().failed, int(cells.size()));
        QCOMPARE(cellDone.size(), int(cells.size()));
        for (const QList<QVariant> &args : cellDone) {
            const auto event = args.at(0).value<services::ExportEvent>();
            QCOMPARE(event.errorCode, QStringLiteral("no_space"));
            QVERIFY2(event.errorMessage.contains(QStringLiteral("needs about"))
                         && event.errorMessage.contains(QStringLiteral("MB free on ") + out)
                         && event.errorMessage.contains(QStringLiteral("choose another output folder")),
                     qPrintable(event.errorMessage));
        }
        QVERIFY(filesUnder(out, QStringLiteral("*")).isEmpty());
    }

    void refusedProjectNamesTheMissingFile()
    {
        QTemporaryDir dir;
        editor::Campaign broken = m_campaign;
        const QString moved = dir.filePath(QStringLiteral("gone.png"));
        for (auto &asset : broken.assets)
            if (!asset.path.isEmpty())
                asset.path = moved;  // never created
        const QString out = m_tmp.filePath(QStringLiteral("out4"));
        QStringList errors;
        auto cells = services::planExport(broken, out, {}, {}, &errors);
        ui::ExportController controller;
        controller.setCliProgram(kCli);
        QSignalSpy finished(&controller, &ui::ExportController::finished);
        QSignalSpy cellDone(&controller, &ui::ExportController::cellFinished);
        QVERIFY(controller.start(broken, cells, 1, out));
        QVERIFY(finished.wait(60000));
        QCOMPARE(finished.first().at(0).value<services::ExportSummary>().failed, int(cells.size()));
        const auto event = cellDone.first().at(0).value<services::ExportEvent>();
        // The CLI's refusal reaches the user in its own words, naming what is missing.
        QVERIFY2(event.errorMessage.contains(QStringLiteral("hero-north")), qPrintable(event.errorMessage));
        QVERIFY2(event.errorMessage.contains(QStringLiteral("66")), qPrintable(event.errorMessage));
    }

private:
    QTemporaryDir m_tmp;
    QString m_project;
    editor::Campaign m_campaign;
};

QTEST_GUILESS_MAIN(TestExportProcess)
#include "tst_export_process.moc"
