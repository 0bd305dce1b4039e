// SPDX-License-Identifier: GPL-3.0-or-later
// Locked layers and per-cell overrides driven like a user would: real TimelineView and
// ClipInspector widgets on a Document holding the Stride sample (whose logo is locked), mouse
// drags, clicks and typing through QTest. Undo must give back the byte-identical project.
#include "editor/clip_override.h"
#include "editor/document.h"
#include "editor/project_io.h"
#include "editor/timeline_edit.h"
#include "ui/clip_inspector.h"
#include "ui/inspector_scope.h"
#include "ui/layout_editor.h"
#include "ui/studio_theme.h"
#include "ui/timeline_view.h"

#include <QCheckBox>
#include <QHBoxLayout>
#include <QComboBox>
#include <QDoubleSpinBox>
#include <QLabel>
#include <QLineEdit>
#include <QPushButton>
#include <QSignalSpy>
#include <QToolButton>
#include <QUndoStack>
#include <QtTest>

#include <memory>

using namespace editor;

namespace {
const QString kSample =
    QStringLiteral(CAMPAIGN_SOURCE_DIR "/resources/samples/stride/stride.campaign");
const QString kSeg = QStringLiteral("se-genz");
const QString kFmt = QStringLiteral("9x16");
}  // namespace

class TestInspectorOverrides : public QObject {
    Q_OBJECT
private:
    std::unique_ptr<Document> m_doc;
    std::unique_ptr<QWidget> m_window;
    ui::TimelineView *m_view = nullptr;
    ui::ClipInspector *m_inspector = nullptr;
    QString m_dir;
    QByteArray m_original;

    QByteArray json() const { return serializeCampaign(m_doc->campaign(), m_dir); }
    const Clip &clip(const QString &id) const { return *clipById(m_doc->campaign().timeline, id); }
    QUndoStack *undo() const { return m_doc->undoStack(); }
    void drag(QPoint from, QPoint to)
    {
        QTest::mousePress(m_view, Qt::LeftButton, Qt::NoModifier, from);
        for (int i = 1; i <= 6; ++i)
            QTest::mouseMove(m_view, from + (to - from) * i / 6);
        QTest::mouseRelease(m_view, Qt::LeftButton, Qt::NoModifier, to);
    }
    void select(const QString &id)
    {
        QTest::mouseClick(m_view, Qt::LeftButton, Qt::NoModifier, m_view->clipRect(id).center());
        QCOMPARE(m_view->selectedClip(), id);
        QCOMPARE(m_inspector->clip(), id);
    }
    void chooseScope(OverrideScope scope)
    {
        QComboBox *combo = m_inspector->scopeBar()->scopeSelector();
        const int index = combo->findData(int(scope));
        QVERIFY(index >= 0);
        // As a user does it: open the list and pick the entry (activated, not just current).
        combo->setFocus();
        combo->setCurrentIndex(index);
        emit combo->activated(index);
        QCOMPARE(m_inspector->scopeBar()->scope(), scope);
    }

private slots:
    void initTestCase()
    {
        ui::applyStudioTheme();
        m_dir = QFileInfo(kSample).absolutePath();
    }

    void init()
    {
        LoadResult r = loadCampaign(kSample);
        QVERIFY2(r.campaign, qPrintable(r.message));
        m_doc = std::make_unique<Document>();
        m_doc->reset(*r.campaign, kSample);
        m_original = json();
        m_window = std::make_unique<QWidget>();
        auto *layout = new QHBoxLayout(m_window.get());
        m_view = new ui::TimelineView(m_doc.get(), m_window.get());
        m_inspector = new ui::ClipInspector(m_doc.get(), m_window.get());
        layout->addWidget(m_view, 3);
        layout->addWidget(m_inspector, 2);
        connect(m_view, &ui::TimelineView::selectionChanged, m_inspector, &ui::ClipInspector::setClip);
        connect(m_view, &ui::TimelineView::playheadMoved, m_inspector, &ui::ClipInspector::setPlayhead);
        m_inspector->setCell(kSeg, kFmt);
        m_window->resize(1500, 420);
        m_window->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_window.get()));
    }

    void cleanup()
    {
        m_window.reset();
        m_doc.reset();
    }

    void dragOfLockedClipChangesNothing()
    {
        QVERIFY(clip(QStringLiteral("logo")).locked);
        QSignalSpy refused(m_view, &ui::TimelineView::editRefused);
        const QRect r = m_view->clipRect(QStringLiteral("logo"));
        drag(r.center(), r.center() + QPoint(80, 0));            // move
        drag(QPoint(r.right() - 2, r.center().y()), QPoint(r.right() - 120, r.center().y()));  // trim
        drag(r.center(), QPoint(r.center().x(), m_view->trackRect(0).center().y()));  // track
        QCOMPARE(json(), m_original);
        QVERIFY(!undo()->canUndo());
        QCOMPARE(refused.count(), 3);
        const QString png = QDir::temp().filePath(QStringLiteral("timeline-locked.png"));
        QVERIFY(m_view->grab().save(png));
        qInfo("timeline grab: %s", qPrintable(png));
        QVERIFY2(m_view->lastRefusal().contains(QStringLiteral("\u201clogo\u201d")),
                 qPrintable(m_view->lastRefusal()));
        // Delete, ripple delete and split through their keys are refused the same way.
        select(QStringLiteral("logo"));
        m_view->setFocus();
        m_view->setPlayhead(150);
        QTest::keyClick(m_view, Qt::Key_Delete);
        QTest::keyClick(m_view, Qt::Key_Delete, Qt::ShiftModifier);
        QTest::keyClick(m_view, Qt::Key_S);
        QCOMPARE(json(), m_original);
        QCOMPARE(refused.count(), 6);
        // An unlocked clip still drags.
        const QRect run = m_view->clipRect(QStringLiteral("run"));
        drag(run.center(), run.center() + QPoint(40, 0));
        QVERIFY(clip(QStringLiteral("run")).start != Rational(5));
        QCOMPARE(refused.count(), 6);
    }

    void lockToggleIsUndoable()
    {
        select(QStringLiteral("logo"));
        QCheckBox *lock = m_inspector->lockToggle();
        QVERIFY(lock->isChecked());
        QVERIFY(!m_inspector->fitEditor()->isEnabled());
        QVERIFY(!m_inspector->transitionEditor()->isEnabled());
        QVERIFY(!m_inspector->scopeBar()->isEnabled());
        QTest::mouseClick(lock, Qt::LeftButton);
        QVERIFY(!clip(QStringLiteral("logo")).locked);
        QVERIFY(!lock->isChecked());
        QVERIFY(m_inspector->fitEditor()->isEnabled());
        QCOMPARE(undo()->count(), 1);
        QCOMPARE(undo()->undoText(), QStringLiteral("Unlock clip"));
        // Now it can be moved.
        const QRect r = m_view->clipRect(QStringLiteral("logo"));
        drag(r.center(), r.center() + QPoint(0, 0) + QPoint(0, m_view->trackRect(0).center().y() - r.center().y()));
        QCOMPARE(findClip(m_doc->campaign().timeline, QStringLiteral("logo")).track, 0);
        undo()->undo();
        undo()->undo();
        QVERIFY(clip(QStringLiteral("logo")).locked);
        QVERIFY(lock->isChecked());
        QVERIFY(!m_inspector->fitEditor()->isEnabled());
        QCOMPARE(json(), m_original);
        undo()->redo();
        QVERIFY(!clip(QStringLiteral("logo")).locked);
        QVERIFY(!lock->isChecked());
    }

    void cellScopeEditWritesAnOverride()
    {
        select(QStringLiteral("headline"));
        const QString masterText = clip(QStringLiteral("headline")).text.text;
        QLineEdit *text = m_inspector->textEditor();
        QLabel *label = m_inspector->fieldLabel(text);
        QToolButton *reset = m_inspector->fieldResetButton(text);
        QVERIFY(label && reset);
        QVERIFY(!reset->isVisible());
        QVERIFY(!label->font().bold());
        QVERIFY(!m_inspector->scopeBar()->resetButton()->isEnabled());

        chooseScope(OverrideScope::Cell);
        QVERIFY(m_inspector->scopeBar()->scopeSelector()->currentText().contains(QStringLiteral("9x16")));
        text->setFocus();
        text->selectAll();
        QTest::keyClicks(text, QStringLiteral("Kort!"));
        QTest::keyClick(text, Qt::Key_Return);
        // One undo step for the typing; the master keeps its text.
        QCOMPARE(undo()->count(), 1);
        QCOMPARE(clip(QStringLiteral("headline")).text.text, masterText);
        const ClipOverride *o = findOverride(clip(QStringLiteral("headline")), kSeg, kFmt);
        QVERIFY(o);
        QCOMPARE(o->properties.value(QStringLiteral("text")).toObject().value(QStringLiteral("text")).toString(),
                 QStringLiteral("Kort!"));
        QCOMPARE(effectiveClip(clip(QStringLiteral("headline")), TrackKind::Text, kSeg, kFmt)->text.text,
                 QStringLiteral("Kort!"));
        QVERIFY(checkConsistency(m_doc->campaign(), m_dir).isEmpty());
        // Shown as overridden, also when editing the master.
        QVERIFY(reset->isVisible());
        QVERIFY(label->font().bold());
        QVERIFY(m_inspector->scopeBar()->resetButton()->isEnabled());
        chooseScope(OverrideScope::Master);
        QCOMPARE(text->text(), masterText);
        QVERIFY(reset->isVisible());
        // Another cell does not see it.
        m_inspector->setCell(QStringLiteral("us-parents"), kFmt);
        QVERIFY(!reset->isVisible());
        m_inspector->setCell(kSeg, kFmt);
        chooseScope(OverrideScope::Cell);
        QCOMPARE(text->text(), QStringLiteral("Kort!"));

        const QString png = QDir::temp().filePath(QStringLiteral("inspector-overridden.png"));
        QVERIFY(m_inspector->grab().save(png));
        qInfo("inspector grab: %s", qPrintable(png));

        // ↺ removes the override; undo brings it back.
        QTest::mouseClick(reset, Qt::LeftButton);
        QVERIFY(clip(QStringLiteral("headline")).overrides.empty());
        QVERIFY(!reset->isVisible());
        QCOMPARE(text->text(), masterText);
        undo()->undo();
        QVERIFY(findOverride(clip(QStringLiteral("headline")), kSeg, kFmt));
        QVERIFY(reset->isVisible());

        // A format-wide override and "Reset to master" for the cell.
        chooseScope(OverrideScope::Format);
        m_view->setPlayhead(60);  // 1 s into the headline
        QDoubleSpinBox *scale = m_inspector->keyValueEditor(KeyProperty::Scale);
        QVERIFY(scale->isEnabled());
        scale->setValue(1.5);
        QVERIFY(findOverride(clip(QStringLiteral("headline")), QString(), kFmt));
        QVERIFY(clip(QStringLiteral("headline")).scale.empty());  // master untouched
        QVERIFY(m_inspector->fieldResetButton(scale)->isVisible());
        QVERIFY(checkConsistency(m_doc->campaign(), m_dir).isEmpty());
        const int before = undo()->index();
        QTest::mouseClick(m_inspector->scopeBar()->resetButton(), Qt::LeftButton);
        QVERIFY(clip(QStringLiteral("headline")).overrides.empty());
        QCOMPARE(undo()->index(), before + 1);
        undo()->undo();
        QCOMPARE(clip(QStringLiteral("headline")).overrides.size(), std::size_t(2));
        while (undo()->canUndo())
            undo()->undo();
        QCOMPARE(json(), m_original);
    }

    // The main per-format use: anchor the CTA bottom-left in the 9x16 format only.
    void formatScopeLayoutOverride()
    {
        select(QStringLiteral("cta"));
        const ClipLayout master = clip(QStringLiteral("cta")).layout;
        QCOMPARE(master.mode, ClipLayout::Mode::Box);
        chooseScope(OverrideScope::Format);
        ui::LayoutEditor *layout = m_inspector->layoutEditor();
        QComboBox *mode = layout->modeEditor();
        const int anchorIndex = mode->findData(int(ClipLayout::Mode::Anchor));
        mode->setCurrentIndex(anchorIndex);
        emit mode->activated(anchorIndex);
        QComboBox *anchor = layout->anchorEditor();
        const int bottomLeft = anchor->findData(QStringLiteral("bottom-left"));
        anchor->setCurrentIndex(bottomLeft);
        emit anchor->activated(bottomLeft);
        QCOMPARE(undo()->count(), 2);
        // Spin steps of the size are one step.
        layout->sizeEditor()->setFocus();
        QTest::keyClick(layout->sizeEditor(), Qt::Key_Up);
        QTest::keyClick(layout->sizeEditor(), Qt::Key_Up);
        QCOMPARE(undo()->count(), 3);
        QCOMPARE(clip(QStringLiteral("cta")).layout, master);  // master untouched
        const std::optional<Clip> cell = effectiveClip(clip(QStringLiteral("cta")), TrackKind::Text,
                                                       QStringLiteral("us-parents"), kFmt);
        QVERIFY(cell);
        QCOMPARE(cell->layout.mode, ClipLayout::Mode::Anchor);
        QCOMPARE(cell->layout.anchor, QStringLiteral("bottom-left"));
        QVERIFY(std::abs(cell->layout.size - (ClipLayout{}.size + 0.02)) < 1e-9);
        const std::optional<Clip> otherFormat = effectiveClip(clip(QStringLiteral("cta")),
                                                              TrackKind::Text, kSeg, QStringLiteral("1x1"));
        QCOMPARE(otherFormat->layout, master);
        QVERIFY(m_inspector->fieldResetButton(layout)->isVisible());
        QVERIFY(m_inspector->fieldLabel(layout)->font().bold());
        QVERIFY(checkConsistency(m_doc->campaign(), m_dir).isEmpty());
        const QString png = QDir::temp().filePath(QStringLiteral("inspector-layout-override.png"));
        QVERIFY(m_inspector->grab().save(png));
        qInfo("inspector grab: %s", qPrintable(png));
        while (undo()->canUndo())
            undo()->undo();
        QCOMPARE(json(), m_original);
    }
};

QTEST_MAIN(TestInspectorOverrides)
#include "tst_inspector_overrides.moc"
