// SPDX-License-Identifier: GPL-3.0-or-later
// TimelineView: geometry, mouse and keyboard. Painting is in timeline_paint.cpp.
#include "timeline_view.h"

#include "app/clip_strips.h"
#include "editor/document.h"
#include "editor/timeline_edit.h"

#include <QAction>
#include <QKeyEvent>
#include <QMouseEvent>
#include <QScrollBar>
#include <QToolTip>
#include <QUndoStack>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace ui {

using editor::Campaign;
using editor::Rational;

namespace {

// How close (in pixels) the mouse must be to a clip edge to trim instead of move, and to a
// candidate to snap; and how far it must travel before a press becomes a drag.
constexpr int kEdgeGrip = 6;
constexpr int kSnapPixels = 8;
constexpr int kDragThreshold = 3;
constexpr double kZoomStep = 1.5;
constexpr double kMinPixelsPerSecond = 0.5;
constexpr double kMaxPixelsPerFrame = 60.0;

}  // namespace

QString timecode(qint64 frame, const Rational &fps)
{
    const qint64 base = std::max<qint64>(1, std::llround(fps.toDouble()));
    const qint64 f = std::max<qint64>(0, frame);
    const qint64 seconds = f / base;
    return QStringLiteral("%1:%2:%3")
        .arg(seconds / 60, 2, 10, QLatin1Char('0'))
        .arg(seconds % 60, 2, 10, QLatin1Char('0'))
        .arg(f % base, 2, 10, QLatin1Char('0'));
}

TimelineView::TimelineView(editor::Document *document, QWidget *parent,
                           services::ClipStripCache *strips)
    : QWidget(parent), m_doc(document), m_strips(strips)
{
    setFocusPolicy(Qt::StrongFocus);
    setMouseTracking(true);  // edge cursors
    setAttribute(Qt::WA_OpaquePaintEvent);
    if (!m_strips)
        m_strips = new services::ClipStripCache(this);
    connect(m_strips, &services::ClipStripCache::stripReady, this, [this] { update(); });
    m_scroll = new QScrollBar(Qt::Horizontal, this);
    connect(m_scroll, &QScrollBar::valueChanged, this, [this] { update(); });
    createActions();
    if (m_doc) {
        connect(m_doc, &editor::Document::changed, this, &TimelineView::documentChanged);
        connect(m_doc, &editor::Document::opened, this, [this] {
            m_fitOnNextResize = true;
            m_inPoint = m_outPoint = -1;
            selectClip({});
            zoomToFit();
        });
    }
    documentChanged();
}

TimelineView::~TimelineView() = default;

QAction *TimelineView::addViewAction(const QString &text, const QList<QKeySequence> &keys,
                                     void (TimelineView::*slot)())
{
    auto *action = new QAction(text, this);
    action->setShortcuts(keys);
    // Single-letter keys must not split a clip while the user types in another panel.
    action->setShortcutContext(Qt::WidgetWithChildrenShortcut);
    if (!keys.isEmpty())
        action->setToolTip(QStringLiteral("%1 (%2)").arg(text, keys.first().toString(
                                                                    QKeySequence::NativeText)));
    if (slot)
        connect(action, &QAction::triggered, this, slot);
    addAction(action);
    return action;
}

void TimelineView::createActions()
{
    if (m_doc) {
        m_undo = m_doc->undoStack()->createUndoAction(this, tr("Undo"));
        m_undo->setShortcuts(QKeySequence::Undo);
        m_redo = m_doc->undoStack()->createRedoAction(this, tr("Redo"));
        QList<QKeySequence> redoKeys{QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_Z)};
        for (const QKeySequence &k : QKeySequence::keyBindings(QKeySequence::Redo))
            if (!redoKeys.contains(k))
                redoKeys << k;
        m_redo->setShortcuts(redoKeys);
        // Undo belongs to the document, not to this panel: it works wherever focus is.
        m_undo->setShortcutContext(Qt::WindowShortcut);
        m_redo->setShortcutContext(Qt::WindowShortcut);
        addAction(m_undo);
        addAction(m_redo);
    }
    m_split = addViewAction(tr("Split at playhead"),
                            {QKeySequence(Qt::Key_S), QKeySequence(Qt::CTRL | Qt::Key_K)},
                            &TimelineView::splitSelected);
    m_delete = addViewAction(tr("Delete clip"), {QKeySequence(Qt::Key_Delete)},
                             &TimelineView::deleteSelected);
    m_ripple = addViewAction(tr("Ripple delete"), {QKeySequence(Qt::SHIFT | Qt::Key_Delete)},
                             &TimelineView::rippleDeleteSelected);
    m_snap = addViewAction(tr("Snapping"), {QKeySequence(Qt::Key_N)}, nullptr);
    m_snap->setCheckable(true);
    m_snap->setChecked(m_snapping);
    connect(m_snap, &QAction::toggled, this, [this](bool on) {
        m_snapping = on;
        update();
    });
    m_zoomIn = addViewAction(tr("Zoom in"), {QKeySequence(Qt::Key_Equal), QKeySequence(Qt::Key_Plus)},
                             &TimelineView::zoomIn);
    m_zoomOut = addViewAction(tr("Zoom out"), {QKeySequence(Qt::Key_Minus)}, &TimelineView::zoomOut);
    m_zoomFit = addViewAction(tr("Zoom to fit"), {QKeySequence(Qt::Key_0)}, &TimelineView::zoomToFit);
    m_playPause = addViewAction(tr("Play / pause"), {QKeySequence(Qt::Key_Space)},
                                &TimelineView::requestPlayPause);
    addViewAction(tr("Shuttle backward"), {QKeySequence(Qt::Key_J)}, &TimelineView::shuttleBackward);
    addViewAction(tr("Stop"), {QKeySequence(Qt::Key_K)}, &TimelineView::shuttleStop);
    addViewAction(tr("Shuttle forward"), {QKeySequence(Qt::Key_L)}, &TimelineView::shuttleForward);
    m_markIn = addViewAction(tr("Mark in"), {QKeySequence(Qt::Key_I)}, &TimelineView::markIn);
    m_markOut = addViewAction(tr("Mark out"), {QKeySequence(Qt::Key_O)}, &TimelineView::markOut);
    m_clearMarks = addViewAction(tr("Clear in and out"), {QKeySequence(Qt::ALT | Qt::Key_X)},
                                 &TimelineView::clearMarks);
    addViewAction(tr("Previous frame"), {QKeySequence(Qt::Key_Left)}, &TimelineView::stepBackward);
    addViewAction(tr("Next frame"), {QKeySequence(Qt::Key_Right)}, &TimelineView::stepForward);
    auto *secondBack = addViewAction(tr("One second back"), {QKeySequence(Qt::SHIFT | Qt::Key_Left)},
                                     nullptr);
    connect(secondBack, &QAction::triggered, this,
            [this] { setPlayhead(m_playhead - std::llround(fps().toDouble())); });
    auto *secondOn = addViewAction(tr("One second forward"),
                                   {QKeySequence(Qt::SHIFT | Qt::Key_Right)}, nullptr);
    connect(secondOn, &QAction::triggered, this,
            [this] { setPlayhead(m_playhead + std::llround(fps().toDouble())); });
}

// ---- model access -------------------------------------------------------------------------

Rational TimelineView::fps() const
{
    return m_doc && m_doc->isOpen() ? m_doc->campaign().timeline.fps : Rational(30);
}

qint64 TimelineView::durationFrames() const
{
    if (!m_doc || !m_doc->isOpen())
        return 0;
    return m_doc->campaign().timeline.duration.toFrames(fps());
}

void TimelineView::documentChanged()
{
    // Something other than our own drag step changed the document (undo in the middle of a
    // drag): the drag's starting state is stale, so the drag ends here.
    if (m_drag != DragMode::None && m_drag != DragMode::Scrub && m_doc
        && m_doc->revision() != m_dragRevision)
        m_drag = DragMode::None;
    if (!m_selected.isEmpty()
        && (!m_doc || !m_doc->isOpen()
            || !editor::findClip(m_doc->campaign().timeline, m_selected).isValid()))
        selectClip({});
    if (m_playhead > durationFrames())
        setPlayhead(durationFrames());
    updateGeometry();
    updateScrollRange();
    update();
}

void TimelineView::selectClip(const QString &clipId)
{
    if (clipId == m_selected)
        return;
    m_selected = clipId;
    update();
    emit selectionChanged(clipId);
}

void TimelineView::setPlayhead(qint64 frame)
{
    frame = std::clamp<qint64>(frame, 0, std::max<qint64>(0, durationFrames()));
    if (frame == m_playhead)
        return;
    m_playhead = frame;
    ensurePlayheadVisible();
    update();
    emit playheadMoved(frame);
}

// ---- geometry -----------------------------------------------------------------------------

std::vector<int> TimelineView::rowOrder() const
{
    std::vector<int> rows;
    if (!m_doc || !m_doc->isOpen())
        return rows;
    const auto &tracks = m_doc->campaign().timeline.tracks;
    for (int i = int(tracks.size()) - 1; i >= 0; --i)
        if (tracks[size_t(i)].kind != editor::TrackKind::Audio)
            rows.push_back(i);
    for (int i = 0; i < int(tracks.size()); ++i)
        if (tracks[size_t(i)].kind == editor::TrackKind::Audio)
            rows.push_back(i);
    return rows;
}

int TimelineView::rowOfTrack(int trackIndex) const
{
    const std::vector<int> rows = rowOrder();
    const auto it = std::find(rows.begin(), rows.end(), trackIndex);
    return it == rows.end() ? -1 : int(it - rows.begin());
}

int TimelineView::trackAtY(int y) const
{
    if (y < kRulerHeight)
        return -1;
    const std::vector<int> rows = rowOrder();
    const int row = (y - kRulerHeight) / kTrackHeight;
    return row < int(rows.size()) ? rows[size_t(row)] : -1;
}

QRect TimelineView::trackRect(int trackIndex) const
{
    const int row = rowOfTrack(trackIndex);
    if (row < 0)
        return {};
    return QRect(kHeaderWidth, kRulerHeight + row * kTrackHeight, width() - kHeaderWidth,
                 kTrackHeight);
}

int TimelineView::xForSeconds(double seconds) const
{
    return kHeaderWidth + int(std::lround(seconds * m_pixelsPerSecond)) - m_scroll->value();
}

int TimelineView::xForFrame(qint64 frame) const
{
    return xForSeconds(Rational::fromFrames(frame, fps()).toDouble());
}

double TimelineView::secondsAtX(int x) const
{
    return (x - kHeaderWidth + m_scroll->value()) / m_pixelsPerSecond;
}

Rational TimelineView::timeAtX(int x) const
{
    const qint64 frame = std::llround(secondsAtX(x) * fps().toDouble());
    return Rational::fromFrames(std::clamp<qint64>(frame, 0, durationFrames()), fps());
}

QRect TimelineView::clipRect(const QString &clipId) const
{
    if (!m_doc || !m_doc->isOpen())
        return {};
    const editor::Timeline &tl = m_doc->campaign().timeline;
    const editor::ClipLocation loc = editor::findClip(tl, clipId);
    if (!loc.isValid())
        return {};
    const editor::Clip &clip = tl.tracks[size_t(loc.track)].clips[size_t(loc.index)];
    const QRect lane = trackRect(loc.track);
    const int left = xForSeconds(clip.start.toDouble());
    const int right = xForSeconds(editor::clipEnd(clip).toDouble());
    return QRect(QPoint(left, lane.top() + 3), QPoint(right - 1, lane.bottom() - 3));
}

TimelineView::Hit TimelineView::hitTest(QPoint pos) const
{
    Hit hit;
    hit.track = trackAtY(pos.y());
    if (hit.track < 0 || pos.x() < kHeaderWidth)
        return hit;
    const editor::Track &track = m_doc->campaign().timeline.tracks[size_t(hit.track)];
    // Later clips are drawn over earlier ones, so they are hit first.
    for (auto it = track.clips.rbegin(); it != track.clips.rend(); ++it) {
        const QRect r = clipRect(it->id);
        if (!r.contains(pos))
            continue;
        hit.clipId = it->id;
        const int grip = std::min(kEdgeGrip, r.width() / 3);
        hit.mode = pos.x() <= r.left() + grip    ? DragMode::TrimStart
            : pos.x() >= r.right() - grip        ? DragMode::TrimEnd
                                                 : DragMode::Move;
        return hit;
    }
    return hit;
}

Rational TimelineView::snapTolerance() const
{
    const qint64 frames = std::max<qint64>(
        1, qint64(std::ceil(kSnapPixels / m_pixelsPerSecond * fps().toDouble())));
    return Rational::fromFrames(frames, fps());
}

QSize TimelineView::sizeHint() const
{
    const int rows = std::max<int>(4, int(rowOrder().size()));
    return QSize(900, kRulerHeight + rows * kTrackHeight + m_scroll->sizeHint().height());
}

QSize TimelineView::minimumSizeHint() const
{
    return QSize(kHeaderWidth + 200, kRulerHeight + kTrackHeight + m_scroll->sizeHint().height());
}

void TimelineView::resizeEvent(QResizeEvent *)
{
    const int h = m_scroll->sizeHint().height();
    m_scroll->setGeometry(kHeaderWidth, height() - h, width() - kHeaderWidth, h);
    if (m_fitOnNextResize && m_doc && m_doc->isOpen())
        zoomToFit();
    updateScrollRange();
}

void TimelineView::updateScrollRange()
{
    if (!m_doc || !m_doc->isOpen()) {
        m_scroll->setRange(0, 0);
        return;
    }
    const double content = m_doc->campaign().timeline.duration.toDouble() * m_pixelsPerSecond;
    const int lane = width() - kHeaderWidth;
    // A margin after the end so the last clip's right edge can be grabbed.
    m_scroll->setRange(0, std::max(0, int(std::ceil(content)) + 40 - lane));
    m_scroll->setPageStep(std::max(1, lane));
    m_scroll->setSingleStep(std::max(1, lane / 20));
}

void TimelineView::setPixelsPerSecond(double pps)
{
    const double maxPps = kMaxPixelsPerFrame * fps().toDouble();
    pps = std::clamp(pps, kMinPixelsPerSecond, maxPps);
    // Keep the playhead where it is on screen when it is visible, else the left edge.
    const int playheadX = xForFrame(m_playhead);
    const bool playheadShown = playheadX >= kHeaderWidth && playheadX < width();
    const int anchorX = playheadShown ? playheadX : kHeaderWidth;
    const double anchorSeconds = playheadShown
        ? Rational::fromFrames(m_playhead, fps()).toDouble()
        : secondsAtX(anchorX);
    m_pixelsPerSecond = pps;
    updateScrollRange();
    m_scroll->setValue(int(std::lround(anchorSeconds * pps)) - (anchorX - kHeaderWidth));
    update();
}

void TimelineView::zoomToFit()
{
    if (!m_doc || !m_doc->isOpen() || width() <= kHeaderWidth)
        return;
    m_fitOnNextResize = false;
    const double seconds = m_doc->campaign().timeline.duration.toDouble();
    m_pixelsPerSecond = std::max(kMinPixelsPerSecond, (width() - kHeaderWidth - 24) / seconds);
    updateScrollRange();
    m_scroll->setValue(0);
    update();
}

void TimelineView::zoomIn()
{
    setPixelsPerSecond(m_pixelsPerSecond * kZoomStep);
}

void TimelineView::zoomOut()
{
    setPixelsPerSecond(m_pixelsPerSecond / kZoomStep);
}

void TimelineView::ensurePlayheadVisible()
{
    const int x = xForFrame(m_playhead);
    const int margin = 20;
    if (x < kHeaderWidth + margin)
        m_scroll->setValue(m_scroll->value() - (kHeaderWidth + margin - x));
    else if (x > width() - margin)
        m_scroll->setValue(m_scroll->value() + (x - (width() - margin)));
}

// ---- mouse --------------------------------------------------------------------------------

void TimelineView::mousePressEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton || !m_doc || !m_doc->isOpen())
        return QWidget::mousePressEvent(event);
    setFocus(Qt::MouseFocusReason);
    const QPoint pos = event->position().toPoint();
    if (pos.y() < kRulerHeight && pos.x() >= kHeaderWidth) {
        m_drag = DragMode::Scrub;
        setPlayhead(timeAtX(pos.x()).toFrames(fps()));
        return;
    }
    const Hit hit = hitTest(pos);
    selectClip(hit.clipId);
    if (hit.clipId.isEmpty())
        return;
    m_drag = DragMode::Pending;
    m_pendingMode = hit.mode;
    m_pressPos = pos;
    m_dragClip = hit.clipId;
    m_dragTrack = hit.track;
    m_dragTimeline = m_doc->campaign().timeline;
    m_dragOrigin = *editor::clipById(m_dragTimeline, hit.clipId);
    m_dragRevision = m_doc->revision();
}

void TimelineView::mouseMoveEvent(QMouseEvent *event)
{
    const QPoint pos = event->position().toPoint();
    if (m_drag == DragMode::None) {
        const Hit hit = m_doc && m_doc->isOpen() ? hitTest(pos) : Hit{};
        setCursor(hit.mode == DragMode::TrimStart || hit.mode == DragMode::TrimEnd
                      ? Qt::SizeHorCursor
                      : Qt::ArrowCursor);
        return;
    }
    if (m_drag == DragMode::Scrub) {
        setPlayhead(timeAtX(pos.x()).toFrames(fps()));
        return;
    }
    if (m_drag == DragMode::Pending) {
        if ((pos - m_pressPos).manhattanLength() < kDragThreshold)
            return;
        // A locked clip (brand layer) does not move: say why instead of starting the drag.
        if (const QString why = editor::lockedClipMessage(m_dragTimeline, m_dragClip); !why.isEmpty()) {
            m_drag = DragMode::None;
            refuse(why);
            return;
        }
        m_drag = m_pendingMode;
    }
    dragTo(pos, event->modifiers());
}

void TimelineView::mouseReleaseEvent(QMouseEvent *event)
{
    if (event->button() != Qt::LeftButton)
        return QWidget::mouseReleaseEvent(event);
    if (m_drag == DragMode::Move || m_drag == DragMode::TrimStart || m_drag == DragMode::TrimEnd)
        m_doc->endGesture();
    m_drag = DragMode::None;
    m_snapIndicator.reset();
    update();
}

void TimelineView::dragTo(QPoint pos, Qt::KeyboardModifiers)
{
    const Rational rate = fps();
    const editor::Timeline &origin = m_dragTimeline;
    const Rational one = Rational::fromFrames(1, rate);
    const Rational delta =
        Rational::fromFrames(std::llround((pos.x() - m_pressPos.x()) / m_pixelsPerSecond
                                          * rate.toDouble()),
                             rate);
    const std::vector<Rational> candidates =
        m_snapping ? editor::snapCandidates(origin, m_dragClip, Rational::fromFrames(m_playhead, rate))
                   : std::vector<Rational>{};
    const Rational tolerance = snapTolerance();
    const Rational originEnd = editor::clipEnd(m_dragOrigin);
    const bool media = origin.tracks[size_t(m_dragTrack)].kind == editor::TrackKind::Video
        || origin.tracks[size_t(m_dragTrack)].kind == editor::TrackKind::Audio;
    m_snapIndicator.reset();

    std::function<bool(editor::Timeline &)> op;
    QString text;
    if (m_drag == DragMode::Move) {
        const Rational latest = origin.duration - m_dragOrigin.duration;
        Rational start = std::clamp(m_dragOrigin.start + delta, Rational(0), latest);
        if (const auto s = editor::snapRange(start, m_dragOrigin.duration, candidates, tolerance);
            s && !s->start.isNegative() && s->start <= latest) {
            start = s->start;
            m_snapIndicator = s->snapPoint;
        }
        int track = trackAtY(pos.y());
        if (track < 0
            || !editor::tracksCompatible(origin.tracks[size_t(m_dragTrack)].kind,
                                         origin.tracks[size_t(track)].kind))
            track = m_dragTrack;
        text = tr("Move clip");
        op = [id = m_dragClip, track, start](editor::Timeline &tl) {
            return editor::moveClip(tl, id, track, start);
        };
    } else if (m_drag == DragMode::TrimStart) {
        Rational earliest(0);
        if (media)
            earliest = std::max(earliest, m_dragOrigin.start - m_dragOrigin.in);
        Rational start = std::clamp(m_dragOrigin.start + delta, earliest, originEnd - one);
        if (const auto s = editor::snapTime(start, candidates, tolerance);
            s && earliest <= *s && *s < originEnd) {
            start = *s;
            m_snapIndicator = *s;
        }
        text = tr("Trim clip start");
        op = [id = m_dragClip, start](editor::Timeline &tl) {
            return editor::trimStart(tl, id, start);
        };
    } else if (m_drag == DragMode::TrimEnd) {
        Rational end = std::clamp(originEnd + delta, m_dragOrigin.start + one, origin.duration);
        if (const auto s = editor::snapTime(end, candidates, tolerance);
            s && m_dragOrigin.start < *s && *s <= origin.duration) {
            end = *s;
            m_snapIndicator = *s;
        }
        text = tr("Trim clip end");
        op = [id = m_dragClip, end](editor::Timeline &tl) { return editor::trimEnd(tl, id, end); };
    } else {
        return;
    }
    // Apply to the timeline as it was on press; see the header comment.
    m_dragRevision = m_doc->revision() + 1;  // what our own successful edit will leave
    const bool changed = m_doc->edit(
        text,
        [&](Campaign &c) {
            c.timeline = origin;
            return op(c.timeline);
        },
        QStringLiteral("timeline-drag:") + m_dragClip);
    if (!changed)
        m_dragRevision = m_doc->revision();
    update();
}

void TimelineView::wheelEvent(QWheelEvent *event)
{
    const QPoint delta = event->angleDelta();
    if (event->modifiers() & Qt::ControlModifier) {
        const double steps = delta.y() / 120.0;
        // Zoom around the mouse: the time under the cursor stays under it.
        const int x = int(event->position().x());
        const double seconds = secondsAtX(x);
        m_pixelsPerSecond = std::clamp(m_pixelsPerSecond * std::pow(1.25, steps),
                                       kMinPixelsPerSecond, kMaxPixelsPerFrame * fps().toDouble());
        updateScrollRange();
        m_scroll->setValue(int(std::lround(seconds * m_pixelsPerSecond)) - (x - kHeaderWidth));
        update();
    } else {
        const int d = delta.x() != 0 ? delta.x() : delta.y();
        m_scroll->setValue(m_scroll->value() - d);
    }
    event->accept();
}

void TimelineView::keyPressEvent(QKeyEvent *event)
{
    const bool dragging =
        m_drag == DragMode::Move || m_drag == DragMode::TrimStart || m_drag == DragMode::TrimEnd;
    if (event->key() != Qt::Key_Escape || !dragging)
        return QWidget::keyPressEvent(event);
    // Back to the state on press within the same gesture: the merged command becomes a no-op
    // and QUndoStack drops it, so a cancelled drag leaves no undo step.
    m_doc->edit(
        tr("Move clip"),
        [&](Campaign &c) {
            c.timeline = m_dragTimeline;
            return true;
        },
        QStringLiteral("timeline-drag:") + m_dragClip);
    m_doc->endGesture();
    m_drag = DragMode::None;
    m_snapIndicator.reset();
    update();
    event->accept();
}

// ---- commands -----------------------------------------------------------------------------

void TimelineView::refuse(const QString &message)
{
    m_lastRefusal = message;
    QToolTip::showText(QCursor::pos(), message, this);
    emit editRefused(message);
}

void TimelineView::splitSelected()
{
    if (m_selected.isEmpty() || !m_doc)
        return;
    if (const QString why = editor::lockedClipMessage(m_doc->campaign().timeline, m_selected);
        !why.isEmpty())
        return refuse(why);
    const Rational at = Rational::fromFrames(m_playhead, fps());
    m_doc->edit(tr("Split clip"), [&](Campaign &c) {
        return editor::splitClip(c.timeline, m_selected, at);
    });
}

void TimelineView::deleteSelected()
{
    if (m_selected.isEmpty() || !m_doc)
        return;
    if (const QString why = editor::lockedClipMessage(m_doc->campaign().timeline, m_selected);
        !why.isEmpty())
        return refuse(why);
    m_doc->edit(tr("Delete clip"),
                [&](Campaign &c) { return editor::removeClip(c.timeline, m_selected); });
}

void TimelineView::rippleDeleteSelected()
{
    if (m_selected.isEmpty() || !m_doc)
        return;
    if (const QString why = editor::lockedClipMessage(m_doc->campaign().timeline, m_selected, true);
        !why.isEmpty())
        return refuse(why);
    m_doc->edit(tr("Ripple delete"),
                [&](Campaign &c) { return editor::rippleDelete(c.timeline, m_selected); });
}

// J/K/L as in every NLE: a repeated press doubles the speed up to 4x, the other direction
// starts again at 1x, K stops.
void TimelineView::shuttleBackward()
{
    m_shuttleRate = m_shuttleRate >= 0 ? -1 : std::max(-4, m_shuttleRate * 2);
    emit shuttleRequested(m_shuttleRate);
}

void TimelineView::shuttleStop()
{
    m_shuttleRate = 0;
    emit shuttleRequested(0);
}

void TimelineView::shuttleForward()
{
    m_shuttleRate = m_shuttleRate <= 0 ? 1 : std::min(4, m_shuttleRate * 2);
    emit shuttleRequested(m_shuttleRate);
}

void TimelineView::requestPlayPause()
{
    emit playPauseRequested();
}

void TimelineView::markIn()
{
    m_inPoint = m_playhead;
    if (m_outPoint >= 0 && m_outPoint < m_inPoint)
        m_outPoint = -1;  // an out before the in is meaningless
    update();
    emit marksChanged(m_inPoint, m_outPoint);
}

void TimelineView::markOut()
{
    m_outPoint = m_playhead;
    if (m_inPoint > m_outPoint)
        m_inPoint = -1;
    update();
    emit marksChanged(m_inPoint, m_outPoint);
}

void TimelineView::clearMarks()
{
    m_inPoint = m_outPoint = -1;
    update();
    emit marksChanged(-1, -1);
}

void TimelineView::stepBackward()
{
    setPlayhead(m_playhead - 1);
}

void TimelineView::stepForward()
{
    setPlayhead(m_playhead + 1);
}

}  // namespace ui
