// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Sharded rendering: `campaign-cli render --shard i/N` renders one of N disjoint, balanced
// subsets of the planned cells, and `campaign-cli manifest merge` joins the N shard manifests
// into the manifest.json a single-machine render would have written.
//
// Assignment rule (documented in docs/cli.md; its name, kShardRule, is recorded in every shard
// manifest, so a changed rule must get a new name and the merge refuses to mix the two):
//   1. the cells left after --segment/--format filtering are the plan;
//   2. each cell id "<segment>/<format>" gets FNV-1a 64 of its UTF-8 bytes;
//   3. the plan is sorted by (hash, id) and cell k of that list goes to shard k mod N.
// Sorting by a hash of the id, not by position in the project, keeps the assignment the same
// when segments or formats are reordered; dealing round-robin instead of "hash mod N" keeps
// shards within one cell of each other even for a handful of cells.
//
// Each shard writes <campaign folder>/manifest.shard-<i>-of-<N>.json: the usual manifest plus
// a top-level "shard" record (index, count, its cells, a digest of the whole plan and of the
// project file) that lets the merge prove the shards fit together.

#include "batch_export.h"
#include "export_manifest.h"

#include <QJsonObject>
#include <QMap>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace services {

inline constexpr char kShardRule[] = "fnv1a64-sorted-round-robin";
inline constexpr int kMaxShards = 100000;

struct ShardSpec {
    int index = 0;
    int count = 0;  // 0: not sharded

    bool active() const { return count > 0; }
    QString label() const;             // "2/4"
    QString manifestFileName() const;  // "manifest.shard-2-of-4.json"
};

// Parses "i/N" with 1 <= N <= kMaxShards and 0 <= i < N. On failure `error` says why.
std::optional<ShardSpec> parseShard(const QString &text, QString *error);

// FNV-1a 64 of the UTF-8 bytes of `cellId`.
quint64 stableCellHash(const QString &cellId);

// The shard (0..count-1) of every cell id of a plan, by the rule above.
QMap<QString, int> assignShards(const QStringList &cellIds, int count);

// The cells of `plan` that belong to `spec`, in plan order.
std::vector<ExportCell> selectShard(const std::vector<ExportCell> &plan, const ShardSpec &spec);

// The "shard" record of a shard manifest. `projectSha256` is the SHA-256 of the project file.
QJsonObject shardRecord(const ShardSpec &spec, const std::vector<ExportCell> &plan,
                        const QString &projectSha256);

// Before a sharded render: rewrites the shard manifest in `campaignDir` so that it holds only
// this shard's cells and the current record. Entries come from the shard manifest of an
// earlier run or, failing that, from manifest.json (a full render or an earlier merge), so an
// unchanged cell is still skipped; runExport re-checks each one before skipping it.
bool prepareShardManifest(const editor::Campaign &c, const QString &campaignDir,
                          const ShardSpec &spec, const std::vector<ExportCell> &assigned,
                          const QJsonObject &record, QString *error);

struct MergeResult {
    enum class Status {
        Ok,
        Ambiguous,     // shard manifests of several counts and no count chosen
        Missing,       // a shard manifest, a cell entry or a listed file is missing
        Inconsistent,  // shards disagree or overlap, a file's SHA-256 differs, damaged JSON
        WriteFailed,   // the merged manifest could not be written
    };
    Status status = Status::Ok;
    QStringList problems;  // every problem found, one sentence each
    QString output;        // the merged manifest's path
    int shards = 0;
    int cells = 0;
};

// Joins <campaignDir>/manifest.shard-*-of-N.json into <campaignDir>/manifest.json after
// checking that shards 0..N-1 are all there, come from the same project, plan and renderer,
// do not overlap, cover the plan, and that every listed MP4 and poster exists with the
// recorded size and SHA-256. `count` 0 means "the only N present". Nothing is written unless
// every check passes.
MergeResult mergeShardManifests(const QString &campaignDir, int count);

}  // namespace services
