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
#include <QCryptographicHash>
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
    o.insert(QStringLiteral("recipeHash"), cacheKey(r));
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
    if (!r.inputSha256.isEmpty())
        o.insert(QStringLiteral("inputSha256"), r.inputSha256);
    return o;
}

QString AssetStore::cacheKey(const editor::GenerationRecipe &r)
{
    const QString hash = editor::recipeHash(r);
    if (r.inputSha256.isEmpty())
        return hash;
    return QString::fromLatin1(QCryptographicHash::hash(
        (hash + QLatin1Char(':') + r.inputSha256).toUtf8(), QCryptographicHash::Sha256).toHex());
}

editor::GenerationRecipe AssetStore::recipeFromJson(const QJsonObject &o)
{
    editor::GenerationRecipe r;
    const auto text = [&o](const char *key) { return o.value(QLatin1String(key)).toString(); };
    r.provider = text("provider");
    r.model = text("model");
    if (const auto kind = editor::assetKindFromName(text("kind")))
        r.kind = *kind;
    r.prompt = text("prompt");
    r.negativePrompt = text("negativePrompt");
    const QJsonValue seed = o.value(QStringLiteral("seed"));
    r.seed = seed.isString() ? seed.toString().toLongLong() : qint64(seed.toDouble());
    r.width = o.value(QStringLiteral("width")).toInt();
    r.height = o.value(QStringLiteral("height")).toInt();
    if (const auto d = editor::Rational::parse(text("duration")))
        r.duration = *d;
    if (const auto f = editor::Rational::parse(text("fps")))
        r.fps = *f;
    for (const QJsonValue &p : o.value(QStringLiteral("palette")).toArray())
        r.palette << p.toString();
    r.sourceAssetId = text("sourceAssetId");
    r.requestId = text("requestId");
    r.segmentId = text("segmentId");
    r.params = o.value(QStringLiteral("params")).toObject();
    r.requestRecordId = text("requestRecordId");
    r.createdAt = text("createdAt");
    r.outputSha256 = text("outputSha256");
    r.inputSha256 = text("inputSha256");
    return r;
}

namespace {
struct RecipeFile {
    QJsonObject json;
    QString sha256;     // from the name "<sha256>.recipe.json"
    QString mediaPath;  // "<sha256>.<ext>" beside it, existing
};

// Every readable recipe file of the store whose media file exists. The media name must be
// exactly "<sha>.<ext>": a recipe file can never point out of the folder.
QList<RecipeFile> recipeFiles(const QString &storeDir)
{
    QList<RecipeFile> out;
    const QDir dir(storeDir);
    const QStringList recipes = dir.entryList({QStringLiteral("*") + kRecipeSuffix}, QDir::Files,
                                              QDir::Name);
    for (const QString &name : recipes) {
        QFile file(dir.filePath(name));
        if (file.size() > kMaxRecipeBytes || !file.open(QIODevice::ReadOnly))
            continue;
        RecipeFile entry;
        entry.json = QJsonDocument::fromJson(file.readAll()).object();
        entry.sha256 = name.chopped(kRecipeSuffix.size());
        const QString media = entry.json.value(QStringLiteral("file")).toString();
        if (!media.startsWith(entry.sha256 + QLatin1Char('.')) || media.contains(QLatin1Char('/'))
            || media.contains(QLatin1Char('\\')))
            continue;
        entry.mediaPath = dir.filePath(media);
        if (QFileInfo(entry.mediaPath).isFile())
            out.push_back(entry);
    }
    return out;
}
}  // namespace

QList<AssetStore::Entry> AssetStore::entries() const
{
    QList<Entry> out;
    for (const RecipeFile &f : recipeFiles(m_dir))
        out.push_back({f.mediaPath, f.sha256, recipeFromJson(f.json)});
    return out;
}

namespace {
QString pendingPath(const QString &dir, const QString &cacheKey)
{
    return QDir(dir).filePath(QStringLiteral("pending/") + cacheKey + QStringLiteral(".json"));
}
}  // namespace

QJsonObject AssetStore::pendingOperation(const QString &cacheKey) const
{
    QFile file(pendingPath(m_dir, cacheKey));
    if (file.size() > kMaxRecipeBytes || !file.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(file.readAll()).object();
}

bool AssetStore::savePendingOperation(const QString &cacheKey, const QJsonObject &operation,
                                      QString *error) const
{
    const QString path = pendingPath(m_dir, cacheKey);
    if (!QDir().mkpath(QFileInfo(path).absolutePath())) {
        if (error)
            *error = tr("Cannot create the folder %1.")
                         .arg(QDir::toNativeSeparators(QFileInfo(path).absolutePath()));
        return false;
    }
    return writeFileAtomically(path, QJsonDocument(operation).toJson(QJsonDocument::Indented),
                               error);
}

QList<QJsonObject> AssetStore::pendingOperations() const
{
    QList<QJsonObject> out;
    const QDir dir(QDir(m_dir).filePath(QStringLiteral("pending")));
    for (const QFileInfo &info : dir.entryInfoList({QStringLiteral("*.json")}, QDir::Files, QDir::Name)) {
        if (info.size() > kMaxRecipeBytes)
            continue;
        QFile file(info.filePath());
        if (!file.open(QIODevice::ReadOnly))
            continue;
        const QJsonObject op = QJsonDocument::fromJson(file.readAll()).object();
        if (!op.value(QStringLiteral("name")).toString().isEmpty())
            out << op;
    }
    return out;
}

void AssetStore::clearPendingOperation(const QString &cacheKey) const
{
    QFile::remove(pendingPath(m_dir, cacheKey));
}

AssetStore::Stored AssetStore::store(const QString &tempFile, const QString &suffix,
                                     editor::GenerationRecipe recipe, const QJsonObject &response)
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
    if (!response.isEmpty())
        json.insert(QStringLiteral("response"), response);
    writeFileAtomically(dir.filePath(out.sha256 + kRecipeSuffix),
                        QJsonDocument(json).toJson(QJsonDocument::Indented), &out.error);
    return out;
}

std::optional<AssetStore::CacheHit> AssetStore::findByRecipeHash(const QString &recipeHash) const
{
    for (const RecipeFile &f : recipeFiles(m_dir)) {
        if (f.json.value(QStringLiteral("recipeHash")).toString() != recipeHash)
            continue;
        // Damaged or half-replaced media is not a cache hit: generate it again.
        if (sha256OfFile(f.mediaPath) != f.sha256)
            continue;
        return CacheHit{f.mediaPath, f.sha256, f.json.value(QStringLiteral("createdAt")).toString(),
                        f.json.value(QStringLiteral("requestRecordId")).toString()};
    }
    return std::nullopt;
}

void AssetStore::removeStaleTemporaries() const
{
    const QDir dir(m_dir);
    // Every hidden file in the store is a provider's temporary (".offline-*", ".gemini-*",
    // ".veo-*"): finished files are only ever renamed to "<sha256>.<ext>".
    const QStringList stale = dir.entryList({QStringLiteral(".*")},
                                            QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot);
    // Only old ones: a younger temp file may belong to a generation running in another process.
    const QDateTime cutoff = QDateTime::currentDateTimeUtc().addSecs(-3600);
    for (const QString &name : stale)
        if (QFileInfo(dir.filePath(name)).lastModified().toUTC() < cutoff)
            QFile::remove(dir.filePath(name));
}

}  // namespace services
