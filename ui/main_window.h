// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The studio's main window (first version): opens a campaign, lists its segments and
// formats, previews the render core's frame of the chosen cell at a chosen time, and exports
// all (or the current) variants in the background with progress and cancel.

#include "editor/campaign.h"

#include <QMainWindow>
#include <QString>
#include <QThread>

#include <optional>

class QLabel;
class QListWidget;
class QProgressBar;
class QPushButton;
class QSlider;

namespace ui {

class ExportController;
class GenerationController;
class PreviewView;
class PreviewWorker;

class MainWindow : public QMainWindow {
    Q_OBJECT
public:
    explicit MainWindow(QWidget *parent = nullptr);
    ~MainWindow() override;

    // Loads a .campaign file; on failure shows why (every validation issue) and returns false.
    bool openProject(const QString &path, bool interactive = true);
    QString projectPath() const { return m_projectPath; }
    QString exportFolder() const { return m_exportFolder; }
    void setExportFolder(const QString &dir) { m_exportFolder = dir; }
    QString lastError() const { return m_lastError; }

    QString currentSegmentId() const;
    QString currentFormatId() const;

public slots:
    void exportAll();
    void exportCurrent();
    void cancelExport();
    // Generates the campaign's missing assets in the background, then saves the project.
    void generateMissing();
    void requestPreview();

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
};

}  // namespace ui
