// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Expands the campaign's generation requests into concrete asset entries with recipes: one per
// segment for a per-segment request ("<requestId>-<segmentId>"), one otherwise ("<requestId>").
// Prompt templates are substituted per segment; the palette comes from the segment variable
// "palette" ("#rrggbb,#rrggbb"), else the brand colours. An asset whose recipe inputs changed
// gets the new recipe and loses its path, so it is generated again. Pure model edit: no files.

#include "campaign.h"

#include <QStringList>

namespace editor {

struct GenerationPlan {
    QStringList assetIds;       // every asset the requests produce, in request/segment order
    QStringList needsGenerating;  // of those: no path yet, or the file is missing
};

// Compares only the inputs of two recipes (not requestRecordId/createdAt/outputSha256).
bool sameRecipeInputs(const GenerationRecipe &a, const GenerationRecipe &b);

// Stable hex digest (sha256) of a recipe's inputs: the cache key of generated media.
QString recipeHash(const GenerationRecipe &r);

GenerationPlan expandGenerationRequests(Campaign &c);

// The asset ids the requests produce, without touching the campaign; and whether `assetId`
// is one of them (so "not generated yet" can be told apart from "unknown asset").
QStringList plannedAssetIds(const Campaign &c);
bool isPlannedAsset(const Campaign &c, const QString &assetId);

// The seed of a per-segment expansion: a deterministic mix of the request seed and the
// segment id (FNV-1a 64 of the UTF-8 id, xor the seed, splitmix64 finaliser), kept in
// 0 .. 2^53-1 so it stays exact in JSON.
qint64 segmentSeed(qint64 requestSeed, const QString &segmentId);

}  // namespace editor
