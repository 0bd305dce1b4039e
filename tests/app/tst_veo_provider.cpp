// SPDX-License-Identifier: GPL-3.0-or-later
// VeoProvider against real HTTP servers on 127.0.0.1 (FakeGoogleServer): submit, poll, fetch,
// on both back ends. The scripts reproduce the flows of generation-api.md section 4 and the G
// rows of RELIABILITY.md that belong to video: the key never reaches a second host (G14), a
// redirect cannot downgrade to plain http (G15), the operation survives a deadline (G13), a
// cancel leaves nothing behind (G16). The MP4 served is made at test time by the renderer.

#include "app/veo_provider.h"
#include "fake_google_server.h"
#include "google_test_support.h"
#include "render/renderer.h"

#include <QBuffer>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <thread>

using namespace services;
using testing_support::FakeGoogleServer;
using testing_support::FakeReply;
using testing_support::FakeRequest;
using testing_support::googleFixture;

namespace {

const QByteArray kKey = testing_support::kSentinelKey;
const QByteArray kToken = testing_support::kSentinelToken;
const QByteArray kGeminiOp = "models/veo-3.1-generate-preview/operations/tst7q2xk9m1p";
const QByteArray kVertexModelPath = "/v1/projects/P/locations/L/publishers/google/models/veo-3.1-generate-001";

RetryPolicy fastPolicy() { return testing_support::fastRetryPolicy(); }

VeoTiming fastTiming(double deadline = 20)
{
    VeoTiming t;
    t.firstPollSeconds = 0.05;
    t.pollSeconds = 0.05;
    t.pollGrowth = 1.5;
    t.maxPollSeconds = 0.1;
    t.deadlineSeconds = deadline;
    return t;
}

GoogleBackend geminiBackend(const FakeGoogleServer &s) { return testing_support::geminiBackendFor(s); }
GoogleBackend vertexBackend(const FakeGoogleServer &s) { return testing_support::vertexBackendFor(s); }

editor::GenerationRecipe videoRecipe(int w = 1920, int h = 1080)
{
    editor::GenerationRecipe r;
    r.provider = VeoProvider::providerId();
    r.kind = editor::AssetKind::Video;
    r.prompt = QStringLiteral("Slow dolly-in on a red sneaker, morning light");
    r.width = w;
    r.height = h;
    r.duration = editor::Rational(5);
    r.seed = 4242;
    return r;
}

QStringList filesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}

FakeReply mp4Reply(const QByteArray &bytes)
{
    FakeReply r;
    r.status = 200;
    r.headers = {{"content-type", "video/mp4"}};
    r.body = bytes;
    return r;
}

FakeReply fixture(const QString &name, const QList<QPair<QByteArray, QByteArray>> &fills = {})
{
    QByteArray body = googleFixture(name);
    for (const auto &f : fills) body.replace(f.first, f.second);
    return FakeReply::json(200, body);
}

bool containsSecret(const FakeRequest &r, const QByteArray &secret)
{
    if (r.path.contains(secret) || r.body.contains(secret)) return true;
    for (const auto &h : r.headers)
        if (h.second.contains(secret)) return true;
    return false;
}

// Records what the provider does with the pending-operation hooks.
struct PendingStore {
    QJsonObject stored;
    int saves = 0, clears = 0;
    void attach(GenerationContext &ctx)
    {
        ctx.loadPendingOperation = [this] { return stored; };
        ctx.savePendingOperation = [this](const QJsonObject &o) { stored = o; ++saves; };
        ctx.clearPendingOperation = [this] { stored = {}; ++clears; };
    }
};

}  // namespace

class TestVeoProvider : public QObject {
    Q_OBJECT

    QByteArray m_mp4;
    QTemporaryDir *m_work = nullptr;

    GenerationResult run(const GoogleBackend &b, const editor::GenerationRecipe &recipe,
                         const GenerationContext &ctx, VeoTiming timing = fastTiming(),
                         const GenerationInputs &inputs = {})
    {
        VeoProvider provider(b, timing, fastPolicy());
        return provider.generate(recipe, inputs, m_work->path(), ctx);
    }
    static int countPath(const FakeGoogleServer &s, const QByteArray &needle)
    {
        int n = 0;
        for (const FakeRequest &r : s.requests()) n += r.path.contains(needle) ? 1 : 0;
        return n;
    }
    void verifyPlayable(const GenerationResult &r)
    {
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.suffix, QStringLiteral("mp4"));
        QVERIFY(QFileInfo(r.filePath).fileName().startsWith(QLatin1Char('.')));
        QFile f(r.filePath);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), m_mp4);
    }

    // Gemini API script: submit, `pendingPolls` pending answers, then `done`; the file URI
    // answers with `download`.
    static void scriptGemini(FakeGoogleServer &s, std::atomic<int> *polls, int pendingPolls,
                             std::function<FakeReply()> done, std::function<FakeReply()> download)
    {
        s.setHandler([=](const FakeRequest &r) {
            if (r.method == "POST" && r.path.endsWith(":predictLongRunning"))
                return fixture(QStringLiteral("gemini_api/veo_submit.json"));
            if (r.method == "GET" && r.path == "/v1beta/" + kGeminiOp)
                return (*polls)++ < pendingPolls ? fixture(QStringLiteral("gemini_api/veo_poll_pending.json"))
                                                 : done();
            if (r.path.startsWith("/v1beta/files/")) return download();
            return FakeReply::json(404, "{\"error\":{\"code\":404,\"status\":\"NOT_FOUND\"}}");
        });
    }

private slots:
    void initTestCase()
    {
        // A real, tiny H.264 MP4 from the project's own encoder: tests must not depend on
        // files outside the repository.
        QTemporaryDir dir;
        const QString path = dir.filePath(QStringLiteral("clip.mp4"));
        render::VideoWriter writer;
        render::RenderError err;
        QVERIFY2(writer.open(path, 64, 36, render::FrameRate{12, 1}, render::EncodeSettings{}, false, &err),
                 qPrintable(err.message));
        QImage frame(64, 36, QImage::Format_RGB32);
        for (int i = 0; i < 6; ++i) {
            frame.fill(QColor(40 * i, 80, 200 - 30 * i));
            QVERIFY2(writer.writeFrame(frame, &err), qPrintable(err.message));
        }
        QVERIFY2(writer.finish(&err), qPrintable(err.message));
        QFile f(path);
        QVERIFY(f.open(QIODevice::ReadOnly));
        m_mp4 = f.readAll();
        QVERIFY(m_mp4.size() > 100);
    }
    void init()
    {
        m_work = new QTemporaryDir;
        QVERIFY(m_work->isValid());
    }
    void cleanup()
    {
        delete m_work;
        m_work = nullptr;
    }

    void durationAndAspectChoices()
    {
        auto r = videoRecipe();
        QCOMPARE(VeoProvider::aspectRatioFor(r), QStringLiteral("16:9"));
        QCOMPARE(VeoProvider::aspectRatioFor(videoRecipe(1080, 1920)), QStringLiteral("9:16"));
        QCOMPARE(VeoProvider::durationSecondsFor(r), 6);  // 5 s -> the shortest clip covering it
        r.duration = editor::Rational(4);
        QCOMPARE(VeoProvider::durationSecondsFor(r), 4);
        r.duration = editor::Rational(15);
        QCOMPARE(VeoProvider::durationSecondsFor(r), 8);
        r.params.insert(QStringLiteral("durationSeconds"), 4);
        r.params.insert(QStringLiteral("aspectRatio"), QStringLiteral("9:16"));
        QCOMPARE(VeoProvider::durationSecondsFor(r), 4);
        QCOMPARE(VeoProvider::aspectRatioFor(r), QStringLiteral("9:16"));
    }

    void submitBodyPerBackend()
    {
        auto r = videoRecipe(1080, 1920);
        r.negativePrompt = QStringLiteral("text overlays");
        const QByteArray png = "\x89PNG\r\n\x1a\nnot-really";
        const QJsonObject g = QJsonDocument::fromJson(
            VeoProvider::buildSubmitBody(r, GoogleBackendKind::GeminiApi, png, QStringLiteral("image/png"))).object();
        const QJsonObject gp = g[QStringLiteral("parameters")].toObject();
        QVERIFY(gp[QStringLiteral("durationSeconds")].isDouble());  // the API rejects "6"
        QCOMPARE(gp[QStringLiteral("durationSeconds")].toInt(), 6);
        QCOMPARE(gp[QStringLiteral("aspectRatio")].toString(), QStringLiteral("9:16"));
        QCOMPARE(gp[QStringLiteral("sampleCount")].toInt(), 1);
        QCOMPARE(gp[QStringLiteral("negativePrompt")].toString(), QStringLiteral("text overlays"));
        QVERIFY(!gp.contains(QStringLiteral("seed")));  // the Gemini API rejects seed
        QVERIFY(!gp.contains(QStringLiteral("generateAudio")));
        const QJsonObject image = g[QStringLiteral("instances")].toArray().at(0).toObject()[QStringLiteral("image")].toObject();
        QCOMPARE(QByteArray::fromBase64(image[QStringLiteral("bytesBase64Encoded")].toString().toLatin1()), png);
        QCOMPARE(image[QStringLiteral("mimeType")].toString(), QStringLiteral("image/png"));

        const QJsonObject vp = QJsonDocument::fromJson(
            VeoProvider::buildSubmitBody(r, GoogleBackendKind::Vertex, {}, {})).object()[QStringLiteral("parameters")].toObject();
        QCOMPARE(vp[QStringLiteral("seed")].toInteger(), 4242);
        QCOMPARE(vp[QStringLiteral("generateAudio")].toBool(true), false);
    }

    void geminiFlowDownloadRedirectKeepsKeyAtHome()
    {
        FakeGoogleServer api, cdn;
        QVERIFY(api.start());
        QVERIFY(cdn.setLoopbackAddress(QStringLiteral("127.0.0.2")));  // another host, not a port
        QVERIFY(cdn.start());
        cdn.setHandler([this](const FakeRequest &) { return mp4Reply(m_mp4); });
        std::atomic<int> polls{0};
        const QByteArray fileUri = api.baseUrl().toLatin1() + "v1beta/files/tstvid1:download?alt=media";
        const QByteArray cdnUrl = cdn.baseUrl().toLatin1() + "signed/tstvid1.mp4?sig=abc";
        scriptGemini(api, &polls, 2,
                     [fileUri] { return fixture(QStringLiteral("gemini_api/veo_poll_done_uri.json"), {{"%VIDEO_URI%", fileUri}}); },
                     [cdnUrl] { return FakeReply::redirect(cdnUrl); });
        PendingStore pending;
        QList<ProviderNotice::Kind> kinds;
        GenerationContext ctx;
        pending.attach(ctx);
        ctx.notify = [&kinds](const ProviderNotice &n) { kinds << n.kind; };
        QTemporaryDir srcDir;
        const QString src = srcDir.filePath(QStringLiteral("first-frame.png"));
        QImage still(32, 18, QImage::Format_RGB32);
        still.fill(Qt::darkCyan);
        QVERIFY(still.save(src));
        QFile srcFile(src);
        QVERIFY(srcFile.open(QIODevice::ReadOnly));
        const QByteArray srcBytes = srcFile.readAll();

        const GenerationResult r = run(geminiBackend(api), videoRecipe(1080, 1920), ctx, fastTiming(), {src});
        verifyPlayable(r);
        QCOMPARE(r.requestRecordId, QString::fromLatin1(kGeminiOp));
        QCOMPARE(r.details[QStringLiteral("backend")].toString(), QStringLiteral("gemini"));
        QCOMPARE(r.details[QStringLiteral("durationSeconds")].toInt(), 6);
        QCOMPARE(r.billedAttempts, 1);

        const QList<FakeRequest> seen = api.requests();
        QCOMPARE(seen.size(), 1 + 3 + 1);  // submit, 2 pending + done, the file URI
        QCOMPARE(seen[0].path, QByteArray("/v1beta/models/veo-3.1-generate-preview:predictLongRunning"));
        const QJsonObject body = QJsonDocument::fromJson(seen[0].body).object();
        const QJsonObject params = body[QStringLiteral("parameters")].toObject();
        QCOMPARE(params[QStringLiteral("aspectRatio")].toString(), QStringLiteral("9:16"));
        QVERIFY(params[QStringLiteral("durationSeconds")].isDouble());
        QVERIFY(!params.contains(QStringLiteral("seed")));
        const QJsonObject image = body[QStringLiteral("instances")].toArray().at(0).toObject()[QStringLiteral("image")].toObject();
        QCOMPARE(QByteArray::fromBase64(image[QStringLiteral("bytesBase64Encoded")].toString().toLatin1()), srcBytes);
        for (const FakeRequest &req : seen) QCOMPARE(req.header("x-goog-api-key"), kKey);
        QCOMPARE(seen[1].method, QByteArray("GET"));

        // G14: the second host got the request, but never the key.
        QCOMPARE(cdn.requestCount(), 1);
        QCOMPARE(cdn.requests().first().path, QByteArray("/signed/tstvid1.mp4?sig=abc"));
        for (const FakeRequest &req : cdn.requests()) QVERIFY(!containsSecret(req, kKey));

        QCOMPARE(pending.saves, 1);
        QCOMPARE(pending.clears, 1);
        QVERIFY(pending.stored.isEmpty());
        QVERIFY(kinds.contains(ProviderNotice::Kind::Submitted));
        QVERIFY(kinds.contains(ProviderNotice::Kind::Polling));
        QCOMPARE(kinds.count(ProviderNotice::Kind::BilledAttempt), 1);
        QCOMPARE(filesIn(m_work->path()).size(), 1);
    }

    void vertexFlowInlineBytes()
    {
        FakeGoogleServer api;
        QVERIFY(api.start());
        std::atomic<int> polls{0};
        const QByteArray b64 = m_mp4.toBase64();
        api.setHandler([&polls, b64](const FakeRequest &r) {
            if (r.path == kVertexModelPath + ":predictLongRunning")
                return fixture(QStringLiteral("vertex/veo_submit.json"));
            if (r.path == kVertexModelPath + ":fetchPredictOperation")
                return polls++ < 1 ? fixture(QStringLiteral("vertex/veo_poll_pending.json"))
                                   : fixture(QStringLiteral("vertex/veo_done_inline.json"), {{"%VIDEO_B64%", b64}});
            return FakeReply::json(404, "{}");
        });
        PendingStore pending;
        GenerationContext ctx;
        pending.attach(ctx);
        const GenerationResult r = run(vertexBackend(api), videoRecipe(), ctx);
        verifyPlayable(r);
        const QList<FakeRequest> seen = api.requests();
        QCOMPARE(seen.size(), 3);
        QCOMPARE(QJsonDocument::fromJson(seen[0].body).object()[QStringLiteral("parameters")].toObject()
                     [QStringLiteral("seed")].toInteger(), 4242);
        for (int i = 1; i < 3; ++i) {
            QCOMPARE(seen[i].method, QByteArray("POST"));
            QCOMPARE(QJsonDocument::fromJson(seen[i].body).object()[QStringLiteral("operationName")].toString(),
                     QStringLiteral("projects/P/locations/L/publishers/google/models/"
                                    "veo-3.1-generate-001/operations/5d1c7a0e-2b44-4f3e-9c61-7e0f3a2b9d10"));
        }
        for (const FakeRequest &req : seen) QCOMPARE(req.header("authorization"), QByteArray("Bearer " + kToken));
        QCOMPARE(r.details[QStringLiteral("backend")].toString(), QStringLiteral("vertex"));
        QCOMPARE(pending.clears, 1);
    }

    void vertexFlowGcsUri()
    {
        FakeGoogleServer api;
        QVERIFY(api.start());
        const QByteArray mp4 = m_mp4;
        api.setHandler([mp4](const FakeRequest &r) {
            if (r.path.endsWith(":predictLongRunning")) return fixture(QStringLiteral("vertex/veo_submit.json"));
            if (r.path.endsWith(":fetchPredictOperation")) return fixture(QStringLiteral("vertex/veo_done_gcs.json"));
            if (r.path == "/storage/v1/b/campaign-test-bucket/o/veo%2Frun%201%2Fsample_0.mp4?alt=media")
                return mp4Reply(mp4);
            return FakeReply::json(404, "{}");
        });
        GenerationContext ctx;
        const GenerationResult r = run(vertexBackend(api), videoRecipe(), ctx);
        verifyPlayable(r);
        const FakeRequest download = api.requests().last();
        QCOMPARE(download.method, QByteArray("GET"));
        QCOMPARE(download.header("authorization"), QByteArray("Bearer " + kToken));
    }

    void savedOperationIsResumedWithoutSubmitting()
    {
        FakeGoogleServer api;
        QVERIFY(api.start());
        std::atomic<int> polls{0};
        const QByteArray fileUri = api.baseUrl().toLatin1() + "v1beta/files/tstvid1:download?alt=media";
        const QByteArray mp4 = m_mp4;
        scriptGemini(api, &polls, 1,
                     [fileUri] { return fixture(QStringLiteral("gemini_api/veo_poll_done_uri.json"), {{"%VIDEO_URI%", fileUri}}); },
                     [mp4] { return mp4Reply(mp4); });
        PendingStore pending;
        pending.stored = QJsonObject{{QStringLiteral("name"), QString::fromLatin1(kGeminiOp)},
                                     {QStringLiteral("backend"), QStringLiteral("gemini")},
                                     {QStringLiteral("model"), QStringLiteral("veo-3.1-generate-preview")},
                                     {QStringLiteral("submittedAt"), QStringLiteral("2026-11-23T10:00:00Z")}};
        GenerationContext ctx;
        pending.attach(ctx);
        const GenerationResult r = run(geminiBackend(api), videoRecipe(), ctx);
        verifyPlayable(r);
        QCOMPARE(countPath(api, ":predictLongRunning"), 0);
        QCOMPARE(polls.load(), 2);
        QCOMPARE(r.billedAttempts, 0);
        QCOMPARE(pending.saves, 0);
        QCOMPARE(pending.clears, 1);
        QVERIFY(r.details[QStringLiteral("resumed")].toBool());
    }

    void operationOutcomes_data()
    {
        QTest::addColumn<bool>("vertex");
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<int>("failure");
        QTest::addColumn<QString>("mustMention");
        QTest::newRow("gemini done+error") << false << "gemini_api/veo_done_error.json"
                                           << int(FailureKind::OperationFailed) << "internal problem";
        QTest::newRow("vertex done+error about guidelines") << true << "vertex/veo_done_error.json"
                                                            << int(FailureKind::Blocked) << "usage guidelines";
        QTest::newRow("gemini rai filtered") << false << "gemini_api/veo_rai_filtered.json"
                                             << int(FailureKind::Blocked) << "people in videos";
        QTest::newRow("vertex rai filtered") << true << "vertex/veo_rai_filtered.json"
                                             << int(FailureKind::Blocked) << "safety filter";
    }
    void operationOutcomes()
    {
        QFETCH(bool, vertex);
        QFETCH(QString, fixture);
        QFETCH(int, failure);
        QFETCH(QString, mustMention);
        FakeGoogleServer api;
        QVERIFY(api.start());
        const QString submit = vertex ? QStringLiteral("vertex/veo_submit.json") : QStringLiteral("gemini_api/veo_submit.json");
        api.setHandler([submit, fixture](const FakeRequest &r) {
            return ::fixture(r.path.endsWith(":predictLongRunning") ? submit : fixture);
        });
        PendingStore pending;
        GenerationContext ctx;
        pending.attach(ctx);
        const GenerationResult r = run(vertex ? vertexBackend(api) : geminiBackend(api), videoRecipe(), ctx);
        QCOMPARE(int(r.failure), failure);
        QVERIFY2(r.error.contains(mustMention), qPrintable(r.error));
        QCOMPARE(api.requestCount(), 2);  // one submit, one poll: nothing is re-submitted
        QCOMPARE(pending.clears, 1);      // the job has ended
        QVERIFY(filesIn(m_work->path()).isEmpty());
    }

    void deadlineKeepsTheOperation()
    {
        FakeGoogleServer api;
        QVERIFY(api.start());
        std::atomic<int> polls{0};
        scriptGemini(api, &polls, 1 << 30, [] { return FakeReply(); }, [] { return FakeReply(); });
        PendingStore pending;
        GenerationContext ctx;
        pending.attach(ctx);
        QElapsedTimer t;
        t.start();
        const GenerationResult r = run(geminiBackend(api), videoRecipe(), ctx, fastTiming(0.4));
        QCOMPARE(r.failure, FailureKind::Timeout);
        QVERIFY(t.elapsed() < 3000);
        QVERIFY(polls.load() >= 2);
        QVERIFY2(r.error.contains(QStringLiteral("resumes on the next run")), qPrintable(r.error));
        QCOMPARE(pending.saves, 1);
        QCOMPARE(pending.clears, 0);
        QCOMPARE(pending.stored[QStringLiteral("name")].toString(), QString::fromLatin1(kGeminiOp));
        QCOMPARE(pending.stored[QStringLiteral("backend")].toString(), QStringLiteral("gemini"));
        QVERIFY(!pending.stored[QStringLiteral("submittedAt")].toString().isEmpty());
        QVERIFY(filesIn(m_work->path()).isEmpty());
    }

    void temporaryPollFailureKeepsTheOperation()
    {
        FakeGoogleServer api;
        QVERIFY(api.start());
        api.setHandler([](const FakeRequest &r) {
            if (r.path.endsWith(":predictLongRunning")) return fixture(QStringLiteral("gemini_api/veo_submit.json"));
            return FakeReply::json(503, "{\"error\":{\"code\":503,\"message\":\"The model is overloaded.\","
                                        "\"status\":\"UNAVAILABLE\"}}");
        });
        PendingStore pending;
        GenerationContext ctx;
        pending.attach(ctx);
        const GenerationResult r = run(geminiBackend(api), videoRecipe(), ctx);
        QCOMPARE(r.failure, FailureKind::ServerError);
        QVERIFY(isTemporaryFailure(r.failure));
        QCOMPARE(api.requestCount(), 1 + 3);  // one submit, the poll with its retries
        QCOMPARE(pending.saves, 1);
        QCOMPARE(pending.clears, 0);          // the next run resumes instead of paying again
        QVERIFY2(r.error.contains(QStringLiteral("kept")), qPrintable(r.error));
    }

    void redirectToPlainHttpIsRefused()
    {
        FakeGoogleServer api;
        QVERIFY(api.start());
        std::atomic<int> polls{0};
        const QByteArray fileUri = api.baseUrl().toLatin1() + "v1beta/files/tstvid1:download?alt=media";
        scriptGemini(api, &polls, 0,
                     [fileUri] { return fixture(QStringLiteral("gemini_api/veo_poll_done_uri.json"), {{"%VIDEO_URI%", fileUri}}); },
                     [] { return FakeReply::redirect("http://example.com/tstvid1.mp4"); });
        GenerationContext ctx;
        QElapsedTimer t;
        t.start();
        const GenerationResult r = run(geminiBackend(api), videoRecipe(), ctx);
        QCOMPARE(r.failure, FailureKind::Insecure);
        QVERIFY2(r.error.contains(QStringLiteral("example.com")), qPrintable(r.error));
        QVERIFY(t.elapsed() < 3000);  // refused before any connection attempt
        QCOMPARE(countPath(api, "/v1beta/files/"), 1);
        QVERIFY(filesIn(m_work->path()).isEmpty());
    }

    void downloadedBytesThatAreNoVideoAreDamaged()
    {
        FakeGoogleServer api;
        QVERIFY(api.start());
        std::atomic<int> polls{0};
        const QByteArray fileUri = api.baseUrl().toLatin1() + "v1beta/files/tstvid1:download?alt=media";
        scriptGemini(api, &polls, 0,
                     [fileUri] { return fixture(QStringLiteral("gemini_api/veo_poll_done_uri.json"), {{"%VIDEO_URI%", fileUri}}); },
                     [] { return mp4Reply("<html><body>Please sign in</body></html>"); });
        PendingStore pending;
        GenerationContext ctx;
        pending.attach(ctx);
        const GenerationResult r = run(geminiBackend(api), videoRecipe(), ctx);
        QCOMPARE(r.failure, FailureKind::Damaged);
        QVERIFY(r.filePath.isEmpty());
        QVERIFY(filesIn(m_work->path()).isEmpty());
    }

    void cancelWhilePollingLeavesNothing()
    {
        FakeGoogleServer api;
        QVERIFY(api.start());
        std::atomic<int> polls{0};
        scriptGemini(api, &polls, 1 << 30, [] { return FakeReply(); }, [] { return FakeReply(); });
        PendingStore pending;
        std::atomic<bool> cancel{false};
        GenerationContext ctx;
        pending.attach(ctx);
        ctx.cancel = &cancel;
        std::thread canceller([&cancel, &polls] {
            // Cancel once polling is under way (or after 2 s at the latest).
            for (int i = 0; i < 200 && polls.load() < 2; ++i)
                std::this_thread::sleep_for(std::chrono::milliseconds(10));
            cancel = true;
        });
        QElapsedTimer t;
        t.start();
        const GenerationResult r = run(geminiBackend(api), videoRecipe(), ctx, fastTiming(30));
        canceller.join();
        QVERIFY(r.cancelled);
        QVERIFY(polls.load() >= 2);
        QVERIFY(t.elapsed() < 5000);
        QCOMPARE(pending.saves, 1);
        QCOMPARE(pending.clears, 1);
        QVERIFY(filesIn(m_work->path()).isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestVeoProvider)
#include "tst_veo_provider.moc"
