// SPDX-License-Identifier: GPL-3.0-or-later
#include "asset_store.h"

#include "file_hash.h"

#include "editor/generation_plan.h"

#include <QCoreApplication>
#include <QDateTime>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>

#include <cmath>

namespace services {

namespace {
QString tr(const char *text) { return QCoreApplication::translate("services", text); }

const QLatin1String kRecipeSuffix(".recipe.json");
constexpr qint64 kMaxRecipeBytes = 1024 * 1024;
constexpr double kMaxExactJsonInteger = 9007199254740992.0;  // 2^53
}  // namespace

AssetStore::AssetStore(const QString &projectDir)
    : m_dir(QDir(projectDir).absoluteFilePath(QStringLiteral("generated")))
{
}

bool AssetStore::ensureDirectory(QString *error) const
{
    if (QDir().mkpath(m_dir) && QFileInfo(m_dir).isWritable())
        return true;
    if (error)
        *error = tr("Cannot create or write the folder %1.").arg(QDir::toNativeSeparators(m_dir));
    return false;
}

QJsonObject AssetStore::recipeToJson(const editor::GenerationRecipe &r)
{
    QJsonObject o;
    o.insert(QStringLiteral("recipeHash"), editor::recipeHash(r));
    o.insert(QStringLiteral("provider"), r.provider);
    o.insert(QStringLiteral("model"), r.model);
    o.insert(QStringLiteral("kind"), editor::assetKindName(r.kind));
    o.insert(QStringLiteral("prompt"), r.prompt);
    o.insert(QStringLiteral("negativePrompt"), r.negativePrompt);
    // JSON numbers are doubles; seeds beyond 2^53 keep their exact value as a string.
    if (std::abs(double(r.seed)) < kMaxExactJsonInteger)
        o.insert(QStringLiteral("seed"), double(r.seed));
    else
        o.insert(QStringLiteral("seed"), QString::number(r.seed));
    o.insert(QStringLiteral("width"), r.width);
    o.insert(QStringLiteral("height"), r.height);
    o.insert(QStringLiteral("duration"), r.duration.toString());
    o.insert(QStringLiteral("fps"), r.fps.toString());
    o.insert(QStringLiteral("palette"), QJsonArray::fromStringList(r.palette));
    o.insert(QStringLiteral("sourceAssetId"), r.sourceAssetId);
    o.insert(QStringLiteral("requestId"), r.requestId);
    o.insert(QStringLiteral("segmentId"), r.segmentId);
    o.insert(QStringLiteral("params"), r.params);
    o.insert(QStringLiteral("requestRecordId"), r.requestRecordId);
    o.insert(QStringLiteral("createdAt"), r.createdAt);
    o.insert(QStringLiteral("outputSha256"), r.outputSha256);
    return o;
}

AssetStore::Stored AssetStore::store(const QString &tempFile, const QString &suffix,
                                     editor::GenerationRecipe recipe)
{
    Stored out;
    if (!ensureDirectory(&out.error)) {
        QFile::remove(tempFile);
        return out;
    }
    out.sha256 = sha256OfFile(tempFile, &out.error);
    if (out.sha256.isEmpty()) {
        QFile::remove(tempFile);
        return out;
    }
    const QDir dir(m_dir);
    out.path = dir.filePath(out.sha256 + QLatin1Char('.') + suffix);
    if (QFileInfo::exists(out.path)) {
        // Same name = same bytes (unless damaged: then replace it with the good copy).
        if (sha256OfFile(out.path) == out.sha256) {
            QFile::remove(tempFile);
        } else if (!QFile::remove(out.path) || !QFile::rename(tempFile, out.path)) {
            out.error = tr("Cannot replace the damaged file %1.").arg(QDir::toNativeSeparators(out.path));
            QFile::remove(tempFile);
            return out;
        }
    } else if (!QFile::rename(tempFile, out.path)) {
        out.error = tr("Cannot move the generated file into %1.").arg(QDir::toNativeSeparators(out.path));
        QFile::remove(tempFile);
        return out;
    }
    recipe.outputSha256 = out.sha256;
    QJsonObject json = recipeToJson(recipe);
    json.insert(QStringLiteral("file"), QFileInfo(out.path).fileName());
    writeFileAtomically(dir.filePath(out.sha256 + kRecipeSuffix),
                        QJsonDocument(json).toJson(QJsonDocument::Indented), &out.error);
    return out;
}

std::optional<AssetStore::CacheHit> AssetStore::findByRecipeHash(const QString &recipeHash) const
{
    const QDir dir(m_dir);
    const QStringList recipes = dir.entryList({QStringLiteral("*") + kRecipeSuffix}, QDir::Files,
                                              QDir::Name);
    for (const QString &name : recipes) {
        QFile file(dir.filePath(name));
        if (file.size() > kMaxRecipeBytes || !file.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject o = QJsonDocument::fromJson(file.readAll()).object();
        if (o.value(QStringLiteral("recipeHash")).toString() != recipeHash)
            continue;
        const QString sha = name.chopped(kRecipeSuffix.size());
        const QString media = o.value(QStringLiteral("file")).toString();
        // The file name must be exactly "<sha>.<ext>": never follow a path out of the folder.
        if (!media.startsWith(sha + QLatin1Char('.')) || media.contains(QLatin1Char('/'))
            || media.contains(QLatin1Char('\\')))
            continue;
        const QString path = dir.filePath(media);
        if (!QFileInfo(path).isFile() || sha256OfFile(path) != sha)
            continue;
        return CacheHit{path, sha, o.value(QStringLiteral("createdAt")).toString(),
                        o.value(QStringLiteral("requestRecordId")).toString()};
    }
    return std::nullopt;
}

void AssetStore::removeStaleTemporaries() const
{
    const QDir dir(m_dir);
    const QStringList stale = dir.entryList({QStringLiteral(".offline-*")},
                                            QDir::Files | QDir::Hidden);
    // Only old ones: a younger temp file may belong to a generation running in another process.
    const QDateTime cutoff = QDateTime::currentDateTimeUtc().addSecs(-3600);
    for (const QString &name : stale)
        if (QFileInfo(dir.filePath(name)).lastModified().toUTC() < cutoff)
            QFile::remove(dir.filePath(name));
}

}  // namespace services
