// SPDX-License-Identifier: GPL-3.0-or-later
#include "playback_controller.h"

#include "app/preview_audio.h"
#include "editor/campaign.h"
#include "preview_worker.h"

#include <QAudioDevice>
#include <QAudioSink>
#include <QBuffer>
#include <QFutureWatcher>
#include <QMediaDevices>
#include <QTimer>
#include <QtConcurrent>

#include <algorithm>
#include <cmath>

namespace ui {

namespace {
// How often the clock is read. Well under a frame (33 ms at 30 fps), so a frame that is ready
// is shown at most this late; cheap enough (a clock read and a comparison) to run all the time
// while playing.
constexpr int kTickMs = 4;
// Weight of the newest render time in the running average the lookahead follows.
constexpr double kRenderAverageWeight = 0.2;
// Renders that take longer than this stop playback from trying to look further ahead: a
// frame that far in the future is a guess, and scrubbing should not wait behind it.
constexpr int kMaxLookaheadFrames = 8;

QString mixKey(const QString &segmentId, const QString &formatId, quint64 revision)
{
    return segmentId + QLatin1Char('|') + formatId + QLatin1Char('|') + QString::number(revision);
}
}  // namespace

// Everything about sound. The mix of the current cell is made once in a worker thread
// (QtConcurrent) and kept until the content or the cell changes; the sink plays it from a
// QBuffer in pull mode, so the device drives the timing.
struct PlaybackController::AudioState {
    struct MixResult {
        QString key;
        std::shared_ptr<const services::PreviewAudio> mix;
        QString error;
    };
    QString wantedKey;   // the cell and content the mix must match
    MixResult ready;     // the last finished mix (maybe for another key)
    QFutureWatcher<MixResult> watcher;
    QString mixingKey;   // what the watcher is working on, empty when idle

    QAudioSink *sink = nullptr;
    QBuffer *buffer = nullptr;
    int bytesPerFrame = 0;      // one sample frame, all channels
    int sampleRate = 48000;
    bool failedThisRun = false; // the device failed; the rest of this run is silent

    // The sink reports progress in steps of its period; between two reports the clock is
    // interpolated with a wall timer so the video does not stutter at the period's rhythm.
    qint64 lastHeardUs = -1;
    QElapsedTimer sinceReport;
    double lastClockUs = 0.0;

    bool mixReady() const { return ready.mix && ready.key == wantedKey; }
};

PlaybackController::PlaybackController(PreviewWorker *worker, QObject *parent)
    : QObject(parent), m_worker(worker), m_tick(new QTimer(this)),
      m_audio(std::make_unique<AudioState>())
{
    m_tick->setTimerType(Qt::PreciseTimer);
    m_tick->setInterval(kTickMs);
    connect(m_tick, &QTimer::timeout, this, &PlaybackController::tick);
    connect(m_worker, &PreviewWorker::frameReady, this, &PlaybackController::onFrameReady);
    connect(m_worker, &PreviewWorker::frameFailed, this, &PlaybackController::onFrameFailed);
    connect(&m_audio->watcher, &QFutureWatcher<AudioState::MixResult>::finished, this,
            &PlaybackController::audioMixReady);
}

PlaybackController::~PlaybackController()
{
    stopAudio();
    // A mix still running only reads its own copy of the campaign; wait so it does not
    // outlive the watcher it reports to.
    m_audio->watcher.waitForFinished();
}

void PlaybackController::setCampaign(const editor::Campaign &campaign)
{
    m_campaign = std::make_unique<editor::Campaign>(campaign);
    ++m_campaignRevision;
    m_shownCurrent = false;
    m_worker->setCampaign(campaign);
    updateTiming();
    if (m_playing) {
        // The content changed under the running clock: keep going from here with the new
        // frames and, once mixed, the new sound.
        startRun(m_playhead);
    } else {
        refresh();
    }
}

void PlaybackController::setCell(const QString &segmentId, const QString &formatId)
{
    if (segmentId == m_segmentId && formatId == m_formatId)
        return;
    m_segmentId = segmentId;
    m_formatId = formatId;
    m_shownCurrent = false;
    updateTiming();
    if (m_playing)
        startRun(m_playhead);
    else
        refresh();
}

void PlaybackController::setMaxFrameSize(QSize size)
{
    if (size == m_maxSize || !size.isValid())
        return;
    m_maxSize = size;
    m_shownCurrent = false;
    if (!m_playing)
        refresh();
}

void PlaybackController::setAudioEnabled(bool enabled)
{
    m_audioEnabled = enabled;
    if (!enabled && m_audio->sink && m_playing)
        startRun(m_playhead);
}

void PlaybackController::updateTiming()
{
    const editor::FormatPreset *format = m_campaign ? m_campaign->format(m_formatId) : nullptr;
    if (!format || format->fps.num() <= 0) {
        m_frameCount = 1;
        return;
    }
    m_fps = {int(format->fps.num()), int(format->fps.den())};
    m_frameCount = std::max<int64_t>(1, m_campaign->timeline.duration.toFrames(format->fps));
    m_playhead = std::clamp<qint64>(m_playhead, 0, m_frameCount - 1);
}

quint64 PlaybackController::request(qint64 frame)
{
    PreviewRequest req;
    req.serial = ++m_serial;
    req.segmentId = m_segmentId;
    req.formatId = m_formatId;
    req.frame = frame;
    req.maxSize = m_maxSize;
    m_worker->request(req);
    return req.serial;
}

void PlaybackController::seek(qint64 frame)
{
    m_playhead = std::clamp<qint64>(frame, 0, m_frameCount - 1);
    if (m_playing) {
        startRun(m_playhead);
        return;
    }
    if (!m_campaign || m_segmentId.isEmpty() || m_formatId.isEmpty())
        return;
    m_refreshScheduled = false;
    request(m_playhead);
}

void PlaybackController::refresh()
{
    // Whatever is in flight was rendered for the old content or cell.
    m_acceptFrom = m_serial + 1;
    // A document change usually brings a new campaign and a new cell in the same turn of the
    // event loop; render once for both.
    if (m_refreshScheduled)
        return;
    m_refreshScheduled = true;
    QMetaObject::invokeMethod(this, [this] {
        if (!m_refreshScheduled)
            return;  // a seek in between already asked for the current frame
        m_refreshScheduled = false;
        if (m_playing || !m_campaign || m_segmentId.isEmpty() || m_formatId.isEmpty())
            return;
        m_acceptFrom = m_serial + 1;
        request(m_playhead);
    }, Qt::QueuedConnection);
}

void PlaybackController::play()
{
    setRate(1);
}

void PlaybackController::pause()
{
    setRate(0);
}

void PlaybackController::togglePlayPause()
{
    setRate(m_playing ? 0 : 1);
}

void PlaybackController::setRate(int rate)
{
    if (rate == 0) {
        if (!m_playing)
            return;
        stopRun();
        m_playing = false;
        // Show exactly the frame the clock stopped at, even if playback had skipped it.
        if (m_shownFrame != m_playhead)
            request(m_playhead);
        emit playingChanged(false);
        return;
    }
    if (!m_campaign || m_segmentId.isEmpty() || m_formatId.isEmpty())
        return;
    const bool wasPlaying = m_playing;
    m_rate = rate;
    m_playing = true;
    // Play at the end means play again from the start, as every player does.
    if (rate > 0 && m_playhead >= m_frameCount - 1)
        m_playhead = 0;
    if (rate < 0 && m_playhead <= 0)
        m_playhead = m_frameCount - 1;
    startRun(m_playhead);
    if (!wasPlaying)
        emit playingChanged(true);
}

void PlaybackController::startRun(qint64 fromFrame, bool allowAudio)
{
    stopRun();
    m_runStart = std::clamp<qint64>(fromFrame, 0, m_frameCount - 1);
    m_playhead = m_runStart;
    m_stats = PlaybackStats();
    m_stats.firstFrame = m_runStart;
    m_stats.meanRenderMs = m_renderMsAverage;
    m_acceptFrom = m_serial + 1;  // nothing requested before this run may show in it
    if (m_shownCurrent && m_shownFrame == m_runStart) {
        // The first frame of the run is already on screen (the usual case: play where the
        // playhead was scrubbed to).
        m_stats.lastShownFrame = m_runStart;
        m_stats.framesShown = 1;
    }
    m_audio->failedThisRun = false;

    QString notice = allowAudio ? QString() : m_notice;
    m_waitingForAudio = false;
    if (m_rate == 1 && m_audioEnabled && allowAudio) {
        if (QMediaDevices::defaultAudioOutput().isNull()) {
            notice = tr("No audio output device — playing silently");
        } else {
            ensureAudioMix();
            if (m_audio->mixReady()) {
                if (!startAudio(m_runStart))
                    notice = m_notice;  // startAudio explains why
            } else if (!m_audio->ready.error.isEmpty() && m_audio->ready.key == m_audio->wantedKey) {
                notice = tr("Audio unavailable (%1) — playing silently").arg(m_audio->ready.error);
            } else {
                // The clock starts with the sound; audioMixReady() resumes the run.
                m_waitingForAudio = true;
            }
        }
    }
    setNotice(notice);
    m_runWall.start();
    m_tick->start();
    if (!m_waitingForAudio)
        tick();
}

void PlaybackController::stopRun()
{
    m_tick->stop();
    stopAudio();
    if (m_runWall.isValid())
        m_stats.wallSeconds = m_runWall.nsecsElapsed() / 1e9;
    m_held.reset();
    m_inFlightSerial = 0;
    m_inFlightFrame = -1;
    m_waitingForAudio = false;
    m_acceptFrom = m_serial + 1;
}

void PlaybackController::finishAtEnd(qint64 endFrame)
{
    stopRun();
    m_playing = false;
    m_playhead = endFrame;
    emit playheadMoved(endFrame);
    emit playingChanged(false);
}

void PlaybackController::setNotice(const QString &notice)
{
    if (notice == m_notice)
        return;
    m_notice = notice;
    emit noticeChanged(notice);
}

double PlaybackController::clockFramesElapsed()
{
    const double fps = m_fps.toDouble();
    if (m_audio->sink && !m_audio->failedThisRun) {
        AudioState &a = *m_audio;
        // What the listener hears now: what the device has consumed minus what still sits in
        // its buffer.
        const qint64 buffered = qint64(a.sink->bufferSize()) - qint64(a.sink->bytesFree());
        const qint64 bufferedUs = a.bytesPerFrame > 0
            ? std::max<qint64>(0, buffered) / a.bytesPerFrame * 1000000 / a.sampleRate
            : 0;
        const qint64 heardUs = std::max<qint64>(0, a.sink->processedUSecs() - bufferedUs);
        if (heardUs != a.lastHeardUs) {
            a.lastHeardUs = heardUs;
            a.sinceReport.start();
        }
        // Interpolate between reports, but never run ahead of the device by more than a
        // period's worth (100 ms) nor go backwards.
        const double interpolated = double(heardUs)
            + std::min<double>(100000.0, a.sinceReport.nsecsElapsed() / 1000.0);
        a.lastClockUs = std::max(a.lastClockUs, interpolated);
        return a.lastClockUs / 1e6 * fps;
    }
    return m_runWall.nsecsElapsed() / 1e9 * fps * std::abs(m_rate);
}

qint64 PlaybackController::clockFrame()
{
    const qint64 elapsed = qint64(std::floor(clockFramesElapsed()));
    return m_rate >= 0 ? m_runStart + elapsed : m_runStart - elapsed;
}

bool PlaybackController::reached(qint64 frame, qint64 now) const
{
    return m_rate >= 0 ? now >= frame : now <= frame;
}

int PlaybackController::lookaheadFrames() const
{
    // Ask for the frame that will be due when the render is expected to finish (plus one
    // tick of slack), so it arrives just before its moment and is held until then.
    const double framesPerMs = m_fps.toDouble() * std::abs(m_rate) / 1000.0;
    const int frames = int(std::ceil((m_renderMsAverage + kTickMs) * framesPerMs));
    return std::clamp(frames, 1, kMaxLookaheadFrames);
}

void PlaybackController::tick()
{
    if (!m_playing || m_waitingForAudio)
        return;
    const qint64 last = m_frameCount - 1;
    const bool forward = m_rate > 0;
    const qint64 unclamped = clockFrame();
    const bool pastEnd = forward ? unclamped >= last : unclamped <= 0;
    const qint64 now = std::clamp<qint64>(unclamped, 0, last);
    if (m_held && reached(m_held->frame, now)) {
        Held held = std::move(*m_held);
        m_held.reset();
        present(held.image, held.frame);
    }
    if (now != m_playhead) {
        m_playhead = now;
        emit playheadMoved(now);
    }
    const qint64 endFrame = forward ? last : 0;
    if (pastEnd && m_stats.lastShownFrame == endFrame) {
        finishAtEnd(endFrame);
        return;
    }
    if (m_inFlightSerial || m_held)
        return;
    const int step = forward ? 1 : -1;
    qint64 target = now + step * lookaheadFrames();
    if (m_stats.lastShownFrame >= 0)
        target = forward ? std::max(target, m_stats.lastShownFrame + 1)
                         : std::min(target, m_stats.lastShownFrame - 1);
    target = std::clamp<qint64>(target, 0, last);
    if (target == m_stats.lastShownFrame)
        return;
    m_inFlightFrame = target;
    m_inFlightTimer.start();
    m_inFlightSerial = request(target);
}

void PlaybackController::onFrameReady(quint64 serial, const QImage &image,
                                      const QString &segmentId, const QString &formatId,
                                      qint64 frame)
{
    if (serial < m_acceptFrom || segmentId != m_segmentId || formatId != m_formatId)
        return;
    if (!m_playing) {
        // A scrub: show it unless a newer one is already on screen.
        if (serial <= m_shownSerial)
            return;
        m_shownSerial = serial;
        m_shownImage = image;
        m_shownFrame = frame;
        m_shownCurrent = true;
        emit frameShown(image, frame);
        return;
    }
    if (serial != m_inFlightSerial)
        return;
    const double renderMs = m_inFlightTimer.nsecsElapsed() / 1e6;
    m_renderMsAverage = m_renderMsAverage <= 0.0
        ? renderMs
        : m_renderMsAverage + kRenderAverageWeight * (renderMs - m_renderMsAverage);
    m_stats.meanRenderMs = m_renderMsAverage;
    m_inFlightSerial = 0;
    m_inFlightFrame = -1;
    m_shownSerial = serial;
    const qint64 now = std::clamp<qint64>(clockFrame(), 0, m_frameCount - 1);
    const bool late = m_rate > 0 ? frame < now : frame > now;
    if (late) {
        // Showing it now would put the picture behind the sound; the next request aims
        // further ahead (the average just grew) instead.
        ++m_stats.lateFrames;
    } else if (frame == now) {
        present(image, frame);
    } else {
        m_held = Held{image, frame};
    }
    tick();
}

void PlaybackController::onFrameFailed(quint64 serial, const QString &message)
{
    if (serial < m_acceptFrom)
        return;
    if (m_playing)
        setRate(0);
    emit frameFailed(message);
}

void PlaybackController::present(const QImage &image, qint64 frame)
{
    PlaybackStats &s = m_stats;
    const qint64 gap = s.lastShownFrame < 0 ? std::abs(frame - m_runStart)
                                            : std::abs(frame - s.lastShownFrame) - 1;
    s.framesDropped += std::max<qint64>(0, gap);
    ++s.framesShown;
    s.lastShownFrame = frame;
    const double wallMs = m_runWall.nsecsElapsed() / 1e6;
    const double dueMs = std::abs(frame - m_runStart) * 1000.0 / m_fps.toDouble() / std::abs(m_rate);
    s.lastFrameDriftMs = wallMs - dueMs;
    s.maxAbsDriftMs = std::max(s.maxAbsDriftMs, std::abs(s.lastFrameDriftMs));
    s.wallSeconds = wallMs / 1000.0;
    s.audioClock = m_audio->sink && !m_audio->failedThisRun;
    m_shownImage = image;
    m_shownFrame = frame;
    m_shownCurrent = true;
    emit frameShown(image, frame);
}

void PlaybackController::ensureAudioMix()
{
    AudioState &a = *m_audio;
    a.wantedKey = mixKey(m_segmentId, m_formatId, m_campaignRevision);
    if (a.ready.key == a.wantedKey || a.mixingKey == a.wantedKey || !m_campaign)
        return;
    if (!a.mixingKey.isEmpty())
        return;  // audioMixReady() starts the wanted mix once the running one is done
    a.mixingKey = a.wantedKey;
    auto campaign = std::make_shared<const editor::Campaign>(*m_campaign);
    const QString key = a.wantedKey, segmentId = m_segmentId, formatId = m_formatId;
    a.watcher.setFuture(QtConcurrent::run([campaign, key, segmentId, formatId] {
        AudioState::MixResult result;
        result.key = key;
        auto mix = std::make_shared<services::PreviewAudio>();
        if (services::mixPreviewAudio(*campaign, segmentId, formatId, mix.get(), &result.error))
            result.mix = std::move(mix);
        else if (result.error.isEmpty())
            result.error = tr("the mix failed");
        return result;
    }));
}

void PlaybackController::audioMixReady()
{
    AudioState &a = *m_audio;
    a.ready = a.watcher.result();
    a.mixingKey.clear();
    if (a.ready.key != a.wantedKey) {
        ensureAudioMix();  // the cell or content changed while mixing
        return;
    }
    if (m_playing && m_waitingForAudio)
        startRun(m_playhead);
}

bool PlaybackController::startAudio(qint64 fromFrame)
{
    AudioState &a = *m_audio;
    const services::PreviewAudio &mix = *a.ready.mix;
    const QAudioDevice device = QMediaDevices::defaultAudioOutput();
    QAudioFormat format;
    format.setSampleRate(mix.sampleRate);
    format.setChannelCount(mix.channels);
    format.setSampleFormat(QAudioFormat::Float);
    services::PcmFormat pcm = services::PcmFormat::Float32;
    if (!device.isFormatSupported(format)) {
        format.setSampleFormat(QAudioFormat::Int16);
        pcm = services::PcmFormat::Int16;
    }
    if (!device.isFormatSupported(format)) {
        setNotice(tr("The audio device cannot play %1 Hz stereo — playing silently")
                      .arg(mix.sampleRate));
        return false;
    }
    const double seconds = double(fromFrame) / m_fps.toDouble();
    const int64_t firstSample = int64_t(std::llround(seconds * mix.sampleRate));
    a.buffer = new QBuffer(this);
    a.buffer->setData(services::encodePcm(mix, firstSample, pcm));
    a.buffer->open(QIODevice::ReadOnly);
    a.sink = new QAudioSink(device, format, this);
    a.bytesPerFrame = format.bytesPerFrame();
    a.sampleRate = mix.sampleRate;
    a.lastHeardUs = -1;
    a.lastClockUs = 0.0;
    a.sinceReport.start();
    connect(a.sink, &QAudioSink::stateChanged, this, [this](QAudio::State) {
        AudioState &s = *m_audio;
        // An underrun in pull mode means the buffer ran out: the mix has ended, which is the
        // end of the timeline, not a failure.
        if (!s.sink || s.failedThisRun || s.sink->error() == QAudio::NoError
            || s.sink->error() == QAudio::UnderrunError)
            return;
        // A device that fails mid-run (unplugged, server gone): continue on the wall clock
        // from where the sound stopped.
        const qint64 here = clockFrame();
        s.failedThisRun = true;
        setNotice(tr("The audio device stopped — playing silently"));
        QMetaObject::invokeMethod(this, [this, here] {
            if (m_playing)
                startRun(here, false);
        }, Qt::QueuedConnection);
    });
    a.sink->start(a.buffer);
    return true;
}

void PlaybackController::stopAudio()
{
    AudioState &a = *m_audio;
    if (a.sink) {
        a.sink->disconnect(this);
        a.sink->stop();
        a.sink->deleteLater();
        a.sink = nullptr;
    }
    if (a.buffer) {
        a.buffer->deleteLater();
        a.buffer = nullptr;
    }
}

}  // namespace ui
