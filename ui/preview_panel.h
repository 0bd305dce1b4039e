// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The Preview dock: one campaign cell (segment × format) rendered by the render core at
// preview size in a worker thread, with a segment and a format switcher, a safe-zone overlay
// and a transport (play/pause, scrubber, time as mm:ss:ff). Playback is real time, audio
// clocked when a device exists (see PlaybackController).
//
// The panel follows an editor::Document: every change (edit, undo, open) re-renders the frame
// under the playhead. Wiring into a main window: put it in a QDockWidget, connect the
// timeline's playhead to setPlayhead() and the panel's playheadMoved() back to the timeline;
// playheadMoved() is emitted only when the panel moves the playhead itself (playback, its
// own scrubber), so the two never echo each other.

#include <QString>
#include <QWidget>

class QCheckBox;
class QComboBox;
class QLabel;
class QSlider;
class QThread;
class QToolButton;

namespace editor {
class Document;
}

namespace ui {

class PlaybackController;
class PreviewView;
class PreviewWorker;

class PreviewPanel : public QWidget {
    Q_OBJECT
public:
    explicit PreviewPanel(editor::Document *document, QWidget *parent = nullptr);
    ~PreviewPanel() override;

    // The playhead in frames of the current format's rate.
    void setPlayhead(qint64 frame);
    qint64 playhead() const;
    qint64 frameCount() const;

    void play();
    void pause();
    void togglePlayPause();
    bool isPlaying() const;
    // J/K/L: negative = reverse, 0 = stop, 1/2/4 = forward speed (audio at 1× only).
    void setShuttleRate(int rate);
    int shuttleRate() const;

    QString currentSegmentId() const;
    QString currentFormatId() const;
    void setCurrentSegmentId(const QString &id);
    void setCurrentFormatId(const QString &id);
    void setCell(const QString &segmentId, const QString &formatId);

    void setSafeZonesVisible(bool visible);
    bool safeZonesVisible() const;
    // Preview frames fit inside this box (default 720×720: 405×720 for 9:16).
    void setMaxFrameSize(QSize size);
    // Folder for the video proxies the preview scrubs and plays (default: the cache location's
    // "preview-proxies"); empty = always decode the original sources. Applies to cells opened
    // from then on.
    void setProxyDirectory(const QString &dir);
    // See PreviewWorker::setReframeCacheDirectory; the studio sets the open project's.
    void setReframeCacheDirectory(const QString &dir);
    // Proxies still being built in the background.
    int pendingProxies() const;

    PreviewView *view() const { return m_view; }
    PlaybackController *controller() const { return m_controller; }
    // The playback notice ("No audio output device — playing silently"), or empty.
    QString notice() const;

signals:
    void playheadMoved(qint64 frame);
    void cellChanged(const QString &segmentId, const QString &formatId);
    void playingChanged(bool playing);

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    void documentChanged();
    void populateSwitchers();
    void comboChanged();
    void applyCell();
    void updateSafeZone();
    void updateTransport();
    void showFrameTime(qint64 frame);
    QString timecode(qint64 frame) const;

    editor::Document *m_document;
    QThread *m_thread = nullptr;
    PreviewWorker *m_worker = nullptr;
    PlaybackController *m_controller = nullptr;

    QComboBox *m_segmentCombo = nullptr;
    QComboBox *m_formatCombo = nullptr;
    QCheckBox *m_safeZoneToggle = nullptr;
    PreviewView *m_view = nullptr;
    QLabel *m_notice = nullptr;
    QToolButton *m_playButton = nullptr;
    QSlider *m_scrubber = nullptr;
    QLabel *m_timeLabel = nullptr;
    QString m_segmentId, m_formatId;
};

}  // namespace ui
