// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to the project reader: what the timeline reader needs to know about the rest of the
// document to check references while it reads, so each issue gets the exact path of the value.

#include "json_reader.h"

#include <QHash>

namespace editor::detail {

struct ReadContext {
    // Every asset id a reference may name: assets in the file plus the ones the generation
    // requests will create ("run-clip", "hero-se-genz"), so a project whose media has not been
    // generated yet is still a valid project.
    QHash<QString, AssetKind> assetKinds;
    // What a clip override may name.
    QStringList segmentIds;
    QStringList formatIds;
};

enum class AssetUse { Visual, Audio, Any };

// Records an issue at `path` when `id` names no known asset or one of the wrong kind.
bool checkAssetReference(IssueList &issues, const QString &path, const QString &id,
                         const ReadContext &ctx, AssetUse use);

// "{{name}}" exactly; returns the name or an empty string.
QString slotName(const QString &source);

// One clip in its project form, for a track of `kind`. Without `ctx` (re-reading a clip with
// an override applied) asset references are not checked and "overrides" are not read.
Clip readClipObject(IssueList &issues, const QJsonValue &v, const QString &path, TrackKind kind,
                    const ReadContext *ctx);

// The "overrides" array of `master` (read before); each entry is checked by reading the master
// with its patch applied when `checkAgainstMaster`, so a bad value gets the patch's path.
std::vector<ClipOverride> readClipOverrides(IssueList &issues, const QJsonValue &value,
                                            const QString &path, const Clip &master,
                                            TrackKind kind, const ReadContext &ctx,
                                            bool checkAgainstMaster);

Timeline readTimeline(IssueList &issues, const QJsonValue &value, const QString &path,
                      const ReadContext &ctx);

}  // namespace editor::detail
