// SPDX-License-Identifier: GPL-3.0-or-later
// The generation job queue (services::generateAssets): recipe cache, per-provider concurrency,
// dependencies (image -> clip), cancel of one job and of all, dry run, segment filter,
// regenerate, provider problems, stored recipes, and a real network provider (Gemini image
// against a loopback server) retrying a 429 while the queue reports it.
#include "fake_google_server.h"
#include "google_test_support.h"
#include "tiny_campaign.h"

#include "app/asset_store.h"
#include "app/gemini_image_provider.h"
#include "app/generate_assets.h"
#include "app/offline_generator.h"
#include "editor/project_io.h"
#include "render/renderer.h"

#include <QBuffer>
#include <QDir>
#include <QDirIterator>
#include <QElapsedTimer>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QThread>
#include <QTest>

#include <mutex>
#include <thread>

using namespace services;
using testing_support::FakeGoogleServer;
using testing_support::FakeReply;
using testing_support::FakeRequest;

namespace {

// A provider whose jobs wait until released (or cancelled), so the test controls timing and
// can watch how many run at once. It writes a real PNG like any provider.
class GatedProvider : public GenerationProvider {
public:
    GatedProvider(QString id, int limit, QString model = QStringLiteral("gated-1"))
        : m_id(std::move(id)), m_limit(limit), m_model(std::move(model)) {}
    QString id() const override { return m_id; }
    int maxConcurrency() const override { return m_limit; }
    QString modelWhenUnset() const override { return m_model; }

    GenerationResult generate(const editor::GenerationRecipe &recipe, const GenerationInputs &,
                              const QString &workDir, const GenerationContext &context) override
    {
        {
            std::lock_guard lock(m_mutex);
            ++m_calls;
            ++m_running;
            m_maxRunning = std::max(m_maxRunning, m_running);
        }
        GenerationResult result;
        QElapsedTimer timer;
        timer.start();
        while (!m_released.load() && timer.elapsed() < 10000) {
            if (context.cancel && context.cancel->load()) {
                result.cancelled = true;
                break;
            }
            QThread::msleep(5);
        }
        if (!result.cancelled) {
            QImage image(16, 16, QImage::Format_RGB32);
            image.fill(QColor::fromRgb(uint(recipe.seed * 2654435761u) | 0xff000000u));
            result.filePath = QDir(workDir).filePath(QStringLiteral(".gated-%1.png").arg(recipe.seed));
            image.save(result.filePath);
            result.suffix = QStringLiteral("png");
            result.requestRecordId = QStringLiteral("gated-%1").arg(m_calls);
        }
        std::lock_guard lock(m_mutex);
        --m_running;
        return result;
    }

    void release() { m_released = true; }
    int calls() const { std::lock_guard lock(m_mutex); return m_calls; }
    int maxRunning() const { std::lock_guard lock(m_mutex); return m_maxRunning; }

private:
    QString m_id;
    int m_limit;
    QString m_model;
    std::atomic<bool> m_released{false};
    mutable std::mutex m_mutex;
    int m_calls = 0;
    int m_running = 0;
    int m_maxRunning = 0;
};

editor::Campaign loadTiny(const QString &dir, const QByteArray &json)
{
    editor::LoadResult r = editor::parseCampaign(json, dir);
    if (!r.campaign) {
        for (const auto &issue : r.issues)
            qWarning() << issue.toString();
        qFatal("tiny campaign does not load: %s", qPrintable(r.message));
    }
    return *r.campaign;
}

// A campaign with `count` single image requests of the given provider.
QByteArray manyImagesJson(const QString &provider, int count)
{
    QJsonArray requests;
    for (int i = 0; i < count; ++i)
        requests.append(QJsonObject{{"id", QStringLiteral("img%1").arg(i)}, {"kind", "image"},
                                    {"provider", provider}, {"prompt", "a shoe"}, {"seed", i + 1},
                                    {"width", 32}, {"height", 32}, {"perSegment", false}});
    QJsonObject o = QJsonDocument::fromJson(testing_support::tinyCampaignJson()).object();
    o.insert(QStringLiteral("generationRequests"), requests);
    QJsonObject timeline = o.value("timeline").toObject();
    QJsonArray tracks = timeline.value("tracks").toArray();
    QJsonObject pictures = tracks.at(0).toObject();
    pictures.insert("clips", QJsonArray{QJsonObject{{"id", "a"}, {"source", "asset:img0"},
                                                   {"start", "0"}, {"duration", "1"}}});
    tracks.replace(0, pictures);
    timeline.insert("tracks", tracks);
    o.insert("timeline", timeline);
    return QJsonDocument(o).toJson();
}

struct Collector {
    std::mutex mutex;
    QList<GenerationJobEvent> events;
    GenerationEventFn fn()
    {
        return [this](const GenerationJobEvent &e) {
            std::lock_guard lock(mutex);
            events << e;
        };
    }
    QList<JobState> statesOf(const QString &asset)
    {
        std::lock_guard lock(mutex);
        QList<JobState> out;
        for (const auto &e : events)
            if (e.assetId == asset)
                out << e.state;
        return out;
    }
    bool any(JobState s)
    {
        std::lock_guard lock(mutex);
        return std::any_of(events.begin(), events.end(),
                           [s](const GenerationJobEvent &e) { return e.state == s; });
    }
};

QByteArray pngBase64(const QColor &color)
{
    return testing_support::encodedImage(8, 8, color).toBase64();
}

QStringList hiddenFiles(const QString &dir)
{
    return QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot)
        .filter(QRegularExpression(QStringLiteral("^\\.")));
}

}  // namespace

class TstGenerationQueue : public QObject {
    Q_OBJECT
private slots:
    void initTestCase() { QVERIFY(render::loadRenderFonts()); }
    void offlineImagesThenClipsThenCache();
    void providerConcurrencyIsCapped();
    void cancelAllStopsRunningAndQueuedJobs();
    void cancelOneJobOnly();
    void failedSourceFailsItsClip();
    void dryRunSendsNothingAndChangesNothing();
    void segmentFilterAndRegenerate();
    void missingProviderReportsItsProblem();
    void networkProviderRetriesVisiblyAndStoresFullRecipe();
};

void TstGenerationQueue::offlineImagesThenClipsThenCache()
{
    QTemporaryDir dir;
    editor::Campaign c = loadTiny(dir.path(), testing_support::tinyCampaignJson());
    OfflineGenerator offline;
    Collector events;
    const GenerationReport first = generateAssets(c, dir.path(), {&offline}, {}, events.fn(), nullptr);
    QCOMPARE(first.count(GenerationOutcome::Status::Generated), 4);  // 2 images + 2 clips
    QVERIFY(first.campaignChanged);
    QCOMPARE(first.billedAttempts, 0);
    // Each clip started only after its image was stored: its recipe names the image's hash.
    for (const QString &seg : QStringList{"north", "south"}) {
        const editor::Asset *image = c.asset("hero-" + seg);
        const editor::Asset *clip = c.asset("clip-" + seg);
        QVERIFY(image && clip && QFileInfo(image->path).isFile() && QFileInfo(clip->path).isFile());
        QCOMPARE(clip->recipe->inputSha256, image->recipe->outputSha256);
        QCOMPARE(events.statesOf("clip-" + seg).first(), JobState::Queued);
        QCOMPARE(events.statesOf("clip-" + seg).last(), JobState::Done);
        QCOMPARE(image->recipe->model, QStringLiteral("offline-v1"));  // filled in, recorded
    }
    QVERIFY(hiddenFiles(AssetStore(dir.path()).directory()).isEmpty());

    // Second run: nothing to do. A fresh copy of the project (no paths) reuses the store.
    const GenerationReport second = generateAssets(c, dir.path(), {&offline}, {}, {}, nullptr);
    QCOMPARE(second.count(GenerationOutcome::Status::UpToDate), 4);
    QVERIFY(!second.campaignChanged);
    editor::Campaign fresh = loadTiny(dir.path(), testing_support::tinyCampaignJson());
    // Stands in for the offline provider; it would time out if it were asked.
    GatedProvider never(QStringLiteral("offline"), 1, QStringLiteral("offline-v1"));
    never.release();
    const GenerationReport third = generateAssets(fresh, dir.path(), {&never}, {}, {}, nullptr);
    QCOMPARE(third.count(GenerationOutcome::Status::Reused), 4);
    QCOMPARE(never.calls(), 0);
    QCOMPARE(fresh.asset("clip-north")->path, c.asset("clip-north")->path);
}

void TstGenerationQueue::providerConcurrencyIsCapped()
{
    QTemporaryDir dir;
    editor::Campaign c = loadTiny(dir.path(), manyImagesJson(QStringLiteral("gated"), 6));
    GatedProvider gated(QStringLiteral("gated"), 2);
    Collector events;
    GenerationReport report;
    std::thread worker([&] {
        report = generateAssets(c, dir.path(), {&gated}, {}, events.fn(), nullptr);
    });
    QTRY_VERIFY_WITH_TIMEOUT(gated.calls() == 2, 5000);
    QTest::qWait(150);
    QCOMPARE(gated.calls(), 2);  // the other four wait for a slot
    gated.release();
    worker.join();
    QCOMPARE(report.count(GenerationOutcome::Status::Generated), 6);
    QCOMPARE(gated.maxRunning(), 2);

    // An overall cap below the provider's limit wins.
    editor::Campaign c2 = loadTiny(dir.path(), manyImagesJson(QStringLiteral("gated"), 3));
    GatedProvider serial(QStringLiteral("gated"), 4);
    serial.release();
    GenerationOptions one;
    one.maxParallelJobs = 1;
    one.forceNew = true;
    one.assetIds = QStringList{"img0", "img1", "img2"};
    generateAssets(c2, dir.path(), {&serial}, one, {}, nullptr);
    QCOMPARE(serial.calls(), 3);
    QCOMPARE(serial.maxRunning(), 1);
}

void TstGenerationQueue::cancelAllStopsRunningAndQueuedJobs()
{
    QTemporaryDir dir;
    editor::Campaign c = loadTiny(dir.path(), manyImagesJson(QStringLiteral("gated"), 5));
    GatedProvider gated(QStringLiteral("gated"), 2);
    GenerationCancellation cancellation;
    Collector events;
    GenerationReport report;
    QElapsedTimer timer;
    std::thread worker([&] {
        report = generateAssets(c, dir.path(), {&gated}, {}, events.fn(), &cancellation);
    });
    QTRY_VERIFY_WITH_TIMEOUT(gated.calls() == 2, 5000);
    timer.start();
    cancellation.cancelAll();
    worker.join();
    QVERIFY2(timer.elapsed() < 3000, "cancel must not wait for running jobs to finish");
    QCOMPARE(report.count(GenerationOutcome::Status::Cancelled), 5);
    QVERIFY(report.cancelled);
    QCOMPARE(gated.calls(), 2);  // queued jobs never started
    // Nothing was kept: no asset path, no stored file, no temporary.
    for (const editor::Asset &a : c.assets)
        QVERIFY2(a.path.isEmpty(), qPrintable(a.id));
    const AssetStore store(dir.path());
    QVERIFY(store.entries().isEmpty());
    QVERIFY(hiddenFiles(store.directory()).isEmpty());
}

void TstGenerationQueue::cancelOneJobOnly()
{
    QTemporaryDir dir;
    editor::Campaign c = loadTiny(dir.path(), manyImagesJson(QStringLiteral("gated"), 3));
    GatedProvider gated(QStringLiteral("gated"), 3);
    GenerationCancellation cancellation;
    GenerationReport report;
    std::thread worker([&] {
        report = generateAssets(c, dir.path(), {&gated}, {}, {}, &cancellation);
    });
    QTRY_VERIFY_WITH_TIMEOUT(gated.calls() == 3, 5000);
    cancellation.cancel(QStringLiteral("img1"));
    QTest::qWait(100);
    gated.release();
    worker.join();
    QCOMPARE(report.count(GenerationOutcome::Status::Generated), 2);
    QCOMPARE(report.count(GenerationOutcome::Status::Cancelled), 1);
    QVERIFY(c.asset("img1")->path.isEmpty());
    QVERIFY(QFileInfo(c.asset("img0")->path).isFile());
}

void TstGenerationQueue::failedSourceFailsItsClip()
{
    QTemporaryDir dir;
    // The images go to a provider that is not available; the clips depend on them.
    editor::Campaign c = loadTiny(dir.path(),
                                  testing_support::tinyCampaignJson(QStringLiteral("gemini-image")));
    OfflineGenerator offline;
    GenerationOptions options;
    options.providerProblems.insert(QStringLiteral("gemini-image"),
                                    QStringLiteral("No Gemini API key: set GEMINI_API_KEY."));
    Collector events;
    const GenerationReport report = generateAssets(c, dir.path(), {&offline}, options, events.fn(),
                                                   nullptr);
    QCOMPARE(report.count(GenerationOutcome::Status::Failed), 4);
    for (const GenerationOutcome &o : report.items) {
        if (o.assetId.startsWith("hero"))
            QCOMPARE(o.message, QStringLiteral("No Gemini API key: set GEMINI_API_KEY."));
        else
            QVERIFY2(o.message.contains("hero-"), qPrintable(o.message));
    }
    QCOMPARE(report.temporaryFailures(), 0);  // a missing key is not worth a blind retry
}

void TstGenerationQueue::dryRunSendsNothingAndChangesNothing()
{
    QTemporaryDir dir;
    editor::Campaign c = loadTiny(dir.path(), manyImagesJson(QStringLiteral("gated"), 2));
    const editor::Campaign before = c;
    GatedProvider gated(QStringLiteral("gated"), 2);
    GenerationOptions options;
    options.dryRun = true;
    Collector events;
    const GenerationReport report = generateAssets(c, dir.path(), {&gated}, options, events.fn(), nullptr);
    QCOMPARE(report.count(GenerationOutcome::Status::Planned), 2);
    QCOMPARE(gated.calls(), 0);
    QVERIFY(c == before);
    QVERIFY(!report.campaignChanged);
    QVERIFY(events.any(JobState::Planned));
    QVERIFY(!QFileInfo::exists(AssetStore(dir.path()).directory()));
}

void TstGenerationQueue::segmentFilterAndRegenerate()
{
    QTemporaryDir dir;
    editor::Campaign c = loadTiny(dir.path(), testing_support::tinyCampaignJson(
                                                  QStringLiteral("offline"), QStringLiteral("offline"), false));
    OfflineGenerator offline;
    GenerationOptions onlyNorth;
    onlyNorth.segmentIds = QStringList{"north"};
    const GenerationReport r1 = generateAssets(c, dir.path(), {&offline}, onlyNorth, {}, nullptr);
    QCOMPARE(int(r1.items.size()), 1);
    QVERIFY(!c.asset("hero-north")->path.isEmpty());
    QVERIFY(c.asset("hero-south")->path.isEmpty());

    // Variation: a new seed for one segment gives a new file; the old one stays in the history.
    const QString firstPath = c.asset("hero-north")->path;
    c.generationRequests[0].segmentSeeds.insert(QStringLiteral("north"), 424242);
    generateAssets(c, dir.path(), {&offline}, onlyNorth, {}, nullptr);
    QVERIFY(c.asset("hero-north")->path != firstPath);
    QCOMPARE(c.asset("hero-north")->recipe->seed, 424242);
    QCOMPARE(storedGenerations(dir.path(), QStringLiteral("hero"), QStringLiteral("north")).size(), 2);

    // "Use this": pin the first result; re-planning keeps it although the seed says otherwise.
    const auto history = storedGenerations(dir.path(), QStringLiteral("hero"), QStringLiteral("north"));
    auto chosen = std::find_if(history.begin(), history.end(),
                               [&](const StoredGeneration &g) { return g.path == firstPath; });
    QVERIFY(chosen != history.end());
    editor::Asset *north = c.asset("hero-north");
    north->path = chosen->path;
    north->recipe = chosen->recipe;
    north->pinned = true;
    const qint64 chosenSeed = chosen->recipe.seed;
    const GenerationReport kept = generateAssets(c, dir.path(), {&offline}, onlyNorth, {}, nullptr);
    QCOMPARE(kept.count(GenerationOutcome::Status::UpToDate), 1);
    QCOMPARE(c.asset("hero-north")->path, firstPath);

    // Regenerate (forceNew) asks the provider again even though a file exists, and unpins.
    GatedProvider fresh(QStringLiteral("offline"), 1, QStringLiteral("offline-v1"));
    fresh.release();
    GenerationOptions regen;
    regen.assetIds = QStringList{"hero-north"};
    regen.forceNew = true;
    const GenerationReport r3 = generateAssets(c, dir.path(), {&fresh}, regen, {}, nullptr);
    QCOMPARE(fresh.calls(), 1);
    QCOMPARE(r3.count(GenerationOutcome::Status::Generated), 1);
    QVERIFY(!c.asset("hero-north")->pinned);
    // ... with the seed of the result it regenerates, the pinned first one (regenerate is
    // not a variation), and the new result joins the history instead of replacing an entry.
    QCOMPARE(c.asset("hero-north")->recipe->seed, chosenSeed);
    QVERIFY(chosenSeed != 424242);
    QCOMPARE(storedGenerations(dir.path(), QStringLiteral("hero"), QStringLiteral("north")).size(), 3);
}

void TstGenerationQueue::missingProviderReportsItsProblem()
{
    QTemporaryDir dir;
    editor::Campaign c = loadTiny(dir.path(), manyImagesJson(QStringLiteral("nobody"), 1));
    const GenerationReport report = generateAssets(c, dir.path(), {}, {}, {}, nullptr);
    QCOMPARE(report.count(GenerationOutcome::Status::Failed), 1);
    QVERIFY2(report.items.front().message.contains("nobody"), qPrintable(report.items.front().message));
}

void TstGenerationQueue::networkProviderRetriesVisiblyAndStoresFullRecipe()
{
    FakeGoogleServer server;
    QVERIFY(server.start());
    std::atomic<int> calls{0};
    const QByteArray image = pngBase64(Qt::darkCyan);
    server.setHandler([&](const FakeRequest &) {
        if (calls.fetch_add(1) == 0) {
            FakeReply busy = FakeReply::json(429, R"({"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota).", "status": "RESOURCE_EXHAUSTED"}})");
            busy.headers.append(qMakePair(QByteArray("retry-after"), QByteArray("1")));
            return busy;
        }
        return FakeReply::json(200, R"({"candidates": [{"content": {"role": "model", "parts": [{"inlineData": {"mimeType": "image/png", "data": ")"
                                        + image + R"("}}]}, "finishReason": "STOP", "index": 0}], "modelVersion": "gemini-3.1-flash-image", "responseId": "resp-queue-1"})");
    });
    const GoogleBackend backend = testing_support::geminiBackendFor(server, "SENTINEL-QUEUE-KEY-8841");
    RetryPolicy policy;
    policy.maxAttempts = 3;
    policy.timeScale = 0.05;
    GeminiImageProvider gemini(backend, policy);

    QTemporaryDir dir;
    editor::Campaign c = loadTiny(dir.path(), testing_support::tinyCampaignJson(
                                                  QStringLiteral("gemini-image"), QStringLiteral("offline"), false));
    GenerationOptions options;
    options.segmentIds = QStringList{"north"};
    options.secrets = backend.secrets();
    Collector events;
    const GenerationReport report = generateAssets(c, dir.path(), {&gemini}, options, events.fn(), nullptr);
    QCOMPARE(report.count(GenerationOutcome::Status::Generated), 1);
    QCOMPARE(report.billedAttempts, 2);  // the 429 reached the service too
    QVERIFY(events.any(JobState::Retrying));
    {
        std::lock_guard lock(events.mutex);
        const auto retry = std::find_if(events.events.begin(), events.events.end(),
                                        [](const GenerationJobEvent &e) { return e.state == JobState::Retrying; });
        QVERIFY(retry->seconds > 0);
        QVERIFY2(retry->message.contains("429"), qPrintable(retry->message));
    }
    // The stored recipe is complete: provider, model, prompt after substitution, seed, ids.
    const editor::Asset *north = c.asset("hero-north");
    QCOMPARE(north->recipe->model, QStringLiteral("gemini-3.1-flash-image"));
    QCOMPARE(north->recipe->requestRecordId, QStringLiteral("resp-queue-1"));
    QCOMPARE(north->recipe->prompt, QStringLiteral("calm runner, orange shoes"));
    const auto history = storedGenerations(dir.path(), QStringLiteral("hero"), QStringLiteral("north"));
    QCOMPARE(history.size(), 1);
    QCOMPARE(history.first().recipe.outputSha256, north->recipe->outputSha256);
    QVERIFY(!history.first().recipe.createdAt.isEmpty());
    // The key is in no file of the store (recipes, log).
    QDirIterator it(dir.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        QFile f(it.next());
        QVERIFY(f.open(QIODevice::ReadOnly));
        QVERIFY2(!f.readAll().contains("SENTINEL-QUEUE-KEY-8841"), qPrintable(f.fileName()));
    }
}

QTEST_MAIN(TstGenerationQueue)
#include "tst_generation_queue.moc"
