// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A generation provider turns one recipe into one media file. The offline generator is the
// default; network providers (Gemini image, Veo) plug in behind the same interface. A provider
// only writes a temporary file into `workDir`; storing it under its content hash and updating
// the campaign is the caller's job (AssetStore, generateMissingAssets), so every provider gets
// the same atomic, content-addressed storage for free.

#include "editor/campaign.h"

#include <QString>

#include <atomic>

namespace services {

// Files a recipe refers to, resolved by the caller (recipes hold ids, providers need paths).
struct GenerationInputs {
    QString sourcePath;  // the file of recipe.sourceAssetId (image -> video, image edit), or empty
};

struct GenerationResult {
    QString filePath;         // temporary file in workDir; the caller moves or removes it
    QString suffix;           // file extension without the dot: "png", "mp4", "wav"
    QString requestRecordId;  // the provider's request / operation id
    QString error;            // human readable; empty on success
    bool cancelled = false;
    bool ok() const { return error.isEmpty() && !cancelled && !filePath.isEmpty(); }
};

class GenerationProvider {
public:
    virtual ~GenerationProvider() = default;
    // Matches GenerationRecipe::provider ("offline", later "gemini-image", "veo").
    virtual QString id() const = 0;
    // Blocking; call it on a worker thread. `cancel` may be null. On failure or cancel no file
    // is left behind in workDir.
    virtual GenerationResult generate(const editor::GenerationRecipe &recipe,
                                      const GenerationInputs &inputs, const QString &workDir,
                                      const std::atomic<bool> *cancel) = 0;
};

}  // namespace services
