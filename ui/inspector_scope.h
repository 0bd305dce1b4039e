// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The inspector's "Edits apply to" bar: whether an edit changes the master clip (every
// variant) or writes a per-cell override for the format, the segment or the exact cell the
// preview shows (editor/clip_override.h), and "Reset to master" for the clip in that cell.
// Also the marker for a field whose value in the current cell comes from an override: its
// label turns bold and accent-coloured and a "↺" button beside it removes that override.

#include "editor/clip_override.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QPushButton;
class QToolButton;

namespace ui {

class InspectorScopeBar : public QWidget {
    Q_OBJECT
public:
    explicit InspectorScopeBar(QWidget *parent = nullptr);

    // The cell the preview shows (names for the choices); empty ids = no cell: master only.
    void setCell(const editor::Campaign *campaign, const QString &segmentId,
                 const QString &formatId);
    // Enables "Reset to master" when the clip has overrides for the cell.
    void setClipState(const editor::Clip *clip);

    editor::OverrideScope scope() const;
    void setScope(editor::OverrideScope scope);
    QComboBox *scopeSelector() const { return m_scope; }
    QPushButton *resetButton() const { return m_reset; }

signals:
    void scopeChanged(editor::OverrideScope scope);
    void resetToMasterRequested();

private:
    QComboBox *m_scope = nullptr;
    QPushButton *m_reset = nullptr;
    QString m_segmentId, m_formatId;
};

// Where `path` of the clip is overridden for the cell ("this format", ...), empty if it is not.
QString overrideOrigin(const editor::Clip &clip, const QString &segmentId,
                       const QString &formatId, const QStringList &path);

// Shows or clears the overridden marker on a field's label and its reset button. `bold` keeps
// the label bold for another reason (a keyframe at the playhead).
void markOverridden(QLabel *label, QToolButton *reset, const QString &origin, bool bold = false);
// The small "↺" button placed beside a field; hidden until the field is overridden.
QToolButton *makeResetButton(QWidget *parent);

}  // namespace ui
