// SPDX-License-Identifier: GPL-3.0-or-later
// HttpClient (libcurl) against a real HTTP server on 127.0.0.1 that misbehaves on request:
// each G row of RELIABILITY.md that lives at the transport level gets a test here. Every test
// bounds its own time (short curl timeouts) and checks the elapsed time too, because "fails
// eventually" is not the promise; "fails quickly and says why" is.

#include "app/http_client.h"
#include "fake_google_server.h"

#include <QElapsedTimer>
#include <QFile>
#include <QFileInfo>
#include <QTemporaryDir>
#include <QtTest>

#include <atomic>
#include <thread>

using namespace services;
using testing_support::FakeGoogleServer;
using testing_support::FakeReply;
using testing_support::FakeRequest;

namespace {

// Short limits for every request so a regression fails the test instead of hanging it.
HttpRequest quickRequest(const QString &url)
{
    HttpRequest r;
    r.url = url;
    r.connectTimeoutMs = 2000;
    r.totalTimeoutMs = 15000;
    r.lowSpeedSeconds = 5;
    return r;
}

}  // namespace

class TestHttpClient : public QObject {
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

    void loopbackAndSchemeRules()
    {
        QVERIFY(isLoopbackHost(QStringLiteral("localhost")));
        QVERIFY(isLoopbackHost(QStringLiteral("127.0.0.1")));
        QVERIFY(isLoopbackHost(QStringLiteral("127.10.20.30")));
        QVERIFY(isLoopbackHost(QStringLiteral("::1")));
        QVERIFY(isLoopbackHost(QStringLiteral("[::1]")));
        QVERIFY(!isLoopbackHost(QStringLiteral("127.0.0.1.example.com")));
        QVERIFY(!isLoopbackHost(QStringLiteral("128.0.0.1")));
        QVERIFY(!isLoopbackHost(QStringLiteral("example.com")));
        QVERIFY(!isLoopbackHost(QStringLiteral("127.0.0.256")));

        QVERIFY(insecureUrlReason(QStringLiteral("https://generativelanguage.googleapis.com/v1beta/")).isEmpty());
        QVERIFY(insecureUrlReason(QStringLiteral("http://127.0.0.1:8080/v1beta/")).isEmpty());
        QVERIFY(insecureUrlReason(QStringLiteral("http://localhost/")).isEmpty());
        QVERIFY(insecureUrlReason(QStringLiteral("http://[::1]:9/")).isEmpty());
        const QString plain = insecureUrlReason(QStringLiteral("http://example.com/v1beta/?key=abc"));
        QVERIFY(plain.contains(QLatin1String("loopback")));
        QVERIFY(!plain.contains(QLatin1String("key=abc")));
        QVERIFY(!insecureUrlReason(QStringLiteral("ftp://example.com/file")).isEmpty());
        QVERIFY(!insecureUrlReason(QStringLiteral("file:///etc/passwd")).isEmpty());
        QVERIFY(!insecureUrlReason(QString()).isEmpty());
        QVERIFY(!insecureUrlReason(QStringLiteral("not a url")).isEmpty());
    }

    void plainJsonAndLowerCaseHeaders()
    {
        startServer([](const FakeRequest &) {
            FakeReply r = FakeReply::json(200, R"({"ok":true})");
            r.headers.append(qMakePair(QByteArray("X-Goog-Trace"), QByteArray("Abc")));
            return r;
        });
        HttpClient client;
        HttpRequest req = quickRequest(server->baseUrl() + QStringLiteral("v1beta/models/m:generateContent"));
        req.method = "POST";
        req.body = R"({"contents":[]})";
        req.headers = {{"Content-Type", "application/json"}, {"x-goog-api-key", "test-key-1234"}};
        const HttpResponse resp = client.send(req);
        QCOMPARE(resp.error, HttpResponse::Error::None);
        QVERIFY(resp.ok());
        QCOMPARE(resp.status, 200);
        QCOMPARE(resp.body, QByteArray(R"({"ok":true})"));
        QCOMPARE(resp.bodyBytes, qint64(resp.body.size()));
        QCOMPARE(resp.header("x-goog-trace"), QByteArray("Abc"));
        QCOMPARE(resp.header("content-type"), QByteArray("application/json; charset=UTF-8"));
        QVERIFY(resp.header("X-Goog-Trace").isEmpty());  // names are stored lower-case only
        QVERIFY(resp.requestSent);

        QCOMPARE(server->requestCount(), 1);
        const FakeRequest got = server->requests().first();
        QCOMPARE(got.method, QByteArray("POST"));
        QCOMPARE(got.path, QByteArray("/v1beta/models/m:generateContent"));
        QCOMPARE(got.body, QByteArray(R"({"contents":[]})"));
        QCOMPARE(got.header("x-goog-api-key"), QByteArray("test-key-1234"));
        QVERIFY(got.header("expect").isEmpty());  // no 100-continue round trip
    }

    void oneClientManyRequests()
    {
        std::atomic<int> n{0};
        startServer([&n](const FakeRequest &) {
            return FakeReply::json(200, QByteArray::number(++n));
        });
        HttpClient client;
        for (int i = 1; i <= 3; ++i) {
            const HttpResponse resp = client.send(quickRequest(server->baseUrl() + QStringLiteral("x")));
            QVERIFY2(resp.ok(), qPrintable(resp.errorText));
            QCOMPARE(resp.body, QByteArray::number(i));
        }
        QCOMPARE(server->requestCount(), 3);
    }

    void refusedConnection()  // G1
    {
        startServer([](const FakeRequest &) { return FakeReply::json(200, "{}"); });
        HttpClient client;
        // A successful exchange first: the reused handle must not carry its "sent" state over.
        QVERIFY(client.send(quickRequest(server->baseUrl())).requestSent);
        const int port = server->port();
        server->stop();  // nothing listens there any more
        QElapsedTimer timer;
        timer.start();
        const HttpResponse resp = client.send(
            quickRequest(QStringLiteral("http://127.0.0.1:%1/v1beta/models?key=SECRETQUERY").arg(port)));
        QCOMPARE(resp.error, HttpResponse::Error::CouldNotConnect);
        QVERIFY(!resp.requestSent);
        QCOMPARE(resp.status, 0);
        QVERIFY(!resp.errorText.isEmpty());
        QVERIFY(!resp.errorText.contains(QLatin1String("SECRETQUERY")));
        QVERIFY(timer.elapsed() < 2000);
        QCOMPARE(describeHttpError(resp.error), QStringLiteral("connection refused"));
    }

    void silenceTimesOut()  // G3
    {
        startServer([](const FakeRequest &) {
            FakeReply r;
            r.mode = FakeReply::Mode::Silent;
            return r;
        });
        HttpClient client;
        HttpRequest req = quickRequest(server->baseUrl() + QStringLiteral("silent"));
        req.lowSpeedSeconds = 1;
        QElapsedTimer timer;
        timer.start();
        const HttpResponse resp = client.send(req);
        QCOMPARE(resp.error, HttpResponse::Error::Timeout);
        QVERIFY(resp.requestSent);  // the request went out; only the answer is missing
        QCOMPARE(resp.status, 0);
        QVERIFY2(timer.elapsed() >= 800 && timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
        QCOMPARE(server->requestCount(), 1);
    }

    void totalTimeout()
    {
        startServer([](const FakeRequest &) {
            FakeReply r;
            r.mode = FakeReply::Mode::Silent;
            return r;
        });
        HttpClient client;
        HttpRequest req = quickRequest(server->baseUrl());
        req.totalTimeoutMs = 400;
        req.lowSpeedSeconds = 30;
        QElapsedTimer timer;
        timer.start();
        const HttpResponse resp = client.send(req);
        QCOMPARE(resp.error, HttpResponse::Error::Timeout);
        QVERIFY2(timer.elapsed() < 2500, qPrintable(QString::number(timer.elapsed())));
    }

    void slowDripTimesOut()  // G4
    {
        startServer([](const FakeRequest &) {
            FakeReply r = FakeReply::json(200, QByteArray(200, 'x'));
            r.mode = FakeReply::Mode::Drip;
            r.dripIntervalMs = 300;  // ~3 bytes/s, far below the 100 bytes/s floor below
            return r;
        });
        HttpClient client;
        HttpRequest req = quickRequest(server->baseUrl());
        req.lowSpeedBytesPerSec = 100;
        req.lowSpeedSeconds = 1;
        QElapsedTimer timer;
        timer.start();
        const HttpResponse resp = client.send(req);
        QCOMPARE(resp.error, HttpResponse::Error::Timeout);
        QCOMPARE(resp.status, 200);  // the head arrived, the body never finished
        QVERIFY(resp.bodyBytes < 200);
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    }

    void shortBodyIsTruncated()  // G9
    {
        startServer([](const FakeRequest &) {
            FakeReply r = FakeReply::json(200, QByteArray(500, 'a'));
            r.mode = FakeReply::Mode::ShortBody;
            return r;
        });
        HttpClient client;
        const HttpResponse resp = client.send(quickRequest(server->baseUrl()));
        QCOMPARE(resp.error, HttpResponse::Error::Truncated);
        QVERIFY(!resp.ok());
        QVERIFY(resp.requestSent);
        QCOMPARE(resp.status, 200);
    }

    void closeWithoutAnswer()
    {
        startServer([](const FakeRequest &) {
            FakeReply r;
            r.mode = FakeReply::Mode::CloseAtOnce;
            return r;
        });
        HttpClient client;
        const HttpResponse resp = client.send(quickRequest(server->baseUrl()));
        QCOMPARE(resp.error, HttpResponse::Error::Truncated);
        QVERIFY(resp.requestSent);  // it may have been accepted before the peer hung up
        QCOMPARE(resp.status, 0);
    }

    void declaredHugeIsRefused()  // G11, lying Content-Length
    {
        startServer([](const FakeRequest &) {
            FakeReply r = FakeReply::json(200, QByteArray(1000, 'z'));
            r.mode = FakeReply::Mode::DeclareHuge;
            return r;
        });
        HttpClient client;
        HttpRequest req = quickRequest(server->baseUrl());
        req.maxResponseBytes = qint64(1) << 20;
        QElapsedTimer timer;
        timer.start();
        const HttpResponse resp = client.send(req);
        QCOMPARE(resp.error, HttpResponse::Error::TooLarge);
        QVERIFY(resp.body.size() <= req.maxResponseBytes);
        QVERIFY2(timer.elapsed() < 3000, qPrintable(QString::number(timer.elapsed())));
    }

    void endlessChunkedIsCapped()  // G11, no declared length at all
    {
        startServer([](const FakeRequest &) {
            FakeReply r = FakeReply::json(200, QByteArray(16 * 1024, 'c'));
            r.mode = FakeReply::Mode::Chunked;
            r.chunkCount = 0;  // never ends
            return r;
        });
        HttpClient client;
        HttpRequest req = quickRequest(server->baseUrl());
        req.maxResponseBytes = qint64(1) << 20;
        QElapsedTimer timer;
        timer.start();
        const HttpResponse resp = client.send(req);
        QCOMPARE(resp.error, HttpResponse::Error::TooLarge);
        QVERIFY(resp.body.size() <= req.maxResponseBytes);
        QVERIFY(resp.body.size() > 512 * 1024);  // it did read up to the cap, not stop early
        QVERIFY2(timer.elapsed() < 5000, qPrintable(QString::number(timer.elapsed())));
    }

    void finiteChunkedIsWhole()
    {
        startServer([](const FakeRequest &) {
            FakeReply r = FakeReply::json(200, "abc");
            r.mode = FakeReply::Mode::Chunked;
            r.chunkCount = 4;
            return r;
        });
        HttpClient client;
        const HttpResponse resp = client.send(quickRequest(server->baseUrl()));
        QVERIFY2(resp.ok(), qPrintable(resp.errorText));
        QCOMPARE(resp.body, QByteArray("abcabcabcabc"));
    }

    void redirectIsNotFollowed()  // G14 groundwork: the caller decides
    {
        startServer([](const FakeRequest &) {
            return FakeReply::redirect("http://127.0.0.1:9/elsewhere/video.mp4");
        });
        HttpClient client;
        const HttpResponse resp = client.send(quickRequest(server->baseUrl() + QStringLiteral("files/x:download")));
        QCOMPARE(resp.error, HttpResponse::Error::None);
        QCOMPARE(resp.status, 302);
        QVERIFY(!resp.ok());
        QCOMPARE(resp.header("location"), QByteArray("http://127.0.0.1:9/elsewhere/video.mp4"));
        QCOMPARE(server->requestCount(), 1);
    }

    void plainHttpToRemoteHostIsRefused()  // G15 downgrade
    {
        HttpClient client;
        QElapsedTimer timer;
        timer.start();
        HttpRequest req = quickRequest(QStringLiteral("http://example.com/v1beta/models"));
        req.headers = {{"x-goog-api-key", "must-never-leave"}};
        const HttpResponse resp = client.send(req);
        QCOMPARE(resp.error, HttpResponse::Error::InsecureUrl);
        QVERIFY(!resp.requestSent);
        QCOMPARE(resp.status, 0);
        QVERIFY(resp.errorText.contains(QLatin1String("loopback")));
        QVERIFY(timer.elapsed() < 500);  // refused before any DNS lookup or connect
    }

    void tlsAgainstPlainServerFails()  // G15
    {
        startServer({});
        HttpClient client;
        const HttpResponse resp = client.send(quickRequest(QStringLiteral("https://127.0.0.1:%1/v1beta/").arg(server->port())));
        QCOMPARE(resp.error, HttpResponse::Error::Tls);
        QVERIFY(!resp.requestSent);
        QCOMPARE(server->requestCount(), 0);  // the server saw a handshake, not a request
    }

    void cancelWhileWaiting()  // G16
    {
        startServer([](const FakeRequest &) {
            FakeReply r;
            r.mode = FakeReply::Mode::Silent;
            return r;
        });
        HttpClient client;
        std::atomic<bool> cancel{false};
        std::thread canceller([&cancel] {
            std::this_thread::sleep_for(std::chrono::milliseconds(200));
            cancel = true;
        });
        QElapsedTimer timer;
        timer.start();
        const HttpResponse resp = client.send(quickRequest(server->baseUrl()), &cancel);
        canceller.join();
        QCOMPARE(resp.error, HttpResponse::Error::Cancelled);
        QVERIFY2(timer.elapsed() >= 150 && timer.elapsed() < 2000, qPrintable(QString::number(timer.elapsed())));
    }

    void cancelledBeforeStart()
    {
        startServer({});
        HttpClient client;
        std::atomic<bool> cancel{true};
        const HttpResponse resp = client.send(quickRequest(server->baseUrl()), &cancel);
        QCOMPARE(resp.error, HttpResponse::Error::Cancelled);
        QVERIFY(!resp.requestSent);
        QCOMPARE(server->requestCount(), 0);
    }

    void bodyFileStreams()
    {
        QByteArray payload(300 * 1024, '\0');
        for (int i = 0; i < payload.size(); ++i)
            payload[i] = char(i * 7);
        startServer([payload](const FakeRequest &) {
            FakeReply r;
            r.headers = {{"content-type", "video/mp4"}};
            r.body = payload;
            return r;
        });
        QTemporaryDir dir;
        QVERIFY(dir.isValid());
        HttpClient client;
        HttpRequest req = quickRequest(server->baseUrl());
        req.bodyFile = dir.filePath(QStringLiteral("video.mp4"));
        const HttpResponse resp = client.send(req);
        QVERIFY2(resp.ok(), qPrintable(resp.errorText));
        QVERIFY(resp.body.isEmpty());
        QCOMPARE(resp.bodyBytes, qint64(payload.size()));
        QFile f(req.bodyFile);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), payload);
    }

    void bodyFileKeepsErrorBodiesInMemory()
    {
        startServer([](const FakeRequest &) {
            return FakeReply::json(404, R"({"error":{"code":404,"status":"NOT_FOUND"}})");
        });
        QTemporaryDir dir;
        HttpClient client;
        HttpRequest req = quickRequest(server->baseUrl());
        req.bodyFile = dir.filePath(QStringLiteral("video.mp4"));
        const HttpResponse resp = client.send(req);
        QCOMPARE(resp.error, HttpResponse::Error::None);
        QCOMPARE(resp.status, 404);
        QVERIFY(resp.body.contains("NOT_FOUND"));
        QVERIFY(!QFileInfo::exists(req.bodyFile));
    }

    void bodyFileRemovedWhenTruncated()
    {
        startServer([](const FakeRequest &) {
            FakeReply r;
            r.body = QByteArray(20000, 'v');
            r.mode = FakeReply::Mode::ShortBody;
            return r;
        });
        QTemporaryDir dir;
        HttpClient client;
        HttpRequest req = quickRequest(server->baseUrl());
        req.bodyFile = dir.filePath(QStringLiteral("video.mp4"));
        const HttpResponse resp = client.send(req);
        QCOMPARE(resp.error, HttpResponse::Error::Truncated);
        QVERIFY(!QFileInfo::exists(req.bodyFile));
    }

    void bodyFileCappedAndRemoved()
    {
        startServer([](const FakeRequest &) {
            FakeReply r;
            r.body = QByteArray(32 * 1024, 'k');
            r.mode = FakeReply::Mode::Chunked;
            return r;
        });
        QTemporaryDir dir;
        HttpClient client;
        HttpRequest req = quickRequest(server->baseUrl());
        req.maxResponseBytes = 256 * 1024;
        req.bodyFile = dir.filePath(QStringLiteral("video.mp4"));
        const HttpResponse resp = client.send(req);
        QCOMPARE(resp.error, HttpResponse::Error::TooLarge);
        QVERIFY(!QFileInfo::exists(req.bodyFile));
    }

    void bodyFileUnwritable()
    {
        startServer([](const FakeRequest &) { return FakeReply::json(200, "data"); });
        HttpClient client;
        HttpRequest req = quickRequest(server->baseUrl());
        req.bodyFile = QStringLiteral("/nonexistent-dir-for-test/out.bin");
        const HttpResponse resp = client.send(req);
        QCOMPARE(resp.error, HttpResponse::Error::FileError);
        QVERIFY(!resp.ok());
    }

    void stopEndsSilentConnectionsQuickly()
    {
        startServer([](const FakeRequest &) {
            FakeReply r;
            r.mode = FakeReply::Mode::Silent;
            return r;
        });
        std::thread client([url = server->baseUrl()] {
            HttpClient c;
            HttpRequest req = quickRequest(url);
            req.lowSpeedSeconds = 10;
            c.send(req);
        });
        QTRY_COMPARE_WITH_TIMEOUT(server->requestCount(), 1, 3000);
        QElapsedTimer timer;
        timer.start();
        server->stop();
        QVERIFY2(timer.elapsed() < 1500, qPrintable(QString::number(timer.elapsed())));
        client.join();  // the client sees the connection close and returns
    }
};

QTEST_GUILESS_MAIN(TestHttpClient)
#include "tst_http_client.moc"
