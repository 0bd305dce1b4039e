// SPDX-License-Identifier: GPL-3.0-or-later
#include "timeline_edit.h"

#include "clip_override.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <algorithm>

namespace editor {

namespace {

const Rational kZero{0, 1};

Rational absolute(const Rational &r)
{
    return r.isNegative() ? -r : r;
}

bool isMedia(TrackKind k)
{
    return k == TrackKind::Video || k == TrackKind::Audio;
}

// Re-inserts the clip at `index` so the track stays sorted by start. Among equal starts the
// moved clip goes last, which keeps the order of the untouched clips (their stacking) stable.
void resort(Track &track, size_t index)
{
    Clip clip = std::move(track.clips[index]);
    track.clips.erase(track.clips.begin() + qsizetype(index));
    const auto pos = std::upper_bound(track.clips.begin(), track.clips.end(), clip.start,
                                      [](const Rational &s, const Clip &c) { return s < c.start; });
    track.clips.insert(pos, std::move(clip));
}

// After the clip's extent changed: fades may not be longer than the clip.
void clampFades(Clip &clip)
{
    for (Rational *fade : {&clip.transitionIn, &clip.fadeOut, &clip.audioFadeIn, &clip.audioFadeOut})
        if (clip.duration < *fade)
            *fade = clip.duration;
}

// Shifts every key by `-shift` (the clip start moved right by `shift`) and keeps those inside
// [0, duration].
void reframeKeys(std::vector<Keyframe> &keys, const Rational &shift, const Rational &duration)
{
    std::vector<Keyframe> kept;
    for (Keyframe k : keys) {
        k.time = k.time - shift;
        if (!k.time.isNegative() && k.time <= duration)
            kept.push_back(k);
    }
    keys = std::move(kept);
}

double lerp(double a, double b, double f)
{
    return a + (b - a) * f;
}

// The clip for a property edit: none when it is missing or locked.
Clip *mutableClip(Timeline &tl, const QString &clipId, TrackKind *kind = nullptr)
{
    const ClipLocation loc = findClip(tl, clipId);
    if (!loc.isValid() || tl.tracks[size_t(loc.track)].clips[size_t(loc.index)].locked)
        return nullptr;
    if (kind)
        *kind = tl.tracks[size_t(loc.track)].kind;
    return &tl.tracks[size_t(loc.track)].clips[size_t(loc.index)];
}

bool isLocked(const Timeline &tl, const QString &clipId)
{
    const Clip *clip = clipById(tl, clipId);
    return clip && clip->locked;
}

// Both parts of `clip` cut at `cut` (relative to its start), ids unchanged. The cut is
// invisible: keyframe curves and Ken Burns get a value at the cut on both sides.
void splitParts(const Clip &clip, const Rational &cut, bool media, Clip &left, Clip &right)
{
    left = clip;
    right = clip;
    left.duration = cut;
    right.start = clip.start + cut;
    right.duration = clip.duration - cut;
    if (media)
        right.in = right.in + cut;
    // The crossfade and fade-ins belong to the first part, the fade-outs to the second.
    left.fadeOut = kZero;
    left.audioFadeOut = kZero;
    right.transitionIn = kZero;
    right.audioFadeIn = kZero;
    for (KeyProperty p : kAllKeyProperties) {
        const std::vector<Keyframe> &keys = keyframes(clip, p);
        if (keys.empty())
            continue;
        const double atCut = keyValueAt(clip, p, cut);
        std::vector<Keyframe> l, r;
        for (const Keyframe &k : keys) {
            if (k.time <= cut)
                l.push_back(k);
            if (cut <= k.time)
                r.push_back({k.time - cut, k.value});
        }
        if (l.empty() || l.back().time != cut)
            l.push_back({cut, atCut});
        if (r.empty() || !r.front().time.isZero())
            r.insert(r.begin(), {kZero, atCut});
        keyframes(left, p) = std::move(l);
        keyframes(right, p) = std::move(r);
    }
    if (clip.kenBurns.enabled) {
        const double f = cut.toDouble() / clip.duration.toDouble();
        const KenBurnsSpec &a = clip.kenBurns;
        const double scale = lerp(a.startScale, a.endScale, f);
        const double x = lerp(a.startX, a.endX, f);
        const double y = lerp(a.startY, a.endY, f);
        right.kenBurns.startScale = left.kenBurns.endScale = scale;
        right.kenBurns.startX = left.kenBurns.endX = x;
        right.kenBurns.startY = left.kenBurns.endY = y;
    }
    clampFades(left);
    clampFades(right);
}

}  // namespace

QString lockedClipMessage(const Timeline &tl, const QString &clipId, bool ripple)
{
    const ClipLocation loc = findClip(tl, clipId);
    if (!loc.isValid())
        return {};
    const Track &track = tl.tracks[size_t(loc.track)];
    const Clip &clip = track.clips[size_t(loc.index)];
    const QString text = QCoreApplication::translate(
        "editor", "The clip \u201c%1\u201d is locked (brand layer). Unlock it in the inspector to "
                  "edit it.");
    if (clip.locked)
        return text.arg(clip.id);
    if (ripple)
        for (const Clip &later : track.clips)
            if (later.locked && clip.start < later.start)
                return QCoreApplication::translate(
                           "editor", "A ripple delete of \u201c%1\u201d would move the locked "
                                     "clip \u201c%2\u201d (brand layer). Unlock it in the "
                                     "inspector, or delete without ripple.")
                    .arg(clip.id, later.id);
    return {};
}

bool setClipLocked(Timeline &tl, const QString &clipId, bool locked)
{
    const ClipLocation loc = findClip(tl, clipId);
    if (!loc.isValid())
        return false;
    tl.tracks[size_t(loc.track)].clips[size_t(loc.index)].locked = locked;
    return true;
}

ClipLocation findClip(const Timeline &tl, const QString &clipId)
{
    for (size_t t = 0; t < tl.tracks.size(); ++t) {
        const auto &clips = tl.tracks[t].clips;
        for (size_t i = 0; i < clips.size(); ++i)
            if (clips[i].id == clipId)
                return {int(t), int(i)};
    }
    return {};
}

const Clip *clipById(const Timeline &tl, const QString &clipId)
{
    const ClipLocation loc = findClip(tl, clipId);
    return loc.isValid() ? &tl.tracks[size_t(loc.track)].clips[size_t(loc.index)] : nullptr;
}

const Track *trackOfClip(const Timeline &tl, const QString &clipId)
{
    const ClipLocation loc = findClip(tl, clipId);
    return loc.isValid() ? &tl.tracks[size_t(loc.track)] : nullptr;
}

bool tracksCompatible(TrackKind from, TrackKind to)
{
    const auto visual = [](TrackKind k) { return k == TrackKind::Video || k == TrackKind::Image; };
    return from == to || (visual(from) && visual(to));
}

QString uniqueClipId(const Timeline &tl, const QString &base)
{
    if (!findClip(tl, base).isValid())
        return base;
    for (int n = 2;; ++n) {
        const QString id = QStringLiteral("%1-%2").arg(base).arg(n);
        if (!findClip(tl, id).isValid())
            return id;
    }
}

Rational clipEnd(const Clip &clip)
{
    return clip.start + clip.duration;
}

bool moveClip(Timeline &tl, const QString &clipId, int toTrack, const Rational &newStart)
{
    const ClipLocation from = findClip(tl, clipId);
    if (!from.isValid() || toTrack < 0 || toTrack >= int(tl.tracks.size())
        || isLocked(tl, clipId))
        return false;
    Track &source = tl.tracks[size_t(from.track)];
    Track &target = tl.tracks[size_t(toTrack)];
    if (!tracksCompatible(source.kind, target.kind))
        return false;
    const Clip &clip = source.clips[size_t(from.index)];
    if (newStart.isNegative() || tl.duration < newStart + clip.duration)
        return false;
    if (from.track == toTrack) {
        source.clips[size_t(from.index)].start = newStart;
        resort(source, size_t(from.index));
        return true;
    }
    Clip moved = clip;
    moved.start = newStart;
    source.clips.erase(source.clips.begin() + from.index);
    target.clips.push_back(std::move(moved));
    resort(target, target.clips.size() - 1);
    return true;
}

bool trimStart(Timeline &tl, const QString &clipId, const Rational &newStart)
{
    const ClipLocation loc = findClip(tl, clipId);
    if (!loc.isValid() || newStart.isNegative() || isLocked(tl, clipId))
        return false;
    Track &track = tl.tracks[size_t(loc.track)];
    const Clip original = track.clips[size_t(loc.index)];
    const Rational end = clipEnd(original);
    if (!(newStart < end))
        return false;
    const Rational shift = newStart - original.start;
    const bool media = isMedia(track.kind);
    if (media && (original.in + shift).isNegative())
        return false;  // the source has nothing before its first frame
    const auto trim = [&](Clip &clip) {
        if (media)
            clip.in = clip.in + shift;
        clip.start = newStart;
        clip.duration = end - newStart;
        for (KeyProperty p : kAllKeyProperties)
            reframeKeys(keyframes(clip, p), shift, clip.duration);
        clampFades(clip);
    };
    Clip clip = original;
    trim(clip);
    if (!retimeOverrides(original, clip, track.kind, trim))
        return false;
    track.clips[size_t(loc.index)] = std::move(clip);
    resort(track, size_t(loc.index));
    return true;
}

bool trimEnd(Timeline &tl, const QString &clipId, const Rational &newEnd)
{
    const ClipLocation loc = findClip(tl, clipId);
    if (!loc.isValid() || tl.duration < newEnd || isLocked(tl, clipId))
        return false;
    Track &track = tl.tracks[size_t(loc.track)];
    const Clip original = track.clips[size_t(loc.index)];
    if (!(original.start < newEnd))
        return false;
    const auto trim = [&](Clip &clip) {
        clip.duration = newEnd - clip.start;
        for (KeyProperty p : kAllKeyProperties)
            reframeKeys(keyframes(clip, p), kZero, clip.duration);
        clampFades(clip);
    };
    Clip clip = original;
    trim(clip);
    if (!retimeOverrides(original, clip, track.kind, trim))
        return false;
    track.clips[size_t(loc.index)] = std::move(clip);
    return true;
}

bool splitClip(Timeline &tl, const QString &clipId, const Rational &at, QString *rightId)
{
    const ClipLocation loc = findClip(tl, clipId);
    if (!loc.isValid() || isLocked(tl, clipId))
        return false;
    Track &track = tl.tracks[size_t(loc.track)];
    const Clip original = track.clips[size_t(loc.index)];
    if (!(original.start < at) || !(at < clipEnd(original)))
        return false;
    const Rational cut = at - original.start;  // relative to the original clip
    const bool media = isMedia(track.kind);
    Clip left, right;
    splitParts(original, cut, media, left, right);
    // Splitting "run-2" again gives "run-3", not "run-2-2".
    static const QRegularExpression numbered(QStringLiteral("-\\d+$"));
    QString base = original.id;
    base.remove(numbered);
    right.id = uniqueClipId(tl, base.isEmpty() ? original.id : base);
    // Overrides (keyframes, fades per cell) are split the same way on both parts.
    const auto keepLeft = [&](Clip &c) {
        Clip l, r;
        splitParts(c, cut, media, l, r);
        c = std::move(l);
    };
    const auto keepRight = [&](Clip &c) {
        Clip l, r;
        splitParts(c, cut, media, l, r);
        c = std::move(r);
    };
    if (!retimeOverrides(original, left, track.kind, keepLeft)
        || !retimeOverrides(original, right, track.kind, keepRight))
        return false;
    if (rightId)
        *rightId = right.id;
    track.clips[size_t(loc.index)] = std::move(left);
    track.clips.insert(track.clips.begin() + loc.index + 1, std::move(right));
    resort(track, size_t(loc.index) + 1);
    return true;
}

bool removeClip(Timeline &tl, const QString &clipId)
{
    const ClipLocation loc = findClip(tl, clipId);
    if (!loc.isValid() || isLocked(tl, clipId))
        return false;
    auto &clips = tl.tracks[size_t(loc.track)].clips;
    clips.erase(clips.begin() + loc.index);
    return true;
}

bool rippleDelete(Timeline &tl, const QString &clipId)
{
    const ClipLocation loc = findClip(tl, clipId);
    if (!loc.isValid() || !lockedClipMessage(tl, clipId, true).isEmpty())
        return false;
    auto &clips = tl.tracks[size_t(loc.track)].clips;
    const Clip removed = clips[size_t(loc.index)];
    clips.erase(clips.begin() + loc.index);
    std::optional<Rational> firstLater;
    for (const Clip &c : clips)
        if (removed.start < c.start && (!firstLater || c.start < *firstLater))
            firstLater = c.start;
    if (!firstLater)
        return true;
    const Rational shift = std::min(removed.duration, *firstLater - removed.start);
    for (Clip &c : clips)
        if (removed.start < c.start)
            c.start = c.start - shift;
    // A uniform shift of the later clips keeps their order among themselves, and none of them
    // moves to or before removed.start, so the track stays sorted.
    return true;
}

bool setTransitionIn(Timeline &tl, const QString &clipId, const Rational &length)
{
    TrackKind kind{};
    Clip *clip = mutableClip(tl, clipId, &kind);
    if (!clip || kind == TrackKind::Audio || length.isNegative() || clip->duration < length)
        return false;
    clip->transitionIn = length;
    return true;
}

QString keyPropertyName(KeyProperty p)
{
    switch (p) {
    case KeyProperty::Opacity: return QStringLiteral("opacity");
    case KeyProperty::Scale: return QStringLiteral("scale");
    case KeyProperty::OffsetX: return QStringLiteral("x");
    case KeyProperty::OffsetY: return QStringLiteral("y");
    }
    return {};
}

std::vector<Keyframe> &keyframes(Clip &clip, KeyProperty p)
{
    switch (p) {
    case KeyProperty::Opacity: return clip.opacity;
    case KeyProperty::Scale: return clip.scale;
    case KeyProperty::OffsetX: return clip.offsetX;
    case KeyProperty::OffsetY: break;
    }
    return clip.offsetY;
}

const std::vector<Keyframe> &keyframes(const Clip &clip, KeyProperty p)
{
    return keyframes(const_cast<Clip &>(clip), p);
}

// The reader's ranges (timeline_reader.cpp readKeyframes).
double keyMinimum(KeyProperty p)
{
    return p == KeyProperty::Opacity ? 0.0 : p == KeyProperty::Scale ? 0.01 : -10.0;
}

double keyMaximum(KeyProperty p)
{
    return p == KeyProperty::Opacity ? 1.0 : p == KeyProperty::Scale ? 100.0 : 10.0;
}

double keyDefault(KeyProperty p)
{
    return p == KeyProperty::Opacity || p == KeyProperty::Scale ? 1.0 : 0.0;
}

double keyValueAt(const Clip &clip, KeyProperty p, const Rational &t)
{
    const std::vector<Keyframe> &keys = keyframes(clip, p);
    if (keys.empty())
        return keyDefault(p);
    if (t <= keys.front().time)
        return keys.front().value;
    for (size_t i = 1; i < keys.size(); ++i) {
        if (t <= keys[i].time) {
            const Keyframe &a = keys[i - 1];
            const Keyframe &b = keys[i];
            const double f = (t - a.time).toDouble() / (b.time - a.time).toDouble();
            return lerp(a.value, b.value, f);
        }
    }
    return keys.back().value;
}

const Keyframe *keyframeAt(const Clip &clip, KeyProperty p, const Rational &t)
{
    for (const Keyframe &k : keyframes(clip, p))
        if (k.time == t)
            return &k;
    return nullptr;
}

bool setKeyframe(Timeline &tl, const QString &clipId, KeyProperty p, const Rational &t,
                 double value)
{
    TrackKind kind{};
    Clip *clip = mutableClip(tl, clipId, &kind);
    if (!clip || kind == TrackKind::Audio || t.isNegative() || clip->duration < t
        || !(value >= keyMinimum(p) && value <= keyMaximum(p)))
        return false;
    std::vector<Keyframe> &keys = keyframes(*clip, p);
    const auto pos = std::lower_bound(keys.begin(), keys.end(), t,
                                      [](const Keyframe &k, const Rational &v) { return k.time < v; });
    if (pos != keys.end() && pos->time == t)
        pos->value = value;
    else
        keys.insert(pos, {t, value});
    return true;
}

bool moveKeyframe(Timeline &tl, const QString &clipId, KeyProperty p, const Rational &from,
                  const Rational &to)
{
    Clip *clip = mutableClip(tl, clipId);
    if (!clip || to.isNegative() || clip->duration < to)
        return false;
    const Keyframe *source = keyframeAt(*clip, p, from);
    if (!source || (from != to && keyframeAt(*clip, p, to)))
        return false;
    const double value = source->value;
    removeKeyframe(tl, clipId, p, from);
    return setKeyframe(tl, clipId, p, to, value);
}

bool removeKeyframe(Timeline &tl, const QString &clipId, KeyProperty p, const Rational &t)
{
    Clip *clip = mutableClip(tl, clipId);
    if (!clip)
        return false;
    std::vector<Keyframe> &keys = keyframes(*clip, p);
    const auto it = std::find_if(keys.begin(), keys.end(),
                                 [&](const Keyframe &k) { return k.time == t; });
    if (it == keys.end())
        return false;
    keys.erase(it);
    return true;
}

std::vector<Rational> snapCandidates(const Timeline &tl, const QString &excludeClipId,
                                     std::optional<Rational> playhead)
{
    std::vector<Rational> out{kZero, tl.duration};
    for (const Track &track : tl.tracks)
        for (const Clip &clip : track.clips)
            if (clip.id != excludeClipId) {
                out.push_back(clip.start);
                out.push_back(clipEnd(clip));
            }
    if (playhead)
        out.push_back(*playhead);
    return out;
}

std::optional<Rational> snapTime(const Rational &t, const std::vector<Rational> &candidates,
                                 const Rational &tolerance)
{
    std::optional<Rational> best;
    for (const Rational &c : candidates) {
        const Rational d = absolute(c - t);
        if (d <= tolerance && (!best || d < absolute(*best - t)))
            best = c;
    }
    return best;
}

std::optional<SnappedRange> snapRange(const Rational &start, const Rational &duration,
                                      const std::vector<Rational> &candidates,
                                      const Rational &tolerance)
{
    const std::optional<Rational> head = snapTime(start, candidates, tolerance);
    const std::optional<Rational> tail = snapTime(start + duration, candidates, tolerance);
    if (head && (!tail || absolute(*head - start) <= absolute(*tail - (start + duration))))
        return SnappedRange{*head, *head};
    if (tail)
        return SnappedRange{*tail - duration, *tail};
    return std::nullopt;
}

}  // namespace editor
