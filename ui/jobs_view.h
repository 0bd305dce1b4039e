// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Jobs dock's list: one row per variant of the running (or last) export, with its own
// progress, ETA and final status; a failed row carries the whole reason as its tooltip and in
// the detail line, so a batch of sixteen never hides which one failed and why.

#include "app/batch_export.h"

#include <QTreeWidget>

namespace ui {

class JobsView : public QTreeWidget {
    Q_OBJECT
public:
    explicit JobsView(QWidget *parent = nullptr);

    // A new batch: the rows of `cells`, all queued.
    void startBatch(const std::vector<services::ExportCell> &cells);
    void applyEvent(const services::ExportEvent &event);

    // For tests and the status line: the row's status text ("queued", "42 %", "done", ...).
    QString statusOf(const QString &jobId) const;
    int progressOf(const QString &jobId) const;

private:
    QTreeWidgetItem *rowFor(const services::ExportCell &cell);
};

}  // namespace ui
