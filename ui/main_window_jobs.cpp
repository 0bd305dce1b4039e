// SPDX-License-Identifier: GPL-3.0-or-later
// Long work and its panels: export (Jobs dock), generation (Generation dock), review.
#include "main_window.h"

#include "credential_store.h"
#include "export_controller.h"
#include "generation_controller.h"
#include "generation_panel.h"
#include "generation_settings_dialog.h"
#include "jobs_view.h"
#include "preview_worker.h"
#include "review_panel.h"

#include "app/batch_export.h"
#include "app/recovery_store.h"
#include "app/review_status.h"
#include "editor/document.h"
#include "editor/generation_plan.h"

#include <QAction>
#include <QCloseEvent>
#include <QDockWidget>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QMessageBox>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QStatusBar>
#include <QTimer>
#include <QVBoxLayout>

namespace ui {

namespace {
constexpr int kExportJobs = 2;
}  // namespace

void MainWindow::setupJobs()
{
    auto *jobs = new QWidget(this);
    auto *layout = new QVBoxLayout(jobs);
    auto *row = new QHBoxLayout;
    m_generateButton = new QPushButton(tr("Generate missing assets"), jobs);
    m_generateButton->setObjectName(QStringLiteral("generateButton"));
    m_exportAllButton = new QPushButton(tr("Export all variants"), jobs);
    m_exportAllButton->setObjectName(QStringLiteral("exportAllButton"));
    m_exportCurrentButton = new QPushButton(tr("Export this variant"), jobs);
    m_exportCurrentButton->setObjectName(QStringLiteral("exportCurrentButton"));
    m_cancelButton = new QPushButton(tr("Cancel"), jobs);
    m_cancelButton->setObjectName(QStringLiteral("cancelExportButton"));
    m_cancelButton->setEnabled(false);
    m_progress = new QProgressBar(jobs);
    m_progress->setObjectName(QStringLiteral("exportProgress"));
    m_progress->setRange(0, 100);
    m_progress->setValue(0);
    m_statusLabel = new QLabel(jobs);
    m_statusLabel->setObjectName(QStringLiteral("exportStatus"));
    m_statusLabel->setWordWrap(true);
    row->addWidget(m_generateButton);
    row->addWidget(m_exportAllButton);
    row->addWidget(m_exportCurrentButton);
    row->addWidget(m_progress, 1);
    row->addWidget(m_cancelButton);
    layout->addLayout(row);
    layout->addWidget(m_statusLabel);
    m_jobsView = new JobsView(jobs);
    layout->addWidget(m_jobsView, 1);
    addPanel(tr("Jobs"), QStringLiteral("jobsDock"), jobs, Qt::BottomDockWidgetArea,
             QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_J));

    connect(m_exportAllButton, &QPushButton::clicked, this, &MainWindow::exportAll);
    connect(m_exportCurrentButton, &QPushButton::clicked, this, &MainWindow::exportCurrent);
    connect(m_cancelButton, &QPushButton::clicked, this, &MainWindow::cancelExport);
    connect(m_generateButton, &QPushButton::clicked, this, &MainWindow::generateMissing);

    m_export = new ExportController(this);
    m_export->setCliProgram(ExportController::findCliProgram());
    connect(m_export, &ExportController::progressChanged, this,
            [this](int percent, const QString &status) {
                m_progress->setValue(percent);
                m_statusLabel->setText(status);
            });
    connect(m_export, &ExportController::cellEvent, m_jobsView, &JobsView::applyEvent);
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
    if (!m_doc->isOpen() || m_export->isRunning() || m_generation->isRunning())
        return;
    QStringList errors;
    std::vector<services::ExportCell> cells =
        services::planExport(m_doc->campaign(), m_exportFolder, segments, formats, &errors);
    if (!errors.isEmpty() || cells.empty()) {
        m_statusLabel->setText(errors.isEmpty() ? tr("Nothing to export") : errors.join(QLatin1Char('\n')));
        return;
    }
    m_jobsView->startBatch(cells);
    if (m_export->start(m_doc->campaign(), std::move(cells), kExportJobs, m_exportFolder))
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

void MainWindow::setupReview()
{
    m_reviewPanel = new ReviewPanel(this);
    // Under the preview only: the generation dock keeps the full right edge, so its height
    // never competes with the grid's.
    setCorner(Qt::BottomRightCorner, Qt::RightDockWidgetArea);
    QDockWidget *dock = addPanel(tr("Review"), QStringLiteral("reviewDock"), m_reviewPanel,
                                 Qt::BottomDockWidgetArea, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_R));
    dock->toggleViewAction()->setObjectName(QStringLiteral("toggleReviewDockAction"));
    dock->hide();  // a mode for approvers: opened from the View menu
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
    const bool approved = approval.decision == editor::Approval::Decision::Approved;
    m_doc->edit(approved ? tr("Approve %1/%2").arg(approval.segmentId, approval.formatId)
                         : tr("Reject %1/%2").arg(approval.segmentId, approval.formatId),
                [&](editor::Campaign &c) {
                    services::setApproval(c, approval);
                    return true;
                });
    statusBar()->showMessage(tr("%1/%2 %3").arg(approval.segmentId, approval.formatId,
                                                approved ? tr("approved") : tr("rejected")), 5000);
}

void MainWindow::closeEvent(QCloseEvent *event)
{
    if (!confirmDiscardChanges()) {
        event->ignore();
        return;
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
    m_autosaveTimer->stop();
    m_recovery->releaseProject();  // a clean exit: nothing to recover next time
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
    QDockWidget *dock = addPanel(tr("Generation"), QStringLiteral("generationDock"), m_generationPanel,
                                 Qt::RightDockWidgetArea, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_G));
    dock->setAllowedAreas(Qt::LeftDockWidgetArea | Qt::RightDockWidgetArea);
    dock->toggleViewAction()->setObjectName(QStringLiteral("toggleGenerationDockAction"));
    resizeDocks({dock}, {520}, Qt::Horizontal);

    connect(m_generationPanel, &GenerationPanel::requestEdited, this, &MainWindow::applyRequestEdit);
    connect(m_generationPanel, &GenerationPanel::generateRequested, this, &MainWindow::startGeneration);
    connect(m_generationPanel, &GenerationPanel::useResultRequested, this, &MainWindow::useResult);
    connect(m_generationPanel, &GenerationPanel::settingsRequested, this, &MainWindow::showGenerationSettings);
    connect(m_credentials, &CredentialStore::secretChanged, this, &MainWindow::updateBackend);
    connect(m_credentials, &CredentialStore::loaded, this, &MainWindow::updateBackend);
    updateBackend();
}

void MainWindow::applyRequestEdit(const editor::GenerationRequest &request)
{
    // Typing in the request's fields: one undo step per request until another edit.
    m_doc->edit(tr("Edit request %1").arg(request.id),
                [&](editor::Campaign &c) {
                    for (auto &r : c.generationRequests)
                        if (r.id == request.id) {
                            r = request;
                            return true;
                        }
                    return false;
                },
                QStringLiteral("request:") + request.id);
}

void MainWindow::startGeneration(const services::GenerationOptions &options, const QStringList &unpin)
{
    if (!m_doc->isOpen() || m_export->isRunning() || m_generation->isRunning())
        return;
    m_doc->endGesture();
    // A new result is wanted for these slots, so their "use this" choice must not hold it back.
    m_doc->edit(tr("Regenerate"), [&](editor::Campaign &c) {
        bool unpinned = false;
        for (const QString &assetId : unpin)
            if (editor::Asset *asset = c.asset(assetId); asset && asset->pinned) {
                asset->pinned = false;
                unpinned = true;
            }
        return unpinned;
    });
    updateBackend();  // the environment may have changed since
    if (m_generation->start(m_doc->campaign(), m_doc->projectDir(), options))
        setBusy(true);
}

void MainWindow::generationFinished(const editor::Campaign &generated, bool changed, int failed,
                                    const QString &message)
{
    Q_UNUSED(message);
    setBusy(false);
    if (failed) {
        // Per-job reasons are in the queue; no modal box so a batch run never waits on a click.
        statusBar()->showMessage(tr("%n generation job(s) failed; see the Generation panel.", nullptr, failed));
        if (auto *dock = findChild<QDockWidget *>(QStringLiteral("generationDock")))
            dock->show();
    }
    if (!changed || !m_doc->isOpen())
        return;
    // The worker had a copy; the user may have edited the document meanwhile. Take the new
    // files into the current document, then plan again so an edited request still wins.
    m_doc->edit(tr("Generated assets"), [&](editor::Campaign &c) {
        for (const editor::Asset &asset : generated.assets) {
            editor::Asset *mine = c.asset(asset.id);
            if (!mine)
                c.assets.push_back(asset);
            else if (!mine->pinned)  // a "use this" made during the run is the user's last word
                *mine = asset;
        }
        editor::expandGenerationRequests(c);
        return true;
    });
    // Generated files are already stored; the project must now point at them.
    if (!save() && !isVisible())
        statusBar()->showMessage(tr("Cannot save project: %1").arg(m_lastError));
}

void MainWindow::useResult(const QString &assetId, const QString &path, const editor::GenerationRecipe &recipe)
{
    m_doc->edit(tr("Use %1 for %2").arg(QFileInfo(path).fileName(), assetId), [&](editor::Campaign &c) {
        editor::Asset *asset = c.asset(assetId);
        if (!asset) {
            editor::Asset added;
            added.id = assetId;
            added.kind = recipe.kind;
            c.assets.push_back(added);
            asset = &c.assets.back();
        }
        asset->path = path;
        asset->recipe = recipe;
        asset->pinned = true;
        editor::expandGenerationRequests(c);  // binds the segment variable if needed
        return true;
    });
    statusBar()->showMessage(tr("%1 now uses %2").arg(assetId, QFileInfo(path).fileName()));
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
