// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Fills in the generated assets a campaign is missing: expands the generation requests
// (editor::expandGenerationRequests), then for each asset without a file either reuses a stored
// file made from the same recipe (the recipe-hash cache in <projectDir>/generated) or asks the
// recipe's provider for a new one and stores it content-addressed. Updates the campaign in
// place (asset paths, recipe outputs); saving it is the caller's job (editor::saveCampaign).
// Blocking: the GUI runs it on a worker thread with its own copy of the campaign.

#include "generation_provider.h"

#include "editor/campaign.h"

#include <QList>
#include <QString>

#include <atomic>
#include <functional>
#include <vector>

namespace services {

struct GenerationOutcome {
    enum class Status { Generated, Reused, UpToDate, Failed, Cancelled };
    QString assetId;
    Status status = Status::Failed;
    QString path;      // the stored file (Generated, Reused, UpToDate)
    QString message;   // why it failed
    double seconds = 0;
};

struct GenerationReport {
    std::vector<GenerationOutcome> items;  // one per asset the requests produce
    bool campaignChanged = false;          // the caller should save
    bool cancelled = false;
    int count(GenerationOutcome::Status s) const;
};

struct GenerationProgress {
    enum class Stage { Started, Finished };
    Stage stage = Stage::Started;
    int index = 0;   // among the assets that need a file
    int total = 0;
    QString assetId;
    const GenerationOutcome *outcome = nullptr;  // Finished only
};
using GenerationProgressFn = std::function<void(const GenerationProgress &)>;

// `providers` are looked up by GenerationRecipe::provider; they are not owned.
GenerationReport generateMissingAssets(editor::Campaign &campaign, const QString &projectDir,
                                       const QList<GenerationProvider *> &providers,
                                       const GenerationProgressFn &progress,
                                       const std::atomic<bool> *cancel);

}  // namespace services
