// SPDX-License-Identifier: GPL-3.0-or-later
#include "generate_assets.h"

#include "asset_store.h"

#include "editor/generation_plan.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>

#include <algorithm>

namespace services {

namespace {
QString tr(const char *text) { return QCoreApplication::translate("services", text); }

using Status = GenerationOutcome::Status;

GenerationProvider *findProvider(const QList<GenerationProvider *> &providers, const QString &id)
{
    for (GenerationProvider *p : providers)
        if (p && p->id() == id)
            return p;
    return nullptr;
}

// Generates or reuses one asset; fills `asset` on success.
GenerationOutcome produce(editor::Campaign &campaign, editor::Asset &asset, AssetStore &store,
                          const QList<GenerationProvider *> &providers,
                          const std::atomic<bool> *cancel)
{
    GenerationOutcome out;
    out.assetId = asset.id;
    editor::GenerationRecipe &recipe = *asset.recipe;
    if (const auto hit = store.findByRecipeHash(editor::recipeHash(recipe))) {
        asset.path = hit->path;
        recipe.outputSha256 = hit->sha256;
        recipe.createdAt = hit->createdAt;
        recipe.requestRecordId = hit->requestRecordId;
        out.status = Status::Reused;
        out.path = hit->path;
        return out;
    }
    GenerationProvider *provider = findProvider(providers, recipe.provider);
    if (!provider) {
        out.message = tr("The generation provider \"%1\" is not available yet; this version "
                         "generates with \"offline\" only.").arg(recipe.provider);
        return out;
    }
    GenerationInputs inputs;
    if (!recipe.sourceAssetId.isEmpty()) {
        const editor::Asset *source = campaign.asset(recipe.sourceAssetId);
        if (!source || source->path.isEmpty() || !QFileInfo(source->path).isFile()) {
            out.message = tr("The source asset \"%1\" has no file yet.").arg(recipe.sourceAssetId);
            return out;
        }
        inputs.sourcePath = source->path;
    }
    const GenerationResult result = provider->generate(recipe, inputs, store.workDirectory(), cancel);
    if (result.cancelled) {
        out.status = Status::Cancelled;
        return out;
    }
    if (!result.ok()) {
        out.message = result.error.isEmpty() ? tr("The provider returned no file.") : result.error;
        return out;
    }
    editor::GenerationRecipe stored = recipe;
    stored.requestRecordId = result.requestRecordId;
    stored.createdAt = QDateTime::currentDateTimeUtc().toString(Qt::ISODate);
    const AssetStore::Stored saved = store.store(result.filePath, result.suffix, stored);
    if (saved.sha256.isEmpty() || !QFileInfo(saved.path).isFile()) {
        out.message = saved.error;
        return out;
    }
    // A failed recipe.json write only costs the cache entry; the media file itself is fine.
    stored.outputSha256 = saved.sha256;
    recipe = stored;
    asset.path = saved.path;
    out.status = Status::Generated;
    out.path = saved.path;
    out.message = saved.error;
    return out;
}
}  // namespace

int GenerationReport::count(GenerationOutcome::Status s) const
{
    return int(std::count_if(items.begin(), items.end(),
                             [s](const GenerationOutcome &o) { return o.status == s; }));
}

GenerationReport generateMissingAssets(editor::Campaign &campaign, const QString &projectDir,
                                       const QList<GenerationProvider *> &providers,
                                       const GenerationProgressFn &progress,
                                       const std::atomic<bool> *cancel)
{
    GenerationReport report;
    const editor::Campaign before = campaign;
    const editor::GenerationPlan plan = editor::expandGenerationRequests(campaign);

    for (const QString &id : plan.assetIds) {
        if (plan.needsGenerating.contains(id))
            continue;
        const editor::Asset *asset = campaign.asset(id);
        report.items.push_back({id, Status::UpToDate, asset ? asset->path : QString(), {}, 0});
    }

    // Assets made from another asset (image -> video) go after the ones they start from.
    QStringList todo = plan.needsGenerating;
    std::stable_partition(todo.begin(), todo.end(), [&campaign](const QString &id) {
        const editor::Asset *a = campaign.asset(id);
        return !a || !a->recipe || a->recipe->sourceAssetId.isEmpty();
    });

    AssetStore store(projectDir);
    QString dirError;
    const bool dirOk = todo.isEmpty() || store.ensureDirectory(&dirError);
    if (dirOk && !todo.isEmpty())
        store.removeStaleTemporaries();
    for (int i = 0; i < todo.size(); ++i) {
        const QString &id = todo[i];
        if (progress)
            progress({GenerationProgress::Stage::Started, i, int(todo.size()), id, nullptr});
        QElapsedTimer timer;
        timer.start();
        GenerationOutcome outcome;
        outcome.assetId = id;
        editor::Asset *asset = campaign.asset(id);
        if (report.cancelled || (cancel && cancel->load())) {
            outcome.status = Status::Cancelled;
        } else if (!dirOk) {
            outcome.message = dirError;
        } else if (!asset || !asset->recipe) {
            outcome.message = tr("The asset \"%1\" has no generation recipe.").arg(id);
        } else {
            outcome = produce(campaign, *asset, store, providers, cancel);
        }
        outcome.seconds = timer.elapsed() / 1000.0;
        report.cancelled = report.cancelled || outcome.status == Status::Cancelled;
        report.items.push_back(outcome);
        if (progress)
            progress({GenerationProgress::Stage::Finished, i, int(todo.size()), id,
                      &report.items.back()});
    }
    report.campaignChanged = !(campaign == before);
    return report;
}

}  // namespace services
