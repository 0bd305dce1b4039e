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

#include <QList>

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
    // and writes <sha256>.recipe.json. `recipe.outputSha256` is filled in here. `response`
    // (model version, finish reason ...) is recorded beside the recipe, outside its hash.
    Stored store(const QString &tempFile, const QString &suffix, editor::GenerationRecipe recipe,
                 const QJsonObject &response = {});

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

    // The cache key of a recipe: editor::recipeHash, mixed with the source file's hash when
    // the recipe has one (a regenerated source image must give a new image -> video clip).
    static QString cacheKey(const editor::GenerationRecipe &r);
    static QJsonObject recipeToJson(const editor::GenerationRecipe &r);
    // The inverse of recipeToJson (lenient: missing fields keep their defaults).
    static editor::GenerationRecipe recipeFromJson(const QJsonObject &o);

    // Every stored result with its recipe (damaged or foreign entries skipped).
    struct Entry {
        QString path;
        QString sha256;
        editor::GenerationRecipe recipe;
    };
    QList<Entry> entries() const;

    // Long-running operations (Veo) in flight, one file per cache key under pending/, written
    // atomically as soon as the service accepts a submission: a restart resumes polling.
    QJsonObject pendingOperation(const QString &cacheKey) const;
    bool savePendingOperation(const QString &cacheKey, const QJsonObject &operation,
                              QString *error) const;
    void clearPendingOperation(const QString &cacheKey) const;
    // Every operation still in flight (unreadable files skipped), oldest name first: what a
    // restarted studio offers to resume.
    QList<QJsonObject> pendingOperations() const;

private:
    QString m_dir;
};

}  // namespace services
