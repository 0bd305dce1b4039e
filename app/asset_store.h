// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Generated media live next to the project, content-addressed:
//   <projectDir>/generated/<sha256>.<ext>          the file, named by the hash of its bytes
//   <projectDir>/generated/<sha256>.recipe.json    the recipe that produced it (+ recipeHash)
// Files only ever appear under a final name complete: providers write hidden temporary files
// in the same folder and store() renames them, so a crash leaves at most a stray temp file.
// The recipe files double as the generation cache: a recipe whose hash is already stored is
// reused instead of generated again.

#include "editor/campaign.h"

#include <QJsonObject>
#include <QString>

#include <optional>

namespace services {

class AssetStore {
public:
    explicit AssetStore(const QString &projectDir);

    QString directory() const { return m_dir; }
    // Providers write their temporary files here, so store() is a same-folder rename.
    QString workDirectory() const { return m_dir; }
    bool ensureDirectory(QString *error) const;

    struct Stored {
        QString path;    // absolute final path
        QString sha256;
        QString error;   // empty on success
    };
    // Moves `tempFile` to <sha256>.<suffix> (or drops it if identical bytes are already stored)
    // and writes <sha256>.recipe.json. `recipe.outputSha256` is filled in here.
    Stored store(const QString &tempFile, const QString &suffix, editor::GenerationRecipe recipe);

    struct CacheHit {
        QString path;
        QString sha256;
        QString createdAt;
        QString requestRecordId;
    };
    // A stored file produced by a recipe with this editor::recipeHash, whose bytes still match
    // their name. Damaged or half-deleted entries are ignored.
    std::optional<CacheHit> findByRecipeHash(const QString &recipeHash) const;

    // Leftover hidden temp files of interrupted runs (older than an hour).
    void removeStaleTemporaries() const;

    static QJsonObject recipeToJson(const editor::GenerationRecipe &r);

private:
    QString m_dir;
};

}  // namespace services
