// SPDX-License-Identifier: GPL-3.0-or-later
// The preflight panel: lists the findings of the open document, re-runs by itself after an
// edit (off the UI thread), and a double-click on a finding names its cell.
#include "ui/preflight_panel.h"

#include "editor/document.h"
#include "editor/project_io.h"
#include "render/renderer.h"

#include <QSignalSpy>
#include <QTreeWidget>
#include <QtTest>

namespace {
// Text only (no media), one cell; the headline box sits in the bottom 5 % unsafe margin.
const QByteArray kProject = R"({
  "schemaVersion": 1, "id": "7e1a2b3c-4d5e-4f60-8a9b-0c1d2e3f4a5b", "name": "Panel",
  "formats": ["1x1"],
  "segments": [{"id": "de", "name": "Berlin", "attributes": {"locale": "de_DE"},
                "variables": {"headline": "Jetzt entdecken"}}],
  "assets": [],
  "timeline": {"fps": "10", "duration": "1", "tracks": [
    {"id": "t1", "kind": "text", "name": "Copy",
     "clips": [{"id": "headline", "start": "0", "duration": "1",
                "layout": {"mode": "box", "box": {"x": 0.1, "y": 0.85, "w": 0.8, "h": 0.14}},
                "text": {"text": "{{headline}}", "size": 0.05, "color": "#ffffff",
                         "background": "#000000", "backgroundOpacity": 1.0}}]}]}
})";
}  // namespace

class TestPreflightPanel : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void listsFindingsAndRerunsAfterEdits();
};

void TestPreflightPanel::initTestCase()
{
    QString error;
    QVERIFY2(render::loadRenderFonts(&error), qPrintable(error));
}

void TestPreflightPanel::listsFindingsAndRerunsAfterEdits()
{
    editor::LoadResult loaded = editor::parseCampaign(kProject, QDir::tempPath());
    QVERIFY2(loaded.campaign, qPrintable(loaded.message));
    editor::Document document;
    document.reset(*loaded.campaign, QDir::temp().filePath(QStringLiteral("panel.campaign")));

    ui::PreflightPanel panel(&document);
    panel.setDebounceMs(0);
    QSignalSpy finished(&panel, &ui::PreflightPanel::finished);
    panel.show();
    panel.runNow();
    QVERIFY(finished.wait(60000));
    QTreeWidget *tree = panel.findingsView();
    QCOMPARE(tree->topLevelItemCount(), 1);
    QTreeWidgetItem *item = tree->topLevelItem(0);
    QCOMPARE(item->text(0), QStringLiteral("de/1x1"));
    QCOMPARE(item->text(2), QStringLiteral("text-safe-zone"));
    QCOMPARE(item->text(3), QStringLiteral("headline"));
    QVERIFY(panel.report().hasBlocking());

    // Double-click names the cell.
    QSignalSpy activated(&panel, &ui::PreflightPanel::cellActivated);
    const QRect rect = tree->visualItemRect(item);
    // A real double-click is press, release, then the double-click event.
    QTest::mouseClick(tree->viewport(), Qt::LeftButton, {}, rect.center());
    QTest::mouseDClick(tree->viewport(), Qt::LeftButton, {}, rect.center());
    QCOMPARE(activated.size(), 1);
    QCOMPARE(activated.at(0).at(0).toString(), QStringLiteral("de"));
    QCOMPARE(activated.at(0).at(1).toString(), QStringLiteral("1x1"));

    // An edit that moves the box inside the safe zone re-runs the checks by itself.
    finished.clear();
    QVERIFY(document.edit(QStringLiteral("Move headline"), [](editor::Campaign &c) {
        c.timeline.tracks[0].clips[0].layout.box = QRectF(0.1, 0.6, 0.8, 0.14);
        return true;
    }));
    QVERIFY(finished.wait(60000));
    QCOMPARE(tree->topLevelItemCount(), 0);
    QVERIFY(!panel.report().hasBlocking());
    QCOMPARE(panel.report().cellsChecked, 1);
}

QTEST_MAIN(TestPreflightPanel)
#include "tst_preflight_panel.moc"
