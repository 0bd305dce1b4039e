// SPDX-License-Identifier: GPL-3.0-or-later
// parseCampaign / loadCampaign: everything except the timeline (timeline_reader.cpp).
#include "project_io.h"
#include "reader_context.h"

#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonParseError>
#include <QLocale>
#include <QRegularExpression>

#include <algorithm>
#include <cmath>

namespace editor {

using namespace detail;

namespace {

const TimeRule kRateRule{TimeRule::Lower::Positive, Rational(240), true};
const TimeRule kDurationRule{TimeRule::Lower::Positive, Rational(3600), false};
const TimeRule kOptionalDurationRule{TimeRule::Lower::NonNegative, Rational(3600), false};
constexpr qint64 kMaxSeed = qint64(1) << 53;  // exact in a double and in any JSON reader

bool isVariableName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    return re.match(name).hasMatch();
}

// Reports a duplicate id at `path` and remembers it.
void checkUnique(IssueList &issues, QSet<QString> &seen, const QString &id, const QString &path,
                 const char *what)
{
    if (id.isEmpty())
        return;
    if (seen.contains(id))
        issues.add(path, QCoreApplication::translate("editor", "duplicate %1 id '%2'")
                             .arg(QCoreApplication::translate("editor", what), id));
    seen.insert(id);
}

BrandKit readBrand(IssueList &issues, const QJsonValue &v, const QString &path)
{
    BrandKit brand;
    ObjectReader r(issues, v, path);
    if (!r.isObject())
        return brand;
    const QJsonValue colors = r.take(QStringLiteral("colors"));
    if (!colors.isUndefined()) {
        ObjectReader c(issues, colors, r.pathOf(QStringLiteral("colors")));
        const QJsonObject &obj = c.object();
        for (auto it = obj.constBegin(); it != obj.constEnd(); ++it) {
            c.take(it.key());
            if (const auto color = colorValue(issues, it.value(), c.pathOf(it.key())))
                brand.colors.insert(it.key(), *color);
        }
    }
    r.readString(QStringLiteral("font"), brand.fontFamily, Need::Optional, false);
    r.readString(QStringLiteral("logo"), brand.logoAssetId, Need::Optional, false);
    r.readStringList(QStringLiteral("fallbackFonts"), brand.fallbackFonts);
    const QJsonValue disclaimers = r.take(QStringLiteral("disclaimers"));
    if (!disclaimers.isUndefined()) {
        ObjectReader d(issues, disclaimers, r.pathOf(QStringLiteral("disclaimers")));
        const QJsonObject &obj = d.object();
        for (auto it = obj.constBegin(); it != obj.constEnd(); ++it) {
            QString text;
            if (d.readString(it.key(), text) && !text.trimmed().isEmpty())
                brand.disclaimers.insert(it.key(), text);
        }
    }
    r.reportUnknownKeys();
    return brand;
}

Segment readSegment(IssueList &issues, const QJsonValue &v, const QString &path)
{
    Segment seg;
    ObjectReader r(issues, v, path);
    if (!r.isObject())
        return seg;
    r.readId(QStringLiteral("id"), seg.id);
    r.readString(QStringLiteral("name"), seg.name);
    const QJsonValue attrs = r.take(QStringLiteral("attributes"));
    if (!attrs.isUndefined()) {
        ObjectReader a(issues, attrs, r.pathOf(QStringLiteral("attributes")));
        if (a.readString(QStringLiteral("locale"), seg.locale) && !seg.locale.isEmpty()
            && QLocale(seg.locale).language() == QLocale::C && seg.locale != u"C")
            issues.add(a.pathOf(QStringLiteral("locale")),
                       QCoreApplication::translate("editor", "unknown locale '%1'; use a name "
                                                             "such as \"sv_SE\" or \"en_US\"")
                           .arg(seg.locale));
        a.readString(QStringLiteral("region"), seg.region);
        a.readString(QStringLiteral("ageBand"), seg.ageBand);
        a.readStringList(QStringLiteral("interests"), seg.interests);
        a.readString(QStringLiteral("tone"), seg.tone);
        a.reportUnknownKeys();
    }
    const QJsonValue vars = r.take(QStringLiteral("variables"));
    if (!vars.isUndefined()) {
        ObjectReader vr(issues, vars, r.pathOf(QStringLiteral("variables")));
        const QJsonObject &obj = vr.object();
        for (auto it = obj.constBegin(); it != obj.constEnd(); ++it) {
            vr.take(it.key());
            const QString varPath = vr.pathOf(it.key());
            if (!isVariableName(it.key())) {
                issues.add(varPath, QCoreApplication::translate(
                                        "editor", "variable names use letters, digits and '_' "
                                                  "and do not start with a digit"));
                continue;
            }
            if (const auto s = stringValue(issues, it.value(), varPath))
                seg.variables.insert(it.key(), *s);
        }
    }
    r.reportUnknownKeys();
    return seg;
}

std::optional<AssetKind> readKind(ObjectReader &r, Need need)
{
    QString kind;
    if (!r.readChoice(QStringLiteral("kind"), kind, {"image", "video", "audio"}, need)
        || kind.isEmpty())
        return std::nullopt;
    return assetKindFromName(kind);
}

GenerationRecipe readRecipe(IssueList &issues, const QJsonValue &v, const QString &path,
                            QString *sourceAssetPath)
{
    GenerationRecipe rec;
    ObjectReader r(issues, v, path);
    if (!r.isObject())
        return rec;
    r.readString(QStringLiteral("provider"), rec.provider, Need::Required, false);
    r.readString(QStringLiteral("model"), rec.model);
    if (const auto kind = readKind(r, Need::Required))
        rec.kind = *kind;
    r.readString(QStringLiteral("prompt"), rec.prompt);
    r.readString(QStringLiteral("negativePrompt"), rec.negativePrompt);
    r.readInteger(QStringLiteral("seed"), rec.seed, -kMaxSeed, kMaxSeed);
    r.readInt(QStringLiteral("width"), rec.width, 16, 8192);
    r.readInt(QStringLiteral("height"), rec.height, 16, 8192);
    r.readTime(QStringLiteral("duration"), rec.duration, kOptionalDurationRule);
    r.readTime(QStringLiteral("fps"), rec.fps, kRateRule);
    if (const auto palette = r.readArray(QStringLiteral("palette"))) {
        for (qsizetype i = 0; i < palette->size(); ++i)
            if (colorValue(issues, palette->at(i), indexPath(r.pathOf(QStringLiteral("palette")), i)))
                rec.palette << palette->at(i).toString();
    }
    if (r.readString(QStringLiteral("sourceAsset"), rec.sourceAssetId) && !rec.sourceAssetId.isEmpty())
        *sourceAssetPath = r.pathOf(QStringLiteral("sourceAsset"));
    r.readString(QStringLiteral("request"), rec.requestId);
    r.readString(QStringLiteral("segment"), rec.segmentId);
    const QJsonValue params = r.take(QStringLiteral("params"));
    if (!params.isUndefined()) {
        if (params.isObject())
            rec.params = params.toObject();
        else
            issues.add(r.pathOf(QStringLiteral("params")),
                       QCoreApplication::translate("editor", "must be an object"));
    }
    r.readString(QStringLiteral("requestRecordId"), rec.requestRecordId);
    r.readString(QStringLiteral("createdAt"), rec.createdAt);
    static const QRegularExpression sha(QStringLiteral("^[0-9a-f]{64}$"));
    if (r.readString(QStringLiteral("outputSha256"), rec.outputSha256)
        && !rec.outputSha256.isEmpty() && !sha.match(rec.outputSha256).hasMatch())
        issues.add(r.pathOf(QStringLiteral("outputSha256")),
                   QCoreApplication::translate("editor", "must be 64 lowercase hex digits"));
    if (r.readString(QStringLiteral("inputSha256"), rec.inputSha256)
        && !rec.inputSha256.isEmpty() && !sha.match(rec.inputSha256).hasMatch())
        issues.add(r.pathOf(QStringLiteral("inputSha256")),
                   QCoreApplication::translate("editor", "must be 64 lowercase hex digits"));
    r.reportUnknownKeys();
    return rec;
}

// Paths in the file are relative to the project folder (absolute ones are kept as they are).
QString absoluteMediaPath(const QString &projectDir, const QString &path)
{
    return QDir::cleanPath(QDir(projectDir).absoluteFilePath(QDir::fromNativeSeparators(path)));
}

struct PendingRef {
    QString path;
    QString id;
    AssetUse use;
    bool mayNameRequest = false;  // a request's source may be a per-segment request id
};

Asset readAsset(IssueList &issues, const QJsonValue &v, const QString &path,
                const QString &projectDir, std::vector<PendingRef> &refs)
{
    Asset asset;
    ObjectReader r(issues, v, path);
    if (!r.isObject())
        return asset;
    r.readId(QStringLiteral("id"), asset.id);
    if (const auto kind = readKind(r, Need::Required))
        asset.kind = *kind;
    QString relative;
    if (r.readString(QStringLiteral("path"), relative, Need::Optional, false) && !relative.isEmpty())
        asset.path = absoluteMediaPath(projectDir, relative);
    const QJsonValue recipe = r.take(QStringLiteral("recipe"));
    if (!recipe.isUndefined()) {
        const QString recipePath = r.pathOf(QStringLiteral("recipe"));
        QString sourcePath;
        asset.recipe = readRecipe(issues, recipe, recipePath, &sourcePath);
        if (!sourcePath.isEmpty())
            refs.push_back({sourcePath, asset.recipe->sourceAssetId, AssetUse::Visual});
        if (recipe.isObject() && recipe.toObject().contains(QStringLiteral("kind"))
            && asset.recipe->kind != asset.kind)
            issues.add(recipePath + QStringLiteral(".kind"),
                       QCoreApplication::translate("editor", "must match the asset's kind (%1)")
                           .arg(assetKindName(asset.kind)));
    }
    r.readBool(QStringLiteral("pinned"), asset.pinned);
    r.reportUnknownKeys();
    return asset;
}

GenerationRequest readRequest(IssueList &issues, const QJsonValue &v, const QString &path,
                              std::vector<PendingRef> &refs)
{
    GenerationRequest req;
    ObjectReader r(issues, v, path);
    if (!r.isObject())
        return req;
    r.readId(QStringLiteral("id"), req.id);
    if (const auto kind = readKind(r, Need::Required))
        req.kind = *kind;
    r.readString(QStringLiteral("provider"), req.provider, Need::Optional, false);
    r.readString(QStringLiteral("model"), req.model);
    r.readString(QStringLiteral("prompt"), req.promptTemplate, Need::Required, false);
    r.readString(QStringLiteral("negativePrompt"), req.negativePrompt);
    r.readInteger(QStringLiteral("seed"), req.seed, -kMaxSeed, kMaxSeed);
    r.readInt(QStringLiteral("width"), req.width, 16, 8192);
    r.readInt(QStringLiteral("height"), req.height, 16, 8192);
    r.readTime(QStringLiteral("duration"), req.duration, kDurationRule);
    r.readBool(QStringLiteral("perSegment"), req.perSegment);
    if (r.readString(QStringLiteral("bindVariable"), req.bindVariable) && !req.bindVariable.isEmpty()
        && !isVariableName(req.bindVariable))
        issues.add(r.pathOf(QStringLiteral("bindVariable")),
                   QCoreApplication::translate("editor", "must be a variable name (letters, "
                                                         "digits, '_')"));
    if (r.readString(QStringLiteral("sourceAsset"), req.sourceAssetId) && !req.sourceAssetId.isEmpty())
        refs.push_back({r.pathOf(QStringLiteral("sourceAsset")), req.sourceAssetId,
                        AssetUse::Visual, req.perSegment});
    const QJsonValue params = r.take(QStringLiteral("params"));
    if (!params.isUndefined()) {
        if (params.isObject())
            req.params = params.toObject();
        else
            issues.add(r.pathOf(QStringLiteral("params")),
                       QCoreApplication::translate("editor", "must be an object"));
    }
    const QJsonValue seeds = r.take(QStringLiteral("segmentSeeds"));
    if (!seeds.isUndefined()) {
        const QString seedsPath = r.pathOf(QStringLiteral("segmentSeeds"));
        if (!seeds.isObject()) {
            issues.add(seedsPath, QCoreApplication::translate("editor", "must be an object"));
        } else {
            const QJsonObject o = seeds.toObject();
            for (auto it = o.begin(); it != o.end(); ++it) {
                const double v = it.value().toDouble(-1);
                if (!it.value().isDouble() || v != std::floor(v) || std::fabs(v) > double(kMaxSeed))
                    issues.add(seedsPath + QLatin1Char('.') + it.key(),
                               QCoreApplication::translate("editor", "must be an integer seed"));
                else
                    req.segmentSeeds.insert(it.key(), qint64(v));
            }
        }
    }
    r.reportUnknownKeys();
    return req;
}

// A JSON syntax error as "line:column" (1-based; columns count characters, not bytes).
QString syntaxErrorText(const QByteArray &json, const QJsonParseError &err)
{
    const qsizetype offset = std::clamp<qsizetype>(err.offset, 0, json.size());
    const QByteArray before = json.left(offset);
    const qsizetype line = before.count('\n') + 1;
    const qsizetype lineStart = before.lastIndexOf('\n') + 1;
    const qsizetype column = QString::fromUtf8(before.mid(lineStart)).toUcs4().size() + 1;
    return QCoreApplication::translate("editor", "JSON syntax error at line %1, column %2: %3")
        .arg(line).arg(column).arg(err.errorString());
}

LoadResult invalid(IssueList &issues)
{
    LoadResult result;
    result.status = LoadResult::Status::Invalid;
    result.issues = issues.take();
    result.message = QCoreApplication::translate("editor", "The project is not valid (%n problem(s)).",
                                                 nullptr, int(result.issues.size()));
    return result;
}

// Only version 1 exists. When version 2 comes, an upgrade step 1 -> 2 over the QJsonObject
// goes here, chained, so every older file keeps loading.
bool checkSchemaVersion(IssueList &issues, ObjectReader &root)
{
    const QString key = QStringLiteral("schemaVersion");
    const QJsonValue v = root.take(key, Need::Required);
    if (v.isUndefined())
        return false;
    const auto version = integerValue(issues, v, root.pathOf(key), -kMaxSeed, kMaxSeed);
    if (!version)
        return false;
    if (*version == kSchemaVersion)
        return true;
    if (*version > kSchemaVersion)
        issues.add(root.pathOf(key),
                   QCoreApplication::translate("editor", "this file has schema version %1, but "
                                                         "this build of Campaign Studio reads "
                                                         "version %2; open it with a newer "
                                                         "Campaign Studio")
                       .arg(*version).arg(kSchemaVersion));
    else
        issues.add(root.pathOf(key),
                   QCoreApplication::translate("editor", "this file has schema version %1, "
                                                         "which does not exist; this build of "
                                                         "Campaign Studio reads version %2")
                       .arg(*version).arg(kSchemaVersion));
    return false;
}

Approval readApproval(IssueList &issues, const QJsonValue &v, const QString &path)
{
    Approval a;
    ObjectReader r(issues, v, path);
    if (!r.isObject())
        return a;
    r.readId(QStringLiteral("segment"), a.segmentId);
    r.readId(QStringLiteral("format"), a.formatId);
    QString decision;
    if (r.readChoice(QStringLiteral("decision"), decision, {"approved", "rejected"}, Need::Required))
        a.decision = decision == QLatin1String("rejected") ? Approval::Decision::Rejected
                                                           : Approval::Decision::Approved;
    r.readString(QStringLiteral("comment"), a.comment);
    r.readString(QStringLiteral("reviewer"), a.reviewer);
    r.readString(QStringLiteral("time"), a.time);
    // Both hashes are what binds the decision to the reviewed render; without them it could
    // never be checked, so they are required.
    static const QRegularExpression sha(QStringLiteral("^[0-9a-f]{64}$"));
    for (const auto &[key, out] : {std::pair{QStringLiteral("fileSha256"), &a.fileSha256},
                                   std::pair{QStringLiteral("contentHash"), &a.contentHash}}) {
        if (r.readString(key, *out, Need::Required) && !sha.match(*out).hasMatch())
            issues.add(r.pathOf(key),
                       QCoreApplication::translate("editor", "must be 64 lowercase hex digits"));
    }
    r.reportUnknownKeys();
    return a;
}

}  // namespace

LoadResult parseCampaign(const QByteArray &json, const QString &projectDir)
{
    IssueList issues;
    if (json.size() > kMaxProjectFileBytes) {
        issues.add(QStringLiteral("$"), QCoreApplication::translate(
                                            "editor", "the file is larger than the limit of %1 MiB")
                                            .arg(kMaxProjectFileBytes / (1024 * 1024)));
        return invalid(issues);
    }
    QJsonParseError err;
    const QJsonDocument doc = QJsonDocument::fromJson(json, &err);
    if (err.error != QJsonParseError::NoError) {
        issues.add(QStringLiteral("$"), syntaxErrorText(json, err));
        return invalid(issues);
    }
    if (!doc.isObject()) {
        issues.add(QStringLiteral("$"), QCoreApplication::translate("editor", "must be a JSON object"));
        return invalid(issues);
    }
    const QString dir = QFileInfo(projectDir.isEmpty() ? QStringLiteral(".") : projectDir)
                            .absoluteFilePath();
    ObjectReader root(issues, doc.object(), QStringLiteral("$"));
    // A file of another version is not read further: its other "problems" would be noise.
    if (!checkSchemaVersion(issues, root))
        return invalid(issues);

    Campaign c;
    std::vector<PendingRef> refs;
    root.readId(QStringLiteral("id"), c.id);
    root.readString(QStringLiteral("name"), c.name);
    if (const QJsonValue brand = root.take(QStringLiteral("brandKit")); !brand.isUndefined()) {
        c.brand = readBrand(issues, brand, root.pathOf(QStringLiteral("brandKit")));
        if (!c.brand.logoAssetId.isEmpty())
            refs.push_back({QStringLiteral("$.brandKit.logo"), c.brand.logoAssetId, AssetUse::Visual});
    }
    if (const auto formats = root.readArray(QStringLiteral("formats"))) {
        QSet<QString> seen;
        QStringList known;
        for (const FormatPreset &p : builtinFormatPresets())
            known << p.id;
        for (qsizetype i = 0; i < formats->size(); ++i) {
            const QString path = indexPath(QStringLiteral("$.formats"), i);
            // A format is its preset id, or {"id": ..., "aiLabel": bool} to switch the
            // preset's visible AI-generated label on or off for this project.
            std::optional<QString> id;
            std::optional<bool> aiLabel;
            if (formats->at(i).isObject()) {
                ObjectReader entry(issues, formats->at(i), path);
                QString entryId;
                if (entry.readId(QStringLiteral("id"), entryId))
                    id = entryId;
                bool label = false;
                if (entry.has(QStringLiteral("aiLabel"))
                    && entry.readBool(QStringLiteral("aiLabel"), label))
                    aiLabel = label;
                entry.reportUnknownKeys();
            } else {
                id = stringValue(issues, formats->at(i), path, false);
            }
            if (!id)
                continue;
            checkUnique(issues, seen, *id, path, QT_TRANSLATE_NOOP("editor", "format"));
            const auto preset = std::find_if(builtinFormatPresets().begin(), builtinFormatPresets().end(),
                                             [&](const FormatPreset &p) { return p.id == *id; });
            if (preset == builtinFormatPresets().end())
                issues.add(path, QCoreApplication::translate("editor", "unknown format '%1'; "
                                                                       "known formats: %2")
                                     .arg(*id, known.join(QStringLiteral(", "))));
            else {
                c.formats.push_back(*preset);
                if (aiLabel)
                    c.formats.back().aiLabel = *aiLabel;
            }
        }
    }
    if (const auto segments = root.readArray(QStringLiteral("segments"))) {
        QSet<QString> seen;
        for (qsizetype i = 0; i < segments->size(); ++i) {
            const QString path = indexPath(QStringLiteral("$.segments"), i);
            c.segments.push_back(readSegment(issues, segments->at(i), path));
            checkUnique(issues, seen, c.segments.back().id, path + QStringLiteral(".id"),
                        QT_TRANSLATE_NOOP("editor", "segment"));
        }
    }
    ReadContext ctx;
    for (const Segment &s : c.segments)
        ctx.segmentIds << s.id;
    for (const FormatPreset &f : c.formats)
        ctx.formatIds << f.id;
    QSet<QString> perSegmentRequests;
    if (const auto assets = root.readArray(QStringLiteral("assets"))) {
        QSet<QString> seen;
        for (qsizetype i = 0; i < assets->size(); ++i) {
            const QString path = indexPath(QStringLiteral("$.assets"), i);
            c.assets.push_back(readAsset(issues, assets->at(i), path, dir, refs));
            checkUnique(issues, seen, c.assets.back().id, path + QStringLiteral(".id"),
                        QT_TRANSLATE_NOOP("editor", "asset"));
            ctx.assetKinds.insert(c.assets.back().id, c.assets.back().kind);
        }
    }
    if (const auto requests = root.readArray(QStringLiteral("generationRequests"))) {
        QSet<QString> seen;
        for (qsizetype i = 0; i < requests->size(); ++i) {
            const QString path = indexPath(QStringLiteral("$.generationRequests"), i);
            c.generationRequests.push_back(readRequest(issues, requests->at(i), path, refs));
            const GenerationRequest &req = c.generationRequests.back();
            checkUnique(issues, seen, req.id, path + QStringLiteral(".id"),
                        QT_TRANSLATE_NOOP("editor", "generation request"));
            if (!req.perSegment) {
                ctx.assetKinds.insert(req.id, req.kind);
                continue;
            }
            perSegmentRequests.insert(req.id);
            for (const Segment &seg : c.segments)
                ctx.assetKinds.insert(req.id + QLatin1Char('-') + seg.id, req.kind);
        }
    }
    for (const PendingRef &ref : refs) {
        // "hero" as the source of a per-segment image->video request means "hero-<segment>".
        if (ref.mayNameRequest && perSegmentRequests.contains(ref.id))
            continue;
        checkAssetReference(issues, ref.path, ref.id, ctx, ref.use);
    }
    const QJsonValue timeline = root.take(QStringLiteral("timeline"), Need::Required);
    if (!timeline.isUndefined())
        c.timeline = readTimeline(issues, timeline, root.pathOf(QStringLiteral("timeline")), ctx);
    // Approvals name cells by id but are not checked against the segments and formats: a
    // decision on a cell that was removed is harmless history and must not make the file
    // unopenable.
    if (const auto approvals = root.readArray(QStringLiteral("approvals"))) {
        QSet<QString> seen;
        for (qsizetype i = 0; i < approvals->size(); ++i) {
            const QString path = indexPath(QStringLiteral("$.approvals"), i);
            c.approvals.push_back(readApproval(issues, approvals->at(i), path));
            const Approval &a = c.approvals.back();
            if (!a.segmentId.isEmpty() && !a.formatId.isEmpty())
                checkUnique(issues, seen, a.segmentId + QLatin1Char('/') + a.formatId, path,
                            QT_TRANSLATE_NOOP("editor", "approval cell"));
        }
    }
    root.reportUnknownKeys();

    if (!issues.isEmpty())
        return invalid(issues);
    LoadResult result;
    result.status = LoadResult::Status::Ok;
    result.campaign = std::move(c);
    return result;
}

LoadResult loadCampaign(const QString &filePath)
{
    const QFileInfo info(filePath);
    const QString shown = QDir::toNativeSeparators(info.absoluteFilePath());
    LoadResult result;
    if (!info.exists()) {
        result.status = LoadResult::Status::FileMissing;
        result.message = QCoreApplication::translate("editor", "The project file %1 does not exist.")
                             .arg(shown);
        return result;
    }
    if (info.isDir()) {
        result.status = LoadResult::Status::FileUnreadable;
        result.message = QCoreApplication::translate("editor", "%1 is a folder, not a project file.")
                             .arg(shown);
        return result;
    }
    if (!info.isFile()) {  // a FIFO would block the read, a device might never end
        result.status = LoadResult::Status::FileUnreadable;
        result.message = QCoreApplication::translate("editor", "%1 is not a regular file (a FIFO or "
                                                               "device), so it is not a project file.")
                             .arg(shown);
        return result;
    }
    // Refuse before reading: a huge file must not be pulled into memory to be rejected.
    if (info.size() > kMaxProjectFileBytes) {
        result.status = LoadResult::Status::Invalid;
        result.message = QCoreApplication::translate("editor", "%1 is too large to be a project "
                                                               "file (%2 bytes; the limit is %3 MiB).")
                             .arg(shown).arg(info.size()).arg(kMaxProjectFileBytes / (1024 * 1024));
        result.issues.push_back({QStringLiteral("$"), result.message});
        return result;
    }
    QFile file(info.absoluteFilePath());
    if (!file.open(QIODevice::ReadOnly)) {
        result.status = LoadResult::Status::FileUnreadable;
        result.message = QCoreApplication::translate("editor", "Cannot read %1: %2")
                             .arg(shown, file.errorString());
        return result;
    }
    const QByteArray data = file.read(kMaxProjectFileBytes + 1);  // +1 detects growth since stat
    if (file.error() != QFileDevice::NoError) {
        result.status = LoadResult::Status::FileUnreadable;
        result.message = QCoreApplication::translate("editor", "Cannot read %1: %2")
                             .arg(shown, file.errorString());
        return result;
    }
    result = parseCampaign(data, info.absolutePath());
    if (result.status == LoadResult::Status::Invalid)
        result.message = QCoreApplication::translate("editor", "%1 is not a valid campaign project "
                                                               "(%n problem(s)).",
                                                     nullptr, int(result.issues.size()))
                             .arg(shown);
    return result;
}

}  // namespace editor
