// SPDX-License-Identifier: GPL-3.0-or-later
// Gemini image models through generateContent. See generation-api.md section 2 and the G rows
// of RELIABILITY.md: the service is an untrusted peer, so every answer is parsed leniently but
// every image is decoded strictly and checked before a file is kept, and nothing is left in the
// work folder when a call fails or is cancelled.

#include "gemini_image_provider.h"

#include "gemini_media_util.h"

#include <QBuffer>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QImageReader>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryFile>

#include <cmath>

namespace services {

namespace {

// Inline images the image models accept per part (Vertex table, generation-api.md 2.3).
constexpr qint64 kMaxInputImageBytes = qint64(7) << 20;

const char *const kAspectRatios[] = {"1:1", "2:3", "3:2", "3:4", "4:3",
                                     "4:5", "5:4", "9:16", "16:9", "21:9"};

// finishReason values that mean "the service refused", as opposed to "something broke".
bool isBlockingFinishReason(const QString &reason)
{
    static const QStringList blocking = {
        QStringLiteral("SAFETY"),           QStringLiteral("IMAGE_SAFETY"),
        QStringLiteral("PROHIBITED_CONTENT"), QStringLiteral("IMAGE_PROHIBITED_CONTENT"),
        QStringLiteral("BLOCKLIST"),        QStringLiteral("SPII"),
        QStringLiteral("RECITATION"),       QStringLiteral("IMAGE_RECITATION"),
        QStringLiteral("NO_IMAGE"),         QStringLiteral("IMAGE_OTHER"),
    };
    return blocking.contains(reason);
}

// proto3 JSON allows both spellings; Google samples use both.
QJsonValue field(const QJsonObject &o, const char *camel, const char *snake)
{
    const QJsonValue v = o.value(QLatin1String(camel));
    return v.isUndefined() ? o.value(QLatin1String(snake)) : v;
}

QString suffixFor(const QByteArray &readerFormat, const QString &mime)
{
    const QByteArray f = readerFormat.toLower();
    if (f == "png") return QStringLiteral("png");
    if (f == "jpeg" || f == "jpg") return QStringLiteral("jpg");
    if (f == "webp") return QStringLiteral("webp");
    if (mime == QLatin1String("image/jpeg") || mime == QLatin1String("image/jpg"))
        return QStringLiteral("jpg");
    if (mime == QLatin1String("image/webp")) return QStringLiteral("webp");
    return QStringLiteral("png");
}

// Checks that `bytes` is a complete, decodable image. QImageReader alone is not enough: a JPEG
// cut short still "decodes" (libjpeg pads it with grey and only warns), so the end marker of
// the container is checked as well.
bool imageLooksComplete(const QByteArray &bytes, QByteArray *format)
{
    QBuffer buffer;
    buffer.setData(bytes);
    buffer.open(QIODevice::ReadOnly);
    QImageReader reader(&buffer);
    reader.setDecideFormatFromContent(true);
    const QByteArray fmt = reader.format().toLower();
    if (fmt.isEmpty()) return false;
    const QSize size = reader.size();
    if (!size.isValid() || size.isEmpty()) return false;
    if (fmt == "png") {
        // The IEND chunk is always the last 12 bytes (length 0, type, CRC).
        if (bytes.size() < 12 || bytes.mid(bytes.size() - 8, 4) != "IEND") return false;
    } else if (fmt == "jpeg") {
        // EOI (FF D9) ends the stream; allow a few bytes of trailing padding.
        if (bytes.right(16).lastIndexOf("\xFF\xD9") < 0) return false;
    } else if (fmt == "webp") {
        // RIFF size covers the whole file after the first 8 bytes.
        if (bytes.size() < 12) return false;
        const auto *p = reinterpret_cast<const uchar *>(bytes.constData());
        const quint32 riff = quint32(p[4]) | quint32(p[5]) << 8 | quint32(p[6]) << 16
                             | quint32(p[7]) << 24;
        if (qint64(riff) + 8 > bytes.size()) return false;
    }
    // A full decode catches corrupt data inside a structurally complete file.
    const QImage image = reader.read();
    if (image.isNull()) return false;
    *format = fmt;
    return true;
}

void removeAll(const QStringList &paths)
{
    for (const QString &p : paths) QFile::remove(p);
}

}  // namespace

GeminiImageProvider::GeminiImageProvider(GoogleBackend backend, RetryPolicy policy)
    : m_backend(std::move(backend)), m_policy(policy)
{
}

QString GeminiImageProvider::aspectRatioFor(const editor::GenerationRecipe &recipe)
{
    const QString explicitRatio = recipe.params.value(QStringLiteral("aspectRatio")).toString();
    if (!explicitRatio.isEmpty()) return explicitRatio;
    if (recipe.width <= 0 || recipe.height <= 0) return QStringLiteral("1:1");
    // Compare in log space so 2:1 and 1:2 are equally far from 1:1.
    const double wanted = std::log(double(recipe.width) / double(recipe.height));
    QString best = QStringLiteral("1:1");
    double bestDistance = 1e9;
    for (const char *ratio : kAspectRatios) {
        const QStringList wh = QString::fromLatin1(ratio).split(QLatin1Char(':'));
        const double d = std::abs(std::log(wh[0].toDouble() / wh[1].toDouble()) - wanted);
        if (d < bestDistance - 1e-12) {
            bestDistance = d;
            best = QString::fromLatin1(ratio);
        }
    }
    return best;
}

QByteArray GeminiImageProvider::buildRequestBody(const editor::GenerationRecipe &recipe,
                                                 const QByteArray &inputImage,
                                                 const QString &inputMime)
{
    // generateContent has no negative-prompt field, so the wish goes into the text itself.
    QString text = recipe.prompt;
    if (!recipe.negativePrompt.trimmed().isEmpty())
        text += QStringLiteral("\n\nAvoid: ") + recipe.negativePrompt.trimmed();

    QJsonArray parts;
    parts.append(QJsonObject{{QStringLiteral("text"), text}});
    if (!inputImage.isEmpty()) {
        parts.append(QJsonObject{
            {QStringLiteral("inlineData"),
             QJsonObject{{QStringLiteral("mimeType"), inputMime},
                         {QStringLiteral("data"), QString::fromLatin1(inputImage.toBase64())}}}});
    }
    QJsonObject imageConfig{{QStringLiteral("aspectRatio"), aspectRatioFor(recipe)}};
    const QString imageSize = recipe.params.value(QStringLiteral("imageSize")).toString();
    if (!imageSize.isEmpty()) imageConfig.insert(QStringLiteral("imageSize"), imageSize);

    const QJsonObject body{
        {QStringLiteral("contents"),
         QJsonArray{QJsonObject{{QStringLiteral("role"), QStringLiteral("user")},
                                {QStringLiteral("parts"), parts}}}},
        {QStringLiteral("generationConfig"),
         QJsonObject{{QStringLiteral("responseModalities"),
                      QJsonArray{QStringLiteral("TEXT"), QStringLiteral("IMAGE")}},
                     {QStringLiteral("imageConfig"), imageConfig}}},
    };
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

GeminiImageProvider::ParsedResponse GeminiImageProvider::parseResponse(const QByteArray &body,
                                                                       qint64 maxImageBytes)
{
    ParsedResponse out;
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject()) {
        out.failure = FailureKind::Unexpected;
        out.error = QStringLiteral("Unexpected response from the service.");
        return out;
    }
    const QJsonObject root = doc.object();
    out.responseId = root.value(QStringLiteral("responseId")).toString();
    out.modelVersion = root.value(QStringLiteral("modelVersion")).toString();
    const QJsonObject feedback = field(root, "promptFeedback", "prompt_feedback").toObject();
    out.blockReason = field(feedback, "blockReason", "block_reason").toString();
    const QString blockMessage = field(feedback, "blockReasonMessage", "block_reason_message").toString();

    const QJsonArray candidates = root.value(QStringLiteral("candidates")).toArray();
    QStringList texts;
    QString firstReason, blockingReason, blockingMessage;
    bool damaged = false, tooLarge = false;
    for (const QJsonValue &cv : candidates) {
        const QJsonObject cand = cv.toObject();
        const QString reason = field(cand, "finishReason", "finish_reason").toString();
        const QString message = field(cand, "finishMessage", "finish_message").toString();
        if (firstReason.isEmpty()) firstReason = reason;
        int imagesHere = 0;
        const QJsonArray parts = cand.value(QStringLiteral("content")).toObject()
                                     .value(QStringLiteral("parts")).toArray();
        for (const QJsonValue &pv : parts) {
            const QJsonObject part = pv.toObject();
            // Thought parts are the model's scratch work (draft images included), not output.
            if (part.value(QStringLiteral("thought")).toBool()) continue;
            if (part.contains(QStringLiteral("text")))
                texts << part.value(QStringLiteral("text")).toString().trimmed();
            const QJsonObject inl = field(part, "inlineData", "inline_data").toObject();
            if (inl.isEmpty()) continue;
            const QString mime = field(inl, "mimeType", "mime_type").toString();
            if (!mime.startsWith(QLatin1String("image/"))) continue;
            const QByteArray b64 = inl.value(QStringLiteral("data")).toString().toLatin1();
            if (b64.size() / 4 * 3 > maxImageBytes) {
                tooLarge = true;
                continue;
            }
            QByteArray bytes;
            if (!decodeBase64Strict(b64, &bytes) || bytes.isEmpty()) {
                damaged = true;
                continue;
            }
            if (bytes.size() > maxImageBytes) {
                tooLarge = true;
                continue;
            }
            QByteArray format;
            if (!imageLooksComplete(bytes, &format)) {
                damaged = true;
                continue;
            }
            out.images.append({mime.isEmpty() ? QStringLiteral("image/") + QString::fromLatin1(format)
                                              : mime,
                               bytes});
            ++imagesHere;
        }
        if (imagesHere == 0 && blockingReason.isEmpty() && isBlockingFinishReason(reason)) {
            blockingReason = reason;
            blockingMessage = message;
        }
    }
    texts.removeAll(QString());
    out.text = texts.join(QLatin1Char('\n'));
    out.finishReason = blockingReason.isEmpty() ? firstReason : blockingReason;
    out.finishMessage = blockingMessage;

    // A broken image is the service misbehaving; report it even when other parts were fine,
    // because a half-delivered answer hides the problem and wastes the user's attention.
    if (tooLarge) {
        out.images.clear();
        out.failure = FailureKind::TooLarge;
        out.error = QStringLiteral("The service returned an image larger than %1 MB; it was not kept.")
                        .arg(maxImageBytes >> 20);
        return out;
    }
    if (damaged) {
        out.images.clear();
        out.failure = FailureKind::Damaged;
        out.error = QStringLiteral("The service returned a damaged image.");
        return out;
    }
    if (!out.images.isEmpty()) return out;

    if (candidates.isEmpty() && !out.blockReason.isEmpty()) {
        out.failure = FailureKind::Blocked;
        out.error = QStringLiteral("The service blocked the prompt (%1)").arg(out.blockReason);
        if (!blockMessage.isEmpty()) out.error += QStringLiteral(": ") + blockMessage;
        out.error += QStringLiteral(". Edit the prompt and try again.");
        return out;
    }
    if (!blockingReason.isEmpty()) {
        out.failure = FailureKind::Blocked;
        out.error = QStringLiteral("The service returned no image (%1)").arg(blockingReason);
        const QString why = !blockingMessage.isEmpty() ? blockingMessage : out.text;
        if (!why.isEmpty()) out.error += QStringLiteral(": ") + why;
        out.error += QStringLiteral(". Edit the prompt and try again.");
        return out;
    }
    out.failure = FailureKind::Unexpected;
    out.error = QStringLiteral("The service answered without an image");
    if (!out.finishReason.isEmpty()) out.error += QStringLiteral(" (%1)").arg(out.finishReason);
    out.error += out.text.isEmpty() ? QStringLiteral(".")
                                    : QStringLiteral(". The model said: \"%1\"").arg(out.text.left(600));
    return out;
}

GenerationResult GeminiImageProvider::generate(const editor::GenerationRecipe &recipe,
                                               const GenerationInputs &inputs,
                                               const QString &workDir,
                                               const GenerationContext &context)
{
    GenerationResult result;
    const QString model = recipe.model.isEmpty() ? defaultModel() : recipe.model;
    const QString backendName = backendKindName(m_backend.kind);
    auto fail = [&result](FailureKind kind, const QString &message) {
        result.failure = kind;
        result.error = message;
        return result;
    };
    auto isCancelled = [&context] { return context.cancel && context.cancel->load(); };

    if (recipe.kind != editor::AssetKind::Image)
        return fail(FailureKind::BadRequest,
                    QStringLiteral("The Gemini image provider only makes images; choose another "
                                   "provider for this asset."));
    if (const QString problem = m_backend.problem(); !problem.isEmpty())
        return fail(FailureKind::Config, problem);
    if (!QDir().mkpath(workDir))
        return fail(FailureKind::Config,
                    QStringLiteral("Cannot create the work folder %1.").arg(QDir::toNativeSeparators(workDir)));

    // Image edit: the source travels inline, so it has to fit the model's inline limit.
    QByteArray inputBytes;
    QString inputMime;
    if (!inputs.sourcePath.isEmpty()) {
        if (const QString why = readInputImage(inputs.sourcePath, kMaxInputImageBytes, &inputBytes,
                                               &inputMime);
            !why.isEmpty())
            return fail(FailureKind::BadRequest, why);
    }

    const QJsonValue wanted = recipe.params.value(QStringLiteral("candidates"));
    const int candidates = qBound(1, wanted.isString() ? wanted.toString().toInt() : wanted.toInt(1), 4);
    const QString aspect = aspectRatioFor(recipe);
    const QByteArray body = buildRequestBody(recipe, inputBytes, inputMime);

    HttpRequest request;
    request.method = "POST";
    request.url = m_backend.modelUrl(model, QStringLiteral("generateContent"));
    request.headers = m_backend.jsonHeaders();
    request.body = body;
    request.totalTimeoutMs = 300000;  // Pro / 4K answers take minutes (generation-api.md 2.4)
    // generateContent is not streamed: the service sends nothing until the image is done,
    // which for Pro / 4K can take well over 30 s. The silence guard therefore allows two
    // minutes; the total timeout above still bounds a server that never answers (G3).
    request.lowSpeedBytesPerSec = 1;
    request.lowSpeedSeconds = 120;
    // Several base64 images plus text and thought signatures; the decoded-size check per
    // image happens in parseResponse.
    request.maxResponseBytes = qint64(64) << 20;

    const RetryNoticeFn onRetry = [&context](const RetryNotice &n) {
        if (!context.notify) return;
        ProviderNotice notice;
        notice.kind = ProviderNotice::Kind::Retrying;
        notice.seconds = n.waitSeconds;
        notice.attempt = n.attempt;
        notice.maxAttempts = n.maxAttempts;
        notice.text = n.reason;
        context.notify(notice);
    };
    auto logBody = [&](const QByteArray &raw) {
        if (!context.log) return;
        context.log(QStringLiteral("gemini-image: unexpected answer from %1 (%2 bytes): %3")
                        .arg(model)
                        .arg(raw.size())
                        .arg(QString::fromUtf8(redactSecrets(raw.left(64 * 1024), m_backend.secrets()))));
    };

    // One client per call: generate() may run on two threads at once (maxConcurrency 2).
    HttpClient client;
    QStringList written, suffixes, responseIds;
    QString modelVersion, finishReason;
    QString laterError;
    bool cancelled = false;
    for (int i = 0; i < candidates && !cancelled; ++i) {
        cancelled = isCancelled();
        if (cancelled) break;
        const CallResult call = sendWithRetry(client, request, RetryMode::Idempotent, m_policy,
                                              QStringLiteral("image generation"), onRetry,
                                              context.cancel);
        result.billedAttempts += call.billedAttempts;
        if (context.notify) {
            for (int a = 0; a < call.billedAttempts; ++a) {
                ProviderNotice notice;
                notice.kind = ProviderNotice::Kind::BilledAttempt;
                notice.attempt = a + 1;
                notice.maxAttempts = m_policy.maxAttempts;
                notice.text = model;
                context.notify(notice);
            }
        }
        if (call.failure == FailureKind::Cancelled || isCancelled()) {
            cancelled = true;
            break;
        }

        FailureKind kind = call.failure;
        QString message;
        ParsedResponse parsed;
        if (kind != FailureKind::None) {
            message = failureMessage(kind, call.apiError, call.response,
                                     QStringLiteral("image generation"), model);
        } else if (call.response.status < 200 || call.response.status >= 300) {
            // generateContent never redirects; a 3xx here is a proxy or a misconfigured URL.
            kind = FailureKind::Unexpected;
            message = QStringLiteral("Unexpected response from the service (HTTP %1).")
                          .arg(call.response.status);
            logBody(call.response.body);
        } else {
            parsed = parseResponse(call.response.body, kMaxImageBytes);
            kind = parsed.failure;
            message = parsed.error;
            if (kind == FailureKind::Unexpected || kind == FailureKind::Damaged) logBody(call.response.body);
        }
        if (kind != FailureKind::None) {
            if (written.isEmpty()) {
                result.failure = kind;
                result.error = message;
                return result;
            }
            // Earlier candidates were delivered (and billed): keep them, note the failure.
            laterError = message;
            break;
        }
        if (responseIds.isEmpty()) {
            modelVersion = parsed.modelVersion;
            finishReason = parsed.finishReason;
        }
        responseIds << parsed.responseId;
        for (const ParsedImage &img : parsed.images) {
            QByteArray format;
            QBuffer probe;
            probe.setData(img.bytes);
            probe.open(QIODevice::ReadOnly);
            format = QImageReader::imageFormat(&probe);
            const QString suffix = suffixFor(format, img.mimeType);
            QString path, why;
            if (!writeHiddenTempFile(workDir, QStringLiteral(".gemini-"), suffix, img.bytes, &path, &why)) {
                removeAll(written);
                return fail(FailureKind::Unexpected, why);  // a local disk problem, after billing
            }
            written << path;
            suffixes << suffix;
        }
    }
    if (cancelled || isCancelled()) {
        removeAll(written);
        result.cancelled = true;
        result.failure = FailureKind::Cancelled;
        result.error = QStringLiteral("Cancelled.");
        return result;
    }
    if (written.isEmpty())  // defensive: every path above either wrote a file or returned
        return fail(FailureKind::Unexpected, QStringLiteral("Unexpected response from the service."));

    result.filePath = written.takeFirst();
    result.suffix = suffixes.takeFirst();
    result.extraFilePaths = written;
    result.extraSuffixes = suffixes;
    result.requestRecordId = responseIds.value(0);
    result.details.insert(QStringLiteral("backend"), backendName);
    result.details.insert(QStringLiteral("model"), model);
    result.details.insert(QStringLiteral("aspectRatio"), aspect);
    result.details.insert(QStringLiteral("candidates"), candidates);
    result.details.insert(QStringLiteral("images"), 1 + int(result.extraFilePaths.size()));
    if (!modelVersion.isEmpty()) result.details.insert(QStringLiteral("modelVersion"), modelVersion);
    if (!finishReason.isEmpty()) result.details.insert(QStringLiteral("finishReason"), finishReason);
    if (responseIds.size() > 1)
        result.details.insert(QStringLiteral("responseIds"), QJsonArray::fromStringList(responseIds));
    if (!laterError.isEmpty()) {
        result.details.insert(QStringLiteral("candidateError"), laterError);
        if (context.log) context.log(QStringLiteral("gemini-image: a later candidate failed: ") + laterError);
    }
    return result;
}

}  // namespace services
