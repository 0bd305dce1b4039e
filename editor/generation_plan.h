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

}  // namespace editor
