// SPDX-License-Identifier: GPL-3.0-or-later
// Files: new/open/recent/save/save-as, the .bak of a manual save, autosave and crash recovery.
#include "main_window.h"

#include "review_panel.h"

#include "app/disk_space.h"
#include "app/file_hash.h"
#include "app/recovery_store.h"
#include "editor/document.h"
#include "editor/project_io.h"
#include "render/renderer.h"

#include <QCloseEvent>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileDialog>
#include <QFileInfo>
#include <QLocale>
#include <QMenu>
#include <QMessageBox>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QUuid>

namespace ui {

namespace {
const QString kRecentKey = QStringLiteral("files/recent");
constexpr int kRecentMax = 10;
}  // namespace

QStringList MainWindow::recentFiles() const
{
    return QSettings().value(kRecentKey).toStringList();
}

void MainWindow::addRecent(const QString &path)
{
    QStringList list = recentFiles();
    const QString absolute = QFileInfo(path).absoluteFilePath();
    list.removeAll(absolute);
    list.prepend(absolute);
    while (list.size() > kRecentMax)
        list.removeLast();
    QSettings().setValue(kRecentKey, list);
    rebuildRecentMenu();
}

void MainWindow::removeRecent(const QString &path)
{
    QStringList list = recentFiles();
    list.removeAll(QFileInfo(path).absoluteFilePath());
    QSettings().setValue(kRecentKey, list);
    rebuildRecentMenu();
}

void MainWindow::rebuildRecentMenu()
{
    m_recentMenu->clear();
    const QStringList list = recentFiles();
    for (const QString &path : list) {
        m_recentMenu->addAction(QDir::toNativeSeparators(path), this, [this, path] {
            if (confirmDiscardChanges() && !openProject(path))
                removeRecent(path);  // gone or broken: not offered again
        });
    }
    m_recentMenu->setEnabled(!list.isEmpty());
}

bool MainWindow::confirmDiscardChanges()
{
    if (!m_doc->isModified())
        return true;
    const auto answer = QMessageBox::question(
        this, tr("Unsaved changes"),
        tr("Save the changes to %1 first?").arg(QFileInfo(m_doc->projectPath()).fileName()),
        QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
    if (answer == QMessageBox::Cancel)
        return false;
    if (answer == QMessageBox::Save)
        return save();
    // Discarding on purpose: the autosaves of those edits are not a crash to recover from.
    m_recovery->discard(m_doc->campaign().id);
    return true;
}

bool MainWindow::openProject(const QString &path, bool interactive)
{
    editor::LoadResult result = editor::loadCampaign(path);
    if (result.status != editor::LoadResult::Status::Ok) {
        QStringList lines{result.message};
        for (const auto &issue : result.issues)
            lines << issue.toString();
        m_lastError = lines.join(QLatin1Char('\n'));
        if (interactive)
            QMessageBox::warning(this, tr("Cannot open project"), m_lastError);
        statusBar()->showMessage(result.message);
        return false;
    }
    QString holder;
    if (!m_recovery->lockProject(result.campaign->id, &holder)) {
        // Opened anyway: refusing would strand a user whose other window hung. Saves still
        // work; autosaves would fight the other session's, so they are named in the bar.
        statusBar()->showMessage(tr("%1 is also open in %2; both sessions autosave separately.")
                                     .arg(QFileInfo(path).fileName(), holder), 15000);
    }
    const QString campaignId = result.campaign->id;
    // The project's own fonts (<project>/fonts) before the first preview frame: the preview
    // must draw text with the glyphs the export will use.
    QStringList unreadableFonts;
    render::loadProjectFonts(QFileInfo(path).absolutePath(), &unreadableFonts);
    if (!unreadableFonts.isEmpty())
        statusBar()->showMessage(tr("Cannot read the project font(s) %1.").arg(unreadableFonts.join(QStringLiteral(", "))));
    adoptDocument(std::move(*result.campaign), QFileInfo(path).absoluteFilePath(), false);
    m_lastError.clear();
    addRecent(path);
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(m_doc->projectPath())));
    maybeRestore(campaignId, interactive);
    return true;
}

void MainWindow::adoptDocument(editor::Campaign campaign, const QString &path, bool modified)
{
    m_autosaveTimer->stop();
    m_exportFolder = QFileInfo(path).absolutePath() + QStringLiteral("/renders");
    m_doc->reset(std::move(campaign), path, modified);
    m_autosavedRevision = m_doc->revision();
}

MainWindow::RecoveryChoice MainWindow::askRecovery(const services::RecoveryCandidate &candidate)
{
    if (m_recoveryDecider)
        return m_recoveryDecider(candidate);
    QMessageBox box(QMessageBox::Warning, tr("Recover unsaved work?"),
                    tr("Campaign Studio did not close normally while %1 was open. An autosave "
                       "from %2 is newer than the saved project.")
                        .arg(QDir::toNativeSeparators(candidate.projectPath),
                             QLocale().toString(candidate.autosavedAt.toLocalTime(), QLocale::ShortFormat)),
                    QMessageBox::NoButton, this);
    QPushButton *restore = box.addButton(tr("Restore autosave"), QMessageBox::AcceptRole);
    QPushButton *discard = box.addButton(tr("Discard it"), QMessageBox::DestructiveRole);
    box.addButton(tr("Decide later"), QMessageBox::RejectRole);
    box.setDefaultButton(restore);
    box.exec();
    if (box.clickedButton() == restore)
        return RecoveryChoice::Restore;
    if (box.clickedButton() == discard)
        return RecoveryChoice::Discard;
    return RecoveryChoice::Later;
}

bool MainWindow::maybeRestore(const QString &campaignId, bool interactive)
{
    const auto candidate = m_recovery->candidateFor(campaignId);
    if (!candidate || (!interactive && !m_recoveryDecider))
        return false;
    switch (askRecovery(*candidate)) {
    case RecoveryChoice::Later:
        return false;
    case RecoveryChoice::Discard:
        m_recovery->discard(campaignId);
        return false;
    case RecoveryChoice::Restore:
        break;
    }
    QString projectPath, error;
    auto restored = services::RecoveryStore::read(candidate->autosavePath, &projectPath, &error);
    if (!restored) {
        m_lastError = error;
        if (interactive)
            QMessageBox::warning(this, tr("Cannot restore"), error);
        return false;
    }
    if (projectPath.isEmpty())
        projectPath = candidate->projectPath;
    m_recovery->lockProject(restored->id);
    // Restored but not saved: the project file still holds the older state until Save.
    adoptDocument(std::move(*restored), projectPath, true);
    statusBar()->showMessage(tr("Restored the autosave of %1; save to keep it.")
                                 .arg(QFileInfo(projectPath).fileName()));
    return true;
}

void MainWindow::offerOtherRecoveries()
{
    const QString openId = m_doc->isOpen() ? m_doc->campaign().id : QString();
    for (const services::RecoveryCandidate &candidate : m_recovery->candidates()) {
        if (candidate.campaignId == openId)
            continue;
        const RecoveryChoice choice = askRecovery(candidate);
        if (choice == RecoveryChoice::Discard)
            m_recovery->discard(candidate.campaignId);
        if (choice != RecoveryChoice::Restore)
            continue;
        if (!confirmDiscardChanges())
            return;
        QString projectPath, error;
        auto restored = services::RecoveryStore::read(candidate.autosavePath, &projectPath, &error);
        if (!restored) {
            m_lastError = error;
            statusBar()->showMessage(error);
            continue;
        }
        m_recovery->lockProject(restored->id);
        adoptDocument(std::move(*restored), projectPath.isEmpty() ? candidate.projectPath : projectPath, true);
        return;  // one document at a time; the others are offered on a later start
    }
}

namespace {
// What to do after a failed write into `folder`, with its free space: the usual cause is a
// full disk or quota (RELIABILITY.md D2), and the user needs to know whether freeing space
// can help.
QString freeSpaceAdvice(const QString &folder)
{
    const qint64 available = services::bytesAvailableFor(folder);
    return available < 0
        ? QString()
        : QCoreApplication::translate("ui::MainWindow", "%1 free on %2.")
              .arg(QLocale().formattedDataSize(available), QDir::toNativeSeparators(folder));
}
}  // namespace

bool MainWindow::autosaveNow()
{
    m_autosaveTimer->stop();
    if (!m_doc->isOpen() || !m_doc->isModified() || m_doc->revision() == m_autosavedRevision)
        return true;
    QString error;
    if (!m_recovery->write(m_doc->campaign(), m_doc->projectPath(), &error)) {
        // Not a dialog: the user is mid-edit. The status bar says it until the next success.
        // What to do first: the status bar cuts a long message at the window's width, and the
        // autosave's path is long.
        m_lastError = tr("Autosave failed, your edits are not backed up: free some space or "
                         "save the project. %1 %2")
                          .arg(freeSpaceAdvice(m_recovery->dir()), error)
                          .simplified();
        error = m_lastError;
        statusBar()->showMessage(error);
        return false;
    }
    m_autosavedRevision = m_doc->revision();
    return true;
}

bool MainWindow::writeProject(const QString &path)
{
    // The previous version stays as <name>.bak (Blender's "save versions"): a save the user
    // regrets is one rename away. The copy is made before QSaveFile replaces the file.
    // Written atomically too: on a full disk a half-copied .bak must not replace the previous
    // one (QFile::copy would first need the old .bak removed).
    if (QFileInfo::exists(path)) {
        QFile current(path);
        if (current.open(QIODevice::ReadOnly))
            services::writeFileAtomically(path + QStringLiteral(".bak"), current.readAll());
    }
    QString error;
    if (!editor::saveCampaign(m_doc->campaign(), path, &error)) {
        const QString advice =
            tr("The project was NOT saved and stays open with its changes: free some space, or "
               "save it somewhere else with File ▸ Save As. %1")
                .arg(freeSpaceAdvice(QFileInfo(path).absolutePath()))
                .trimmed();
        m_lastError = error + (error.endsWith(QLatin1Char('.')) ? QStringLiteral(" ") : QStringLiteral(". "))
            + advice;
        statusBar()->showMessage(tr("Not saved: %1").arg(m_lastError));
        if (isVisible())
            QMessageBox::warning(this, tr("Project not saved"),
                                 error + QStringLiteral("\n\n") + advice);
        m_doc->markModified();
        return false;
    }
    return true;
}

bool MainWindow::save()
{
    if (!m_doc->isOpen())
        return false;
    if (!writeProject(m_doc->projectPath()))
        return false;
    m_doc->markSaved();
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(m_doc->projectPath())), 5000);
    return true;
}

bool MainWindow::saveAs(const QString &path)
{
    if (!m_doc->isOpen())
        return false;
    const QString absolute = QFileInfo(path).absoluteFilePath();
    if (!writeProject(absolute))
        return false;
    // Media paths are absolute in memory and written relative to the new folder.
    m_doc->setProjectPath(absolute);
    m_doc->markSaved();
    m_exportFolder = QFileInfo(absolute).absolutePath() + QStringLiteral("/renders");
    m_reviewPanel->setCampaign(m_doc->campaign(), m_exportFolder);
    addRecent(absolute);
    updateTitle();
    statusBar()->showMessage(tr("Saved as %1").arg(QDir::toNativeSeparators(absolute)), 5000);
    return true;
}

bool MainWindow::newProject(const QString &path, bool interactive)
{
    editor::Campaign c;
    c.id = QUuid::createUuid().toString(QUuid::WithoutBraces);
    c.name = QFileInfo(path).completeBaseName();
    for (const editor::FormatPreset &preset : editor::builtinFormatPresets())
        c.formats.push_back(preset);
    editor::Segment segment;
    segment.id = QStringLiteral("everyone");
    segment.name = tr("Everyone");
    segment.locale = QLocale().name();
    c.segments.push_back(segment);
    c.timeline.tracks = {
        {QStringLiteral("video"), editor::TrackKind::Video, tr("Video"), {}},
        {QStringLiteral("text"), editor::TrackKind::Text, tr("Text"), {}},
        {QStringLiteral("audio"), editor::TrackKind::Audio, tr("Audio"), {}},
    };
    QString error;
    if (!editor::saveCampaign(c, path, &error)) {
        m_lastError = error;
        if (interactive)
            QMessageBox::warning(this, tr("Cannot create project"), error);
        return false;
    }
    return openProject(path, interactive);
}

void MainWindow::chooseNew()
{
    if (!confirmDiscardChanges())
        return;
    const QString path = QFileDialog::getSaveFileName(this, tr("New campaign"), QString(),
                                                      tr("Campaign projects (*.campaign)"));
    if (!path.isEmpty())
        newProject(path.endsWith(QStringLiteral(".campaign")) ? path : path + QStringLiteral(".campaign"));
}

void MainWindow::chooseAndOpen()
{
    if (!confirmDiscardChanges())
        return;
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open campaign"), QFileInfo(m_doc->projectPath()).absolutePath(),
        tr("Campaign projects (*.campaign)"));
    if (!path.isEmpty())
        openProject(path);
}

void MainWindow::chooseSaveAs()
{
    const QString path = QFileDialog::getSaveFileName(this, tr("Save campaign as"),
                                                      m_doc->projectPath(),
                                                      tr("Campaign projects (*.campaign)"));
    if (!path.isEmpty())
        saveAs(path.endsWith(QStringLiteral(".campaign")) ? path : path + QStringLiteral(".campaign"));
}

void MainWindow::chooseExportFolder()
{
    const QString dir = QFileDialog::getExistingDirectory(this, tr("Export folder"), m_exportFolder);
    if (!dir.isEmpty())
        setExportFolder(dir);
}

void MainWindow::setExportFolder(const QString &dir)
{
    m_exportFolder = dir;
    if (m_doc->isOpen())
        m_reviewPanel->setCampaign(m_doc->campaign(), m_exportFolder);
}

}  // namespace ui
