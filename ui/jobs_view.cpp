// SPDX-License-Identifier: GPL-3.0-or-later
#include "jobs_view.h"

#include <QDir>
#include <QHeaderView>
#include <QProgressBar>

namespace ui {

namespace {
enum Column { kVariant, kProgress, kStatus, kOutput, kColumns };
constexpr int kJobRole = Qt::UserRole;
constexpr int kPercentRole = Qt::UserRole + 1;
}  // namespace

JobsView::JobsView(QWidget *parent) : QTreeWidget(parent)
{
    setObjectName(QStringLiteral("jobsView"));
    setColumnCount(kColumns);
    setHeaderLabels({tr("Variant"), tr("Progress"), tr("Status"), tr("Output")});
    setRootIsDecorated(false);
    setUniformRowHeights(true);
    setAlternatingRowColors(true);
    header()->setSectionResizeMode(kVariant, QHeaderView::ResizeToContents);
    header()->setSectionResizeMode(kProgress, QHeaderView::Fixed);
    header()->resizeSection(kProgress, 160);
    header()->setSectionResizeMode(kStatus, QHeaderView::Interactive);
    header()->resizeSection(kStatus, 260);
    header()->setStretchLastSection(true);
}

void JobsView::startBatch(const std::vector<services::ExportCell> &cells)
{
    clear();
    for (const services::ExportCell &cell : cells)
        rowFor(cell);
}

QTreeWidgetItem *JobsView::rowFor(const services::ExportCell &cell)
{
    const QString job = cell.jobId();
    for (int i = 0; i < topLevelItemCount(); ++i)
        if (topLevelItem(i)->data(kVariant, kJobRole).toString() == job)
            return topLevelItem(i);
    auto *item = new QTreeWidgetItem(this);
    item->setText(kVariant, job);
    item->setData(kVariant, kJobRole, job);
    item->setData(kProgress, kPercentRole, 0);
    item->setText(kStatus, tr("queued"));
    item->setText(kOutput, QDir::toNativeSeparators(cell.outputPath));
    auto *bar = new QProgressBar(this);
    bar->setRange(0, 100);
    bar->setValue(0);
    bar->setTextVisible(true);
    setItemWidget(item, kProgress, bar);
    return item;
}

void JobsView::applyEvent(const services::ExportEvent &event)
{
    QTreeWidgetItem *item = rowFor(event.cell);
    auto *bar = qobject_cast<QProgressBar *>(itemWidget(item, kProgress));
    int percent = item->data(kProgress, kPercentRole).toInt();
    QString status;
    switch (event.type) {
    case services::ExportEvent::Type::Start:
        percent = 0;
        status = tr("rendering");
        break;
    case services::ExportEvent::Type::Progress:
        percent = event.frames > 0 ? int(100 * event.frame / event.frames) : 0;
        status = event.etaSeconds >= 0 ? tr("rendering, %1 s left").arg(qRound(event.etaSeconds))
                                       : tr("rendering");
        break;
    case services::ExportEvent::Type::Done:
        switch (event.status) {
        case services::ExportEvent::Status::Ok:
            percent = 100;
            status = tr("done");
            break;
        case services::ExportEvent::Status::Skipped:
            percent = 100;
            status = tr("up to date (kept)");
            break;
        case services::ExportEvent::Status::Cancelled:
            status = tr("cancelled");
            break;
        case services::ExportEvent::Status::Failed:
            status = event.errorCode.isEmpty() ? tr("failed: %1").arg(event.errorMessage)
                                               : tr("failed (%1): %2").arg(event.errorCode, event.errorMessage);
            item->setForeground(kStatus, QColor(0xE0, 0x6C, 0x60));
            break;
        }
        item->setToolTip(kStatus, status);
        break;
    }
    item->setData(kProgress, kPercentRole, percent);
    item->setText(kStatus, status);
    if (bar)
        bar->setValue(percent);
}

QString JobsView::statusOf(const QString &jobId) const
{
    for (int i = 0; i < topLevelItemCount(); ++i)
        if (topLevelItem(i)->data(kVariant, kJobRole).toString() == jobId)
            return topLevelItem(i)->text(kStatus);
    return {};
}

int JobsView::progressOf(const QString &jobId) const
{
    for (int i = 0; i < topLevelItemCount(); ++i)
        if (topLevelItem(i)->data(kVariant, kJobRole).toString() == jobId)
            return topLevelItem(i)->data(kProgress, kPercentRole).toInt();
    return -1;
}

}  // namespace ui
