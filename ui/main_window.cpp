// SPDX-License-Identifier: GPL-3.0-or-later
#include "main_window.h"

#include "credential_store.h"
#include "export_controller.h"
#include "generation_controller.h"
#include "generation_panel.h"
#include "generation_settings_dialog.h"
#include "preview_view.h"
#include "preview_worker.h"
#include "review_panel.h"

#include "app/batch_export.h"
#include "app/review_status.h"
#include "editor/generation_plan.h"
#include "editor/project_io.h"

#include <QAction>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileDialog>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QSplitter>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

namespace ui {

namespace {
constexpr int kPreviewMaxWidth = 720;
constexpr int kPreviewMaxHeight = 720;
constexpr int kExportJobs = 2;
}  // namespace

MainWindow::MainWindow(QWidget *parent)
    : QMainWindow(parent)
{
    setObjectName(QStringLiteral("mainWindow"));
    buildUi();
    buildMenus();

    m_previewWorker = new PreviewWorker;
    m_previewWorker->moveToThread(&m_previewThread);
    connect(&m_previewThread, &QThread::finished, m_previewWorker, &QObject::deleteLater);
    connect(m_previewWorker, &PreviewWorker::frameReady, this,
            [this](quint64 serial, const QImage &image) {
                if (serial == m_previewSerial)
                    m_preview->setImage(image);
            });
    connect(m_previewWorker, &PreviewWorker::frameFailed, this,
            [this](quint64 serial, const QString &message) {
                if (serial == m_previewSerial)
                    m_preview->setMessage(message);
            });
    m_previewThread.setObjectName(QStringLiteral("preview"));
    m_previewThread.start();

    m_export = new ExportController(this);
    connect(m_export, &ExportController::progressChanged, this,
            [this](int percent, const QString &status) {
                m_progress->setValue(percent);
                m_statusLabel->setText(status);
            });
    connect(m_export, &ExportController::cellFinished, this,
            [this](const services::ExportEvent &event) {
                if (event.status == services::ExportEvent::Status::Failed)
                    statusBar()->showMessage(tr("%1 failed: %2")
                                                 .arg(event.cell.jobId(), event.errorMessage));
            });
    connect(m_export, &ExportController::finished, this,
            [this](const services::ExportSummary &summary, bool cancelled) {
                setBusy(false);
                if (m_reviewPanel->isVisible())  // new files: new statuses, void approvals show
                    m_reviewPanel->refresh();
                if (!cancelled && summary.failed == 0)
                    statusBar()->showMessage(tr("Exported into %1").arg(m_exportFolder));
            });

    // Before setupGeneration(): it restores the saved dock layout, which must know this dock.
    setupReview();
    setupGeneration();
}

MainWindow::~MainWindow()
{
    if (m_export)
        m_export->cancel();
    m_previewThread.quit();
    m_previewThread.wait();
}

void MainWindow::buildUi()
{
    auto *central = new QWidget(this);
    auto *root = new QHBoxLayout(central);

    auto *side = new QWidget(central);
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->setContentsMargins(0, 0, 0, 0);
    sideLayout->addWidget(new QLabel(tr("Segments"), side));
    m_segmentList = new QListWidget(side);
    m_segmentList->setObjectName(QStringLiteral("segmentList"));
    sideLayout->addWidget(m_segmentList, 3);
    sideLayout->addWidget(new QLabel(tr("Formats"), side));
    m_formatList = new QListWidget(side);
    m_formatList->setObjectName(QStringLiteral("formatList"));
    sideLayout->addWidget(m_formatList, 2);
    side->setMinimumWidth(240);

    auto *centre = new QWidget(central);
    auto *centreLayout = new QVBoxLayout(centre);
    centreLayout->setContentsMargins(0, 0, 0, 0);
    m_preview = new PreviewView(centre);
    centreLayout->addWidget(m_preview, 1);

    auto *timeRow = new QHBoxLayout;
    m_timeSlider = new QSlider(Qt::Horizontal, centre);
    m_timeSlider->setObjectName(QStringLiteral("timeSlider"));
    m_timeSlider->setRange(0, 0);
    m_timeLabel = new QLabel(centre);
    m_timeLabel->setObjectName(QStringLiteral("timeLabel"));
    m_timeLabel->setMinimumWidth(140);
    timeRow->addWidget(m_timeSlider, 1);
    timeRow->addWidget(m_timeLabel);
    centreLayout->addLayout(timeRow);

    auto *exportRow = new QHBoxLayout;
    m_exportAllButton = new QPushButton(tr("Export all variants"), centre);
    m_exportAllButton->setObjectName(QStringLiteral("exportAllButton"));
    m_exportCurrentButton = new QPushButton(tr("Export this variant"), centre);
    m_exportCurrentButton->setObjectName(QStringLiteral("exportCurrentButton"));
    m_generateButton = new QPushButton(tr("Generate missing assets"), centre);
    m_generateButton->setObjectName(QStringLiteral("generateButton"));
    m_cancelButton = new QPushButton(tr("Cancel"), centre);
    m_cancelButton->setObjectName(QStringLiteral("cancelExportButton"));
    m_cancelButton->setEnabled(false);
    m_progress = new QProgressBar(centre);
    m_progress->setObjectName(QStringLiteral("exportProgress"));
    m_progress->setRange(0, 100);
    m_progress->setValue(0);
    m_statusLabel = new QLabel(centre);
    m_statusLabel->setObjectName(QStringLiteral("exportStatus"));
    exportRow->addWidget(m_generateButton);
    exportRow->addWidget(m_exportAllButton);
    exportRow->addWidget(m_exportCurrentButton);
    exportRow->addWidget(m_progress, 1);
    exportRow->addWidget(m_cancelButton);
    centreLayout->addLayout(exportRow);
    centreLayout->addWidget(m_statusLabel);

    auto *splitter = new QSplitter(central);
    splitter->addWidget(side);
    splitter->addWidget(centre);
    splitter->setStretchFactor(1, 1);
    root->addWidget(splitter);
    setCentralWidget(central);
    resize(1100, 760);

    connect(m_segmentList, &QListWidget::currentRowChanged, this, &MainWindow::requestPreview);
    connect(m_formatList, &QListWidget::currentRowChanged, this, &MainWindow::requestPreview);
    connect(m_timeSlider, &QSlider::valueChanged, this, [this]() {
        updateTimeLabel();
        requestPreview();
    });
    connect(m_exportAllButton, &QPushButton::clicked, this, &MainWindow::exportAll);
    connect(m_exportCurrentButton, &QPushButton::clicked, this, &MainWindow::exportCurrent);
    connect(m_cancelButton, &QPushButton::clicked, this, &MainWindow::cancelExport);
    connect(m_generateButton, &QPushButton::clicked, this, &MainWindow::generateMissing);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    QAction *open = file->addAction(tr("&Open…"), this, &MainWindow::chooseAndOpen);
    open->setShortcut(QKeySequence::Open);
    QAction *saveAction = file->addAction(tr("&Save"), this, &MainWindow::save);
    saveAction->setShortcut(QKeySequence::Save);
    file->addAction(tr("Export &folder…"), this, &MainWindow::chooseExportFolder);
    file->addSeparator();
    QAction *quit = file->addAction(tr("&Quit"), this, &QWidget::close);
    quit->setShortcut(QKeySequence::Quit);

    QMenu *campaignMenu = menuBar()->addMenu(tr("&Campaign"));
    campaignMenu->addAction(tr("&Generate missing assets"), this, &MainWindow::generateMissing);
    campaignMenu->addAction(tr("Generation &settings…"), this, &MainWindow::showGenerationSettings);

    QMenu *exportMenu = menuBar()->addMenu(tr("&Export"));
    QAction *all = exportMenu->addAction(tr("Export &all variants"), this, &MainWindow::exportAll);
    all->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_E));
    exportMenu->addAction(tr("Export &this variant"), this, &MainWindow::exportCurrent);
    exportMenu->addAction(tr("&Cancel export"), this, &MainWindow::cancelExport);

    // Filled with the docks' toggle actions once they exist (setupGeneration).
    m_viewMenu = menuBar()->addMenu(tr("&View"));
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
    m_campaign = std::move(result.campaign);
    m_projectPath = QFileInfo(path).absoluteFilePath();
    m_exportFolder = QFileInfo(m_projectPath).absolutePath() + QStringLiteral("/renders");
    m_lastError.clear();
    setWindowTitle(tr("%1[*] — Campaign Studio").arg(m_campaign->name));
    setWindowModified(false);
    m_previewWorker->setCampaign(*m_campaign);
    m_generationPanel->setCampaign(*m_campaign, QFileInfo(m_projectPath).absolutePath());
    m_reviewPanel->setCampaign(*m_campaign, m_exportFolder);
    populateLists();
    statusBar()->showMessage(tr("Opened %1").arg(QDir::toNativeSeparators(m_projectPath)));
    return true;
}

void MainWindow::populateLists()
{
    const QSignalBlocker blockSegments(m_segmentList);
    const QSignalBlocker blockFormats(m_formatList);
    const QSignalBlocker blockSlider(m_timeSlider);
    m_segmentList->clear();
    m_formatList->clear();
    for (const auto &segment : m_campaign->segments) {
        auto *item = new QListWidgetItem(
            tr("%1\n%2 · %3").arg(segment.name, segment.locale, segment.tone), m_segmentList);
        item->setData(Qt::UserRole, segment.id);
    }
    for (const auto &format : m_campaign->formats) {
        auto *item = new QListWidgetItem(
            tr("%1  (%2×%3)").arg(format.name).arg(format.width).arg(format.height), m_formatList);
        item->setData(Qt::UserRole, format.id);
    }
    m_segmentList->setCurrentRow(m_campaign->segments.empty() ? -1 : 0);
    m_formatList->setCurrentRow(m_campaign->formats.empty() ? -1 : 0);
    const auto &timeline = m_campaign->timeline;
    m_timeSlider->setRange(0, int(std::max<int64_t>(0, timeline.duration.toFrames(timeline.fps) - 1)));
    m_timeSlider->setValue(std::min(m_timeSlider->maximum(), int(2 * timeline.fps.toDouble())));
    updateTimeLabel();
    requestPreview();
}

QString MainWindow::currentSegmentId() const
{
    const QListWidgetItem *item = m_segmentList->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

QString MainWindow::currentFormatId() const
{
    const QListWidgetItem *item = m_formatList->currentItem();
    return item ? item->data(Qt::UserRole).toString() : QString();
}

void MainWindow::requestPreview()
{
    if (!m_campaign || currentSegmentId().isEmpty() || currentFormatId().isEmpty())
        return;
    // The slider counts timeline frames; each format may have its own rate.
    const auto &timeline = m_campaign->timeline;
    const editor::Rational time = editor::Rational::fromFrames(m_timeSlider->value(), timeline.fps);
    const editor::FormatPreset *format = m_campaign->format(currentFormatId());
    PreviewRequest req;
    req.serial = ++m_previewSerial;
    req.segmentId = currentSegmentId();
    req.formatId = currentFormatId();
    req.frame = format ? time.toFrames(format->fps, editor::Rational::Rounding::Floor)
                       : m_timeSlider->value();
    req.maxSize = QSize(kPreviewMaxWidth, kPreviewMaxHeight);
    m_previewWorker->request(req);
}

void MainWindow::updateTimeLabel()
{
    if (!m_campaign)
        return;
    const auto &timeline = m_campaign->timeline;
    const double seconds = editor::Rational::fromFrames(m_timeSlider->value(), timeline.fps).toDouble();
    m_timeLabel->setText(tr("%1 s / %2 s  (frame %3)")
                             .arg(seconds, 0, 'f', 2)
                             .arg(timeline.duration.toDouble(), 0, 'f', 2)
                             .arg(m_timeSlider->value()));
}

void MainWindow::exportAll()
{
    startExport({}, {});
}

void MainWindow::exportCurrent()
{
    if (currentSegmentId().isEmpty() || currentFormatId().isEmpty())
        return;
    startExport({currentSegmentId()}, {currentFormatId()});
}

void MainWindow::startExport(const QStringList &segments, const QStringList &formats)
{
    if (!m_campaign || m_export->isRunning() || m_generation->isRunning())
        return;
    QStringList errors;
    std::vector<services::ExportCell> cells =
        services::planExport(*m_campaign, m_exportFolder, segments, formats, &errors);
    if (!errors.isEmpty() || cells.empty()) {
        m_statusLabel->setText(errors.isEmpty() ? tr("Nothing to export") : errors.join(QLatin1Char('\n')));
        return;
    }
    if (m_export->start(*m_campaign, std::move(cells), kExportJobs))
        setBusy(true);
}

void MainWindow::generateMissing()
{
    startGeneration(services::GenerationOptions{}, {});
}

void MainWindow::setBusy(bool busy)
{
    m_exportAllButton->setEnabled(!busy);
    m_exportCurrentButton->setEnabled(!busy);
    m_generateButton->setEnabled(!busy);
    m_cancelButton->setEnabled(busy);
}

void MainWindow::cancelExport()
{
    if (m_export->isRunning() || m_generation->isRunning()) {
        m_export->cancel();
        m_generation->cancel();
        m_statusLabel->setText(tr("Cancelling…"));
    }
}

void MainWindow::chooseAndOpen()
{
    const QString path = QFileDialog::getOpenFileName(
        this, tr("Open campaign"), QFileInfo(m_projectPath).absolutePath(),
        tr("Campaign projects (*.campaign)"));
    if (!path.isEmpty())
        openProject(path);
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
    if (m_campaign)
        m_reviewPanel->setCampaign(*m_campaign, m_exportFolder);
}

void MainWindow::setupReview()
{
    m_reviewPanel = new ReviewPanel(this);
    auto *dock = new QDockWidget(tr("Review"), this);
    dock->setObjectName(QStringLiteral("reviewDock"));
    dock->setWidget(m_reviewPanel);
    // Under the preview only: the generation dock keeps the full right edge, so its height
    // never competes with the grid's.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    addDockWidget(Qt::BottomDockWidgetArea, dock);
    dock->hide();  // a mode for approvers: opened from the View menu
    QAction *toggle = dock->toggleViewAction();
    toggle->setObjectName(QStringLiteral("toggleReviewDockAction"));
    toggle->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    m_viewMenu->addAction(toggle);
    // Files may have been exported or touched while the dock was closed.
    connect(dock, &QDockWidget::visibilityChanged, m_reviewPanel, [this, dock](bool visible) {
        if (!visible)
            return;
        // Posters need room: give the dock a useful height the first time it opens.
        if (dock->height() < 420 && !dock->isFloating())
            QTimer::singleShot(0, this, [this, dock] {
                resizeDocks({dock}, {std::max(420, height() / 2)}, Qt::Vertical);
            });
        m_reviewPanel->refresh();
    });
    connect(m_reviewPanel, &ReviewPanel::decided, this, &MainWindow::applyApproval);
    connect(m_reviewPanel, &ReviewPanel::message, this,
            [this](const QString &text) { statusBar()->showMessage(text, 10000); });
}

void MainWindow::applyApproval(const editor::Approval &approval)
{
    if (!m_campaign)
        return;
    services::setApproval(*m_campaign, approval);
    statusBar()->showMessage(tr("%1/%2 %3").arg(approval.segmentId, approval.formatId,
                                                approval.decision == editor::Approval::Decision::Approved
                                                    ? tr("approved") : tr("rejected")), 5000);
    // Only the review panel shows approvals; the preview and the generation panel need not
    // render or re-plan anything for them.
    setWindowModified(true);
    m_reviewPanel->setCampaign(*m_campaign, m_exportFolder);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (isWindowModified()) {
        const auto answer = QMessageBox::question(
            this, tr("Unsaved changes"), tr("Save the changes to %1 before closing?")
                                             .arg(QFileInfo(m_projectPath).fileName()),
            QMessageBox::Save | QMessageBox::Discard | QMessageBox::Cancel, QMessageBox::Save);
        if (answer == QMessageBox::Cancel || (answer == QMessageBox::Save && !save())) {
            event->ignore();
            return;
        }
    }
    if (m_export->isRunning() || m_generation->isRunning()) {
        const auto answer = QMessageBox::question(
            this, tr("Work running"),
            tr("An export or generation is still running. Cancel it and quit? Finished "
               "variants and assets are kept; unfinished ones leave no partial files."));
        if (answer != QMessageBox::Yes) {
            event->ignore();
            return;
        }
        m_export->cancel();
        m_generation->cancel();
    }
    QSettings settings;
    settings.setValue(QStringLiteral("window/geometry"), saveGeometry());
    settings.setValue(QStringLiteral("window/state"), saveState());
    event->accept();
}

void MainWindow::setupGeneration()
{
    m_credentials = new CredentialStore(this);
    connect(m_credentials, &CredentialStore::keychainUnavailable, this,
            [this](const QString &message) { statusBar()->showMessage(message, 15000); });
    connect(m_credentials, &CredentialStore::stored, this,
            [this](CredentialStore::Secret, bool persisted, const QString &message) {
                statusBar()->showMessage(persisted ? tr("Saved in the system keychain.") : message, 15000);
            });
    m_credentials->load();

    m_generation = new GenerationController(this);
    connect(m_generation, &GenerationController::progressChanged, this,
            [this](int percent, const QString &status) {
                m_progress->setValue(percent);
                m_statusLabel->setText(status);
            });
    connect(m_generation, &GenerationController::finished, this, &MainWindow::generationFinished);

    m_generationPanel = new GenerationPanel(m_generation, this);
    auto *dock = new QDockWidget(tr("Generation"), this);
    dock->setObjectName(QStringLiteral("generationDock"));
    dock->setWidget(m_generationPanel);
    dock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    addDockWidget(Qt::RightDockWidgetArea, dock);
    QAction *toggle = dock->toggleViewAction();
    toggle->setObjectName(QStringLiteral("toggleGenerationDockAction"));
    toggle->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G));
    m_viewMenu->addAction(toggle);
    resize(1560, 900);
    resizeDocks({dock}, {560}, Qt::Horizontal);

    connect(m_generationPanel, &GenerationPanel::requestEdited, this, &MainWindow::applyRequestEdit);
    connect(m_generationPanel, &GenerationPanel::generateRequested, this, &MainWindow::startGeneration);
    connect(m_generationPanel, &GenerationPanel::useResultRequested, this, &MainWindow::useResult);
    connect(m_generationPanel, &GenerationPanel::settingsRequested, this, &MainWindow::showGenerationSettings);
    connect(m_credentials, &CredentialStore::secretChanged, this, &MainWindow::updateBackend);
    connect(m_credentials, &CredentialStore::loaded, this, &MainWindow::updateBackend);
    updateBackend();

    // Docks where the user left them (saveState needs the objectNames set above).
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
}

void MainWindow::applyRequestEdit(const editor::GenerationRequest &request)
{
    if (!m_campaign)
        return;
    for (auto &r : m_campaign->generationRequests)
        if (r.id == request.id && r != request) {
            r = request;
            // The panel already shows the edit; only the document and its mark change.
            setWindowModified(true);
            m_previewWorker->setCampaign(*m_campaign);
        }
}

void MainWindow::startGeneration(const services::GenerationOptions &options, const QStringList &unpin)
{
    if (!m_campaign || m_export->isRunning() || m_generation->isRunning())
        return;
    // A new result is wanted for these slots, so their "use this" choice must not hold it back.
    bool unpinned = false;
    for (const QString &assetId : unpin)
        if (editor::Asset *asset = m_campaign->asset(assetId); asset && asset->pinned) {
            asset->pinned = false;
            unpinned = true;
        }
    if (unpinned)
        setWindowModified(true);
    updateBackend();  // the environment may have changed since
    if (m_generation->start(*m_campaign, QFileInfo(m_projectPath).absolutePath(), options))
        setBusy(true);
}

void MainWindow::generationFinished(const editor::Campaign &generated, bool changed, int failed,
                                    const QString &message)
{
    setBusy(false);
    if (failed) {
        // Per-job reasons are in the queue; no modal box so a batch run never waits on a click.
        statusBar()->showMessage(tr("%n generation job(s) failed; see the Generation panel.", nullptr, failed));
        if (auto *dock = findChild<QDockWidget *>(QStringLiteral("generationDock")))
            dock->show();
    }
    if (!changed || !m_campaign)
        return;
    // The worker had a copy; the user may have edited the document meanwhile. Take the new
    // files into the current document, then plan again so an edited request still wins.
    for (const editor::Asset &asset : generated.assets) {
        editor::Asset *mine = m_campaign->asset(asset.id);
        if (!mine)
            m_campaign->assets.push_back(asset);
        else if (!mine->pinned)  // a "use this" made during the run is the user's last word
            *mine = asset;
    }
    editor::expandGenerationRequests(*m_campaign);
    // Generated files are already stored; the project must now point at them.
    if (!save())
        QMessageBox::warning(this, tr("Cannot save project"), m_lastError);
    documentChanged(isWindowModified());
    Q_UNUSED(message);
}

void MainWindow::useResult(const QString &assetId, const QString &path, const editor::GenerationRecipe &recipe)
{
    if (!m_campaign)
        return;
    editor::Asset *asset = m_campaign->asset(assetId);
    if (!asset) {
        editor::Asset added;
        added.id = assetId;
        added.kind = recipe.kind;
        m_campaign->assets.push_back(added);
        asset = &m_campaign->assets.back();
    }
    asset->path = path;
    asset->recipe = recipe;
    asset->pinned = true;
    editor::expandGenerationRequests(*m_campaign);  // binds the segment variable if needed
    statusBar()->showMessage(tr("%1 now uses %2").arg(assetId, QFileInfo(path).fileName()));
    documentChanged(true);
}

void MainWindow::documentChanged(bool modified)
{
    setWindowModified(modified);
    m_previewWorker->setCampaign(*m_campaign);
    m_generationPanel->setCampaign(*m_campaign, QFileInfo(m_projectPath).absolutePath());
    m_reviewPanel->setCampaign(*m_campaign, m_exportFolder);
    requestPreview();
}

bool MainWindow::save()
{
    if (!m_campaign)
        return false;
    QString error;
    if (!editor::saveCampaign(*m_campaign, m_projectPath, &error)) {
        m_lastError = error;
        statusBar()->showMessage(tr("Cannot save: %1").arg(error));
        return false;
    }
    setWindowModified(false);
    statusBar()->showMessage(tr("Saved %1").arg(QDir::toNativeSeparators(m_projectPath)), 5000);
    return true;
}

void MainWindow::updateBackend()
{
    const services::GoogleBackend backend = GenerationSettings::load().backend(*m_credentials);
    m_generation->setBackend(backend);
    m_generationPanel->setBackendProblem(backend.problem());
}

void MainWindow::showGenerationSettings()
{
    auto *dialog = new GenerationSettingsDialog(m_credentials, this);
    dialog->setAttribute(Qt::WA_DeleteOnClose);
    connect(dialog, &QDialog::accepted, this, &MainWindow::updateBackend);
    dialog->open();  // window-modal, not blocking: generation and previews go on
}

}  // namespace ui
