// SPDX-License-Identifier: GPL-3.0-or-later
// serializeCampaign / saveCampaign. Keys are written in schema order. Zero/empty values
// ("in": "0", no fade, empty strings) are omitted and read back as the same value; style values
// (fit, text size and colours, layout size, gain, provider, font) are always written so that a
// file never changes meaning if a code default changes. load -> save -> load is equal and
// save -> load -> save is byte-identical.
#include "json_writer.h"
#include "project_io.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QSaveFile>

#include <cerrno>
#include <cstring>

#include <algorithm>

namespace editor {

using detail::JsonNode;

namespace {

JsonNode str(const QString &s) { return JsonNode::string(s); }
JsonNode time(const Rational &r) { return JsonNode::string(r.toString()); }

JsonNode color(const QColor &c)
{
    return str(c.alpha() == 255 ? c.name(QColor::HexRgb) : c.name(QColor::HexArgb));
}

JsonNode stringList(const QStringList &list)
{
    JsonNode a = JsonNode::array();
    for (const QString &s : list)
        a.append(str(s));
    return a;
}

void addIfSet(JsonNode &o, const char *key, const QString &value)
{
    if (!value.isEmpty())
        o.add(QString::fromLatin1(key), str(value));
}

void addTimeIfNot(JsonNode &o, const char *key, const Rational &value, const Rational &def)
{
    if (value != def)
        o.add(QString::fromLatin1(key), time(value));
}

// Written with forward slashes relative to the project folder, so a project folder can be
// moved or shared between machines.
QString relativeMediaPath(const QString &projectDir, const QString &path)
{
    return QDir::fromNativeSeparators(QDir(projectDir).relativeFilePath(path));
}

JsonNode brandNode(const BrandKit &b)
{
    JsonNode o = JsonNode::object();
    JsonNode colors = JsonNode::object();
    for (auto it = b.colors.constBegin(); it != b.colors.constEnd(); ++it)
        colors.add(it.key(), color(it.value()));
    o.add(QStringLiteral("colors"), std::move(colors));
    o.add(QStringLiteral("font"), str(b.fontFamily));
    addIfSet(o, "logo", b.logoAssetId);
    // Written only when set, so projects without them keep their exact bytes.
    if (!b.fallbackFonts.isEmpty())
        o.add(QStringLiteral("fallbackFonts"), stringList(b.fallbackFonts));
    if (!b.disclaimers.isEmpty()) {
        JsonNode d = JsonNode::object();
        for (auto it = b.disclaimers.constBegin(); it != b.disclaimers.constEnd(); ++it)
            d.add(it.key(), str(it.value()));
        o.add(QStringLiteral("disclaimers"), std::move(d));
    }
    return o;
}

JsonNode segmentNode(const Segment &s)
{
    JsonNode o = JsonNode::object();
    o.add(QStringLiteral("id"), str(s.id));
    addIfSet(o, "name", s.name);
    JsonNode attrs = JsonNode::object();
    addIfSet(attrs, "locale", s.locale);
    addIfSet(attrs, "region", s.region);
    addIfSet(attrs, "ageBand", s.ageBand);
    if (!s.interests.isEmpty())
        attrs.add(QStringLiteral("interests"), stringList(s.interests));
    addIfSet(attrs, "tone", s.tone);
    if (!attrs.isEmptyContainer())
        o.add(QStringLiteral("attributes"), std::move(attrs));
    if (!s.variables.isEmpty()) {
        JsonNode vars = JsonNode::object();
        for (auto it = s.variables.constBegin(); it != s.variables.constEnd(); ++it)
            vars.add(it.key(), str(it.value()));
        o.add(QStringLiteral("variables"), std::move(vars));
    }
    return o;
}

JsonNode recipeNode(const GenerationRecipe &r)
{
    const GenerationRecipe def;
    JsonNode o = JsonNode::object();
    o.add(QStringLiteral("provider"), str(r.provider));
    addIfSet(o, "model", r.model);
    o.add(QStringLiteral("kind"), str(assetKindName(r.kind)));
    addIfSet(o, "prompt", r.prompt);
    addIfSet(o, "negativePrompt", r.negativePrompt);
    if (r.seed != def.seed)
        o.add(QStringLiteral("seed"), JsonNode::integer(r.seed));
    if (r.width != def.width)
        o.add(QStringLiteral("width"), JsonNode::integer(r.width));
    if (r.height != def.height)
        o.add(QStringLiteral("height"), JsonNode::integer(r.height));
    addTimeIfNot(o, "duration", r.duration, def.duration);
    addTimeIfNot(o, "fps", r.fps, def.fps);
    if (!r.palette.isEmpty())
        o.add(QStringLiteral("palette"), stringList(r.palette));
    addIfSet(o, "sourceAsset", r.sourceAssetId);
    addIfSet(o, "request", r.requestId);
    addIfSet(o, "segment", r.segmentId);
    if (!r.params.isEmpty())
        o.add(QStringLiteral("params"), JsonNode::fromQt(r.params));
    addIfSet(o, "requestRecordId", r.requestRecordId);
    addIfSet(o, "createdAt", r.createdAt);
    addIfSet(o, "outputSha256", r.outputSha256);
    addIfSet(o, "inputSha256", r.inputSha256);
    return o;
}

JsonNode assetNode(const Asset &a, const QString &projectDir)
{
    JsonNode o = JsonNode::object();
    o.add(QStringLiteral("id"), str(a.id));
    o.add(QStringLiteral("kind"), str(assetKindName(a.kind)));
    if (!a.path.isEmpty())
        o.add(QStringLiteral("path"), str(relativeMediaPath(projectDir, a.path)));
    if (a.recipe)
        o.add(QStringLiteral("recipe"), recipeNode(*a.recipe));
    if (a.pinned)
        o.add(QStringLiteral("pinned"), JsonNode::boolean(true));
    return o;
}

JsonNode requestNode(const GenerationRequest &r)
{
    const GenerationRequest def;
    JsonNode o = JsonNode::object();
    o.add(QStringLiteral("id"), str(r.id));
    o.add(QStringLiteral("kind"), str(assetKindName(r.kind)));
    o.add(QStringLiteral("provider"), str(r.provider));
    addIfSet(o, "model", r.model);
    o.add(QStringLiteral("prompt"), str(r.promptTemplate));
    addIfSet(o, "negativePrompt", r.negativePrompt);
    if (r.seed != def.seed)
        o.add(QStringLiteral("seed"), JsonNode::integer(r.seed));
    if (r.width != def.width)
        o.add(QStringLiteral("width"), JsonNode::integer(r.width));
    if (r.height != def.height)
        o.add(QStringLiteral("height"), JsonNode::integer(r.height));
    addTimeIfNot(o, "duration", r.duration, def.duration);
    o.add(QStringLiteral("perSegment"), JsonNode::boolean(r.perSegment));
    addIfSet(o, "bindVariable", r.bindVariable);
    addIfSet(o, "sourceAsset", r.sourceAssetId);
    if (!r.params.isEmpty())
        o.add(QStringLiteral("params"), JsonNode::fromQt(r.params));
    if (!r.segmentSeeds.isEmpty()) {
        JsonNode seeds = JsonNode::object();
        for (auto it = r.segmentSeeds.begin(); it != r.segmentSeeds.end(); ++it)
            seeds.add(it.key(), JsonNode::integer(it.value()));
        o.add(QStringLiteral("segmentSeeds"), std::move(seeds));
    }
    return o;
}

JsonNode layoutNode(const ClipLayout &l)
{
    const ClipLayout def;
    JsonNode o = JsonNode::object();
    o.add(QStringLiteral("mode"), str(l.mode == ClipLayout::Mode::Box      ? QStringLiteral("box")
                                      : l.mode == ClipLayout::Mode::Anchor ? QStringLiteral("anchor")
                                                                           : QStringLiteral("fill")));
    const bool box = l.mode == ClipLayout::Mode::Box;
    const bool anchor = l.mode == ClipLayout::Mode::Anchor;
    if (box || l.box != def.box) {
        JsonNode rect = JsonNode::object();
        rect.add(QStringLiteral("x"), JsonNode::number(l.box.x()));
        rect.add(QStringLiteral("y"), JsonNode::number(l.box.y()));
        rect.add(QStringLiteral("w"), JsonNode::number(l.box.width()));
        rect.add(QStringLiteral("h"), JsonNode::number(l.box.height()));
        o.add(QStringLiteral("box"), std::move(rect));
    }
    // Fields of the other modes are kept only when they were changed, so switching modes in
    // the editor and back loses nothing.
    if (anchor || l.anchor != def.anchor)
        o.add(QStringLiteral("anchor"), str(l.anchor));
    if (anchor || l.size != def.size)
        o.add(QStringLiteral("size"), JsonNode::number(l.size));
    if (anchor || l.margin != def.margin)
        o.add(QStringLiteral("margin"), JsonNode::number(l.margin));
    return o;
}

JsonNode kenBurnsEnd(double scale, double x, double y)
{
    JsonNode o = JsonNode::object();
    o.add(QStringLiteral("scale"), JsonNode::number(scale));
    o.add(QStringLiteral("x"), JsonNode::number(x));
    o.add(QStringLiteral("y"), JsonNode::number(y));
    return o;
}

JsonNode keyframesNode(const Clip &c)
{
    JsonNode o = JsonNode::object();
    const std::pair<const char *, const std::vector<Keyframe> *> props[] = {
        {"opacity", &c.opacity}, {"scale", &c.scale}, {"x", &c.offsetX}, {"y", &c.offsetY}};
    for (const auto &[name, keys] : props) {
        if (keys->empty())
            continue;
        JsonNode list = JsonNode::array();
        for (const Keyframe &k : *keys) {
            JsonNode kf = JsonNode::object();
            kf.add(QStringLiteral("t"), time(k.time));
            kf.add(QStringLiteral("v"), JsonNode::number(k.value));
            list.append(std::move(kf));
        }
        o.add(QString::fromLatin1(name), std::move(list));
    }
    return o;
}

JsonNode reframeNode(const std::vector<ReframeSpec> &specs)
{
    JsonNode list = JsonNode::array();
    for (const ReframeSpec &spec : specs) {
        JsonNode o = JsonNode::object();
        o.add(QStringLiteral("asset"), str(spec.assetId));
        o.add(QStringLiteral("format"), str(spec.formatId));
        o.add(QStringLiteral("mode"), str(spec.mode == ReframeSpec::Mode::Manual
                                              ? QStringLiteral("manual")
                                              : QStringLiteral("auto")));
        JsonNode keys = JsonNode::array();
        for (const CropKey &k : spec.keys) {
            JsonNode key = JsonNode::object();
            key.add(QStringLiteral("t"), time(k.time));
            key.add(QStringLiteral("x"), JsonNode::number(k.window.x()));
            key.add(QStringLiteral("y"), JsonNode::number(k.window.y()));
            key.add(QStringLiteral("w"), JsonNode::number(k.window.width()));
            key.add(QStringLiteral("h"), JsonNode::number(k.window.height()));
            keys.append(std::move(key));
        }
        o.add(QStringLiteral("keys"), std::move(keys));
        list.append(std::move(o));
    }
    return list;
}

JsonNode textNode(const TextSpec &t)
{
    JsonNode o = JsonNode::object();
    o.add(QStringLiteral("text"), str(t.text));
    o.add(QStringLiteral("size"), JsonNode::number(t.size));
    o.add(QStringLiteral("color"), color(t.color));
    o.add(QStringLiteral("background"), color(t.background));
    o.add(QStringLiteral("backgroundOpacity"), JsonNode::number(t.backgroundOpacity));
    o.add(QStringLiteral("padding"), JsonNode::number(t.padding));
    o.add(QStringLiteral("align"), str(t.align));
    o.add(QStringLiteral("bold"), JsonNode::boolean(t.bold));
    return o;
}

JsonNode overridesNode(const std::vector<ClipOverride> &overrides)
{
    JsonNode list = JsonNode::array();
    for (const ClipOverride &o : overrides) {
        JsonNode n = JsonNode::object();
        addIfSet(n, "segment", o.segmentId);
        addIfSet(n, "format", o.formatId);
        // QJsonObject keeps its keys sorted, so the patch is written in a stable order.
        n.add(QStringLiteral("properties"), JsonNode::fromQt(o.properties));
        list.append(std::move(n));
    }
    return list;
}

}  // namespace

namespace detail {

// Only the fields that apply to the track's kind are written; the reader rejects the others.
JsonNode clipNode(const Clip &c, TrackKind kind, bool withOverrides)
{
    const Clip def;
    const bool text = kind == TrackKind::Text;
    const bool audio = kind == TrackKind::Audio;
    JsonNode o = JsonNode::object();
    o.add(QStringLiteral("id"), str(c.id));
    if (!text)
        o.add(QStringLiteral("source"), str(c.source));
    o.add(QStringLiteral("start"), time(c.start));
    o.add(QStringLiteral("duration"), time(c.duration));
    if (!text)
        addTimeIfNot(o, "in", c.in, def.in);
    if (!audio) {
        if (c.layout != def.layout)
            o.add(QStringLiteral("layout"), layoutNode(c.layout));
        if (!text)
            o.add(QStringLiteral("fit"), str(c.fit));
        if (!text && c.kenBurns.enabled) {
            JsonNode kb = JsonNode::object();
            kb.add(QStringLiteral("from"), kenBurnsEnd(c.kenBurns.startScale, c.kenBurns.startX,
                                                       c.kenBurns.startY));
            kb.add(QStringLiteral("to"), kenBurnsEnd(c.kenBurns.endScale, c.kenBurns.endX,
                                                     c.kenBurns.endY));
            o.add(QStringLiteral("kenBurns"), std::move(kb));
        }
        // Absent unless used, so projects without smart reframe save exactly as before.
        if (!text && !c.reframe.empty())
            o.add(QStringLiteral("reframe"), reframeNode(c.reframe));
        JsonNode keys = keyframesNode(c);
        if (!keys.isEmptyContainer())
            o.add(QStringLiteral("keyframes"), std::move(keys));
        addTimeIfNot(o, "transitionIn", c.transitionIn, def.transitionIn);
        addTimeIfNot(o, "fadeOut", c.fadeOut, def.fadeOut);
    }
    if (text)
        o.add(QStringLiteral("text"), textNode(c.text));
    if (audio) {
        o.add(QStringLiteral("gain"), JsonNode::number(c.gain));
        addTimeIfNot(o, "audioFadeIn", c.audioFadeIn, def.audioFadeIn);
        addTimeIfNot(o, "audioFadeOut", c.audioFadeOut, def.audioFadeOut);
    }
    // Both absent unless used, so projects without them keep their exact bytes.
    if (c.locked)
        o.add(QStringLiteral("locked"), JsonNode::boolean(true));
    if (withOverrides && !c.overrides.empty())
        o.add(QStringLiteral("overrides"), overridesNode(c.overrides));
    return o;
}

}  // namespace detail

namespace {

JsonNode timelineNode(const Timeline &t)
{
    JsonNode o = JsonNode::object();
    o.add(QStringLiteral("fps"), time(t.fps));
    o.add(QStringLiteral("duration"), time(t.duration));
    JsonNode tracks = JsonNode::array();
    for (const Track &track : t.tracks) {
        JsonNode tn = JsonNode::object();
        tn.add(QStringLiteral("id"), str(track.id));
        tn.add(QStringLiteral("kind"), str(trackKindName(track.kind)));
        addIfSet(tn, "name", track.name);
        JsonNode clips = JsonNode::array();
        for (const Clip &clip : track.clips)
            clips.append(detail::clipNode(clip, track.kind, true));
        tn.add(QStringLiteral("clips"), std::move(clips));
        tracks.append(std::move(tn));
    }
    o.add(QStringLiteral("tracks"), std::move(tracks));
    return o;
}

JsonNode approvalNode(const Approval &a)
{
    JsonNode o = JsonNode::object();
    o.add(QStringLiteral("segment"), str(a.segmentId));
    o.add(QStringLiteral("format"), str(a.formatId));
    o.add(QStringLiteral("decision"), str(a.decision == Approval::Decision::Rejected
                                              ? QStringLiteral("rejected")
                                              : QStringLiteral("approved")));
    addIfSet(o, "comment", a.comment);
    addIfSet(o, "reviewer", a.reviewer);
    addIfSet(o, "time", a.time);
    o.add(QStringLiteral("fileSha256"), str(a.fileSha256));
    o.add(QStringLiteral("contentHash"), str(a.contentHash));
    return o;
}

}  // namespace

QByteArray serializeCampaign(const Campaign &c, const QString &projectDir)
{
    const QString dir = QFileInfo(projectDir.isEmpty() ? QStringLiteral(".") : projectDir)
                            .absoluteFilePath();
    JsonNode root = JsonNode::object();
    root.add(QStringLiteral("schemaVersion"), JsonNode::integer(kSchemaVersion));
    root.add(QStringLiteral("id"), str(c.id));
    root.add(QStringLiteral("name"), str(c.name));
    root.add(QStringLiteral("brandKit"), brandNode(c.brand));
    JsonNode formats = JsonNode::array();
    for (const FormatPreset &f : c.formats) {
        // The plain id unless the project switched the preset's AI label: files that never
        // used the override keep their exact bytes.
        const auto &presets = builtinFormatPresets();
        const auto preset = std::find_if(presets.begin(), presets.end(),
                                         [&](const FormatPreset &p) { return p.id == f.id; });
        if (preset == presets.end() || preset->aiLabel == f.aiLabel) {
            formats.append(str(f.id));
            continue;
        }
        JsonNode entry = JsonNode::object();
        entry.add(QStringLiteral("id"), str(f.id));
        entry.add(QStringLiteral("aiLabel"), JsonNode::boolean(f.aiLabel));
        formats.append(std::move(entry));
    }
    root.add(QStringLiteral("formats"), std::move(formats));
    JsonNode segments = JsonNode::array();
    for (const Segment &s : c.segments)
        segments.append(segmentNode(s));
    root.add(QStringLiteral("segments"), std::move(segments));
    JsonNode assets = JsonNode::array();
    for (const Asset &a : c.assets)
        assets.append(assetNode(a, dir));
    root.add(QStringLiteral("assets"), std::move(assets));
    JsonNode requests = JsonNode::array();
    for (const GenerationRequest &r : c.generationRequests)
        requests.append(requestNode(r));
    root.add(QStringLiteral("generationRequests"), std::move(requests));
    root.add(QStringLiteral("timeline"), timelineNode(c.timeline));
    // Only when there are any: projects that were never reviewed keep their exact bytes.
    if (!c.approvals.empty()) {
        JsonNode approvals = JsonNode::array();
        for (const Approval &a : c.approvals)
            approvals.append(approvalNode(a));
        root.add(QStringLiteral("approvals"), std::move(approvals));
    }
    return root.toJson();
}

bool saveCampaign(const Campaign &c, const QString &filePath, QString *error)
{
    const QFileInfo info(filePath);
    const QString shown = QDir::toNativeSeparators(info.absoluteFilePath());
    const QByteArray data = serializeCampaign(c, info.absolutePath());
    // QSaveFile writes a temporary file and renames it on commit(): a failure at any point
    // leaves the previous project file untouched.
    QSaveFile file(info.absoluteFilePath());
    auto fail = [&](const QString &reason) {
        if (error)
            *error = QCoreApplication::translate("editor", "Cannot save %1: %2").arg(shown, reason);
        return false;
    };
    if (!file.open(QIODevice::WriteOnly))
        return fail(file.errorString());
    // flush() is checked explicitly: in Qt 6.4 a short write during the flush inside commit()
    // (file size limit, quota) is not reported and a truncated file would replace the old one.
    errno = 0;
    if (file.write(data) != data.size() || !file.flush()) {
        // QFileDevice reports a failed buffered write as "Unknown error"; the system's reason
        // ("No space left on device", "File too large") is what tells the user what to do.
        const int writeErrno = errno;
        const QString reason = QCoreApplication::translate(
            "editor", "not all data could be written (%1)")
            .arg(writeErrno != 0 ? QString::fromLocal8Bit(std::strerror(writeErrno))
                                 : file.errorString());
        file.cancelWriting();
        return fail(reason);
    }
    if (!file.commit())
        return fail(file.errorString());
    return true;
}

}  // namespace editor
