// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Per-cell overrides of clip properties (Clip::overrides).
//
// What may be overridden: the keys of the clip's project-file form that describe how it looks
// and sounds - layout, fit, kenBurns, text, keyframes, transitionIn, fadeOut, gain,
// audioFadeIn, audioFadeOut (each only on the track kinds the reader allows it on).
// Master-only, and refused in an override with their reason:
//   id, locked, overrides   - they name or guard the clip itself, not a look;
//   start, duration, in     - all cells share one timeline and one cut: a variant that starts
//                             a clip later would need its own timeline, and trims and splits
//                             must mean the same thing in every cell;
//   source                  - per-segment media is what slots ("{{hero_image}}") are for;
//   reframe                 - crop tracks are already kept per (asset, format).
// Time values inside an override (keyframes, fades) are relative to the clip like the master's;
// trims and splits re-time them together with the master (timeline_edit.cpp).
//
// Order: the effective clip of a cell is the master, then the format-only override, then the
// segment-only override, then the override of exactly that cell; each one patches the keys it
// has, so the most specific one wins. It is computed by writing the master in its file form,
// merging the patches and reading the result back through the project reader, so an override
// is validated by exactly the rules of the master.

#include "campaign.h"

#include <QJsonObject>
#include <QStringList>

#include <functional>
#include <optional>
#include <vector>

namespace editor {

// Top-level keys no override may contain.
const QStringList &masterOnlyClipKeys();

// The clip in its project-file form, without its overrides (what an override patches).
QJsonObject clipToJson(const Clip &clip, TrackKind kind);

// RFC 7386 JSON merge patch: objects merge recursively, null removes, other values replace.
QJsonObject applyMergePatch(QJsonObject target, const QJsonObject &patch);
// The patch that turns `from` into `to`. A changed object is patched key by key only where
// `base` (the master's form) has that object too; elsewhere it is written whole, so the patch
// is valid on the master alone (a layout patch of just "size" would lack the layout "mode").
QJsonObject mergePatchDiff(const QJsonObject &from, const QJsonObject &to,
                           const QJsonObject &base);

// Whether `patch` sets `path` (["text", "size"]) or a parent of it.
bool patchTouches(const QJsonObject &patch, const QStringList &path);
// Removes `path` (or the parent value that covers it) from `patch`; empty parents go too.
bool removeFromPatch(QJsonObject &patch, const QStringList &path);

// Where an edit goes: the master, or the override of the current cell's format, segment or
// the cell itself.
enum class OverrideScope { Master, Format, Segment, Cell };
// The (segmentId, formatId) pair of the override a scope edits; empty ids for Master.
std::pair<QString, QString> scopeIds(OverrideScope scope, const QString &segmentId,
                                     const QString &formatId);

// The overrides that apply to cell (segmentId, formatId), in application order.
std::vector<const ClipOverride *> overridesForCell(const Clip &clip, const QString &segmentId,
                                                   const QString &formatId);
const ClipOverride *findOverride(const Clip &clip, const QString &segmentId,
                                 const QString &formatId);

// The clip as cell (segmentId, formatId) shows it. Without overrides for the cell it is the
// master itself. nullopt with `error` when the patches do not combine into a valid clip
// (each is valid on the master alone, but two could still clash).
std::optional<Clip> effectiveClip(const Clip &master, TrackKind kind, const QString &segmentId,
                                  const QString &formatId, QString *error = nullptr);
// The clip as seen by an edit in `scope`: the master and the overrides that apply before
// the scope's own one, then that one (Master scope: the master).
std::optional<Clip> scopedClip(const Clip &master, TrackKind kind, OverrideScope scope,
                               const QString &segmentId, const QString &formatId);

// Applies `edit` (a timeline_edit.h operation on a timeline holding just this clip, on a track
// of its kind) to the clip as seen in `scope` and stores the result: in the master for Master,
// else as the scope's override patch (created, changed, or removed when it becomes empty).
// Refuses a locked clip and an edit that fails; the campaign is then untouched.
using ClipEdit = std::function<bool(Timeline &, const QString &clipId)>;
bool editClipInScope(Campaign &c, const QString &clipId, OverrideScope scope,
                     const QString &segmentId, const QString &formatId, const ClipEdit &edit);

// Removes `path` from every override that applies to the cell: that property shows the
// master's value there again. Returns whether anything changed (false for a locked clip).
bool resetOverriddenProperty(Campaign &c, const QString &clipId, const QString &segmentId,
                             const QString &formatId, const QStringList &path);
// Removes every override of the clip that applies to the cell ("Reset to master").
bool resetClipToMaster(Campaign &c, const QString &clipId, const QString &segmentId,
                       const QString &formatId);

// Keep overrides pointing at existing segments (the reader refuses unknown ids): a renamed
// segment's overrides follow it, a removed segment's overrides go with it.
void renameSegmentInOverrides(Timeline &tl, const QString &oldId, const QString &newId);
void removeSegmentOverrides(Timeline &tl, const QStringList &segmentIds);

// For timing edits: `before` became `after` through `op` (applied to the master). Applies the
// same op to each override's effective clip and stores the differences again, so keyframes
// and fades in overrides follow a trim or split. `op` gets the clip to change. False when an
// override cannot follow (the edit must then be refused).
bool retimeOverrides(const Clip &before, Clip &after, TrackKind kind,
                     const std::function<void(Clip &)> &op);

}  // namespace editor
