// SPDX-License-Identifier: GPL-3.0-or-later
// google_api: back-end addressing and configuration problems, Google's error envelope, the
// backoff arithmetic, and the retry loop against a real server on 127.0.0.1 (RELIABILITY
// G1/G3/G5/G6/G7/G16). Retry timing runs on a shrunk clock (RetryPolicy::timeScale) so the
// suite stays fast while still measuring that waits really happen.

#include "app/google_api.h"
#include "fake_google_server.h"

#include <QElapsedTimer>
#include <QtTest>

#include <atomic>
#include <mutex>
#include <thread>

using namespace services;
using testing_support::FakeGoogleServer;
using testing_support::FakeReply;
using testing_support::FakeRequest;
using testing_support::googleFixture;

namespace {

RetryPolicy fastPolicy(int attempts)
{
    RetryPolicy p;
    p.maxAttempts = attempts;
    p.initialDelaySeconds = 1.0;
    p.maxDelaySeconds = 10.0;
    p.timeScale = 0.01;  // 10 ms, 20 ms ... : real waits, tiny ones
    return p;
}

HttpRequest quickRequest(const QString &url)
{
    HttpRequest r;
    r.method = "POST";
    r.url = url;
    r.body = "{}";
    r.connectTimeoutMs = 2000;
    r.totalTimeoutMs = 10000;
    r.lowSpeedSeconds = 5;
    return r;
}

FakeReply silent()
{
    FakeReply r;
    r.mode = FakeReply::Mode::Silent;
    return r;
}

}  // namespace

class TestGoogleApi : public QObject {
    Q_OBJECT

private:
    std::unique_ptr<FakeGoogleServer> server;

    void startServer(FakeGoogleServer::Handler handler)
    {
        server = std::make_unique<FakeGoogleServer>();
        QString error;
        QVERIFY2(server->start(&error), qPrintable(error));
        server->setHandler(std::move(handler));
    }

private slots:
    void cleanup() { server.reset(); }

    void backendNames()
    {
        GoogleBackendKind k = GoogleBackendKind::GeminiApi;
        QVERIFY(parseBackendKind(QStringLiteral("vertex"), &k));
        QCOMPARE(k, GoogleBackendKind::Vertex);
        QVERIFY(parseBackendKind(QStringLiteral("Gemini"), &k));
        QCOMPARE(k, GoogleBackendKind::GeminiApi);
        QVERIFY(!parseBackendKind(QStringLiteral("openai"), &k));
        QCOMPARE(backendKindName(GoogleBackendKind::Vertex), QStringLiteral("vertex"));
        QCOMPARE(backendKindName(GoogleBackendKind::GeminiApi), QStringLiteral("gemini"));
    }

    void defaultBaseUrls()
    {
        QCOMPARE(GoogleBackend::defaultBaseUrl(GoogleBackendKind::GeminiApi, {}),
                 QStringLiteral("https://generativelanguage.googleapis.com/v1beta/"));
        QCOMPARE(GoogleBackend::defaultBaseUrl(GoogleBackendKind::Vertex, QStringLiteral("global")),
                 QStringLiteral("https://aiplatform.googleapis.com/v1/"));
        QCOMPARE(GoogleBackend::defaultBaseUrl(GoogleBackendKind::Vertex, QStringLiteral("us")),
                 QStringLiteral("https://aiplatform.us.rep.googleapis.com/v1/"));
        QCOMPARE(GoogleBackend::defaultBaseUrl(GoogleBackendKind::Vertex, QStringLiteral("eu")),
                 QStringLiteral("https://aiplatform.eu.rep.googleapis.com/v1/"));
        QCOMPARE(GoogleBackend::defaultBaseUrl(GoogleBackendKind::Vertex, QStringLiteral("us-central1")),
                 QStringLiteral("https://us-central1-aiplatform.googleapis.com/v1/"));
    }

    void geminiFromEnvironment()
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("GEMINI_API_KEY"), QStringLiteral("AIzaTestKey0001"));
        GoogleBackend b = GoogleBackend::fromEnvironment(GoogleBackendKind::GeminiApi, env);
        QCOMPARE(b.kind, GoogleBackendKind::GeminiApi);
        QCOMPARE(b.apiKey, QStringLiteral("AIzaTestKey0001"));
        QCOMPARE(b.baseUrl, QStringLiteral("https://generativelanguage.googleapis.com/v1beta/"));
        QVERIFY(b.problem().isEmpty());
        QCOMPARE(b.modelUrl(QStringLiteral("gemini-2.5-flash-image"), QStringLiteral("generateContent")),
                 QStringLiteral("https://generativelanguage.googleapis.com/v1beta/models/gemini-2.5-flash-image:generateContent"));
        QCOMPARE(b.resourceUrl(QStringLiteral("models/veo-3.1-generate-preview/operations/abc123")),
                 QStringLiteral("https://generativelanguage.googleapis.com/v1beta/models/veo-3.1-generate-preview/operations/abc123"));
        QCOMPARE(b.authority(), QStringLiteral("generativelanguage.googleapis.com"));
        QCOMPARE(b.secrets(), QStringList{QStringLiteral("AIzaTestKey0001")});

        const HttpHeaders h = b.jsonHeaders();
        QVERIFY(h.contains(qMakePair(QByteArray("x-goog-api-key"), QByteArray("AIzaTestKey0001"))));
        QVERIFY(h.contains(qMakePair(QByteArray("content-type"), QByteArray("application/json"))));
        QCOMPARE(b.authHeaders().size(), 1);
        // The key travels in a header, never in the URL.
        QVERIFY(!b.modelUrl(QStringLiteral("m"), QStringLiteral("generateContent")).contains(b.apiKey));

        env.insert(QStringLiteral("CAMPAIGN_GEMINI_BASE_URL"), QStringLiteral("http://127.0.0.1:8931/v1beta"));
        b = GoogleBackend::fromEnvironment(GoogleBackendKind::GeminiApi, env);
        QCOMPARE(b.baseUrl, QStringLiteral("http://127.0.0.1:8931/v1beta/"));
        QCOMPARE(b.authority(), QStringLiteral("127.0.0.1:8931"));
        QVERIFY2(b.problem().isEmpty(), qPrintable(b.problem()));
        QCOMPARE(b.modelUrl(QStringLiteral("models/x"), QStringLiteral("generateContent")),
                 QStringLiteral("http://127.0.0.1:8931/v1beta/models/x:generateContent"));
    }

    void vertexFromEnvironment()
    {
        QProcessEnvironment env;
        env.insert(QStringLiteral("GOOGLE_CLOUD_ACCESS_TOKEN"), QStringLiteral("ya29.token-value"));
        env.insert(QStringLiteral("GOOGLE_CLOUD_PROJECT"), QStringLiteral("my-project"));
        GoogleBackend b = GoogleBackend::fromEnvironment(GoogleBackendKind::Vertex, env);
        QCOMPARE(b.location, QStringLiteral("us-central1"));
        QCOMPARE(b.baseUrl, QStringLiteral("https://us-central1-aiplatform.googleapis.com/v1/"));
        QVERIFY2(b.problem().isEmpty(), qPrintable(b.problem()));
        QCOMPARE(b.modelUrl(QStringLiteral("veo-3.1-generate-001"), QStringLiteral("predictLongRunning")),
                 QStringLiteral("https://us-central1-aiplatform.googleapis.com/v1/projects/my-project/locations/"
                                "us-central1/publishers/google/models/veo-3.1-generate-001:predictLongRunning"));
        const HttpHeaders h = b.jsonHeaders();
        QVERIFY(h.contains(qMakePair(QByteArray("authorization"), QByteArray("Bearer ya29.token-value"))));
        QVERIFY(h.contains(qMakePair(QByteArray("content-type"), QByteArray("application/json"))));
        QCOMPARE(b.secrets(), QStringList{QStringLiteral("ya29.token-value")});

        env.insert(QStringLiteral("GOOGLE_CLOUD_LOCATION"), QStringLiteral("global"));
        b = GoogleBackend::fromEnvironment(GoogleBackendKind::Vertex, env);
        QCOMPARE(b.baseUrl, QStringLiteral("https://aiplatform.googleapis.com/v1/"));
        QVERIFY(b.modelUrl(QStringLiteral("m"), QStringLiteral("generateContent")).contains(QLatin1String("/locations/global/")));

        env.insert(QStringLiteral("CAMPAIGN_VERTEX_BASE_URL"), QStringLiteral("http://localhost:9/v1"));
        b = GoogleBackend::fromEnvironment(GoogleBackendKind::Vertex, env);
        QCOMPARE(b.baseUrl, QStringLiteral("http://localhost:9/v1/"));
    }

    void problems()
    {
        QProcessEnvironment env;
        GoogleBackend g = GoogleBackend::fromEnvironment(GoogleBackendKind::GeminiApi, env);
        QVERIFY(g.problem().contains(QLatin1String("GEMINI_API_KEY")));

        GoogleBackend v = GoogleBackend::fromEnvironment(GoogleBackendKind::Vertex, env);
        QVERIFY(v.problem().contains(QLatin1String("GOOGLE_CLOUD_ACCESS_TOKEN")));
        v.accessToken = QStringLiteral("tok-1234");
        QVERIFY(v.problem().contains(QLatin1String("GOOGLE_CLOUD_PROJECT")));

        g.apiKey = QStringLiteral("key-1234");
        g.baseUrl = QStringLiteral("http://example.com/v1beta/");
        QVERIFY(g.problem().contains(QLatin1String("loopback")));
        QVERIFY(!g.problem().contains(g.apiKey));
        g.baseUrl = QStringLiteral("http://127.0.0.1:4000/v1beta/");
        QVERIFY(g.problem().isEmpty());
        g.baseUrl = QStringLiteral("ftp://example.com/");
        QVERIFY(!g.problem().isEmpty());
    }

    void parseFixtures_data()
    {
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("code");
        QTest::addColumn<QString>("status");
        QTest::addColumn<QString>("reason");
        QTest::addColumn<double>("retryDelay");
        QTest::newRow("400 key") << "400_api_key_invalid.json" << 400 << "INVALID_ARGUMENT" << "API_KEY_INVALID" << -1.0;
        QTest::newRow("400 arg") << "400_invalid_argument.json" << 400 << "INVALID_ARGUMENT" << "" << -1.0;
        QTest::newRow("401") << "401_unauthenticated.json" << 401 << "UNAUTHENTICATED" << "ACCESS_TOKEN_EXPIRED" << -1.0;
        QTest::newRow("403") << "403_permission_denied.json" << 403 << "PERMISSION_DENIED" << "" << -1.0;
        QTest::newRow("404") << "404_model_not_found.json" << 404 << "NOT_FOUND" << "" << -1.0;
        QTest::newRow("429") << "429_retry_info.json" << 429 << "RESOURCE_EXHAUSTED" << "" << 27.0;
        QTest::newRow("500") << "500_internal.json" << 500 << "INTERNAL" << "" << -1.0;
        QTest::newRow("503") << "503_unavailable.json" << 503 << "UNAVAILABLE" << "" << -1.0;
    }
    void parseFixtures()
    {
        QFETCH(QString, file);
        QFETCH(int, code);
        QFETCH(QString, status);
        QFETCH(QString, reason);
        QFETCH(double, retryDelay);
        const QByteArray body = googleFixture(QStringLiteral("errors/") + file);
        QVERIFY(!body.isEmpty());
        const GoogleApiError e = parseGoogleError(code, body);
        QCOMPARE(e.httpStatus, code);
        QCOMPARE(e.status, status);
        QCOMPARE(e.reason, reason);
        QCOMPARE(e.retryDelaySeconds, retryDelay);
        QVERIFY(!e.message.isEmpty());
        QVERIFY(!e.message.startsWith(QLatin1Char('{')));
        // With no HTTP status at hand the envelope's own code is used.
        QCOMPARE(parseGoogleError(0, body).httpStatus, code);
    }

    void parseOtherShapes()
    {
        const GoogleApiError arr = parseGoogleError(
            503, R"([{"error":{"code":503,"message":"overloaded","status":"UNAVAILABLE"}}])");
        QCOMPARE(arr.status, QStringLiteral("UNAVAILABLE"));
        QCOMPARE(arr.message, QStringLiteral("overloaded"));

        const GoogleApiError html = parseGoogleError(
            502, "<html><head><title>502 Bad Gateway</title><style>p{}</style></head>"
                 "<body><h1>Bad Gateway</h1><p>The proxy got no answer.</p></body></html>");
        QCOMPARE(html.httpStatus, 502);
        QVERIFY(html.status.isEmpty());
        QVERIFY2(html.message.contains(QLatin1String("Bad Gateway")), qPrintable(html.message));
        QVERIFY(!html.message.contains(QLatin1Char('<')));
        QVERIFY(!html.message.contains(QLatin1String("p{}")));

        const GoogleApiError longText = parseGoogleError(500, QByteArray(5000, 'x'));
        QVERIFY(longText.message.size() <= 301);

        const GoogleApiError tagsOnly = parseGoogleError(500, "<br><br>");
        QVERIFY(tagsOnly.message.contains(QLatin1String("non-JSON response (8 bytes)")));

        const GoogleApiError fractional = parseGoogleError(
            429, R"({"error":{"code":429,"status":"RESOURCE_EXHAUSTED","details":[)"
                 R"({"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"34.4s"}]}})");
        QCOMPARE(fractional.retryDelaySeconds, 34.4);

        const GoogleApiError bad = parseGoogleError(429, R"({"error":{"details":[)"
                                                         R"({"@type":"type.googleapis.com/google.rpc.RetryInfo","retryDelay":"soon"}]}})");
        QCOMPARE(bad.retryDelaySeconds, -1.0);

        QVERIFY(parseGoogleError(404, QByteArray()).message.isEmpty());
    }

    void kindNames()
    {
        QCOMPARE(failureKindName(FailureKind::Network), QStringLiteral("network"));
        QCOMPARE(failureKindName(FailureKind::Quota), QStringLiteral("quota"));
        QVERIFY(isTemporaryFailure(FailureKind::Network));
        QVERIFY(isTemporaryFailure(FailureKind::Quota));
        QVERIFY(isTemporaryFailure(FailureKind::ServerError));
        QVERIFY(isTemporaryFailure(FailureKind::Timeout));
        QVERIFY(!isTemporaryFailure(FailureKind::Auth));
        QVERIFY(!isTemporaryFailure(FailureKind::Blocked));
        QVERIFY(!isTemporaryFailure(FailureKind::None));
    }

    void backoffMath()
    {
        RetryPolicy p;
        p.initialDelaySeconds = 2;
        p.multiplier = 2;
        p.maxDelaySeconds = 60;
        p.jitterFraction = 0.5;
        // r = 0.5 means no jitter: the bare exponential curve, capped.
        QCOMPARE(backoffDelaySeconds(p, 1, 0.5), 2.0);
        QCOMPARE(backoffDelaySeconds(p, 2, 0.5), 4.0);
        QCOMPARE(backoffDelaySeconds(p, 3, 0.5), 8.0);
        QCOMPARE(backoffDelaySeconds(p, 6, 0.5), 60.0);
        QCOMPARE(backoffDelaySeconds(p, 500, 0.5), 60.0);
        double previous = 0;
        for (int a = 1; a <= 10; ++a) {
            const double d = backoffDelaySeconds(p, a, 0.5);
            QVERIFY(d >= previous);
            previous = d;
        }
        // Jitter stays within ±50 % and never breaks the cap.
        QCOMPARE(backoffDelaySeconds(p, 2, 0.0), 2.0);
        QVERIFY(qAbs(backoffDelaySeconds(p, 2, 0.999999) - 6.0) < 1e-3);
        for (int i = 0; i <= 20; ++i) {
            const double r = i / 20.0;
            const double d = backoffDelaySeconds(p, 3, r);
            QVERIFY(d >= 4.0 - 1e-9 && d <= 12.0 + 1e-9);
            QVERIFY(backoffDelaySeconds(p, 8, r) <= 60.0);
        }
        p.timeScale = 0.1;
        QCOMPARE(backoffDelaySeconds(p, 3, 0.5), 0.8);
    }

    void serverDelays()
    {
        RetryPolicy p;
        p.maxDelaySeconds = 60;
        HttpResponse r;
        GoogleApiError e;
        QCOMPARE(serverRetryDelaySeconds(r, e, p), -1.0);
        e.retryDelaySeconds = 27;
        QCOMPARE(serverRetryDelaySeconds(r, e, p), 27.0);
        r.headers = {{"retry-after", "7"}};
        QCOMPARE(serverRetryDelaySeconds(r, e, p), 7.0);  // the header wins over the body
        r.headers = {{"retry-after", "3600"}};
        QCOMPARE(serverRetryDelaySeconds(r, e, p), 60.0);  // capped
        p.timeScale = 0.5;
        r.headers = {{"retry-after", "10"}};
        QCOMPARE(serverRetryDelaySeconds(r, e, p), 5.0);
        p.timeScale = 1;
        const QString date = QDateTime::currentDateTimeUtc().addSecs(20).toString(Qt::RFC2822Date);
        r.headers = {{"retry-after", date.toLatin1()}};
        const double fromDate = serverRetryDelaySeconds(r, GoogleApiError{}, p);
        QVERIFY2(fromDate > 17 && fromDate <= 20.5, qPrintable(QString::number(fromDate)));
        r.headers = {{"retry-after", "whenever"}};
        QCOMPARE(serverRetryDelaySeconds(r, GoogleApiError{}, p), -1.0);
    }

    void retryAfterHonoured()  // G5
    {
        std::atomic<int> n{0};
        startServer([&n](const FakeRequest &) {
            if (++n == 1) {
                FakeReply r = FakeReply::json(429, googleFixture(QStringLiteral("errors/429_retry_info.json")));
                r.headers.append(qMakePair(QByteArray("Retry-After"), QByteArray("1")));
                return r;
            }
            return FakeReply::json(200, R"({"candidates":[]})");
        });
        HttpClient client;
        RetryPolicy p = fastPolicy(5);
        p.timeScale = 0.2;
        QList<RetryNotice> notices;
        QElapsedTimer timer;
        timer.start();
        const CallResult res = sendWithRetry(client, quickRequest(server->baseUrl()), RetryMode::Idempotent, p,
                                             QStringLiteral("image generation"),
                                             [&](const RetryNotice &n) { notices.append(n); }, nullptr);
        const qint64 elapsed = timer.elapsed();
        QCOMPARE(res.failure, FailureKind::None);
        QVERIFY(res.message.isEmpty());
        QCOMPARE(res.response.status, 200);
        QCOMPARE(res.attempts, 2);
        QCOMPARE(res.billedAttempts, 2);
        QCOMPARE(server->requestCount(), 2);
        // Retry-After: 1 (not the body's 27 s) on a 0.2 clock: 200 ms.
        QVERIFY2(elapsed >= 190 && elapsed < 3000, qPrintable(QString::number(elapsed)));
        QCOMPARE(notices.size(), 1);
        QCOMPARE(notices.first().attempt, 1);
        QCOMPARE(notices.first().maxAttempts, 5);
        QVERIFY(qAbs(notices.first().waitSeconds - 0.2) < 1e-6);
        QVERIFY(notices.first().reason.contains(QLatin1String("429")));
    }

    void serverErrorsExhaustAttempts()  // G6
    {
        startServer([](const FakeRequest &) {
            return FakeReply::json(503, googleFixture(QStringLiteral("errors/503_unavailable.json")));
        });
        HttpClient client;
        int notices = 0;
        const CallResult res = sendWithRetry(client, quickRequest(server->baseUrl()), RetryMode::Idempotent,
                                             fastPolicy(3), QStringLiteral("image generation"),
                                             [&](const RetryNotice &) { ++notices; }, nullptr);
        QCOMPARE(res.failure, FailureKind::ServerError);
        QCOMPARE(res.attempts, 3);
        QCOMPARE(res.billedAttempts, 3);
        QCOMPARE(server->requestCount(), 3);
        QCOMPARE(notices, 2);  // before each wait, not after the last attempt
        QCOMPARE(res.apiError.status, QStringLiteral("UNAVAILABLE"));
        QVERIFY2(res.message.contains(QLatin1String("503")), qPrintable(res.message));
        QVERIFY(res.message.contains(QLatin1String("overloaded")));
    }

    // Every temporary status of generation-api.md is retried, not only 503: the second
    // attempt succeeds and the caller is told once before waiting.
    void transientStatusesAreRetried_data()
    {
        QTest::addColumn<int>("status");
        for (const int status : {408, 500, 502, 504})
            QTest::newRow(qPrintable(QString::number(status))) << status;
    }
    void transientStatusesAreRetried()  // G6
    {
        QFETCH(int, status);
        std::atomic<int> n{0};
        startServer([&n, status](const FakeRequest &) {
            if (++n == 1)
                return FakeReply::json(status, R"({"error":{"code":)" + QByteArray::number(status)
                                                   + R"(,"message":"try again","status":"X"}})");
            return FakeReply::json(200, R"({"candidates":[]})");
        });
        HttpClient client;
        int notices = 0;
        const CallResult res = sendWithRetry(client, quickRequest(server->baseUrl()), RetryMode::Idempotent,
                                             fastPolicy(3), QStringLiteral("image generation"),
                                             [&](const RetryNotice &) { ++notices; }, nullptr);
        QCOMPARE(res.failure, FailureKind::None);
        QCOMPARE(res.response.status, 200);
        QCOMPARE(res.attempts, 2);
        QCOMPARE(server->requestCount(), 2);
        QCOMPARE(notices, 1);
    }

    // G9: a 200 whose body stops short of its Content-Length is a transport failure, and an
    // idempotent call sends again instead of handing half a JSON document to the parser.
    void truncatedBodyIsRetried()
    {
        std::atomic<int> n{0};
        startServer([&n](const FakeRequest &) {
            FakeReply r = FakeReply::json(200, R"({"candidates":[]})");
            if (++n == 1)
                r.mode = FakeReply::Mode::ShortBody;
            return r;
        });
        HttpClient client;
        const CallResult res = sendWithRetry(client, quickRequest(server->baseUrl()), RetryMode::Idempotent,
                                             fastPolicy(3), QStringLiteral("image generation"), {}, nullptr);
        QCOMPARE(res.failure, FailureKind::None);
        QCOMPARE(res.response.status, 200);
        QCOMPARE(res.response.body, QByteArray(R"({"candidates":[]})"));
        QCOMPARE(res.attempts, 2);
        QCOMPARE(server->requestCount(), 2);
    }

    void quotaExhausted()
    {
        startServer([](const FakeRequest &) {
            return FakeReply::json(429, R"({"error":{"code":429,"message":"Resource has been exhausted.","status":"RESOURCE_EXHAUSTED"}})");
        });
        HttpClient client;
        const CallResult res = sendWithRetry(client, quickRequest(server->baseUrl()), RetryMode::SubmitOnce,
                                             fastPolicy(2), QStringLiteral("video submission"), {}, nullptr);
        QCOMPARE(res.failure, FailureKind::Quota);
        QCOMPARE(server->requestCount(), 2);  // a clean 429 is safe to re-send even for Veo
        QVERIFY2(res.message.contains(QLatin1String("Quota exhausted (HTTP 429 RESOURCE_EXHAUSTED)")), qPrintable(res.message));
        QVERIFY(res.message.contains(QLatin1String("Gave up after 2 attempts.")));
        QVERIFY(res.message.endsWith(QLatin1String("The service said: \"Resource has been exhausted.\"")));
    }

    void noRetryForClientErrors_data()
    {
        QTest::addColumn<int>("status");
        QTest::addColumn<QString>("file");
        QTest::addColumn<int>("kind");
        QTest::newRow("400") << 400 << "400_invalid_argument.json" << int(FailureKind::BadRequest);
        QTest::newRow("400 key") << 400 << "400_api_key_invalid.json" << int(FailureKind::Auth);
        QTest::newRow("401") << 401 << "401_unauthenticated.json" << int(FailureKind::Auth);
        QTest::newRow("403") << 403 << "403_permission_denied.json" << int(FailureKind::Auth);
        QTest::newRow("404") << 404 << "404_model_not_found.json" << int(FailureKind::NotFound);
        QTest::newRow("402") << 402 << "" << int(FailureKind::Quota);
        QTest::newRow("409") << 409 << "" << int(FailureKind::BadRequest);
    }
    void noRetryForClientErrors()  // G7
    {
        QFETCH(int, status);
        QFETCH(QString, file);
        QFETCH(int, kind);
        const QByteArray body = file.isEmpty() ? QByteArray("{}") : googleFixture(QStringLiteral("errors/") + file);
        startServer([status, body](const FakeRequest &) { return FakeReply::json(status, body); });
        HttpClient client;
        int notices = 0;
        const CallResult res = sendWithRetry(client, quickRequest(server->baseUrl()), RetryMode::Idempotent,
                                             fastPolicy(5), QStringLiteral("image generation"),
                                             [&](const RetryNotice &) { ++notices; }, nullptr);
        QCOMPARE(int(res.failure), kind);
        QCOMPARE(server->requestCount(), 1);
        QCOMPARE(res.attempts, 1);
        QCOMPARE(res.billedAttempts, 1);
        QCOMPARE(notices, 0);
        QCOMPARE(res.response.status, status);
        QVERIFY(!res.message.isEmpty());
    }

    void submitOnceDoesNotResendAfterTimeout()  // G3 on a Veo submission
    {
        startServer([](const FakeRequest &) { return silent(); });
        HttpClient client;
        HttpRequest req = quickRequest(server->baseUrl());
        req.totalTimeoutMs = 300;
        const CallResult res = sendWithRetry(client, req, RetryMode::SubmitOnce, fastPolicy(4),
                                             QStringLiteral("video submission"), {}, nullptr);
        QCOMPARE(res.failure, FailureKind::Network);
        QCOMPARE(res.response.error, HttpResponse::Error::Timeout);
        QCOMPARE(server->requestCount(), 1);
        QCOMPARE(res.attempts, 1);
        QCOMPARE(res.billedAttempts, 1);
        QVERIFY2(res.message.contains(QLatin1String("did not respond")), qPrintable(res.message));
    }

    void idempotentResendsAfterTimeout()
    {
        startServer([](const FakeRequest &) { return silent(); });
        HttpClient client;
        HttpRequest req = quickRequest(server->baseUrl());
        req.totalTimeoutMs = 300;
        const CallResult res = sendWithRetry(client, req, RetryMode::Idempotent, fastPolicy(2),
                                             QStringLiteral("operation poll"), {}, nullptr);
        QCOMPARE(res.failure, FailureKind::Network);
        QCOMPARE(server->requestCount(), 2);
        QCOMPARE(res.attempts, 2);
        QCOMPARE(res.billedAttempts, 2);
    }

    void submitOnceRetriesRefusedConnection()  // G1: nothing left the machine
    {
        startServer({});
        const int port = server->port();
        server->stop();
        HttpClient client;
        int notices = 0;
        const CallResult res = sendWithRetry(client, quickRequest(QStringLiteral("http://127.0.0.1:%1/").arg(port)),
                                             RetryMode::SubmitOnce, fastPolicy(3), QStringLiteral("video submission"),
                                             [&](const RetryNotice &n) {
                                                 ++notices;
                                                 QCOMPARE(n.reason, QStringLiteral("connection refused"));
                                             }, nullptr);
        QCOMPARE(res.failure, FailureKind::Network);
        QCOMPARE(res.attempts, 3);
        QCOMPARE(res.billedAttempts, 0);
        QCOMPARE(notices, 2);
        QVERIFY2(res.message.contains(QLatin1String("Can't reach the generation service")), qPrintable(res.message));
        QVERIFY(isTemporaryFailure(res.failure));
    }

    void cancelDuringBackoff()  // G16
    {
        startServer([](const FakeRequest &) {
            FakeReply r = FakeReply::json(503, googleFixture(QStringLiteral("errors/503_unavailable.json")));
            r.headers.append(qMakePair(QByteArray("retry-after"), QByteArray("30")));
            return r;
        });
        HttpClient client;
        std::atomic<bool> cancel{false};
        RetryPolicy p = fastPolicy(5);
        p.timeScale = 1.0;  // a real 30 s wait: only the cancel can end it in time
        std::thread canceller([&cancel] {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            cancel = true;
        });
        QElapsedTimer timer;
        timer.start();
        const CallResult res = sendWithRetry(client, quickRequest(server->baseUrl()), RetryMode::Idempotent, p,
                                             QStringLiteral("image generation"), {}, &cancel);
        canceller.join();
        QCOMPARE(res.failure, FailureKind::Cancelled);
        QVERIFY2(timer.elapsed() < 1500, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(server->requestCount(), 1);
        QCOMPARE(res.billedAttempts, 1);
        QVERIFY(!isTemporaryFailure(res.failure));
    }

    void tooLargeAndInsecureAreFinal()
    {
        startServer([](const FakeRequest &) {
            FakeReply r = FakeReply::json(200, QByteArray(4096, 'x'));
            r.mode = FakeReply::Mode::DeclareHuge;
            return r;
        });
        HttpClient client;
        HttpRequest req = quickRequest(server->baseUrl());
        req.maxResponseBytes = 64 * 1024;
        CallResult res = sendWithRetry(client, req, RetryMode::Idempotent, fastPolicy(3),
                                       QStringLiteral("video download"), {}, nullptr);
        QCOMPARE(res.failure, FailureKind::TooLarge);
        QCOMPARE(server->requestCount(), 1);
        QVERIFY(res.message.contains(QLatin1String("Response too large")));

        res = sendWithRetry(client, quickRequest(QStringLiteral("http://example.com/v1beta/")), RetryMode::Idempotent,
                            fastPolicy(3), QStringLiteral("image generation"), {}, nullptr);
        QCOMPARE(res.failure, FailureKind::Insecure);
        QCOMPARE(res.attempts, 1);
        QCOMPARE(res.billedAttempts, 0);
        QVERIFY(res.message.contains(QLatin1String("loopback")));

        res = sendWithRetry(client, quickRequest(QStringLiteral("https://127.0.0.1:%1/").arg(server->port())),
                            RetryMode::Idempotent, fastPolicy(3), QStringLiteral("image generation"), {}, nullptr);
        QCOMPARE(res.failure, FailureKind::Insecure);
        QCOMPARE(res.attempts, 1);
        QVERIFY(res.message.startsWith(QLatin1String("Secure connection failed")));
    }

    void authMessageNeverShowsTheKey()
    {
        const QString key = QStringLiteral("AIzaSyTHIS-IS-THE-SECRET-KEY");
        startServer([](const FakeRequest &) {
            return FakeReply::json(403, googleFixture(QStringLiteral("errors/403_permission_denied.json")));
        });
        GoogleBackend b;
        b.apiKey = key;
        b.baseUrl = server->baseUrl() + QStringLiteral("v1beta/");
        QVERIFY(b.problem().isEmpty());
        HttpRequest req = quickRequest(b.modelUrl(QStringLiteral("gemini-2.5-flash-image"), QStringLiteral("generateContent")));
        req.headers = b.jsonHeaders();
        HttpClient client;
        const CallResult res = sendWithRetry(client, req, RetryMode::Idempotent, fastPolicy(3),
                                             QStringLiteral("image generation"), {}, nullptr);
        QCOMPARE(res.failure, FailureKind::Auth);
        QVERIFY(!res.message.contains(key));
        QVERIFY2(res.message.contains(QLatin1String("HTTP 403 PERMISSION_DENIED")), qPrintable(res.message));
        QVERIFY(res.message.contains(QLatin1String("Settings")));
        QVERIFY(res.message.contains(QLatin1String("GEMINI_API_KEY")));
        // The key went out as a header and nowhere else.
        const FakeRequest got = server->requests().first();
        QCOMPARE(got.header("x-goog-api-key"), key.toUtf8());
        QVERIFY(!got.path.contains(key.toUtf8()));
        QCOMPARE(got.path, QByteArray("/v1beta/models/gemini-2.5-flash-image:generateContent"));
    }

    void messagesNameTheFix()
    {
        HttpResponse resp;
        resp.status = 404;
        GoogleApiError e = parseGoogleError(404, googleFixture(QStringLiteral("errors/404_model_not_found.json")));
        const QString notFound = failureMessage(FailureKind::NotFound, e, resp, QStringLiteral("image generation"),
                                                QStringLiteral("gemini-2.0-flash-preview-image-generation"));
        QVERIFY(notFound.startsWith(QLatin1String(
            "The model \"gemini-2.0-flash-preview-image-generation\" is retired or not available on this back end (HTTP 404).")));
        QVERIFY(notFound.contains(QLatin1String("--model")));

        HttpResponse refused;
        refused.error = HttpResponse::Error::CouldNotConnect;
        QVERIFY(failureMessage(FailureKind::Network, {}, refused, {}, {})
                    .contains(QLatin1String("offline generator")));
        HttpResponse timedOut;
        timedOut.error = HttpResponse::Error::Timeout;
        QVERIFY(failureMessage(FailureKind::Network, {}, timedOut, {}, {})
                    .contains(QLatin1String("did not respond")));
        QCOMPARE(failureMessage(FailureKind::None, {}, {}, {}, {}), QString());
        QVERIFY(failureMessage(FailureKind::Unexpected, {}, {}, {}, {})
                    .startsWith(QLatin1String("Unexpected response from the service")));
    }

    void redaction()
    {
        const QStringList secrets{QStringLiteral("AIzaSECRET"), QStringLiteral("ya29.tok"), QString(),
                                  QStringLiteral("ab")};
        const QString text = QStringLiteral("key=AIzaSECRET token ya29.tok again AIzaSECRET; about ab");
        const QString out = redactSecrets(text, secrets);
        QCOMPARE(out, QStringLiteral("key=[redacted] token [redacted] again [redacted]; about ab"));
        const QByteArray bytes = redactSecrets(text.toUtf8(), secrets);
        QCOMPARE(bytes, out.toUtf8());
        QCOMPARE(redactSecrets(text, {}), text);
    }
};

QTEST_GUILESS_MAIN(TestGoogleApi)
#include "tst_google_api.moc"
