// SPDX-License-Identifier: GPL-3.0-or-later
#include "inspector_scope.h"

#include <QComboBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>
#include <QToolButton>

namespace ui {

using editor::OverrideScope;

namespace {

// The accent of overridden values: the studio's warm orange, readable on the dark theme.
const QColor kOverrideColor(255, 159, 67);

}  // namespace

InspectorScopeBar::InspectorScopeBar(QWidget *parent) : QWidget(parent)
{
    auto *layout = new QHBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *label = new QLabel(tr("Edits apply to:"), this);
    m_scope = new QComboBox(this);
    m_scope->setObjectName(QStringLiteral("overrideScope"));
    m_scope->setSizeAdjustPolicy(QComboBox::AdjustToMinimumContentsLengthWithIcon);
    m_scope->setMinimumContentsLength(18);
    m_scope->setToolTip(tr("Master edits change every variant. The other choices store an "
                           "override for the cell the preview shows; the timeline (start, "
                           "duration) is always shared."));
    label->setBuddy(m_scope);
    m_reset = new QPushButton(tr("Reset to master"), this);
    m_reset->setObjectName(QStringLiteral("resetToMaster"));
    m_reset->setToolTip(tr("Remove every override of this clip that applies to the current "
                           "cell"));
    layout->addWidget(label);
    layout->addWidget(m_scope, 1);
    layout->addWidget(m_reset);
    setCell(nullptr, {}, {});
    connect(m_scope, &QComboBox::activated, this, [this] { emit scopeChanged(scope()); });
    connect(m_reset, &QPushButton::clicked, this, &InspectorScopeBar::resetToMasterRequested);
}

void InspectorScopeBar::setCell(const editor::Campaign *campaign, const QString &segmentId,
                                const QString &formatId)
{
    m_segmentId = segmentId;
    m_formatId = formatId;
    const editor::Segment *seg = campaign ? campaign->segment(segmentId) : nullptr;
    const editor::FormatPreset *fmt = campaign ? campaign->format(formatId) : nullptr;
    const QString segName = seg ? (seg->name.isEmpty() ? seg->id : seg->name) : QString();
    const QString fmtName = fmt ? fmt->name : QString();
    const QStringList texts{tr("All variants (master)"),
                            fmt ? tr("This format (%1)").arg(fmtName) : tr("This format"),
                            seg ? tr("This segment (%1)").arg(segName) : tr("This segment"),
                            seg && fmt ? tr("This cell (%1 · %2)").arg(segName, fmt->id)
                                       : tr("This cell")};
    // Called on every document change: rebuild only when the names changed, so an open list
    // is not reset under the mouse.
    QStringList shown;
    for (int i = 0; i < m_scope->count(); ++i)
        shown << m_scope->itemText(i);
    if (shown == texts)
        return;
    const OverrideScope current = scope();
    m_scope->clear();
    const OverrideScope scopes[] = {OverrideScope::Master, OverrideScope::Format,
                                    OverrideScope::Segment, OverrideScope::Cell};
    for (int i = 0; i < 4; ++i)
        m_scope->addItem(texts[i], int(scopes[i]));
    // Without a cell the per-cell choices have nothing to name.
    const bool cell = seg && fmt;
    for (int i = 1; i < m_scope->count(); ++i)
        if (!cell)
            m_scope->setItemData(i, 0, Qt::UserRole - 1);  // disabled item
    setScope(cell ? current : OverrideScope::Master);
}

void InspectorScopeBar::setClipState(const editor::Clip *clip)
{
    const bool any = clip && !editor::overridesForCell(*clip, m_segmentId, m_formatId).empty();
    m_reset->setEnabled(any);
}

OverrideScope InspectorScopeBar::scope() const
{
    return m_scope->currentIndex() < 0 ? OverrideScope::Master
                                       : OverrideScope(m_scope->currentData().toInt());
}

void InspectorScopeBar::setScope(OverrideScope scope)
{
    const int index = m_scope->findData(int(scope));
    if (index >= 0 && index != m_scope->currentIndex()) {
        m_scope->setCurrentIndex(index);
        emit scopeChanged(scope);
    }
}

QString overrideOrigin(const editor::Clip &clip, const QString &segmentId, const QString &formatId,
                       const QStringList &path)
{
    // The last applying override wins, so it is the one to name.
    const std::vector<const editor::ClipOverride *> layers =
        editor::overridesForCell(clip, segmentId, formatId);
    for (auto it = layers.rbegin(); it != layers.rend(); ++it) {
        if (!editor::patchTouches((*it)->properties, path))
            continue;
        if ((*it)->segmentId.isEmpty())
            return InspectorScopeBar::tr("format %1").arg((*it)->formatId);
        if ((*it)->formatId.isEmpty())
            return InspectorScopeBar::tr("segment %1").arg((*it)->segmentId);
        return InspectorScopeBar::tr("cell %1 · %2").arg((*it)->segmentId, (*it)->formatId);
    }
    return {};
}

void markOverridden(QLabel *label, QToolButton *reset, const QString &origin, bool bold)
{
    const bool overridden = !origin.isEmpty();
    QFont f = label->font();
    f.setBold(bold || overridden);
    label->setFont(f);
    QPalette pal = label->palette();
    pal.setColor(QPalette::WindowText,
                 overridden ? kOverrideColor : label->parentWidget()->palette().color(QPalette::WindowText));
    label->setPalette(pal);
    label->setProperty("overridden", overridden);
    reset->setVisible(overridden);
    reset->setToolTip(overridden ? InspectorScopeBar::tr("Overridden for %1. Click to use the "
                                                         "master's value in this cell.")
                                       .arg(origin)
                                 : QString());
}

QToolButton *makeResetButton(QWidget *parent)
{
    auto *b = new QToolButton(parent);
    b->setText(QStringLiteral("↺"));
    b->setAutoRaise(true);
    b->setFixedWidth(24);
    b->setVisible(false);
    return b;
}

}  // namespace ui
