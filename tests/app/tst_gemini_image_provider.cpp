// SPDX-License-Identifier: GPL-3.0-or-later
// GeminiImageProvider against a real HTTP server on 127.0.0.1 (FakeGoogleServer) speaking the
// generateContent wire format of both back ends. The server checks what the client sends
// (path, auth header, body fields); the tests check what the provider makes of each answer:
// files only for real images, nothing left in the work folder on any failure.

#include "app/gemini_image_provider.h"
#include "fake_google_server.h"
#include "google_test_support.h"

#include <QBuffer>
#include <QImage>
#include <QImageReader>
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

QByteArray encodeImage(int w, int h, QColor color, const char *format)
{
    return testing_support::encodedImage(w, h, color, format);
}

QByteArray fill(QByteArray fixture, const QList<QPair<QByteArray, QByteArray>> &values)
{
    for (const auto &[k, v] : values) fixture.replace(k, v);
    return fixture;
}

RetryPolicy fastPolicy() { return testing_support::fastRetryPolicy(); }
GoogleBackend geminiBackend(const FakeGoogleServer &s) { return testing_support::geminiBackendFor(s); }
GoogleBackend vertexBackend(const FakeGoogleServer &s) { return testing_support::vertexBackendFor(s); }

editor::GenerationRecipe imageRecipe(int w = 1920, int h = 1080)
{
    editor::GenerationRecipe r;
    r.provider = GeminiImageProvider::providerId();
    r.kind = editor::AssetKind::Image;
    r.prompt = QStringLiteral("A red sneaker on a teal backdrop");
    r.width = w;
    r.height = h;
    return r;
}

QStringList filesIn(const QString &dir)
{
    return QDir(dir).entryList(QDir::AllEntries | QDir::Hidden | QDir::NoDotAndDotDot);
}

QJsonObject bodyOf(const FakeRequest &r) { return QJsonDocument::fromJson(r.body).object(); }

}  // namespace

class TestGeminiImageProvider : public QObject {
    Q_OBJECT

    FakeGoogleServer *m_server = nullptr;
    QTemporaryDir *m_work = nullptr;
    QByteArray m_png, m_png2, m_jpeg, m_jpeg2, m_jpeg3, m_noisyJpeg;

    GenerationResult run(const GoogleBackend &backend, const editor::GenerationRecipe &recipe,
                         const GenerationInputs &inputs = {}, const GenerationContext &context = {})
    {
        GeminiImageProvider provider(backend, fastPolicy());
        return provider.generate(recipe, inputs, m_work->path(), context);
    }
    void serve(const QByteArray &body, int status = 200)
    {
        m_server->setHandler([body, status](const FakeRequest &) { return FakeReply::json(status, body); });
    }
    QByteArray pngAnswer()
    {
        return fill(googleFixture(QStringLiteral("gemini_api/image_png_text_thought.json")),
                    {{"%IMAGE_B64%", m_png.toBase64()}, {"%THOUGHT_B64%", m_png2.toBase64()}});
    }

private slots:
    void initTestCase()
    {
        m_png = encodeImage(64, 36, QColor(200, 30, 40), "PNG");
        m_png2 = encodeImage(32, 32, QColor(10, 200, 40), "PNG");
        m_jpeg = encodeImage(48, 48, QColor(20, 30, 200), "JPG");
        m_jpeg2 = encodeImage(40, 30, QColor(220, 220, 20), "JPG");
        m_jpeg3 = encodeImage(30, 40, QColor(20, 220, 220), "JPG");
        QImage noise(96, 96, QImage::Format_RGB32);
        quint32 x = 12345;
        for (int y = 0; y < noise.height(); ++y)
            for (int i = 0; i < noise.width(); ++i) {
                x = x * 1664525u + 1013904223u;  // fixed LCG: the same bytes on every run
                noise.setPixel(i, y, x >> 8);
            }
        QBuffer buffer(&m_noisyJpeg);
        buffer.open(QIODevice::WriteOnly);
        noise.save(&buffer, "JPG", 90);
        QVERIFY(!m_png.isEmpty() && !m_jpeg.isEmpty() && !m_jpeg3.isEmpty() && m_noisyJpeg.size() > 4000);
    }
    void init()
    {
        m_server = new FakeGoogleServer;
        QString error;
        QVERIFY2(m_server->start(&error), qPrintable(error));
        m_work = new QTemporaryDir;
        QVERIFY(m_work->isValid());
    }
    void cleanup()
    {
        delete m_server;  // stops its threads before anything the handler captured goes away
        m_server = nullptr;
        delete m_work;
        m_work = nullptr;
    }

    void aspectRatioPicksNearestSupported_data()
    {
        QTest::addColumn<int>("w");
        QTest::addColumn<int>("h");
        QTest::addColumn<QString>("expected");
        QTest::newRow("landscape hd") << 1920 << 1080 << "16:9";
        QTest::newRow("portrait story") << 1080 << 1920 << "9:16";
        QTest::newRow("square") << 1080 << 1080 << "1:1";
        QTest::newRow("feed 4:5") << 1080 << 1350 << "4:5";
        QTest::newRow("ultrawide") << 2560 << 1080 << "21:9";
        QTest::newRow("3:2 photo") << 1800 << 1200 << "3:2";
        QTest::newRow("no size") << 0 << 0 << "1:1";
    }
    void aspectRatioPicksNearestSupported()
    {
        QFETCH(int, w);
        QFETCH(int, h);
        QFETCH(QString, expected);
        QCOMPARE(GeminiImageProvider::aspectRatioFor(imageRecipe(w, h)), expected);
        auto r = imageRecipe(w, h);
        r.params.insert(QStringLiteral("aspectRatio"), QStringLiteral("3:4"));
        QCOMPARE(GeminiImageProvider::aspectRatioFor(r), QStringLiteral("3:4"));
    }

    void textToImageOnGeminiApi()
    {
        serve(pngAnswer());
        std::atomic<int> billed{0};
        GenerationContext ctx;
        ctx.notify = [&billed](const ProviderNotice &n) {
            if (n.kind == ProviderNotice::Kind::BilledAttempt) ++billed;
        };
        auto recipe = imageRecipe();
        recipe.negativePrompt = QStringLiteral("text, logos");
        const GenerationResult r = run(geminiBackend(*m_server), recipe, {}, ctx);
        QVERIFY2(r.ok(), qPrintable(r.error));

        QCOMPARE(m_server->requestCount(), 1);
        const FakeRequest req = m_server->requests().first();
        QCOMPARE(req.method, QByteArray("POST"));
        QCOMPARE(req.path, QByteArray("/v1beta/models/gemini-3.1-flash-image:generateContent"));
        QCOMPARE(req.header("x-goog-api-key"), kKey);
        QVERIFY(req.header("authorization").isEmpty());
        const QJsonObject body = bodyOf(req);
        const QJsonObject content = body[QStringLiteral("contents")].toArray().at(0).toObject();
        QCOMPARE(content[QStringLiteral("role")].toString(), QStringLiteral("user"));
        const QString text = content[QStringLiteral("parts")].toArray().at(0).toObject()[QStringLiteral("text")].toString();
        QVERIFY(text.startsWith(recipe.prompt));
        QVERIFY(text.contains(QStringLiteral("Avoid: text, logos")));
        const QJsonObject gen = body[QStringLiteral("generationConfig")].toObject();
        QCOMPARE(gen[QStringLiteral("imageConfig")].toObject()[QStringLiteral("aspectRatio")].toString(),
                 QStringLiteral("16:9"));
        QCOMPARE(gen[QStringLiteral("responseModalities")].toArray(),
                 (QJsonArray{QStringLiteral("TEXT"), QStringLiteral("IMAGE")}));

        // The thought image is the model's draft: only the final image is kept.
        QCOMPARE(r.suffix, QStringLiteral("png"));
        QVERIFY(r.extraFilePaths.isEmpty());
        QFile f(r.filePath);
        QVERIFY(f.open(QIODevice::ReadOnly));
        QCOMPARE(f.readAll(), m_png);
        QVERIFY(QFileInfo(r.filePath).fileName().startsWith(QLatin1Char('.')));
        QCOMPARE(QFileInfo(r.filePath).absolutePath(), QFileInfo(m_work->path()).absoluteFilePath());
        QCOMPARE(r.requestRecordId, QStringLiteral("tstPngResp0000000000001"));
        QCOMPARE(r.details[QStringLiteral("modelVersion")].toString(), QStringLiteral("gemini-3.1-flash-image"));
        QCOMPARE(r.details[QStringLiteral("finishReason")].toString(), QStringLiteral("STOP"));
        QCOMPARE(r.details[QStringLiteral("backend")].toString(), QStringLiteral("gemini"));
        QCOMPARE(r.details[QStringLiteral("aspectRatio")].toString(), QStringLiteral("16:9"));
        QCOMPARE(r.billedAttempts, 1);
        QCOMPARE(billed.load(), 1);
    }

    void textToImageOnVertex()
    {
        serve(fill(googleFixture(QStringLiteral("vertex/image_png.json")), {{"%IMAGE_B64%", m_png.toBase64()}}));
        auto recipe = imageRecipe(1080, 1920);
        recipe.model = QStringLiteral("gemini-3-pro-image");
        const GenerationResult r = run(vertexBackend(*m_server), recipe);
        QVERIFY2(r.ok(), qPrintable(r.error));
        const FakeRequest req = m_server->requests().first();
        QCOMPARE(req.method, QByteArray("POST"));
        QCOMPARE(req.path, QByteArray("/v1/projects/P/locations/L/publishers/google/models/"
                                      "gemini-3-pro-image:generateContent"));
        QCOMPARE(req.header("authorization"), QByteArray("Bearer " + kToken));
        QVERIFY(req.header("x-goog-api-key").isEmpty());
        QCOMPARE(bodyOf(req)[QStringLiteral("generationConfig")].toObject()[QStringLiteral("imageConfig")]
                     .toObject()[QStringLiteral("aspectRatio")].toString(),
                 QStringLiteral("9:16"));
        QCOMPARE(r.details[QStringLiteral("backend")].toString(), QStringLiteral("vertex"));
        QCOMPARE(r.requestRecordId, QStringLiteral("tstVertexPng00000000001"));
    }

    void imageEditSendsSourceInline()
    {
        serve(pngAnswer());
        QTemporaryDir srcDir;  // outside the work folder, like a stored asset
        const QString srcPath = srcDir.filePath(QStringLiteral("product.jpg"));
        QFile src(srcPath);
        QVERIFY(src.open(QIODevice::WriteOnly));
        src.write(m_jpeg);
        src.close();
        const GenerationResult r = run(geminiBackend(*m_server), imageRecipe(), {srcPath});
        QVERIFY2(r.ok(), qPrintable(r.error));
        const QJsonArray parts = bodyOf(m_server->requests().first())[QStringLiteral("contents")]
                                     .toArray().at(0).toObject()[QStringLiteral("parts")].toArray();
        QCOMPARE(parts.size(), 2);
        const QJsonObject inl = parts.at(1).toObject()[QStringLiteral("inlineData")].toObject();
        QCOMPARE(inl[QStringLiteral("mimeType")].toString(), QStringLiteral("image/jpeg"));
        const auto decoded = QByteArray::fromBase64Encoding(inl[QStringLiteral("data")].toString().toLatin1(),
                                                            QByteArray::AbortOnBase64DecodingErrors);
        QVERIFY(decoded);
        QCOMPARE(*decoded, m_jpeg);
    }

    void oversizedSourceIsRefusedBeforeSending()
    {
        serve(pngAnswer());
        QTemporaryDir srcDir;
        const QString srcPath = srcDir.filePath(QStringLiteral("huge-photo.png"));
        QFile src(srcPath);
        QVERIFY(src.open(QIODevice::WriteOnly));
        src.write(m_png);
        src.write(QByteArray(8 << 20, '\0'));
        src.close();
        const GenerationResult r = run(geminiBackend(*m_server), imageRecipe(), {srcPath});
        QCOMPARE(r.failure, FailureKind::BadRequest);
        QVERIFY2(r.error.contains(QStringLiteral("huge-photo.png")), qPrintable(r.error));
        QCOMPARE(m_server->requestCount(), 0);
        QVERIFY(filesIn(m_work->path()).isEmpty());
    }

    void everyImagePartBecomesACandidate()
    {
        serve(fill(googleFixture(QStringLiteral("gemini_api/image_jpeg_multi.json")),
                   {{"%IMAGE_B64%", m_jpeg.toBase64()},
                    {"%IMAGE2_B64%", m_jpeg2.toBase64()},
                    // Google's SDK sends URL-safe base64; both alphabets must decode.
                    {"%IMAGE3_B64%", m_jpeg3.toBase64(QByteArray::Base64UrlEncoding)}}));
        const GenerationResult r = run(geminiBackend(*m_server), imageRecipe());
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(r.suffix, QStringLiteral("jpg"));
        QCOMPARE(r.extraFilePaths.size(), 2);
        QCOMPARE(r.extraSuffixes, (QStringList{QStringLiteral("jpg"), QStringLiteral("jpg")}));
        QFile third(r.extraFilePaths.at(1));
        QVERIFY(third.open(QIODevice::ReadOnly));
        QCOMPARE(third.readAll(), m_jpeg3);
        QCOMPARE(filesIn(m_work->path()).size(), 3);
        QCOMPARE(m_server->requestCount(), 1);
    }

    void candidatesParamSendsThatManyRequests()
    {
        serve(pngAnswer());
        auto recipe = imageRecipe();
        recipe.params.insert(QStringLiteral("candidates"), 2);
        const GenerationResult r = run(geminiBackend(*m_server), recipe);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(m_server->requestCount(), 2);
        QCOMPARE(r.extraFilePaths.size(), 1);
        QCOMPARE(r.billedAttempts, 2);
        QCOMPARE(r.details[QStringLiteral("candidates")].toInt(), 2);
    }

    void safetyBlocksAreReportedNotRetried_data()
    {
        QTest::addColumn<QString>("fixture");
        QTest::addColumn<bool>("vertex");
        QTest::addColumn<QString>("mustMention");
        QTest::newRow("prompt blocked") << "gemini_api/prompt_blocked.json" << false << "PROHIBITED_CONTENT";
        QTest::newRow("prompt blocked vertex message") << "vertex/prompt_blocked.json" << true
                                                       << "prohibited material";
        QTest::newRow("image safety finish") << "gemini_api/image_safety.json" << false << "IMAGE_SAFETY";
    }
    void safetyBlocksAreReportedNotRetried()
    {
        QFETCH(QString, fixture);
        QFETCH(bool, vertex);
        QFETCH(QString, mustMention);
        serve(googleFixture(fixture));
        const GenerationResult r =
            run(vertex ? vertexBackend(*m_server) : geminiBackend(*m_server), imageRecipe());
        QCOMPARE(r.failure, FailureKind::Blocked);
        QVERIFY2(r.error.contains(mustMention), qPrintable(r.error));
        QVERIFY2(r.error.contains(QStringLiteral("prompt")), qPrintable(r.error));
        QCOMPARE(m_server->requestCount(), 1);
        QVERIFY(r.filePath.isEmpty());
        QVERIFY(filesIn(m_work->path()).isEmpty());
    }

    // The other refusals a candidate can finish with (generation-api.md): each is a block,
    // reported with its reason, never retried, and leaves no file.
    void refusingFinishReasonsAreBlocks_data()
    {
        QTest::addColumn<QString>("reason");
        for (const char *reason : {"SAFETY", "NO_IMAGE", "RECITATION", "PROHIBITED_CONTENT"})
            QTest::newRow(reason) << QString::fromLatin1(reason);
    }
    void refusingFinishReasonsAreBlocks()
    {
        QFETCH(QString, reason);
        QByteArray body = googleFixture(QStringLiteral("gemini_api/image_safety.json"));
        QVERIFY(body.contains("\"IMAGE_SAFETY\""));
        body.replace("\"IMAGE_SAFETY\"", "\"" + reason.toLatin1() + "\"");
        serve(body);
        const GenerationResult r = run(geminiBackend(*m_server), imageRecipe());
        QCOMPARE(r.failure, FailureKind::Blocked);
        QVERIFY2(r.error.contains(reason), qPrintable(r.error));
        QCOMPARE(m_server->requestCount(), 1);
        QVERIFY(r.filePath.isEmpty());
        QVERIFY(filesIn(m_work->path()).isEmpty());
    }

    void textOnlyAnswerIsUnexpectedAndShowsTheText()
    {
        serve(googleFixture(QStringLiteral("gemini_api/text_only.json")));
        const GenerationResult r = run(geminiBackend(*m_server), imageRecipe());
        QCOMPARE(r.failure, FailureKind::Unexpected);
        QVERIFY2(r.error.contains(QStringLiteral("lighthouse keeper")), qPrintable(r.error));
        QVERIFY(filesIn(m_work->path()).isEmpty());
    }

    void malformedBodiesAreUnexpected_data()
    {
        QTest::addColumn<QByteArray>("body");
        QTest::newRow("html proxy page")
            << QByteArray("<html><body>Gateway login required " + kKey + "</body></html>");
        QTest::newRow("cut json") << pngAnswer().left(200);
        QTest::newRow("json array") << QByteArray("[1,2,3]");
    }
    void malformedBodiesAreUnexpected()
    {
        QFETCH(QByteArray, body);
        serve(body);
        QStringList logged;
        GenerationContext ctx;
        ctx.log = [&logged](const QString &line) { logged << line; };
        const GenerationResult r = run(geminiBackend(*m_server), imageRecipe(), {}, ctx);
        QCOMPARE(r.failure, FailureKind::Unexpected);
        QCOMPARE(r.error, QStringLiteral("Unexpected response from the service."));
        QVERIFY(filesIn(m_work->path()).isEmpty());
        // The raw body goes to the log for diagnosis, with the key redacted.
        QCOMPARE(logged.size(), 1);
        QVERIFY(logged.first().contains(QString::fromLatin1(body.left(12))));
        QVERIFY(!logged.first().contains(QString::fromLatin1(kKey)));
    }

    void damagedImagesAreRejected_data()
    {
        QTest::addColumn<QByteArray>("data");
        const QByteArray b64 = m_png.toBase64();
        QTest::newRow("truncated base64") << b64.left(b64.size() / 2);
        QTest::newRow("invalid characters") << QByteArray(b64).insert(40, "*$#");
        QTest::newRow("not an image") << QByteArray("bm90IGFuIGltYWdlIGF0IGFsbA==");
        // A JPEG cut inside its scan data still "decodes" (libjpeg pads it with grey and only
        // warns), so this row fails unless the end-of-image marker is checked.
        const QByteArray jpeg = m_noisyJpeg.toBase64();
        QTest::newRow("jpeg cut in the scan data") << jpeg.left((jpeg.size() * 9 / 10) / 4 * 4);
    }
    void damagedImagesAreRejected()
    {
        QFETCH(QByteArray, data);
        serve(fill(googleFixture(QStringLiteral("gemini_api/image_png_text_thought.json")),
                   {{"%IMAGE_B64%", data}, {"%THOUGHT_B64%", m_png2.toBase64()}}));
        const GenerationResult r = run(geminiBackend(*m_server), imageRecipe());
        QCOMPARE(r.failure, FailureKind::Damaged);
        QCOMPARE(r.error, QStringLiteral("The service returned a damaged image."));
        QVERIFY(filesIn(m_work->path()).isEmpty());
        QCOMPARE(m_server->requestCount(), 1);  // the same answer would come again: no retry
    }

    void retiredModelNamesTheModel()
    {
        serve("{\"error\":{\"code\":404,\"message\":\"models/gemini-2.5-flash-image-preview is not found "
              "for API version v1beta.\",\"status\":\"NOT_FOUND\"}}",
              404);
        auto recipe = imageRecipe();
        recipe.model = QStringLiteral("gemini-2.5-flash-image-preview");
        const GenerationResult r = run(geminiBackend(*m_server), recipe);
        QCOMPARE(r.failure, FailureKind::NotFound);
        QVERIFY2(r.error.contains(recipe.model), qPrintable(r.error));
        QCOMPARE(m_server->requestCount(), 1);
    }

    void quotaThenSuccessRetries()
    {
        std::atomic<int> calls{0};
        const QByteArray ok = pngAnswer();
        m_server->setHandler([&calls, ok](const FakeRequest &) {
            if (calls++ == 0) {
                FakeReply r = FakeReply::json(429, "{\"error\":{\"code\":429,\"message\":\"Resource has been exhausted.\","
                                                "\"status\":\"RESOURCE_EXHAUSTED\"}}");
                r.headers.append(qMakePair(QByteArray("retry-after"), QByteArray("1")));
                return r;
            }
            return FakeReply::json(200, ok);
        });
        QList<ProviderNotice> notices;
        GenerationContext ctx;
        ctx.notify = [&notices](const ProviderNotice &n) { notices << n; };
        QElapsedTimer t;
        t.start();
        const GenerationResult r = run(geminiBackend(*m_server), imageRecipe(), {}, ctx);
        QVERIFY2(r.ok(), qPrintable(r.error));
        QCOMPARE(m_server->requestCount(), 2);
        QVERIFY(t.elapsed() < 5000);
        const auto retry = std::find_if(notices.begin(), notices.end(), [](const ProviderNotice &n) {
            return n.kind == ProviderNotice::Kind::Retrying;
        });
        QVERIFY(retry != notices.end());
        QCOMPARE(retry->attempt, 1);
        QCOMPARE(retry->maxAttempts, 3);
        QCOMPARE(r.billedAttempts, 2);
    }

    void cancelWhileWaitingLeavesNothing()
    {
        m_server->setHandler([](const FakeRequest &) {
            FakeReply r;
            r.mode = FakeReply::Mode::Silent;
            return r;
        });
        std::atomic<bool> cancel{false};
        GenerationContext ctx;
        ctx.cancel = &cancel;
        std::thread canceller([&cancel] {
            std::this_thread::sleep_for(std::chrono::milliseconds(300));
            cancel = true;
        });
        QElapsedTimer t;
        t.start();
        const GenerationResult r = run(geminiBackend(*m_server), imageRecipe(), {}, ctx);
        canceller.join();
        QVERIFY(r.cancelled);
        QVERIFY(!r.ok());
        QVERIFY(r.filePath.isEmpty());
        QVERIFY2(t.elapsed() < 3000, "cancel must be honoured promptly");
        QVERIFY(filesIn(m_work->path()).isEmpty());
    }

    void twoCallsAtOnce()
    {
        // maxConcurrency() is 2: two generate() calls on one provider must not share state.
        serve(pngAnswer());
        GeminiImageProvider provider(geminiBackend(*m_server), fastPolicy());
        GenerationResult a, b;
        std::thread other([&] { b = provider.generate(imageRecipe(), {}, m_work->path(), {}); });
        a = provider.generate(imageRecipe(), {}, m_work->path(), {});
        other.join();
        QVERIFY2(a.ok(), qPrintable(a.error));
        QVERIFY2(b.ok(), qPrintable(b.error));
        QVERIFY(a.filePath != b.filePath);
        QCOMPARE(m_server->requestCount(), 2);
    }

    void parserAcceptsSnakeCaseAndSkipsThoughts()
    {
        auto imagePart = [](const QByteArray &bytes, bool thought) {
            QJsonObject part{{QStringLiteral("inline_data"),
                              QJsonObject{{QStringLiteral("mime_type"), QStringLiteral("image/png")},
                                          {QStringLiteral("data"), QString::fromLatin1(bytes.toBase64())}}}};
            if (thought) part.insert(QStringLiteral("thought"), true);
            return part;
        };
        const QJsonObject candidate{
            {QStringLiteral("content"),
             QJsonObject{{QStringLiteral("parts"), QJsonArray{imagePart(m_png2, true), imagePart(m_png, false)}}}},
            {QStringLiteral("finish_reason"), QStringLiteral("STOP")}};
        const QByteArray body = QJsonDocument(QJsonObject{{QStringLiteral("candidates"), QJsonArray{candidate}},
                                                          {QStringLiteral("responseId"), QStringLiteral("r1")}})
                                    .toJson();
        const auto parsed = GeminiImageProvider::parseResponse(body);
        QCOMPARE(parsed.failure, FailureKind::None);
        QCOMPARE(parsed.images.size(), 1);
        QCOMPARE(parsed.images.first().bytes, m_png);
        QCOMPARE(parsed.responseId, QStringLiteral("r1"));
        // Over the per-image cap: refused without writing anything.
        QCOMPARE(GeminiImageProvider::parseResponse(body, 100).failure, FailureKind::TooLarge);
    }
};

QTEST_GUILESS_MAIN(TestGeminiImageProvider)
#include "tst_gemini_image_provider.moc"
