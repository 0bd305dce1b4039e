// SPDX-License-Identifier: GPL-3.0-or-later
// The Segments panel on the real sample and the real Document, offscreen: cell edits typed into
// the view, add/remove/duplicate/rename with their refusals, variable columns, CSV export and
// import through the panel. After every edit and every undo the model must be consistent, and
// undoing everything must give back the exact JSON we started from.
#include "editor/document.h"
#include "editor/project_io.h"
#include "editor/segment_csv.h"
#include "ui/segments_panel.h"
#include "ui/studio_theme.h"

#include <QAbstractItemModelTester>
#include <QAction>
#include <QApplication>
#include <QLabel>
#include <QKeyEvent>
#include <QLineEdit>
#include <QPointer>
#include <QTableView>
#include <QTemporaryDir>
#include <QUndoStack>
#include <QtTest>

namespace {

const QString kSampleDir = QStringLiteral(CAMPAIGN_SOURCE_DIR "/resources/samples/stride");

QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

}  // namespace

class TstSegmentsPanel : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;
    QString m_project;
    std::unique_ptr<editor::Document> m_doc;
    std::unique_ptr<ui::SegmentsPanel> m_panel;
    std::unique_ptr<QAbstractItemModelTester> m_tester;
    QByteArray m_originalJson;

    QByteArray json() const { return editor::serializeCampaign(m_doc->campaign(), m_doc->projectDir()); }

    // Fails the test with the problems when the document is not consistent.
    void verifyConsistent(const char *when)
    {
        const QStringList problems = editor::checkConsistency(m_doc->campaign(), m_doc->projectDir());
        QVERIFY2(problems.isEmpty(), qPrintable(QString::fromLatin1(when) + QStringLiteral(": ")
                                                + problems.join(QStringLiteral("; "))));
    }

    QModelIndex cell(const QString &segmentId, const QString &column) const
    {
        ui::SegmentTableModel *model = m_panel->model();
        return model->index(model->rowOf(segmentId), model->columnOf(column));
    }

    // Types `text` into the cell's editor the way a user does (F2, select all, type, Return).
    void typeIntoCell(const QModelIndex &index, const QString &text)
    {
        QTableView *view = m_panel->view();
        view->setCurrentIndex(index);
        view->setFocus();
        QTest::keyClick(view, Qt::Key_F2);
        QPointer<QLineEdit> editor = qobject_cast<QLineEdit *>(QApplication::focusWidget());
        QVERIFY2(editor, "no line edit opened on F2");
        editor->selectAll();
        // QTest::keyClicks only knows ASCII; a key event carrying the text is what an input
        // method delivers for Arabic or Chinese.
        for (const char32_t codePoint : text.toUcs4()) {
            const QString ch = QString::fromUcs4(&codePoint, 1);
            QKeyEvent press(QEvent::KeyPress, Qt::Key_unknown, Qt::NoModifier, ch);
            QApplication::sendEvent(editor, &press);
            QKeyEvent release(QEvent::KeyRelease, Qt::Key_unknown, Qt::NoModifier, ch);
            QApplication::sendEvent(editor, &release);
        }
        QCOMPARE(editor->text(), text);
        QTest::keyClick(editor, Qt::Key_Return);
        // The delegate commits Return through a queued call.
        QCoreApplication::processEvents();
        QVERIFY(!editor || !editor->isVisible());
    }

    // Undoes everything, checking consistency on the way, and expects the original bytes.
    void undoAllAndCompare()
    {
        QUndoStack *undo = m_doc->undoStack();
        const QByteArray finalJson = json();
        const int steps = undo->index();
        while (undo->canUndo()) {
            undo->undo();
            verifyConsistent("after undo");
        }
        QCOMPARE(json(), m_originalJson);
        for (int i = 0; i < steps; ++i) {
            undo->redo();
            verifyConsistent("after redo");
        }
        QCOMPARE(json(), finalJson);
    }

private slots:
    void initTestCase()
    {
        ui::applyStudioTheme();
        QVERIFY(m_dir.isValid());
        m_project = m_dir.filePath(QStringLiteral("stride.campaign"));
        QVERIFY(QFile::copy(kSampleDir + QStringLiteral("/stride.campaign"), m_project));
        QVERIFY(QFile::copy(kSampleDir + QStringLiteral("/logo.svg"), m_dir.filePath("logo.svg")));
    }

    void init()
    {
        editor::LoadResult loaded = editor::loadCampaign(m_project);
        QVERIFY2(loaded.campaign, qPrintable(loaded.message));
        m_doc = std::make_unique<editor::Document>();
        m_doc->reset(*loaded.campaign, m_project);
        m_panel = std::make_unique<ui::SegmentsPanel>(m_doc.get());
        m_tester = std::make_unique<QAbstractItemModelTester>(
            m_panel->model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        m_panel->resize(1100, 420);
        m_panel->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_panel.get()));
        m_panel->activateWindow();
        m_originalJson = json();
    }

    void cleanup()
    {
        m_tester.reset();
        m_panel.reset();
        m_doc.reset();
    }

    void tableShowsAttributesAndEveryVariable()
    {
        ui::SegmentTableModel *model = m_panel->model();
        QCOMPARE(model->rowCount(), 4);
        const QStringList expected{"id", "name", "locale", "region", "ageBand", "interests", "tone",
                                   "cta", "headline", "hero_image", "palette", "price"};
        QStringList keys;
        for (int c = 0; c < model->columnCount(); ++c)
            keys << model->columnKey(c);
        QCOMPARE(keys, expected);
        QCOMPARE(cell("ae-trail", "headline").data().toString(), QStringLiteral("انطلق في الدروب مع سترايد"));
        QCOMPARE(cell("se-genz", "interests").data().toString(), QStringLiteral("running; streetwear; night runs"));

        if (qEnvironmentVariableIsSet("CAMPAIGN_SCREENSHOT_DIR"))
            m_panel->grab().save(qEnvironmentVariable("CAMPAIGN_SCREENSHOT_DIR") + "/segments_panel.png");
    }

    void editCellsThroughTheView()
    {
        typeIntoCell(cell("se-genz", "headline"), QStringLiteral("Spring, \"snabbt\" – nu"));
        QCOMPARE(m_doc->campaign().segment("se-genz")->variables.value("headline"),
                 QStringLiteral("Spring, \"snabbt\" – nu"));
        QCOMPARE(m_doc->undoStack()->count(), 1);
        verifyConsistent("after a headline edit");

        typeIntoCell(cell("us-parents", "interests"), QStringLiteral("family;  value ;5k"));
        QCOMPARE(m_doc->campaign().segment("us-parents")->interests, QStringList({"family", "value", "5k"}));
        verifyConsistent("after an interests edit");

        // The view keeps its place after an edit and an undo (no reset to the top-left).
        QCOMPARE(m_panel->view()->currentIndex(), cell("us-parents", "interests"));
        m_doc->undoStack()->undo();
        QCOMPARE(m_panel->view()->currentIndex(), cell("us-parents", "interests"));
        QCOMPARE(cell("us-parents", "interests").data().toString(),
                 QStringLiteral("family; value; weekend 5k"));
        m_doc->undoStack()->redo();

        // Refused values leave the document alone and say why.
        const int steps = m_doc->undoStack()->count();
        QVERIFY(!m_panel->model()->setData(cell("de-commuters", "locale"), QStringLiteral("klingon_QQ")));
        QVERIFY(m_panel->lastMessage().contains(QStringLiteral("klingon_QQ")));
        typeIntoCell(cell("de-commuters", "id"), QStringLiteral("ae-trail"));
        QCOMPARE(m_doc->campaign().segments[2].id, QStringLiteral("de-commuters"));
        QVERIFY2(m_panel->lastMessage().contains(QStringLiteral("'ae-trail' already exists")),
                 qPrintable(m_panel->lastMessage()));
        QCOMPARE(m_doc->undoStack()->count(), steps);

        // Clearing a variable cell unsets the variable for that segment only.
        QVERIFY(m_panel->model()->setData(cell("ae-trail", "price"), QString()));
        QVERIFY(!m_doc->campaign().segment("ae-trail")->variables.contains("price"));
        QVERIFY(m_doc->campaign().segment("se-genz")->variables.contains("price"));
        verifyConsistent("after clearing a variable");

        // Delete clears the selected cells in one step; the id cell is refused.
        QTableView *view = m_panel->view();
        view->setFocus();
        view->setCurrentIndex(cell("us-parents", "tone"));
        view->selectionModel()->select(cell("us-parents", "cta"), QItemSelectionModel::Select);
        view->selectionModel()->select(cell("us-parents", "id"), QItemSelectionModel::Select);
        const int beforeClear = m_doc->undoStack()->count();
        QTest::keyClick(view, Qt::Key_Delete);
        QCOMPARE(m_doc->undoStack()->count(), beforeClear + 1);
        QVERIFY(m_doc->campaign().segment("us-parents")->tone.isEmpty());
        QVERIFY(!m_doc->campaign().segment("us-parents")->variables.contains("cta"));
        QVERIFY(m_panel->lastMessage().contains(QStringLiteral("Ids cannot be empty")));
        verifyConsistent("after clearing cells");

        // Renaming through the id cell.
        typeIntoCell(cell("de-commuters", "id"), QStringLiteral("de-berlin"));
        QVERIFY(m_doc->campaign().segment("de-berlin"));
        QVERIFY(!m_doc->campaign().segment("de-commuters"));
        verifyConsistent("after an id edit");
        undoAllAndCompare();
    }

    void addRemoveDuplicateRename()
    {
        QString added;
        QVERIFY(m_panel->addSegment(&added));
        QCOMPARE(added, QStringLiteral("segment"));
        QCOMPARE(m_panel->model()->rowCount(), 5);
        verifyConsistent("after add");
        QString second;
        QVERIFY(m_panel->addSegment(&second));
        QCOMPARE(second, QStringLiteral("segment-2"));

        QString copy;
        QVERIFY(m_panel->duplicateSegment("ae-trail", &copy));
        QCOMPARE(copy, QStringLiteral("ae-trail-copy"));
        const editor::Segment *dup = m_doc->campaign().segment(copy);
        QVERIFY(dup);
        QCOMPARE(dup->variables, m_doc->campaign().segment("ae-trail")->variables);
        QCOMPARE(m_panel->model()->segmentId(4), copy);  // right after its original
        verifyConsistent("after duplicate");

        // Rename: refused for duplicates, empty ids and control characters, with the reason.
        QVERIFY(!m_panel->renameSegment(copy, "se-genz"));
        QVERIFY(m_panel->lastMessage().contains(QStringLiteral("'se-genz' already exists")));
        QVERIFY(!m_panel->renameSegment(copy, "   "));
        QVERIFY(m_panel->lastMessage().contains(QStringLiteral("empty")));
        QVERIFY(!m_panel->renameSegment(copy, QStringLiteral("bad\x1b[31mid")));
        QVERIFY(m_panel->lastMessage().contains(QStringLiteral("U+001B")));
        QVERIFY(m_panel->renameSegment(copy, QStringLiteral("ae-الصحراء")));
        QVERIFY(m_doc->campaign().segment(QStringLiteral("ae-الصحراء")));
        verifyConsistent("after rename");

        QVERIFY(m_panel->removeSegments({"segment", "us-parents"}));
        QCOMPARE(m_panel->model()->rowCount(), 5);
        QVERIFY(!m_doc->campaign().segment("us-parents"));
        verifyConsistent("after remove");

        // The actions do the same on the current row.
        m_panel->view()->setCurrentIndex(cell("segment-2", "name"));
        m_panel->removeSegmentsAction()->trigger();
        QVERIFY(!m_doc->campaign().segment("segment-2"));
        m_panel->view()->setCurrentIndex(cell("se-genz", "name"));
        m_panel->duplicateSegmentAction()->trigger();
        QVERIFY(m_doc->campaign().segment("se-genz-copy"));
        verifyConsistent("after the actions");
        undoAllAndCompare();
    }

    void variableColumns()
    {
        const int columns = m_panel->model()->columnCount();
        QVERIFY(!m_panel->addVariable(QStringLiteral("2fast")));
        QVERIFY(m_panel->lastMessage().contains(QStringLiteral("not a variable name")));
        QVERIFY(!m_panel->addVariable(QStringLiteral("headline")));
        QVERIFY(m_panel->lastMessage().contains(QStringLiteral("already exists")));
        QVERIFY(m_panel->addVariable(QStringLiteral("promo_code")));
        QCOMPARE(m_panel->model()->columnCount(), columns + 1);
        QVERIFY(m_panel->model()->columnOf("promo_code") > 0);
        verifyConsistent("after adding a variable");
        typeIntoCell(cell("ae-trail", "promo_code"), QStringLiteral("رمز٢٠٢٥"));
        QCOMPARE(m_doc->campaign().segment("ae-trail")->variables.value("promo_code"),
                 QStringLiteral("رمز٢٠٢٥"));

        // A variable the timeline or a generation request uses cannot be removed.
        QVERIFY(!m_panel->removeVariable(QStringLiteral("headline")));
        QVERIFY(m_panel->lastMessage().contains(QStringLiteral("clip 'headline'")));
        QVERIFY(!m_panel->removeVariable(QStringLiteral("hero_image")));
        QVERIFY(m_panel->lastMessage().contains(QStringLiteral("generation request 'hero'")));
        QVERIFY(m_doc->campaign().segment("se-genz")->variables.contains("headline"));

        QVERIFY(m_panel->removeVariable(QStringLiteral("promo_code")));
        QCOMPARE(m_panel->model()->columnCount(), columns);
        verifyConsistent("after removing a variable");
        undoAllAndCompare();
    }

    void csvExportImportRoundTripThroughThePanel()
    {
        // Awkward values in the document first: quotes, commas, newlines, three scripts.
        QVERIFY(m_panel->model()->setData(cell("se-genz", "name"), QStringLiteral("Löpare, \"Gen-Z\"")));
        QVERIFY(m_panel->model()->setData(cell("ae-trail", "cta"), QStringLiteral("اكتشف،\nالمجموعة, الآن")));
        QString added;
        QVERIFY(m_panel->addSegment(&added));
        QVERIFY(m_panel->model()->setData(cell(added, "name"), QStringLiteral("上海跑者")));
        QVERIFY(m_panel->model()->setData(cell(added, "locale"), QStringLiteral("zh_CN")));
        QVERIFY(m_panel->model()->setData(cell(added, "headline"), QStringLiteral("跑得更远，\"更轻\"")));
        verifyConsistent("before export");
        const QByteArray exportedJson = json();

        const QString csvPath = m_dir.filePath(QStringLiteral("segments.csv"));
        QVERIFY(m_panel->exportCsv(csvPath));
        const QByteArray csv = readFile(csvPath);
        QVERIFY(!csv.startsWith("\xEF\xBB\xBF"));
        QVERIFY(csv.startsWith("id,name,locale,region,ageBand,interests,tone,cta,headline,hero_image,palette,price\r\n"));
        QVERIFY(csv.contains(QStringLiteral("\"Löpare, \"\"Gen-Z\"\"\"").toUtf8()));
        QVERIFY(csv.contains(QStringLiteral("\"اكتشف،\nالمجموعة, الآن\"").toUtf8()));

        // Back to the sample, then import: the sheet brings every change back in one step.
        while (m_doc->undoStack()->canUndo())
            m_doc->undoStack()->undo();
        QCOMPARE(json(), m_originalJson);
        const int steps = m_doc->undoStack()->index();
        QVERIFY(m_panel->importCsv(csvPath));
        QVERIFY2(m_panel->lastMessage().contains(QStringLiteral("4 segment(s) updated, 1 added")),
                 qPrintable(m_panel->lastMessage()));
        QCOMPARE(json(), exportedJson);
        QCOMPARE(m_doc->undoStack()->index(), steps + 1);
        verifyConsistent("after import");
        QCOMPARE(m_panel->model()->rowCount(), 5);
        QCOMPARE(cell(added, "headline").data().toString(), QStringLiteral("跑得更远，\"更轻\""));

        // Exporting again gives the same bytes.
        const QString again = m_dir.filePath(QStringLiteral("again.csv"));
        QVERIFY(m_panel->exportCsv(again));
        QCOMPARE(readFile(again), csv);

        m_doc->undoStack()->undo();
        QCOMPARE(json(), m_originalJson);
    }

    // Main windows create their docks before a project is open and close projects later.
    void followsOpenAndClose()
    {
        editor::Document doc;
        ui::SegmentsPanel panel(&doc);
        QAbstractItemModelTester tester(panel.model(), QAbstractItemModelTester::FailureReportingMode::QtTest);
        QCOMPARE(panel.model()->rowCount(), 0);
        QVERIFY(!panel.addSegmentAction()->isEnabled());
        QVERIFY(!panel.addSegment());
        doc.reset(m_doc->campaign(), m_project);
        QCOMPARE(panel.model()->rowCount(), 4);
        QVERIFY(panel.addSegmentAction()->isEnabled());
        QVERIFY(panel.removeSegments({"se-genz", "us-parents", "de-commuters", "ae-trail"}));
        QCOMPARE(panel.model()->rowCount(), 0);
        QVERIFY(!panel.addVariable("late"));  // nowhere to store it
        doc.undoStack()->undo();
        QCOMPARE(panel.model()->rowCount(), 4);
        doc.close();
        QCOMPARE(panel.model()->rowCount(), 0);
        QCOMPARE(panel.model()->columnCount(), 7);
        QVERIFY(!panel.addSegmentAction()->isEnabled());
    }

    void brokenCsvIsRefusedWithLineAndColumn()
    {
        const QString path = m_dir.filePath(QStringLiteral("broken.csv"));
        QFile f(path);
        QVERIFY(f.open(QIODevice::WriteOnly));
        f.write("id,name,headline\r\nse-genz,Ny,\"ok\"\r\nus-parents,x\"y,z\r\n");
        f.close();
        QVERIFY(!m_panel->importCsv(path));
        QVERIFY2(m_panel->lastMessage().contains(QStringLiteral("line 3, column 13")),
                 qPrintable(m_panel->lastMessage()));
        QVERIFY(m_panel->lastMessage().contains(QStringLiteral("broken.csv")));
        QCOMPARE(json(), m_originalJson);
        QCOMPARE(m_doc->undoStack()->count(), 0);
        QVERIFY(!m_panel->findChild<QLabel *>("segmentsMessage")->isHidden());
    }
};

QTEST_MAIN(TstSegmentsPanel)
#include "tst_segments_panel.moc"
