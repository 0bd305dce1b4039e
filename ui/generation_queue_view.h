// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The job queue of the current generation run: one row per asset with its segment, provider,
// state in words ("retrying in 7 s" counting down, "blocked: <reason>", "reused (recipe
// cache)" ...), attempts and a Cancel button, plus "Cancel all" and the number of requests
// that reached a paid service.

#include "app/generate_assets.h"

#include <QElapsedTimer>
#include <QHash>
#include <QWidget>

class QLabel;
class QPushButton;
class QTimer;
class QToolButton;
class QTreeWidget;
class QTreeWidgetItem;

namespace ui {

class GenerationQueueView : public QWidget {
    Q_OBJECT
public:
    explicit GenerationQueueView(QWidget *parent = nullptr);

    void clear();
    void applyEvent(const services::GenerationJobEvent &event);
    void setRunning(bool running);

    // For tests and the status line: the status text of an asset's row; empty when none.
    QString statusText(const QString &assetId) const;
    int rowCount() const;
    int billedAttempts() const;

    // The words for a state; `remaining` counts down Retrying / Polling waits.
    static QString describe(const services::GenerationJobEvent &event, double remainingSeconds);

signals:
    void cancelRequested(const QString &assetId);
    void cancelAllRequested();

private:
    struct Row {
        QTreeWidgetItem *item = nullptr;
        QToolButton *cancel = nullptr;
        services::GenerationJobEvent event;
        QElapsedTimer since;  // when the last event arrived, for the countdown
        int billed = 0;
    };
    void updateRow(Row &row);
    void tick();
    void updateBilled();

    QTreeWidget *m_tree = nullptr;
    QPushButton *m_cancelAll = nullptr;
    QLabel *m_billed = nullptr;
    QTimer *m_countdown = nullptr;
    QHash<QString, Row> m_rows;
    bool m_running = false;
};

}  // namespace ui
