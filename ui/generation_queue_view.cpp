// SPDX-License-Identifier: GPL-3.0-or-later
#include "generation_queue_view.h"

#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>
#include <QTimer>
#include <QTreeWidget>
#include <QVBoxLayout>

#include <cmath>

namespace ui {

namespace {
enum Column { AssetColumn, SegmentColumn, ProviderColumn, StatusColumn, AttemptsColumn, CancelColumn };
}

GenerationQueueView::GenerationQueueView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("generationQueueView"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_tree = new QTreeWidget(this);
    m_tree->setObjectName(QStringLiteral("generationQueue"));
    m_tree->setRootIsDecorated(false);
    m_tree->setUniformRowHeights(true);
    m_tree->setAlternatingRowColors(true);
    m_tree->setHeaderLabels({tr("Asset"), tr("Segment"), tr("Provider"), tr("Status"),
                             tr("Attempts"), QString()});
    m_tree->header()->setStretchLastSection(false);
    m_tree->header()->setSectionResizeMode(StatusColumn, QHeaderView::Stretch);
    m_tree->header()->setSectionResizeMode(CancelColumn, QHeaderView::ResizeToContents);
    m_tree->setColumnWidth(AssetColumn, 130);
    m_tree->setColumnWidth(SegmentColumn, 90);
    m_tree->setColumnWidth(ProviderColumn, 80);
    m_tree->setColumnWidth(AttemptsColumn, 60);
    m_tree->header()->setMinimumSectionSize(40);
    layout->addWidget(m_tree, 1);

    auto *row = new QHBoxLayout;
    m_billed = new QLabel(this);
    m_billed->setObjectName(QStringLiteral("billedAttemptsLabel"));
    m_billed->setToolTip(tr("Requests of this run that reached a paid service, retries included. "
                            "The offline generator is free."));
    m_cancelAll = new QPushButton(tr("Cancel all"), this);
    m_cancelAll->setObjectName(QStringLiteral("cancelAllJobsButton"));
    m_cancelAll->setEnabled(false);
    row->addWidget(m_billed, 1);
    row->addWidget(m_cancelAll);
    layout->addLayout(row);
    connect(m_cancelAll, &QPushButton::clicked, this, &GenerationQueueView::cancelAllRequested);

    // Retry and poll waits count down between events.
    m_countdown = new QTimer(this);
    m_countdown->setInterval(250);
    connect(m_countdown, &QTimer::timeout, this, &GenerationQueueView::tick);
    updateBilled();
}

void GenerationQueueView::clear()
{
    m_tree->clear();  // deletes the items and their cancel buttons
    m_rows.clear();
    updateBilled();
}

void GenerationQueueView::setRunning(bool running)
{
    m_running = running;
    m_cancelAll->setEnabled(running);
    if (running)
        m_countdown->start();
    else
        m_countdown->stop();
}

QString GenerationQueueView::describe(const services::GenerationJobEvent &e, double remaining)
{
    using J = services::JobState;
    const auto seconds = [](double s) { return QString::number(std::max(0, int(std::ceil(s)))); };
    switch (e.state) {
    case J::Queued: return tr("queued");
    case J::Running: return tr("running");
    case J::Retrying: return tr("retrying in %1 s").arg(seconds(remaining));
    case J::Polling: return remaining > 0.5 ? tr("polling (next check in %1 s)").arg(seconds(remaining))
                                           : tr("polling");
    case J::Done: return tr("done");
    case J::Reused: return tr("reused (recipe cache)");
    case J::UpToDate: return tr("up to date");
    case J::Planned: return tr("planned");
    case J::Blocked: return tr("blocked: %1").arg(e.message);
    case J::Failed: return tr("failed: %1").arg(e.message);
    case J::Cancelled: return tr("cancelled");
    }
    return {};
}

void GenerationQueueView::applyEvent(const services::GenerationJobEvent &event)
{
    auto it = m_rows.find(event.assetId);
    if (it == m_rows.end()) {
        Row row;
        row.item = new QTreeWidgetItem;
        row.item->setText(AssetColumn, event.assetId);
        row.item->setData(AssetColumn, Qt::UserRole, event.assetId);
        m_tree->addTopLevelItem(row.item);
        // A tool button keeps the rows as compact as text rows.
        row.cancel = new QToolButton;
        row.cancel->setText(tr("Cancel"));
        row.cancel->setObjectName(QStringLiteral("cancelJob-") + event.assetId);
        row.cancel->setToolTip(tr("Cancel this job; the others go on"));
        const QString assetId = event.assetId;
        connect(row.cancel, &QToolButton::clicked, this, [this, assetId]() {
            emit cancelRequested(assetId);
        });
        m_tree->setItemWidget(row.item, CancelColumn, row.cancel);
        it = m_rows.insert(event.assetId, row);
    }
    Row &row = *it;
    // A final state is never undone by a late event from the worker.
    if (services::isFinalJobState(row.event.state) && !services::isFinalJobState(event.state)
        && !row.event.assetId.isEmpty())
        return;
    row.event = event;
    row.since.start();
    row.billed = std::max(row.billed, event.billedAttempts);
    updateRow(row);
    updateBilled();
}

void GenerationQueueView::updateRow(Row &row)
{
    const auto &e = row.event;
    const double remaining = e.seconds - row.since.elapsed() / 1000.0;
    row.item->setText(SegmentColumn, e.segmentId.isEmpty() ? tr("all") : e.segmentId);
    row.item->setText(ProviderColumn, e.model.isEmpty() ? e.provider : e.provider + QStringLiteral(" · ") + e.model);
    row.item->setText(StatusColumn, describe(e, remaining));
    row.item->setToolTip(StatusColumn, describe(e, remaining));
    row.item->setToolTip(ProviderColumn, row.item->text(ProviderColumn));
    if (e.maxAttempts > 0)
        row.item->setText(AttemptsColumn, QStringLiteral("%1/%2").arg(std::max(1, e.attempt)).arg(e.maxAttempts));
    else if (e.attempt > 0)
        row.item->setText(AttemptsColumn, QString::number(e.attempt));
    row.item->setToolTip(AttemptsColumn, tr("%n billed request(s)", nullptr, row.billed));
    const bool final = services::isFinalJobState(e.state);
    row.cancel->setEnabled(!final);
    QColor colour;
    if (e.state == services::JobState::Failed || e.state == services::JobState::Blocked)
        colour = QColor(235, 100, 90);
    else if (e.state == services::JobState::Done || e.state == services::JobState::Reused
             || e.state == services::JobState::UpToDate)
        colour = QColor(110, 200, 120);
    if (colour.isValid())
        row.item->setForeground(StatusColumn, colour);
    else
        row.item->setData(StatusColumn, Qt::ForegroundRole, QVariant());
}

void GenerationQueueView::tick()
{
    for (Row &row : m_rows)
        if (row.event.state == services::JobState::Retrying || row.event.state == services::JobState::Polling)
            updateRow(row);
}

void GenerationQueueView::updateBilled()
{
    m_billed->setText(tr("Billed attempts: %1").arg(billedAttempts()));
}

QString GenerationQueueView::statusText(const QString &assetId) const
{
    const auto it = m_rows.constFind(assetId);
    return it == m_rows.constEnd() ? QString() : it->item->text(StatusColumn);
}

int GenerationQueueView::rowCount() const
{
    return m_tree->topLevelItemCount();
}

int GenerationQueueView::billedAttempts() const
{
    int total = 0;
    for (const Row &row : m_rows)
        total += row.billed;
    return total;
}

}  // namespace ui
