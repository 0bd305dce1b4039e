// SPDX-License-Identifier: GPL-3.0-or-later
#include "resolve.h"

#include "render/output_metadata.h"

#include "clip_override.h"
#include "generation_plan.h"
#include "reader_context.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QImageReader>

#include <algorithm>

namespace editor {

namespace {

struct Frame {
    int w;
    int h;
    double shortSide() const { return std::min(w, h); }
};

// Width / height of an asset, for layouts whose height follows the source (anchored logos).
// Only the image header is read (QImageReader::size() does not decode); a generated asset
// without a file falls back to its recipe size; unknown means square.
double sourceAspect(const Asset *asset)
{
    if (asset && !asset->path.isEmpty() && asset->kind == AssetKind::Image) {
        QImageReader reader(asset->path);
        const QSize size = reader.size();
        if (size.width() > 0 && size.height() > 0)
            return double(size.width()) / size.height();
    }
    if (asset && asset->recipe && asset->recipe->width > 0 && asset->recipe->height > 0)
        return double(asset->recipe->width) / asset->recipe->height;
    return 1.0;
}

// The part of the frame platform UI leaves free (FormatPreset safe fractions).
QRectF safeRect(const FormatPreset &fmt)
{
    return QRectF(fmt.safeLeft * fmt.width, fmt.safeTop * fmt.height,
                  fmt.width * (1.0 - fmt.safeLeft - fmt.safeRight),
                  fmt.height * (1.0 - fmt.safeTop - fmt.safeBottom));
}

// Height over width of an anchored text box. A text box has no source aspect, so its height
// holds the text's explicit lines at the requested size (1.4 x the pixel size per line, about
// the line spacing of the bundled Noto faces) plus the padding above and below; text that
// wraps or runs longer is shrunk to fit by the text fitter (render/text_fit.h), and preflight
// reports what still overflows. Fonts are not measured here, so resolution stays fast and the
// same in every process.
double anchoredTextHeight(const Clip &clip, const QString &text, double width, const Frame &f)
{
    const double lines = std::max<qsizetype>(1, text.count(QLatin1Char('\n')) + 1);
    const double height = lines * 1.4 * clip.text.size * f.shortSide()
        + 2.0 * clip.text.padding * f.shortSide();
    return std::max(1.0, std::min(height, 50.0 * width));
}

// Fill and Box are fractions of the frame. Anchor measures its margin from the format's safe
// rectangle, not the frame edge, so a layer anchored bottom-left sits bottom-left inside the
// safe zone of every format (the margin and width are fractions of the shorter side, so the
// layer keeps its size relative to the format).
QRectF layoutRect(const ClipLayout &l, const Frame &f, const QRectF &safe, double heightOfWidth)
{
    switch (l.mode) {
    case ClipLayout::Mode::Fill:
        return QRectF(0, 0, f.w, f.h);
    case ClipLayout::Mode::Box:
        return QRectF(l.box.x() * f.w, l.box.y() * f.h, l.box.width() * f.w, l.box.height() * f.h);
    case ClipLayout::Mode::Anchor: break;
    }
    const double width = l.size * f.shortSide();
    const double height = width * heightOfWidth;
    const double margin = l.margin * f.shortSide();
    double x = safe.center().x() - width / 2;
    double y = safe.center().y() - height / 2;
    if (l.anchor.endsWith(u"left"))
        x = safe.left() + margin;
    else if (l.anchor.endsWith(u"right"))
        x = safe.right() - margin - width;
    if (l.anchor.startsWith(u"top"))
        y = safe.top() + margin;
    else if (l.anchor.startsWith(u"bottom"))
        y = safe.bottom() - margin - height;
    return QRectF(x, y, width, height);
}

render::AnimatedValue animated(const std::vector<Keyframe> &keys, double constant, double factor,
                               const Rational &clipStart, const Rational &fps)
{
    render::AnimatedValue v{constant, {}};
    for (const Keyframe &k : keys) {
        const int64_t frame = (clipStart + k.time).toFrames(fps);
        // Two keys can land on one frame at a low output rate; the later one wins so frames
        // stay unique and sorted, as the renderer requires.
        if (!v.keys.empty() && v.keys.back().frame == frame)
            v.keys.back().value = k.value * factor;
        else
            v.keys.push_back({frame, k.value * factor});
    }
    return v;
}

render::Fit fitFromName(const QString &fit)
{
    if (fit == u"contain")
        return render::Fit::Contain;
    if (fit == u"stretch")
        return render::Fit::Stretch;
    return render::Fit::Cover;
}

// A smart clip's crop keys (source time) as composition frames: the source time t is on
// screen at clip start + (t - in).
std::vector<render::CropKeyframe> cropTrack(const ReframeSpec &spec, const Clip &clip,
                                            const Rational &fps)
{
    std::vector<render::CropKeyframe> out;
    for (const CropKey &k : spec.keys) {
        const int64_t frame = (clip.start + k.time - clip.in).toFrames(fps);
        // Two keys on one frame at a low output rate: the later one wins, as for keyframes.
        if (!out.empty() && out.back().frame >= frame)
            out.back().window = k.window;
        else
            out.push_back({frame, k.window});
    }
    return out;
}

render::TextAlign alignFromName(const QString &align)
{
    if (align == u"leading")
        return render::TextAlign::Leading;
    if (align == u"trailing")
        return render::TextAlign::Trailing;
    return render::TextAlign::Center;
}

void applyText(render::Layer &layer, const Campaign &c, const Clip &clip, const Segment &seg,
               const Frame &f, QStringList &errors)
{
    QStringList unbound, invalid;
    layer.kind = render::LayerKind::Text;
    layer.text = substituteSlots(clip.text.text, seg, &unbound, &invalid);
    for (const QString &name : unbound)
        errors << QCoreApplication::translate("editor", "Clip '%1': segment '%2' has no value for "
                                                        "{{%3}}.")
                      .arg(clip.id, seg.id, name);
    for (const QString &slot : invalid)
        errors << QCoreApplication::translate("editor", "Clip '%1': {{%2}} cannot be formatted "
                                                        "for segment '%3'; the value must be a "
                                                        "number such as \"89.95\".")
                      .arg(clip.id, slot, seg.id);
    render::TextStyle &style = layer.textStyle;
    style.fontFamily = c.brand.fontFamily;
    style.fallbackFamilies = c.brand.fallbackFonts;
    style.pixelSize = clip.text.size * f.shortSide();
    style.bold = clip.text.bold;
    style.color = clip.text.color;
    style.boxColor = clip.text.background;
    style.boxOpacity = clip.text.backgroundOpacity;
    style.padding = clip.text.padding * f.shortSide();
    style.align = alignFromName(clip.text.align);
}

}  // namespace

SourceBinding bindClipSource(const Campaign &c, const Clip &clip, const Segment &segment)
{
    SourceBinding b;
    QString id;
    if (clip.source.startsWith(u"asset:")) {
        id = clip.source.mid(6);
    } else if (const QString slot = detail::slotName(clip.source); !slot.isEmpty()) {
        const auto it = segment.variables.constFind(slot);
        if (it == segment.variables.constEnd() || it.value().isEmpty()) {
            b.error = QCoreApplication::translate("editor", "Clip '%1': segment '%2' has no value "
                                                            "for {{%3}}.")
                          .arg(clip.id, segment.id, slot);
            return b;
        }
        id = it.value().startsWith(u"asset:") ? it.value().mid(6) : it.value();
    } else {
        b.error = QCoreApplication::translate("editor", "Clip '%1' has no valid media source "
                                                        "(\"%2\").")
                      .arg(clip.id, clip.source);
        return b;
    }
    b.asset = c.asset(id);
    const QString notGenerated = QCoreApplication::translate(
        "editor", "Clip '%1': asset '%2' has not been generated yet; run `campaign-cli "
                  "generate` (or Generate missing assets) first.");
    if (!b.asset) {
        b.error = isPlannedAsset(c, id)
            ? notGenerated.arg(clip.id, id)
            : QCoreApplication::translate("editor", "Clip '%1': unknown asset '%2'.").arg(clip.id, id);
    } else if (b.asset->path.isEmpty()) {
        b.error = notGenerated.arg(clip.id, id);
    }
    return b;
}

ResolveResult resolveVariant(const Campaign &c, const QString &segmentId, const QString &formatId)
{
    ResolveResult res;
    const Segment *seg = c.segment(segmentId);
    const FormatPreset *fmt = c.format(formatId);
    if (!seg)
        res.errors << QCoreApplication::translate("editor", "Unknown segment '%1'.").arg(segmentId);
    if (!fmt) {
        QStringList ids;
        for (const FormatPreset &f : c.formats)
            ids << f.id;
        res.errors << QCoreApplication::translate("editor", "Format '%1' is not one of this "
                                                            "campaign's formats (%2).")
                          .arg(formatId, ids.join(QStringLiteral(", ")));
    }
    if (!seg || !fmt)
        return res;

    const Rational fps = fmt->fps;
    const Frame frame{fmt->width, fmt->height};
    render::Composition comp;
    comp.width = fmt->width;
    comp.height = fmt->height;
    comp.fps = {int(fps.num()), int(fps.den())};  // presets are validated to 240 fps at most
    comp.frameCount = c.timeline.duration.toFrames(fps);
    comp.label = segmentId + QLatin1Char('/') + formatId;
    QStringList missing;
    bool showsGeneratedMedia = false;

    const QRectF safe = safeRect(*fmt);
    for (const Track &track : c.timeline.tracks) {
        for (const Clip &master : track.clips) {
            // What this cell shows: the master with the overrides for the cell applied.
            QString overrideError;
            const std::optional<Clip> effective =
                effectiveClip(master, track.kind, segmentId, formatId, &overrideError);
            if (!effective) {
                res.errors << overrideError;
                continue;
            }
            const Clip &clip = *effective;
            // Nearest rounding on both edges keeps back-to-back clips gapless at any rate.
            const int64_t start = std::clamp<int64_t>(clip.start.toFrames(fps), 0, comp.frameCount);
            const int64_t end = std::min<int64_t>((clip.start + clip.duration).toFrames(fps),
                                                  comp.frameCount);
            if (end <= start)
                continue;  // entirely after the end of the timeline
            const Asset *asset = nullptr;
            if (track.kind != TrackKind::Text) {
                const SourceBinding b = bindClipSource(c, clip, *seg);
                if (!b.error.isEmpty()) {
                    res.errors << b.error;
                    continue;
                }
                asset = b.asset;
                const bool audioAsset = asset->kind == AssetKind::Audio;
                if (audioAsset != (track.kind == TrackKind::Audio)) {
                    res.errors << QCoreApplication::translate("editor", "Clip '%1': asset '%2' is "
                                                                        "%3 and cannot be used on "
                                                                        "this track.")
                                      .arg(clip.id, asset->id, assetKindName(asset->kind));
                    continue;
                }
                // An empty file, a FIFO, a device or a folder is as unusable as a missing
                // file; reading one could also block or never end.
                const QFileInfo media(asset->path);
                if ((!media.isFile() || media.size() == 0) && !missing.contains(asset->path))
                    missing << asset->path;
            }
            if (track.kind == TrackKind::Audio) {
                render::AudioClip a;
                a.id = clip.id;
                a.sourcePath = asset->path;
                a.startFrame = start;
                a.endFrame = end;
                a.sourceInNum = clip.in.num();
                a.sourceInDen = clip.in.den();
                a.gain = clip.gain;
                a.fadeInFrames = clip.audioFadeIn.toFrames(fps);
                a.fadeOutFrames = clip.audioFadeOut.toFrames(fps);
                comp.audio.push_back(a);
                continue;
            }
            render::Layer layer;
            layer.id = clip.id;
            layer.startFrame = start;
            layer.endFrame = end;
            double heightOfWidth = 1.0;  // only anchored layers take their height from it
            if (clip.layout.mode == ClipLayout::Mode::Anchor) {
                const double width = clip.layout.size * frame.shortSide();
                heightOfWidth = track.kind == TrackKind::Text
                    ? anchoredTextHeight(clip, substituteSlots(clip.text.text, *seg), width, frame)
                        / width
                    : 1.0 / sourceAspect(asset);
            }
            layer.rect = layoutRect(clip.layout, frame, safe, heightOfWidth);
            layer.opacity = animated(clip.opacity, 1.0, 1.0, clip.start, fps);
            layer.scale = animated(clip.scale, 1.0, 1.0, clip.start, fps);
            layer.offsetX = animated(clip.offsetX, 0.0, frame.w, clip.start, fps);
            layer.offsetY = animated(clip.offsetY, 0.0, frame.h, clip.start, fps);
            layer.fadeInFrames = clip.transitionIn.toFrames(fps);
            layer.fadeOutFrames = clip.fadeOut.toFrames(fps);
            if (track.kind == TrackKind::Text) {
                applyText(layer, c, clip, *seg, frame, res.errors);
            } else {
                showsGeneratedMedia = showsGeneratedMedia || asset->recipe.has_value();
                layer.kind = asset->kind == AssetKind::Video ? render::LayerKind::Video
                                                             : render::LayerKind::Image;
                layer.sourcePath = asset->path;
                layer.sourceInNum = clip.in.num();
                layer.sourceInDen = clip.in.den();
                layer.fit = fitFromName(clip.fit);
                if (clip.fit == u"smart") {
                    if (const ReframeSpec *spec = clip.reframeFor(asset->id, formatId))
                        layer.sourceCrop = cropTrack(*spec, clip, fps);
                }
                const KenBurnsSpec &kb = clip.kenBurns;
                layer.kenBurns = {kb.enabled, kb.startScale, kb.endScale, kb.startX,
                                  kb.startY,  kb.endX,       kb.endY};
            }
            comp.layers.push_back(std::move(layer));
        }
    }
    if (fmt->aiLabel && showsGeneratedMedia) {
        // Last layer, so nothing covers it; inside the platform's safe zone.
        comp.layers.push_back(render::aiDisclosureLabel(comp.width, comp.height, safe,
                                                        comp.frameCount));
    }
    res.missingFiles = missing;
    if (res.errors.isEmpty())
        res.composition = std::move(comp);
    return res;
}

}  // namespace editor
