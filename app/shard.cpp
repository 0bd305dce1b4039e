// SPDX-License-Identifier: GPL-3.0-or-later
#include "shard.h"

#include "cell_hash.h"
#include "file_hash.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <map>

namespace services {

namespace {
QString tr(const char *text) { return QCoreApplication::translate("services", text); }
QString key(const char *name) { return QString::fromLatin1(name); }

// The plan digest covers the sorted ids, so two shards agree on it exactly when they split
// the same set of cells, whatever order each one planned them in.
QString planDigest(QStringList ids)
{
    ids.sort();
    return QString::fromLatin1(
        QCryptographicHash::hash(ids.join(QLatin1Char('\n')).toUtf8(), QCryptographicHash::Sha256)
            .toHex());
}

QStringList jobIds(const std::vector<ExportCell> &cells)
{
    QStringList ids;
    for (const ExportCell &c : cells)
        ids << c.jobId();
    return ids;
}

QStringList toStringList(const QJsonArray &array)
{
    QStringList out;
    for (const QJsonValue &v : array)
        out << v.toString();
    return out;
}

// One shard manifest as read by the merge.
struct ShardFile {
    int index = 0;
    QString path;
    QJsonObject root;
    QJsonObject record;  // root["shard"]
    QStringList assigned;
};
}  // namespace

QString ShardSpec::label() const
{
    return QStringLiteral("%1/%2").arg(index).arg(count);
}

QString ShardSpec::manifestFileName() const
{
    return QStringLiteral("manifest.shard-%1-of-%2.json").arg(index).arg(count);
}

std::optional<ShardSpec> parseShard(const QString &text, QString *error)
{
    static const QRegularExpression form(QStringLiteral("^([0-9]{1,9})/([0-9]{1,9})$"));
    const QRegularExpressionMatch m = form.match(text);
    const auto fail = [&](const QString &why) -> std::optional<ShardSpec> {
        if (error)
            *error = tr("--shard must be INDEX/COUNT with 0 <= INDEX < COUNT <= %1 "
                        "(for example 0/4 ... 3/4), got \"%2\": %3")
                         .arg(kMaxShards).arg(text, why);
        return std::nullopt;
    };
    if (!m.hasMatch())
        return fail(tr("not two whole numbers separated by '/'"));
    ShardSpec spec;
    spec.index = m.captured(1).toInt();
    spec.count = m.captured(2).toInt();
    if (spec.count < 1 || spec.count > kMaxShards)
        return fail(tr("COUNT must be from 1 to %1").arg(kMaxShards));
    if (spec.index >= spec.count)
        return fail(tr("shards are numbered from 0 to COUNT-1"));
    return spec;
}

quint64 stableCellHash(const QString &cellId)
{
    // FNV-1a 64: tiny, specified byte by byte, identical on every platform and Qt version
    // (unlike qHash, which is seeded per process).
    quint64 h = 0xcbf29ce484222325ULL;
    for (const char byte : cellId.toUtf8()) {
        h ^= quint64(static_cast<unsigned char>(byte));
        h *= 0x100000001b3ULL;
    }
    return h;
}

QMap<QString, int> assignShards(const QStringList &cellIds, int count)
{
    std::vector<std::pair<quint64, QString>> order;
    order.reserve(size_t(cellIds.size()));
    for (const QString &id : cellIds)
        order.emplace_back(stableCellHash(id), id);
    // Ties on the hash (different ids, same 64 bits) are broken by the id, so the order is
    // total and the same everywhere.
    std::sort(order.begin(), order.end());
    QMap<QString, int> shards;
    const int n = std::max(1, count);
    for (size_t k = 0; k < order.size(); ++k)
        shards.insert(order[k].second, int(k % size_t(n)));
    return shards;
}

std::vector<ExportCell> selectShard(const std::vector<ExportCell> &plan, const ShardSpec &spec)
{
    if (!spec.active())
        return plan;
    const QMap<QString, int> shards = assignShards(jobIds(plan), spec.count);
    std::vector<ExportCell> out;
    for (const ExportCell &c : plan)
        if (shards.value(c.jobId()) == spec.index)
            out.push_back(c);
    return out;
}

QJsonObject shardRecord(const ShardSpec &spec, const std::vector<ExportCell> &plan,
                        const QString &projectSha256)
{
    QStringList assigned = jobIds(selectShard(plan, spec));
    assigned.sort();
    return QJsonObject{
        {key("index"), spec.index},
        {key("count"), spec.count},
        {key("rule"), QString::fromLatin1(kShardRule)},
        {key("cells"), QJsonArray::fromStringList(assigned)},
        {key("planCells"), int(plan.size())},
        {key("planSha256"), planDigest(jobIds(plan))},
        {key("projectSha256"), projectSha256},
    };
}

bool prepareShardManifest(const editor::Campaign &c, const QString &campaignDir,
                          const ShardSpec &spec, const std::vector<ExportCell> &assigned,
                          const QJsonObject &record, QString *error)
{
    const QDir dir(campaignDir);
    ExportManifest shard(dir.filePath(spec.manifestFileName()), c.id, c.name);
    ExportManifest full(dir.filePath(QStringLiteral("manifest.json")), c.id, c.name);
    QString warning;
    shard.load(&warning);
    if (!warning.isEmpty())
        qWarning("%s", qPrintable(warning));
    full.load();  // a damaged full manifest only means nothing is seeded from it
    QList<ManifestCell> kept;
    for (const ExportCell &cell : assigned) {
        // Entries of cells that are no longer this shard's (another --shard count or filter
        // wrote this file before) are dropped: they would overlap another shard at merge time.
        if (const std::optional<ManifestCell> e = shard.cell(cell.jobId()))
            kept << *e;
        else if (const std::optional<ManifestCell> e = full.cell(cell.jobId()))
            kept << *e;
    }
    shard.setExtra(QJsonObject{{key("shard"), record}});
    return shard.replaceCells(kept, error);
}

MergeResult mergeShardManifests(const QString &campaignDir, int count)
{
    MergeResult result;
    const QDir dir(QFileInfo(campaignDir).absoluteFilePath());
    QStringList inconsistent;
    QStringList missing;

    static const QRegularExpression name(
        QStringLiteral("^manifest\\.shard-([0-9]{1,9})-of-([0-9]{1,9})\\.json$"));
    std::map<int, QMap<int, QString>> byCount;  // count -> index -> file name
    for (const QString &file : dir.entryList(QDir::Files, QDir::Name)) {
        const QRegularExpressionMatch m = name.match(file);
        if (m.hasMatch())
            byCount[m.captured(2).toInt()].insert(m.captured(1).toInt(), file);
    }
    if (byCount.empty()) {
        result.status = MergeResult::Status::Missing;
        result.problems << tr("No shard manifests (manifest.shard-I-of-N.json) in %1.")
                               .arg(QDir::toNativeSeparators(dir.path()));
        return result;
    }
    if (count == 0 && byCount.size() > 1) {
        QStringList counts;
        for (const auto &[n, files] : byCount)
            counts << QString::number(n);
        result.status = MergeResult::Status::Ambiguous;
        result.problems << tr("%1 holds shard manifests of several shard counts (%2); choose one "
                              "with --shards N.")
                               .arg(QDir::toNativeSeparators(dir.path()),
                                    counts.join(QStringLiteral(", ")));
        return result;
    }
    if (count == 0)
        count = byCount.begin()->first;
    const QMap<int, QString> files = byCount[count];

    std::vector<ShardFile> shards;
    for (int i = 0; i < count; ++i) {
        const QString file = files.value(i);
        if (file.isEmpty()) {
            missing << tr("Shard %1/%2 has no manifest (%3): run campaign-cli render ... "
                          "--shard %1/%2 into the same --out folder.")
                           .arg(i).arg(count)
                           .arg(ShardSpec{i, count}.manifestFileName());
            continue;
        }
        ShardFile s;
        s.index = i;
        s.path = dir.filePath(file);
        QFile f(s.path);
        if (!f.open(QIODevice::ReadOnly)) {
            missing << tr("Cannot read %1: %2").arg(QDir::toNativeSeparators(s.path), f.errorString());
            continue;
        }
        QJsonParseError parseError;
        const QJsonDocument doc = QJsonDocument::fromJson(f.readAll(), &parseError);
        if (parseError.error != QJsonParseError::NoError || !doc.isObject()) {
            inconsistent << tr("%1 is not valid JSON: %2")
                                .arg(QDir::toNativeSeparators(s.path), parseError.errorString());
            continue;
        }
        s.root = doc.object();
        s.record = s.root.value(key("shard")).toObject();
        s.assigned = toStringList(s.record.value(key("cells")).toArray());
        if (s.record.value(key("index")).toInt(-1) != i
            || s.record.value(key("count")).toInt(-1) != count) {
            inconsistent << tr("%1 does not describe shard %2/%3 (its \"shard\" record says %4/%5).")
                                .arg(file).arg(i).arg(count)
                                .arg(s.record.value(key("index")).toInt(-1))
                                .arg(s.record.value(key("count")).toInt(-1));
            continue;
        }
        shards.push_back(s);
    }

    // Everything that must be the same in every shard, compared with shard 0 (or the first
    // readable one).
    const auto sameEverywhere = [&](const QString &what, const auto &valueOf) {
        if (shards.empty())
            return;
        const QJsonValue first = valueOf(shards.front());
        for (const ShardFile &s : shards)
            if (valueOf(s) != first)
                inconsistent << tr("Shards %1/%3 and %2/%3 differ in %4 (%5 vs %6): they were not "
                                   "rendered from the same project and settings; render every "
                                   "shard again with the same project.")
                                    .arg(shards.front().index).arg(s.index).arg(count)
                                    .arg(what,
                                         QString::fromUtf8(QJsonDocument(QJsonArray{first}).toJson(QJsonDocument::Compact)),
                                         QString::fromUtf8(QJsonDocument(QJsonArray{valueOf(s)}).toJson(QJsonDocument::Compact)));
    };
    const auto field = [](const char *k) {
        return [k](const ShardFile &s) { return s.root.value(QString::fromLatin1(k)); };
    };
    const auto recordField = [](const char *k) {
        return [k](const ShardFile &s) { return s.record.value(QString::fromLatin1(k)); };
    };
    sameEverywhere(QStringLiteral("manifestVersion"), field("manifestVersion"));
    sameEverywhere(QStringLiteral("campaign"), field("campaign"));
    sameEverywhere(QStringLiteral("rendererVersion"), field("rendererVersion"));
    sameEverywhere(QStringLiteral("the shard rule"), recordField("rule"));
    sameEverywhere(QStringLiteral("the planned cells"), recordField("planSha256"));
    sameEverywhere(QStringLiteral("the project file"), recordField("projectSha256"));
    for (const ShardFile &s : shards) {
        if (s.root.value(key("manifestVersion")).toInt() != kManifestVersion)
            inconsistent << tr("%1 has manifestVersion %2; this campaign-cli reads %3.")
                                .arg(QFileInfo(s.path).fileName())
                                .arg(s.root.value(key("manifestVersion")).toInt()).arg(kManifestVersion);
        if (s.root.value(key("rendererVersion")).toString() != QLatin1String(kRendererVersion))
            inconsistent << tr("%1 was rendered by %2, but this campaign-cli is %3: merge with the "
                               "build that rendered the shards.")
                                .arg(QFileInfo(s.path).fileName(),
                                     s.root.value(key("rendererVersion")).toString(),
                                     QString::fromLatin1(kRendererVersion));
        if (s.record.value(key("rule")).toString() != QLatin1String(kShardRule))
            inconsistent << tr("%1 uses the shard rule \"%2\"; this campaign-cli knows \"%3\".")
                                .arg(QFileInfo(s.path).fileName(),
                                     s.record.value(key("rule")).toString(),
                                     QString::fromLatin1(kShardRule));
    }

    // Disjoint, and together exactly the plan.
    QMap<QString, int> owner;
    for (const ShardFile &s : shards)
        for (const QString &id : s.assigned) {
            if (owner.contains(id))
                inconsistent << tr("Shards %1/%3 and %2/%3 overlap: both list the cell %4.")
                                    .arg(owner.value(id)).arg(s.index).arg(count).arg(id);
            else
                owner.insert(id, s.index);
        }
    if (!shards.empty() && int(shards.size()) == count) {
        const QJsonObject rec = shards.front().record;
        if (owner.size() != rec.value(key("planCells")).toInt(-1)
            || planDigest(owner.keys()) != rec.value(key("planSha256")).toString())
            inconsistent << tr("The shards' cells (%1) do not add up to the planned %2 cells.")
                                .arg(owner.size()).arg(rec.value(key("planCells")).toInt(-1));
    }

    // Every cell of every shard: an entry, and files that still match it.
    QList<ManifestCell> merged;
    const QString root = QDir::cleanPath(dir.path()) + QLatin1Char('/');
    const auto inside = [&](const QString &relative) {
        const QString path = QDir::cleanPath(dir.filePath(relative));
        return path.startsWith(root) ? path : QString();
    };
    for (const ShardFile &s : shards) {
        const QString file = QFileInfo(s.path).fileName();
        QSet<QString> seen;
        for (const QJsonValue &v : s.root.value(key("cells")).toArray()) {
            const std::optional<ManifestCell> c = manifestCellFromJson(v.toObject());
            if (!c) {
                inconsistent << tr("%1 has an incomplete cell entry.").arg(file);
                continue;
            }
            if (!s.assigned.contains(c->jobId())) {
                inconsistent << tr("%1 lists the cell %2, which is not one of shard %3/%4's cells.")
                                    .arg(file, c->jobId()).arg(s.index).arg(count);
                continue;
            }
            seen.insert(c->jobId());
            const QString mp4 = inside(c->file);
            const QString poster = inside(c->poster);
            if (mp4.isEmpty() || poster.isEmpty()) {
                inconsistent << tr("%1: the cell %2 names a file outside %3.")
                                    .arg(file, c->jobId(), QDir::toNativeSeparators(dir.path()));
                continue;
            }
            if (!QFileInfo(mp4).isFile()) {
                missing << tr("%1 (cell %2 of shard %3/%4) is missing.")
                               .arg(QDir::toNativeSeparators(mp4), c->jobId()).arg(s.index).arg(count);
                continue;
            }
            if (!QFileInfo(poster).isFile())
                missing << tr("%1 (poster of cell %2) is missing.")
                               .arg(QDir::toNativeSeparators(poster), c->jobId());
            QString hashError;
            const QString sha = QFileInfo(mp4).size() == c->bytes ? sha256OfFile(mp4, &hashError)
                                                                  : QStringLiteral("(size differs)");
            if (sha.isEmpty())
                missing << hashError;
            else if (sha != c->sha256)
                inconsistent << tr("%1 does not match its manifest entry (cell %2): recorded "
                                   "SHA-256 %3, %4 bytes; on disk %5, %6 bytes. Render the cell "
                                   "again with --shard %7/%8.")
                                    .arg(QDir::toNativeSeparators(mp4), c->jobId(), c->sha256)
                                    .arg(c->bytes)
                                    .arg(sha)
                                    .arg(QFileInfo(mp4).size())
                                    .arg(s.index).arg(count);
            merged << *c;
        }
        for (const QString &id : s.assigned)
            if (!seen.contains(id))
                missing << tr("The cell %1 of shard %2/%3 has no entry in %4 (it failed or was not "
                              "rendered): run that shard again.")
                               .arg(id).arg(s.index).arg(count).arg(file);
    }

    result.shards = int(shards.size());
    result.cells = int(merged.size());
    result.problems = inconsistent + missing;
    if (!inconsistent.isEmpty() || !missing.isEmpty()) {
        result.status = inconsistent.isEmpty() ? MergeResult::Status::Missing
                                               : MergeResult::Status::Inconsistent;
        return result;
    }
    const QJsonObject campaign = shards.front().root.value(key("campaign")).toObject();
    ExportManifest out(dir.filePath(QStringLiteral("manifest.json")),
                       campaign.value(key("id")).toString(), campaign.value(key("name")).toString());
    result.output = out.path();
    QString error;
    if (!out.replaceCells(merged, &error)) {
        result.status = MergeResult::Status::WriteFailed;
        result.problems << error;
    }
    return result;
}

}  // namespace services
