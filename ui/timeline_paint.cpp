// SPDX-License-Identifier: GPL-3.0-or-later
// TimelineView painting: ruler, track headers, clips (filmstrips, waveforms, text with slots,
// crossfades, keyframes), in/out marks, the snap indicator and the playhead.
#include "timeline_view.h"

#include "app/clip_strips.h"
#include "editor/document.h"
#include "editor/timeline_edit.h"

#include <QFileInfo>
#include <QPainter>
#include <QPainterPath>
#include <QRegularExpression>
#include <QScrollBar>

#include <algorithm>
#include <cmath>

namespace ui {

using editor::Rational;
using editor::TrackKind;

namespace {

const QColor kBackground(30, 30, 32);
const QColor kLaneA(38, 38, 42);
const QColor kLaneB(34, 34, 38);
const QColor kHeader(45, 45, 48);
const QColor kText(225, 225, 225);
const QColor kDimText(150, 150, 155);
const QColor kSelection(255, 90, 31);  // the theme's highlight
const QColor kPlayhead(255, 70, 70);
const QColor kSnapLine(255, 220, 60);
const QColor kSlotText(255, 214, 120);
const QColor kMarks(90, 160, 255);
constexpr int kLabelHeight = 16;

QColor kindColor(TrackKind kind)
{
    switch (kind) {
    case TrackKind::Video: return QColor(52, 101, 164);
    case TrackKind::Image: return QColor(40, 128, 112);
    case TrackKind::Text: return QColor(126, 84, 168);
    case TrackKind::Audio: break;
    }
    return QColor(62, 136, 70);
}

void drawHatch(QPainter &p, const QRect &r, const QColor &color)
{
    p.save();
    p.setClipRect(r, Qt::IntersectClip);
    p.setPen(QPen(color, 1));
    for (int x = r.left() - r.height(); x < r.right(); x += 8)
        p.drawLine(x, r.bottom(), x + r.height(), r.top());
    p.restore();
}

// Steps between labelled ticks, in frames, from fine to coarse.
qint64 majorStep(double pixelsPerFrame, qint64 base)
{
    const qint64 steps[] = {1,        2,         5,         10,         base / 2,  base,
                            2 * base, 5 * base,  10 * base, 15 * base,  30 * base, 60 * base,
                            120 * base, 300 * base, 600 * base};
    for (qint64 s : steps)
        if (s > 0 && s * pixelsPerFrame >= 90)
            return s;
    return 600 * base;
}

}  // namespace

QColor keyframeColor(editor::KeyProperty p)
{
    switch (p) {
    case editor::KeyProperty::Opacity: return QColor(240, 240, 240);
    case editor::KeyProperty::Scale: return QColor(255, 205, 60);
    case editor::KeyProperty::OffsetX: return QColor(90, 220, 230);
    case editor::KeyProperty::OffsetY: break;
    }
    return QColor(240, 120, 220);
}

void TimelineView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), kBackground);
    if (!m_doc || !m_doc->isOpen()) {
        p.setPen(kDimText);
        p.drawText(rect(), Qt::AlignCenter, tr("No campaign open"));
        return;
    }
    const editor::Timeline &tl = m_doc->campaign().timeline;
    const int bottom = height() - m_scroll->height();
    const QRect lanes(kHeaderWidth, kRulerHeight, width() - kHeaderWidth, bottom - kRulerHeight);

    p.save();
    p.setClipRect(lanes);
    for (int i = 0; i < int(tl.tracks.size()); ++i)
        paintTrack(p, i);
    // Past the timeline's end nothing plays: shade it.
    const int endX = xForSeconds(tl.duration.toDouble());
    if (endX < width())
        p.fillRect(QRect(QPoint(endX, lanes.top()), lanes.bottomRight()), QColor(0, 0, 0, 90));
    if (m_inPoint >= 0 || m_outPoint >= 0) {
        const int a = xForFrame(std::max<qint64>(0, m_inPoint));
        const int b = m_outPoint >= 0 ? xForFrame(m_outPoint) : endX;
        p.fillRect(QRect(QPoint(a, lanes.top()), QPoint(b, lanes.bottom())),
                   QColor(kMarks.red(), kMarks.green(), kMarks.blue(), 28));
    }
    if (m_snapIndicator) {
        const int x = xForSeconds(m_snapIndicator->toDouble());
        p.setPen(QPen(kSnapLine, 1, Qt::DashLine));
        p.drawLine(x, lanes.top(), x, lanes.bottom());
    }
    p.restore();

    paintRuler(p, QRect(kHeaderWidth, 0, width() - kHeaderWidth, kRulerHeight));
    paintTrackHeaders(p);

    // The playhead over ruler and lanes.
    const int x = xForFrame(m_playhead);
    if (x >= kHeaderWidth && x < width()) {
        p.setPen(QPen(kPlayhead, 1));
        p.drawLine(x, 12, x, bottom - 1);
        p.setRenderHint(QPainter::Antialiasing);
        p.setBrush(kPlayhead);
        p.setPen(Qt::NoPen);
        p.drawPolygon(QPolygon({QPoint(x - 6, 10), QPoint(x + 6, 10), QPoint(x, 18)}));
        p.setRenderHint(QPainter::Antialiasing, false);
    }
}

void TimelineView::paintRuler(QPainter &p, const QRect &area) const
{
    const Rational rate = fps();
    const qint64 base = std::max<qint64>(1, std::llround(rate.toDouble()));
    const double pixelsPerFrame = m_pixelsPerSecond / rate.toDouble();
    p.fillRect(area, kHeader);
    p.save();
    p.setClipRect(area);
    // In/out marks: a band with brackets at both ends.
    if (m_inPoint >= 0 || m_outPoint >= 0) {
        const int a = xForFrame(std::max<qint64>(0, m_inPoint));
        const int b = xForFrame(m_outPoint >= 0 ? m_outPoint : durationFrames());
        p.fillRect(QRect(QPoint(a, area.bottom() - 5), QPoint(b, area.bottom())), kMarks);
        p.setPen(QPen(kMarks, 2));
        if (m_inPoint >= 0)
            p.drawPolyline(QPolygon({QPoint(a + 5, area.top() + 2), QPoint(a + 1, area.top() + 2),
                                     QPoint(a + 1, area.bottom()), QPoint(a + 5, area.bottom())}));
        if (m_outPoint >= 0)
            p.drawPolyline(QPolygon({QPoint(b - 5, area.top() + 2), QPoint(b - 1, area.top() + 2),
                                     QPoint(b - 1, area.bottom()), QPoint(b - 5, area.bottom())}));
    }
    const qint64 major = majorStep(pixelsPerFrame, base);
    const qint64 minor = major % 5 == 0 ? major / 5 : major % 2 == 0 ? major / 2 : major;
    const qint64 first = std::max<qint64>(0, qint64(secondsAtX(area.left()) * rate.toDouble()));
    const qint64 last = std::min(durationFrames(),
                                 qint64(std::ceil(secondsAtX(area.right()) * rate.toDouble())));
    QFont font = p.font();
    font.setPixelSize(10);
    p.setFont(font);
    for (qint64 f = first - first % minor; f <= last; f += minor) {
        const int x = xForFrame(f);
        const bool isMajor = f % major == 0;
        p.setPen(isMajor ? kText : kDimText);
        p.drawLine(x, area.bottom() - (isMajor ? 10 : 4), x, area.bottom());
        if (isMajor)
            p.drawText(QRect(x + 3, area.top() + 2, 80, 14), Qt::AlignLeft | Qt::AlignVCenter,
                       timecode(f, rate));
    }
    p.restore();
    p.setPen(QColor(20, 20, 22));
    p.drawLine(area.bottomLeft(), area.bottomRight());
}

void TimelineView::paintTrackHeaders(QPainter &p) const
{
    const editor::Timeline &tl = m_doc->campaign().timeline;
    // Corner: the playhead's timecode and whether snapping is on (N).
    const QRect corner(0, 0, kHeaderWidth, kRulerHeight);
    p.fillRect(corner, QColor(36, 36, 40));
    QFont mono = p.font();
    mono.setFamily(QStringLiteral("DejaVu Sans Mono"));
    mono.setPixelSize(13);
    p.setFont(mono);
    p.setPen(kText);
    p.drawText(corner.adjusted(8, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
               timecode(m_playhead, fps()));
    QFont small = font();
    small.setPixelSize(9);
    small.setBold(true);
    p.setFont(small);
    const QRect badge(kHeaderWidth - 40, 8, 34, 14);
    p.setPen(m_snapping ? kSnapLine : kDimText);
    p.setBrush(Qt::NoBrush);
    p.drawRoundedRect(badge, 3, 3);
    p.drawText(badge, Qt::AlignCenter, tr("SNAP"));

    const int bottom = height() - m_scroll->height();
    p.fillRect(QRect(0, kRulerHeight, kHeaderWidth, bottom - kRulerHeight), kHeader);
    const std::vector<int> rows = rowOrder();
    QFont nameFont = font();
    nameFont.setPixelSize(12);
    nameFont.setBold(true);
    QFont kindFont = font();
    kindFont.setPixelSize(10);
    for (size_t row = 0; row < rows.size(); ++row) {
        const editor::Track &track = tl.tracks[size_t(rows[row])];
        const QRect r(0, kRulerHeight + int(row) * kTrackHeight, kHeaderWidth, kTrackHeight);
        p.fillRect(QRect(r.left(), r.top(), 4, r.height()), kindColor(track.kind));
        p.setPen(kText);
        p.setFont(nameFont);
        const QString name = track.name.isEmpty() ? track.id : track.name;
        p.drawText(r.adjusted(12, 10, -6, -r.height() / 2),
                   Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetrics(nameFont).elidedText(name, Qt::ElideRight, r.width() - 18));
        p.setPen(kDimText);
        p.setFont(kindFont);
        p.drawText(r.adjusted(12, r.height() / 2, -6, -8), Qt::AlignLeft | Qt::AlignVCenter,
                   editor::trackKindName(track.kind));
        p.setPen(QColor(24, 24, 26));
        p.drawLine(r.left(), r.bottom(), width(), r.bottom());
    }
    p.setPen(QColor(20, 20, 22));
    p.drawLine(kHeaderWidth - 1, 0, kHeaderWidth - 1, bottom);
}

void TimelineView::paintTrack(QPainter &p, int trackIndex) const
{
    const editor::Track &track = m_doc->campaign().timeline.tracks[size_t(trackIndex)];
    const QRect lane = trackRect(trackIndex);
    p.fillRect(lane, rowOfTrack(trackIndex) % 2 ? kLaneB : kLaneA);
    for (const editor::Clip &clip : track.clips) {
        const QRect r = clipRect(clip.id);
        if (r.right() < kHeaderWidth || r.left() > width())
            continue;
        paintClip(p, track, clip, r);
    }
}

QString TimelineView::mediaPath(const editor::Clip &clip, int *assetKind) const
{
    *assetKind = -1;
    if (!clip.source.startsWith(u"asset:"))
        return {};
    const editor::Asset *asset = m_doc->campaign().asset(clip.source.mid(6));
    if (!asset)
        return {};
    *assetKind = int(asset->kind);
    return asset->path;
}

// A padlock at the right end of a locked clip's label strip: brand layers that every edit
// refuses (editor::lockedClipMessage) are recognisable before a drag is tried.
void paintLockBadge(QPainter &p, const QRect &label)
{
    const QRectF badge(label.right() - 15.5, label.top() + 1.5, 13, label.height() - 3);
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(20, 20, 24, 200));
    p.drawRoundedRect(badge, 3, 3);
    const QPointF c = badge.center();
    const QRectF body(c.x() - 3.5, c.y() - 0.5, 7, 5);
    p.setPen(QPen(QColor(255, 214, 90), 1.4));
    p.setBrush(Qt::NoBrush);
    p.drawArc(QRectF(c.x() - 2.3, c.y() - 5, 4.6, 7), 0, 180 * 16);
    p.setPen(Qt::NoPen);
    p.setBrush(QColor(255, 214, 90));
    p.drawRoundedRect(body, 1, 1);
    p.restore();
}

void TimelineView::paintClip(QPainter &p, const editor::Track &track, const editor::Clip &clip,
                             const QRect &r) const
{
    const QColor base = kindColor(track.kind);
    const bool selected = clip.id == m_selected;
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    QPainterPath shape;
    shape.addRoundedRect(QRectF(r).adjusted(0.5, 0.5, -0.5, -0.5), 3, 3);
    p.fillPath(shape, base.darker(160));
    p.setClipPath(shape, Qt::IntersectClip);
    p.setRenderHint(QPainter::Antialiasing, false);

    // Label strip: the clip's id and where its media comes from; slots as slots.
    const QRect label(r.left(), r.top(), r.width(), kLabelHeight);
    p.fillRect(label, base);
    const QRect content(r.left(), r.top() + kLabelHeight, r.width(), r.height() - kLabelHeight);
    paintClipContent(p, track, clip, content);
    paintFades(p, clip, r);
    paintKeyframes(p, clip, content);

    QFont font = p.font();
    font.setPixelSize(11);
    font.setBold(true);
    p.setFont(font);
    const QFontMetrics fm(font);
    // Labels stay readable when the clip starts left of the view: they stick to its edge.
    const int visibleLeft = std::max(r.left(), kHeaderWidth);
    const QRect textArea = QRect(QPoint(visibleLeft, label.top()), label.bottomRight())
                               .adjusted(5, 0, clip.locked ? -20 : -4, 0);
    if (clip.locked)
        paintLockBadge(p, label);
    const QString name = fm.elidedText(clip.id, Qt::ElideRight, textArea.width());
    p.setPen(Qt::white);
    p.drawText(textArea, Qt::AlignLeft | Qt::AlignVCenter, name);
    const int used = fm.horizontalAdvance(name) + 8;
    // The asset a media clip shows, when it says more than the clip's id. Slots are shown
    // large in the clip body instead (paintClipContent).
    const QString assetId = clip.source.startsWith(u"asset:") ? clip.source.mid(6) : QString();
    if (!assetId.isEmpty() && assetId != clip.id && used < textArea.width() - 20) {
        const QRect rest = textArea.adjusted(used, 0, 0, 0);
        QFont plain = font;
        plain.setBold(false);
        p.setFont(plain);
        p.setPen(QColor(230, 230, 235, 190));
        p.drawText(rest, Qt::AlignLeft | Qt::AlignVCenter,
                   QFontMetrics(plain).elidedText(assetId, Qt::ElideRight, rest.width()));
    }
    p.restore();

    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    p.setBrush(Qt::NoBrush);
    p.setPen(selected ? QPen(kSelection, 2) : QPen(base.lighter(140), 1));
    p.drawRoundedRect(QRectF(r).adjusted(selected ? 1 : 0.5, selected ? 1 : 0.5,
                                         selected ? -1 : -0.5, selected ? -1 : -0.5),
                      3, 3);
    p.restore();
}

void TimelineView::paintClipContent(QPainter &p, const editor::Track &track,
                                    const editor::Clip &clip, const QRect &content) const
{
    const QRect clipBox = clipRect(clip.id);
    const double dpr = devicePixelRatioF();
    // The part of the clip in view: texts are placed in it, not in the whole clip.
    const QRect shown = content.intersected(QRect(kHeaderWidth, content.top(),
                                                  width() - kHeaderWidth, content.height()));
    if (track.kind == TrackKind::Text) {
        paintSlotText(p, shown.adjusted(6, 4, -4, -10), clip.text.text);
        return;
    }
    int assetKind = -1;
    const QString path = mediaPath(clip, &assetKind);
    if (path.isEmpty()) {
        // A slot: the media depends on the segment, so show the slot, not a picture.
        drawHatch(p, content, QColor(255, 255, 255, 22));
        const QString text = clip.source.startsWith(u"{{") ? clip.source : tr("not generated yet");
        QFont font = p.font();
        font.setPixelSize(12);
        font.setBold(true);
        p.setFont(font);
        const int w = QFontMetrics(font).horizontalAdvance(text) + 16;
        const int left = std::max(shown.left() + 6, std::min(shown.center().x() - w / 2,
                                                            shown.right() - w - 6));
        if (clip.source.startsWith(u"{{"))
            paintSlotText(p, QRect(left, content.center().y() - 10, w, 20), text);
        else {
            p.setPen(kDimText);
            p.drawText(shown, Qt::AlignCenter, text);
        }
        return;
    }
    using Source = services::ClipStripCache::Source;
    const Source source = assetKind == int(editor::AssetKind::Audio) ? Source::Audio
        : assetKind == int(editor::AssetKind::Video)                 ? Source::Video
                                                                     : Source::Image;
    const int thumbHeight = int(std::lround((content.height() - 2) * dpr));
    const auto strip = m_strips->strip(path, source, thumbHeight);
    const double in = clip.in.toDouble();
    auto sourceSecondsAt = [&](int x) { return in + (x - clipBox.left()) / m_pixelsPerSecond; };
    if (!strip || !strip->isValid()) {
        drawHatch(p, content, QColor(255, 255, 255, 14));
        p.setPen(kDimText);
        QFont font = p.font();
        font.setPixelSize(10);
        font.setBold(false);
        p.setFont(font);
        const QString note = !strip ? QStringLiteral("…")
                                    : tr("missing: %1").arg(QFileInfo(path).fileName());
        p.drawText(shown.adjusted(6, 0, -4, 0), Qt::AlignLeft | Qt::AlignVCenter, note);
        if (source == Source::Audio) {
            p.setPen(QColor(140, 220, 150, 120));
            p.drawLine(content.left(), content.center().y(), content.right(), content.center().y());
        }
        return;
    }
    const QRect &visible = shown;
    if (source == Source::Audio) {
        const QColor wave(150, 230, 160);
        p.setPen(wave);
        const int mid = content.center().y();
        const int half = content.height() / 2 - 2;
        for (int x = visible.left(); x <= visible.right(); ++x) {
            const float peak = strip->peakBetween(sourceSecondsAt(x), sourceSecondsAt(x + 1));
            const int h = std::max(1, int(peak * half * clip.gain));
            p.drawLine(x, mid - std::min(h, half), x, mid + std::min(h, half));
        }
        return;
    }
    // Filmstrip: tiles as wide as a thumbnail, each showing the source frame under its middle.
    const QImage first = strip->frames.front();
    const double aspect = first.height() > 0 ? double(first.width()) / first.height() : 16.0 / 9;
    const QRect tileArea = content.adjusted(0, 1, 0, -1);
    const int tileWidth = std::max(8, int(tileArea.height() * aspect));
    const int firstTile = clipBox.left() + std::max(0, (visible.left() - clipBox.left()) / tileWidth) * tileWidth;
    // Video shorter than its clip: the renderer holds the last frame; say so by dimming the
    // tiles past the source's end.
    const bool finite = strip->kind == services::ClipStrip::Kind::Filmstrip
        && strip->durationSeconds > 0;
    for (int x = firstTile; x <= visible.right(); x += tileWidth) {
        if (finite && sourceSecondsAt(x) > strip->durationSeconds) {
            const QRect rest(QPoint(x, tileArea.top()), QPoint(content.right(), tileArea.bottom()));
            drawHatch(p, rest, QColor(255, 255, 255, 22));
            p.setPen(kDimText);
            p.drawText(rest.adjusted(6, 0, 0, 0), Qt::AlignLeft | Qt::AlignVCenter,
                       tr("past the end of the source"));
            break;
        }
        const QImage frame = strip->kind == services::ClipStrip::Kind::Still
            ? first
            : strip->frameAt(sourceSecondsAt(x + tileWidth / 2));
        p.drawImage(QRect(x, tileArea.top(), tileWidth, tileArea.height()), frame);
        p.fillRect(QRect(x + tileWidth - 1, tileArea.top(), 1, tileArea.height()),
                   QColor(0, 0, 0, 120));
    }
}

void TimelineView::paintFades(QPainter &p, const editor::Clip &clip, const QRect &r) const
{
    // A crossfade or fade is a ramp over its length: dark triangle with the ramp line on top.
    const auto ramp = [&](const Rational &length, bool atStart, const QColor &line) {
        if (length.isZero())
            return;
        const int w = std::max(2, int(std::lround(length.toDouble() * m_pixelsPerSecond)));
        const int edge = atStart ? r.left() : r.right();
        const int inner = atStart ? r.left() + w : r.right() - w;
        p.save();
        p.setRenderHint(QPainter::Antialiasing);
        p.setPen(Qt::NoPen);
        p.setBrush(QColor(0, 0, 0, 110));
        p.drawPolygon(QPolygon({QPoint(edge, r.bottom()), QPoint(inner, r.top()), QPoint(edge, r.top())}));
        p.setPen(QPen(line, 1.5));
        p.drawLine(QPoint(edge, r.bottom()), QPoint(inner, r.top()));
        p.restore();
    };
    const QColor crossfade(255, 255, 255, 210);
    ramp(clip.transitionIn, true, crossfade);
    ramp(clip.fadeOut, false, crossfade);
    ramp(clip.audioFadeIn, true, QColor(170, 255, 180));
    ramp(clip.audioFadeOut, false, QColor(170, 255, 180));
}

void TimelineView::paintKeyframes(QPainter &p, const editor::Clip &clip, const QRect &r) const
{
    p.save();
    p.setRenderHint(QPainter::Antialiasing);
    const int y = r.bottom() - 6;
    for (editor::KeyProperty prop : editor::kAllKeyProperties) {
        const auto &keys = editor::keyframes(clip, prop);
        if (keys.empty())
            continue;
        p.setBrush(keyframeColor(prop));
        p.setPen(QPen(QColor(0, 0, 0, 180), 1));
        for (const editor::Keyframe &k : keys) {
            const int x = xForSeconds((clip.start + k.time).toDouble());
            p.drawPolygon(QPolygon({QPoint(x, y - 5), QPoint(x + 5, y), QPoint(x, y + 5),
                                    QPoint(x - 5, y)}));
        }
    }
    p.restore();
}

void TimelineView::paintSlotText(QPainter &p, const QRect &r, const QString &text) const
{
    // Plain runs in white, "{{slot}}" runs as amber pills: a designer sees at a glance which
    // words come from the segment.
    static const QRegularExpression slotRe(QStringLiteral("\\{\\{[^{}]*\\}\\}"));
    QFont font = p.font();
    font.setPixelSize(std::clamp(r.height() - 8, 10, 13));
    font.setBold(false);
    p.save();
    p.setClipRect(r, Qt::IntersectClip);
    p.setFont(font);
    p.setRenderHint(QPainter::Antialiasing);
    const QFontMetrics fm(font);
    const int pillHeight = std::min(r.height(), fm.height() + 4);
    const int top = r.center().y() - pillHeight / 2;
    int x = r.left();
    qsizetype pos = 0;
    auto drawPlain = [&](const QString &s) {
        if (s.isEmpty())
            return;
        p.setPen(kText);
        p.drawText(QRect(x, top, r.right() - x, pillHeight), Qt::AlignLeft | Qt::AlignVCenter,
                   s);
        x += fm.horizontalAdvance(s);
    };
    auto it = slotRe.globalMatch(text);
    while (it.hasNext() && x < r.right()) {
        const auto m = it.next();
        drawPlain(text.mid(pos, m.capturedStart() - pos));
        const QString slot = m.captured();
        const QRect pill(x + 1, top, fm.horizontalAdvance(slot) + 10, pillHeight);
        p.setPen(QPen(kSlotText, 1));
        p.setBrush(QColor(90, 64, 10, 200));
        p.drawRoundedRect(QRectF(pill).adjusted(0.5, 0.5, -0.5, -0.5), 4, 4);
        p.setPen(kSlotText);
        p.drawText(pill, Qt::AlignCenter, slot);
        x = pill.right() + 4;
        pos = m.capturedEnd();
    }
    drawPlain(text.mid(pos));
    p.restore();
}

}  // namespace ui
