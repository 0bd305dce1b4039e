// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The studio's main window: opens a campaign, lists its segments and formats, previews the
// render core's frame of the chosen cell at a chosen time, exports all (or the current)
// variants in the background with progress and cancel, and docks the generation panel
// (requests, queue, history) and review mode (approve / reject exported cells). The window owns
// the document: the panels ask for every change.

#include "app/generate_assets.h"
#include "editor/campaign.h"

#include <QMainWindow>
#include <QString>
#include <QThread>

#include <optional>

class QLabel;
class QListWidget;
class QMenu;
class QProgressBar;
class QPushButton;
class QSlider;

namespace ui {

class CredentialStore;
class ExportController;
class GenerationController;
class GenerationPanel;
class PreviewView;
class PreviewWorker;
class ReviewPanel;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Loads a .campaign file; on failure shows why (every validation issue) and returns false.
    bool openProject(const QString &path, bool interactive = true);
    QString projectPath() const { return m_projectPath; }
    QString exportFolder() const { return m_exportFolder; }
    // Also what review mode reads: statuses are of the files in this folder.
    void setExportFolder(const QString &dir);
    QString lastError() const { return m_lastError; }

    QString currentSegmentId() const;
    QString currentFormatId() const;

    // The open document (null when none); unsaved edits included.
    const editor::Campaign *campaign() const { return m_campaign ? &*m_campaign : nullptr; }
    bool isModified() const { return isWindowModified(); }
    GenerationPanel *generationPanel() const { return m_generationPanel; }
    GenerationController *generationController() const { return m_generation; }
    CredentialStore *credentials() const { return m_credentials; }
    ReviewPanel *reviewPanel() const { return m_reviewPanel; }

public slots:
    void exportAll();
    void exportCurrent();
    void cancelExport();
    // Generates the campaign's missing assets in the background, then saves the project.
    void generateMissing();
    void requestPreview();
    // Saves the document to its file; false (and lastError()) when that failed.
    bool save();
    void showGenerationSettings();

protected:
    void closeEvent(QCloseEvent *event) override;

private:
    void buildUi();
    void buildMenus();
    void populateLists();
    void startExport(const QStringList &segments, const QStringList &formats);
    void updateTimeLabel();
    void chooseAndOpen();
    void chooseExportFolder();
    void setBusy(bool busy);
    void setupGeneration();
    void applyRequestEdit(const editor::GenerationRequest &request);
    void startGeneration(const services::GenerationOptions &options, const QStringList &unpin);
    void useResult(const QString &assetId, const QString &path, const editor::GenerationRecipe &recipe);
    void generationFinished(const editor::Campaign &generated, bool changed, int failed,
                            const QString &message);
    // The document changed: preview, panel and the modified mark follow.
    void documentChanged(bool modified);
    // Settings or a secret changed: the providers' back end and the panel's hint follow.
    void updateBackend();
    void setupReview();
    // Review mode decided on a cell: the approval goes into the document (saved with it).
    void applyApproval(const editor::Approval &approval);

    std::optional<editor::Campaign> m_campaign;
    QString m_projectPath;
    QString m_exportFolder;
    QString m_lastError;
    quint64 m_previewSerial = 0;

    QListWidget *m_segmentList = nullptr;
    QListWidget *m_formatList = nullptr;
    PreviewView *m_preview = nullptr;
    QSlider *m_timeSlider = nullptr;
    QLabel *m_timeLabel = nullptr;
    QPushButton *m_exportAllButton = nullptr;
    QPushButton *m_exportCurrentButton = nullptr;
    QPushButton *m_cancelButton = nullptr;
    QProgressBar *m_progress = nullptr;
    QLabel *m_statusLabel = nullptr;

    QThread m_previewThread;
    PreviewWorker *m_previewWorker = nullptr;  // lives in m_previewThread
    ExportController *m_export = nullptr;
    GenerationController *m_generation = nullptr;
    QPushButton *m_generateButton = nullptr;
    CredentialStore *m_credentials = nullptr;
    GenerationPanel *m_generationPanel = nullptr;
    QMenu *m_viewMenu = nullptr;
    ReviewPanel *m_reviewPanel = nullptr;
};

}  // namespace ui
