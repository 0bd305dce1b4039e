// SPDX-License-Identifier: GPL-3.0-or-later
// Reads and validates "timeline": tracks, clips, layouts, Ken Burns, keyframes and text.
#include "clip_override.h"
#include "reader_context.h"

#include <QCoreApplication>
#include <QRegularExpression>

namespace editor::detail {

namespace {

const TimeRule kRateRule{TimeRule::Lower::Positive, Rational(240), true};
const TimeRule kDurationRule{TimeRule::Lower::Positive, Rational(3600), false};
const TimeRule kTimeRule{TimeRule::Lower::NonNegative, Rational(3600), false};

// Fields by clip family; a field of another family gets a specific message instead of
// "unknown field", because it is a plausible mistake (gain on a text clip).
const QStringList kAllClipFields{
    QStringLiteral("id"), QStringLiteral("source"), QStringLiteral("start"),
    QStringLiteral("duration"), QStringLiteral("in"), QStringLiteral("layout"),
    QStringLiteral("fit"), QStringLiteral("kenBurns"), QStringLiteral("reframe"),
    QStringLiteral("keyframes"),
    QStringLiteral("transitionIn"), QStringLiteral("fadeOut"), QStringLiteral("text"),
    QStringLiteral("gain"), QStringLiteral("audioFadeIn"), QStringLiteral("audioFadeOut"),
    QStringLiteral("locked"), QStringLiteral("overrides")};

// A fade or keyframe time must lie within its clip.
void checkWithin(IssueList &issues, const QString &path, const Rational &t, const Clip &clip)
{
    if (t > clip.duration)
        issues.add(path, QCoreApplication::translate("editor",
                                                     "must not be longer than the clip (%1 s)")
                             .arg(clip.duration.toString()));
}

void readLayout(IssueList &issues, const QJsonValue &v, const QString &path, ClipLayout &out)
{
    ObjectReader r(issues, v, path);
    if (!r.isObject())
        return;
    QString mode;
    if (r.readChoice(QStringLiteral("mode"), mode, {"fill", "box", "anchor"}, Need::Required))
        out.mode = mode == u"box" ? ClipLayout::Mode::Box
            : mode == u"anchor"   ? ClipLayout::Mode::Anchor
                                  : ClipLayout::Mode::Fill;
    const QJsonValue box = r.take(QStringLiteral("box"));
    if (!box.isUndefined()) {
        ObjectReader b(issues, box, r.pathOf(QStringLiteral("box")));
        if (b.isObject()) {
            double x = out.box.x(), y = out.box.y(), w = out.box.width(), h = out.box.height();
            b.readNumber(QStringLiteral("x"), x, -1.0, 2.0, Need::Required);
            b.readNumber(QStringLiteral("y"), y, -1.0, 2.0, Need::Required);
            b.readNumber(QStringLiteral("w"), w, 0.001, 3.0, Need::Required);
            b.readNumber(QStringLiteral("h"), h, 0.001, 3.0, Need::Required);
            out.box = QRectF(x, y, w, h);
            b.reportUnknownKeys();
        }
    }
    r.readChoice(QStringLiteral("anchor"), out.anchor,
                 {"top-left", "top", "top-right", "left", "center", "right", "bottom-left",
                  "bottom", "bottom-right"});
    r.readNumber(QStringLiteral("size"), out.size, 0.001, 1.0);
    r.readNumber(QStringLiteral("margin"), out.margin, 0.0, 0.5);
    r.reportUnknownKeys();
}

void readKenBurnsEnd(IssueList &issues, const QJsonValue &v, const QString &path, double &scale,
                     double &x, double &y)
{
    ObjectReader r(issues, v, path);
    if (!r.isObject())
        return;
    r.readNumber(QStringLiteral("scale"), scale, 0.01, 100.0);
    r.readNumber(QStringLiteral("x"), x, 0.0, 1.0);
    r.readNumber(QStringLiteral("y"), y, 0.0, 1.0);
    r.reportUnknownKeys();
}

void readKenBurns(IssueList &issues, const QJsonValue &v, const QString &path, KenBurnsSpec &out)
{
    ObjectReader r(issues, v, path);
    if (!r.isObject())
        return;
    out.enabled = true;  // presence of the object is what enables it
    const QJsonValue from = r.take(QStringLiteral("from"), Need::Required);
    if (!from.isUndefined())
        readKenBurnsEnd(issues, from, r.pathOf(QStringLiteral("from")), out.startScale,
                        out.startX, out.startY);
    const QJsonValue to = r.take(QStringLiteral("to"), Need::Required);
    if (!to.isUndefined())
        readKenBurnsEnd(issues, to, r.pathOf(QStringLiteral("to")), out.endScale, out.endX,
                        out.endY);
    r.reportUnknownKeys();
}

// A crop window: fractions of the source, inside it, not degenerate.
void readCropKey(ObjectReader &r, CropKey &key, bool &timeOk)
{
    timeOk = r.readTime(QStringLiteral("t"), key.time, kTimeRule, Need::Required);
    double x = 0, y = 0, w = 1, h = 1;
    r.readNumber(QStringLiteral("x"), x, 0.0, 1.0, Need::Required);
    r.readNumber(QStringLiteral("y"), y, 0.0, 1.0, Need::Required);
    const bool wOk = r.readNumber(QStringLiteral("w"), w, 0.001, 1.0, Need::Required);
    const bool hOk = r.readNumber(QStringLiteral("h"), h, 0.001, 1.0, Need::Required);
    // A little slack for windows computed in floating point and written with 17 digits.
    constexpr double kSlack = 1e-6;
    if (wOk && x + w > 1.0 + kSlack)
        r.issues().add(r.pathOf(QStringLiteral("w")),
                       QCoreApplication::translate("editor", "x + w must not exceed 1 (the "
                                                             "window must lie inside the source)"));
    if (hOk && y + h > 1.0 + kSlack)
        r.issues().add(r.pathOf(QStringLiteral("h")),
                       QCoreApplication::translate("editor", "y + h must not exceed 1 (the "
                                                             "window must lie inside the source)"));
    key.window = QRectF(x, y, std::min(w, 1.0 - x), std::min(h, 1.0 - y));
    r.reportUnknownKeys();
}

std::vector<ReframeSpec> readReframe(IssueList &issues, const QJsonArray &array,
                                     const QString &path)
{
    std::vector<ReframeSpec> specs;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString itemPath = indexPath(path, i);
        ObjectReader r(issues, array.at(i), itemPath);
        if (!r.isObject())
            continue;
        ReframeSpec spec;
        // Not checked against the assets and formats: an entry left behind by a removed
        // asset or format is inert and keeps the designer's work should it come back.
        const bool assetOk = r.readId(QStringLiteral("asset"), spec.assetId);
        const bool formatOk = r.readId(QStringLiteral("format"), spec.formatId);
        QString mode = QStringLiteral("auto");
        r.readChoice(QStringLiteral("mode"), mode, {"auto", "manual"});
        spec.mode = mode == u"manual" ? ReframeSpec::Mode::Manual : ReframeSpec::Mode::Auto;
        if (const auto keys = r.readArray(QStringLiteral("keys"), Need::Required)) {
            const QString keysPath = r.pathOf(QStringLiteral("keys"));
            if (keys->isEmpty())
                issues.add(keysPath, QCoreApplication::translate("editor",
                                                                 "needs at least one key"));
            for (qsizetype k = 0; k < keys->size(); ++k) {
                ObjectReader kr(issues, keys->at(k), indexPath(keysPath, k));
                if (!kr.isObject())
                    continue;
                CropKey key;
                bool timeOk = false;
                readCropKey(kr, key, timeOk);
                if (timeOk && !spec.keys.empty() && key.time <= spec.keys.back().time)
                    issues.add(kr.pathOf(QStringLiteral("t")),
                               QCoreApplication::translate(
                                   "editor", "key times must increase; this one is not after "
                                             "the previous key"));
                spec.keys.push_back(key);
            }
        }
        r.reportUnknownKeys();
        if (assetOk && formatOk) {
            for (const ReframeSpec &other : specs) {
                if (other.assetId == spec.assetId && other.formatId == spec.formatId) {
                    issues.add(itemPath, QCoreApplication::translate(
                                             "editor", "a second crop track for asset '%1' in "
                                                       "format '%2'")
                                             .arg(spec.assetId, spec.formatId));
                    break;
                }
            }
        }
        specs.push_back(std::move(spec));
    }
    return specs;
}

std::vector<Keyframe> readKeyframeList(IssueList &issues, const QJsonArray &array,
                                       const QString &path, double min, double max,
                                       const Clip &clip)
{
    std::vector<Keyframe> keys;
    for (qsizetype i = 0; i < array.size(); ++i) {
        const QString itemPath = indexPath(path, i);
        ObjectReader r(issues, array.at(i), itemPath);
        if (!r.isObject())
            continue;
        Keyframe k;
        const bool timeOk = r.readTime(QStringLiteral("t"), k.time, kTimeRule, Need::Required);
        r.readNumber(QStringLiteral("v"), k.value, min, max, Need::Required);
        r.reportUnknownKeys();
        if (timeOk) {
            checkWithin(issues, r.pathOf(QStringLiteral("t")), k.time, clip);
            if (!keys.empty() && k.time <= keys.back().time)
                issues.add(r.pathOf(QStringLiteral("t")),
                           QCoreApplication::translate(
                               "editor", "keyframe times must increase; this one is not after "
                                         "the previous keyframe"));
        }
        keys.push_back(k);
    }
    return keys;
}

void readKeyframes(IssueList &issues, const QJsonValue &v, const QString &path, Clip &clip)
{
    ObjectReader r(issues, v, path);
    if (!r.isObject())
        return;
    struct Property {
        const char *key;
        std::vector<Keyframe> *target;
        double min, max;
    };
    const Property props[] = {{"opacity", &clip.opacity, 0.0, 1.0},
                              {"scale", &clip.scale, 0.01, 100.0},
                              {"x", &clip.offsetX, -10.0, 10.0},
                              {"y", &clip.offsetY, -10.0, 10.0}};
    for (const Property &p : props) {
        const QString key = QString::fromLatin1(p.key);
        if (const auto array = r.readArray(key))
            *p.target = readKeyframeList(issues, *array, r.pathOf(key), p.min, p.max, clip);
    }
    r.reportUnknownKeys();
}

void readText(IssueList &issues, const QJsonValue &v, const QString &path, TextSpec &out)
{
    ObjectReader r(issues, v, path);
    if (!r.isObject())
        return;
    r.readString(QStringLiteral("text"), out.text, Need::Required);
    r.readNumber(QStringLiteral("size"), out.size, 0.001, 1.0);
    r.readColor(QStringLiteral("color"), out.color);
    r.readColor(QStringLiteral("background"), out.background);
    r.readNumber(QStringLiteral("backgroundOpacity"), out.backgroundOpacity, 0.0, 1.0);
    r.readNumber(QStringLiteral("padding"), out.padding, 0.0, 0.5);
    r.readChoice(QStringLiteral("align"), out.align, {"leading", "center", "trailing"});
    r.readBool(QStringLiteral("bold"), out.bold);
    r.reportUnknownKeys();
}

void readSource(ObjectReader &r, Clip &clip, TrackKind kind, const ReadContext *ctx)
{
    const QString key = QStringLiteral("source");
    if (!r.readString(key, clip.source, Need::Required, false) || clip.source.isEmpty())
        return;
    const AssetUse use = kind == TrackKind::Audio ? AssetUse::Audio : AssetUse::Visual;
    if (clip.source.startsWith(u"asset:")) {
        if (ctx)
            checkAssetReference(r.issues(), r.pathOf(key), clip.source.mid(6), *ctx, use);
    }
    else if (slotName(clip.source).isEmpty())
        r.issues().add(r.pathOf(key),
                       QCoreApplication::translate(
                           "editor", "must be \"asset:<id>\" or a slot such as \"{{hero_image}}\""));
}

}  // namespace

Clip readClipObject(IssueList &issues, const QJsonValue &v, const QString &path, TrackKind kind,
                    const ReadContext *ctx)
{
    Clip clip;
    ObjectReader r(issues, v, path);
    if (!r.isObject())
        return clip;
    const std::size_t issuesBefore = issues.size();
    const bool text = kind == TrackKind::Text;
    const bool audio = kind == TrackKind::Audio;
    const bool visualMedia = !text && !audio;
    r.readId(QStringLiteral("id"), clip.id);
    if (!text)
        readSource(r, clip, kind, ctx);
    r.readTime(QStringLiteral("start"), clip.start, kTimeRule);
    const bool durationOk =
        r.readTime(QStringLiteral("duration"), clip.duration, kDurationRule, Need::Required);
    if (!text)
        r.readTime(QStringLiteral("in"), clip.in, kTimeRule);
    auto readFade = [&](const char *name, Rational &out) {
        const QString key = QString::fromLatin1(name);
        if (r.has(key) && r.readTime(key, out, kTimeRule) && durationOk)
            checkWithin(issues, r.pathOf(key), out, clip);
        r.take(key);
    };
    if (!audio) {
        if (const QJsonValue layout = r.take(QStringLiteral("layout")); !layout.isUndefined())
            readLayout(issues, layout, r.pathOf(QStringLiteral("layout")), clip.layout);
        if (const QJsonValue keys = r.take(QStringLiteral("keyframes")); !keys.isUndefined()) {
            if (!durationOk)
                clip.duration = Rational(3600);  // still check keyframe shapes
            readKeyframes(issues, keys, r.pathOf(QStringLiteral("keyframes")), clip);
        }
        readFade("transitionIn", clip.transitionIn);
        readFade("fadeOut", clip.fadeOut);
    }
    if (visualMedia) {
        r.readChoice(QStringLiteral("fit"), clip.fit, {"cover", "contain", "stretch", "smart"});
        if (const QJsonValue kb = r.take(QStringLiteral("kenBurns")); !kb.isUndefined())
            readKenBurns(issues, kb, r.pathOf(QStringLiteral("kenBurns")), clip.kenBurns);
        if (const auto reframe = r.readArray(QStringLiteral("reframe")))
            clip.reframe = readReframe(issues, *reframe, r.pathOf(QStringLiteral("reframe")));
    }
    if (text) {
        const QJsonValue spec = r.take(QStringLiteral("text"), Need::Required);
        if (!spec.isUndefined())
            readText(issues, spec, r.pathOf(QStringLiteral("text")), clip.text);
    }
    if (audio) {
        r.readNumber(QStringLiteral("gain"), clip.gain, 0.0, 16.0);
        readFade("audioFadeIn", clip.audioFadeIn);
        readFade("audioFadeOut", clip.audioFadeOut);
    }
    r.readBool(QStringLiteral("locked"), clip.locked);
    if (ctx) {
        // Checked against the master only when the master itself is valid, so one mistake
        // in the clip is not reported again for every override.
        const QJsonValue overrides = r.take(QStringLiteral("overrides"));
        if (!overrides.isUndefined())
            clip.overrides = readClipOverrides(issues, overrides,
                                               r.pathOf(QStringLiteral("overrides")), clip, kind,
                                               *ctx, issues.size() == issuesBefore);
    }
    // Clip fields that belong to another track kind: say so rather than "unknown".
    for (const QString &key : kAllClipFields) {
        if (r.has(key) && !r.isKnown(key)) {
            r.take(key);
            issues.add(r.pathOf(key), QCoreApplication::translate(
                                          "editor", "field '%1' does not apply to %2 tracks")
                                          .arg(key, trackKindName(kind)));
        }
    }
    r.reportUnknownKeys();
    return clip;
}

QString slotName(const QString &source)
{
    static const QRegularExpression re(QStringLiteral("^\\{\\{([A-Za-z_][A-Za-z0-9_]*)\\}\\}$"));
    const auto m = re.match(source);
    return m.hasMatch() ? m.captured(1) : QString();
}

bool checkAssetReference(IssueList &issues, const QString &path, const QString &id,
                         const ReadContext &ctx, AssetUse use)
{
    const auto it = ctx.assetKinds.constFind(id);
    if (it == ctx.assetKinds.constEnd()) {
        issues.add(path, QCoreApplication::translate(
                             "editor", "refers to asset '%1', which is neither in \"assets\" nor "
                                       "produced by a generation request")
                             .arg(id));
        return false;
    }
    const bool isAudio = it.value() == AssetKind::Audio;
    if ((use == AssetUse::Audio && !isAudio) || (use == AssetUse::Visual && isAudio)) {
        issues.add(path, QCoreApplication::translate("editor", "asset '%1' is %2, which cannot be "
                                                               "used here")
                             .arg(id, assetKindName(it.value())));
        return false;
    }
    return true;
}

Timeline readTimeline(IssueList &issues, const QJsonValue &value, const QString &path,
                      const ReadContext &ctx)
{
    Timeline tl;
    ObjectReader r(issues, value, path);
    if (!r.isObject())
        return tl;
    r.readTime(QStringLiteral("fps"), tl.fps, kRateRule, Need::Required);
    r.readTime(QStringLiteral("duration"), tl.duration, kDurationRule, Need::Required);
    QSet<QString> trackIds;
    QSet<QString> clipIds;  // unique across the timeline: edits and layers address clips by id
    if (const auto tracks = r.readArray(QStringLiteral("tracks"))) {
        const QString tracksPath = r.pathOf(QStringLiteral("tracks"));
        for (qsizetype i = 0; i < tracks->size(); ++i) {
            const QString trackPath = indexPath(tracksPath, i);
            ObjectReader t(issues, tracks->at(i), trackPath);
            if (!t.isObject())
                continue;
            Track track;
            if (t.readId(QStringLiteral("id"), track.id) && trackIds.contains(track.id))
                issues.add(t.pathOf(QStringLiteral("id")),
                           QCoreApplication::translate("editor", "duplicate track id '%1'")
                               .arg(track.id));
            trackIds.insert(track.id);
            QString kind;
            const bool kindOk = t.readChoice(QStringLiteral("kind"), kind,
                                             {"video", "image", "text", "audio"}, Need::Required);
            track.kind = kind == u"image" ? TrackKind::Image
                : kind == u"text"         ? TrackKind::Text
                : kind == u"audio"        ? TrackKind::Audio
                                          : TrackKind::Video;
            t.readString(QStringLiteral("name"), track.name);
            const auto clips = t.readArray(QStringLiteral("clips"));
            t.reportUnknownKeys();
            const QString clipsPath = t.pathOf(QStringLiteral("clips"));
            for (qsizetype j = 0; clips && kindOk && j < clips->size(); ++j) {
                const QString clipPath = indexPath(clipsPath, j);
                if (!clips->at(j).isObject()) {
                    issues.add(clipPath, QCoreApplication::translate("editor", "must be an object"));
                    continue;
                }
                Clip clip = readClipObject(issues, clips->at(j), clipPath, track.kind, &ctx);
                if (!clip.id.isEmpty() && clipIds.contains(clip.id))
                    issues.add(clipPath + QStringLiteral(".id"),
                               QCoreApplication::translate("editor", "duplicate clip id '%1'")
                                   .arg(clip.id));
                clipIds.insert(clip.id);
                // The order of clips is their stacking order too; keeping the file sorted by
                // start is the model's invariant, so a violation is reported, not repaired.
                if (!track.clips.empty() && clip.start < track.clips.back().start)
                    issues.add(clipPath + QStringLiteral(".start"),
                               QCoreApplication::translate(
                                   "editor", "clips must be sorted by start time; this clip "
                                             "starts before the previous one"));
                track.clips.push_back(std::move(clip));
            }
            tl.tracks.push_back(std::move(track));
        }
    }
    r.reportUnknownKeys();
    return tl;
}

}  // namespace editor::detail
