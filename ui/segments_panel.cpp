// SPDX-License-Identifier: GPL-3.0-or-later
#include "segments_panel.h"

#include "editor/clip_override.h"
#include "editor/document.h"
#include "editor/segment_csv.h"

#include <QAction>
#include <QFileDialog>
#include <QFileInfo>
#include <QHeaderView>
#include <QInputDialog>
#include <QKeyEvent>
#include <QLabel>
#include <QLocale>
#include <QRegularExpression>
#include <QSaveFile>
#include <QTableView>
#include <QToolBar>
#include <QVBoxLayout>

#include <algorithm>

namespace ui {

namespace {

using editor::Campaign;
using editor::Segment;

constexpr int kAttributeColumns = 7;  // id, name, locale, region, ageBand, interests, tone

QString attributeLabel(const QString &key)
{
    if (key == u"id") return SegmentTableModel::tr("Id");
    if (key == u"name") return SegmentTableModel::tr("Name");
    if (key == u"locale") return SegmentTableModel::tr("Locale");
    if (key == u"region") return SegmentTableModel::tr("Region");
    if (key == u"ageBand") return SegmentTableModel::tr("Age band");
    if (key == u"interests") return SegmentTableModel::tr("Interests");
    return SegmentTableModel::tr("Tone");
}

QString attributeValue(const Segment &s, const QString &key)
{
    if (key == u"id") return s.id;
    if (key == u"name") return s.name;
    if (key == u"locale") return s.locale;
    if (key == u"region") return s.region;
    if (key == u"ageBand") return s.ageBand;
    if (key == u"interests") return s.interests.join(QStringLiteral("; "));
    return s.tone;
}

void setAttributeValue(Segment &s, const QString &key, const QString &value)
{
    if (key == u"name") s.name = value;
    else if (key == u"locale") s.locale = value;
    else if (key == u"region") s.region = value;
    else if (key == u"ageBand") s.ageBand = value;
    else if (key == u"interests") s.interests = editor::splitInterests(value);
    else if (key == u"tone") s.tone = value;
}

Segment *findSegment(Campaign &c, const QString &id)
{
    auto it = std::find_if(c.segments.begin(), c.segments.end(),
                           [&](const Segment &s) { return s.id == id; });
    return it == c.segments.end() ? nullptr : &*it;
}

bool usesVariable(const QString &text, const QString &name)
{
    const QRegularExpression re(QStringLiteral("\\{\\{%1(?::[A-Za-z_]+)?\\}\\}")
                                    .arg(QRegularExpression::escape(name)));
    return re.match(text).hasMatch();
}

// Ids are compared as the reader compares them: exactly. Trimming the user's input avoids
// ids that differ only by an invisible trailing space.
QString renameProblem(const Campaign &c, const QString &oldId, const QString &newId)
{
    const QString problem = editor::segmentIdProblem(newId);
    if (!problem.isEmpty())
        return problem;
    if (newId != oldId && c.segment(newId))
        return SegmentsPanel::tr("A segment with the id '%1' already exists; ids must be unique.")
            .arg(newId);
    return {};
}

}  // namespace

QStringList segmentVariableUsers(const Campaign &campaign, const QString &name)
{
    QStringList users;
    for (const editor::Track &track : campaign.timeline.tracks) {
        for (const editor::Clip &clip : track.clips) {
            if (usesVariable(clip.source, name) || usesVariable(clip.text.text, name))
                users << SegmentsPanel::tr("clip '%1'").arg(clip.id);
        }
    }
    for (const editor::GenerationRequest &r : campaign.generationRequests) {
        if (r.bindVariable == name || usesVariable(r.promptTemplate, name)
            || usesVariable(r.negativePrompt, name))
            users << SegmentsPanel::tr("generation request '%1'").arg(r.id);
    }
    return users;
}

// --- SegmentTableModel ----------------------------------------------------------------------

SegmentTableModel::SegmentTableModel(editor::Document *document, QObject *parent)
    : QAbstractTableModel(parent), m_doc(document)
{
    connect(m_doc, &editor::Document::changed, this, &SegmentTableModel::documentChanged);
    documentChanged();
}

void SegmentTableModel::documentChanged()
{
    QStringList ids, variables;
    if (m_doc->isOpen()) {
        for (const Segment &s : m_doc->campaign().segments)
            ids << s.id;
        variables = editor::segmentVariableNames(m_doc->campaign().segments);
    }
    // Same shape: refresh the cells in place so views keep their current cell and selection
    // (an undo of a cell edit must not throw the cursor to the top-left).
    if (ids.size() == m_ids.size() && variables == m_variables) {
        m_ids = ids;
        if (!m_ids.isEmpty())
            emit dataChanged(index(0, 0), index(rowCount() - 1, columnCount() - 1));
        return;
    }
    beginResetModel();
    m_ids = ids;
    m_variables = variables;
    endResetModel();
}

const Segment *SegmentTableModel::segmentAt(int row) const
{
    if (!m_doc->isOpen() || row < 0 || row >= m_ids.size())
        return nullptr;
    return m_doc->campaign().segment(m_ids.at(row));
}

int SegmentTableModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_ids.size());
}

int SegmentTableModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : kAttributeColumns + int(m_variables.size());
}

QString SegmentTableModel::columnKey(int column) const
{
    if (column < 0)
        return {};
    if (column < kAttributeColumns)
        return editor::segmentCsvAttributeColumns().at(column);
    return m_variables.value(column - kAttributeColumns);
}

int SegmentTableModel::columnOf(const QString &key) const
{
    const qsizetype attribute = editor::segmentCsvAttributeColumns().indexOf(key);
    if (attribute >= 0)
        return int(attribute);
    const qsizetype variable = m_variables.indexOf(key);
    return variable < 0 ? -1 : kAttributeColumns + int(variable);
}

bool SegmentTableModel::isVariableColumn(int column) const
{
    return column >= kAttributeColumns && column < columnCount();
}

QString SegmentTableModel::segmentId(int row) const
{
    return m_ids.value(row);
}

int SegmentTableModel::rowOf(const QString &segmentId) const
{
    return int(m_ids.indexOf(segmentId));
}

QVariant SegmentTableModel::data(const QModelIndex &index, int role) const
{
    const Segment *s = segmentAt(index.row());
    if (!s || index.column() >= columnCount())
        return {};
    const QString key = columnKey(index.column());
    const bool variable = isVariableColumn(index.column());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::EditRole:
        return variable ? s->variables.value(key) : attributeValue(*s, key);
    case Qt::ToolTipRole:
        if (variable && !s->variables.contains(key))
            return tr("'%1' is not set for this segment").arg(key);
        if (key == u"locale" && !s->locale.isEmpty())
            return QLocale(s->locale).nativeLanguageName() + QStringLiteral(" — ")
                + QLocale(s->locale).nativeTerritoryName();
        if (key == u"interests")
            return tr("Separate interests with ';'");
        return {};
    default:
        return {};
    }
}

QVariant SegmentTableModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation == Qt::Vertical)
        return role == Qt::DisplayRole ? QVariant(section + 1) : QVariant();
    const QString key = columnKey(section);
    if (role == Qt::DisplayRole)
        return isVariableColumn(section) ? key : attributeLabel(key);
    if (role == Qt::ToolTipRole)
        return isVariableColumn(section)
            ? tr("Variable {{%1}}: used by slots in text and media clips").arg(key)
            : tr("Segment attribute '%1'").arg(key);
    return {};
}

Qt::ItemFlags SegmentTableModel::flags(const QModelIndex &index) const
{
    if (!index.isValid())
        return Qt::NoItemFlags;
    return Qt::ItemIsSelectable | Qt::ItemIsEnabled | Qt::ItemIsEditable;
}

bool SegmentTableModel::setData(const QModelIndex &index, const QVariant &value, int role)
{
    const Segment *s = segmentAt(index.row());
    if (role != Qt::EditRole || !s)
        return false;
    const QString key = columnKey(index.column());
    const QString id = s->id;
    QString text = value.toString();
    if (key == u"id") {
        text = text.trimmed();
        const QString problem = renameProblem(m_doc->campaign(), id, text);
        if (!problem.isEmpty()) {
            emit editRefused(problem);
            return false;
        }
    } else if (key == u"locale") {
        text = text.trimmed();
        const QString problem = editor::segmentLocaleProblem(text);
        if (!problem.isEmpty()) {
            emit editRefused(problem);
            return false;
        }
    }
    const QString label = isVariableColumn(index.column()) ? key : attributeLabel(key);
    const bool variable = isVariableColumn(index.column());
    m_doc->edit(tr("Edit %1 of %2").arg(label, id), [&](Campaign &c) {
        Segment *target = findSegment(c, id);
        if (!target)
            return false;
        if (key == u"id")
            target->id = text;
        else if (!variable)
            setAttributeValue(*target, key, text);
        else if (text.isEmpty())
            target->variables.remove(key);  // empty = not set, as in the CSV files
        else
            target->variables.insert(key, text);
        return true;
    });
    return true;
}

// --- SegmentsPanel -------------------------------------------------------------------------

SegmentsPanel::SegmentsPanel(editor::Document *document, QWidget *parent)
    : QWidget(parent), m_doc(document), m_model(new SegmentTableModel(document, this)),
      m_view(new QTableView(this)), m_messageLabel(new QLabel(this))
{
    setObjectName(QStringLiteral("segmentsPanel"));
    m_view->setObjectName(QStringLiteral("segmentsTable"));
    m_view->setModel(m_model);
    m_view->setSelectionBehavior(QAbstractItemView::SelectItems);
    m_view->setSelectionMode(QAbstractItemView::ExtendedSelection);
    m_view->setEditTriggers(QAbstractItemView::DoubleClicked | QAbstractItemView::EditKeyPressed
                            | QAbstractItemView::AnyKeyPressed);
    m_view->setAlternatingRowColors(true);
    m_view->setWordWrap(false);
    m_view->horizontalHeader()->setSectionResizeMode(QHeaderView::Interactive);
    m_view->horizontalHeader()->setStretchLastSection(true);
    m_view->horizontalHeader()->setDefaultSectionSize(120);
    m_view->verticalHeader()->setDefaultSectionSize(m_view->fontMetrics().height() + 8);

    m_messageLabel->setObjectName(QStringLiteral("segmentsMessage"));
    m_messageLabel->setWordWrap(true);
    m_messageLabel->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_messageLabel->hide();

    auto makeAction = [this](const QString &text, const QString &name, const QString &tip) {
        auto *a = new QAction(text, this);
        a->setObjectName(name);
        a->setToolTip(tip);
        return a;
    };
    m_addSegment = makeAction(tr("Add"), QStringLiteral("addSegment"), tr("Add a segment"));
    m_removeSegments = makeAction(tr("Remove"), QStringLiteral("removeSegments"),
                                  tr("Remove the selected segments"));
    m_duplicateSegment = makeAction(tr("Duplicate"), QStringLiteral("duplicateSegment"),
                                    tr("Copy the current segment with a new id"));
    m_renameSegment = makeAction(tr("Rename id…"), QStringLiteral("renameSegment"),
                                 tr("Change the current segment's id"));
    m_addVariable = makeAction(tr("Add variable…"), QStringLiteral("addVariable"),
                               tr("Add a variable column to every segment"));
    m_removeVariable = makeAction(tr("Remove variable"), QStringLiteral("removeVariable"),
                                  tr("Remove the current variable column from every segment"));
    m_importCsv = makeAction(tr("Import CSV…"), QStringLiteral("importSegmentsCsv"),
                             tr("Update and add segments from a CSV file (matched by id)"));
    m_exportCsv = makeAction(tr("Export CSV…"), QStringLiteral("exportSegmentsCsv"),
                             tr("Save all segments as a CSV file"));
    // No Delete shortcut on Remove: in a table, Delete is expected to clear a cell, not to
    // drop a whole segment (see eventFilter).
    m_view->installEventFilter(this);

    connect(m_addSegment, &QAction::triggered, this, [this] {
        QString id;
        if (addSegment(&id)) {
            const QModelIndex cell = m_model->index(m_model->rowOf(id), m_model->columnOf("name"));
            m_view->setCurrentIndex(cell);
            m_view->edit(cell);
        }
    });
    connect(m_removeSegments, &QAction::triggered, this,
            [this] { removeSegments(selectedSegmentIds()); });
    connect(m_duplicateSegment, &QAction::triggered, this,
            [this] { duplicateSegment(currentSegmentId()); });
    connect(m_renameSegment, &QAction::triggered, this, &SegmentsPanel::promptRename);
    connect(m_addVariable, &QAction::triggered, this, &SegmentsPanel::promptAddVariable);
    connect(m_removeVariable, &QAction::triggered, this, &SegmentsPanel::promptRemoveVariable);
    connect(m_importCsv, &QAction::triggered, this, &SegmentsPanel::promptImport);
    connect(m_exportCsv, &QAction::triggered, this, &SegmentsPanel::promptExport);

    auto *toolbar = new QToolBar(this);
    toolbar->setObjectName(QStringLiteral("segmentsToolbar"));
    toolbar->setToolButtonStyle(Qt::ToolButtonTextOnly);
    toolbar->addActions({m_addSegment, m_duplicateSegment, m_renameSegment, m_removeSegments});
    toolbar->addSeparator();
    toolbar->addActions({m_addVariable, m_removeVariable});
    toolbar->addSeparator();
    toolbar->addActions({m_importCsv, m_exportCsv});

    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->setSpacing(4);
    layout->addWidget(toolbar);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_messageLabel);

    connect(m_model, &SegmentTableModel::editRefused, this,
            [this](const QString &text) { showMessage(text, true); });
    // Keep the current cell across structural changes (a variable column appearing, an undo
    // of an added row): remember it by segment id and column key, not by position.
    connect(m_model, &QAbstractItemModel::modelAboutToBeReset, this, [this] {
        const QModelIndex current = m_view->currentIndex();
        m_restoreId = m_model->segmentId(current.row());
        m_restoreColumn = m_model->columnKey(current.column());
    });
    connect(m_model, &QAbstractItemModel::modelReset, this, [this] {
        const int row = m_model->rowOf(m_restoreId);
        const int column = m_model->columnOf(m_restoreColumn);
        if (row >= 0)
            m_view->setCurrentIndex(m_model->index(row, std::max(0, column)));
        fitColumns();
        updateActions();
    });
    connect(m_view->selectionModel(), &QItemSelectionModel::currentChanged, this,
            [this](const QModelIndex &current, const QModelIndex &previous) {
                updateActions();
                if (current.row() != previous.row())
                    emit currentSegmentChanged(m_model->segmentId(current.row()));
            });
    connect(m_doc, &editor::Document::changed, this, &SegmentsPanel::updateActions);
    fitColumns();
    updateActions();
}

void SegmentsPanel::fitColumns()
{
    // Wide enough for typical values, but one long headline must not push the rest away.
    constexpr int kMaxColumnWidth = 260;
    m_view->resizeColumnsToContents();
    for (int c = 0; c < m_model->columnCount(); ++c)
        m_view->setColumnWidth(c, std::clamp(m_view->columnWidth(c), 60, kMaxColumnWidth));
}

QList<QAction *> SegmentsPanel::actions() const
{
    return {m_addSegment, m_duplicateSegment, m_renameSegment, m_removeSegments,
            m_addVariable, m_removeVariable, m_importCsv, m_exportCsv};
}

void SegmentsPanel::updateActions()
{
    const bool open = m_doc->isOpen();
    const bool hasCurrent = !currentSegmentId().isEmpty();
    m_addSegment->setEnabled(open);
    m_removeSegments->setEnabled(open && hasCurrent);
    m_duplicateSegment->setEnabled(open && hasCurrent);
    m_renameSegment->setEnabled(open && hasCurrent);
    m_addVariable->setEnabled(open);
    m_removeVariable->setEnabled(open && m_model->isVariableColumn(m_view->currentIndex().column()));
    m_importCsv->setEnabled(open);
    m_exportCsv->setEnabled(open);
}

void SegmentsPanel::showMessage(const QString &text, bool problem)
{
    m_lastMessage = text;
    m_messageLabel->setText(text);
    m_messageLabel->setProperty("problem", problem);
    m_messageLabel->setStyleSheet(problem ? QStringLiteral("color: #ff8a65;") : QString());
    m_messageLabel->setVisible(!text.isEmpty());
    emit message(text);
}

QString SegmentsPanel::currentSegmentId() const
{
    return m_model->segmentId(m_view->currentIndex().row());
}

QStringList SegmentsPanel::selectedSegmentIds() const
{
    QList<int> rows;
    for (const QModelIndex &index : m_view->selectionModel()->selectedIndexes())
        rows << index.row();
    if (rows.isEmpty() && m_view->currentIndex().isValid())
        rows << m_view->currentIndex().row();
    std::sort(rows.begin(), rows.end());
    rows.erase(std::unique(rows.begin(), rows.end()), rows.end());
    QStringList ids;
    for (int row : rows)
        ids << m_model->segmentId(row);
    return ids;
}

QString SegmentsPanel::uniqueSegmentId(const QString &base) const
{
    const Campaign &c = m_doc->campaign();
    if (!c.segment(base))
        return base;
    for (int n = 2;; ++n) {
        const QString candidate = QStringLiteral("%1-%2").arg(base).arg(n);
        if (!c.segment(candidate))
            return candidate;
    }
}

bool SegmentsPanel::addSegment(QString *newId)
{
    if (!m_doc->isOpen())
        return false;
    const QString id = uniqueSegmentId(QStringLiteral("segment"));
    const bool done = m_doc->edit(tr("Add segment %1").arg(id), [&](Campaign &c) {
        Segment s;
        s.id = id;
        s.name = tr("New segment");
        c.segments.push_back(s);
        return true;
    });
    if (done) {
        showMessage(tr("Added segment '%1'.").arg(id), false);
        if (newId)
            *newId = id;
    }
    return done;
}

bool SegmentsPanel::removeSegments(const QStringList &ids)
{
    if (!m_doc->isOpen() || ids.isEmpty())
        return false;
    const QString text = ids.size() == 1 ? tr("Remove segment %1").arg(ids.front())
                                         : tr("Remove %n segment(s)", nullptr, int(ids.size()));
    const bool done = m_doc->edit(text, [&](Campaign &c) {
        const auto end = std::remove_if(c.segments.begin(), c.segments.end(),
                                        [&](const Segment &s) { return ids.contains(s.id); });
        c.segments.erase(end, c.segments.end());
        editor::removeSegmentOverrides(c.timeline, ids);  // undo brings them back
        return true;
    });
    if (done)
        showMessage(tr("Removed %1.").arg(ids.join(QStringLiteral(", "))), false);
    return done;
}

bool SegmentsPanel::duplicateSegment(const QString &id, QString *newId)
{
    if (!m_doc->isOpen() || !m_doc->campaign().segment(id))
        return false;
    const QString copyId = uniqueSegmentId(id + QStringLiteral("-copy"));
    const bool done = m_doc->edit(tr("Duplicate segment %1").arg(id), [&](Campaign &c) {
        auto it = std::find_if(c.segments.begin(), c.segments.end(),
                               [&](const Segment &s) { return s.id == id; });
        Segment copy = *it;
        copy.id = copyId;
        copy.name = tr("%1 (copy)").arg(copy.name);
        c.segments.insert(it + 1, copy);
        return true;
    });
    if (done) {
        showMessage(tr("Duplicated '%1' as '%2'.").arg(id, copyId), false);
        if (newId)
            *newId = copyId;
        m_view->setCurrentIndex(m_model->index(m_model->rowOf(copyId), 0));
    }
    return done;
}

bool SegmentsPanel::renameSegment(const QString &oldId, const QString &newIdInput)
{
    if (!m_doc->isOpen() || !m_doc->campaign().segment(oldId))
        return false;
    const QString newId = newIdInput.trimmed();
    const QString problem = renameProblem(m_doc->campaign(), oldId, newId);
    if (!problem.isEmpty()) {
        showMessage(problem, true);
        return false;
    }
    const bool done = m_doc->edit(tr("Rename segment %1 to %2").arg(oldId, newId),
                                  [&](Campaign &c) {
                                      findSegment(c, oldId)->id = newId;
                                      editor::renameSegmentInOverrides(c.timeline, oldId, newId);
                                      return true;
                                  });
    if (done)
        showMessage(tr("Renamed '%1' to '%2'.").arg(oldId, newId), false);
    return done;
}

bool SegmentsPanel::addVariable(const QString &nameInput)
{
    if (!m_doc->isOpen())
        return false;
    const QString name = nameInput.trimmed();
    if (!editor::isValidSegmentVariableName(name)) {
        showMessage(tr("'%1' is not a variable name: use letters, digits and '_', not starting "
                       "with a digit.").arg(name), true);
        return false;
    }
    if (editor::segmentCsvAttributeColumns().contains(name)) {
        showMessage(tr("'%1' is a segment attribute; choose another variable name.").arg(name), true);
        return false;
    }
    if (m_model->variableNames().contains(name)) {
        showMessage(tr("The variable '%1' already exists.").arg(name), true);
        return false;
    }
    if (m_doc->campaign().segments.empty()) {
        showMessage(tr("Add a segment first: variables are stored per segment."), true);
        return false;
    }
    // An empty value in every segment makes the column exist; the designer fills it in.
    const bool done = m_doc->edit(tr("Add variable %1").arg(name), [&](Campaign &c) {
        for (Segment &s : c.segments)
            s.variables.insert(name, QString());
        return true;
    });
    if (done) {
        showMessage(tr("Added the variable '%1'; use it in text as {{%1}}.").arg(name), false);
        m_view->setCurrentIndex(m_model->index(std::max(0, m_view->currentIndex().row()),
                                               m_model->columnOf(name)));
    }
    return done;
}

bool SegmentsPanel::removeVariable(const QString &name)
{
    if (!m_doc->isOpen() || !m_model->variableNames().contains(name))
        return false;
    const QStringList users = segmentVariableUsers(m_doc->campaign(), name);
    if (!users.isEmpty()) {
        showMessage(tr("The variable '%1' is used by %2; change those first.")
                        .arg(name, users.join(QStringLiteral(", "))), true);
        return false;
    }
    const bool done = m_doc->edit(tr("Remove variable %1").arg(name), [&](Campaign &c) {
        for (Segment &s : c.segments)
            s.variables.remove(name);
        return true;
    });
    if (done)
        showMessage(tr("Removed the variable '%1'.").arg(name), false);
    return done;
}

bool SegmentsPanel::importCsv(const QString &path)
{
    if (!m_doc->isOpen())
        return false;
    const QFileInfo info(path);
    const QString shown = info.fileName();
    if (!info.isFile()) {
        showMessage(tr("Cannot import %1: it is not a regular file.").arg(shown), true);
        return false;
    }
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        showMessage(tr("Cannot import %1: %2").arg(shown, file.errorString()), true);
        return false;
    }
    const QByteArray bytes = file.read(editor::kMaxSegmentCsvBytes + 1);
    const editor::SegmentCsvTable table = editor::readSegmentsCsv(bytes);
    if (!table.ok()) {
        QString text = tr("Cannot import %1: %2").arg(shown, table.errors.front().toString());
        if (table.errors.size() > 1)
            text += QLatin1Char(' ') + tr("(and %n more problem(s))", nullptr,
                                         int(table.errors.size() - 1));
        showMessage(text, true);
        return false;
    }
    int updated = 0, added = 0;
    for (const Segment &s : table.segments)
        (m_doc->campaign().segment(s.id) ? updated : added) += 1;
    const bool changed = m_doc->edit(tr("Import segments from %1").arg(shown), [&](Campaign &c) {
        editor::mergeImportedSegments(c.segments, table);
        return true;
    });
    showMessage(changed ? tr("Imported %1: %2 segment(s) updated, %3 added.")
                              .arg(shown).arg(updated).arg(added)
                        : tr("Imported %1: nothing changed.").arg(shown),
                false);
    return true;
}

bool SegmentsPanel::eventFilter(QObject *watched, QEvent *event)
{
    // While a cell is being edited its editor has the focus, so keys reaching the view
    // itself mean no edit is open.
    if (watched == m_view && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        if ((key->key() == Qt::Key_Delete || key->key() == Qt::Key_Backspace)
            && key->modifiers() == Qt::NoModifier) {
            QModelIndexList cells = m_view->selectionModel()->selectedIndexes();
            if (cells.isEmpty() && m_view->currentIndex().isValid())
                cells << m_view->currentIndex();
            clearCells(cells);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

bool SegmentsPanel::clearCells(const QModelIndexList &cells)
{
    if (!m_doc->isOpen())
        return false;
    struct Target {
        QString segmentId;
        QString key;
        bool variable;
    };
    std::vector<Target> targets;
    bool skippedId = false;
    for (const QModelIndex &cell : cells) {
        const QString key = m_model->columnKey(cell.column());
        if (key == u"id") {
            skippedId = true;
            continue;
        }
        targets.push_back({m_model->segmentId(cell.row()), key, m_model->isVariableColumn(cell.column())});
    }
    const bool done = !targets.empty()
        && m_doc->edit(tr("Clear %n cell(s)", nullptr, int(targets.size())), [&](Campaign &c) {
               for (const Target &t : targets) {
                   Segment *s = findSegment(c, t.segmentId);
                   if (!s)
                       continue;
                   if (t.variable)
                       s->variables.remove(t.key);
                   else
                       setAttributeValue(*s, t.key, QString());
               }
               return true;
           });
    if (skippedId)
        showMessage(tr("Ids cannot be empty; use Rename id… or Remove instead."), true);
    return done;
}

bool SegmentsPanel::exportCsv(const QString &path)
{
    if (!m_doc->isOpen())
        return false;
    const QByteArray bytes = editor::writeSegmentsCsv(m_doc->campaign().segments);
    QSaveFile file(path);
    const QString shown = QFileInfo(path).fileName();
    // flush() before commit(): Qt 6.4's commit() can report success after a short write.
    if (!file.open(QIODevice::WriteOnly) || file.write(bytes) != bytes.size() || !file.flush()
        || !file.commit()) {
        showMessage(tr("Cannot save %1: %2").arg(shown, file.errorString()), true);
        return false;
    }
    showMessage(tr("Saved %n segment(s) to %1.", nullptr, int(m_doc->campaign().segments.size()))
                    .arg(shown), false);
    return true;
}

void SegmentsPanel::promptRename()
{
    const QString id = currentSegmentId();
    if (id.isEmpty())
        return;
    bool ok = false;
    const QString newId = QInputDialog::getText(this, tr("Rename segment"),
                                                tr("New id for '%1':").arg(id), QLineEdit::Normal,
                                                id, &ok);
    if (ok)
        renameSegment(id, newId);
}

void SegmentsPanel::promptAddVariable()
{
    bool ok = false;
    const QString name = QInputDialog::getText(this, tr("Add variable"),
                                               tr("Variable name (letters, digits, '_'):"),
                                               QLineEdit::Normal, QString(), &ok);
    if (ok)
        addVariable(name);
}

void SegmentsPanel::promptRemoveVariable()
{
    const int column = m_view->currentIndex().column();
    if (m_model->isVariableColumn(column))
        removeVariable(m_model->columnKey(column));
}

void SegmentsPanel::promptImport()
{
    const QString path = QFileDialog::getOpenFileName(this, tr("Import segments"), QString(),
                                                      tr("CSV files (*.csv);;All files (*)"));
    if (!path.isEmpty())
        importCsv(path);
}

void SegmentsPanel::promptExport()
{
    const QString base = m_doc->projectDir().isEmpty()
        ? QString()
        : m_doc->projectDir() + QStringLiteral("/segments.csv");
    QString path = QFileDialog::getSaveFileName(this, tr("Export segments"), base,
                                                tr("CSV files (*.csv)"));
    if (path.isEmpty())
        return;
    if (QFileInfo(path).suffix().isEmpty())
        path += QStringLiteral(".csv");
    exportCsv(path);
}

}  // namespace ui
