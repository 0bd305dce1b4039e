// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The inspector for the clip selected in the timeline: where it sits (read-only timecodes),
// fit, text, gain, the crossfade at its start, and keyframes for position, scale and opacity
// at the playhead. Every change is one Document::edit(); typing or spinning in one field is
// merged into one undo step per field until the field loses focus or the selection changes.
//
// Keyframes: the model has no constant for these properties besides their keyframes, so
// changing a value at the playhead adds a key there, or updates the key already there.

#include "editor/timeline_edit.h"

#include <QPointer>
#include <QWidget>

class QComboBox;
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
    // The Reframe section (crop keys of a smart clip); give it the studio's current cell.
    ReframeEditor *reframeEditor() const { return m_reframe; }

public slots:
    void setClip(const QString &clipId);  // connect TimelineView::selectionChanged
    void setPlayhead(qint64 frame);       // connect TimelineView::playheadMoved

private:
    struct KeyRow {
        editor::KeyProperty property;
        QLabel *label = nullptr;
        QDoubleSpinBox *value = nullptr;
        QPushButton *add = nullptr;
        QPushButton *remove = nullptr;
    };

    const editor::Clip *currentClip(editor::TrackKind *kind = nullptr) const;
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
    bool m_refreshing = false;
};

}  // namespace ui
