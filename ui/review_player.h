// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Plays one exported cell for review: its poster frame until playback starts, the video
// (QtMultimedia, GStreamer or FFmpeg backend) once it does. When there is no backend, no
// display or the file cannot be decoded, it stays on the poster with a message saying why, so
// review never depends on playback working. Audio goes to the default output when there is
// one; with no audio device the video plays silently.

#include <QPixmap>
#include <QString>
#include <QWidget>

class QLabel;
class QMediaPlayer;
class QStackedWidget;
class QVideoWidget;

namespace ui {

class ReviewPlayer : public QWidget {
    Q_OBJECT
public:
    explicit ReviewPlayer(QWidget *parent = nullptr);

    // Shows the cell's poster (or `placeholder` without one) and stops any playback.
    void showCell(const QString &posterPath, const QString &videoPath, const QString &placeholder);
    void play();
    void stop();
    bool isPlaying() const;
    QString message() const;

protected:
    void resizeEvent(QResizeEvent *event) override;

private:
    void showPoster();
    void updatePoster();  // the poster scaled to the label's current size
    void playbackFailed(const QString &reason);

    QStackedWidget *m_stack = nullptr;
    QLabel *m_poster = nullptr;
    QLabel *m_message = nullptr;
    QVideoWidget *m_video = nullptr;    // created on the first play()
    QMediaPlayer *m_player = nullptr;   // likewise: no backend is loaded just to browse
    QString m_videoPath;
    QString m_posterPath;
    QPixmap m_posterPixmap;  // full size; scaled on every resize
};

}  // namespace ui
