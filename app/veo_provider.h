// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Veo video clips through predictLongRunning + operation polling, on the Gemini Developer API
// (poll GET {operation name}, video at generateVideoResponse.generatedSamples[].video.uri,
// downloaded with the key, redirects followed by hand and the key dropped when the host
// changes) or Vertex AI v1 (poll POST {model}:fetchPredictOperation, videos[] inline base64 or
// gcsUri fetched through the Cloud Storage JSON API). Text -> video and image -> video
// (recipe.sourceAssetId), aspectRatio 16:9 / 9:16, durationSeconds, seed (Vertex only),
// negativePrompt. The operation name is saved through the context as soon as it is accepted,
// and a saved one is resumed instead of submitting again (a submission may be billed).

#include "generation_provider.h"
#include "google_api.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace services {

struct VeoTiming {
    double firstPollSeconds = 10;
    double pollSeconds = 10;      // grows by pollGrowth up to maxPollSeconds
    double pollGrowth = 1.5;
    double maxPollSeconds = 30;
    double deadlineSeconds = 600; // overall, from submission (or resume) to done (G13)
    qint64 maxVideoBytes = qint64(512) << 20;
};

class VeoProvider : public GenerationProvider {
public:
    static QString providerId() { return QStringLiteral("veo"); }
    // Gemini API: veo-3.1-generate-preview (reported retired; a 404 says so clearly);
    // Vertex: veo-3.1-generate-001.
    static QString defaultModel(GoogleBackendKind kind);

    VeoProvider(GoogleBackend backend, VeoTiming timing = {}, RetryPolicy policy = {});

    QString id() const override { return providerId(); }
    GenerationResult generate(const editor::GenerationRecipe &recipe,
                              const GenerationInputs &inputs, const QString &workDir,
                              const GenerationContext &context) override;
    int maxConcurrency() const override { return 2; }
    QString modelWhenUnset() const override { return defaultModel(m_backend.kind); }

    // Pure pieces, public for tests and the fuzzer.
    static QString aspectRatioFor(const editor::GenerationRecipe &recipe);  // "16:9" or "9:16"
    static int durationSecondsFor(const editor::GenerationRecipe &recipe);   // 4, 6 or 8
    static QByteArray buildSubmitBody(const editor::GenerationRecipe &recipe, GoogleBackendKind kind,
                                      const QByteArray &inputImage, const QString &inputMime);

    struct VideoRef {
        QString uri;          // Gemini API download URL
        QString gcsUri;       // Vertex gs://bucket/object
        QByteArray inlineBytes;  // decoded bytesBase64Encoded / encodedVideo
        QString mimeType;
    };
    struct ParsedOperation {
        QString name;
        bool done = false;
        QList<VideoRef> videos;
        int raiFilteredCount = 0;
        QStringList raiFilteredReasons;
        int errorCode = 0;       // gRPC code of done:true + error
        QString errorMessage;
        QString parseError;      // not JSON / not an operation (G8)
    };
    static ParsedOperation parseOperation(const QByteArray &body, qint64 maxVideoBytes);

private:
    GoogleBackend m_backend;
    VeoTiming m_timing;
    RetryPolicy m_policy;
};

}  // namespace services
