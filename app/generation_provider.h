// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A generation provider turns one recipe into one media file (or several candidates). The
// offline generator is the default; the network providers (Gemini image, Veo) plug in behind
// the same interface. A provider only writes temporary files into `workDir`; storing them under
// their content hash and updating the campaign is the caller's job (AssetStore,
// generateMissingAssets), so every provider gets the same atomic, content-addressed storage.

#include "google_api.h"

#include "editor/campaign.h"

#include <QJsonObject>
#include <QString>
#include <QStringList>

#include <atomic>
#include <functional>

namespace services {

// Files a recipe refers to, resolved by the caller (recipes hold ids, providers need paths).
struct GenerationInputs {
    QString sourcePath;  // the file of recipe.sourceAssetId (image -> video, image edit), or empty
};

// What a provider reports while it works, for the job queue ("retrying in 7 s", "polling").
struct ProviderNotice {
    enum class Kind {
        Retrying,        // a request failed with a temporary error; waiting `seconds`
        Submitted,       // a long-running operation was accepted (`operationName`)
        Polling,         // the operation is still running; next poll in `seconds`
        Downloading,
        BilledAttempt,   // one more request reached the service (counts towards the total)
    };
    Kind kind = Kind::Retrying;
    double seconds = 0;
    int attempt = 0;
    int maxAttempts = 0;
    QString text;           // reason of a retry, operation name, ...
};

// Everything a provider may use besides the recipe. All members are optional.
struct GenerationContext {
    const std::atomic<bool> *cancel = nullptr;
    std::function<void(const ProviderNotice &)> notify;
    // Long-running operations (Veo): the provider saves the operation as soon as it is
    // accepted, and on start asks for one saved earlier for the same recipe, so a restart
    // resumes polling instead of submitting (and paying) again. Cleared when it ends.
    std::function<QJsonObject()> loadPendingOperation;
    std::function<void(const QJsonObject &)> savePendingOperation;
    std::function<void()> clearPendingOperation;
    // A line for the generation log (already free of secrets is not assumed: the sink redacts).
    std::function<void(const QString &)> log;
};

struct GenerationResult {
    QString filePath;         // temporary file in workDir; the caller moves or removes it
    QString suffix;           // file extension without the dot: "png", "mp4", "wav"
    // Further candidates of the same request (several images in one answer, sampleCount > 1):
    // temporary files with their suffixes, stored beside the first as alternatives.
    QStringList extraFilePaths;
    QStringList extraSuffixes;
    QString requestRecordId;  // the provider's response / operation id
    QJsonObject details;      // recorded in the recipe params ("modelVersion", "finishReason")
    QString error;            // human readable, names the fix; empty on success
    FailureKind failure = FailureKind::None;
    bool cancelled = false;
    int billedAttempts = 0;   // requests that reached a paid service (0 for offline)
    bool ok() const { return error.isEmpty() && !cancelled && !filePath.isEmpty(); }
};

class GenerationProvider {
public:
    virtual ~GenerationProvider() = default;
    // Matches GenerationRecipe::provider ("offline", "gemini-image", "veo").
    virtual QString id() const = 0;
    // Blocking; call it on a worker thread (one call at a time per provider object unless the
    // provider says otherwise in maxConcurrency()). On failure or cancel no file is left
    // behind in workDir.
    virtual GenerationResult generate(const editor::GenerationRecipe &recipe,
                                      const GenerationInputs &inputs, const QString &workDir,
                                      const GenerationContext &context) = 0;
    // How many generate() calls the queue may run at once on this provider.
    virtual int maxConcurrency() const { return 1; }
    // The model a request without one gets (written into the request, so every recipe names
    // the model that made it).
    virtual QString modelWhenUnset() const { return {}; }
};

}  // namespace services
