// SPDX-License-Identifier: GPL-3.0-or-later
// The studio's main window: a workspace of docks (Segments, Preview, Jobs, Generation, Review,
// and the editor's panels) around one editor::Document. Every change to the campaign goes
// through the document, so it is undoable, marks the window modified and is autosaved a few
// seconds later; the panels follow the document's changed() signal.
//
// Files: New / Open / Open Recent / Save / Save As, a .bak of the previous version on every
// manual save, failed saves reported with the project kept modified, a lock per open project
// and a recovery prompt for autosaves a crashed session left behind (services::RecoveryStore).
#pragma once

#include "app/generate_assets.h"
#include "editor/campaign.h"

#include <QMainWindow>
#include <QPointer>
#include <QString>

#include <functional>
#include <memory>

class QDockWidget;
class QLabel;
class QListWidget;
class QMenu;
class QProgressBar;
class QPushButton;
class QSlider;
class QTimer;

namespace editor {
class Document;
}
namespace services {
class MediaLibrary;
class RecoveryStore;
struct RecoveryCandidate;
}

namespace ui {

class CredentialStore;
class ExportController;
class GenerationController;
class GenerationPanel;
class JobsView;
class AssetBin;
class ClipInspector;
class PreflightPanel;
class PreviewPanel;
class ReviewPanel;
class SegmentsPanel;
class TimelineView;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    // What to do with an autosave a crashed session left: asked interactively, or by tests
    // through setRecoveryDecider().
    enum class RecoveryChoice { Restore, Discard, Later };
    using RecoveryDecider = std::function<RecoveryChoice(const services::RecoveryCandidate &)>;

    // `recoveryDir` holds autosaves and project locks (default: AppDataLocation/recovery).
    explicit MainWindow(QWidget *parent = nullptr, const QString &recoveryDir = {});
    ~MainWindow() override;

    // Loads a .campaign file; on failure shows why (every validation issue) and returns false.
    // When an autosave of it from a crashed session exists, offers it (see RecoveryDecider).
    bool openProject(const QString &path, bool interactive = true);
    // A new, empty campaign saved at `path` (four formats, one segment, empty timeline).
    bool newProject(const QString &path, bool interactive = true);
    QString projectPath() const;
    QString exportFolder() const { return m_exportFolder; }
    // Also what review mode reads: statuses are of the files in this folder.
    void setExportFolder(const QString &dir);
    QString lastError() const { return m_lastError; }

    QString currentSegmentId() const;
    QString currentFormatId() const;

    editor::Document *document() const { return m_doc; }
    // The open document (null when none); unsaved edits included.
    const editor::Campaign *campaign() const;
    bool isModified() const;
    GenerationPanel *generationPanel() const { return m_generationPanel; }
    GenerationController *generationController() const { return m_generation; }
    CredentialStore *credentials() const { return m_credentials; }
    ReviewPanel *reviewPanel() const { return m_reviewPanel; }
    PreviewPanel *previewPanel() const { return m_previewPanel; }
    TimelineView *timeline() const { return m_timeline; }

    void setRecoveryDecider(RecoveryDecider decider) { m_recoveryDecider = std::move(decider); }
    // Autosaves of projects other than the open one left by crashed sessions: each is offered
    // (Restore opens it with the autosaved state). Called once at startup.
    void offerOtherRecoveries();
    services::RecoveryStore *recoveryStore() const { return m_recovery.get(); }
    // Idle time after an edit before the autosave is written.
    void setAutosaveDelay(int ms);
    // Writes the autosave now if the document changed since the last one; false on failure
    // (the reason is in the status bar and lastError()).
    bool autosaveNow();

    QStringList recentFiles() const;
    // The layout the window starts with; View ▸ Reset layout returns to it.
    void resetLayout();

public slots:
    void exportAll();
    void exportCurrent();
    void cancelExport();
    // Generates the campaign's missing assets in the background, then saves the project.
    void generateMissing();
    // Saves the document to its file; false (and lastError()) when that failed.
    bool save();
    bool saveAs(const QString &path);
    void showGenerationSettings();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    // main_window.cpp: workspace
    void buildDocks();
    void buildMenus();
    QDockWidget *addPanel(const QString &title, const QString &objectName, QWidget *widget,
                          Qt::DockWidgetArea area, const QKeySequence &toggleKey = {});
    void populateLists();
    void arrangeDefaultLayout();
    void setBusy(bool busy);
    void documentChanged();
    void updateTitle();

    // main_window_files.cpp: files, autosave, recovery
    void chooseAndOpen();
    void chooseNew();
    void chooseSaveAs();
    void chooseExportFolder();
    void rebuildRecentMenu();
    void addRecent(const QString &path);
    void removeRecent(const QString &path);
    void adoptDocument(editor::Campaign campaign, const QString &path, bool modified);
    bool maybeRestore(const QString &campaignId, bool interactive);
    RecoveryChoice askRecovery(const services::RecoveryCandidate &candidate);
    bool writeProject(const QString &path);
    bool confirmDiscardChanges();

    // main_window_jobs.cpp: export, generation, review
    void setupJobs();
    void startExport(const QStringList &segments, const QStringList &formats);
    void setupGeneration();
    void applyRequestEdit(const editor::GenerationRequest &request);
    void startGeneration(const services::GenerationOptions &options, const QStringList &unpin);
    void useResult(const QString &assetId, const QString &path, const editor::GenerationRecipe &recipe);
    void generationFinished(const editor::Campaign &generated, bool changed, int failed,
                            const QString &message);
    void updateBackend();
    void setupReview();
    void applyApproval(const editor::Approval &approval);

    editor::Document *m_doc = nullptr;
    QString m_exportFolder;
    QString m_lastError;
    std::unique_ptr<services::RecoveryStore> m_recovery;
    RecoveryDecider m_recoveryDecider;
    QTimer *m_autosaveTimer = nullptr;
    quint64 m_autosavedRevision = 0;
    QByteArray m_defaultState;

    QListWidget *m_segmentList = nullptr;
    QListWidget *m_formatList = nullptr;
    PreviewPanel *m_previewPanel = nullptr;
    TimelineView *m_timeline = nullptr;
    ClipInspector *m_inspector = nullptr;
    SegmentsPanel *m_segmentsPanel = nullptr;
    AssetBin *m_assetBin = nullptr;
    services::MediaLibrary *m_mediaLibrary = nullptr;
    PreflightPanel *m_preflightPanel = nullptr;
    QPushButton *m_exportAllButton = nullptr;
    QPushButton *m_exportCurrentButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QPushButton *m_generateButton = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_statusLabel = nullptr;
    JobsView *m_jobsView = nullptr;
    QMenu *m_viewMenu = nullptr;
    QMenu *m_recentMenu = nullptr;

    ExportController *m_export = nullptr;
    GenerationController *m_generation = nullptr;
    CredentialStore *m_credentials = nullptr;
    GenerationPanel *m_generationPanel = nullptr;
    ReviewPanel *m_reviewPanel = nullptr;
};

}  // namespace ui
