// SPDX-License-Identifier: GPL-3.0-or-later
// Segment CSV: RFC 4180 quoting (commas, quotes, embedded newlines), non-Latin text, BOM
// tolerance, errors that name line and column, and merge-by-id import.
#include "editor/project_io.h"
#include "editor/segment_csv.h"

#include <QtTest>

using editor::Segment;

namespace {

Segment segment(const QString &id, const QString &name, const QString &locale,
                QMap<QString, QString> variables)
{
    Segment s;
    s.id = id;
    s.name = name;
    s.locale = locale;
    s.region = QStringLiteral("Region of ") + id;
    s.ageBand = QStringLiteral("25-34");
    s.interests = {QStringLiteral("trail"), QStringLiteral("night runs")};
    s.tone = QStringLiteral("bold");
    s.variables = std::move(variables);
    return s;
}

// Awkward on purpose: every CSV special character, three scripts, a sparse variable.
std::vector<Segment> awkwardSegments()
{
    return {
        segment(QStringLiteral("ae-trail"), QStringLiteral("Trail runners, \"UAE\""),
                QStringLiteral("ar_AE"),
                {{QStringLiteral("headline"), QStringLiteral("انطلق في الدروب مع سترايد")},
                 {QStringLiteral("cta"), QStringLiteral("اكتشف، المجموعة")}}),
        segment(QStringLiteral("cn-city"), QStringLiteral("城市跑者"), QStringLiteral("zh_CN"),
                {{QStringLiteral("headline"), QStringLiteral("第一行\n第二行, 还有 \"引号\"")},
                 {QStringLiteral("price"), QStringLiteral("499")}}),
        segment(QStringLiteral("se-genz"), QStringLiteral(" Löpare, Stockholm "),
                QStringLiteral("sv_SE"),
                {{QStringLiteral("headline"), QStringLiteral("Spring förbi stan – åk längre")},
                 {QStringLiteral("cta"), QStringLiteral("line one\r\nline two")}}),
    };
}

// QVERIFY2 evaluates its message even when the check passes.
QString firstError(const editor::SegmentCsvTable &table)
{
    return table.errors.empty() ? QString() : table.errors.front().toString();
}

}  // namespace

class TstSegmentCsv : public QObject {
    Q_OBJECT
private slots:
    void headerHasAttributesThenVariableUnion()
    {
        const QByteArray csv = editor::writeSegmentsCsv(awkwardSegments());
        const QByteArray firstLine = csv.left(csv.indexOf("\r\n"));
        QCOMPARE(firstLine, QByteArray("id,name,locale,region,ageBand,interests,tone,cta,headline,price"));
        QVERIFY(!csv.startsWith("\xEF\xBB\xBF"));  // no BOM on write
        // Quoted where needed, doubled quotes, interests joined with ';'.
        QVERIFY(csv.contains("\"Trail runners, \"\"UAE\"\"\""));
        QVERIFY(csv.contains("trail;night runs"));
        QVERIFY(csv.contains("\" Löpare, Stockholm \""));
        QVERIFY(csv.contains(QStringLiteral("\"第一行\n第二行, 还有 \"\"引号\"\"\"").toUtf8()));
        // The sparse variable is an empty cell: ae-trail has no price, cn-city no cta.
        QVERIFY(csv.contains(QStringLiteral(",bold,,\"第一行").toUtf8()));
    }

    void roundTripIsIdentical()
    {
        const std::vector<Segment> segments = awkwardSegments();
        const QByteArray csv = editor::writeSegmentsCsv(segments);
        const editor::SegmentCsvTable table = editor::readSegmentsCsv(csv);
        QVERIFY2(table.ok(), qPrintable(firstError(table)));
        QCOMPARE(table.segments.size(), segments.size());
        for (size_t i = 0; i < segments.size(); ++i)
            QCOMPARE(table.segments[i], segments[i]);
        QCOMPARE(editor::writeSegmentsCsv(table.segments), csv);
    }

    void sampleSegmentsRoundTrip()
    {
        const editor::LoadResult loaded = editor::loadCampaign(
            QStringLiteral(CAMPAIGN_SOURCE_DIR "/resources/samples/stride/stride.campaign"));
        QVERIFY(loaded.campaign);
        const std::vector<Segment> &segments = loaded.campaign->segments;
        const editor::SegmentCsvTable table =
            editor::readSegmentsCsv(editor::writeSegmentsCsv(segments));
        QVERIFY(table.ok());
        QVERIFY(table.segments == segments);
    }

    void bomAndLineEndsTolerated()
    {
        const QByteArray csv = "\xEF\xBB\xBFid,name,headline\nse,Svenska,\"a\nb\"\rde,Deutsch,x";
        const editor::SegmentCsvTable table = editor::readSegmentsCsv(csv);
        QVERIFY2(table.ok(), qPrintable(firstError(table)));
        QCOMPARE(table.columns, QStringList({"id", "name", "headline"}));
        QCOMPARE(table.segments.size(), size_t(2));
        QCOMPARE(table.segments[0].id, QStringLiteral("se"));  // the BOM is not part of "id"
        QCOMPARE(table.segments[0].variables.value("headline"), QStringLiteral("a\nb"));
        QCOMPARE(table.segments[1].name, QStringLiteral("Deutsch"));
    }

    void errorsNameLineAndColumn_data()
    {
        QTest::addColumn<QByteArray>("csv");
        QTest::addColumn<int>("line");
        QTest::addColumn<int>("column");
        QTest::addColumn<QString>("words");
        QTest::newRow("unclosed quote") << QByteArray("id,name\r\nse,\"never closed\r\n") << 2 << 4
                                        << "never closed";
        QTest::newRow("quote in unquoted") << QByteArray("id,name\nse,ab\"c\n") << 2 << 6 << "quote";
        QTest::newRow("text after quote") << QByteArray("id,name\nse,\"ab\"x\n") << 2 << 8
                                          << "after a closing quote";
        QTest::newRow("field count") << QByteArray("id,name\nse,a\nde,b,c\n") << 3 << 6 << "3 fields";
        QTest::newRow("duplicate id") << QByteArray("id,name\nse,a\r\nse,b\r\n") << 3 << 1 << "twice";
        QTest::newRow("bad variable column") << QByteArray("id,name,9lives\nse,a,b\n") << 1 << 9
                                             << "9lives";
        QTest::newRow("no id column") << QByteArray("name,headline\na,b\n") << 1 << 1 << "'id'";
        QTest::newRow("empty id") << QByteArray("id,name\n,a\n") << 2 << 1 << "empty";
        QTest::newRow("control char") << QByteArray("id,name\nse\x07x,a\n") << 2 << 1 << "U+0007";
        QTest::newRow("unknown locale") << QByteArray("id,locale\nse,sv_SE\nxx,klingon_QQ\n") << 3
                                        << 4 << "klingon_QQ";
        QTest::newRow("not utf-8") << QByteArray("id,name\nse,ok\nde,caf\xE9\n") << 3 << 1 << "UTF-8";
        QTest::newRow("cut utf-8 at end") << QByteArray("id,name\nse,ok\nde,caf\xE9") << 3 << 1
                                          << "UTF-8";
        // Line counting continues through a quoted newline.
        QTest::newRow("after embedded newline") << QByteArray("id,name\nse,\"a\nb\"\nde,x\"y\n") << 4
                                                << 5 << "quote";
    }
    void errorsNameLineAndColumn()
    {
        QFETCH(QByteArray, csv);
        QFETCH(int, line);
        QFETCH(int, column);
        QFETCH(QString, words);
        const editor::SegmentCsvTable table = editor::readSegmentsCsv(csv);
        QVERIFY(!table.ok());
        const editor::SegmentCsvError &e = table.errors.front();
        QVERIFY2(e.message.contains(words), qPrintable(e.toString()));
        QCOMPARE(e.line, line);
        QCOMPARE(e.column, column);
        QVERIFY(e.toString().startsWith(QStringLiteral("line %1, column %2: ").arg(line).arg(column)));
    }

    void mergeUpdatesByIdKeepsOthersAppendsNew()
    {
        std::vector<Segment> segments = awkwardSegments();
        // A sheet with only some columns and rows: cn-city gets a new name, loses price, keeps
        // its locale (no locale column); a new segment is appended; the rest is untouched.
        const editor::SegmentCsvTable table = editor::readSegmentsCsv(
            QStringLiteral("id,name,price,cta\ncn-city,新名字,,买\nnew-one,Nytt,10,\n").toUtf8());
        QVERIFY(table.ok());
        const std::vector<Segment> before = segments;
        editor::mergeImportedSegments(segments, table);
        QCOMPARE(segments.size(), size_t(4));
        QCOMPARE(segments[0], before[0]);
        QCOMPARE(segments[2], before[2]);
        QCOMPARE(segments[1].name, QStringLiteral("新名字"));
        QCOMPARE(segments[1].locale, QStringLiteral("zh_CN"));
        QVERIFY(!segments[1].variables.contains("price"));
        QCOMPARE(segments[1].variables.value("cta"), QStringLiteral("买"));
        QCOMPARE(segments[1].variables.value("headline"), before[1].variables.value("headline"));
        QCOMPARE(segments[3].id, QStringLiteral("new-one"));
        QCOMPARE(segments[3].variables, (QMap<QString, QString>{{"price", "10"}}));
    }

    void interestsSplitAndTrim()
    {
        QCOMPARE(editor::splitInterests(" a ; b;;c "), QStringList({"a", "b", "c"}));
        QCOMPARE(editor::joinInterests({"a", "b c"}), QStringLiteral("a;b c"));
    }
};

QTEST_GUILESS_MAIN(TstSegmentCsv)
#include "tst_segment_csv.moc"
