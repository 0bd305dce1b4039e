// SPDX-License-Identifier: GPL-3.0-or-later
#include "editor/generation_plan.h"
#include "editor/project_io.h"
#include "editor/resolve.h"

#include <QFile>
#include <QImage>
#include <QLocale>
#include <QTemporaryDir>
#include <QtTest>

using namespace editor;

namespace {

const QString kSample = QStringLiteral(CAMPAIGN_SOURCE_DIR "/resources/samples/stride/stride.campaign");
const QStringList kSegments{QStringLiteral("se-genz"), QStringLiteral("us-parents"),
                            QStringLiteral("de-commuters"), QStringLiteral("ae-trail")};

const render::Layer *layer(const render::Composition &c, const QString &id)
{
    for (const render::Layer &l : c.layers)
        if (l.id == id)
            return &l;
    return nullptr;
}

bool touch(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write("x") == 1;
}

}  // namespace

class TestResolve : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void allCellsResolve_data();
    void allCellsResolve();
    void layersInTrackOrder();
    void slotsBoundPerSegment();
    void priceFormattedPerLocale();
    void logoAnchoredTopRight_data();
    void logoAnchoredTopRight();
    void textBoxLayout();
    void crossfadeAndFades();
    void keyframesBecomeAbsoluteFrames();
    void ntscFormatRate();
    void clipsClippedToTimeline();
    void unboundSlotIsAnError();
    void unknownSegmentAndFormat();
    void notGeneratedAndUnknownAssets();
    void missingFilesListed();
    void substituteSlotsDirectly();
    void planCreatesAssets();
    void perSegmentSourceFollowsSegment();
    void planIsIdempotent();
    void changedPromptInputClearsOnlyThatAsset();
    void recipeHashIsStable();
    void expandedCampaignRoundTrips();
    void aiLabelOnlyWithGeneratedMediaAndTheFlag();
    void smartFitBecomesSourceCrop();

private:
    Campaign m_base;       // the sample, generation requests expanded, every asset on disk
    QTemporaryDir m_media;
};

void TestResolve::initTestCase()
{
    LoadResult loaded = loadCampaign(kSample);
    QVERIFY2(loaded.campaign, qPrintable(loaded.message));
    m_base = *loaded.campaign;
    QVERIFY(m_media.isValid());
    expandGenerationRequests(m_base);
    for (Asset &a : m_base.assets) {
        if (!a.path.isEmpty())
            continue;
        a.path = m_media.filePath(a.id + (a.kind == AssetKind::Image ? QStringLiteral(".png")
                                          : a.kind == AssetKind::Video ? QStringLiteral(".mp4")
                                                                       : QStringLiteral(".wav")));
        if (a.kind == AssetKind::Image) {
            QImage img(8, 8, QImage::Format_RGB32);
            img.fill(Qt::red);
            QVERIFY(img.save(a.path));
        } else {
            QVERIFY(touch(a.path));
        }
    }
}

void TestResolve::allCellsResolve_data()
{
    QTest::addColumn<QString>("segment");
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    const QList<std::tuple<QString, int, int>> formats{
        {QStringLiteral("9x16"), 1080, 1920}, {QStringLiteral("1x1"), 1080, 1080},
        {QStringLiteral("4x5"), 1080, 1350}, {QStringLiteral("16x9"), 1920, 1080}};
    for (const QString &s : kSegments)
        for (const auto &[f, w, h] : formats)
            QTest::addRow("%s/%s", qPrintable(s), qPrintable(f)) << s << f << w << h;
}

void TestResolve::allCellsResolve()
{
    QFETCH(QString, segment);
    QFETCH(QString, format);
    QFETCH(int, width);
    QFETCH(int, height);
    const ResolveResult r = resolveVariant(m_base, segment, format);
    QVERIFY2(r.errors.isEmpty(), qPrintable(r.errors.join(QLatin1Char('\n'))));
    QVERIFY(r.missingFiles.isEmpty());
    QVERIFY(r.composition);
    const render::Composition &c = *r.composition;
    QCOMPARE(c.width, width);
    QCOMPARE(c.height, height);
    QCOMPARE(c.fps, (render::FrameRate{30, 1}));
    QCOMPARE(c.frameCount, 450);
    QCOMPARE(c.label, segment + QLatin1Char('/') + format);
    QCOMPARE(c.layers.size(), std::size_t(6));
    QCOMPARE(c.audio.size(), std::size_t(1));
    // Full-frame layers cover exactly the frame.
    QCOMPARE(layer(c, QStringLiteral("hero"))->rect, QRectF(0, 0, width, height));
}

void TestResolve::layersInTrackOrder()
{
    const ResolveResult r = resolveVariant(m_base, QStringLiteral("se-genz"), QStringLiteral("9x16"));
    QVERIFY(r.composition);
    QStringList ids;
    QList<render::LayerKind> kinds;
    for (const render::Layer &l : r.composition->layers) {
        ids << l.id;
        kinds << l.kind;
    }
    QCOMPARE(ids, (QStringList{"hero", "run", "product", "headline", "cta", "logo"}));
    QCOMPARE(kinds, (QList<render::LayerKind>{render::LayerKind::Image, render::LayerKind::Video,
                                             render::LayerKind::Image, render::LayerKind::Text,
                                             render::LayerKind::Text, render::LayerKind::Image}));
    const render::Layer *hero = layer(*r.composition, QStringLiteral("hero"));
    QCOMPARE(hero->fit, render::Fit::Cover);
    QCOMPARE(hero->focusX, 0.5);
    QVERIFY(hero->kenBurns.enabled);
    QCOMPARE(hero->kenBurns.startScale, 1.0);
    QCOMPARE(hero->kenBurns.endScale, 1.15);
    QCOMPARE(layer(*r.composition, QStringLiteral("logo"))->fit, render::Fit::Contain);
    const render::AudioClip &bed = r.composition->audio[0];
    QCOMPARE(bed.id, QStringLiteral("bed"));
    QCOMPARE(bed.sourcePath, m_base.asset(QStringLiteral("bed"))->path);
    QCOMPARE(bed.startFrame, 0);
    QCOMPARE(bed.endFrame, 450);
    QCOMPARE(bed.gain, 0.8);
    QCOMPARE(bed.fadeOutFrames, 30);
    QCOMPARE(bed.fadeInFrames, 0);
}

void TestResolve::slotsBoundPerSegment()
{
    QSet<QString> headlines;
    for (const QString &id : kSegments) {
        const ResolveResult r = resolveVariant(m_base, id, QStringLiteral("1x1"));
        QVERIFY(r.composition);
        const Segment *seg = m_base.segment(id);
        const render::Layer *headline = layer(*r.composition, QStringLiteral("headline"));
        QCOMPARE(headline->text, seg->variables.value(QStringLiteral("headline")));
        headlines.insert(headline->text);
        const render::Layer *hero = layer(*r.composition, QStringLiteral("hero"));
        QCOMPARE(hero->sourcePath, m_base.asset(QStringLiteral("hero-") + id)->path);
        QCOMPARE(layer(*r.composition, QStringLiteral("run"))->sourcePath,
                 m_base.asset(QStringLiteral("run-clip"))->path);
    }
    QCOMPARE(headlines.size(), 4);
}

void TestResolve::priceFormattedPerLocale()
{
    QMap<QString, QString> ctas;
    for (const QString &id : kSegments) {
        const ResolveResult r = resolveVariant(m_base, id, QStringLiteral("9x16"));
        QVERIFY(r.composition);
        const Segment *seg = m_base.segment(id);
        const double price = QLocale::c().toDouble(seg->variables.value(QStringLiteral("price")));
        const QString expected = seg->variables.value(QStringLiteral("cta")) + QStringLiteral(" · ")
            + QLocale(seg->locale).toCurrencyString(price);
        const QString text = layer(*r.composition, QStringLiteral("cta"))->text;
        QCOMPARE(text, expected);
        QVERIFY(!text.contains(QStringLiteral("{{")));
        ctas.insert(id, text);
    }
    QVERIFY(ctas.value(QStringLiteral("se-genz")).contains(QStringLiteral("kr")));
    QVERIFY(ctas.value(QStringLiteral("us-parents")).contains(QStringLiteral("$79.00")));
    QVERIFY(ctas.value(QStringLiteral("de-commuters")).contains(QStringLiteral("89,95")));
    QVERIFY(QLocale(QStringLiteral("sv_SE")).toCurrencyString(79.0)
            != QLocale(QStringLiteral("en_US")).toCurrencyString(79.0));
}

void TestResolve::logoAnchoredTopRight_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<int>("width");
    QTest::addColumn<int>("height");
    QTest::addColumn<double>("safeTop");
    QTest::addColumn<double>("safeRight");
    // resources/formats.json
    QTest::newRow("9x16") << "9x16" << 1080 << 1920 << 0.14 << 0.12;
    QTest::newRow("16x9") << "16x9" << 1920 << 1080 << 0.05 << 0.05;
    QTest::newRow("4x5") << "4x5" << 1080 << 1350 << 0.05 << 0.05;
}

void TestResolve::logoAnchoredTopRight()
{
    QFETCH(QString, format);
    QFETCH(int, width);
    QFETCH(int, height);
    QFETCH(double, safeTop);
    QFETCH(double, safeRight);
    const ResolveResult r = resolveVariant(m_base, QStringLiteral("us-parents"), format);
    QVERIFY(r.composition);
    const render::Layer *logo = layer(*r.composition, QStringLiteral("logo"));
    const double shortSide = std::min(width, height);
    const double w = 0.185 * shortSide;
    const double margin = 0.037 * shortSide;
    // logo.svg is 512 x 256: the height follows the source aspect. The margin is measured
    // from the format's safe zone, not the frame edge.
    QCOMPARE(logo->rect.width(), w);
    QCOMPARE(logo->rect.height(), w / 2);
    QVERIFY(qFuzzyCompare(logo->rect.top(), safeTop * height + margin));
    QVERIFY(qFuzzyCompare(logo->rect.right(), width * (1.0 - safeRight) - margin));
    QCOMPARE(logo->sourcePath, m_base.asset(QStringLiteral("logo"))->path);
    QCOMPARE(logo->startFrame, 0);
    QCOMPARE(logo->endFrame, 450);
}

void TestResolve::textBoxLayout()
{
    for (const QString &format : {QStringLiteral("9x16"), QStringLiteral("16x9")}) {
        const ResolveResult r = resolveVariant(m_base, QStringLiteral("de-commuters"), format);
        QVERIFY(r.composition);
        const render::Composition &c = *r.composition;
        const render::Layer *headline = layer(c, QStringLiteral("headline"));
        QCOMPARE(headline->rect.top(), 0.62 * c.height);
        QCOMPARE(headline->rect.left(), 0.06 * c.width);
        QCOMPARE(headline->rect.width(), 0.82 * c.width);
        QCOMPARE(headline->rect.height(), 0.14 * c.height);
        const double shortSide = std::min(c.width, c.height);
        QCOMPARE(headline->textStyle.pixelSize, 0.045 * shortSide);
        QCOMPARE(headline->textStyle.padding, 0.02 * shortSide);
        QCOMPARE(headline->textStyle.fontFamily, QStringLiteral("Noto Sans"));
        QCOMPARE(headline->textStyle.boxOpacity, 0.55);
        QCOMPARE(headline->textStyle.boxColor, QColor(Qt::black));
        QCOMPARE(headline->textStyle.align, render::TextAlign::Center);
        QVERIFY(headline->textStyle.bold);
        const render::Layer *cta = layer(c, QStringLiteral("cta"));
        QCOMPARE(cta->textStyle.boxColor, QColor(0xff, 0x5a, 0x1f));
        QCOMPARE(cta->textStyle.boxOpacity, 0.9);
    }
}

void TestResolve::crossfadeAndFades()
{
    const ResolveResult r = resolveVariant(m_base, QStringLiteral("ae-trail"), QStringLiteral("4x5"));
    QVERIFY(r.composition);
    const render::Composition &c = *r.composition;
    const render::Layer *hero = layer(c, QStringLiteral("hero"));
    QCOMPARE(hero->startFrame, 0);
    QCOMPARE(hero->endFrame, 165);
    const render::Layer *run = layer(c, QStringLiteral("run"));
    QCOMPARE(run->startFrame, 150);
    QCOMPARE(run->endFrame, 330);
    QCOMPARE(run->fadeInFrames, 15);
    QCOMPARE(run->sourceInNum, 0);
    QCOMPARE(run->sourceInDen, 1);
    const render::Layer *product = layer(c, QStringLiteral("product"));
    QCOMPARE(product->startFrame, 315);
    QCOMPARE(product->endFrame, 450);
    QCOMPARE(product->fadeInFrames, 15);
    const render::Layer *headline = layer(c, QStringLiteral("headline"));
    QCOMPARE(headline->startFrame, 30);
    QCOMPARE(headline->endFrame, 420);
    QCOMPARE(headline->fadeInFrames, 8);  // 1/4 s = 7.5 frames, rounded away from zero
    QCOMPARE(headline->fadeOutFrames, 8);
}

void TestResolve::keyframesBecomeAbsoluteFrames()
{
    Campaign c = m_base;
    Clip &headline = c.timeline.tracks[1].clips[0];  // starts at 1 s
    headline.opacity = {{Rational(0), 0.0}, {Rational(1, 2), 1.0}};
    headline.offsetX = {{Rational(0), 0.1}, {Rational(2), 0.0}};
    headline.scale = {{Rational(1, 100), 1.0}, {Rational(1, 90), 2.0}};  // same output frame
    const ResolveResult r = resolveVariant(c, QStringLiteral("se-genz"), QStringLiteral("9x16"));
    QVERIFY(r.composition);
    const render::Layer *l = layer(*r.composition, QStringLiteral("headline"));
    QCOMPARE(l->opacity.keys.size(), std::size_t(2));
    QCOMPARE(l->opacity.keys[0].frame, 30);
    QCOMPARE(l->opacity.keys[1].frame, 45);
    QCOMPARE(l->opacity.keys[1].value, 1.0);
    QCOMPARE(l->offsetX.keys[0].value, 0.1 * 1080);
    QCOMPARE(l->offsetX.keys[1].frame, 90);
    QCOMPARE(l->scale.keys.size(), std::size_t(1));  // de-duplicated, the later key wins
    QCOMPARE(l->scale.keys[0].value, 2.0);
    QVERIFY(l->offsetY.keys.empty());
    QCOMPARE(l->offsetY.constant, 0.0);
}

void TestResolve::ntscFormatRate()
{
    Campaign c = m_base;
    c.formats[0].fps = Rational(30000, 1001);
    const ResolveResult r = resolveVariant(c, QStringLiteral("se-genz"), QStringLiteral("9x16"));
    QVERIFY(r.composition);
    QCOMPARE(r.composition->fps, (render::FrameRate{30000, 1001}));
    QCOMPARE(r.composition->frameCount, 450);  // 449.55 -> 450
    QCOMPARE(layer(*r.composition, QStringLiteral("run"))->startFrame, 150);  // 149.85
    QCOMPARE(layer(*r.composition, QStringLiteral("hero"))->endFrame, 165);   // 164.84
}

void TestResolve::clipsClippedToTimeline()
{
    Campaign c = m_base;
    c.timeline.duration = Rational(12);
    const ResolveResult r = resolveVariant(c, QStringLiteral("se-genz"), QStringLiteral("1x1"));
    QVERIFY(r.composition);
    QCOMPARE(r.composition->frameCount, 360);
    QCOMPARE(layer(*r.composition, QStringLiteral("product"))->endFrame, 360);
    QCOMPARE(r.composition->audio[0].endFrame, 360);
    c.timeline.duration = Rational(10);  // product starts at 10.5 s: dropped
    const ResolveResult shorter = resolveVariant(c, QStringLiteral("se-genz"), QStringLiteral("1x1"));
    QVERIFY(shorter.composition);
    QVERIFY(!layer(*shorter.composition, QStringLiteral("product")));
}

void TestResolve::unboundSlotIsAnError()
{
    Campaign c = m_base;
    c.segments[1].variables.remove(QStringLiteral("headline"));
    c.segments[1].variables.remove(QStringLiteral("hero_image"));
    const ResolveResult r = resolveVariant(c, QStringLiteral("us-parents"), QStringLiteral("9x16"));
    QVERIFY(!r.composition);
    QCOMPARE(r.errors.size(), 2);
    const QString all = r.errors.join(QLatin1Char('\n'));
    QVERIFY2(all.contains(QStringLiteral("'headline'")) && all.contains(QStringLiteral("{{headline}}")),
             qPrintable(all));
    QVERIFY2(all.contains(QStringLiteral("'hero'")) && all.contains(QStringLiteral("{{hero_image}}")),
             qPrintable(all));
    // Other segments are unaffected.
    QVERIFY(resolveVariant(c, QStringLiteral("se-genz"), QStringLiteral("9x16")).composition);

    Campaign bad = m_base;
    bad.segments[0].variables.insert(QStringLiteral("price"), QStringLiteral("cheap"));
    const ResolveResult price = resolveVariant(bad, QStringLiteral("se-genz"), QStringLiteral("9x16"));
    QVERIFY(!price.composition);
    QVERIFY2(price.errors.join(QString()).contains(QStringLiteral("price:currency")),
             qPrintable(price.errors.join(QString())));
}

void TestResolve::unknownSegmentAndFormat()
{
    const ResolveResult seg = resolveVariant(m_base, QStringLiteral("nobody"), QStringLiteral("9x16"));
    QVERIFY(!seg.composition);
    QCOMPARE(seg.errors.size(), 1);
    QVERIFY(seg.errors[0].contains(QStringLiteral("'nobody'")));
    const ResolveResult fmt = resolveVariant(m_base, QStringLiteral("se-genz"), QStringLiteral("3x2"));
    QVERIFY(!fmt.composition);
    QCOMPARE(fmt.errors.size(), 1);
    QVERIFY(fmt.errors[0].contains(QStringLiteral("'3x2'")));
    QVERIFY(fmt.errors[0].contains(QStringLiteral("9x16")));  // lists what is available
}

void TestResolve::notGeneratedAndUnknownAssets()
{
    // Freshly loaded sample: nothing generated, the generated assets do not even exist yet.
    const LoadResult fresh = loadCampaign(kSample);
    QVERIFY(fresh.campaign);
    const ResolveResult r = resolveVariant(*fresh.campaign, QStringLiteral("se-genz"), QStringLiteral("9x16"));
    QVERIFY(!r.composition);
    QCOMPARE(r.errors.size(), 4);  // hero, run, product, bed
    for (const QString &e : r.errors)
        QVERIFY2(e.contains(QStringLiteral("campaign-cli generate")), qPrintable(e));

    Campaign c = m_base;
    c.asset(QStringLiteral("product"))->path.clear();
    const ResolveResult one = resolveVariant(c, QStringLiteral("se-genz"), QStringLiteral("9x16"));
    QCOMPARE(one.errors.size(), 1);
    QVERIFY(one.errors[0].contains(QStringLiteral("'product'")));
    QVERIFY(one.errors[0].contains(QStringLiteral("campaign-cli generate")));

    c = m_base;
    c.segments[0].variables.insert(QStringLiteral("hero_image"), QStringLiteral("nope"));
    const ResolveResult unknown = resolveVariant(c, QStringLiteral("se-genz"), QStringLiteral("9x16"));
    QCOMPARE(unknown.errors.size(), 1);
    QVERIFY(unknown.errors[0].contains(QStringLiteral("unknown asset 'nope'")));

    const SourceBinding ok = bindClipSource(m_base, m_base.timeline.tracks[0].clips[0], m_base.segments[2]);
    QVERIFY(ok.error.isEmpty());
    QCOMPARE(ok.asset->id, QStringLiteral("hero-de-commuters"));
}

void TestResolve::missingFilesListed()
{
    Campaign c = m_base;
    const QString gone = m_media.filePath(QStringLiteral("gone.png"));
    c.asset(QStringLiteral("hero-se-genz"))->path = gone;
    c.asset(QStringLiteral("bed"))->path = m_media.filePath(QStringLiteral("gone.wav"));
    const ResolveResult r = resolveVariant(c, QStringLiteral("se-genz"), QStringLiteral("9x16"));
    QVERIFY(r.errors.isEmpty());
    QVERIFY(r.composition);  // listed, not fatal: the caller decides
    QCOMPARE(r.missingFiles, (QStringList{gone, m_media.filePath(QStringLiteral("gone.wav"))}));
    QVERIFY(resolveVariant(c, QStringLiteral("us-parents"), QStringLiteral("9x16")).missingFiles
            == QStringList{m_media.filePath(QStringLiteral("gone.wav"))});
}

void TestResolve::substituteSlotsDirectly()
{
    const Segment &seg = m_base.segments[0];
    QStringList unbound;
    QCOMPARE(substituteSlots(QStringLiteral("{{segment.tone}} / {{segment.interests}} / {{nope}} / {{segment.locale}}"),
                             seg, &unbound),
             QStringLiteral("playful / running, streetwear, night runs / {{nope}} / sv_SE"));
    QCOMPARE(unbound, QStringList{QStringLiteral("nope")});
    QCOMPARE(substituteSlots(QStringLiteral("no slots {here}"), seg), QStringLiteral("no slots {here}"));
}

void TestResolve::planCreatesAssets()
{
    const LoadResult loaded = loadCampaign(kSample);
    QVERIFY(loaded.campaign);
    Campaign c = *loaded.campaign;
    for (Segment &s : c.segments)
        s.variables.remove(QStringLiteral("hero_image"));  // the plan binds it
    const GenerationPlan plan = expandGenerationRequests(c);
    QCOMPARE(plan.assetIds, (QStringList{"hero-se-genz", "hero-us-parents", "hero-de-commuters",
                                         "hero-ae-trail", "run-clip", "product", "bed"}));
    QCOMPARE(plan.needsGenerating, plan.assetIds);
    QCOMPARE(c.assets.size(), std::size_t(8));
    QCOMPARE(plannedAssetIds(c), plan.assetIds);

    QSet<qint64> seeds;
    for (const QString &segId : kSegments) {
        const Asset *a = c.asset(QStringLiteral("hero-") + segId);
        QVERIFY(a && a->recipe && a->path.isEmpty());
        QCOMPARE(a->recipe->segmentId, segId);
        QCOMPARE(a->recipe->requestId, QStringLiteral("hero"));
        QCOMPARE(a->recipe->seed, segmentSeed(1207, segId));
        QVERIFY(a->recipe->seed >= 0 && a->recipe->seed < (qint64(1) << 53));
        seeds.insert(a->recipe->seed);
        QCOMPARE(c.segment(segId)->variables.value(QStringLiteral("hero_image")), a->id);
        QCOMPARE(a->recipe->width, 2048);
        QCOMPARE(a->recipe->negativePrompt, QStringLiteral("text artifacts, blur"));
    }
    QCOMPARE(seeds.size(), 4);
    QVERIFY(!seeds.contains(1207));

    const GenerationRecipe &genz = *c.asset(QStringLiteral("hero-se-genz"))->recipe;
    QCOMPARE(genz.prompt, QStringLiteral("playful runner hero shot, Stockholm, running, streetwear, "
                                         "night runs, brand orange shoes"));
    QCOMPARE(genz.palette, (QStringList{"#ff5a1f", "#7b2ff7", "#00d4ff"}));
    QCOMPARE(genz.provider, QStringLiteral("offline"));
    QCOMPARE(genz.model, QStringLiteral("offline-v1"));

    const GenerationRecipe &run = *c.asset(QStringLiteral("run-clip"))->recipe;
    QCOMPARE(run.kind, AssetKind::Video);
    QCOMPARE(c.asset(QStringLiteral("run-clip"))->kind, AssetKind::Video);
    QCOMPARE(run.seed, 77);
    QCOMPARE(run.duration, Rational(6));
    QCOMPARE(run.fps, Rational(30));
    QVERIFY(run.segmentId.isEmpty());
    QCOMPARE(run.palette, (QStringList{"#1f2a44", "#ff5a1f", "#ffffff"}));  // brand, key order
    QCOMPARE(c.asset(QStringLiteral("bed"))->kind, AssetKind::Audio);
    QCOMPARE(segmentSeed(1207, QStringLiteral("se-genz")), segmentSeed(1207, QStringLiteral("se-genz")));
    QVERIFY(segmentSeed(1207, QStringLiteral("se-genz")) != segmentSeed(1208, QStringLiteral("se-genz")));
}

void TestResolve::perSegmentSourceFollowsSegment()
{
    Campaign c = m_base;
    GenerationRequest motion;
    motion.id = QStringLiteral("hero-motion");
    motion.kind = AssetKind::Video;
    motion.promptTemplate = QStringLiteral("slow push-in, {{segment.tone}}");
    motion.duration = Rational(4);
    motion.sourceAssetId = QStringLiteral("hero");  // the per-segment request, not an asset
    c.generationRequests.push_back(motion);
    // The file form of this is valid too.
    const LoadResult reread = parseCampaign(serializeCampaign(c, m_media.path()), m_media.path());
    QVERIFY2(reread.campaign, qPrintable(reread.issues.empty() ? reread.message : reread.issues[0].toString()));
    const GenerationPlan plan = expandGenerationRequests(c);
    QCOMPARE(plan.needsGenerating.size(), 4);
    QCOMPARE(c.asset(QStringLiteral("hero-motion-ae-trail"))->recipe->sourceAssetId,
             QStringLiteral("hero-ae-trail"));
    QCOMPARE(c.asset(QStringLiteral("hero-motion-ae-trail"))->recipe->prompt,
             QStringLiteral("slow push-in, bold"));
}

void TestResolve::planIsIdempotent()
{
    Campaign c = m_base;
    const GenerationPlan plan = expandGenerationRequests(c);
    QVERIFY(c == m_base);  // nothing changed, paths kept
    QVERIFY(plan.needsGenerating.isEmpty());
    QCOMPARE(plan.assetIds.size(), 7);
}

void TestResolve::changedPromptInputClearsOnlyThatAsset()
{
    Campaign c = m_base;
    c.generationRequests[0].promptTemplate += QStringLiteral(", mood: {{headline}}");
    expandGenerationRequests(c);  // every hero recipe changed
    for (const QString &segId : kSegments) {
        Asset *a = c.asset(QStringLiteral("hero-") + segId);
        QVERIFY(a->path.isEmpty());
        QVERIFY(a->recipe->prompt.contains(c.segment(segId)->variables.value(QStringLiteral("headline"))));
        a->path = m_base.asset(a->id)->path;  // "generated" again
    }
    QVERIFY(expandGenerationRequests(c).needsGenerating.isEmpty());

    c.segments[2].variables.insert(QStringLiteral("headline"), QStringLiteral("Neu: trocken ankommen"));
    const GenerationPlan plan = expandGenerationRequests(c);
    QCOMPARE(plan.needsGenerating, QStringList{QStringLiteral("hero-de-commuters")});
    QVERIFY(c.asset(QStringLiteral("hero-de-commuters"))->path.isEmpty());
    QVERIFY(c.asset(QStringLiteral("hero-de-commuters"))->recipe->prompt.contains(QStringLiteral("trocken")));
    for (const QString &id : {QStringLiteral("hero-se-genz"), QStringLiteral("hero-us-parents"),
                              QStringLiteral("hero-ae-trail"), QStringLiteral("run-clip"),
                              QStringLiteral("product"), QStringLiteral("bed")})
        QCOMPARE(c.asset(id)->path, m_base.asset(id)->path);

    // A file deleted from disk needs generating although the recipe still matches.
    Campaign d = m_base;
    d.asset(QStringLiteral("bed"))->path = m_media.filePath(QStringLiteral("deleted.wav"));
    QCOMPARE(expandGenerationRequests(d).needsGenerating, QStringList{QStringLiteral("bed")});
}

void TestResolve::recipeHashIsStable()
{
    GenerationRecipe r;
    r.provider = QStringLiteral("offline");
    r.model = QStringLiteral("offline-v1");
    r.prompt = QStringLiteral("runner, Stockholm");
    r.seed = 1207;
    r.width = 2048;
    r.height = 2048;
    r.palette = QStringList{QStringLiteral("#ff5a1f")};
    const QString h = recipeHash(r);
    QCOMPARE(h.size(), 64);
    QVERIFY(QRegularExpression(QStringLiteral("^[0-9a-f]{64}$")).match(h).hasMatch());
    // Pinned: the hash names cached media, so it must not drift between builds or versions.
    // Value = sha256 of the canonical JSON documented in docs/project-format.md (checked with
    // an independent implementation).
    QCOMPARE(h, QStringLiteral("203f270d2a0ff8fcfb92c4b645f9f310014e285859d88a2b3d58c71f3191c752"));
    QCOMPARE(recipeHash(r), h);

    GenerationRecipe produced = r;  // outputs are not inputs
    produced.requestRecordId = QStringLiteral("op-123");
    produced.createdAt = QStringLiteral("2025-01-01T00:00:00Z");
    produced.outputSha256 = QString(64, QLatin1Char('a'));
    QCOMPARE(recipeHash(produced), h);
    QVERIFY(sameRecipeInputs(produced, r));

    GenerationRecipe reseeded = r;
    reseeded.seed = 1208;
    QVERIFY(recipeHash(reseeded) != h);
    QVERIFY(!sameRecipeInputs(reseeded, r));
    GenerationRecipe repainted = r;
    repainted.palette << QStringLiteral("#000000");
    QVERIFY(recipeHash(repainted) != h);
    GenerationRecipe withParams = r;
    withParams.params.insert(QStringLiteral("guidance"), 7.5);
    QVERIFY(recipeHash(withParams) != h);
    // Pinned too: generated seeds must be reproducible forever.
    QCOMPARE(segmentSeed(1207, QStringLiteral("se-genz")), qint64(1252838754823406));
}

void TestResolve::expandedCampaignRoundTrips()
{
    Campaign c = m_base;
    c.asset(QStringLiteral("run-clip"))->recipe->params.insert(QStringLiteral("motion"), 0.25);
    c.asset(QStringLiteral("run-clip"))->recipe->createdAt = QStringLiteral("2025-01-01T00:00:00Z");
    c.asset(QStringLiteral("run-clip"))->recipe->outputSha256 = QString(64, QLatin1Char('b'));
    const QString dir = m_media.path();
    const QByteArray bytes = serializeCampaign(c, dir);
    const LoadResult back = parseCampaign(bytes, dir);
    QVERIFY2(back.campaign, qPrintable(back.issues.empty() ? back.message : back.issues[0].toString()));
    QVERIFY(*back.campaign == c);
    QCOMPARE(serializeCampaign(*back.campaign, dir), bytes);
}

void TestResolve::aiLabelOnlyWithGeneratedMediaAndTheFlag()
{
    // Off in the built-in presets: no label.
    const ResolveResult plain = resolveVariant(m_base, QStringLiteral("us-parents"), QStringLiteral("9x16"));
    QVERIFY(plain.composition);
    QCOMPARE(plain.composition->layers.size(), std::size_t(6));

    Campaign labelled = m_base;
    for (FormatPreset &f : labelled.formats)
        f.aiLabel = true;
    const ResolveResult r = resolveVariant(labelled, QStringLiteral("us-parents"), QStringLiteral("9x16"));
    QVERIFY(r.composition);
    const render::Composition &c = *r.composition;
    QCOMPARE(c.layers.size(), std::size_t(7));
    const render::Layer &label = c.layers.back();  // drawn last, on top of everything
    QCOMPARE(label.kind, render::LayerKind::Text);
    QCOMPARE(label.text, QStringLiteral("AI-generated"));
    // Inside the 9:16 safe zone (top 14 %, bottom 20 %, left 6 %, right 12 %).
    const FormatPreset *fmt = labelled.format(QStringLiteral("9x16"));
    const QRectF safe(fmt->safeLeft * c.width, fmt->safeTop * c.height,
                      c.width * (1 - fmt->safeLeft - fmt->safeRight),
                      c.height * (1 - fmt->safeTop - fmt->safeBottom));
    QVERIFY2(safe.contains(label.rect), qPrintable(QStringLiteral("%1,%2 %3x%4").arg(label.rect.x())
                                                      .arg(label.rect.y()).arg(label.rect.width())
                                                      .arg(label.rect.height())));
    QCOMPARE(label.endFrame, c.frameCount);

    // No generated media on screen: no label, whatever the flag says.
    Campaign handMade = labelled;
    for (Asset &a : handMade.assets)
        a.recipe.reset();
    const ResolveResult none = resolveVariant(handMade, QStringLiteral("us-parents"), QStringLiteral("9x16"));
    QVERIFY(none.composition);
    QCOMPARE(none.composition->layers.size(), std::size_t(6));
}


// A smart clip's crop keys (source time) become composition frames for the (asset, format)
// shown; other formats, other assets and non-smart clips get no crop at all.
void TestResolve::smartFitBecomesSourceCrop()
{
    Campaign c = m_base;
    Clip &run = c.timeline.tracks[0].clips[1];  // starts at 5 s
    run.fit = QStringLiteral("smart");
    run.in = Rational(1);
    ReframeSpec spec;
    spec.assetId = QStringLiteral("run-clip");
    spec.formatId = QStringLiteral("9x16");
    spec.mode = ReframeSpec::Mode::Manual;
    spec.keys = {{Rational(1), QRectF(0.1, 0, 0.3, 1)}, {Rational(5, 2), QRectF(0.5, 0, 0.3, 1)}};
    run.reframe = {spec};

    ResolveResult r = resolveVariant(c, QStringLiteral("se-genz"), QStringLiteral("9x16"));
    QVERIFY(r.composition);
    const render::Layer *l = layer(*r.composition, QStringLiteral("run"));
    QCOMPARE(l->fit, render::Fit::Cover);
    QCOMPARE(l->sourceCrop.size(), std::size_t(2));
    QCOMPARE(l->sourceCrop[0].frame, 150);  // source 1 s = in-point = clip start
    QCOMPARE(l->sourceCrop[1].frame, 195);  // source 2.5 s
    QCOMPARE(l->sourceCrop[1].window, QRectF(0.5, 0, 0.3, 1));

    r = resolveVariant(c, QStringLiteral("se-genz"), QStringLiteral("1x1"));
    QVERIFY(r.composition);
    QVERIFY(layer(*r.composition, QStringLiteral("run"))->sourceCrop.empty());

    run.fit = QStringLiteral("cover");  // the data stays, but only smart fit uses it
    r = resolveVariant(c, QStringLiteral("se-genz"), QStringLiteral("9x16"));
    QVERIFY(r.composition);
    QVERIFY(layer(*r.composition, QStringLiteral("run"))->sourceCrop.empty());
}

QTEST_MAIN(TestResolve)
#include "tst_resolve.moc"
