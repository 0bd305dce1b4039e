// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Segments panel: the campaign's audience segments as a table, one row per segment, a
// column per attribute and one per variable (the union over all segments, in name order).
//
// The table model holds no copy of the segments: it reads the Document on every call and
// every change, a cell edit included, is one Document::edit(), so undo/redo covers everything
// and other panels' edits show up here through Document::changed. An empty variable cell
// means "not set" for that segment, as in the CSV files (editor/segment_csv.h).
//
// Operations that need input (Add variable, Rename, Import...) exist twice: as QActions that
// ask with a dialog, for menus and the toolbar, and as plain methods taking the answer, which
// the actions call and tests drive. Refusals are not modal: they appear in the panel's message
// line, so a refused cell edit does not interrupt typing.

#include <QAbstractTableModel>
#include <QStringList>
#include <QWidget>

class QAction;
class QLabel;
class QTableView;

namespace editor {
class Document;
struct Campaign;
struct Segment;
}  // namespace editor

namespace ui {

class SegmentTableModel : public QAbstractTableModel {
    Q_OBJECT
public:
    explicit SegmentTableModel(editor::Document *document, QObject *parent = nullptr);

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;
    QVariant headerData(int section, Qt::Orientation orientation,
                        int role = Qt::DisplayRole) const override;
    Qt::ItemFlags flags(const QModelIndex &index) const override;
    // One Document::edit per accepted value; refused values emit editRefused().
    bool setData(const QModelIndex &index, const QVariant &value, int role = Qt::EditRole) override;

    // Column keys: "id", "name", "locale", "region", "ageBand", "interests", "tone", then the
    // variable names.
    QString columnKey(int column) const;
    int columnOf(const QString &key) const;       // -1 if absent
    bool isVariableColumn(int column) const;
    QStringList variableNames() const { return m_variables; }
    QString segmentId(int row) const;
    int rowOf(const QString &segmentId) const;    // -1 if absent

signals:
    void editRefused(const QString &message);

private:
    void documentChanged();
    const editor::Segment *segmentAt(int row) const;

    editor::Document *m_doc;
    QStringList m_ids;        // row order as last published to views
    QStringList m_variables;  // variable columns as last published
};

class SegmentsPanel : public QWidget {
    Q_OBJECT
public:
    explicit SegmentsPanel(editor::Document *document, QWidget *parent = nullptr);

    QTableView *view() const { return m_view; }
    SegmentTableModel *model() const { return m_model; }

    // For the main window's menus and toolbars (also on the panel's own toolbar).
    QAction *addSegmentAction() const { return m_addSegment; }
    QAction *removeSegmentsAction() const { return m_removeSegments; }
    QAction *duplicateSegmentAction() const { return m_duplicateSegment; }
    QAction *renameSegmentAction() const { return m_renameSegment; }
    QAction *addVariableAction() const { return m_addVariable; }
    QAction *removeVariableAction() const { return m_removeVariable; }
    QAction *importCsvAction() const { return m_importCsv; }
    QAction *exportCsvAction() const { return m_exportCsv; }
    QList<QAction *> actions() const;

    // The operations behind the actions, without dialogs. Each is one undoable edit; on
    // refusal they return false and show why in the message line (lastMessage()).
    bool addSegment(QString *newId = nullptr);
    bool removeSegments(const QStringList &ids);
    bool duplicateSegment(const QString &id, QString *newId = nullptr);
    bool renameSegment(const QString &oldId, const QString &newId);
    bool addVariable(const QString &name);
    bool removeVariable(const QString &name);
    // Merges by id (editor::mergeImportedSegments); the whole import is one undo step.
    bool importCsv(const QString &path);
    bool exportCsv(const QString &path);
    // Empties the given cells in one edit (Delete/Backspace in the table): attributes become
    // empty, variables unset. Id cells are left alone: a segment needs an id.
    bool clearCells(const QModelIndexList &cells);

    QStringList selectedSegmentIds() const;  // in row order; the current row if none selected
    QString currentSegmentId() const;
    QString lastMessage() const { return m_lastMessage; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

signals:
    void currentSegmentChanged(const QString &segmentId);
    void message(const QString &text);  // for a status bar, too

private:
    void showMessage(const QString &text, bool problem);
    void updateActions();
    void fitColumns();
    void promptRename();
    void promptAddVariable();
    void promptRemoveVariable();
    void promptImport();
    void promptExport();
    QString uniqueSegmentId(const QString &base) const;

    editor::Document *m_doc;
    SegmentTableModel *m_model;
    QTableView *m_view;
    QLabel *m_messageLabel;
    QString m_lastMessage;
    QString m_restoreId, m_restoreColumn;  // current cell across model resets
    QAction *m_addSegment, *m_removeSegments, *m_duplicateSegment, *m_renameSegment;
    QAction *m_addVariable, *m_removeVariable, *m_importCsv, *m_exportCsv;
};

// Who uses variable `name`: clips ("clip 'headline'") and generation requests, for the
// refusal message; empty when nobody does.
QStringList segmentVariableUsers(const editor::Campaign &campaign, const QString &name);

}  // namespace ui
