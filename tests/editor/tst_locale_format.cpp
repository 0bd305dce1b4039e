// SPDX-License-Identifier: GPL-3.0-or-later
// Locale formatting of prices in the four sample locales, and the brand kit's text fields
// (per-script fallback fonts, disclaimers per locale) through the project file.
#include "editor/project_io.h"
#include "editor/resolve.h"

#include <QtTest>

using namespace editor;

namespace {
Segment segmentIn(const QString &locale, const QString &price)
{
    Segment s;
    s.id = QStringLiteral("s");
    s.locale = locale;
    s.variables.insert(QStringLiteral("price"), price);
    s.variables.insert(QStringLiteral("cta"), QStringLiteral("Buy"));
    return s;
}

constexpr QChar kNbsp(0x00A0);
constexpr QChar kRlm(0x200F);
}  // namespace

class TestLocaleFormat : public QObject {
    Q_OBJECT
private slots:
    void currencyPerLocale_data();
    void currencyPerLocale();
    void storedNumbersAreCLocale();
    void brandTextFieldsRoundTrip();
    void projectsWithoutThemKeepTheirBytes();
    void resolvePassesFallbackFonts();
};

void TestLocaleFormat::currencyPerLocale_data()
{
    QTest::addColumn<QString>("locale");
    QTest::addColumn<QString>("price");
    QTest::addColumn<QString>("expected");
    // CLDR conventions: Swedish groups with a no-break space and puts "kr" after; US dollars
    // lead with "$" and group with commas; German uses "." to group, "," for decimals and a
    // trailing euro sign; UAE Arabic leads with the dirham sign and a right-to-left mark.
    QTest::newRow("sv_SE") << "sv_SE" << "1299"
                           << QStringLiteral("1") + kNbsp + QStringLiteral("299,00") + kNbsp + QStringLiteral("kr");
    QTest::newRow("en_US") << "en_US" << "79" << QStringLiteral("$79.00");
    QTest::newRow("de_DE") << "de_DE" << "1089.95"
                           << QStringLiteral("1.089,95") + kNbsp + QStringLiteral("€");
    QTest::newRow("ar_AE") << "ar_AE" << "349"
                           << QStringLiteral("د.إ.") + kRlm + QStringLiteral("349.00");
}

void TestLocaleFormat::currencyPerLocale()
{
    QFETCH(QString, locale);
    QFETCH(QString, price);
    QFETCH(QString, expected);
    QStringList unbound, invalid;
    const QString text = substituteSlots(QStringLiteral("{{cta}} · {{price:currency}}"),
                                         segmentIn(locale, price), &unbound, &invalid);
    QVERIFY(unbound.isEmpty());
    QVERIFY(invalid.isEmpty());
    QCOMPARE(text, QStringLiteral("Buy · ") + expected);
    // Independent of the process locale: formatting follows the segment, not LC_ALL.
    const QLocale before;
    QLocale::setDefault(QLocale(QLocale::Japanese, QLocale::Japan));
    const QString again = substituteSlots(QStringLiteral("{{price:currency}}"), segmentIn(locale, price));
    QLocale::setDefault(before);
    QCOMPARE(again, expected);
}

void TestLocaleFormat::storedNumbersAreCLocale()
{
    // "89,95" is a German display form, not a stored number: reported, shown raw.
    QStringList invalid;
    const QString text = substituteSlots(QStringLiteral("{{price:currency}}"),
                                         segmentIn(QStringLiteral("de_DE"), QStringLiteral("89,95")),
                                         nullptr, &invalid);
    QCOMPARE(invalid, QStringList{QStringLiteral("price:currency")});
    QCOMPARE(text, QStringLiteral("89,95"));
}

void TestLocaleFormat::brandTextFieldsRoundTrip()
{
    const QByteArray json = R"({
  "schemaVersion": 1, "id": "0b7a4f7e-8f7e-4c1a-9d51-5a0c2f3e9b11", "name": "Fonts",
  "brandKit": {"colors": {}, "font": "Noto Sans",
               "fallbackFonts": ["Noto Sans Arabic", "Noto Sans CJK SC"],
               "disclaimers": {"de_DE": "Angebot gültig bis 31.10.", "ar": "العرض محدود"}},
  "formats": ["1x1"], "segments": [], "assets": [],
  "timeline": {"fps": "30", "duration": "1", "tracks": []}
})";
    const LoadResult loaded = parseCampaign(json, QDir::tempPath());
    QVERIFY2(loaded.campaign, qPrintable(loaded.message));
    const BrandKit &brand = loaded.campaign->brand;
    QCOMPARE(brand.fallbackFonts,
             (QStringList{QStringLiteral("Noto Sans Arabic"), QStringLiteral("Noto Sans CJK SC")}));
    QCOMPARE(brand.disclaimers.value(QStringLiteral("de_DE")), QStringLiteral("Angebot gültig bis 31.10."));
    QCOMPARE(brand.disclaimers.value(QStringLiteral("ar")), QStringLiteral("العرض محدود"));
    const QByteArray written = serializeCampaign(*loaded.campaign, QDir::tempPath());
    const LoadResult reread = parseCampaign(written, QDir::tempPath());
    QVERIFY(reread.campaign);
    QCOMPARE(reread.campaign->brand, brand);
}

void TestLocaleFormat::projectsWithoutThemKeepTheirBytes()
{
    const QString path = QStringLiteral(CAMPAIGN_SOURCE_DIR "/resources/samples/stride/stride.campaign");
    const LoadResult loaded = loadCampaign(path);
    QVERIFY2(loaded.campaign, qPrintable(loaded.message));
    QVERIFY(loaded.campaign->brand.fallbackFonts.isEmpty());
    QVERIFY(loaded.campaign->brand.disclaimers.isEmpty());
    const QByteArray written = serializeCampaign(*loaded.campaign, QFileInfo(path).absolutePath());
    QVERIFY(!written.contains("fallbackFonts"));
    QVERIFY(!written.contains("disclaimers"));
}

void TestLocaleFormat::resolvePassesFallbackFonts()
{
    Campaign c;
    c.brand.fallbackFonts = {QStringLiteral("DejaVu Sans")};
    c.segments.push_back(segmentIn(QStringLiteral("de_DE"), QStringLiteral("89.95")));
    FormatPreset square;
    square.id = QStringLiteral("1x1");
    square.width = square.height = 1080;
    c.formats.push_back(square);
    Track track;
    track.id = QStringLiteral("t");
    track.kind = TrackKind::Text;
    Clip clip;
    clip.id = QStringLiteral("price");
    clip.duration = Rational(1, 1);
    clip.layout.mode = ClipLayout::Mode::Box;
    clip.text.text = QStringLiteral("{{price:currency}}");
    track.clips.push_back(clip);
    c.timeline.tracks.push_back(track);
    const ResolveResult r = resolveVariant(c, QStringLiteral("s"), QStringLiteral("1x1"));
    QVERIFY2(r.composition, qPrintable(r.errors.join(u'\n')));
    QCOMPARE(r.composition->layers.size(), std::size_t(1));
    const render::Layer &layer = r.composition->layers.front();
    QCOMPARE(layer.textStyle.fallbackFamilies, QStringList{QStringLiteral("DejaVu Sans")});
    QCOMPARE(layer.text, QStringLiteral("89,95") + kNbsp + QStringLiteral("€"));
}

QTEST_MAIN(TestLocaleFormat)
#include "tst_locale_format.moc"
