// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The inspector's layout row: where a visual clip sits in a format (editor::ClipLayout) - the
// whole frame, a box in fractions of the frame, or anchored to a corner or edge of the
// format's safe zone with a width and margin as fractions of the shorter side. Only the
// fields of the chosen mode are shown. It emits the whole edited layout; the inspector turns
// that into one undoable edit in the selected scope (master or override).

#include "editor/campaign.h"

#include <QWidget>

class QComboBox;
class QDoubleSpinBox;
class QStackedWidget;

namespace ui {

class LayoutEditor : public QWidget {
    Q_OBJECT
public:
    explicit LayoutEditor(QWidget *parent = nullptr);

    void setClipLayout(const editor::ClipLayout &layout);  // silent
    editor::ClipLayout clipLayout() const { return m_layout; }

    QComboBox *modeEditor() const { return m_mode; }
    QComboBox *anchorEditor() const { return m_anchor; }
    QDoubleSpinBox *sizeEditor() const { return m_size; }
    QDoubleSpinBox *marginEditor() const { return m_margin; }

signals:
    // `continuous`: part of a run of spin-box steps that should be one undo step.
    void layoutEdited(const editor::ClipLayout &layout, bool continuous);
    void editingFinished();

private:
    void emitEdited(bool continuous);
    QDoubleSpinBox *fraction(double min, double max, const QString &tip);

    editor::ClipLayout m_layout;
    bool m_updating = false;
    QComboBox *m_mode = nullptr;
    QStackedWidget *m_pages = nullptr;
    QComboBox *m_anchor = nullptr;
    QDoubleSpinBox *m_size = nullptr;
    QDoubleSpinBox *m_margin = nullptr;
    QDoubleSpinBox *m_boxX = nullptr, *m_boxY = nullptr, *m_boxW = nullptr, *m_boxH = nullptr;
};

}  // namespace ui
