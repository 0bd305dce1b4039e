// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The built-in provider: no network, no key, deterministic. The same recipe always gives the
// same bytes (images and audio; video too on one build), and every input of the recipe shows
// in the result: the palette colours the picture, the prompt's words are set as typography
// and pick the subject (runner, shoe, landscape, sun, stars, speed lines), the seed composes it.

#include "generation_provider.h"

#include <QByteArray>
#include <QImage>

namespace services {

class OfflineGenerator : public GenerationProvider {
public:
    static QString providerId() { return QStringLiteral("offline"); }

    QString id() const override { return providerId(); }
    GenerationResult generate(const editor::GenerationRecipe &recipe,
                              const GenerationInputs &inputs, const QString &workDir,
                              const GenerationContext &context) override;
    int maxConcurrency() const override { return 2; }  // CPU bound, one per core
    QString modelWhenUnset() const override { return QStringLiteral("offline-v1"); }

    // The pieces, public for tests and previews. Fonts must be loaded (render::loadRenderFonts).
    static QImage renderImage(const editor::GenerationRecipe &recipe, QString *error = nullptr);
    // One frame of the generated video at `seconds` (what generate() encodes).
    static QImage renderVideoFrame(const editor::GenerationRecipe &recipe, const QImage &source,
                                   double seconds);
    static QByteArray synthesizeAudio(const editor::GenerationRecipe &recipe,
                                      const std::atomic<bool> *cancel = nullptr,
                                      QString *error = nullptr);
};

}  // namespace services
