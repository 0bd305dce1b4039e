// SPDX-License-Identifier: GPL-3.0-or-later
#include "review_player.h"

#include <QAudioDevice>
#include <QAudioOutput>
#include <QDir>
#include <QFileInfo>
#include <QLabel>
#include <QLibrary>
#include <QMediaDevices>
#include <QMediaPlayer>
#include <QPixmap>
#include <QStackedWidget>
#include <QUrl>
#include <QVBoxLayout>
#include <QVideoWidget>

namespace ui {

namespace {

// Qt 6.4's GStreamer backend builds its pipeline in QMediaPlayer's constructor (and
// QAudioOutput's) without checking that the elements exist, and crashes when
// gstreamer1.0-plugins-base is missing, as on minimal CI images. So before the first player is
// made, ask GStreamer's registry for what that backend needs. libgstreamer is opened at run
// time: it is already in the process once QtMultimedia's plugin is, and the studio need not
// link it. Empty = fine (or another backend was chosen with QT_MEDIA_BACKEND).
struct GstCheck {
    QStringList missingVideo;
    QStringList missingAudio;
    bool libraryMissing = false;
};

GstCheck checkGStreamer()
{
    GstCheck result;
    const QByteArray backend = qgetenv("QT_MEDIA_BACKEND");
    if (!backend.isEmpty() && backend != "gstreamer")
        return result;
    QLibrary gst(QStringLiteral("gstreamer-1.0"), 0);
    using InitCheck = int (*)(int *, char ***, void **);
    using FactoryFind = void *(*)(const char *);
    using ObjectUnref = void (*)(void *);
    const auto initCheck = reinterpret_cast<InitCheck>(gst.resolve("gst_init_check"));
    const auto find = reinterpret_cast<FactoryFind>(gst.resolve("gst_element_factory_find"));
    const auto unref = reinterpret_cast<ObjectUnref>(gst.resolve("gst_object_unref"));
    if (!initCheck || !find || !unref || !initCheck(nullptr, nullptr, nullptr)) {
        result.libraryMissing = true;
        return result;
    }
    auto missing = [&](std::initializer_list<const char *> names) {
        QStringList out;
        for (const char *name : names) {
            if (void *factory = find(name))
                unref(factory);
            else
                out << QString::fromLatin1(name);
        }
        return out;
    };
    result.missingVideo = missing({"decodebin", "uridecodebin", "videoconvert", "videoscale"});
    result.missingAudio = missing({"audioconvert", "audioresample", "volume", "autoaudiosink"});
    return result;
}

const GstCheck &gstreamer()
{
    static const GstCheck check = checkGStreamer();
    return check;
}

}  // namespace

ReviewPlayer::ReviewPlayer(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("reviewPlayer"));
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    m_stack = new QStackedWidget(this);
    m_poster = new QLabel(this);
    m_poster->setObjectName(QStringLiteral("reviewPoster"));
    m_poster->setAlignment(Qt::AlignCenter);
    // Ignored: the poster follows the space the dock gives it instead of dictating it, so the
    // details and buttons below stay readable in a short dock.
    m_poster->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Ignored);
    m_poster->setMinimumSize(120, 80);
    m_poster->setStyleSheet(QStringLiteral("background:#202020;color:#d0d0d0"));
    m_stack->addWidget(m_poster);
    layout->addWidget(m_stack, 1);
    m_message = new QLabel(this);
    m_message->setObjectName(QStringLiteral("reviewPlayerMessage"));
    m_message->setWordWrap(true);
    m_message->setSizePolicy(QSizePolicy::Preferred, QSizePolicy::Minimum);
    layout->addWidget(m_message);
}

void ReviewPlayer::showCell(const QString &posterPath, const QString &videoPath,
                            const QString &placeholder)
{
    stop();
    m_videoPath = videoPath;
    m_posterPath = posterPath;
    m_message->clear();
    m_posterPixmap = QPixmap(posterPath);
    if (m_posterPixmap.isNull())
        m_poster->setText(placeholder);  // also drops the previous cell's picture
    else
        updatePoster();
    showPoster();
}

void ReviewPlayer::updatePoster()
{
    if (m_posterPixmap.isNull())
        return;
    m_poster->setPixmap(m_posterPixmap.scaled(m_poster->size().expandedTo(QSize(16, 16)),
                                              Qt::KeepAspectRatio, Qt::SmoothTransformation));
}

void ReviewPlayer::resizeEvent(QResizeEvent *event)
{
    QWidget::resizeEvent(event);
    updatePoster();
}

void ReviewPlayer::showPoster() { m_stack->setCurrentWidget(m_poster); }

void ReviewPlayer::play()
{
    if (m_videoPath.isEmpty() || !QFileInfo(m_videoPath).isFile()) {
        playbackFailed(tr("Nothing to play: this variant has not been exported."));
        return;
    }
    const GstCheck &gst = gstreamer();
    if (gst.libraryMissing) {
        playbackFailed(tr("GStreamer is not installed"));
        return;
    }
    if (!gst.missingVideo.isEmpty()) {
        playbackFailed(tr("GStreamer lacks %1; install gstreamer1.0-plugins-base, "
                          "gstreamer1.0-plugins-good and gstreamer1.0-libav")
                           .arg(gst.missingVideo.join(QStringLiteral(", "))));
        return;
    }
    if (!m_player) {
        m_player = new QMediaPlayer(this);
        m_video = new QVideoWidget(this);
        m_video->setObjectName(QStringLiteral("reviewVideo"));
        m_stack->addWidget(m_video);
        m_player->setVideoOutput(m_video);
        // Without an audio device (or GStreamer's audio elements) there is no output to
        // attach: the video then plays silently instead of failing.
        if (gst.missingAudio.isEmpty() && !QMediaDevices::defaultAudioOutput().isNull())
            m_player->setAudioOutput(new QAudioOutput(m_player));
        connect(m_player, &QMediaPlayer::errorOccurred, this,
                [this](QMediaPlayer::Error, const QString &text) { playbackFailed(text); });
        connect(m_player, &QMediaPlayer::mediaStatusChanged, this,
                [this](QMediaPlayer::MediaStatus status) {
                    if (status == QMediaPlayer::InvalidMedia)
                        playbackFailed(tr("the file cannot be decoded here"));
                    else if (status == QMediaPlayer::EndOfMedia)
                        m_message->setText(tr("End of the video. Press Enter to play it again."));
                });
    }
    if (!m_player->isAvailable()) {
        playbackFailed(tr("no media backend is available"));
        return;
    }
    m_message->setText(tr("Playing %1").arg(QFileInfo(m_videoPath).fileName()));
    m_stack->setCurrentWidget(m_video);
    m_player->setSource(QUrl::fromLocalFile(m_videoPath));
    m_player->play();
}

void ReviewPlayer::stop()
{
    if (m_player) {
        m_player->stop();
        m_player->setSource(QUrl());
    }
    showPoster();
}

bool ReviewPlayer::isPlaying() const
{
    return m_player && m_player->playbackState() == QMediaPlayer::PlayingState;
}

QString ReviewPlayer::message() const { return m_message->text(); }

void ReviewPlayer::playbackFailed(const QString &reason)
{
    if (m_player)
        m_player->stop();
    showPoster();
    m_message->setText(tr("Cannot play the video (%1). The poster frame is shown; the file is %2.")
                           .arg(reason, QDir::toNativeSeparators(m_videoPath)));
}

}  // namespace ui
