// SPDX-License-Identifier: GPL-3.0-or-later
// The workspace: docks, menus and the document's fan-out to the panels. Files and recovery are
// in main_window_files.cpp, export/generation/review in main_window_jobs.cpp.
#include "main_window.h"

#include "export_controller.h"
#include "generation_controller.h"
#include "generation_panel.h"
#include "asset_bin.h"
#include "clip_inspector.h"
#include "preflight_panel.h"
#include "preview_panel.h"
#include "preview_view.h"
#include "reframe_editor.h"
#include "review_panel.h"
#include "segments_panel.h"
#include "timeline_view.h"

#include "app/media_library.h"
#include "app/recovery_store.h"
#include "editor/document.h"
#include "render/renderer.h"

#include <QAction>
#include <QDockWidget>
#include <QFileInfo>
#include <QHBoxLayout>
#include <QLabel>
#include <QListWidget>
#include <QMenuBar>
#include <QProgressBar>
#include <QPushButton>
#include <QSettings>
#include <QSlider>
#include <QStandardPaths>
#include <QStatusBar>
#include <QTimer>
#include <QUndoStack>
#include <QVBoxLayout>

namespace ui {

namespace {
// Kdenlive waits 3 s, Shotcut 10 s (RELIABILITY.md B1): long enough not to write during a
// burst of edits, short enough that a crash loses a few seconds of work.
constexpr int kAutosaveDelayMs = 5000;
}  // namespace

MainWindow::MainWindow(QWidget *parent, const QString &recoveryDir)
    : QMainWindow(parent), m_doc(new editor::Document(this))
{
    setObjectName(QStringLiteral("mainWindow"));
    setDockNestingEnabled(true);
    m_recovery = std::make_unique<services::RecoveryStore>(
        recoveryDir.isEmpty()
            ? QStandardPaths::writableLocation(QStandardPaths::AppDataLocation) + QStringLiteral("/recovery")
            : recoveryDir);

    m_autosaveTimer = new QTimer(this);
    m_autosaveTimer->setSingleShot(true);
    m_autosaveTimer->setInterval(kAutosaveDelayMs);
    connect(m_autosaveTimer, &QTimer::timeout, this, &MainWindow::autosaveNow);

    connect(m_doc, &editor::Document::changed, this, &MainWindow::documentChanged);
    connect(m_doc, &editor::Document::modifiedChanged, this, [this](bool modified) {
        setWindowModified(modified);
    });

    buildMenus();
    buildDocks();
    setupJobs();
    setupReview();
    setupGeneration();
    arrangeDefaultLayout();
    // The layout Reset returns to, taken before the user's saved one is applied.
    m_defaultState = saveState();
    QSettings settings;
    restoreGeometry(settings.value(QStringLiteral("window/geometry")).toByteArray());
    restoreState(settings.value(QStringLiteral("window/state")).toByteArray());
    updateTitle();
}

MainWindow::~MainWindow()
{
    if (m_export)
        m_export->cancel();
}

QDockWidget *MainWindow::addPanel(const QString &title, const QString &objectName, QWidget *widget,
                                  Qt::DockWidgetArea area, const QKeySequence &toggleKey)
{
    auto *dock = new QDockWidget(title, this);
    // saveState() identifies docks by objectName; without one the layout is not restored.
    dock->setObjectName(objectName);
    dock->setWidget(widget);
    addDockWidget(area, dock);
    QAction *toggle = dock->toggleViewAction();
    toggle->setObjectName(QStringLiteral("toggle_") + objectName);
    if (!toggleKey.isEmpty())
        toggle->setShortcut(toggleKey);
    // Shown from the View menu while tabbed with others: bring it to the front, or the
    // user sees nothing happen.
    connect(toggle, &QAction::triggered, dock, [dock](bool on) {
        if (on)
            dock->raise();
    });
    m_viewMenu->addAction(toggle);
    return dock;
}

void MainWindow::buildDocks()
{
    m_mediaLibrary = new services::MediaLibrary(
        QStandardPaths::writableLocation(QStandardPaths::CacheLocation) + QStringLiteral("/media"), this);
    m_assetBin = new AssetBin(m_doc, m_mediaLibrary, this);
    addPanel(tr("Assets"), QStringLiteral("assetsDock"), m_assetBin, Qt::LeftDockWidgetArea);
    m_segmentsPanel = new SegmentsPanel(m_doc, this);
    addPanel(tr("Segments"), QStringLiteral("segmentsDock"), m_segmentsPanel, Qt::LeftDockWidgetArea);

    // Variants: which (segment, format) cell the preview shows and "Export this variant" means.
    auto *side = new QWidget(this);
    auto *sideLayout = new QVBoxLayout(side);
    sideLayout->addWidget(new QLabel(tr("Segments"), side));
    m_segmentList = new QListWidget(side);
    m_segmentList->setObjectName(QStringLiteral("segmentList"));
    sideLayout->addWidget(m_segmentList, 3);
    sideLayout->addWidget(new QLabel(tr("Formats"), side));
    m_formatList = new QListWidget(side);
    m_formatList->setObjectName(QStringLiteral("formatList"));
    sideLayout->addWidget(m_formatList, 2);
    addPanel(tr("Variants"), QStringLiteral("variantsDock"), side, Qt::LeftDockWidgetArea);

    m_previewPanel = new PreviewPanel(m_doc, this);
    m_previewPanel->view()->setObjectName(QStringLiteral("previewView"));
    addPanel(tr("Preview"), QStringLiteral("previewDock"), m_previewPanel, Qt::RightDockWidgetArea);

    m_inspector = new ClipInspector(m_doc, this);
    addPanel(tr("Inspector"), QStringLiteral("inspectorDock"), m_inspector, Qt::RightDockWidgetArea);

    m_timeline = new TimelineView(m_doc, this);
    // resizeDocks() before the first show is not honoured; the sample's five tracks need this
    // much to be seen without scrolling.
    m_timeline->setMinimumHeight(250);
    addPanel(tr("Timeline"), QStringLiteral("timelineDock"), m_timeline, Qt::BottomDockWidgetArea,
             QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_T));
    // The Edit menu owns Ctrl+Z / Ctrl+Shift+Z for the whole window; a second action with the
    // same keys would make both ambiguous and neither would fire.
    m_timeline->undoAction()->setShortcuts({});
    m_timeline->redoAction()->setShortcuts({});

    m_preflightPanel = new PreflightPanel(m_doc, this);
    addPanel(tr("Preflight"), QStringLiteral("preflightDock"), m_preflightPanel, Qt::BottomDockWidgetArea);

    auto selectCell = [this](const QString &segmentId, const QString &formatId) {
        const QSignalBlocker a(m_segmentList), b(m_formatList);
        for (int i = 0; i < m_segmentList->count(); ++i)
            if (m_segmentList->item(i)->data(Qt::UserRole).toString() == segmentId)
                m_segmentList->setCurrentRow(i);
        for (int i = 0; i < m_formatList->count(); ++i)
            if (m_formatList->item(i)->data(Qt::UserRole).toString() == formatId)
                m_formatList->setCurrentRow(i);
    };
    auto listsChanged = [this] {
        if (!currentSegmentId().isEmpty() && !currentFormatId().isEmpty())
            m_previewPanel->setCell(currentSegmentId(), currentFormatId());
    };
    connect(m_segmentList, &QListWidget::currentRowChanged, this, listsChanged);
    connect(m_formatList, &QListWidget::currentRowChanged, this, listsChanged);
    connect(m_previewPanel, &PreviewPanel::cellChanged, this, selectCell);
    // The inspector's crop keys are those of the cell the preview shows.
    connect(m_previewPanel, &PreviewPanel::cellChanged, m_inspector->reframeEditor(),
            &ReframeEditor::setCell);
    connect(m_preflightPanel, &PreflightPanel::cellActivated, this,
            [this](const QString &segmentId, const QString &formatId) {
                m_previewPanel->setCell(segmentId, formatId);
            });
    connect(m_segmentsPanel, &SegmentsPanel::currentSegmentChanged, this, [this](const QString &id) {
        if (!id.isEmpty())
            m_previewPanel->setCurrentSegmentId(id);
    });

    // Timeline, preview and inspector share one playhead. Each setter is silent, so they
    // never echo each other.
    connect(m_timeline, &TimelineView::playheadMoved, m_previewPanel, &PreviewPanel::setPlayhead);
    connect(m_timeline, &TimelineView::playheadMoved, m_inspector, &ClipInspector::setPlayhead);
    connect(m_timeline, &TimelineView::shuttleRequested, m_previewPanel, &PreviewPanel::setShuttleRate);
    connect(m_timeline, &TimelineView::playPauseRequested, m_previewPanel, &PreviewPanel::togglePlayPause);
    connect(m_timeline, &TimelineView::selectionChanged, m_inspector, &ClipInspector::setClip);
    connect(m_previewPanel, &PreviewPanel::playheadMoved, m_timeline, &TimelineView::setPlayhead);
    connect(m_previewPanel, &PreviewPanel::playheadMoved, m_inspector, &ClipInspector::setPlayhead);
    connect(m_segmentsPanel, &SegmentsPanel::message, this,
            [this](const QString &t) { statusBar()->showMessage(t, 8000); });
    connect(m_assetBin, &AssetBin::message, this,
            [this](const QString &t) { statusBar()->showMessage(t, 8000); });
    connect(m_timeline, &TimelineView::editRefused, this,
            [this](const QString &t) { statusBar()->showMessage(t, 8000); });
    // The inspector's "Edits apply to" choices follow the cell the preview shows.
    connect(m_previewPanel, &PreviewPanel::cellChanged, m_inspector, &ClipInspector::setCell);
}

void MainWindow::arrangeDefaultLayout()
{
    // Left: the bins; centre-right: preview beside inspector/generation; bottom: timeline
    // across the whole width with jobs, preflight and review as tabs beside it.
    setCorner(Qt::BottomLeftCorner, Qt::BottomDockWidgetArea);
    setCorner(Qt::BottomRightCorner, Qt::BottomDockWidgetArea);
    auto dock = [this](const char *name) { return findChild<QDockWidget *>(QLatin1String(name)); };
    tabifyDockWidget(dock("assetsDock"), dock("segmentsDock"));
    tabifyDockWidget(dock("segmentsDock"), dock("variantsDock"));
    dock("assetsDock")->raise();
    splitDockWidget(dock("previewDock"), dock("inspectorDock"), Qt::Horizontal);
    tabifyDockWidget(dock("inspectorDock"), dock("generationDock"));
    dock("inspectorDock")->raise();
    tabifyDockWidget(dock("timelineDock"), dock("jobsDock"));
    tabifyDockWidget(dock("jobsDock"), dock("preflightDock"));
    tabifyDockWidget(dock("preflightDock"), dock("reviewDock"));
    dock("timelineDock")->raise();
    resize(1600, 960);
    resizeDocks({dock("assetsDock"), dock("previewDock"), dock("inspectorDock")}, {380, 760, 440},
                Qt::Horizontal);
    resizeDocks({dock("timelineDock")}, {300}, Qt::Vertical);
}

void MainWindow::buildMenus()
{
    QMenu *file = menuBar()->addMenu(tr("&File"));
    file->addAction(tr("&New…"), QKeySequence::New, this, &MainWindow::chooseNew);
    file->addAction(tr("&Open…"), QKeySequence::Open, this, &MainWindow::chooseAndOpen);
    m_recentMenu = file->addMenu(tr("Open &Recent"));
    m_recentMenu->setObjectName(QStringLiteral("recentMenu"));
    rebuildRecentMenu();
    file->addSeparator();
    file->addAction(tr("&Save"), QKeySequence::Save, this, &MainWindow::save)
        ->setObjectName(QStringLiteral("saveAction"));
    file->addAction(tr("Save &As…"), QKeySequence::SaveAs, this, &MainWindow::chooseSaveAs);
    file->addAction(tr("Export &folder…"), this, &MainWindow::chooseExportFolder);
    file->addSeparator();
    file->addAction(tr("&Quit"), QKeySequence::Quit, this, &QWidget::close);

    QMenu *edit = menuBar()->addMenu(tr("&Edit"));
    QAction *undo = m_doc->undoStack()->createUndoAction(this, tr("&Undo"));
    undo->setObjectName(QStringLiteral("undoAction"));
    undo->setShortcut(QKeySequence::Undo);
    QAction *redo = m_doc->undoStack()->createRedoAction(this, tr("&Redo"));
    redo->setObjectName(QStringLiteral("redoAction"));
    redo->setShortcuts({QKeySequence::Redo, QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)});
    edit->addAction(undo);
    edit->addAction(redo);

    QMenu *campaignMenu = menuBar()->addMenu(tr("&Campaign"));
    campaignMenu->addAction(tr("&Generate missing assets"), this, &MainWindow::generateMissing);
    campaignMenu->addAction(tr("Generation &settings…"), this, &MainWindow::showGenerationSettings);

    QMenu *exportMenu = menuBar()->addMenu(tr("&Export"));
    exportMenu->addAction(tr("Export &all variants"), QKeySequence(Qt::CTRL | Qt::Key_E), this,
                          &MainWindow::exportAll);
    exportMenu->addAction(tr("Export &this variant"), this, &MainWindow::exportCurrent);
    exportMenu->addAction(tr("&Cancel export"), this, &MainWindow::cancelExport);

    m_viewMenu = menuBar()->addMenu(tr("&View"));
    QAction *reset = m_viewMenu->addAction(tr("&Reset layout"), this, &MainWindow::resetLayout);
    reset->setObjectName(QStringLiteral("resetLayoutAction"));
    m_viewMenu->addSeparator();
}

void MainWindow::resetLayout()
{
    restoreState(m_defaultState);
}

const editor::Campaign *MainWindow::campaign() const
{
    return m_doc->isOpen() ? &m_doc->campaign() : nullptr;
}

bool MainWindow::isModified() const
{
    return m_doc->isModified();
}

QString MainWindow::projectPath() const
{
    return m_doc->projectPath();
}

void MainWindow::updateTitle()
{
    if (!m_doc->isOpen()) {
        setWindowTitle(tr("Campaign Studio"));
        return;
    }
    setWindowTitle(tr("%1[*] — %2 — Campaign Studio")
                       .arg(m_doc->campaign().name, QFileInfo(m_doc->projectPath()).fileName()));
    setWindowModified(m_doc->isModified());
}

void MainWindow::documentChanged()
{
    updateTitle();
    if (!m_doc->isOpen())
        return;
    const editor::Campaign &c = m_doc->campaign();
    m_generationPanel->setCampaign(c, m_doc->projectDir());
    m_reviewPanel->setCampaign(c, m_exportFolder);
    populateLists();
    if (m_doc->isModified() && m_doc->revision() != m_autosavedRevision)
        m_autosaveTimer->start();  // restarts: written once the edits pause
}

void MainWindow::populateLists()
{
    const editor::Campaign &c = m_doc->campaign();
    const QString segment = currentSegmentId();
    const QString format = currentFormatId();
    const QSignalBlocker blockSegments(m_segmentList);
    const QSignalBlocker blockFormats(m_formatList);
    m_segmentList->clear();
    m_formatList->clear();
    int segmentRow = c.segments.empty() ? -1 : 0, formatRow = c.formats.empty() ? -1 : 0;
    for (const auto &s : c.segments) {
        auto *item = new QListWidgetItem(tr("%1\n%2 · %3").arg(s.name, s.locale, s.tone), m_segmentList);
        item->setData(Qt::UserRole, s.id);
        if (s.id == segment)
            segmentRow = m_segmentList->count() - 1;
    }
    for (const auto &f : c.formats) {
        auto *item = new QListWidgetItem(
            tr("%1  (%2×%3)").arg(f.name).arg(f.width).arg(f.height), m_formatList);
        item->setData(Qt::UserRole, f.id);
        if (f.id == format)
            formatRow = m_formatList->count() - 1;
    }
    m_segmentList->setCurrentRow(segmentRow);
    m_formatList->setCurrentRow(formatRow);
    if (segmentRow >= 0 && formatRow >= 0)
        m_previewPanel->setCell(currentSegmentId(), currentFormatId());
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

void MainWindow::setAutosaveDelay(int ms)
{
    m_autosaveTimer->setInterval(ms);
}

}  // namespace ui
