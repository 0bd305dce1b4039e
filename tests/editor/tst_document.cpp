// SPDX-License-Identifier: GPL-3.0-or-later
// The document's undo history: one command per edit, gestures merged, undo back to the
// identical JSON, the modified state following the clean index, and the consistency check
// catching a broken model.
#include "editor/document.h"
#include "editor/project_io.h"

#include <QSignalSpy>
#include <QUndoStack>
#include <QtTest>

using namespace editor;

namespace {
const QString kSample =
    QStringLiteral(CAMPAIGN_SOURCE_DIR "/resources/samples/stride/stride.campaign");
}

class TestDocument : public QObject {
    Q_OBJECT
private slots:
    void initTestCase()
    {
        LoadResult r = loadCampaign(kSample);
        QVERIFY2(r.status == LoadResult::Status::Ok, qPrintable(r.message));
        m_sample = *r.campaign;
        m_dir = QFileInfo(kSample).absolutePath();
    }

    void editUndoRedoIsByteIdentical()
    {
        Document doc;
        doc.reset(m_sample, kSample);
        const QByteArray original = serializeCampaign(doc.campaign(), m_dir);
        QVERIFY(!doc.isModified());
        QSignalSpy modified(&doc, &Document::modifiedChanged);
        QVERIFY(doc.edit(QStringLiteral("Rename"), [](Campaign &c) {
            c.name = QStringLiteral("Renamed");
            return true;
        }));
        QCOMPARE(doc.campaign().name, QStringLiteral("Renamed"));
        QVERIFY(doc.isModified());
        QCOMPARE(modified.count(), 1);
        QCOMPARE(doc.undoStack()->count(), 1);
        QCOMPARE(doc.undoStack()->undoText(), QStringLiteral("Rename"));
        doc.undoStack()->undo();
        QCOMPARE(serializeCampaign(doc.campaign(), m_dir), original);
        QVERIFY(!doc.isModified());
        doc.undoStack()->redo();
        QCOMPARE(doc.campaign().name, QStringLiteral("Renamed"));
        QVERIFY(checkConsistency(doc.campaign(), m_dir).isEmpty());
    }

    void noChangeIsNoCommand()
    {
        Document doc;
        doc.reset(m_sample, kSample);
        QVERIFY(!doc.edit(QStringLiteral("Nothing"), [](Campaign &) { return true; }));
        QVERIFY(!doc.edit(QStringLiteral("Refused"), [](Campaign &c) {
            c.name = QStringLiteral("x");
            return false;
        }));
        QCOMPARE(doc.undoStack()->count(), 0);
        QVERIFY(!doc.isModified());
    }

    void gestureMergesIntoOneStep()
    {
        Document doc;
        doc.reset(m_sample, kSample);
        for (int i = 1; i <= 5; ++i)
            doc.edit(QStringLiteral("Move"), [i](Campaign &c) {
                c.timeline.tracks[0].clips[0].start = Rational{i, 10};
                return true;
            }, QStringLiteral("drag"));
        QCOMPARE(doc.undoStack()->count(), 1);
        doc.endGesture();
        doc.edit(QStringLiteral("Move"), [](Campaign &c) {
            c.timeline.tracks[0].clips[0].start = Rational{1, 1};
            return true;
        }, QStringLiteral("drag"));
        QCOMPARE(doc.undoStack()->count(), 2);
        doc.undoStack()->undo();
        QCOMPARE(doc.campaign().timeline.tracks[0].clips[0].start, (Rational{5, 10}));
        doc.undoStack()->undo();
        QCOMPARE(doc.campaign(), m_sample);
    }

    void dragBackToStartIsNoStep()
    {
        Document doc;
        doc.reset(m_sample, kSample);
        const Rational start = m_sample.timeline.tracks[0].clips[0].start;
        doc.edit(QStringLiteral("Move"), [](Campaign &c) {
            c.timeline.tracks[0].clips[0].start = Rational{3, 1};
            return true;
        }, QStringLiteral("drag"));
        doc.edit(QStringLiteral("Move"), [start](Campaign &c) {
            c.timeline.tracks[0].clips[0].start = start;
            return true;
        }, QStringLiteral("drag"));
        QCOMPARE(doc.undoStack()->count(), 0);
        QVERIFY(!doc.isModified());
    }

    void failedSaveKeepsModified()
    {
        Document doc;
        doc.reset(m_sample, kSample);
        doc.edit(QStringLiteral("Rename"), [](Campaign &c) {
            c.name = QStringLiteral("A");
            return true;
        });
        doc.markSaved();
        QVERIFY(!doc.isModified());
        doc.markModified();
        QVERIFY(doc.isModified());
        doc.markSaved();
        doc.undoStack()->undo();  // back past the save point: modified again
        QVERIFY(doc.isModified());
    }

    void recoveredDocumentStartsModified()
    {
        Document doc;
        doc.reset(m_sample, kSample, /*modified=*/true);
        QVERIFY(doc.isModified());
    }

    void consistencyCheckCatchesBrokenModels()
    {
        QVERIFY(checkConsistency(m_sample, m_dir).isEmpty());
        Campaign c = m_sample;
        auto &clips = c.timeline.tracks[0].clips;
        QVERIFY(!clips.empty());
        clips[0].duration = Rational{0, 1};
        QVERIFY(!checkConsistency(c, m_dir).isEmpty());
        c = m_sample;
        c.timeline.tracks[1].clips.push_back(c.timeline.tracks[1].clips.front());
        const QStringList problems = checkConsistency(c, m_dir);
        QVERIFY(problems.join('\n').contains(QStringLiteral("used twice")));
    }

private:
    Campaign m_sample;
    QString m_dir;
};

QTEST_GUILESS_MAIN(TestDocument)
#include "tst_document.moc"
