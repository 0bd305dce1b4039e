// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Timeline edit operations as pure functions over the model, with no widgets and no undo:
// the timeline view and the inspector call them inside Document::edit(), which records the
// whole change as one undo step.
//
// Every operation is failure-atomic: it returns false and leaves the timeline untouched when
// the edit is invalid (a clip would get a zero or negative duration, a clip would land on a
// track of an incompatible kind, a time lies outside the timeline). When it returns true the
// timeline keeps the model's invariants that the reader checks: clips sorted by start within
// a track, ids unique, fades and keyframes within their clip.
//
// Times are exact Rationals; the caller converts from pixels or frames at the display edge.

#include "campaign.h"

#include <optional>
#include <vector>

namespace editor {

// Locked clips (Clip::locked, brand layers such as the logo) are refused by every operation
// below that changes a clip: move, trim, split, delete, ripple delete (also when it would move
// a later locked clip), crossfade and keyframes. lockedClipMessage() says why, for the UI.

// Where a clip lives in the timeline: indices valid until the next edit.
struct ClipLocation {
    int track = -1;
    int index = -1;
    bool isValid() const { return track >= 0 && index >= 0; }
};

ClipLocation findClip(const Timeline &tl, const QString &clipId);
const Clip *clipById(const Timeline &tl, const QString &clipId);
const Track *trackOfClip(const Timeline &tl, const QString &clipId);

// Video and image tracks both hold visual media clips with the same fields, so a clip may move
// between them; text and audio clips have their own fields and stay on their kind.
bool tracksCompatible(TrackKind from, TrackKind to);

// `base` when no clip uses it, else "base-2", "base-3", ...
QString uniqueClipId(const Timeline &tl, const QString &base);

Rational clipEnd(const Clip &clip);

// Empty when `clipId` may be edited; else a message naming the locked clip and the way out.
// With `ripple`, also when a ripple delete of the clip would move a later locked clip.
QString lockedClipMessage(const Timeline &tl, const QString &clipId, bool ripple = false);
// The one edit a locked clip accepts.
bool setClipLocked(Timeline &tl, const QString &clipId, bool locked);

// Moves a clip to `toTrack` at `newStart`. The whole clip must stay within [0, duration].
bool moveClip(Timeline &tl, const QString &clipId, int toTrack, const Rational &newStart);

// Moves the clip's left edge to `newStart`, keeping its end: for video and audio the source
// offset `in` follows so the same media stays under the same timeline time (refused when `in`
// would become negative). Keyframes stay at their timeline position; those that fall outside
// the shortened clip are dropped, fades are shortened to fit.
bool trimStart(Timeline &tl, const QString &clipId, const Rational &newStart);
// Moves the clip's right edge to `newEnd`, keeping its start.
bool trimEnd(Timeline &tl, const QString &clipId, const Rational &newEnd);

// Cuts the clip at timeline time `at` (strictly inside it) into two clips; the right part gets
// a new unique id (returned in `*rightId`). The cut is invisible: keyframe curves and Ken
// Burns get a value at the cut on both sides, the crossfade stays on the left part and the
// fade out on the right one.
bool splitClip(Timeline &tl, const QString &clipId, const Rational &at, QString *rightId = nullptr);

bool removeClip(Timeline &tl, const QString &clipId);
// Removes the clip and pulls the later clips of its track left to close the gap. The later
// clips move together by one amount (the removed duration, or less when a later clip started
// inside the removed one), so the crossfades among them are kept.
bool rippleDelete(Timeline &tl, const QString &clipId);

// Crossfade from what is below at the clip start; 0 removes it. Visual clips only.
bool setTransitionIn(Timeline &tl, const QString &clipId, const Rational &length);

enum class KeyProperty { Opacity, Scale, OffsetX, OffsetY };
inline constexpr KeyProperty kAllKeyProperties[] = {KeyProperty::Opacity, KeyProperty::Scale,
                                                    KeyProperty::OffsetX, KeyProperty::OffsetY};
QString keyPropertyName(KeyProperty p);  // "opacity", "scale", "x", "y" as in the file
std::vector<Keyframe> &keyframes(Clip &clip, KeyProperty p);
const std::vector<Keyframe> &keyframes(const Clip &clip, KeyProperty p);
// The range the reader accepts, and the value without keyframes.
double keyMinimum(KeyProperty p);
double keyMaximum(KeyProperty p);
double keyDefault(KeyProperty p);
// The animated value at `t` (relative to the clip start), linear between keys and held
// before the first / after the last one, as the renderer does.
double keyValueAt(const Clip &clip, KeyProperty p, const Rational &t);
const Keyframe *keyframeAt(const Clip &clip, KeyProperty p, const Rational &t);

// Adds a key at `t` (relative to the clip start, within [0, duration]) or changes the value of
// the key already there. Audio clips have no keyframes.
bool setKeyframe(Timeline &tl, const QString &clipId, KeyProperty p, const Rational &t,
                 double value);
// Moves the key at `from` to `to`; refused when another key is at `to` or `to` is outside.
bool moveKeyframe(Timeline &tl, const QString &clipId, KeyProperty p, const Rational &from,
                  const Rational &to);
bool removeKeyframe(Timeline &tl, const QString &clipId, KeyProperty p, const Rational &t);

// Snapping. Candidates are the times an edit may stick to: 0, the timeline end, the edges of
// every clip except `excludeClipId`, and the playhead when given.
std::vector<Rational> snapCandidates(const Timeline &tl, const QString &excludeClipId,
                                     std::optional<Rational> playhead);
// The candidate nearest to `t` within `tolerance`, or nothing.
std::optional<Rational> snapTime(const Rational &t, const std::vector<Rational> &candidates,
                                 const Rational &tolerance);
// For a moving range [start, start + duration): the start that puts its nearer edge on a
// candidate within `tolerance`, and the candidate it snapped to.
struct SnappedRange {
    Rational start;
    Rational snapPoint;
};
std::optional<SnappedRange> snapRange(const Rational &start, const Rational &duration,
                                      const std::vector<Rational> &candidates,
                                      const Rational &tolerance);

}  // namespace editor
