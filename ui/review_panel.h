// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Review mode: a grid of every exported cell (segment x format) with its poster and a status
// badge, filters by segment, format and status, a player for the selected cell and the
// approve / reject controls. Keyboard first: arrows move through the grid, A approves and R
// rejects the selected cell with the text of the comment field, Enter plays it.
//
// The panel never edits the document: it emits decided() with a complete approval and the
// window stores it (services::setApproval) and hands the document back through setCampaign().
// Statuses come from services::reviewCells against the window's export folder.

#include "app/cell_hash.h"
#include "app/review_status.h"
#include "editor/campaign.h"

#include <QList>
#include <QPixmap>
#include <QSize>
#include <QWidget>

#include <optional>

class QComboBox;
class QLabel;
class QLineEdit;
class QListWidget;
class QListWidgetItem;
class QPushButton;

namespace ui {

class ReviewPlayer;

class ReviewPanel : public QWidget {
    Q_OBJECT
public:
    explicit ReviewPanel(QWidget *parent = nullptr);

    void setCampaign(const editor::Campaign &campaign, const QString &exportFolder);
    void setReviewer(const QString &name) { m_reviewer = name; }

    const QList<services::CellReview> &cells() const { return m_cells; }
    std::optional<services::ReviewStatus> status(const QString &segmentId, const QString &formatId) const;
    // The selected cell ("segment/format"), empty when none.
    QString currentJobId() const;
    bool selectCell(const QString &segmentId, const QString &formatId);
    // Cells the filters leave visible, in grid order.
    QStringList visibleJobIds() const;
    ReviewPlayer *player() const { return m_player; }

public slots:
    // Re-reads the manifest and the files (an export finished, a file changed).
    void refresh();
    void approveCurrent();
    void rejectCurrent();
    void playCurrent();

signals:
    void decided(const editor::Approval &approval);
    void message(const QString &text);

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void decide(editor::Approval::Decision decision);
    void rebuildFilters();
    void rebuildGrid();
    void applyFilters();
    void currentChanged();
    const services::CellReview *cell(const QString &jobId) const;

    std::optional<editor::Campaign> m_campaign;
    QString m_exportFolder;
    QString m_reviewer;
    services::FileHashCache m_hashes;  // MP4s are hashed once until they change
    QList<services::CellReview> m_cells;

    QComboBox *m_segmentFilter = nullptr;
    QComboBox *m_formatFilter = nullptr;
    QComboBox *m_statusFilter = nullptr;
    QListWidget *m_grid = nullptr;
    ReviewPlayer *m_player = nullptr;
    QLabel *m_details = nullptr;
    QLabel *m_summary = nullptr;
    QLineEdit *m_comment = nullptr;
    QPushButton *m_approve = nullptr;
    QPushButton *m_reject = nullptr;
};

// The poster with its status badge, as the grid shows it (also used for screenshots/tests).
QPixmap reviewThumbnail(const services::CellReview &cell, const QSize &size);

}  // namespace ui
