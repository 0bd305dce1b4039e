// SPDX-License-Identifier: GPL-3.0-or-later
// campaign-cli generate with the Google providers, end to end: the real CLI process talks to a
// real HTTP server on 127.0.0.1 (CAMPAIGN_GEMINI_BASE_URL / CAMPAIGN_VERTEX_BASE_URL) that
// speaks the Gemini API / Vertex wire format. Covers the sentinel-key audit (the key appears
// in no project file, store file, log, manifest, stdout or stderr, and never reaches the
// download host), exit 75 for quota/network failures, blocked prompts, dry runs, missing or
// unsafe configuration, model overrides, and a Veo operation resumed after a restart instead of
// being submitted (and billed) twice.
#include "cli_test_support.h"
#include "fake_google_server.h"
#include "google_test_support.h"
#include "tiny_campaign.h"

#include <QBuffer>
#include <QImage>
#include <QProcessEnvironment>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTest>

#include <atomic>

using namespace clitest;
using testing_support::FakeGoogleServer;
using testing_support::FakeReply;
using testing_support::FakeRequest;

namespace {
const QByteArray kSentinel = "SENTINEL-KEY-7f3a91c2";

CliRun runCliEnv(const QStringList &args, const QProcessEnvironment &env, int timeoutMs = 120000)
{
    return runCli(args, timeoutMs, env);
}

QProcessEnvironment baseEnv()
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    for (const char *name : {"GEMINI_API_KEY", "GOOGLE_CLOUD_ACCESS_TOKEN", "GOOGLE_CLOUD_PROJECT",
                             "GOOGLE_CLOUD_LOCATION", "CAMPAIGN_GEMINI_BASE_URL",
                             "CAMPAIGN_VERTEX_BASE_URL", "http_proxy", "https_proxy",
                             "HTTP_PROXY", "HTTPS_PROXY", "ALL_PROXY", "all_proxy"})
        env.remove(QLatin1String(name));
    env.insert(QStringLiteral("QT_QPA_PLATFORM"), QStringLiteral("offscreen"));
    env.insert(QStringLiteral("CAMPAIGN_GENERATION_TIME_SCALE"), QStringLiteral("0.01"));
    return env;
}

QProcessEnvironment geminiEnv(const FakeGoogleServer &server)
{
    QProcessEnvironment env = baseEnv();
    env.insert(QStringLiteral("GEMINI_API_KEY"), QString::fromLatin1(kSentinel));
    env.insert(QStringLiteral("CAMPAIGN_GEMINI_BASE_URL"), server.baseUrl() + QStringLiteral("v1beta/"));
    return env;
}

QByteArray pngBase64(const QColor &color)
{
    return testing_support::encodedImage(24, 24, color).toBase64();
}

QByteArray imageAnswer(const QColor &color, const QByteArray &responseId)
{
    return R"({"candidates": [{"content": {"role": "model", "parts": [{"text": "Here you go."}, {"inlineData": {"mimeType": "image/png", "data": ")"
        + pngBase64(color) + R"("}}]}, "finishReason": "STOP", "index": 0}], "usageMetadata": {"promptTokenCount": 9}, "modelVersion": "gemini-3.1-flash-image", "responseId": ")"
        + responseId + R"("})";
}

QString writeTinyProject(const QString &dir, const QString &imageProvider,
                         const QString &videoProvider, bool withClip)
{
    const QString path = QDir(dir).filePath(QStringLiteral("tiny.campaign"));
    writeAll(path, testing_support::tinyCampaignJson(imageProvider, videoProvider, withClip));
    return path;
}

QList<QJsonObject> jsonLines(const QByteArray &out)
{
    QList<QJsonObject> lines;
    for (const QByteArray &line : out.trimmed().split('\n'))
        if (!line.isEmpty())
            lines << QJsonDocument::fromJson(line).object();
    return lines;
}

QJsonObject summaryOf(const QByteArray &out)
{
    const auto lines = jsonLines(out);
    return lines.isEmpty() ? QJsonObject() : lines.last();
}

// Every file below `dir` whose bytes contain `needle`.
QStringList filesContaining(const QString &dir, const QByteArray &needle)
{
    QStringList hits;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (readAll(path).contains(needle))
            hits << path;
    }
    return hits;
}

int countRequests(const FakeGoogleServer &server, const QByteArray &pathPart)
{
    int n = 0;
    for (const FakeRequest &r : server.requests())
        if (r.path.contains(pathPart))
            ++n;
    return n;
}
}  // namespace

class TstCliGenerate : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void sentinelKeyNeverLeaksEndToEnd();
    void quotaExhaustedExits75();
    void refusedConnectionExits75();
    void rejectedKeyExits1WithoutTheKey();
    void blockedPromptIsReportedNotRetried();
    void dryRunSendsNothing();
    void missingKeyNamesTheVariable();
    void plainHttpToARemoteHostIsRefused();
    void providerAndModelOverride();
    void veoOperationResumesAfterRestart();

private:
    QByteArray m_videoBytes;  // a real MP4 made by the offline generator, served as "Veo" output
};

void TstCliGenerate::initTestCase()
{
    QVERIFY(QFileInfo(kCli).isExecutable());
    QTemporaryDir dir;
    const QString project = writeTinyProject(dir.path(), "offline", "offline", true);
    const CliRun run = runCliEnv({"generate", project, "--segment", "north"}, baseEnv());
    QVERIFY2(run.code == 0, describe(run));
    QDirIterator it(QDir(dir.path()).filePath("generated"), {"*.mp4"}, QDir::Files);
    QVERIFY(it.hasNext());
    m_videoBytes = readAll(it.next());
    QVERIFY(m_videoBytes.size() > 1000);
}

void TstCliGenerate::sentinelKeyNeverLeaksEndToEnd()
{
    FakeGoogleServer api, storage;
    QVERIFY(api.start());
    QVERIFY(storage.setLoopbackAddress(QStringLiteral("127.0.0.2")));  // a second host
    QVERIFY(storage.start());
    std::atomic<int> polls{0};
    const QByteArray storageUrl = storage.baseUrl().toLatin1() + "blob/video-1.mp4";
    api.setHandler([&](const FakeRequest &r) {
        if (r.path.contains(":generateContent"))
            return FakeReply::json(200, imageAnswer(r.body.contains("calm") ? Qt::darkBlue : Qt::darkRed,
                                                    "resp-" + QByteArray::number(r.body.size())));
        if (r.path.contains(":predictLongRunning"))
            return FakeReply::json(200, R"({"name": "models/veo-3.1-generate-preview/operations/op-)"
                                            + QByteArray::number(r.body.size() % 9973) + R"("})");
        if (r.path.contains("/operations/")) {
            const QByteArray name = r.path.mid(r.path.indexOf("models/"));
            if (polls.fetch_add(1) % 2 == 0)
                return FakeReply::json(200, R"({"name": ")" + name + R"(", "done": false})");
            return FakeReply::json(200, R"({"name": ")" + name + R"(", "done": true, "response": {"@type": "type.googleapis.com/google.ai.generativelanguage.v1beta.PredictLongRunningResponse", "generateVideoResponse": {"generatedSamples": [{"video": {"uri": ")"
                                            + api.baseUrl().toLatin1() + R"(v1beta/files/f1:download?alt=media"}}]}}})");
        }
        if (r.path.contains("/files/f1:download"))
            return FakeReply::redirect(storageUrl);
        return FakeReply::json(404, R"({"error": {"code": 404, "message": "not here", "status": "NOT_FOUND"}})");
    });
    storage.setHandler([&](const FakeRequest &) {
        FakeReply reply;
        reply.headers.append(qMakePair(QByteArray("content-type"), QByteArray("video/mp4")));
        reply.body = m_videoBytes;
        return reply;
    });

    QTemporaryDir dir;
    const QString project = writeTinyProject(dir.path(), "gemini-image", "veo", true);
    const CliRun gen = runCliEnv({"generate", project, "--progress", "jsonl"}, geminiEnv(api));
    QVERIFY2(gen.code == 0, describe(gen));
    const QJsonObject summary = summaryOf(gen.out);
    QCOMPARE(summary.value("generated").toInt(), 4);
    QCOMPARE(summary.value("failed").toInt(), 0);
    QVERIFY(summary.value("billedAttempts").toInt() >= 4);

    // The key went where it belongs (the API host, as a header) and nowhere else.
    QVERIFY(api.requestCount() >= 6);
    for (const FakeRequest &r : api.requests()) {
        QCOMPARE(r.header("x-goog-api-key"), kSentinel);
        QVERIFY2(!r.path.contains(kSentinel), r.path.constData());
    }
    QVERIFY(storage.requestCount() >= 2);
    for (const FakeRequest &r : storage.requests()) {
        QVERIFY(r.header("x-goog-api-key").isEmpty());
        QVERIFY(r.header("authorization").isEmpty());
        for (const auto &h : r.headers)
            QVERIFY2(!h.second.contains(kSentinel), h.first.constData());
        QVERIFY(!r.path.contains(kSentinel) && !r.body.contains(kSentinel));
    }

    // Render the result too, so the manifest is part of the audit.
    const QString out = QDir(dir.path()).filePath("renders");
    const CliRun render = runCliEnv({"render", project, "--out", out, "--progress", "jsonl"},
                                    geminiEnv(api));
    QVERIFY2(render.code == 0, describe(render));
    QDirIterator manifests(out, {"manifest.json"}, QDir::Files, QDirIterator::Subdirectories);
    QVERIFY(manifests.hasNext());
    QVERIFY(readAll(manifests.next()).contains("sha256"));
    // The exports disclose the generated media and the models that made it, read back by an
    // independent tool (ffprobe).
    QDirIterator mp4s(out, {"*.mp4"}, QDir::Files, QDirIterator::Subdirectories);
    QVERIFY(mp4s.hasNext());
    QProcess probe;
    probe.start("ffprobe", {"-v", "error", "-show_format", "-of", "json", mp4s.next()});
    QVERIFY(probe.waitForFinished(30000));
    const QByteArray format = probe.readAllStandardOutput();
    QVERIFY2(format.contains("compositeWithTrainedAlgorithmicMedia")
                 && format.contains("gemini-3.1-flash-image"), format.constData());
    // Only media the variant shows counts: the clips are generated but not on this timeline.
    QVERIFY2(!format.contains("veo-3.1"), format.constData());

    for (const CliRun *run : {&gen, &render}) {
        QVERIFY(!run->out.contains(kSentinel));
        QVERIFY(!run->err.contains(kSentinel));
    }
    const QStringList leaks = filesContaining(dir.path(), kSentinel);
    QVERIFY2(leaks.isEmpty(), qPrintable(leaks.join(", ")));
    // The project records full recipes: the Veo clip names its operation and its input image.
    const QByteArray saved = readAll(project);
    QVERIFY(saved.contains("\"requestRecordId\": \"models/veo-3.1-generate-preview/operations/op-"));
    QVERIFY(saved.contains("\"inputSha256\""));
    QVERIFY(saved.contains("\"model\": \"gemini-3.1-flash-image\""));
    QVERIFY(QFileInfo(QDir(dir.path()).filePath("generated/generation.log")).size() > 0);
}

void TstCliGenerate::quotaExhaustedExits75()
{
    FakeGoogleServer api;
    QVERIFY(api.start());
    api.setHandler([](const FakeRequest &) {
        FakeReply r = FakeReply::json(429, R"({"error": {"code": 429, "message": "Resource has been exhausted (e.g. check quota).", "status": "RESOURCE_EXHAUSTED"}})");
        r.headers.append(qMakePair(QByteArray("retry-after"), QByteArray("7")));
        return r;
    });
    QTemporaryDir dir;
    const QString project = writeTinyProject(dir.path(), "gemini-image", "offline", false);
    QElapsedTimer timer;
    timer.start();
    const CliRun run = runCliEnv({"generate", project, "--segment", "north", "--progress", "jsonl"},
                                 geminiEnv(api));
    QVERIFY2(run.code == 75, describe(run));
    // Retry-After was honoured (7 s scaled by 0.01) for every retry, then the job gave up.
    QCOMPARE(api.requestCount(), 5);
    const QJsonObject summary = summaryOf(run.out);
    QCOMPARE(summary.value("temporaryFailures").toInt(), 1);
    QCOMPARE(summary.value("billedAttempts").toInt(), 5);
    bool sawRetry = false, sawQuota = false;
    for (const QJsonObject &o : jsonLines(run.out)) {
        sawRetry = sawRetry || o.value("state").toString() == "retrying";
        sawQuota = sawQuota || o.value("failure").toString() == "quota";
    }
    QVERIFY(sawRetry && sawQuota);
    QVERIFY2(run.err.contains("again later"), run.err.constData());
    QVERIFY(QDir(QDir(dir.path()).filePath("generated")).entryList({"*.png"}).isEmpty());
    QVERIFY(timer.elapsed() < 60000);
}

void TstCliGenerate::refusedConnectionExits75()
{
    int closedPort = 0;
    {
        FakeGoogleServer gone;
        QVERIFY(gone.start());
        closedPort = gone.port();
    }
    QProcessEnvironment env = baseEnv();
    env.insert("GEMINI_API_KEY", QString::fromLatin1(kSentinel));
    env.insert("CAMPAIGN_GEMINI_BASE_URL", QStringLiteral("http://127.0.0.1:%1/v1beta/").arg(closedPort));
    QTemporaryDir dir;
    const QString project = writeTinyProject(dir.path(), "gemini-image", "offline", false);
    const CliRun run = runCliEnv({"generate", project, "--segment", "south"}, env);
    QVERIFY2(run.code == 75, describe(run));
    QVERIFY2(run.err.contains("reach"), run.err.constData());
    QVERIFY(!run.err.contains(kSentinel) && !run.out.contains(kSentinel));
}

void TstCliGenerate::rejectedKeyExits1WithoutTheKey()
{
    FakeGoogleServer api;
    QVERIFY(api.start());
    api.setHandler([](const FakeRequest &) {
        return FakeReply::json(400, R"({"error": {"code": 400, "message": "API key not valid. Please pass a valid API key.", "status": "INVALID_ARGUMENT", "details": [{"@type": "type.googleapis.com/google.rpc.ErrorInfo", "reason": "API_KEY_INVALID", "domain": "googleapis.com"}]}})");
    });
    QTemporaryDir dir;
    const QString project = writeTinyProject(dir.path(), "gemini-image", "offline", false);
    const CliRun run = runCliEnv({"generate", project, "--segment", "north"}, geminiEnv(api));
    QVERIFY2(run.code == 1, describe(run));
    QCOMPARE(api.requestCount(), 1);  // never retried
    QVERIFY2(run.err.contains("API key not valid"), run.err.constData());
    QVERIFY(!run.err.contains(kSentinel) && !run.out.contains(kSentinel));

    FakeGoogleServer denied;
    QVERIFY(denied.start());
    denied.setHandler([](const FakeRequest &) {
        return FakeReply::json(403, R"({"error": {"code": 403, "message": "Method doesn't allow unregistered callers.", "status": "PERMISSION_DENIED"}})");
    });
    const CliRun run403 = runCliEnv({"generate", project, "--segment", "north"}, geminiEnv(denied));
    QVERIFY2(run403.code == 1, describe(run403));
    QCOMPARE(denied.requestCount(), 1);
    QVERIFY2(run403.err.contains("Settings") || run403.err.contains("GEMINI_API_KEY"), run403.err.constData());
    QVERIFY(!run403.err.contains(kSentinel));
}

void TstCliGenerate::blockedPromptIsReportedNotRetried()
{
    FakeGoogleServer api;
    QVERIFY(api.start());
    api.setHandler([](const FakeRequest &) {
        return FakeReply::json(200, R"({"promptFeedback": {"blockReason": "SAFETY", "safetyRatings": [{"category": "HARM_CATEGORY_DANGEROUS_CONTENT", "probability": "HIGH"}]}, "usageMetadata": {"promptTokenCount": 8}, "modelVersion": "gemini-3.1-flash-image", "responseId": "blocked-1"})");
    });
    QTemporaryDir dir;
    const QString project = writeTinyProject(dir.path(), "gemini-image", "offline", false);
    const CliRun run = runCliEnv({"generate", project, "--segment", "north", "--progress", "jsonl"},
                                 geminiEnv(api));
    QVERIFY2(run.code == 1, describe(run));
    QCOMPARE(api.requestCount(), 1);
    const QJsonObject summary = summaryOf(run.out);
    QCOMPARE(summary.value("blocked").toInt(), 1);
    QCOMPARE(summary.value("temporaryFailures").toInt(), 0);
    bool sawBlocked = false;
    for (const QJsonObject &o : jsonLines(run.out))
        sawBlocked = sawBlocked || (o.value("state").toString() == "blocked"
                                    && o.value("message").toString().contains("SAFETY"));
    QVERIFY(sawBlocked);
}

void TstCliGenerate::dryRunSendsNothing()
{
    FakeGoogleServer api;
    QVERIFY(api.start());
    QTemporaryDir dir;
    const QString project = writeTinyProject(dir.path(), "gemini-image", "veo", true);
    const QByteArray before = readAll(project);
    const CliRun run = runCliEnv({"generate", project, "--dry-run", "--progress", "jsonl"}, geminiEnv(api));
    QVERIFY2(run.code == 0, describe(run));
    QCOMPARE(api.requestCount(), 0);
    QCOMPARE(readAll(project), before);
    QCOMPARE(summaryOf(run.out).value("planned").toInt(), 4);
    QVERIFY(!QFileInfo::exists(QDir(dir.path()).filePath("generated")));
}

void TstCliGenerate::missingKeyNamesTheVariable()
{
    FakeGoogleServer api;
    QVERIFY(api.start());
    QProcessEnvironment env = baseEnv();
    env.insert("CAMPAIGN_GEMINI_BASE_URL", api.baseUrl() + "v1beta/");
    QTemporaryDir dir;
    const QString project = writeTinyProject(dir.path(), "gemini-image", "offline", false);
    const CliRun run = runCliEnv({"generate", project}, env);
    QVERIFY2(run.code == 1, describe(run));
    QVERIFY2(run.err.contains("GEMINI_API_KEY"), run.err.constData());
    QCOMPARE(api.requestCount(), 0);

    // Vertex needs a token and a project; the message names both variables that are missing.
    const CliRun vertex = runCliEnv({"generate", project, "--backend", "vertex"}, env);
    QVERIFY2(vertex.code == 1, describe(vertex));
    QVERIFY2(vertex.err.contains("GOOGLE_CLOUD_ACCESS_TOKEN"), vertex.err.constData());
}

void TstCliGenerate::plainHttpToARemoteHostIsRefused()
{
    QProcessEnvironment env = baseEnv();
    env.insert("GEMINI_API_KEY", QString::fromLatin1(kSentinel));
    // Never contacted: the URL is refused before any connection is made.
    env.insert("CAMPAIGN_GEMINI_BASE_URL", "http://generativelanguage.example.invalid/v1beta/");
    QTemporaryDir dir;
    const QString project = writeTinyProject(dir.path(), "gemini-image", "offline", false);
    const CliRun run = runCliEnv({"generate", project, "--segment", "north"}, env);
    QVERIFY2(run.code == 1, describe(run));
    QVERIFY2(run.err.contains("https"), run.err.constData());
    QVERIFY(!run.err.contains(kSentinel));
}

void TstCliGenerate::providerAndModelOverride()
{
    FakeGoogleServer api;
    QVERIFY(api.start());
    api.setHandler([](const FakeRequest &r) {
        if (r.path.contains("/models/gemini-3-pro-image:generateContent"))
            return FakeReply::json(200, imageAnswer(Qt::darkGreen, "resp-pro"));
        return FakeReply::json(404, R"({"error": {"code": 404, "message": "models/x is not found for API version v1beta.", "status": "NOT_FOUND"}})");
    });
    QTemporaryDir dir;
    const QString project = writeTinyProject(dir.path(), "offline", "offline", false);
    const CliRun run = runCliEnv({"generate", project, "--provider", "gemini-image", "--model",
                                  "gemini-3-pro-image", "--segment", "north"}, geminiEnv(api));
    QVERIFY2(run.code == 0, describe(run));
    QCOMPARE(countRequests(api, "/v1beta/models/gemini-3-pro-image:generateContent"), 1);
    const QByteArray saved = readAll(project);
    QVERIFY(saved.contains("\"provider\": \"gemini-image\""));
    QVERIFY(saved.contains("\"model\": \"gemini-3-pro-image\""));

    // A retired model: 404, one request, a message naming the model and the fix.
    const CliRun retired = runCliEnv({"generate", project, "--model", "gemini-2.5-flash-image",
                                      "--segment", "south"}, geminiEnv(api));
    QVERIFY2(retired.code == 1, describe(retired));
    QVERIFY2(retired.err.contains("gemini-2.5-flash-image") && retired.err.contains("--model"),
             retired.err.constData());
}

void TstCliGenerate::veoOperationResumesAfterRestart()
{
    FakeGoogleServer api;
    QVERIFY(api.start());
    std::atomic<bool> finished{false};
    const QByteArray video = m_videoBytes.toBase64();
    api.setHandler([&](const FakeRequest &r) {
        if (r.path.contains(":predictLongRunning"))
            return FakeReply::json(200, R"({"name": "projects/proj-7/locations/us-central1/publishers/google/models/veo-3.1-generate-001/operations/0b5c0e3a-1111"})");
        if (r.path.contains(":fetchPredictOperation")) {
            if (!finished)
                return FakeReply::json(200, R"({"name": "projects/proj-7/locations/us-central1/publishers/google/models/veo-3.1-generate-001/operations/0b5c0e3a-1111", "done": false})");
            return FakeReply::json(200, R"({"name": "projects/proj-7/locations/us-central1/publishers/google/models/veo-3.1-generate-001/operations/0b5c0e3a-1111", "done": true, "response": {"@type": "type.googleapis.com/cloud.ai.large_models.vision.GenerateVideoResponse", "raiMediaFilteredCount": 0, "videos": [{"bytesBase64Encoded": ")"
                                            + video + R"(", "mimeType": "video/mp4"}]}})");
        }
        return FakeReply::json(404, R"({"error": {"code": 404, "message": "unknown", "status": "NOT_FOUND"}})");
    });
    QProcessEnvironment env = baseEnv();
    env.insert("GOOGLE_CLOUD_ACCESS_TOKEN", QString::fromLatin1(kSentinel));
    env.insert("GOOGLE_CLOUD_PROJECT", "proj-7");
    env.insert("GOOGLE_CLOUD_LOCATION", "us-central1");
    env.insert("CAMPAIGN_VERTEX_BASE_URL", api.baseUrl() + "v1/");
    QTemporaryDir dir;
    const QString project = writeTinyProject(dir.path(), "offline", "veo", true);

    // First run: the operation never finishes before the (scaled) deadline: exit 75, and the
    // operation is remembered.
    const CliRun first = runCliEnv({"generate", project, "--backend", "vertex", "--segment",
                                    "north", "--progress", "jsonl"}, env);
    QVERIFY2(first.code == 75, describe(first));
    QCOMPARE(countRequests(api, ":predictLongRunning"), 1);
    QVERIFY(countRequests(api, ":fetchPredictOperation") >= 2);
    const QStringList pending = QDir(QDir(dir.path()).filePath("generated/pending")).entryList({"*.json"});
    QCOMPARE(pending.size(), 1);

    // Restart after the service finished: polling resumes, nothing is submitted again.
    finished = true;
    const CliRun second = runCliEnv({"generate", project, "--backend", "vertex", "--segment",
                                     "north", "--progress", "jsonl"}, env);
    QVERIFY2(second.code == 0, describe(second));
    QCOMPARE(countRequests(api, ":predictLongRunning"), 1);
    QCOMPARE(summaryOf(second.out).value("generated").toInt(), 1);
    QVERIFY(QDir(QDir(dir.path()).filePath("generated/pending")).entryList({"*.json"}).isEmpty());
    for (const FakeRequest &r : api.requests())
        QCOMPARE(r.header("authorization"), "Bearer " + kSentinel);
    QVERIFY(filesContaining(dir.path(), kSentinel).isEmpty());
    // The token never reaches what either run printed, the failed run's messages included.
    for (const CliRun *run : {&first, &second})
        QVERIFY2(!run->out.contains(kSentinel) && !run->err.contains(kSentinel), describe(*run));
}

QTEST_GUILESS_MAIN(TstCliGenerate)
#include "tst_cli_generate.moc"
