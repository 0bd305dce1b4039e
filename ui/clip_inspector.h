// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The inspector for the clip selected in the timeline: where it sits (read-only timecodes),
// its layout in the frame (layout_editor.h), fit, text, gain, the crossfade at its start, and keyframes for position, scale and opacity
// at the playhead. Every change is one Document::edit(); typing or spinning in one field is
// merged into one undo step per field until the field loses focus or the selection changes.
//
// Keyframes: the model has no constant for these properties besides their keyframes, so
// changing a value at the playhead adds a key there, or updates the key already there.
//
// Brand kit: a Lock toggle (undoable) makes the clip a locked layer; every other field is
// disabled while it is on. Per-cell overrides: "Edits apply to" (inspector_scope.h) sends each
// edit to the master or to the override of the preview's format, segment or cell; the fields
// show the clip as that scope sees it, and a field whose value in the current cell comes from
// an override is marked, with "↺" beside it to reset it to the master's value.

#include "editor/clip_override.h"
#include "editor/timeline_edit.h"

#include <QPointer>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QToolButton;
class QFormLayout;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QGroupBox;

namespace editor {
class Document;
}

namespace ui {

class InspectorScopeBar;
class LayoutEditor;
class ReframeEditor;

class ClipInspector : public QWidget {
    Q_OBJECT
public:
    explicit ClipInspector(editor::Document *document, QWidget *parent = nullptr);

    QString clip() const { return m_clipId; }
    qint64 playhead() const { return m_playhead; }

    // The controls, for tests and for keyboard-driven tools.
    QDoubleSpinBox *keyValueEditor(editor::KeyProperty p) const;
    QPushButton *addKeyButton(editor::KeyProperty p) const;
    QPushButton *removeKeyButton(editor::KeyProperty p) const;
    QLineEdit *textEditor() const { return m_text; }
    QDoubleSpinBox *gainEditor() const { return m_gain; }
    QDoubleSpinBox *transitionEditor() const { return m_transition; }
    QComboBox *fitEditor() const { return m_fit; }
    QCheckBox *lockToggle() const { return m_lock; }
    LayoutEditor *layoutEditor() const { return m_layout; }
    InspectorScopeBar *scopeBar() const { return m_scopeBar; }
    // The label and "↺" reset button of the row an editor above sits in.
    QLabel *fieldLabel(QWidget *editor) const;
    QToolButton *fieldResetButton(QWidget *editor) const;
    QString segmentId() const { return m_segmentId; }
    QString formatId() const { return m_formatId; }
    // The Reframe section (crop keys of a smart clip); give it the studio's current cell.
    ReframeEditor *reframeEditor() const { return m_reframe; }

public slots:
    void setClip(const QString &clipId);  // connect TimelineView::selectionChanged
    void setPlayhead(qint64 frame);       // connect TimelineView::playheadMoved
    // The cell the preview shows: what the override scopes mean. Connect
    // PreviewPanel::cellChanged.
    void setCell(const QString &segmentId, const QString &formatId);

private:
    struct KeyRow {
        editor::KeyProperty property;
        QLabel *label = nullptr;
        QDoubleSpinBox *value = nullptr;
        QPushButton *add = nullptr;
        QPushButton *remove = nullptr;
    };

    // One row marker per editable field: its label, reset button and property path.
    struct FieldMarker {
        QWidget *editor = nullptr;
        QLabel *label = nullptr;
        QToolButton *reset = nullptr;
        QStringList path;  // in the clip's file form: {"text", "text"}, {"keyframes", "x"}
    };

    const editor::Clip *currentClip(editor::TrackKind *kind = nullptr) const;
    // The clip as the selected scope sees it (what the fields show and edits start from).
    std::optional<editor::Clip> shownClip(editor::TrackKind *kind = nullptr) const;
    // Runs `edit` on the selected clip in the selected scope as one undoable step.
    bool editClip(const QString &text, const editor::ClipEdit &edit, const QString &field);
    QWidget *fieldRow(QWidget *editor, const QStringList &path);
    void resetField(const QStringList &path);
    void refreshMarkers(const editor::Clip &master, bool locked);
    // The playhead relative to the clip start, when it lies within the clip.
    std::optional<editor::Rational> keyTime() const;
    void refresh();
    void endGesture();
    void setKey(editor::KeyProperty p, double value, bool merge);
    void removeKey(editor::KeyProperty p);
    QString mergeKey(const QString &field) const;

    QPointer<editor::Document> m_doc;
    QString m_clipId;
    qint64 m_playhead = 0;

    QLabel *m_title = nullptr;
    QLabel *m_start = nullptr;
    QLabel *m_duration = nullptr;
    QLabel *m_in = nullptr;
    QComboBox *m_fit = nullptr;
    LayoutEditor *m_layout = nullptr;
    QLineEdit *m_text = nullptr;
    QDoubleSpinBox *m_gain = nullptr;
    QDoubleSpinBox *m_transition = nullptr;
    QGroupBox *m_keyBox = nullptr;
    ReframeEditor *m_reframe = nullptr;
    QLabel *m_keyHint = nullptr;
    std::vector<KeyRow> m_keys;
    QWidget *m_body = nullptr;
    QLabel *m_empty = nullptr;
    QFormLayout *m_form = nullptr;
    QCheckBox *m_lock = nullptr;
    InspectorScopeBar *m_scopeBar = nullptr;
    std::vector<FieldMarker> m_markers;
    QString m_segmentId, m_formatId;
    bool m_refreshing = false;
};

}  // namespace ui
