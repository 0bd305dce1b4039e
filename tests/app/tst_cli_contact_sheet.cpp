// SPDX-License-Identifier: GPL-3.0-or-later
// `campaign-cli contact-sheet` as a real child process on a small two-segment, three-format
// campaign made at test time: the sheet's grid (one row per segment, one column per format,
// tile widths from each format's aspect), every tile compared with a direct full-size render of
// its cell scaled down to the tile, usage errors, and a missing media file (exit 1, the sheet
// still written, the file named, no temporary file left behind).

#include "cli_test_support.h"

#include "app/contact_sheet.h"
#include "app/reframe_cache.h"
#include "editor/project_io.h"
#include "editor/resolve.h"
#include "render/renderer.h"

#include <QImage>
#include <QPainter>
#include <QTemporaryDir>
#include <QtTest>

using namespace clitest;

namespace {

QByteArray projectJson(const QByteArray &fit = "cover")
{
    QByteArray json = R"({
  "schemaVersion": 1,
  "id": "2b9c4d1e-7f3a-4c5b-9e8d-1a2b3c4d5e6f",
  "name": "Sheet Test",
  "formats": ["9x16", "1x1", "16x9"],
  "segments": [
    {"id": "north", "name": "North", "attributes": {"locale": "sv_SE"},
     "variables": {"headline": "Hej Norden"}},
    {"id": "south", "name": "South", "attributes": {"locale": "de_DE"},
     "variables": {"headline": "Hallo Süden"}}
  ],
  "assets": [{"id": "pic", "kind": "image", "path": "pic.png"}],
  "timeline": {
    "fps": "10", "duration": "2",
    "tracks": [
      {"id": "v1", "kind": "video", "name": "Picture",
       "clips": [{"id": "hero", "source": "asset:pic", "start": "0", "duration": "2",
                  "fit": "FIT",
                  "kenBurns": {"from": {"scale": 1, "x": 0.5, "y": 0.5},
                               "to": {"scale": 1.2, "x": 0.3, "y": 0.6}}}]},
      {"id": "t1", "kind": "text", "name": "Copy",
       "clips": [{"id": "headline", "start": "0", "duration": "2",
                  "layout": {"mode": "box", "box": {"x": 0.1, "y": 0.6, "w": 0.8, "h": 0.2}},
                  "text": {"text": "{{headline}}", "size": 0.08, "color": "#ffffff",
                           "background": "#202080", "backgroundOpacity": 0.8}}]}
    ]
  }
}
)";
    return json.replace("FIT", fit);
}

// Big, soft shapes: a downscale of them is stable, so a render difference shows.
bool writePicture(const QString &path)
{
    QImage image(1200, 800, QImage::Format_RGB32);
    QPainter p(&image);
    QLinearGradient g(0, 0, 1200, 800);
    g.setColorAt(0, QColor(30, 90, 160));
    g.setColorAt(1, QColor(220, 120, 40));
    p.fillRect(image.rect(), g);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(250, 230, 40));
    p.drawEllipse(QPointF(850, 300), 150, 150);
    p.setBrush(QColor(20, 160, 90));
    p.drawRect(150, 450, 300, 250);
    p.end();
    return image.save(path);
}

// Mean absolute difference per channel (0..255), and the share of pixels off by more than 48.
struct Difference {
    double mean = 255;
    double outliers = 1;
};
Difference compare(const QImage &a, const QImage &b)
{
    if (a.size() != b.size() || a.isNull())
        return {};
    const QImage x = a.convertToFormat(QImage::Format_RGB32);
    const QImage y = b.convertToFormat(QImage::Format_RGB32);
    double sum = 0;
    qint64 off = 0;
    for (int row = 0; row < x.height(); ++row) {
        const auto *p = reinterpret_cast<const QRgb *>(x.constScanLine(row));
        const auto *q = reinterpret_cast<const QRgb *>(y.constScanLine(row));
        for (int col = 0; col < x.width(); ++col) {
            const int d = std::abs(qRed(p[col]) - qRed(q[col]))
                + std::abs(qGreen(p[col]) - qGreen(q[col]))
                + std::abs(qBlue(p[col]) - qBlue(q[col]));
            sum += d / 3.0;
            off += d > 3 * 48;
        }
    }
    const double n = double(x.width()) * x.height();
    return {sum / n, double(off) / n};
}

// Every tile of `sheet` against its cell of `c` rendered directly at full size at `seconds`,
// then scaled to the tile.
void compareTiles(const QImage &sheet, const editor::Campaign &c, double seconds, int tileHeight)
{
    const int gap = services::kContactSheetGap;
    const int rowHeight = tileHeight + services::kContactSheetLabelHeight + gap;
    int x = gap;
    for (size_t col = 0; col < c.formats.size(); ++col) {
        const QSize tile = services::contactSheetTileSize(c.formats[col], tileHeight);
        for (size_t row = 0; row < c.segments.size(); ++row) {
            const editor::ResolveResult r =
                editor::resolveVariant(c, c.segments[row].id, c.formats[col].id);
            QVERIFY(r.composition);
            render::FrameRenderer renderer(*r.composition);
            render::RenderError error;
            // At the format's rate (30 fps; the timeline's 10 fps is only its grid).
            const int64_t frame = std::llround(seconds * r.composition->fps.toDouble());
            const QImage full = renderer.renderFrame(frame, &error);
            QVERIFY2(!full.isNull(), qPrintable(error.message));
            const QImage expected =
                full.scaled(tile, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
            const QImage shown = sheet.copy(QRect(QPoint(x, gap + int(row) * rowHeight), tile));
            const Difference d = compare(shown, expected);
            const QString cell = c.segments[row].id + QLatin1Char('/') + c.formats[col].id;
            qInfo("%s: mean difference %.2f, outliers %.4f", qPrintable(cell), d.mean,
                  d.outliers);
            QVERIFY2(d.mean < 2.0, qPrintable(cell));
            QVERIFY2(d.outliers < 0.01, qPrintable(cell));
        }
        x += tile.width() + gap;
    }
}

}  // namespace

class TestCliContactSheet : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void init();
    void sheetMatchesDirectRenders();
    void smartClipsAreReframedAsInRender();
    void usageErrors();
    void missingMediaIsNamedAndTheSheetStillWritten();

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_project;
};

void TestCliContactSheet::initTestCase()
{
    QString error;
    QVERIFY2(render::loadRenderFonts(&error), qPrintable(error));
}

void TestCliContactSheet::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(writePicture(m_dir->filePath(QStringLiteral("pic.png"))));
    m_project = m_dir->filePath(QStringLiteral("sheet.campaign"));
    QFile f(m_project);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(projectJson());
}

void TestCliContactSheet::sheetMatchesDirectRenders()
{
    const QString out = m_dir->filePath(QStringLiteral("out/sheet.png"));
    const int tileHeight = 200;
    const CliRun run = runCli({QStringLiteral("contact-sheet"), m_project, QStringLiteral("--out"),
                               out, QStringLiteral("--time"), QStringLiteral("1.5"),
                               QStringLiteral("--tile-height"), QString::number(tileHeight)});
    QVERIFY2(run.finished && run.code == 0, describe(run).constData());
    QCOMPARE(run.out.trimmed(), out.toUtf8());
    const QImage sheet(out);
    QVERIFY(!sheet.isNull());
    // Nothing else in the folder: the PNG was written under a temporary name and renamed.
    QCOMPARE(QDir(m_dir->filePath(QStringLiteral("out"))).entryList(QDir::Files | QDir::Hidden),
             QStringList{QStringLiteral("sheet.png")});

    const editor::LoadResult loaded = editor::loadCampaign(m_project);
    QVERIFY(loaded.campaign);
    const editor::Campaign &c = *loaded.campaign;
    // The grid: one column per format, as wide as its aspect; one row per segment.
    const int gap = services::kContactSheetGap;
    int width = gap;
    std::vector<int> columnX;
    for (const editor::FormatPreset &f : c.formats) {
        columnX.push_back(width);
        width += services::contactSheetTileSize(f, tileHeight).width() + gap;
    }
    QCOMPARE(services::contactSheetTileSize(*c.format(QStringLiteral("16x9")), tileHeight),
             QSize(356, 200));
    const int rowHeight = tileHeight + services::kContactSheetLabelHeight + gap;
    QCOMPARE(sheet.size(), QSize(width, gap + int(c.segments.size()) * rowHeight));

    compareTiles(sheet, c, 1.5, tileHeight);
    if (QTest::currentTestFailed())
        return;
    // The frame is the one asked for: a render of another time differs (the Ken Burns moves).
    const editor::ResolveResult r =
        editor::resolveVariant(c, QStringLiteral("north"), QStringLiteral("1x1"));
    render::FrameRenderer renderer(*r.composition);
    const QImage other = renderer.renderFrame(0).scaled(QSize(200, 200), Qt::IgnoreAspectRatio,
                                                        Qt::SmoothTransformation);
    QVERIFY(compare(sheet.copy(QRect(QPoint(columnX[1], gap), QSize(200, 200))), other).mean
            > 4.0);
}

void TestCliContactSheet::smartClipsAreReframedAsInRender()
{
    QFile f(m_project);
    QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Truncate));
    f.write(projectJson("smart"));
    f.close();
    const QString out = m_dir->filePath(QStringLiteral("smart.png"));
    const int tileHeight = 160;
    const CliRun run = runCli({QStringLiteral("contact-sheet"), m_project, QStringLiteral("--out"),
                               out, QStringLiteral("--time"), QStringLiteral("0"),
                               QStringLiteral("--tile-height"), QString::number(tileHeight)});
    QVERIFY2(run.finished && run.code == 0, describe(run).constData());
    QVERIFY2(run.err.contains("Smart reframe: 3 automatic"), run.err.constData());
    const QImage sheet(out);
    QVERIFY(!sheet.isNull());

    // What render would show: the campaign with its Auto tracks filled (from the cache the CLI
    // just wrote), rendered directly.
    const editor::LoadResult loaded = editor::loadCampaign(m_project);
    QVERIFY(loaded.campaign);
    const editor::Campaign centred = *loaded.campaign;
    editor::Campaign reframed = centred;
    services::ReframeCache cache(services::defaultReframeCacheDir(m_project));
    services::fillAutoReframe(reframed, cache);
    QCOMPARE(cache.cacheHitCount(), 1);
    QCOMPARE(cache.analysedCount(), 0);
    compareTiles(sheet, reframed, 0.0, tileHeight);
    if (QTest::currentTestFailed())
        return;

    // And the reframing changed the narrow cell: the centred 9:16 crop cuts the yellow disc
    // (right of centre in the picture) in half, the reframed one shows much more of it.
    const QSize tile = services::contactSheetTileSize(*centred.format(QStringLiteral("9x16")),
                                                      tileHeight);
    const auto yellowIn = [](const QImage &image) {
        int count = 0;
        for (int y = 0; y < image.height(); ++y)
            for (int x = 0; x < image.width(); ++x) {
                const QRgb c = image.pixel(x, y);
                count += qRed(c) > 220 && qGreen(c) > 200 && qBlue(c) < 90;
            }
        return count;
    };
    const editor::ResolveResult plain =
        editor::resolveVariant(centred, QStringLiteral("north"), QStringLiteral("9x16"));
    render::FrameRenderer renderer(*plain.composition);
    const QImage centredTile = renderer.renderFrame(0).scaled(tile, Qt::IgnoreAspectRatio,
                                                              Qt::SmoothTransformation);
    const QImage sheetTile = sheet.copy(QRect(QPoint(services::kContactSheetGap,
                                                     services::kContactSheetGap), tile));
    QVERIFY2(yellowIn(sheetTile) > 2 * std::max(1, yellowIn(centredTile)),
             qPrintable(QStringLiteral("%1 vs %2").arg(yellowIn(sheetTile))
                            .arg(yellowIn(centredTile))));
}

void TestCliContactSheet::usageErrors()
{
    const QString out = m_dir->filePath(QStringLiteral("sheet.png"));
    CliRun run = runCli({QStringLiteral("contact-sheet"), m_project});
    QCOMPARE(run.code, 2);
    QVERIFY(run.err.contains("--out"));
    run = runCli({QStringLiteral("contact-sheet"), m_project, QStringLiteral("--out"),
                  m_dir->filePath(QStringLiteral("sheet.jpg"))});
    QCOMPARE(run.code, 2);
    QVERIFY(run.err.contains(".png"));
    run = runCli({QStringLiteral("contact-sheet"), m_project, QStringLiteral("--out"), out,
                  QStringLiteral("--time"), QStringLiteral("-1")});
    QCOMPARE(run.code, 2);
    QVERIFY(run.err.contains("--time"));
    run = runCli({QStringLiteral("contact-sheet"), m_project, QStringLiteral("--out"), out,
                  QStringLiteral("--tile-height"), QStringLiteral("5")});
    QCOMPARE(run.code, 2);
    QVERIFY(run.err.contains("--tile-height"));
    run = runCli({QStringLiteral("contact-sheet"), m_dir->filePath(QStringLiteral("none.campaign")),
                  QStringLiteral("--out"), out});
    QCOMPARE(run.code, 66);
    QVERIFY(run.err.contains("none.campaign"));
    QVERIFY(!QFile::exists(out));
    run = runCli({QStringLiteral("contact-sheet"), QStringLiteral("--help")});
    QCOMPARE(run.code, 0);
    QVERIFY(run.out.contains("--tile-height"));
}

void TestCliContactSheet::missingMediaIsNamedAndTheSheetStillWritten()
{
    QVERIFY(QFile::remove(m_dir->filePath(QStringLiteral("pic.png"))));
    const QString out = m_dir->filePath(QStringLiteral("sheet.png"));
    const CliRun run = runCli({QStringLiteral("contact-sheet"), m_project, QStringLiteral("--out"),
                               out, QStringLiteral("--tile-height"), QStringLiteral("64")});
    QVERIFY2(run.finished && run.code == 1, describe(run).constData());
    QVERIFY(run.err.contains("pic.png"));
    QVERIFY(run.err.contains("6 could not be rendered"));
    QVERIFY(!QImage(out).isNull());
}

QTEST_MAIN(TestCliContactSheet)
#include "tst_cli_contact_sheet.moc"
