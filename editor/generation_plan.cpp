// SPDX-License-Identifier: GPL-3.0-or-later
#include "generation_plan.h"

#include "json_writer.h"
#include "resolve.h"

#include <QCryptographicHash>
#include <QFileInfo>

namespace editor {

using detail::JsonNode;

namespace {

QString expandedAssetId(const GenerationRequest &r, const Segment *seg)
{
    return seg ? r.id + QLatin1Char('-') + seg->id : r.id;
}

QStringList paletteFor(const Campaign &c, const Segment *seg)
{
    QStringList palette;
    if (seg) {
        for (const QString &part : seg->variables.value(QStringLiteral("palette"))
                                       .split(QLatin1Char(','), Qt::SkipEmptyParts)) {
            if (!part.trimmed().isEmpty())
                palette << part.trimmed();
        }
    }
    if (palette.isEmpty()) {
        for (const QColor &color : c.brand.colors)  // QMap: key order
            palette << color.name(QColor::HexRgb);
    }
    return palette;
}

// A request may take its source from another per-segment request ("hero" -> "hero-<seg>").
QString sourceFor(const Campaign &c, const GenerationRequest &r, const Segment *seg)
{
    if (r.sourceAssetId.isEmpty() || !seg || c.asset(r.sourceAssetId))
        return r.sourceAssetId;
    for (const GenerationRequest &other : c.generationRequests)
        if (other.id == r.sourceAssetId && other.perSegment)
            return expandedAssetId(other, seg);
    return r.sourceAssetId;
}

GenerationRecipe recipeFor(const Campaign &c, const GenerationRequest &r, const Segment *seg)
{
    GenerationRecipe rec;
    rec.provider = r.provider;
    rec.model = r.model;
    rec.kind = r.kind;
    rec.prompt = seg ? substituteSlots(r.promptTemplate, *seg) : r.promptTemplate;
    rec.negativePrompt = seg ? substituteSlots(r.negativePrompt, *seg) : r.negativePrompt;
    const QString seedKey = seg ? seg->id : QString();
    if (r.segmentSeeds.contains(seedKey))
        rec.seed = r.segmentSeeds.value(seedKey);
    else
        rec.seed = seg ? segmentSeed(r.seed, seg->id) : r.seed;
    rec.width = r.width;
    rec.height = r.height;
    rec.duration = r.duration;
    if (r.kind == AssetKind::Video)
        rec.fps = c.timeline.fps;  // generate at the rate the timeline plays
    rec.palette = paletteFor(c, seg);
    rec.sourceAssetId = sourceFor(c, r, seg);
    rec.requestId = r.id;
    rec.segmentId = seg ? seg->id : QString();
    rec.params = r.params;
    return rec;
}

quint64 fnv1a64(const QByteArray &bytes)
{
    quint64 h = 14695981039346656037ull;
    for (const char b : bytes) {
        h ^= quint64(static_cast<unsigned char>(b));
        h *= 1099511628211ull;
    }
    return h;
}

quint64 splitmix64(quint64 x)
{
    x += 0x9e3779b97f4a7c15ull;
    x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ull;
    x = (x ^ (x >> 27)) * 0x94d049bb133111ebull;
    return x ^ (x >> 31);
}

}  // namespace

qint64 segmentSeed(qint64 requestSeed, const QString &segmentId)
{
    const quint64 mixed = splitmix64(quint64(requestSeed) ^ fnv1a64(segmentId.toUtf8()));
    return qint64(mixed & ((quint64(1) << 53) - 1));
}

bool sameRecipeInputs(const GenerationRecipe &a, const GenerationRecipe &b)
{
    return a.provider == b.provider && a.model == b.model && a.kind == b.kind
        && a.prompt == b.prompt && a.negativePrompt == b.negativePrompt && a.seed == b.seed
        && a.width == b.width && a.height == b.height && a.duration == b.duration
        && a.fps == b.fps && a.palette == b.palette && a.sourceAssetId == b.sourceAssetId
        && a.requestId == b.requestId && a.segmentId == b.segmentId && a.params == b.params;
}

QString recipeHash(const GenerationRecipe &r)
{
    // Canonical form: every input, fixed key order, compact, times as exact ratios. "v" versions
    // the scheme so a future change cannot collide with old cache entries.
    JsonNode o = JsonNode::object();
    o.add(QStringLiteral("v"), JsonNode::integer(1));
    o.add(QStringLiteral("provider"), JsonNode::string(r.provider));
    o.add(QStringLiteral("model"), JsonNode::string(r.model));
    o.add(QStringLiteral("kind"), JsonNode::string(assetKindName(r.kind)));
    o.add(QStringLiteral("prompt"), JsonNode::string(r.prompt));
    o.add(QStringLiteral("negativePrompt"), JsonNode::string(r.negativePrompt));
    o.add(QStringLiteral("seed"), JsonNode::integer(r.seed));
    o.add(QStringLiteral("width"), JsonNode::integer(r.width));
    o.add(QStringLiteral("height"), JsonNode::integer(r.height));
    o.add(QStringLiteral("duration"), JsonNode::string(r.duration.toString()));
    o.add(QStringLiteral("fps"), JsonNode::string(r.fps.toString()));
    JsonNode palette = JsonNode::array();
    for (const QString &p : r.palette)
        palette.append(JsonNode::string(p));
    o.add(QStringLiteral("palette"), std::move(palette));
    o.add(QStringLiteral("sourceAsset"), JsonNode::string(r.sourceAssetId));
    o.add(QStringLiteral("request"), JsonNode::string(r.requestId));
    o.add(QStringLiteral("segment"), JsonNode::string(r.segmentId));
    o.add(QStringLiteral("params"), JsonNode::fromQt(r.params));
    return QString::fromLatin1(
        QCryptographicHash::hash(o.toJson(true), QCryptographicHash::Sha256).toHex());
}

QStringList plannedAssetIds(const Campaign &c)
{
    QStringList ids;
    for (const GenerationRequest &r : c.generationRequests) {
        if (!r.perSegment) {
            ids << expandedAssetId(r, nullptr);
            continue;
        }
        for (const Segment &s : c.segments)
            ids << expandedAssetId(r, &s);
    }
    return ids;
}

bool isPlannedAsset(const Campaign &c, const QString &assetId)
{
    return plannedAssetIds(c).contains(assetId);
}

GenerationPlan expandGenerationRequests(Campaign &c)
{
    GenerationPlan plan;
    for (const GenerationRequest &r : c.generationRequests) {
        std::vector<Segment *> targets;
        if (r.perSegment) {
            for (Segment &s : c.segments)
                targets.push_back(&s);
        } else {
            targets.push_back(nullptr);
        }
        for (Segment *seg : targets) {
            const QString id = expandedAssetId(r, seg);
            const GenerationRecipe recipe = recipeFor(c, r, seg);
            Asset *asset = c.asset(id);
            if (!asset) {
                c.assets.push_back(Asset{id, r.kind, QString(), recipe});
                asset = &c.assets.back();
            } else if (asset->pinned && asset->recipe) {
                // The designer's choice stands until they regenerate or unpin.
            } else if (!asset->recipe || !sameRecipeInputs(*asset->recipe, recipe)) {
                // Inputs changed: the old file no longer matches its recipe.
                asset->kind = r.kind;
                asset->recipe = recipe;
                asset->path.clear();
            }
            if (!r.bindVariable.isEmpty()) {
                if (seg) {
                    seg->variables.insert(r.bindVariable, id);
                } else {
                    for (Segment &s : c.segments)
                        s.variables.insert(r.bindVariable, id);
                }
            }
            plan.assetIds << id;
            if (asset->path.isEmpty() || !QFileInfo::exists(asset->path))
                plan.needsGenerating << id;
        }
    }
    return plan;
}

}  // namespace editor
