// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The open campaign and its edit history. Every change a designer makes goes through
// Document::edit(), which records it as one QUndoCommand holding the campaign as it was before
// and after. Whole-document snapshots keep undo exact (undo returns byte-identical JSON) and
// make every panel's edits undoable without a hand-written inverse per operation; a campaign is
// small (kilobytes), so the copies cost nothing next to a rendered frame.
//
// Continuous gestures (dragging a clip, typing in a field) pass a merge key: consecutive edits
// with the same key fold into one command until endGesture() is called, so one drag is one undo
// step.

#include "campaign.h"

#include <QObject>
#include <QString>
#include <QStringList>

#include <functional>
#include <optional>

class QUndoStack;

namespace editor {

class Document : public QObject {
    Q_OBJECT
public:
    explicit Document(QObject *parent = nullptr);
    ~Document() override;

    // Replaces the document (open, new, recover): the history is cleared. `modified` marks a
    // recovered autosave that has not been saved to the project yet.
    void reset(Campaign campaign, const QString &projectPath, bool modified = false);
    void close();

    bool isOpen() const { return m_campaign.has_value(); }
    const Campaign &campaign() const { return *m_campaign; }  // only when isOpen()
    QString projectPath() const { return m_projectPath; }
    QString projectDir() const;
    void setProjectPath(const QString &path);  // Save As

    QUndoStack *undoStack() const { return m_undo; }

    // Applies `change` to a copy of the campaign. When it returns true and the copy differs,
    // the copy becomes the document and one undo command named `text` is pushed. Returns
    // whether the document changed. With a non-empty `mergeKey`, a run of edits with the same
    // key (until endGesture()) is one undo step.
    bool edit(const QString &text, const std::function<bool(Campaign &)> &change,
              const QString &mergeKey = {});
    // Closes the current gesture: the next edit starts a new undo step even with the same key.
    void endGesture();

    bool isModified() const;
    void markSaved();     // the file on disk now holds the current state
    void markModified();  // e.g. a save failed after the state was thought clean

    // Incremented on every content change (edit, undo, redo, reset); autosave and preview
    // use it to tell whether they are up to date.
    quint64 revision() const { return m_revision; }

signals:
    void changed();                  // content changed: edit, undo, redo or reset
    void modifiedChanged(bool modified);
    void opened();                   // reset() or close()

private:
    friend class SnapshotCommand;
    void setCampaignFromHistory(const Campaign &c);

    std::optional<Campaign> m_campaign;
    QString m_projectPath;
    QUndoStack *m_undo = nullptr;
    quint64 m_revision = 0;
    quint64 m_gesture = 1;
    bool m_forcedModified = false;
    bool m_lastModified = false;
    void emitModifiedIfChanged();
};

// The model's invariants, checked after every edit in tests: the campaign survives a save and
// load unchanged (so the reader's validation holds), clip ids are unique, clips on a track are
// sorted by start and have positive durations. Returns the
// problems found (empty = consistent).
QStringList checkConsistency(const Campaign &campaign, const QString &projectDir);

}  // namespace editor
