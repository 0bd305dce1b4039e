// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Real-time playback and scrubbing of one campaign cell (segment × format) in the preview.
//
// Design: a clock says which frame is due; the PreviewWorker renders that frame in its own
// thread. The controller never queues frames: it keeps at most one render in flight and at
// most one finished frame waiting for its moment, so playback can fall behind only by the
// time of one render and then catches up by skipping. Frames the clock passes before they
// could be shown are counted as dropped; time never stretches to wait for a slow frame.
//
// The clock is the audio device when there is one (QAudioSink, the cell's mix from
// services::mixPreviewAudio): the sound cannot pause for video, so video follows it. With no
// audio device (or at shuttle speeds other than 1×) a QElapsedTimer runs the clock and a
// notice says playback is silent.
//
// The render target is `lookahead` frames ahead of the clock, where the lookahead follows a
// running average of how long frames take to render: a frame that renders in time is held
// and shown exactly when the clock reaches it.
//
// Scrubbing (seek) renders the requested frame at once through the same worker; the worker
// coalesces requests (latest wins), so dragging never builds a backlog.

#include "render/composition.h"

#include <QElapsedTimer>
#include <QImage>
#include <QObject>
#include <QSize>
#include <QString>

#include <memory>
#include <optional>

class QAudioSink;
class QBuffer;
class QTimer;

namespace editor {
struct Campaign;
}

namespace ui {

class PreviewWorker;

// Counts of one playback run (from play() or a seek while playing to the next stop). They
// always satisfy framesShown + framesDropped == |lastShownFrame - firstFrame| + 1 once a
// frame has been shown.
struct PlaybackStats {
    qint64 firstFrame = -1;      // where the run started
    qint64 lastShownFrame = -1;  // -1 until the first frame is shown
    qint64 framesShown = 0;
    qint64 framesDropped = 0;    // frames the clock passed without them being shown
    qint64 lateFrames = 0;       // rendered, but arrived after their moment and discarded
    bool audioClock = false;     // clocked by the audio device
    // Wall time of the run and, for the last frame shown, the wall time at which it was shown
    // minus the time the timeline says it is due (positive = shown late).
    double wallSeconds = 0.0;
    double lastFrameDriftMs = 0.0;
    double maxAbsDriftMs = 0.0;
    double meanRenderMs = 0.0;   // running average of request-to-arrival times
};

class PlaybackController : public QObject {
    Q_OBJECT
public:
    // `worker` lives in another thread and must outlive the controller.
    explicit PlaybackController(PreviewWorker *worker, QObject *parent = nullptr);
    ~PlaybackController() override;

    // A copy of the campaign to render and mix (also handed to the worker). Re-renders the
    // frame under the playhead; playback goes on with the new content.
    void setCampaign(const editor::Campaign &campaign);
    // The cell to show. Playback restarts at the playhead for the new cell.
    void setCell(const QString &segmentId, const QString &formatId);
    // Preview frames fit inside this size (the render core draws a scaled composition).
    void setMaxFrameSize(QSize size);
    // With false, playback never opens an audio device (benchmarks, a mute button).
    void setAudioEnabled(bool enabled);

    QString segmentId() const { return m_segmentId; }
    QString formatId() const { return m_formatId; }
    render::FrameRate fps() const { return m_fps; }
    qint64 frameCount() const { return m_frameCount; }
    qint64 playhead() const { return m_playhead; }
    bool isPlaying() const { return m_playing; }
    int rate() const { return m_playing ? m_rate : 0; }
    const PlaybackStats &stats() const { return m_stats; }
    // The most recent message about playback (silent playback, an audio error), or empty.
    QString notice() const { return m_notice; }
    // The frame currently on screen and its index (-1 before the first).
    const QImage &currentImage() const { return m_shownImage; }
    qint64 shownFrame() const { return m_shownFrame; }

    // Moves the playhead and renders that frame promptly. While playing, playback continues
    // from there. Does not emit playheadMoved (the caller moved it).
    void seek(qint64 frame);
    // Renders the frame under the playhead again (content, cell or size changed).
    void refresh();

    void play();                 // 1× forward, with audio when a device exists
    void pause();
    void togglePlayPause();
    // J/K/L shuttle: negative = reverse, 0 = stop, 1/2/4… = forward speed. Only 1× plays
    // audio; other speeds run silently on the wall clock.
    void setRate(int rate);

signals:
    void frameShown(const QImage &image, qint64 frame);
    void frameFailed(const QString &message);
    // The playhead moved by itself (playback, reaching the end). Not emitted for seek().
    void playheadMoved(qint64 frame);
    void playingChanged(bool playing);
    void noticeChanged(const QString &notice);

private:
    struct Held {
        QImage image;
        qint64 frame = 0;
    };

    void onFrameReady(quint64 serial, const QImage &image, const QString &segmentId,
                      const QString &formatId, qint64 frame);
    void onFrameFailed(quint64 serial, const QString &message);
    void tick();
    quint64 request(qint64 frame);
    void present(const QImage &image, qint64 frame);
    // allowAudio false: this run stays silent (the device failed during the previous one).
    void startRun(qint64 fromFrame, bool allowAudio = true);
    void stopRun();
    void finishAtEnd(qint64 endFrame);
    void setNotice(const QString &notice);
    void updateTiming();

    // Clock: the frame the timeline is at now, as a real number of frames since the run start.
    double clockFramesElapsed();
    qint64 clockFrame();
    bool reached(qint64 frame, qint64 now) const;  // `now` is at or past `frame`
    int lookaheadFrames() const;

    // Audio: starts the sink at `fromFrame` when a device and the mix are available.
    bool startAudio(qint64 fromFrame);
    void stopAudio();
    void ensureAudioMix();
    void audioMixReady();

    PreviewWorker *m_worker;
    std::unique_ptr<editor::Campaign> m_campaign;
    quint64 m_campaignRevision = 0;
    QString m_segmentId, m_formatId;
    QSize m_maxSize{720, 720};
    render::FrameRate m_fps;
    qint64 m_frameCount = 1;

    qint64 m_playhead = 0;
    QImage m_shownImage;
    qint64 m_shownFrame = -1;
    bool m_shownCurrent = false;  // the shown frame is of the current cell and content
    quint64 m_serial = 0;
    quint64 m_shownSerial = 0;
    quint64 m_acceptFrom = 0;  // results of older requests are stale
    bool m_refreshScheduled = false;

    // Playback run.
    bool m_playing = false;
    int m_rate = 1;
    QTimer *m_tick = nullptr;
    QElapsedTimer m_runWall;
    qint64 m_runStart = 0;
    PlaybackStats m_stats;
    std::optional<Held> m_held;
    quint64 m_inFlightSerial = 0;  // 0 = none
    qint64 m_inFlightFrame = -1;
    QElapsedTimer m_inFlightTimer;
    double m_renderMsAverage = 0.0;
    bool m_waitingForAudio = false;

    // Audio.
    bool m_audioEnabled = true;
    struct AudioState;
    std::unique_ptr<AudioState> m_audio;
    QString m_notice;
};

}  // namespace ui
