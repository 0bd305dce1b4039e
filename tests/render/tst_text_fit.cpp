// SPDX-License-Identifier: GPL-3.0-or-later
// Text that survives localisation: shrink-to-fit, word breaking at the floor and overflow with
// long German and Arabic strings; RTL alignment read back from pixels; the per-script font
// chain (Arabic, CJK) drawn from the loaded Noto files.
#include "render/renderer.h"
#include "render/text_fit.h"
#include "render/text_layer.h"

#include <QFontDatabase>
#include <QGlyphRun>
#include <QRawFont>
#include <QTextLayout>
#include <QtTest>

using namespace render;

namespace {
const QString kGermanHeadline =
    QStringLiteral("Für den täglichen Weg zur Arbeit – wasserdicht bei jedem Wetter");
const QString kGermanCompound = QStringLiteral("Donaudampfschifffahrtsgesellschaftskapitänsmütze");
const QString kArabicHeadline =
    QStringLiteral("انطلق في الدروب مع سترايد واكتشف مجموعة الخريف الجديدة اليوم");
const QString kArabicShort = QStringLiteral("مرحبا بالعالم");

Layer textLayer(const QString &text, QRectF rect, double pixelSize = 40,
                TextAlign align = TextAlign::Center)
{
    Layer l;
    l.kind = LayerKind::Text;
    l.id = QStringLiteral("t");
    l.text = text;
    l.rect = rect;
    l.textStyle.pixelSize = pixelSize;
    l.textStyle.align = align;
    l.textStyle.color = Qt::white;
    return l;
}

// Bounding box, in output pixels, of the raster's clearly inked pixels (no box drawn).
QRect inkBox(const TextRaster &r)
{
    QRect box;
    for (int y = 0; y < r.image.height(); ++y)
        for (int x = 0; x < r.image.width(); ++x)
            if (qAlpha(r.image.pixel(x, y)) > 128)
                box = box.united(QRect(x, y, 1, 1));
    return box.translated(r.topLeft);
}

int inkPixels(const TextRaster &r)
{
    int n = 0;
    for (int y = 0; y < r.image.height(); ++y)
        for (int x = 0; x < r.image.width(); ++x)
            n += qAlpha(r.image.pixel(x, y)) > 128;
    return n;
}

// Family of the font that actually drew each glyph run, with whether any glyph is .notdef.
QStringList runFamilies(const Layer &layer, const TextFit &fit, bool *anyNotdef)
{
    QTextLayout layout(layer.text, textFont(layer.textStyle, fit.pixelSize));
    layout.beginLayout();
    while (layout.createLine().isValid()) {
    }
    layout.endLayout();
    QStringList families;
    *anyNotdef = false;
    for (const QGlyphRun &run : layout.glyphRuns()) {
        families << run.rawFont().familyName();
        for (quint32 glyph : run.glyphIndexes())
            *anyNotdef = *anyNotdef || glyph == 0;
    }
    return families;
}
}  // namespace

class TestTextFit : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void shortTextKeepsItsSize();
    void longGermanShrinksAndFits();
    void germanCompoundIsBrokenAtTheFloor();
    void overflowIsReportedWithItsAmount();
    void floorIsConfigurable();
    void arabicShrinksAndOverflows();
    void rasterAgreesWithFit();
    void rtlLeadingSitsRightOnPixels();
    void cjkAndArabicUseTheLoadedNotoFiles();
    void brandFallbackComesBeforeBuiltins();
};

void TestTextFit::initTestCase()
{
    QString error;
    QVERIFY2(loadRenderFonts(&error), qPrintable(error));
}

void TestTextFit::shortTextKeepsItsSize()
{
    const TextFit fit = fitText(textLayer(QStringLiteral("Shop the sale"), QRectF(0, 0, 800, 120)));
    QCOMPARE(fit.pixelSize, 40.0);
    QVERIFY(!fit.shrunk());
    QVERIFY(!fit.overflow);
    QCOMPARE(fit.lineCount, 1);
    QVERIFY(!fit.rightToLeft);
}

void TestTextFit::longGermanShrinksAndFits()
{
    // Two lines at 40 px need ~100 px; the box has 80, so it must shrink, not clip.
    const Layer layer = textLayer(kGermanHeadline, QRectF(100, 50, 700, 80));
    const TextFit fit = fitText(layer);
    QVERIFY2(fit.shrunk(), qPrintable(QString::number(fit.pixelSize)));
    QVERIFY(fit.pixelSize >= 40 * 0.6);
    QVERIFY(!fit.overflow);
    QVERIFY(!fit.wordsBroken);
    QVERIFY(fit.lineCount >= 2);
    QVERIFY2(fit.inner.adjusted(-0.5, -0.5, 0.5, 0.5).contains(fit.textRect),
             qPrintable(QStringLiteral("%1,%2 %3x%4").arg(fit.textRect.x()).arg(fit.textRect.y())
                            .arg(fit.textRect.width()).arg(fit.textRect.height())));
}

void TestTextFit::germanCompoundIsBrokenAtTheFloor()
{
    // One word far wider than the box even at 60 %: it is split across lines, not cut.
    const Layer layer = textLayer(kGermanCompound, QRectF(0, 0, 300, 300));
    const TextFit fit = fitText(layer);
    QCOMPARE(fit.pixelSize, 40 * 0.6);
    QVERIFY(fit.wordsBroken);
    QVERIFY(!fit.overflow);
    QVERIFY(fit.lineCount >= 2);
    QVERIFY(fit.textRect.width() <= fit.inner.width() + 0.5);
    const TextRaster raster = rasterizeText(layer);
    const QRect ink = inkBox(raster);
    QVERIFY(!ink.isEmpty());
    // The ink spans several lines and stays inside the box (nothing cut at the right edge).
    QVERIFY2(ink.height() > 2 * 24, qPrintable(QString::number(ink.height())));
    QVERIFY(QRectF(layer.rect).contains(QRectF(ink)));
}

void TestTextFit::overflowIsReportedWithItsAmount()
{
    const QString longText = (kGermanHeadline + QLatin1Char(' ')).repeated(4);
    const Layer layer = textLayer(longText, QRectF(0, 0, 500, 90));
    const TextFit fit = fitText(layer);
    QVERIFY(fit.overflow);
    QCOMPARE(fit.pixelSize, 40 * 0.6);
    // Several lines at 24 px cannot fit in 90 px: the deficit is at least a line.
    QVERIFY2(fit.overflowPx > 24, qPrintable(QString::number(fit.overflowPx)));
    QVERIFY(fit.textRect.height() > fit.inner.height());
    QVERIFY(rasterizeText(layer).clipped);
}

void TestTextFit::floorIsConfigurable()
{
    Layer layer = textLayer(kGermanHeadline, QRectF(0, 0, 500, 60));
    const TextFit byDefault = fitText(layer);
    layer.textStyle.minScale = 0.3;
    const TextFit lowerFloor = fitText(layer);
    QVERIFY(lowerFloor.pixelSize < byDefault.pixelSize);
    QVERIFY(lowerFloor.pixelSize >= 40 * 0.3);
    QVERIFY(!lowerFloor.overflow || lowerFloor.overflowPx < byDefault.overflowPx);
    // An absolute floor in pixels wins over the relative one.
    layer.textStyle.minPixelSize = 36;
    const TextFit absolute = fitText(layer);
    QVERIFY(absolute.pixelSize >= 36);
    QVERIFY(absolute.overflow);
}

void TestTextFit::arabicShrinksAndOverflows()
{
    const Layer fits = textLayer(kArabicHeadline, QRectF(0, 0, 600, 110), 40, TextAlign::Leading);
    const TextFit fit = fitText(fits);
    QVERIFY(fit.rightToLeft);
    QVERIFY(fit.alignment & Qt::AlignRight);
    QVERIFY(fit.shrunk());
    QVERIFY(!fit.overflow);
    const Layer tooLong = textLayer(kArabicHeadline.repeated(5), QRectF(0, 0, 600, 110));
    const TextFit over = fitText(tooLong);
    QVERIFY(over.overflow);
    QVERIFY(over.overflowPx > 0);
}

void TestTextFit::rasterAgreesWithFit()
{
    for (const QString &text : {kGermanHeadline, kArabicHeadline, kGermanCompound}) {
        const Layer layer = textLayer(text, QRectF(40, 40, 420, 140));
        const TextFit fit = fitText(layer);
        const TextRaster raster = rasterizeText(layer);
        QCOMPARE(raster.pixelSize, fit.pixelSize);
        QCOMPARE(raster.fit.lineCount, fit.lineCount);
        // The drawn ink lies within the laid-out lines (plus antialiasing and side bearings).
        const QRect ink = inkBox(raster);
        QVERIFY(!ink.isEmpty());
        QVERIFY2(fit.textRect.adjusted(-4, -4, 4, 4).contains(QRectF(ink)), qPrintable(text));
    }
}

void TestTextFit::rtlLeadingSitsRightOnPixels()
{
    const QRectF rect(20, 20, 800, 100);
    const TextRaster arabic = rasterizeText(textLayer(kArabicShort, rect, 40, TextAlign::Leading));
    const TextRaster latin = rasterizeText(textLayer(QStringLiteral("Hello world"), rect, 40,
                                                     TextAlign::Leading));
    const TextRaster arabicTrailing = rasterizeText(textLayer(kArabicShort, rect, 40,
                                                              TextAlign::Trailing));
    const QRect a = inkBox(arabic), l = inkBox(latin), t = inkBox(arabicTrailing);
    QVERIFY(!a.isEmpty() && !l.isEmpty() && !t.isEmpty());
    // Leading Arabic ends at the right edge and leaves the left half empty.
    QVERIFY2(a.right() > rect.right() - 12 && a.left() > rect.center().x(),
             qPrintable(QStringLiteral("%1..%2").arg(a.left()).arg(a.right())));
    // Leading Latin starts at the left edge.
    QVERIFY2(l.left() < rect.left() + 12 && l.right() < rect.center().x(),
             qPrintable(QStringLiteral("%1..%2").arg(l.left()).arg(l.right())));
    // Trailing Arabic is on the left.
    QVERIFY2(t.left() < rect.left() + 12 && t.right() < rect.center().x(),
             qPrintable(QStringLiteral("%1..%2").arg(t.left()).arg(t.right())));
}

void TestTextFit::cjkAndArabicUseTheLoadedNotoFiles()
{
    const QStringList families = QFontDatabase::families();
    QVERIFY(families.contains(QStringLiteral("Noto Sans CJK SC")));
    QVERIFY(families.contains(QStringLiteral("Noto Sans Arabic")));

    // A Latin brand font with Japanese copy: drawn by Noto Sans CJK, no .notdef boxes.
    const Layer cjk = textLayer(QStringLiteral("秋の新作ランニングシューズ"), QRectF(0, 0, 700, 100));
    bool notdef = true;
    const QStringList cjkFamilies = runFamilies(cjk, fitText(cjk), &notdef);
    QVERIFY(!notdef);
    QVERIFY2(cjkFamilies.contains(QStringLiteral("Noto Sans CJK SC")),
             qPrintable(cjkFamilies.join(u',')));
    const TextRaster raster = rasterizeText(cjk);
    // 13 ideographs/kana at 40 px carry far more ink than a row of empty boxes' outlines.
    QVERIFY2(inkPixels(raster) > 13 * 80, qPrintable(QString::number(inkPixels(raster))));

    const Layer arabic = textLayer(kArabicShort, QRectF(0, 0, 700, 100));
    const QStringList arabicFamilies = runFamilies(arabic, fitText(arabic), &notdef);
    QVERIFY(!notdef);
    QVERIFY2(arabicFamilies.contains(QStringLiteral("Noto Sans Arabic")),
             qPrintable(arabicFamilies.join(u',')));
}

void TestTextFit::brandFallbackComesBeforeBuiltins()
{
    // An Arabic brand face without Latin letters, with DejaVu Sans as the brand's fallback:
    // Latin copy must be drawn by DejaVu Sans, not by the built-in chain's Noto Sans.
    Layer latin = textLayer(QStringLiteral("Run further"), QRectF(0, 0, 700, 100));
    latin.textStyle.fontFamily = QStringLiteral("Noto Sans Arabic");
    latin.textStyle.fallbackFamilies = {QStringLiteral("DejaVu Sans")};
    const QStringList chain = textFontFamilies(latin.textStyle);
    QCOMPARE(chain.first(), QStringLiteral("Noto Sans Arabic"));
    QCOMPARE(chain.at(1), QStringLiteral("DejaVu Sans"));
    QVERIFY(chain.contains(QStringLiteral("Noto Sans")));
    QVERIFY(chain.contains(QStringLiteral("Noto Sans CJK SC")));
    bool notdef = true;
    const QStringList used = runFamilies(latin, fitText(latin), &notdef);
    QVERIFY(!notdef);
    QVERIFY2(used.contains(QStringLiteral("DejaVu Sans")), qPrintable(used.join(u',')));
    QVERIFY2(!used.contains(QStringLiteral("Noto Sans")), qPrintable(used.join(u',')));
}

QTEST_MAIN(TestTextFit)
#include "tst_text_fit.moc"
