// SPDX-License-Identifier: GPL-3.0-or-later
#include "review_panel.h"

#include "review_player.h"

#include <QComboBox>
#include <QDateTime>
#include <QDir>
#include <QHBoxLayout>
#include <QIcon>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPainter>
#include <QPushButton>
#include <QSplitter>
#include <QVBoxLayout>

#include <algorithm>

namespace ui {

namespace {

constexpr int kJobRole = Qt::UserRole;
constexpr int kSegmentRole = Qt::UserRole + 1;
constexpr int kFormatRole = Qt::UserRole + 2;
constexpr int kStatusRole = Qt::UserRole + 3;
const QSize kThumbSize(176, 176);

QColor badgeColor(services::ReviewStatus s)
{
    switch (s) {
    case services::ReviewStatus::NotRendered: return QColor(0x75, 0x75, 0x75);
    case services::ReviewStatus::Rendered: return QColor(0x2f, 0x6f, 0xd0);
    case services::ReviewStatus::Approved: return QColor(0x2e, 0x8b, 0x3e);
    case services::ReviewStatus::Rejected: return QColor(0xc6, 0x28, 0x28);
    case services::ReviewStatus::Changed: return QColor(0xd0, 0x7a, 0x00);
    }
    return Qt::black;
}

QString cellTitle(const editor::Campaign &c, const services::CellReview &cell)
{
    const editor::Segment *s = c.segment(cell.segmentId);
    return QStringLiteral("%1 · %2").arg(s && !s->name.isEmpty() ? s->name : cell.segmentId, cell.formatId);
}

}  // namespace

QPixmap reviewThumbnail(const services::CellReview &cell, const QSize &size)
{
    QPixmap pixmap(size);
    pixmap.fill(QColor(0x30, 0x30, 0x30));
    QPainter p(&pixmap);
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    const QImage poster = cell.status == services::ReviewStatus::NotRendered
        ? QImage() : QImage(cell.posterPath);
    const int badgeH = size.height() / 6;
    const QRect posterArea(0, 0, size.width(), size.height() - badgeH);
    if (!poster.isNull()) {
        const QSize scaled = poster.size().scaled(posterArea.size(), Qt::KeepAspectRatio);
        p.drawImage(QRect(QPoint((posterArea.width() - scaled.width()) / 2,
                                 (posterArea.height() - scaled.height()) / 2), scaled), poster);
    } else {
        p.setPen(QColor(0xb0, 0xb0, 0xb0));
        p.drawText(posterArea, Qt::AlignCenter, ReviewPanel::tr("No poster"));
    }
    // The badge is part of the picture so the status reads in the grid without hovering.
    const QRect badge(0, size.height() - badgeH, size.width(), badgeH);
    p.fillRect(badge, badgeColor(cell.status));
    QFont font = p.font();
    font.setBold(true);
    font.setPixelSize(std::max(9, badgeH / 2));
    p.setFont(font);
    p.setPen(Qt::white);
    p.drawText(badge, Qt::AlignCenter, services::reviewStatusLabel(cell.status));
    return pixmap;
}

ReviewPanel::ReviewPanel(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("reviewPanel"));
    auto *layout = new QVBoxLayout(this);
    auto *filters = new QHBoxLayout;
    m_segmentFilter = new QComboBox(this);
    m_segmentFilter->setObjectName(QStringLiteral("reviewFilterSegment"));
    m_formatFilter = new QComboBox(this);
    m_formatFilter->setObjectName(QStringLiteral("reviewFilterFormat"));
    m_statusFilter = new QComboBox(this);
    m_statusFilter->setObjectName(QStringLiteral("reviewFilterStatus"));
    m_statusFilter->addItem(tr("All statuses"), QString());
    for (services::ReviewStatus s : {services::ReviewStatus::NotRendered, services::ReviewStatus::Rendered,
                                     services::ReviewStatus::Approved, services::ReviewStatus::Rejected,
                                     services::ReviewStatus::Changed})
        m_statusFilter->addItem(services::reviewStatusLabel(s), services::reviewStatusName(s));
    auto *refreshButton = new QPushButton(tr("Refresh"), this);
    refreshButton->setObjectName(QStringLiteral("reviewRefresh"));
    refreshButton->setToolTip(tr("Read the export folder again (F5)"));
    refreshButton->setShortcut(QKeySequence(Qt::Key_F5));
    filters->addWidget(new QLabel(tr("Segment:"), this));
    filters->addWidget(m_segmentFilter, 1);
    filters->addWidget(new QLabel(tr("Format:"), this));
    filters->addWidget(m_formatFilter, 1);
    filters->addWidget(new QLabel(tr("Status:"), this));
    filters->addWidget(m_statusFilter, 1);
    filters->addWidget(refreshButton);
    layout->addLayout(filters);

    auto *splitter = new QSplitter(Qt::Horizontal, this);
    m_grid = new QListWidget(splitter);
    m_grid->setObjectName(QStringLiteral("reviewGrid"));
    m_grid->setViewMode(QListView::IconMode);
    m_grid->setIconSize(kThumbSize);
    m_grid->setGridSize(kThumbSize + QSize(24, 48));
    m_grid->setResizeMode(QListView::Adjust);
    m_grid->setMovement(QListView::Static);
    m_grid->setWrapping(true);
    m_grid->setUniformItemSizes(true);
    m_grid->setSelectionMode(QAbstractItemView::SingleSelection);
    m_grid->setWordWrap(true);
    m_grid->installEventFilter(this);

    // Player beside the controls, not above them: a review dock is wide and short, and the
    // decision text must stay readable whatever height it gets.
    m_player = new ReviewPlayer(splitter);
    auto *controls = new QWidget(splitter);
    auto *controlsLayout = new QVBoxLayout(controls);
    controlsLayout->setContentsMargins(0, 0, 0, 0);
    m_details = new QLabel(controls);
    m_details->setObjectName(QStringLiteral("reviewDetails"));
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::PlainText);
    m_details->setAlignment(Qt::AlignLeft | Qt::AlignTop);
    controlsLayout->addWidget(m_details, 1);
    m_comment = new QLineEdit(controls);
    m_comment->setObjectName(QStringLiteral("reviewComment"));
    m_comment->setPlaceholderText(tr("Comment (C), then A or R in the grid"));
    controlsLayout->addWidget(m_comment);
    auto *buttons = new QHBoxLayout;
    auto *playButton = new QPushButton(tr("&Play"), controls);
    playButton->setObjectName(QStringLiteral("reviewPlay"));
    m_approve = new QPushButton(tr("Approve (A)"), controls);
    m_approve->setObjectName(QStringLiteral("reviewApprove"));
    m_reject = new QPushButton(tr("Reject (R)"), controls);
    m_reject->setObjectName(QStringLiteral("reviewReject"));
    buttons->addWidget(playButton);
    buttons->addStretch(1);
    buttons->addWidget(m_approve);
    buttons->addWidget(m_reject);
    controlsLayout->addLayout(buttons);
    splitter->setStretchFactor(0, 5);
    splitter->setStretchFactor(1, 3);
    splitter->setStretchFactor(2, 2);
    layout->addWidget(splitter, 1);
    m_summary = new QLabel(this);
    m_summary->setObjectName(QStringLiteral("reviewSummary"));
    layout->addWidget(m_summary);

    connect(playButton, &QPushButton::clicked, this, &ReviewPanel::playCurrent);
    connect(m_approve, &QPushButton::clicked, this, &ReviewPanel::approveCurrent);
    connect(m_reject, &QPushButton::clicked, this, &ReviewPanel::rejectCurrent);
    connect(refreshButton, &QPushButton::clicked, this, &ReviewPanel::refresh);
    // Enter in the comment field returns to the grid, so the next key is a decision (A/R)
    // instead of more text.
    connect(m_comment, &QLineEdit::returnPressed, m_grid, qOverload<>(&QWidget::setFocus));
    connect(m_grid, &QListWidget::currentItemChanged, this, &ReviewPanel::currentChanged);
    connect(m_grid, &QListWidget::itemActivated, this, &ReviewPanel::playCurrent);
    for (QComboBox *box : {m_segmentFilter, m_formatFilter, m_statusFilter})
        connect(box, &QComboBox::currentIndexChanged, this, &ReviewPanel::applyFilters);
}

void ReviewPanel::setCampaign(const editor::Campaign &campaign, const QString &exportFolder)
{
    const bool cellsChanged = !m_campaign || m_campaign->segments != campaign.segments
        || m_campaign->formats != campaign.formats;
    m_campaign = campaign;
    m_exportFolder = exportFolder;
    if (cellsChanged)
        rebuildFilters();
    // Hashing the export folder is only worth it while someone looks; the window refreshes the
    // panel when its dock is shown.
    if (isVisible())
        refresh();
}

void ReviewPanel::rebuildFilters()
{
    const QSignalBlocker a(m_segmentFilter), b(m_formatFilter);
    m_segmentFilter->clear();
    m_formatFilter->clear();
    m_segmentFilter->addItem(tr("All segments"), QString());
    m_formatFilter->addItem(tr("All formats"), QString());
    for (const editor::Segment &s : m_campaign->segments)
        m_segmentFilter->addItem(s.name.isEmpty() ? s.id : s.name, s.id);
    for (const editor::FormatPreset &f : m_campaign->formats)
        m_formatFilter->addItem(f.id, f.id);
}

void ReviewPanel::refresh()
{
    if (!m_campaign)
        return;
    QString warning;
    m_cells = services::reviewCells(*m_campaign, m_exportFolder, m_hashes, &warning);
    if (!warning.isEmpty())
        emit message(warning);
    rebuildGrid();
}

void ReviewPanel::rebuildGrid()
{
    const QString current = currentJobId();
    {
        const QSignalBlocker block(m_grid);
        m_grid->clear();
        for (const services::CellReview &cell : m_cells) {
            // The same picture when selected: the default selected mode tints it with the
            // highlight colour, which would change the badge's colour under the cursor.
            QIcon icon;
            const QPixmap thumbnail = reviewThumbnail(cell, kThumbSize);
            icon.addPixmap(thumbnail, QIcon::Normal);
            icon.addPixmap(thumbnail, QIcon::Selected);
            auto *item = new QListWidgetItem(icon, cellTitle(*m_campaign, cell), m_grid);
            item->setData(kJobRole, cell.jobId());
            item->setData(kSegmentRole, cell.segmentId);
            item->setData(kFormatRole, cell.formatId);
            item->setData(kStatusRole, services::reviewStatusName(cell.status));
            item->setToolTip(cell.jobId() + QStringLiteral(": ") + services::reviewStatusLabel(cell.status));
        }
    }
    QMap<services::ReviewStatus, int> counts;
    for (const services::CellReview &cell : m_cells)
        ++counts[cell.status];
    QStringList parts;
    for (auto it = counts.constBegin(); it != counts.constEnd(); ++it)
        parts << QStringLiteral("%1 %2").arg(it.value()).arg(services::reviewStatusLabel(it.key()).toLower());
    m_summary->setText(tr("%n variant(s) in %1: %2", nullptr, int(m_cells.size()))
                           .arg(QDir::toNativeSeparators(m_exportFolder), parts.join(QStringLiteral(", "))));
    applyFilters();
    // The reviewer stays on the cell they were deciding on, so A/R then an arrow is a rhythm.
    if (!current.isEmpty())
        for (int i = 0; i < m_grid->count(); ++i)
            if (m_grid->item(i)->data(kJobRole).toString() == current && !m_grid->item(i)->isHidden())
                m_grid->setCurrentRow(i);
    if (!m_grid->currentItem())
        for (int i = 0; i < m_grid->count(); ++i)
            if (!m_grid->item(i)->isHidden()) {
                m_grid->setCurrentRow(i);
                break;
            }
    currentChanged();
}

void ReviewPanel::applyFilters()
{
    const QString segment = m_segmentFilter->currentData().toString();
    const QString format = m_formatFilter->currentData().toString();
    const QString status = m_statusFilter->currentData().toString();
    for (int i = 0; i < m_grid->count(); ++i) {
        QListWidgetItem *item = m_grid->item(i);
        const bool shown = (segment.isEmpty() || item->data(kSegmentRole).toString() == segment)
            && (format.isEmpty() || item->data(kFormatRole).toString() == format)
            && (status.isEmpty() || item->data(kStatusRole).toString() == status);
        item->setHidden(!shown);
    }
    if (m_grid->currentItem() && m_grid->currentItem()->isHidden()) {
        m_grid->setCurrentItem(nullptr);
        for (int i = 0; i < m_grid->count(); ++i)
            if (!m_grid->item(i)->isHidden()) {
                m_grid->setCurrentRow(i);
                break;
            }
    }
}

QStringList ReviewPanel::visibleJobIds() const
{
    QStringList ids;
    for (int i = 0; i < m_grid->count(); ++i)
        if (!m_grid->item(i)->isHidden())
            ids << m_grid->item(i)->data(kJobRole).toString();
    return ids;
}

const services::CellReview *ReviewPanel::cell(const QString &jobId) const
{
    for (const services::CellReview &c : m_cells)
        if (c.jobId() == jobId)
            return &c;
    return nullptr;
}

std::optional<services::ReviewStatus> ReviewPanel::status(const QString &segmentId,
                                                          const QString &formatId) const
{
    if (const services::CellReview *c = cell(segmentId + QLatin1Char('/') + formatId))
        return c->status;
    return std::nullopt;
}

QString ReviewPanel::currentJobId() const
{
    const QListWidgetItem *item = m_grid->currentItem();
    return item && !item->isHidden() ? item->data(kJobRole).toString() : QString();
}

bool ReviewPanel::selectCell(const QString &segmentId, const QString &formatId)
{
    const QString job = segmentId + QLatin1Char('/') + formatId;
    for (int i = 0; i < m_grid->count(); ++i) {
        if (m_grid->item(i)->data(kJobRole).toString() == job && !m_grid->item(i)->isHidden()) {
            m_grid->setCurrentRow(i);
            return true;
        }
    }
    return false;
}

void ReviewPanel::currentChanged()
{
    const services::CellReview *c = cell(currentJobId());
    m_approve->setEnabled(c && c->fileExists);
    m_reject->setEnabled(c && c->fileExists);
    if (!c) {
        m_player->showCell({}, {}, tr("No variant selected"));
        m_details->clear();
        return;
    }
    m_player->showCell(c->status == services::ReviewStatus::NotRendered ? QString() : c->posterPath,
                       c->filePath, tr("Not rendered yet: export it first."));
    QStringList lines{cellTitle(*m_campaign, *c) + QStringLiteral(" — ") + services::reviewStatusLabel(c->status)};
    if (const editor::Segment *s = m_campaign->segment(c->segmentId)) {
        if (s->variables.contains(QStringLiteral("headline")))
            lines << tr("Headline: %1").arg(s->variables.value(QStringLiteral("headline")));
        if (s->variables.contains(QStringLiteral("cta")))
            lines << tr("CTA: %1").arg(s->variables.value(QStringLiteral("cta")));
    }
    if (c->approval) {
        const editor::Approval &a = *c->approval;
        const QString verb = a.decision == editor::Approval::Decision::Approved ? tr("Approved") : tr("Rejected");
        QString line = (c->status == services::ReviewStatus::Changed
                            ? tr("%1 earlier, now void: the render changed since").arg(verb)
                            : verb)
            + QStringLiteral(" %1").arg(a.time);
        if (!a.reviewer.isEmpty())
            line += tr(" by %1").arg(a.reviewer);
        if (!a.comment.isEmpty())
            line += QStringLiteral(": “%1”").arg(a.comment);
        lines << line;
    }
    m_details->setText(lines.join(QLatin1Char('\n')));
}

void ReviewPanel::approveCurrent() { decide(editor::Approval::Decision::Approved); }
void ReviewPanel::rejectCurrent() { decide(editor::Approval::Decision::Rejected); }

void ReviewPanel::decide(editor::Approval::Decision decision)
{
    const services::CellReview *c = cell(currentJobId());
    if (!c)
        return;
    QString why;
    const std::optional<editor::Approval> approval = services::makeApproval(
        *c, decision, m_comment->text(), m_reviewer, QDateTime::currentDateTimeUtc(), &why);
    if (!approval) {
        emit message(why);
        return;
    }
    m_comment->clear();
    emit decided(*approval);
}

void ReviewPanel::playCurrent()
{
    if (cell(currentJobId()))
        m_player->play();
}

bool ReviewPanel::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_grid && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if (key->modifiers() & (Qt::ControlModifier | Qt::AltModifier | Qt::MetaModifier))
            return QWidget::eventFilter(watched, event);
        switch (key->key()) {
        case Qt::Key_A:
            approveCurrent();
            return true;
        case Qt::Key_R:
            rejectCurrent();
            return true;
        case Qt::Key_C:  // to the comment field without the mouse
            m_comment->setFocus();
            return true;
        case Qt::Key_Space:
            playCurrent();
            return true;
        default:
            break;
        }
    }
    return QWidget::eventFilter(watched, event);
}

}  // namespace ui
