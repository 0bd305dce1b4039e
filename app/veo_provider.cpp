// SPDX-License-Identifier: GPL-3.0-or-later
// Veo through predictLongRunning + polling (generation-api.md section 4). The submission is the
// billed step and has no idempotency key, so it is sent at most once per job: the operation
// name is saved through the context the moment it is known, and a saved one is resumed instead
// of submitting again. Everything after the submission (polls, downloads) is safe to repeat.

#include "veo_provider.h"

#include "gemini_media_util.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>

#include <cmath>

namespace services {

namespace {

QJsonValue field(const QJsonObject &o, const char *camel, const char *snake)
{
    const QJsonValue v = o.value(QLatin1String(camel));
    return v.isUndefined() ? o.value(QLatin1String(snake)) : v;
}

}  // namespace

QString VeoProvider::defaultModel(GoogleBackendKind kind)
{
    return kind == GoogleBackendKind::Vertex ? QStringLiteral("veo-3.1-generate-001")
                                             : QStringLiteral("veo-3.1-generate-preview");
}

VeoProvider::VeoProvider(GoogleBackend backend, VeoTiming timing, RetryPolicy policy)
    : m_backend(std::move(backend)), m_timing(timing), m_policy(policy)
{
}

QString VeoProvider::aspectRatioFor(const editor::GenerationRecipe &recipe)
{
    const QString explicitRatio = recipe.params.value(QStringLiteral("aspectRatio")).toString();
    if (!explicitRatio.isEmpty()) return explicitRatio;
    return recipe.height > recipe.width ? QStringLiteral("9:16") : QStringLiteral("16:9");
}

int VeoProvider::durationSecondsFor(const editor::GenerationRecipe &recipe)
{
    const QJsonValue p = recipe.params.value(QStringLiteral("durationSeconds"));
    if (p.isDouble() && p.toDouble() > 0) return int(std::lround(p.toDouble()));
    if (p.isString() && p.toString().toInt() > 0) return p.toString().toInt();
    const double wanted = recipe.duration.toDouble();
    // No length asked for: 8 s, Veo's own default (and the only length older models accept).
    if (wanted <= 0) return 8;
    // The shortest clip that covers the request; longer requests get the maximum (the editor
    // loops or holds the clip).
    for (int s : {4, 6})
        if (wanted <= s + 1e-9) return s;
    return 8;
}

QByteArray VeoProvider::buildSubmitBody(const editor::GenerationRecipe &recipe,
                                        GoogleBackendKind kind, const QByteArray &inputImage,
                                        const QString &inputMime)
{
    QJsonObject instance{{QStringLiteral("prompt"), recipe.prompt}};
    if (!inputImage.isEmpty()) {
        // Not inlineData: the SDK (generated from the API definition) sends this shape on both
        // back ends (generation-api.md 4.2).
        instance.insert(QStringLiteral("image"),
                        QJsonObject{{QStringLiteral("bytesBase64Encoded"),
                                     QString::fromLatin1(inputImage.toBase64())},
                                    {QStringLiteral("mimeType"), inputMime}});
    }
    QJsonObject parameters{
        {QStringLiteral("aspectRatio"), aspectRatioFor(recipe)},
        // A JSON number: the live API rejects the string "8" with 400.
        {QStringLiteral("durationSeconds"), durationSecondsFor(recipe)},
        {QStringLiteral("sampleCount"), 1},
    };
    if (!recipe.negativePrompt.trimmed().isEmpty())
        parameters.insert(QStringLiteral("negativePrompt"), recipe.negativePrompt.trimmed());
    for (const char *key : {"resolution", "personGeneration"}) {
        const QString v = recipe.params.value(QLatin1String(key)).toString();
        if (!v.isEmpty()) parameters.insert(QLatin1String(key), v);
    }
    if (kind == GoogleBackendKind::Vertex) {
        // seed is uint32 on the wire; the Gemini API rejects the field altogether.
        parameters.insert(QStringLiteral("seed"), double(quint32(quint64(recipe.seed))));
        // Audio costs more; campaigns add their own soundtrack unless asked otherwise.
        parameters.insert(QStringLiteral("generateAudio"),
                          recipe.params.value(QStringLiteral("generateAudio")).toBool(false));
    }
    const QJsonObject body{{QStringLiteral("instances"), QJsonArray{instance}},
                           {QStringLiteral("parameters"), parameters}};
    return QJsonDocument(body).toJson(QJsonDocument::Compact);
}

VeoProvider::ParsedOperation VeoProvider::parseOperation(const QByteArray &body, qint64 maxVideoBytes)
{
    ParsedOperation op;
    QJsonParseError perr;
    const QJsonDocument doc = QJsonDocument::fromJson(body, &perr);
    if (perr.error != QJsonParseError::NoError || !doc.isObject()) {
        op.parseError = QStringLiteral("Unexpected response from the service.");
        return op;
    }
    const QJsonObject root = doc.object();
    op.name = root.value(QStringLiteral("name")).toString();
    op.done = root.value(QStringLiteral("done")).toBool(false);
    if (op.name.isEmpty()) {
        op.parseError = QStringLiteral("Unexpected response from the service (no operation name).");
        return op;
    }
    const QJsonObject error = root.value(QStringLiteral("error")).toObject();
    if (!error.isEmpty()) {
        op.errorCode = error.value(QStringLiteral("code")).toInt();
        op.errorMessage = error.value(QStringLiteral("message")).toString();
        if (op.errorMessage.isEmpty()) op.errorMessage = QStringLiteral("(no message)");
    }
    const QJsonObject response = root.value(QStringLiteral("response")).toObject();
    // Gemini API wraps the result in generateVideoResponse; Vertex puts it at the top.
    QJsonObject result = field(response, "generateVideoResponse", "generate_video_response").toObject();
    if (result.isEmpty()) result = response;
    op.raiFilteredCount = field(result, "raiMediaFilteredCount", "rai_media_filtered_count").toInt();
    for (const QJsonValue &r : field(result, "raiMediaFilteredReasons", "rai_media_filtered_reasons").toArray())
        op.raiFilteredReasons << r.toString();

    auto addInline = [&](const QString &b64, const QString &mime) {
        if (qint64(b64.size()) / 4 * 3 > maxVideoBytes) {
            op.parseError = QStringLiteral("The service returned a video larger than %1 MB.")
                                .arg(maxVideoBytes >> 20);
            return;
        }
        VideoRef ref;
        ref.mimeType = mime;
        if (!decodeBase64Strict(b64.toLatin1(), &ref.inlineBytes)) {
            op.parseError = QStringLiteral("The service returned a damaged video.");
            return;
        }
        op.videos.append(ref);
    };
    for (const QJsonValue &sv : field(result, "generatedSamples", "generated_samples").toArray()) {
        const QJsonObject video = sv.toObject().value(QStringLiteral("video")).toObject();
        const QString encoded = field(video, "encodedVideo", "encoded_video").toString();
        if (!encoded.isEmpty()) {
            addInline(encoded, video.value(QStringLiteral("encoding")).toString());
        } else if (!video.value(QStringLiteral("uri")).toString().isEmpty()) {
            VideoRef ref;
            ref.uri = video.value(QStringLiteral("uri")).toString();
            ref.mimeType = field(video, "mimeType", "mime_type").toString();
            op.videos.append(ref);
        }
    }
    for (const QJsonValue &vv : result.value(QStringLiteral("videos")).toArray()) {
        const QJsonObject video = vv.toObject();
        const QString mime = field(video, "mimeType", "mime_type").toString();
        const QString b64 = field(video, "bytesBase64Encoded", "bytes_base64_encoded").toString();
        const QString gcs = field(video, "gcsUri", "gcs_uri").toString();
        if (!b64.isEmpty()) {
            addInline(b64, mime);
        } else if (!gcs.isEmpty()) {
            VideoRef ref;
            ref.gcsUri = gcs;
            ref.mimeType = mime;
            op.videos.append(ref);
        }
    }
    return op;
}

}  // namespace services
