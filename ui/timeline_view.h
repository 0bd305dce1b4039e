// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The timeline editor: track headers, a ruler with timecode, clips with filmstrips, waveforms,
// keyframes and crossfades, the playhead and the in/out marks. Every change goes through
// Document::edit() with an editor/timeline_edit.h operation, so it is one undo step; a drag
// passes a merge key and ends its gesture on release, so a whole drag is one step too.
//
// During a drag the operation is applied to the timeline as it was when the mouse went down
// (not to the previous drag step): moving across a keyframe and back never loses the key,
// and a position the model refuses simply leaves the clip at the last accepted one.
//
// The view does not play anything: J/K/L, Space and the frame steps only emit signals or move
// the playhead; the player owns playback and calls setPlayhead() as it runs.

#include "editor/campaign.h"
#include "editor/timeline_edit.h"

#include <QColor>

#include <QPointer>
#include <QWidget>

#include <optional>

class QAction;
class QScrollBar;

namespace editor {
class Document;
}
namespace services {
class ClipStripCache;
}

namespace ui {

class TimelineView : public QWidget {
    Q_OBJECT
public:
    // `strips` may be shared with other views; when null the view makes its own cache.
    explicit TimelineView(editor::Document *document, QWidget *parent = nullptr,
                          services::ClipStripCache *strips = nullptr);
    ~TimelineView() override;

    qint64 playhead() const { return m_playhead; }
    QString selectedClip() const { return m_selected; }
    void selectClip(const QString &clipId);
    // In/out marks in frames, or -1 when unset.
    qint64 inPoint() const { return m_inPoint; }
    qint64 outPoint() const { return m_outPoint; }
    bool isSnapping() const { return m_snapping; }
    // Why the last edit tried in the view was refused (a locked clip), or empty.
    QString lastRefusal() const { return m_lastRefusal; }
    int shuttleRate() const { return m_shuttleRate; }

    // Zoom in pixels per second of timeline.
    double pixelsPerSecond() const { return m_pixelsPerSecond; }
    void setPixelsPerSecond(double pps);
    void zoomToFit();
    services::ClipStripCache *stripCache() const { return m_strips; }

    // Geometry, for tests and for tools that place things over the view.
    QRect clipRect(const QString &clipId) const;   // widget coordinates, null if not shown
    QRect trackRect(int trackIndex) const;          // the track's lane (without header)
    int xForFrame(qint64 frame) const;
    int xForSeconds(double seconds) const;
    double secondsAtX(int x) const;
    static constexpr int kHeaderWidth = 150;
    static constexpr int kRulerHeight = 30;
    static constexpr int kTrackHeight = 64;

    // Actions with their default keys, active while the timeline has focus (undo/redo: in the
    // whole window). Put them in the application's menus as they are.
    QAction *undoAction() const { return m_undo; }
    QAction *redoAction() const { return m_redo; }
    QAction *splitAction() const { return m_split; }           // S, Ctrl+K
    QAction *deleteAction() const { return m_delete; }         // Delete
    QAction *rippleDeleteAction() const { return m_ripple; }   // Shift+Delete
    QAction *snapAction() const { return m_snap; }             // N, checkable
    QAction *zoomInAction() const { return m_zoomIn; }         // =
    QAction *zoomOutAction() const { return m_zoomOut; }       // -
    QAction *zoomFitAction() const { return m_zoomFit; }       // 0
    QAction *playPauseAction() const { return m_playPause; }   // Space
    QAction *markInAction() const { return m_markIn; }         // I
    QAction *markOutAction() const { return m_markOut; }       // O
    QAction *clearMarksAction() const { return m_clearMarks; } // Alt+X
    // QWidget::actions() lists these and the rest: J/K/L shuttle, Left/Right one frame,
    // Shift+Left/Right one second.

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

public slots:
    void setPlayhead(qint64 frame);

signals:
    void playheadMoved(qint64 frame);
    void selectionChanged(const QString &clipId);  // empty: nothing selected
    void shuttleRequested(int rate);               // -4, -2, -1, 0, 1, 2, 4
    void playPauseRequested();
    void marksChanged(qint64 inFrame, qint64 outFrame);
    // An edit was refused; `message` says why and how to get on (for the status bar). The
    // view also shows it as a tooltip at the mouse.
    void editRefused(const QString &message);

protected:
    void paintEvent(QPaintEvent *event) override;
    void resizeEvent(QResizeEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;
    void keyPressEvent(QKeyEvent *event) override;  // Escape cancels a drag

private:
    enum class DragMode { None, Pending, Move, TrimStart, TrimEnd, Scrub };
    struct Hit {
        QString clipId;
        int track = -1;
        DragMode mode = DragMode::None;
    };

    // Rows top to bottom: visual tracks with the top of the stack first, then audio tracks.
    std::vector<int> rowOrder() const;
    int rowOfTrack(int trackIndex) const;
    int trackAtY(int y) const;
    Hit hitTest(QPoint pos) const;
    editor::Rational timeAtX(int x) const;  // on the frame grid, clamped to the timeline
    editor::Rational snapTolerance() const;
    qint64 durationFrames() const;
    editor::Rational fps() const;

    void createActions();
    QAction *addViewAction(const QString &text, const QList<QKeySequence> &keys,
                           void (TimelineView::*slot)());
    void documentChanged();
    void updateScrollRange();
    void ensurePlayheadVisible();
    void dragTo(QPoint pos, Qt::KeyboardModifiers modifiers);

    void refuse(const QString &message);
    void splitSelected();
    void deleteSelected();
    void rippleDeleteSelected();
    void zoomIn();
    void zoomOut();
    void shuttleBackward();
    void shuttleStop();
    void shuttleForward();
    void requestPlayPause();
    void markIn();
    void markOut();
    void clearMarks();
    void stepBackward();
    void stepForward();

    // Painting (timeline_paint.cpp).
    void paintRuler(QPainter &p, const QRect &area) const;
    void paintTrackHeaders(QPainter &p) const;
    void paintTrack(QPainter &p, int trackIndex) const;
    void paintClip(QPainter &p, const editor::Track &track, const editor::Clip &clip,
                   const QRect &r) const;
    void paintClipContent(QPainter &p, const editor::Track &track, const editor::Clip &clip,
                          const QRect &content) const;
    void paintFades(QPainter &p, const editor::Clip &clip, const QRect &r) const;
    void paintKeyframes(QPainter &p, const editor::Clip &clip, const QRect &r) const;
    void paintSlotText(QPainter &p, const QRect &r, const QString &text) const;
    QString mediaPath(const editor::Clip &clip, int *assetKind) const;

    QPointer<editor::Document> m_doc;
    services::ClipStripCache *m_strips = nullptr;
    QScrollBar *m_scroll = nullptr;

    double m_pixelsPerSecond = 60.0;
    bool m_fitOnNextResize = true;
    qint64 m_playhead = 0;
    qint64 m_inPoint = -1;
    qint64 m_outPoint = -1;
    QString m_selected;
    bool m_snapping = true;
    int m_shuttleRate = 0;

    // The drag in progress.
    DragMode m_drag = DragMode::None;
    DragMode m_pendingMode = DragMode::None;
    QPoint m_pressPos;
    QString m_dragClip;
    int m_dragTrack = -1;
    editor::Clip m_dragOrigin;          // the clip as it was on mouse press
    editor::Timeline m_dragTimeline;    // the timeline as it was on mouse press
    quint64 m_dragRevision = 0;         // the document revision our last drag step left
    std::optional<editor::Rational> m_snapIndicator;
    QString m_lastRefusal;

    QAction *m_undo = nullptr, *m_redo = nullptr, *m_split = nullptr, *m_delete = nullptr,
            *m_ripple = nullptr, *m_snap = nullptr, *m_zoomIn = nullptr, *m_zoomOut = nullptr,
            *m_zoomFit = nullptr, *m_playPause = nullptr, *m_markIn = nullptr,
            *m_markOut = nullptr, *m_clearMarks = nullptr;
};

// The colour of a property's keyframe diamonds on clips; the inspector uses it too.
QColor keyframeColor(editor::KeyProperty p);

// "mm:ss:ff" at `fps` (frames rounded to the nearest whole rate for drop-frame-free display).
QString timecode(qint64 frame, const editor::Rational &fps);

}  // namespace ui
