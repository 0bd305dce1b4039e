// SPDX-License-Identifier: GPL-3.0-or-later
#include "preflight.h"

#include "disk_space.h"

#include "editor/clip_override.h"
#include "editor/resolve.h"
#include "render/layer_geometry.h"
#include "render/renderer.h"
#include "render/text_fit.h"

#include <QCoreApplication>
#include <QFileInfo>
#include <QJsonArray>

#include <algorithm>
#include <cmath>
#include <list>
#include <map>
#include <mutex>

namespace services {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("preflight", text); }

// Pixels of tolerance for edge checks: layouts are fractional and a box edge landing on .5
// must not flag.
constexpr double kEdgeTolerance = 0.5;
// Clear space around the logo, as a fraction of its height (a common brand-book rule).
constexpr double kLogoClearSpace = 0.25;
// WCAG 2.x: 4.5:1 for body text, 3:1 for large text (18 pt = 24 CSS px, or 14 pt = 18.67 px
// bold). Output pixels stand in for CSS pixels.
constexpr double kContrastNormal = 4.5;
constexpr double kContrastLarge = 3.0;
// A box at least this opaque dominates what is behind the text, so its contrast is a
// measurement and may block; below it the sampled picture decides, which is an estimate.
constexpr double kDecisiveBoxOpacity = 0.5;
// Background sampling renders at this fraction of the output size.
constexpr double kSampleScale = 0.25;

struct CellContext {
    const editor::Campaign &campaign;
    const editor::Segment &segment;
    const editor::FormatPreset &format;
    const PreflightOptions &options;
    std::vector<PreflightFinding> &out;

    void add(const QString &rule, Severity severity, const QString &layer, const QString &message,
             bool pseudo = false) const
    {
        PreflightFinding f{rule, severity, segment.id, format.id, layer, message, pseudo};
        if (std::find(out.begin(), out.end(), f) == out.end())
            out.push_back(f);
    }
};

QString px(double v) { return QString::number(v, 'f', v < 10 ? 1 : 0); }

// Frames at which the layer's keyframed transform can be at an extreme: its first frame and
// every keyframe inside its lifetime (linear interpolation peaks at keys).
std::vector<int64_t> transformFrames(const render::Layer &l)
{
    std::vector<int64_t> frames{l.startFrame};
    for (const render::AnimatedValue *v : {&l.scale, &l.offsetX, &l.offsetY})
        for (const render::Keyframe &k : v->keys)
            if (k.frame > l.startFrame && k.frame < l.endFrame)
                frames.push_back(k.frame);
    return frames;
}

// Union of where `area` (in layer coordinates, i.e. output pixels before the transform) is
// drawn over the layer's lifetime.
QRectF placedArea(const render::Layer &l, const QRectF &area)
{
    QRectF all;
    for (int64_t f : transformFrames(l)) {
        const QRectF r = render::layerTransform(l, f).mapRect(area);
        all = all.isNull() ? r : all.united(r);
    }
    return all;
}

// What of a text layer a viewer sees: the box when it has one, else the laid-out lines.
QRectF visibleTextArea(const render::Layer &l, const render::TextFit &fit)
{
    if (l.textStyle.boxOpacity > 0.0)
        return l.rect;
    return fit.textRect.isNull() ? QRectF() : fit.textRect;
}

bool overlapsInTime(const render::Layer &a, const render::Layer &b)
{
    return std::max(a.startFrame, b.startFrame) < std::min(a.endFrame, b.endFrame);
}

double channelToLinear(double c)
{
    return c <= 0.04045 ? c / 12.92 : std::pow((c + 0.055) / 1.055, 2.4);
}

double relativeLuminance(const QColor &c)
{
    return 0.2126 * channelToLinear(c.redF()) + 0.7152 * channelToLinear(c.greenF())
        + 0.0722 * channelToLinear(c.blueF());
}

double contrastRatio(const QColor &a, const QColor &b)
{
    const double la = relativeLuminance(a), lb = relativeLuminance(b);
    return (std::max(la, lb) + 0.05) / (std::min(la, lb) + 0.05);
}

QColor blend(const QColor &top, double alpha, const QColor &bottom)
{
    auto mix = [alpha](double t, double b) { return t * alpha + b * (1.0 - alpha); };
    return QColor::fromRgbF(float(mix(top.redF(), bottom.redF())),
                            float(mix(top.greenF(), bottom.greenF())),
                            float(mix(top.blueF(), bottom.blueF())));
}

// The picture behind text: every non-text layer, rendered small. Text layers are left out
// (they rarely overlap each other, and a text box over text is caught by the logo and safe
// zone rules anyway), so one picture serves every text layer of the cell, and every cell
// whose non-text layers are the same (the segments of one format, as a rule).
render::Composition pictureBelowText(const render::Composition &c)
{
    render::Composition below = c;
    below.layers.clear();
    below.audio.clear();
    for (const render::Layer &l : c.layers)
        if (l.kind != render::LayerKind::Text)
            below.layers.push_back(l);
    return render::scaledComposition(below, kSampleScale);
}
}  // namespace

class PreflightSamples {
public:
    // The sampled frame `frame` of `below` (pictureBelowText), rendered once per distinct
    // picture and frame; null when it cannot render.
    QImage frame(const render::Composition &below, int64_t frame)
    {
        std::unique_lock lock(m_mutex);
        Picture *picture = nullptr;
        for (Picture &p : m_pictures)
            if (p.below.width == below.width && p.below.height == below.height
                && p.below.fps == below.fps && p.below.frameCount == below.frameCount
                && p.below.background == below.background && p.below.layers == below.layers)
                picture = &p;
        if (!picture) {
            m_pictures.emplace_back(below);
            picture = &m_pictures.back();
        }
        // One picture renders on one thread at a time (the cells of a format wait for the
        // first and then find its frames); different pictures render in parallel.
        lock.unlock();
        std::lock_guard pictureLock(picture->mutex);
        auto it = picture->frames.find(frame);
        if (it == picture->frames.end()) {
            if (!picture->renderer)
                picture->renderer = std::make_unique<render::FrameRenderer>(below);
            it = picture->frames.emplace(frame, picture->renderer->renderFrame(frame)).first;
        }
        return it->second;
    }
    // Closes the renderers (their decoders and full-size stills) and keeps the small sampled
    // frames: a batch checks cell after cell and must not hold a renderer per format.
    void releaseRenderers()
    {
        std::lock_guard lock(m_mutex);
        for (Picture &p : m_pictures) {
            std::lock_guard pictureLock(p.mutex);  // waits for a render in progress
            p.renderer.reset();
        }
    }

private:
    struct Picture {
        explicit Picture(render::Composition c) : below(std::move(c)) {}
        const render::Composition below;
        std::mutex mutex;  // guards renderer and frames
        std::unique_ptr<render::FrameRenderer> renderer;
        std::map<int64_t, QImage> frames;
    };
    std::mutex m_mutex;
    std::list<Picture> m_pictures;
};

std::shared_ptr<PreflightSamples> makePreflightSamples()
{
    return std::make_shared<PreflightSamples>();
}

namespace {
class BackgroundSampler {
public:
    BackgroundSampler(const render::Composition &c, std::shared_ptr<PreflightSamples> samples)
        : m_below(pictureBelowText(c))
        , m_samples(samples ? std::move(samples) : makePreflightSamples())
    {
    }
    ~BackgroundSampler() { m_samples->releaseRenderers(); }
    BackgroundSampler(const BackgroundSampler &) = delete;
    BackgroundSampler &operator=(const BackgroundSampler &) = delete;

    // Mean colour of `area` (output pixels) at `frame`; invalid when the frame cannot render.
    QColor meanAt(const QRectF &area, int64_t frame)
    {
        const QImage image = m_samples->frame(m_below, frame);
        if (image.isNull())
            return {};
        const QRect r = QRectF(area.x() * kSampleScale, area.y() * kSampleScale,
                               area.width() * kSampleScale, area.height() * kSampleScale)
                            .toAlignedRect()
                            .intersected(image.rect());
        if (r.isEmpty())
            return {};
        double red = 0, green = 0, blue = 0;
        for (int y = r.top(); y <= r.bottom(); ++y) {
            const QRgb *line = reinterpret_cast<const QRgb *>(image.constScanLine(y));
            for (int x = r.left(); x <= r.right(); ++x) {
                red += qRed(line[x]);
                green += qGreen(line[x]);
                blue += qBlue(line[x]);
            }
        }
        const double n = double(r.width()) * r.height() * 255.0;
        return QColor::fromRgbF(float(red / n), float(green / n), float(blue / n));
    }

private:
    render::Composition m_below;
    std::shared_ptr<PreflightSamples> m_samples;
};

void checkSlotsAndMedia(const CellContext &cx)
{
    const editor::Campaign &c = cx.campaign;
    for (const editor::Track &track : c.timeline.tracks) {
        for (const editor::Clip &master : track.clips) {
            if (!(master.start < c.timeline.duration))
                continue;  // never on screen
            // The cell's own text and look (per-cell overrides); a clash between overrides is
            // reported by resolution as a resolve error.
            const std::optional<editor::Clip> effective =
                editor::effectiveClip(master, track.kind, cx.segment.id, cx.format.id);
            if (!effective)
                continue;
            const editor::Clip &clip = *effective;
            QStringList unbound, invalid;
            if (track.kind == editor::TrackKind::Text) {
                editor::substituteSlots(clip.text.text, cx.segment, &unbound, &invalid);
            } else if (clip.source.startsWith(u"{{")) {
                const QString value = editor::substituteSlots(clip.source, cx.segment, &unbound);
                if (unbound.isEmpty() && value.trimmed().isEmpty())
                    unbound << clip.source.mid(2, clip.source.size() - 4).trimmed();
            }
            for (const QString &name : unbound)
                cx.add(QStringLiteral("unresolved-slot"), Severity::Blocking, clip.id,
                       tr("{{%1}} has no value in segment '%2'. Add the variable '%1' to the "
                          "segment (segment editor or CSV).")
                           .arg(name, cx.segment.id));
            for (const QString &slot : invalid)
                cx.add(QStringLiteral("slot-format"), Severity::Blocking, clip.id,
                       tr("{{%1}} cannot be formatted: the segment's value must be a number "
                          "written like \"89.95\" (the display is localised).")
                           .arg(slot));
            if (track.kind == editor::TrackKind::Text || !unbound.isEmpty())
                continue;
            const editor::SourceBinding b = editor::bindClipSource(c, clip, cx.segment);
            if (!b.error.isEmpty())
                cx.add(QStringLiteral("media-missing"), Severity::Blocking, clip.id, b.error);
        }
    }
}

void checkText(const CellContext &cx, const render::Layer &l, const QRectF &safe,
               BackgroundSampler *sampler)
{
    const render::TextFit fit = render::fitText(l);
    const render::TextStyle &style = l.textStyle;
    if (fit.overflow)
        cx.add(QStringLiteral("text-overflow"), Severity::Blocking, l.id,
               tr("The text needs %1 px more than its box even at the minimum size of %2 px. "
                  "Shorten the copy for this segment or enlarge the box.")
                   .arg(px(fit.overflowPx), px(fit.pixelSize)));
    else if (fit.wordsBroken)
        cx.add(QStringLiteral("text-words-broken"), Severity::Warning, l.id,
               tr("A word is wider than the box at %1 px and was split across lines. Shorten "
                  "or hyphenate the word, or widen the box.")
                   .arg(px(fit.pixelSize)));
    if (fit.lineCount > 0 && fit.pixelSize + 1e-9 < cx.options.minTextPx)
        cx.add(QStringLiteral("text-min-size"), Severity::Blocking, l.id,
               tr("The text is drawn at %1 px (after shrink-to-fit), below the minimum of %2 "
                  "px. Raise the text size, enlarge the box or shorten the copy.")
                   .arg(px(fit.pixelSize), px(cx.options.minTextPx)));

    const QRectF area = placedArea(l, visibleTextArea(l, fit));
    if (!area.isEmpty() && !safe.adjusted(-kEdgeTolerance, -kEdgeTolerance, kEdgeTolerance,
                                          kEdgeTolerance).contains(area)) {
        QStringList sides;
        if (area.top() < safe.top() - kEdgeTolerance)
            sides << tr("%1 px into the top").arg(px(safe.top() - area.top()));
        if (area.bottom() > safe.bottom() + kEdgeTolerance)
            sides << tr("%1 px into the bottom").arg(px(area.bottom() - safe.bottom()));
        if (area.left() < safe.left() - kEdgeTolerance)
            sides << tr("%1 px into the left").arg(px(safe.left() - area.left()));
        if (area.right() > safe.right() + kEdgeTolerance)
            sides << tr("%1 px into the right").arg(px(area.right() - safe.right()));
        const double w = cx.format.width, h = cx.format.height;
        cx.add(QStringLiteral("text-safe-zone"), Severity::Blocking, l.id,
               tr("The text reaches %1 margin that platform UI covers. Keep the clip's box "
                  "within x %2..%3 and y %4..%5 of the frame.")
                   .arg(sides.join(QStringLiteral(", ")))
                   .arg(safe.left() / w, 0, 'f', 2).arg(safe.right() / w, 0, 'f', 2)
                   .arg(safe.top() / h, 0, 'f', 2).arg(safe.bottom() / h, 0, 'f', 2));
    }

    if (fit.lineCount == 0)
        return;
    const double boxAlpha = std::clamp(style.boxOpacity, 0.0, 1.0) * style.boxColor.alphaF();
    double worst = 0.0;
    if (boxAlpha >= 1.0) {
        worst = contrastRatio(style.color, style.boxColor);
    } else if (sampler) {
        // First fully faded-in frame, the middle and the last frame before the fade-out: the
        // picture behind may change (a cut, a Ken Burns move).
        const int64_t first = std::min(l.startFrame + l.fadeInFrames, l.endFrame - 1);
        const int64_t last = std::max(first, l.endFrame - 1 - l.fadeOutFrames);
        const QRectF behind = style.boxOpacity > 0.0 ? l.rect : fit.textRect;
        for (int64_t frame : {first, (first + last) / 2, last}) {
            const QColor mean = sampler->meanAt(placedArea(l, behind), frame);
            if (!mean.isValid())
                continue;
            const double ratio = contrastRatio(style.color, blend(style.boxColor, boxAlpha, mean));
            worst = worst == 0.0 ? ratio : std::min(worst, ratio);
        }
    }
    if (worst == 0.0)
        return;  // not measurable (no opaque box, no sampling)
    const bool large = style.pixelSize >= 24.0 || (style.bold && style.pixelSize >= 18.67);
    const double needed = large ? kContrastLarge : kContrastNormal;
    if (worst + 1e-9 < needed) {
        const bool decisive = boxAlpha >= kDecisiveBoxOpacity;
        cx.add(QStringLiteral("text-contrast"), decisive ? Severity::Blocking : Severity::Warning,
               l.id,
               tr("Contrast of the text against %1 is %2:1, below the WCAG minimum of %3:1 for "
                  "%4 text. Change the text colour, or give it a more opaque box in a contrasting "
                  "colour.")
                   .arg(boxAlpha >= 1.0 ? tr("its box")
                                        : decisive ? tr("its box over the picture")
                                                   : tr("the picture behind it (mean colour)"))
                   .arg(worst, 0, 'f', 2).arg(needed, 0, 'f', 1)
                   .arg(large ? tr("large") : tr("normal")));
    }
}

void checkPseudoText(const CellContext &cx, const render::Layer &l)
{
    render::Layer pseudo = l;
    pseudo.text = pseudoLocalize(l.text);
    const render::TextFit fit = render::fitText(pseudo);
    if (fit.overflow)
        cx.add(QStringLiteral("text-overflow"), Severity::Warning, l.id,
               tr("With pseudo-localised copy (+40 %, German-like words and a right-to-left "
                  "run) the text needs %1 px more than its box at %2 px. Leave room for "
                  "translations: enlarge the box or plan shorter copy.")
                   .arg(px(fit.overflowPx), px(fit.pixelSize)),
               true);
    else if (fit.pixelSize + 1e-9 < cx.options.minTextPx)
        cx.add(QStringLiteral("text-min-size"), Severity::Warning, l.id,
               tr("With pseudo-localised copy the text shrinks to %1 px, below the minimum of "
                  "%2 px. Enlarge the box to leave room for translations.")
                   .arg(px(fit.pixelSize), px(cx.options.minTextPx)),
               true);
}

void checkLogo(const CellContext &cx, const render::Composition &comp)
{
    const editor::Asset *logo = cx.campaign.asset(cx.campaign.brand.logoAssetId);
    if (!logo || logo->path.isEmpty())
        return;
    for (std::size_t i = 0; i < comp.layers.size(); ++i) {
        const render::Layer &mark = comp.layers[i];
        if (mark.kind == render::LayerKind::Text || mark.sourcePath != logo->path)
            continue;
        const QRectF placed = placedArea(mark, mark.rect);
        const double margin = kLogoClearSpace * placed.height();
        const QRectF clear = placed.adjusted(-margin, -margin, margin, margin);
        for (std::size_t j = 0; j < comp.layers.size(); ++j) {
            const render::Layer &other = comp.layers[j];
            if (j == i || !overlapsInTime(mark, other))
                continue;
            QRectF area;
            if (other.kind == render::LayerKind::Text)
                area = placedArea(other, visibleTextArea(other, render::fitText(other)));
            else if (j > i)
                area = placedArea(other, other.rect);  // drawn over the logo
            if (area.isEmpty() || !area.intersects(clear))
                continue;
            cx.add(QStringLiteral("logo-clear-space"), Severity::Blocking, other.id,
                   tr("'%1' comes within the logo's clear space (%2 px around the logo '%3'). "
                      "Move or shrink it, or move the logo.")
                       .arg(other.id, px(margin), mark.id));
        }
    }
}

void checkDisclaimer(const CellContext &cx, const render::Composition &comp)
{
    const QMap<QString, QString> &required = cx.campaign.brand.disclaimers;
    const QString locale = cx.segment.locale;
    QString key = locale;
    if (!required.contains(key))
        key = locale.section(QLatin1Char('_'), 0, 0).section(QLatin1Char('-'), 0, 0);
    if (key.isEmpty() || !required.contains(key))
        return;
    const QString wanted = required.value(key).simplified();
    for (const render::Layer &l : comp.layers)
        if (l.kind == render::LayerKind::Text && l.text.simplified().contains(wanted))
            return;
    cx.add(QStringLiteral("disclaimer-missing"), Severity::Blocking, QString(),
           tr("The brand kit requires the disclaimer \"%1\" for %2, and no text clip shows it. "
              "Add a text clip with the disclaimer (e.g. a {{disclaimer}} slot filled per "
              "segment).")
               .arg(required.value(key), key));
}

}  // namespace

QString severityName(Severity s)
{
    return s == Severity::Blocking ? QStringLiteral("blocking") : QStringLiteral("warning");
}

std::vector<PreflightFinding> preflightCell(const editor::Campaign &c, const QString &segmentId,
                                            const QString &formatId,
                                            const PreflightOptions &options)
{
    std::vector<PreflightFinding> out;
    const editor::Segment *segment = c.segment(segmentId);
    const editor::FormatPreset *format = c.format(formatId);
    if (!segment || !format)
        return out;
    const CellContext cx{c, *segment, *format, options, out};

    if (format->maxDuration < c.timeline.duration)
        cx.add(QStringLiteral("duration-limit"), Severity::Blocking, QString(),
               tr("The timeline lasts %1 s, longer than the %2 s the format '%3' allows. "
                  "Shorten the timeline.")
                   .arg(c.timeline.duration.toDouble()).arg(format->maxDuration.toDouble())
                   .arg(format->id));
    checkSlotsAndMedia(cx);
    const editor::ResolveResult resolved = editor::resolveVariant(c, segmentId, formatId);
    for (const QString &file : resolved.missingFiles)
        cx.add(QStringLiteral("media-missing"), Severity::Blocking, QString(),
               tr("Media file %1 is missing, empty or not a regular file (offline). Relink the "
                  "asset or put the file back.")
                   .arg(file));
    const bool explained = !out.empty();
    if (!resolved.composition) {
        // Unresolved slots and missing assets are already reported with their own rule.
        if (!explained)
            for (const QString &e : resolved.errors)
                cx.add(QStringLiteral("resolve-error"), Severity::Blocking, QString(), e);
        return out;
    }
    const render::Composition &comp = *resolved.composition;
    const QRectF safe(format->safeLeft * comp.width, format->safeTop * comp.height,
                      comp.width * (1.0 - format->safeLeft - format->safeRight),
                      comp.height * (1.0 - format->safeTop - format->safeBottom));
    std::unique_ptr<BackgroundSampler> sampler;
    if (options.samplePixels && resolved.missingFiles.isEmpty())
        sampler = std::make_unique<BackgroundSampler>(comp, options.samples);
    for (const render::Layer &l : comp.layers) {
        if (l.kind != render::LayerKind::Text)
            continue;
        checkText(cx, l, safe, sampler.get());
        if (options.pseudoLocale)
            checkPseudoText(cx, l);
    }
    checkLogo(cx, comp);
    checkDisclaimer(cx, comp);
    // An estimate made before rendering (disk_space.h), on the generous side: a warning, not
    // a refusal; the real size is in the export manifest afterwards.
    if (format->maxFileBytes > 0) {
        const qint64 estimate = estimateCellBytes(comp);
        if (estimate > format->maxFileBytes)
            cx.add(QStringLiteral("file-size-limit"), Severity::Warning, QString(),
                   tr("The export is estimated at about %1 MB, more than the %2 MB the format "
                      "'%3' accepts. Shorten the timeline or use fewer, simpler moving pictures.")
                       .arg(double(estimate) / (1024.0 * 1024.0), 0, 'f', 0)
                       .arg(format->maxFileBytes / (1024 * 1024))
                       .arg(format->id));
    }
    return out;
}

PreflightReport runPreflight(const editor::Campaign &c, const PreflightOptions &givenOptions)
{
    PreflightOptions options = givenOptions;
    if (!options.samples)
        options.samples = makePreflightSamples();
    PreflightReport report;
    for (const editor::Segment &s : c.segments) {
        if (!options.segmentIds.isEmpty() && !options.segmentIds.contains(s.id))
            continue;
        for (const editor::FormatPreset &f : c.formats) {
            if (!options.formatIds.isEmpty() && !options.formatIds.contains(f.id))
                continue;
            if (options.cancel && options.cancel->load()) {
                report.cancelled = true;
                break;
            }
            const std::vector<PreflightFinding> cell = preflightCell(c, s.id, f.id, options);
            report.findings.insert(report.findings.end(), cell.begin(), cell.end());
            ++report.cellsChecked;
        }
    }
    std::stable_sort(report.findings.begin(), report.findings.end(),
                     [](const PreflightFinding &a, const PreflightFinding &b) {
                         return std::tie(a.segmentId, a.formatId, a.rule, a.layerId, a.pseudo)
                             < std::tie(b.segmentId, b.formatId, b.rule, b.layerId, b.pseudo);
                     });
    return report;
}

int PreflightReport::count(Severity s) const
{
    return int(std::count_if(findings.begin(), findings.end(),
                             [s](const PreflightFinding &f) { return f.severity == s; }));
}

QStringList PreflightReport::blockedCells() const
{
    QStringList cells;
    for (const PreflightFinding &f : findings)
        if (f.severity == Severity::Blocking && !cells.contains(f.cell()))
            cells << f.cell();
    return cells;
}

QJsonObject PreflightReport::toJson() const
{
    QJsonArray list;
    for (const PreflightFinding &f : findings)
        list.append(QJsonObject{
            {QStringLiteral("rule"), f.rule},
            {QStringLiteral("severity"), severityName(f.severity)},
            {QStringLiteral("segment"), f.segmentId},
            {QStringLiteral("format"), f.formatId},
            {QStringLiteral("layer"), f.layerId},
            {QStringLiteral("message"), f.message},
            {QStringLiteral("pseudo"), f.pseudo},
        });
    return QJsonObject{
        {QStringLiteral("cellsChecked"), cellsChecked},
        {QStringLiteral("blocking"), count(Severity::Blocking)},
        {QStringLiteral("warnings"), count(Severity::Warning)},
        {QStringLiteral("findings"), list},
        {QStringLiteral("skippedRules"), QJsonArray::fromStringList(skippedRules)},
        {QStringLiteral("cancelled"), cancelled},
    };
}

QString PreflightReport::toText() const
{
    QString text;
    for (const PreflightFinding &f : findings) {
        text += QStringLiteral("%1  %2  %3%4  %5%6\n")
                    .arg(f.severity == Severity::Blocking ? QStringLiteral("BLOCKING")
                                                          : QStringLiteral("warning "),
                         f.cell(), f.rule, f.pseudo ? QStringLiteral(" (pseudo)") : QString(),
                         f.layerId.isEmpty() ? QString() : QStringLiteral("[%1] ").arg(f.layerId),
                         f.message);
    }
    text += tr("%1 cells checked: %2 blocking, %3 warnings.")
                .arg(cellsChecked).arg(count(Severity::Blocking)).arg(count(Severity::Warning));
    return text;
}

QString pseudoLocalize(const QString &text)
{
    if (text.trimmed().isEmpty())
        return text;
    static const QString plain = QStringLiteral("aouAOUeiEI");
    static const QString accented = QStringLiteral("äöüÄÖÜëïËÏ");
    static const QStringList compounds{
        QStringLiteral("Geschwindigkeitsbegrenzung"), QStringLiteral("Wettervorhersage"),
        QStringLiteral("Laufschuhkollektion"), QStringLiteral("Herbstangebotszeitraum")};
    // An Arabic word between strong LTR runs: exercises bidi reordering and shaping.
    static const QString rtlRun = QStringLiteral("سترايد للجري");
    QString out;
    out.reserve(text.size() * 2);
    for (QChar ch : text) {
        const qsizetype i = plain.indexOf(ch);
        out += i >= 0 ? accented.at(i) : ch;
    }
    const qsizetype target = qsizetype(std::ceil(text.size() * 1.4));
    for (qsizetype i = 0; out.size() < target; ++i)
        out += QLatin1Char(' ') + compounds.at(i % compounds.size());
    // After the first word, so the paragraph keeps the source's direction.
    qsizetype space = out.indexOf(QLatin1Char(' '));
    if (space < 0)
        space = out.size();
    out.insert(space, QLatin1Char(' ') + rtlRun);
    return out;
}

}  // namespace services
