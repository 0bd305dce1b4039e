// SPDX-License-Identifier: GPL-3.0-or-later
// The workspace: docks, menus and the document's fan-out to the panels. Files and recovery are
// in main_window_files.cpp, export/generation/review in main_window_jobs.cpp.
#include "main_window.h"

#include "export_controller.h"
#include "generation_controller.h"
#include "generation_panel.h"
#include "preview_view.h"
#include "preview_worker.h"
#include "review_panel.h"

#include "app/recovery_store.h"
#include "editor/document.h"

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
constexpr int kPreviewMaxWidth = 720;
constexpr int kPreviewMaxHeight = 720;
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

    m_previewWorker = new PreviewWorker;
    m_previewWorker->moveToThread(&m_previewThread);
    connect(&m_previewThread, &QThread::finished, m_previewWorker, &QObject::deleteLater);
    m_previewThread.setObjectName(QStringLiteral("preview"));
    m_previewThread.start();

    buildMenus();
    buildDocks();
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
    setupJobs();
    setupReview();
    setupGeneration();

    resize(1560, 940);
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
    m_previewThread.quit();
    m_previewThread.wait();
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
    m_viewMenu->addAction(toggle);
    return dock;
}

void MainWindow::buildDocks()
{
    // Segments and formats: which cell the preview shows.
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
    side->setMinimumWidth(240);
    addPanel(tr("Segments"), QStringLiteral("segmentsDock"), side, Qt::LeftDockWidgetArea);

    auto *previewBox = new QWidget(this);
    auto *previewLayout = new QVBoxLayout(previewBox);
    m_preview = new PreviewView(previewBox);
    m_preview->setObjectName(QStringLiteral("previewView"));
    previewLayout->addWidget(m_preview, 1);
    auto *timeRow = new QHBoxLayout;
    m_timeSlider = new QSlider(Qt::Horizontal, previewBox);
    m_timeSlider->setObjectName(QStringLiteral("timeSlider"));
    m_timeSlider->setRange(0, 0);
    m_timeLabel = new QLabel(previewBox);
    m_timeLabel->setObjectName(QStringLiteral("timeLabel"));
    m_timeLabel->setMinimumWidth(140);
    timeRow->addWidget(m_timeSlider, 1);
    timeRow->addWidget(m_timeLabel);
    previewLayout->addLayout(timeRow);
    addPanel(tr("Preview"), QStringLiteral("previewDock"), previewBox, Qt::RightDockWidgetArea);

    connect(m_segmentList, &QListWidget::currentRowChanged, this, &MainWindow::requestPreview);
    connect(m_formatList, &QListWidget::currentRowChanged, this, &MainWindow::requestPreview);
    connect(m_timeSlider, &QSlider::valueChanged, this, [this]() {
        updateTimeLabel();
        requestPreview();
    });
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
    m_previewWorker->setCampaign(c);
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
    const QSignalBlocker blockSlider(m_timeSlider);
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
    const auto &timeline = c.timeline;
    const int previous = m_timeSlider->maximum() > 0 ? m_timeSlider->value() : -1;
    m_timeSlider->setRange(0, int(std::max<int64_t>(0, timeline.duration.toFrames(timeline.fps) - 1)));
    m_timeSlider->setValue(previous >= 0 ? std::min(previous, m_timeSlider->maximum())
                                         : std::min(m_timeSlider->maximum(), int(2 * timeline.fps.toDouble())));
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
    if (!m_doc->isOpen() || currentSegmentId().isEmpty() || currentFormatId().isEmpty())
        return;
    // The slider counts timeline frames; each format may have its own rate.
    const editor::Campaign &c = m_doc->campaign();
    const editor::Rational time = editor::Rational::fromFrames(m_timeSlider->value(), c.timeline.fps);
    const editor::FormatPreset *format = c.format(currentFormatId());
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
    if (!m_doc->isOpen())
        return;
    const auto &timeline = m_doc->campaign().timeline;
    const double seconds = editor::Rational::fromFrames(m_timeSlider->value(), timeline.fps).toDouble();
    m_timeLabel->setText(tr("%1 s / %2 s  (frame %3)")
                             .arg(seconds, 0, 'f', 2)
                             .arg(timeline.duration.toDouble(), 0, 'f', 2)
                             .arg(m_timeSlider->value()));
}

void MainWindow::setAutosaveDelay(int ms)
{
    m_autosaveTimer->setInterval(ms);
}

}  // namespace ui
