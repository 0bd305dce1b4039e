// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Gemini image models ("Nano Banana") through generateContent, on the Gemini Developer API or
// Vertex AI: text -> image with imageConfig.aspectRatio, and image + text -> image (refine or
// restyle a product photo: recipe.sourceAssetId). Every image part of every candidate becomes a
// result (the first is the asset, the rest alternatives). A 200 without an image is a "blocked"
// result when promptFeedback.blockReason or a safety finishReason says so, else "unexpected".
// Images are decoded from base64 strictly and checked with QImageReader before they are kept.

#include "generation_provider.h"
#include "google_api.h"

#include <QByteArray>
#include <QList>
#include <QString>

namespace services {

class GeminiImageProvider : public GenerationProvider {
public:
    static QString providerId() { return QStringLiteral("gemini-image"); }
    // Used when the recipe names no model. Model ids are configuration: Google retires them.
    static QString defaultModel() { return QStringLiteral("gemini-3.1-flash-image"); }
    // Largest decoded image accepted (a 4K PNG is ~15 MB); the response cap is derived from it.
    static constexpr qint64 kMaxImageBytes = qint64(40) << 20;

    explicit GeminiImageProvider(GoogleBackend backend, RetryPolicy policy = {});

    QString id() const override { return providerId(); }
    GenerationResult generate(const editor::GenerationRecipe &recipe,
                              const GenerationInputs &inputs, const QString &workDir,
                              const GenerationContext &context) override;
    int maxConcurrency() const override { return 2; }
    QString modelWhenUnset() const override { return defaultModel(); }

    // Pure pieces, public for tests and the fuzzer.
    // The nearest aspect ratio Gemini supports for width x height (or params "aspectRatio").
    static QString aspectRatioFor(const editor::GenerationRecipe &recipe);
    // The JSON body: contents[0] {role user, parts [text, inlineData?]}, generationConfig
    // {responseModalities ["IMAGE"] (+TEXT), imageConfig {aspectRatio}}.
    static QByteArray buildRequestBody(const editor::GenerationRecipe &recipe,
                                       const QByteArray &inputImage, const QString &inputMime);

    struct ParsedImage {
        QString mimeType;
        QByteArray bytes;  // decoded
    };
    struct ParsedResponse {
        QList<ParsedImage> images;
        QString responseId;
        QString modelVersion;
        QString finishReason;   // of the first candidate without an image, when relevant
        QString finishMessage;
        QString blockReason;    // promptFeedback.blockReason
        QString text;           // text parts, joined (often explains a refusal)
        FailureKind failure = FailureKind::None;  // Blocked, Unexpected, Damaged, TooLarge
        QString error;          // user-facing when failure != None
    };
    static ParsedResponse parseResponse(const QByteArray &body, qint64 maxImageBytes = kMaxImageBytes);

private:
    GoogleBackend m_backend;
    RetryPolicy m_policy;
};

}  // namespace services
