// SPDX-License-Identifier: GPL-3.0-or-later
#include "clip_override.h"

#include "json_writer.h"
#include "reader_context.h"
#include "timeline_edit.h"

#include <QCoreApplication>
#include <QJsonArray>
#include <QJsonDocument>

#include <algorithm>

namespace editor {

using namespace detail;

namespace {

QString cellName(const QString &segmentId, const QString &formatId)
{
    return QStringLiteral("%1/%2").arg(segmentId.isEmpty() ? QStringLiteral("*") : segmentId,
                                       formatId.isEmpty() ? QStringLiteral("*") : formatId);
}

// Reads `json` as a clip of `kind`; nullopt with the first problem in `error`.
std::optional<Clip> readBack(const QJsonObject &json, TrackKind kind, QString *error)
{
    IssueList issues;
    Clip clip = readClipObject(issues, json, QStringLiteral("$"), kind, nullptr);
    if (!issues.isEmpty()) {
        if (error)
            *error = issues.take().front().toString();
        return std::nullopt;
    }
    return clip;
}

Clip *mutableClip(Campaign &c, const QString &clipId, TrackKind *kind)
{
    const ClipLocation loc = findClip(c.timeline, clipId);
    if (!loc.isValid())
        return nullptr;
    Track &track = c.timeline.tracks[size_t(loc.track)];
    *kind = track.kind;
    return &track.clips[size_t(loc.index)];
}

// The overrides before the scope's own one in application order, then that one (if any).
struct ScopeLayers {
    std::vector<const ClipOverride *> before;
    const ClipOverride *own = nullptr;
};

ScopeLayers layersFor(const Clip &clip, OverrideScope scope, const QString &segmentId,
                      const QString &formatId)
{
    ScopeLayers layers;
    if (scope == OverrideScope::Master)
        return layers;
    const auto [seg, fmt] = scopeIds(scope, segmentId, formatId);
    for (const ClipOverride *o : overridesForCell(clip, segmentId, formatId)) {
        if (o->segmentId == seg && o->formatId == fmt) {
            layers.own = o;
            break;  // the ones after it do not shape what this scope edits
        }
        layers.before.push_back(o);
    }
    // Layers after the scope in application order must not be in `before`: the order is
    // format, segment, cell, so anything more specific than the scope is dropped.
    const int rank = scope == OverrideScope::Format ? 0 : scope == OverrideScope::Segment ? 1 : 2;
    std::erase_if(layers.before, [&](const ClipOverride *o) {
        const int r = o->segmentId.isEmpty() ? 0 : o->formatId.isEmpty() ? 1 : 2;
        return r >= rank;
    });
    return layers;
}

}  // namespace

const QStringList &masterOnlyClipKeys()
{
    static const QStringList keys{QStringLiteral("id"),       QStringLiteral("locked"),
                                  QStringLiteral("overrides"), QStringLiteral("start"),
                                  QStringLiteral("duration"), QStringLiteral("in"),
                                  QStringLiteral("source"),   QStringLiteral("reframe")};
    return keys;
}

QJsonObject clipToJson(const Clip &clip, TrackKind kind)
{
    return QJsonDocument::fromJson(clipNode(clip, kind, false).toJson(true)).object();
}

QJsonObject applyMergePatch(QJsonObject target, const QJsonObject &patch)
{
    for (auto it = patch.constBegin(); it != patch.constEnd(); ++it) {
        if (it.value().isNull())
            target.remove(it.key());
        else if (it.value().isObject())
            target.insert(it.key(), applyMergePatch(target.value(it.key()).toObject(),
                                                    it.value().toObject()));
        else
            target.insert(it.key(), it.value());
    }
    return target;
}

QJsonObject mergePatchDiff(const QJsonObject &from, const QJsonObject &to, const QJsonObject &base)
{
    QJsonObject patch;
    for (auto it = from.constBegin(); it != from.constEnd(); ++it)
        if (!to.contains(it.key()))
            patch.insert(it.key(), QJsonValue::Null);
    for (auto it = to.constBegin(); it != to.constEnd(); ++it) {
        const QJsonValue old = from.value(it.key());
        if (old == it.value())
            continue;
        const QJsonValue inBase = base.value(it.key());
        if (old.isObject() && it.value().isObject() && inBase.isObject())
            patch.insert(it.key(), mergePatchDiff(old.toObject(), it.value().toObject(),
                                                  inBase.toObject()));
        else
            patch.insert(it.key(), it.value());
    }
    return patch;
}

bool patchTouches(const QJsonObject &patch, const QStringList &path)
{
    QJsonObject level = patch;
    for (qsizetype i = 0; i < path.size(); ++i) {
        const auto it = level.constFind(path[i]);
        if (it == level.constEnd())
            return false;
        if (i == path.size() - 1 || !it.value().isObject())
            return true;  // the value itself, or a parent replaced or removed as a whole
        level = it.value().toObject();
    }
    return false;
}

bool removeFromPatch(QJsonObject &patch, const QStringList &path)
{
    if (path.isEmpty() || !patch.contains(path.front()))
        return false;
    const QJsonValue v = patch.value(path.front());
    if (path.size() == 1 || !v.isObject()) {
        patch.remove(path.front());
        return true;
    }
    QJsonObject child = v.toObject();
    if (!removeFromPatch(child, path.mid(1)))
        return false;
    if (child.isEmpty())
        patch.remove(path.front());
    else
        patch.insert(path.front(), child);
    return true;
}

std::pair<QString, QString> scopeIds(OverrideScope scope, const QString &segmentId,
                                     const QString &formatId)
{
    switch (scope) {
    case OverrideScope::Master: break;
    case OverrideScope::Format: return {QString(), formatId};
    case OverrideScope::Segment: return {segmentId, QString()};
    case OverrideScope::Cell: return {segmentId, formatId};
    }
    return {};
}

std::vector<const ClipOverride *> overridesForCell(const Clip &clip, const QString &segmentId,
                                                   const QString &formatId)
{
    std::vector<const ClipOverride *> out;
    // Format-only, then segment-only, then the exact cell: the most specific wins.
    for (const auto &[seg, fmt] : {std::pair{QString(), formatId}, std::pair{segmentId, QString()},
                                   std::pair{segmentId, formatId}}) {
        if (seg.isEmpty() && fmt.isEmpty())
            continue;
        if (const ClipOverride *o = findOverride(clip, seg, fmt))
            out.push_back(o);
    }
    return out;
}

const ClipOverride *findOverride(const Clip &clip, const QString &segmentId, const QString &formatId)
{
    for (const ClipOverride &o : clip.overrides)
        if (o.segmentId == segmentId && o.formatId == formatId)
            return &o;
    return nullptr;
}

std::optional<Clip> effectiveClip(const Clip &master, TrackKind kind, const QString &segmentId,
                                  const QString &formatId, QString *error)
{
    const std::vector<const ClipOverride *> layers = overridesForCell(master, segmentId, formatId);
    if (layers.empty())
        return master;
    QJsonObject json = clipToJson(master, kind);
    for (const ClipOverride *o : layers)
        json = applyMergePatch(json, o->properties);
    QString problem;
    std::optional<Clip> clip = readBack(json, kind, &problem);
    if (!clip) {
        if (error)
            *error = QCoreApplication::translate("editor", "Clip '%1': its overrides for %2 do "
                                                           "not combine into a valid clip (%3). "
                                                           "Reset one of them in the inspector.")
                         .arg(master.id, cellName(segmentId, formatId), problem);
        return std::nullopt;
    }
    clip->overrides = master.overrides;
    return clip;
}

std::optional<Clip> scopedClip(const Clip &master, TrackKind kind, OverrideScope scope,
                               const QString &segmentId, const QString &formatId)
{
    const ScopeLayers layers = layersFor(master, scope, segmentId, formatId);
    if (layers.before.empty() && !layers.own)
        return master;
    QJsonObject json = clipToJson(master, kind);
    for (const ClipOverride *o : layers.before)
        json = applyMergePatch(json, o->properties);
    if (layers.own)
        json = applyMergePatch(json, layers.own->properties);
    std::optional<Clip> clip = readBack(json, kind, nullptr);
    if (clip)
        clip->overrides = master.overrides;
    return clip;
}

bool editClipInScope(Campaign &c, const QString &clipId, OverrideScope scope,
                     const QString &segmentId, const QString &formatId, const ClipEdit &edit)
{
    TrackKind kind{};
    Clip *master = mutableClip(c, clipId, &kind);
    if (!master || master->locked)
        return false;
    const auto [seg, fmt] = scopeIds(scope, segmentId, formatId);
    if (scope != OverrideScope::Master && seg.isEmpty() && fmt.isEmpty())
        return false;  // no cell to scope to
    // The edit runs on a timeline holding just the scoped clip, so every timeline_edit.h
    // operation (and its validation) works unchanged in any scope.
    Timeline single;
    single.fps = c.timeline.fps;
    single.duration = c.timeline.duration;
    single.tracks.push_back(Track{QStringLiteral("scope"), kind, QString(), {}});
    const std::optional<Clip> seen = scopedClip(*master, kind, scope, segmentId, formatId);
    if (!seen)
        return false;
    single.tracks[0].clips.push_back(*seen);
    if (!edit(single, clipId) || single.tracks[0].clips.size() != 1
        || single.tracks[0].clips[0].id != clipId)
        return false;
    Clip edited = std::move(single.tracks[0].clips[0]);
    if (scope == OverrideScope::Master) {
        // Timing is master-only, so keyframes in overrides never need re-timing here: the
        // property edits that reach this function do not move or trim the clip.
        edited.overrides = master->overrides;
        edited.locked = master->locked;
        *master = std::move(edited);
        return true;
    }
    const ScopeLayers layers = layersFor(*master, scope, segmentId, formatId);
    const QJsonObject masterJson = clipToJson(*master, kind);
    QJsonObject before = masterJson;
    for (const ClipOverride *o : layers.before)
        before = applyMergePatch(before, o->properties);
    const QJsonObject patch = mergePatchDiff(before, clipToJson(edited, kind), masterJson);
    for (const QString &key : masterOnlyClipKeys())
        if (patch.contains(key))
            return false;  // the edit changed timing or identity: not something a cell may do
    // The stored patch must be valid on the master alone, as the reader checks it.
    if (!patch.isEmpty() && !readBack(applyMergePatch(masterJson, patch), kind, nullptr))
        return false;
    auto it = std::find_if(master->overrides.begin(), master->overrides.end(),
                           [&](const ClipOverride &o) {
                               return o.segmentId == seg && o.formatId == fmt;
                           });
    if (patch.isEmpty()) {
        if (it != master->overrides.end())
            master->overrides.erase(it);
    } else if (it != master->overrides.end()) {
        it->properties = patch;
    } else {
        master->overrides.push_back(ClipOverride{seg, fmt, patch});
    }
    return true;
}

bool resetOverriddenProperty(Campaign &c, const QString &clipId, const QString &segmentId,
                             const QString &formatId, const QStringList &path)
{
    TrackKind kind{};
    Clip *clip = mutableClip(c, clipId, &kind);
    if (!clip || clip->locked)
        return false;
    bool changed = false;
    for (const ClipOverride *applying : overridesForCell(*clip, segmentId, formatId)) {
        auto &o = const_cast<ClipOverride &>(*applying);
        changed = removeFromPatch(o.properties, path) || changed;
    }
    std::erase_if(clip->overrides, [](const ClipOverride &o) { return o.properties.isEmpty(); });
    return changed;
}

bool resetClipToMaster(Campaign &c, const QString &clipId, const QString &segmentId,
                       const QString &formatId)
{
    TrackKind kind{};
    Clip *clip = mutableClip(c, clipId, &kind);
    if (!clip || clip->locked)
        return false;
    const std::vector<const ClipOverride *> applying = overridesForCell(*clip, segmentId, formatId);
    if (applying.empty())
        return false;
    std::erase_if(clip->overrides, [&](const ClipOverride &o) {
        return std::find(applying.begin(), applying.end(), &o) != applying.end();
    });
    return true;
}

void renameSegmentInOverrides(Timeline &tl, const QString &oldId, const QString &newId)
{
    for (Track &track : tl.tracks)
        for (Clip &clip : track.clips)
            for (ClipOverride &o : clip.overrides)
                if (o.segmentId == oldId)
                    o.segmentId = newId;
}

void removeSegmentOverrides(Timeline &tl, const QStringList &segmentIds)
{
    for (Track &track : tl.tracks)
        for (Clip &clip : track.clips)
            std::erase_if(clip.overrides, [&](const ClipOverride &o) {
                return !o.segmentId.isEmpty() && segmentIds.contains(o.segmentId);
            });
}

bool retimeOverrides(const Clip &before, Clip &after, TrackKind kind,
                     const std::function<void(Clip &)> &op)
{
    if (before.overrides.empty())
        return true;
    const QJsonObject masterBefore = clipToJson(before, kind);
    const QJsonObject masterAfter = clipToJson(after, kind);
    std::vector<ClipOverride> retimed;
    for (const ClipOverride &o : before.overrides) {
        std::optional<Clip> seen =
            readBack(applyMergePatch(masterBefore, o.properties), kind, nullptr);
        if (!seen)
            return false;
        op(*seen);
        seen->id = after.id;  // a split gives the right part a new id
        const QJsonObject patch = mergePatchDiff(masterAfter, clipToJson(*seen, kind), masterAfter);
        if (patch.isEmpty())
            continue;  // the edit removed what made this override differ
        for (const QString &key : masterOnlyClipKeys())
            if (patch.contains(key))
                return false;
        retimed.push_back(ClipOverride{o.segmentId, o.formatId, patch});
    }
    after.overrides = std::move(retimed);
    return true;
}

namespace detail {

std::vector<ClipOverride> readClipOverrides(IssueList &issues, const QJsonValue &value,
                                            const QString &path, const Clip &master,
                                            TrackKind kind, const ReadContext &ctx,
                                            bool checkAgainstMaster)
{
    std::vector<ClipOverride> out;
    if (!value.isArray()) {
        issues.add(path, QCoreApplication::translate("editor", "must be an array"));
        return out;
    }
    const QJsonArray array = value.toArray();
    const QJsonObject masterJson = checkAgainstMaster ? clipToJson(master, kind) : QJsonObject();
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString itemPath = indexPath(path, i);
        ObjectReader r(issues, array.at(i), itemPath);
        if (!r.isObject())
            continue;
        ClipOverride o;
        bool idsOk = r.readString(QStringLiteral("segment"), o.segmentId, Need::Optional, false);
        idsOk = r.readString(QStringLiteral("format"), o.formatId, Need::Optional, false) && idsOk;
        if (idsOk && o.segmentId.isEmpty() && o.formatId.isEmpty()) {
            issues.add(itemPath, QCoreApplication::translate(
                                     "editor", "needs \"segment\", \"format\" or both; an "
                                               "override for every cell is the clip itself"));
            idsOk = false;
        }
        if (!o.segmentId.isEmpty() && !ctx.segmentIds.contains(o.segmentId)) {
            issues.add(r.pathOf(QStringLiteral("segment")),
                       QCoreApplication::translate("editor", "unknown segment '%1'; the "
                                                             "segments are: %2")
                           .arg(o.segmentId, ctx.segmentIds.join(QStringLiteral(", "))));
            idsOk = false;
        }
        if (!o.formatId.isEmpty() && !ctx.formatIds.contains(o.formatId)) {
            issues.add(r.pathOf(QStringLiteral("format")),
                       QCoreApplication::translate("editor", "unknown format '%1'; this "
                                                             "project's formats are: %2")
                           .arg(o.formatId, ctx.formatIds.join(QStringLiteral(", "))));
            idsOk = false;
        }
        const bool duplicate = std::any_of(out.begin(), out.end(), [&](const ClipOverride &e) {
            return e.segmentId == o.segmentId && e.formatId == o.formatId;
        });
        if (idsOk && duplicate)
            issues.add(itemPath, QCoreApplication::translate("editor", "a second override for "
                                                                       "the same cell (%1)")
                                     .arg(cellName(o.segmentId, o.formatId)));
        const QString propsPath = r.pathOf(QStringLiteral("properties"));
        const QJsonValue props = r.take(QStringLiteral("properties"), Need::Required);
        r.reportUnknownKeys();
        if (props.isUndefined()) {
            out.push_back(o);
            continue;
        }
        if (!props.isObject()) {
            issues.add(propsPath, QCoreApplication::translate("editor", "must be an object"));
            out.push_back(o);
            continue;
        }
        o.properties = props.toObject();
        if (o.properties.isEmpty())
            issues.add(propsPath, QCoreApplication::translate(
                                      "editor", "is empty; remove the override instead"));
        bool keysOk = true;
        for (const QString &key : masterOnlyClipKeys()) {
            if (!o.properties.contains(key))
                continue;
            keysOk = false;
            issues.add(childPath(propsPath, key),
                       QCoreApplication::translate("editor", "'%1' cannot be overridden per "
                                                             "cell: timing, identity, source "
                                                             "and crop tracks belong to the "
                                                             "master clip (all cells share one "
                                                             "timeline)")
                           .arg(key));
        }
        // The master with this patch is read like a clip in the file, with the patch's path,
        // so a bad value is reported where it is written.
        if (checkAgainstMaster && keysOk && !o.properties.isEmpty())
            readClipObject(issues, applyMergePatch(masterJson, o.properties), propsPath, kind,
                           nullptr);
        out.push_back(std::move(o));
    }
    return out;
}

}  // namespace detail

}  // namespace editor
