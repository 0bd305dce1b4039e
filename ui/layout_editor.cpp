// SPDX-License-Identifier: GPL-3.0-or-later
#include "layout_editor.h"

#include <QComboBox>
#include <QDoubleSpinBox>
#include <QHBoxLayout>
#include <QLabel>
#include <QStackedWidget>
#include <QVBoxLayout>

namespace ui {

using editor::ClipLayout;

LayoutEditor::LayoutEditor(QWidget *parent) : QWidget(parent)
{
    auto *outer = new QVBoxLayout(this);
    outer->setContentsMargins(0, 0, 0, 0);
    m_mode = new QComboBox(this);
    m_mode->setObjectName(QStringLiteral("layoutMode"));
    m_mode->addItem(tr("Fill the frame"), int(ClipLayout::Mode::Fill));
    m_mode->addItem(tr("Box"), int(ClipLayout::Mode::Box));
    m_mode->addItem(tr("Anchored in the safe zone"), int(ClipLayout::Mode::Anchor));
    outer->addWidget(m_mode);

    m_pages = new QStackedWidget(this);
    m_pages->addWidget(new QWidget(m_pages));  // Fill has no fields

    auto *box = new QWidget(m_pages);
    auto *boxRow = new QHBoxLayout(box);
    boxRow->setContentsMargins(0, 0, 0, 0);
    m_boxX = fraction(-1.0, 2.0, tr("Left edge, fraction of the frame width"));
    m_boxY = fraction(-1.0, 2.0, tr("Top edge, fraction of the frame height"));
    m_boxW = fraction(0.001, 3.0, tr("Width, fraction of the frame width"));
    m_boxH = fraction(0.001, 3.0, tr("Height, fraction of the frame height"));
    for (const auto &[name, spin] : {std::pair{tr("x"), m_boxX}, std::pair{tr("y"), m_boxY},
                                     std::pair{tr("w"), m_boxW}, std::pair{tr("h"), m_boxH}}) {
        boxRow->addWidget(new QLabel(name, box));
        boxRow->addWidget(spin, 1);
    }
    m_pages->addWidget(box);

    auto *anchor = new QWidget(m_pages);
    auto *anchorRow = new QHBoxLayout(anchor);
    anchorRow->setContentsMargins(0, 0, 0, 0);
    m_anchor = new QComboBox(anchor);
    m_anchor->setObjectName(QStringLiteral("layoutAnchor"));
    for (const char *a : {"top-left", "top", "top-right", "left", "center", "right", "bottom-left",
                          "bottom", "bottom-right"})
        m_anchor->addItem(QString::fromLatin1(a), QString::fromLatin1(a));
    m_size = fraction(0.001, 1.0, tr("Width, fraction of the shorter side"));
    m_margin = fraction(0.0, 0.5, tr("Distance from the safe zone's edge, fraction of the "
                                     "shorter side"));
    anchorRow->addWidget(m_anchor, 2);
    anchorRow->addWidget(new QLabel(tr("size"), anchor));
    anchorRow->addWidget(m_size, 1);
    anchorRow->addWidget(new QLabel(tr("margin"), anchor));
    anchorRow->addWidget(m_margin, 1);
    m_pages->addWidget(anchor);
    outer->addWidget(m_pages);

    connect(m_mode, &QComboBox::activated, this, [this] {
        m_layout.mode = ClipLayout::Mode(m_mode->currentData().toInt());
        m_pages->setCurrentIndex(m_mode->currentIndex());
        emitEdited(false);
    });
    connect(m_anchor, &QComboBox::activated, this, [this] {
        m_layout.anchor = m_anchor->currentData().toString();
        emitEdited(false);
    });
    setClipLayout(m_layout);
}

QDoubleSpinBox *LayoutEditor::fraction(double min, double max, const QString &tip)
{
    auto *spin = new QDoubleSpinBox(this);
    spin->setRange(min, max);
    spin->setDecimals(3);
    spin->setSingleStep(0.01);
    spin->setKeyboardTracking(false);
    spin->setToolTip(tip);
    connect(spin, &QDoubleSpinBox::valueChanged, this, [this] {
        if (m_updating)
            return;
        m_layout.size = m_size->value();
        m_layout.margin = m_margin->value();
        m_layout.box = QRectF(m_boxX->value(), m_boxY->value(), m_boxW->value(), m_boxH->value());
        emitEdited(true);
    });
    connect(spin, &QDoubleSpinBox::editingFinished, this, &LayoutEditor::editingFinished);
    return spin;
}

void LayoutEditor::setClipLayout(const ClipLayout &layout)
{
    m_updating = true;
    m_layout = layout;
    m_mode->setCurrentIndex(std::max(0, m_mode->findData(int(layout.mode))));
    m_pages->setCurrentIndex(m_mode->currentIndex());
    m_anchor->setCurrentIndex(std::max(0, m_anchor->findData(layout.anchor)));
    m_size->setValue(layout.size);
    m_margin->setValue(layout.margin);
    m_boxX->setValue(layout.box.x());
    m_boxY->setValue(layout.box.y());
    m_boxW->setValue(layout.box.width());
    m_boxH->setValue(layout.box.height());
    m_updating = false;
}

void LayoutEditor::emitEdited(bool continuous)
{
    emit layoutEdited(m_layout, continuous);
}

}  // namespace ui
