// SPDX-License-Identifier: GPL-3.0-or-later
// The smart reframe service: Auto crop tracks filled per (asset, format) for a slot-bound
// smart clip, the analysis cached on disk by content hash (a second run analyses nothing), a
// damaged cache file recomputed, Manual tracks kept, and the result resolved and saved.

#include "app/reframe_cache.h"
#include "editor/project_io.h"
#include "editor/resolve.h"
#include "render/reframe.h"

#include <QDir>
#include <QFile>
#include <QPainter>
#include <QRandomGenerator>
#include <QTemporaryDir>
#include <QtTest>

using namespace editor;

namespace {

// A 1600x900 grey-noise picture with a bright disc at `centre` (radius 60).
bool writeDiscPicture(const QString &path, QPointF centre)
{
    QImage image(1600, 900, QImage::Format_RGB32);
    QRandomGenerator rng(42);
    for (int y = 0; y < image.height(); ++y) {
        auto *row = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < image.width(); ++x) {
            const int v = 96 + int(rng.bounded(64));
            row[x] = qRgb(v, v, v);
        }
    }
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(250, 240, 40));
    p.drawEllipse(centre, 60, 60);
    p.end();
    return image.save(path);
}

const QPointF kLeftDisc(300, 450);
const QPointF kRightDisc(1330, 300);

QByteArray projectJson()
{
    return R"({
  "schemaVersion": 1,
  "id": "4e0c1a2b-9d8f-4b7a-a1c2-3d4e5f607182",
  "name": "Reframe Test",
  "formats": ["9x16", "1x1", "4x5", "16x9"],
  "segments": [
    {"id": "west", "name": "West", "attributes": {"locale": "en_US"},
     "variables": {"hero_image": "left"}},
    {"id": "east", "name": "East", "attributes": {"locale": "en_US"},
     "variables": {"hero_image": "right"}}
  ],
  "assets": [
    {"id": "left", "kind": "image", "path": "left.png"},
    {"id": "right", "kind": "image", "path": "right.png"}
  ],
  "timeline": {
    "fps": "10", "duration": "1",
    "tracks": [
      {"id": "v1", "kind": "video", "name": "Pictures",
       "clips": [{"id": "hero", "source": "{{hero_image}}", "start": "0", "duration": "1",
                  "fit": "smart"}]}
    ]
  }
}
)";
}

QRectF discFraction(QPointF centre)
{
    return {(centre.x() - 60) / 1600, (centre.y() - 60) / 900, 120.0 / 1600, 120.0 / 900};
}

}  // namespace

class TestReframeCache : public QObject {
    Q_OBJECT
private slots:
    void init();
    void fillsEveryAssetAndFormat();
    void secondRunUsesTheCache();
    void damagedCacheIsRecomputed();
    void manualTrackIsKept();
    void filledCampaignResolvesAndSaves();

private:
    Campaign load();
    std::unique_ptr<QTemporaryDir> m_dir;
    QString m_project;
    QString m_cacheDir;
};

void TestReframeCache::init()
{
    m_dir = std::make_unique<QTemporaryDir>();
    QVERIFY(m_dir->isValid());
    QVERIFY(writeDiscPicture(m_dir->filePath(QStringLiteral("left.png")), kLeftDisc));
    QVERIFY(writeDiscPicture(m_dir->filePath(QStringLiteral("right.png")), kRightDisc));
    m_project = m_dir->filePath(QStringLiteral("test.campaign"));
    QFile f(m_project);
    QVERIFY(f.open(QIODevice::WriteOnly));
    f.write(projectJson());
    f.close();
    m_cacheDir = services::defaultReframeCacheDir(m_project);
    QCOMPARE(m_cacheDir, m_dir->filePath(QStringLiteral(".campaign-cache/reframe")));
}

Campaign TestReframeCache::load()
{
    const LoadResult loaded = loadCampaign(m_project);
    if (!loaded.campaign)
        qWarning("%s", qPrintable(loaded.issues.empty() ? loaded.message
                                                        : loaded.issues[0].toString()));
    return loaded.campaign.value_or(Campaign());
}

void TestReframeCache::fillsEveryAssetAndFormat()
{
    Campaign c = load();
    QVERIFY(!c.formats.empty());
    services::ReframeCache cache(m_cacheDir);
    const services::ReframeReport report = services::fillAutoReframe(c, cache);
    QVERIFY2(report.errors.isEmpty(), qPrintable(report.errors.join(QLatin1Char('\n'))));
    QCOMPARE(report.autoTracks, 8);  // 2 assets x 4 formats
    QCOMPARE(cache.analysedCount(), 2);
    QCOMPARE(cache.cacheHitCount(), 0);
    const Clip &clip = c.timeline.tracks[0].clips[0];
    QCOMPARE(clip.reframe.size(), std::size_t(8));
    for (const ReframeSpec &spec : clip.reframe) {
        QCOMPARE(spec.mode, ReframeSpec::Mode::Auto);
        QCOMPARE(spec.keys.size(), std::size_t(1));
        const FormatPreset *format = c.format(spec.formatId);
        QVERIFY(format);
        const QRectF disc = discFraction(spec.assetId == u"left" ? kLeftDisc : kRightDisc);
        const QRectF window = spec.keys[0].window;
        const render::SafeZones safe{format->safeTop, format->safeBottom, format->safeLeft,
                                     format->safeRight};
        QVERIFY2(render::safeArea(window, safe).contains(disc),
                 qPrintable(spec.assetId + QLatin1Char('/') + spec.formatId));
    }
    QCOMPARE(QDir(m_cacheDir).entryList({QStringLiteral("*.json")}, QDir::Files).size(), 2);
}

void TestReframeCache::secondRunUsesTheCache()
{
    Campaign first = load();
    services::ReframeCache cache(m_cacheDir);
    services::fillAutoReframe(first, cache);
    QCOMPARE(cache.analysedCount(), 2);

    Campaign second = load();
    services::ReframeCache again(m_cacheDir);
    const services::ReframeReport report = services::fillAutoReframe(second, again);
    QCOMPARE(again.analysedCount(), 0);  // nothing recomputed
    QCOMPARE(again.cacheHitCount(), 2);
    QCOMPARE(report.autoTracks, 8);
    QVERIFY(second.timeline.tracks[0].clips[0].reframe
            == first.timeline.tracks[0].clips[0].reframe);

    // A changed file is a new content hash: analysed again, the other still cached.
    QVERIFY(writeDiscPicture(m_dir->filePath(QStringLiteral("left.png")), {900, 450}));
    Campaign third = load();
    services::ReframeCache third_cache(m_cacheDir);
    services::fillAutoReframe(third, third_cache);
    QCOMPARE(third_cache.analysedCount(), 1);
    QCOMPARE(third_cache.cacheHitCount(), 1);
}

void TestReframeCache::damagedCacheIsRecomputed()
{
    Campaign c = load();
    services::ReframeCache cache(m_cacheDir);
    services::fillAutoReframe(c, cache);
    const QStringList files = QDir(m_cacheDir).entryList({QStringLiteral("*.json")}, QDir::Files);
    QCOMPARE(files.size(), 2);
    QFile damaged(QDir(m_cacheDir).filePath(files.first()));
    QVERIFY(damaged.open(QIODevice::WriteOnly | QIODevice::Truncate));
    damaged.write("{\"analysisVersion\": 1, \"samples\": [");
    damaged.close();

    Campaign again = load();
    services::ReframeCache second(m_cacheDir);
    services::fillAutoReframe(again, second);
    QCOMPARE(second.analysedCount(), 1);
    QCOMPARE(second.cacheHitCount(), 1);
    QVERIFY(again.timeline.tracks[0].clips[0].reframe == c.timeline.tracks[0].clips[0].reframe);
}

void TestReframeCache::manualTrackIsKept()
{
    Campaign c = load();
    Clip &clip = c.timeline.tracks[0].clips[0];
    ReframeSpec manual;
    manual.assetId = QStringLiteral("left");
    manual.formatId = QStringLiteral("9x16");
    manual.mode = ReframeSpec::Mode::Manual;
    manual.keys = {{Rational(0), QRectF(0.6, 0.0, 0.3164, 1.0)}};
    clip.reframe.push_back(manual);
    services::ReframeCache cache(m_cacheDir);
    services::ReframeReport report = services::fillAutoReframe(c, cache);
    QCOMPARE(report.manualKept, 1);
    QCOMPARE(report.autoTracks, 7);
    QVERIFY(*clip.reframeFor(QStringLiteral("left"), QStringLiteral("9x16")) == manual);

    // A rerun (say after the asset was regenerated) replaces Auto tracks, never the Manual one.
    ReframeSpec *autoTrack = clip.reframeFor(QStringLiteral("right"), QStringLiteral("9x16"));
    QVERIFY(autoTrack);
    const ReframeSpec computed = *autoTrack;
    autoTrack->keys[0].window = QRectF(0, 0, 0.3164, 1.0);
    report = services::fillAutoReframe(c, cache);
    QCOMPARE(report.manualKept, 1);
    QVERIFY(*clip.reframeFor(QStringLiteral("left"), QStringLiteral("9x16")) == manual);
    QVERIFY(*clip.reframeFor(QStringLiteral("right"), QStringLiteral("9x16")) == computed);
    QCOMPARE(clip.reframe.size(), std::size_t(8));  // replaced in place, not duplicated
}

void TestReframeCache::filledCampaignResolvesAndSaves()
{
    Campaign c = load();
    services::ReframeCache cache(m_cacheDir);
    services::fillAutoReframe(c, cache, {{QStringLiteral("east"), QStringLiteral("9x16")}});
    const Clip &clip = c.timeline.tracks[0].clips[0];
    QCOMPARE(clip.reframe.size(), std::size_t(1));  // only the cell asked for
    const ResolveResult r = resolveVariant(c, QStringLiteral("east"), QStringLiteral("9x16"));
    QVERIFY(r.composition);
    const render::Layer &layer = r.composition->layers.front();
    QCOMPARE(layer.sourceCrop.size(), std::size_t(1));
    QCOMPARE(layer.sourceCrop[0].window, clip.reframe[0].keys[0].window);
    // The other segment shows another asset, for which nothing was filled: plain cover.
    const ResolveResult west = resolveVariant(c, QStringLiteral("west"), QStringLiteral("9x16"));
    QVERIFY(west.composition);
    QVERIFY(west.composition->layers.front().sourceCrop.empty());

    QString error;
    QVERIFY2(saveCampaign(c, m_project, &error), qPrintable(error));
    const Campaign back = load();
    QVERIFY(back.timeline.tracks[0].clips[0].reframe == clip.reframe);
}

QTEST_MAIN(TestReframeCache)
#include "tst_reframe_cache.moc"
