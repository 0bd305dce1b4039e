// SPDX-License-Identifier: GPL-3.0-or-later
#include "preflight_panel.h"

#include "editor/document.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>
#include <QtConcurrent>

namespace ui {

namespace {
enum Column { CellColumn, SeverityColumn, RuleColumn, LayerColumn, MessageColumn };
constexpr int kSegmentRole = Qt::UserRole;
constexpr int kFormatRole = Qt::UserRole + 1;
}  // namespace

PreflightPanel::PreflightPanel(editor::Document *document, QWidget *parent)
    : QWidget(parent), m_document(document), m_tree(new QTreeWidget(this)),
      m_status(new QLabel(this)), m_runButton(new QPushButton(tr("Run again"), this)),
      m_debounce(new QTimer(this))
{
    m_tree->setColumnCount(5);
    m_tree->setHeaderLabels({tr("Cell"), tr("Severity"), tr("Rule"), tr("Layer"), tr("Message")});
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setWordWrap(true);
    m_tree->header()->setStretchLastSection(true);
    auto *top = new QHBoxLayout;
    top->addWidget(m_status, 1);
    top->addWidget(m_runButton);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(top);
    layout->addWidget(m_tree, 1);

    m_debounce->setSingleShot(true);
    m_debounce->setInterval(600);
    connect(m_debounce, &QTimer::timeout, this, &PreflightPanel::runNow);
    connect(m_runButton, &QPushButton::clicked, this, &PreflightPanel::runNow);
    connect(m_document, &editor::Document::changed, this, &PreflightPanel::scheduleRun);
    connect(m_document, &editor::Document::opened, this, &PreflightPanel::scheduleRun);
    connect(&m_watcher, &QFutureWatcher<services::PreflightReport>::finished, this,
            &PreflightPanel::onFinished);
    connect(m_tree, &QTreeWidget::itemDoubleClicked, this,
            [this](QTreeWidgetItem *item) { onItemActivated(item); });
    m_status->setText(tr("Preflight has not run yet."));
    if (m_document->isOpen())
        scheduleRun();
}

PreflightPanel::~PreflightPanel()
{
    // The worker only reads its own copy of the campaign; ask it to stop and wait for it so
    // it never outlives the fonts and application it uses.
    if (m_cancel)
        m_cancel->store(true);
    m_watcher.waitForFinished();
}

void PreflightPanel::setOptions(const services::PreflightOptions &options) { m_options = options; }

void PreflightPanel::setDebounceMs(int ms) { m_debounce->setInterval(ms); }

bool PreflightPanel::isRunning() const { return m_watcher.isRunning(); }

void PreflightPanel::scheduleRun() { m_debounce->start(); }

void PreflightPanel::runNow()
{
    m_debounce->stop();
    if (!m_document->isOpen()) {
        m_report = {};
        showReport();
        m_status->setText(tr("No project open."));
        return;
    }
    if (m_watcher.isRunning()) {
        // One run at a time: cancel the stale one and start again when it has stopped.
        m_rerunWanted = true;
        if (m_cancel)
            m_cancel->store(true);
        return;
    }
    m_rerunWanted = false;
    m_runningRevision = m_document->revision();
    m_cancel = std::make_shared<std::atomic<bool>>(false);
    services::PreflightOptions options = m_options;
    const std::shared_ptr<std::atomic<bool>> cancel = m_cancel;
    const editor::Campaign campaign = m_document->campaign();  // a copy for the worker
    m_status->setText(tr("Checking…"));
    m_runButton->setEnabled(false);
    m_watcher.setFuture(QtConcurrent::run([campaign, options, cancel]() mutable {
        options.cancel = cancel.get();
        return services::runPreflight(campaign, options);
    }));
}

void PreflightPanel::onFinished()
{
    m_runButton->setEnabled(true);
    const services::PreflightReport report = m_watcher.result();
    const bool stale = m_rerunWanted || report.cancelled
        || (m_document->isOpen() && m_document->revision() != m_runningRevision);
    if (stale) {
        runNow();
        return;
    }
    m_report = report;
    showReport();
    emit finished(m_report);
}

void PreflightPanel::showReport()
{
    m_tree->clear();
    for (const services::PreflightFinding &f : m_report.findings) {
        auto *item = new QTreeWidgetItem(m_tree);
        item->setText(CellColumn, f.cell());
        item->setText(SeverityColumn, f.severity == services::Severity::Blocking
                                          ? tr("Blocking") : tr("Warning"));
        item->setText(RuleColumn, f.pseudo ? f.rule + tr(" (pseudo)") : f.rule);
        item->setText(LayerColumn, f.layerId);
        item->setText(MessageColumn, f.message);
        item->setToolTip(MessageColumn, f.message);
        item->setData(CellColumn, kSegmentRole, f.segmentId);
        item->setData(CellColumn, kFormatRole, f.formatId);
        if (f.severity == services::Severity::Blocking)
            item->setForeground(SeverityColumn, QColor(200, 40, 40));
    }
    const int blocking = m_report.count(services::Severity::Blocking);
    const int warnings = m_report.count(services::Severity::Warning);
    m_status->setText(blocking + warnings == 0
                          ? tr("%n cell(s) checked: all clear.", nullptr, m_report.cellsChecked)
                          : tr("%1 cells checked: %2 blocking, %3 warnings. Blocking cells are "
                               "not exported.")
                                .arg(m_report.cellsChecked).arg(blocking).arg(warnings));
}

void PreflightPanel::onItemActivated(QTreeWidgetItem *item)
{
    if (!item)
        return;
    emit cellActivated(item->data(CellColumn, kSegmentRole).toString(),
                       item->data(CellColumn, kFormatRole).toString());
}

}  // namespace ui
