// SPDX-License-Identifier: GPL-3.0-or-later
#include "preview_panel.h"

#include "app/reframe_cache.h"

#include "editor/document.h"
#include "playback_controller.h"
#include "preview_view.h"
#include "preview_worker.h"

#include <QCheckBox>
#include <QComboBox>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QSignalBlocker>
#include <QSlider>
#include <QStandardPaths>
#include <QStyle>
#include <QThread>
#include <QToolButton>
#include <QVBoxLayout>

#include <algorithm>
#include <cmath>

namespace ui {

namespace {
constexpr int kDefaultMaxFrameSide = 720;

// The next J/K/L speed: pressing L while playing forward doubles up to 4×, pressing it while
// going backwards slows the reverse first (as NLEs do), and likewise for J.
int nextShuttleRate(int current, int direction)
{
    if (current == 0 || (current > 0) != (direction > 0)) {
        if (current != 0 && std::abs(current) > 1)
            return current / 2;
        return current == 0 ? direction : 0;
    }
    return std::clamp(current * 2, -4, 4);
}
}  // namespace

PreviewPanel::PreviewPanel(editor::Document *document, QWidget *parent)
    : QWidget(parent), m_document(document)
{
    setObjectName(QStringLiteral("previewPanel"));
    setFocusPolicy(Qt::StrongFocus);

    m_thread = new QThread(this);
    m_thread->setObjectName(QStringLiteral("preview"));
    m_worker = new PreviewWorker;
    const QString cache = QStandardPaths::writableLocation(QStandardPaths::CacheLocation);
    if (!cache.isEmpty())
        m_worker->setProxyDirectory(cache + QStringLiteral("/preview-proxies"));
    m_worker->moveToThread(m_thread);
    connect(m_thread, &QThread::finished, m_worker, &QObject::deleteLater);
    m_thread->start();
    m_controller = new PlaybackController(m_worker, this);
    m_controller->setMaxFrameSize(QSize(kDefaultMaxFrameSide, kDefaultMaxFrameSide));

    m_segmentCombo = new QComboBox(this);
    m_segmentCombo->setObjectName(QStringLiteral("previewSegmentCombo"));
    m_segmentCombo->setToolTip(tr("Audience segment to preview"));
    m_formatCombo = new QComboBox(this);
    m_formatCombo->setObjectName(QStringLiteral("previewFormatCombo"));
    m_formatCombo->setToolTip(tr("Output format to preview"));
    m_safeZoneToggle = new QCheckBox(tr("Safe zones"), this);
    m_safeZoneToggle->setObjectName(QStringLiteral("previewSafeZoneToggle"));
    m_safeZoneToggle->setToolTip(tr("Show where the platform's own buttons and captions cover "
                                    "the video"));

    m_view = new PreviewView(this);
    m_notice = new QLabel(this);
    m_notice->setObjectName(QStringLiteral("previewNotice"));
    m_notice->setWordWrap(true);
    m_notice->setVisible(false);

    m_playButton = new QToolButton(this);
    m_playButton->setObjectName(QStringLiteral("previewPlayButton"));
    m_scrubber = new QSlider(Qt::Horizontal, this);
    m_scrubber->setObjectName(QStringLiteral("previewScrubber"));
    m_timeLabel = new QLabel(this);
    m_timeLabel->setObjectName(QStringLiteral("previewTimeLabel"));
    // Digits of a running timecode must not make the layout twitch.
    QFont mono = m_timeLabel->font();
    mono.setFamily(QStringLiteral("DejaVu Sans Mono"));
    mono.setStyleHint(QFont::Monospace);
    m_timeLabel->setFont(mono);

    auto *switchers = new QHBoxLayout;
    switchers->addWidget(m_segmentCombo, 2);
    switchers->addWidget(m_formatCombo, 2);
    switchers->addWidget(m_safeZoneToggle);
    auto *transport = new QHBoxLayout;
    transport->addWidget(m_playButton);
    transport->addWidget(m_scrubber, 1);
    transport->addWidget(m_timeLabel);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(4, 4, 4, 4);
    layout->addLayout(switchers);
    layout->addWidget(m_view, 1);
    layout->addWidget(m_notice);
    layout->addLayout(transport);

    connect(m_segmentCombo, &QComboBox::currentIndexChanged, this, &PreviewPanel::comboChanged);
    connect(m_formatCombo, &QComboBox::currentIndexChanged, this, &PreviewPanel::comboChanged);
    connect(m_safeZoneToggle, &QCheckBox::toggled, m_view, &PreviewView::setSafeZoneVisible);
    connect(m_playButton, &QToolButton::clicked, this, &PreviewPanel::togglePlayPause);
    connect(m_scrubber, &QSlider::valueChanged, this, [this](int value) {
        // Only the user's drags and clicks get here: programmatic updates are blocked.
        m_controller->seek(value);
        showFrameTime(value);
        emit playheadMoved(value);
    });

    connect(m_controller, &PlaybackController::frameShown, this,
            [this](const QImage &image, qint64) { m_view->setImage(image); });
    connect(m_controller, &PlaybackController::frameFailed, m_view, &PreviewView::setMessage);
    connect(m_controller, &PlaybackController::playheadMoved, this, [this](qint64 frame) {
        showFrameTime(frame);
        emit playheadMoved(frame);
    });
    connect(m_controller, &PlaybackController::playingChanged, this, [this](bool playing) {
        updateTransport();
        emit playingChanged(playing);
    });
    connect(m_controller, &PlaybackController::noticeChanged, this, [this](const QString &text) {
        m_notice->setText(text);
        m_notice->setVisible(!text.isEmpty());
    });

    if (m_document) {
        connect(m_document, &editor::Document::changed, this, &PreviewPanel::documentChanged);
        documentChanged();
    }
    updateTransport();
}

PreviewPanel::~PreviewPanel()
{
    // The controller talks to the worker; end it before the worker's thread goes away.
    delete m_controller;
    m_controller = nullptr;
    m_thread->quit();
    m_thread->wait();
}

void PreviewPanel::documentChanged()
{
    const bool open = m_document && m_document->isOpen();
    setEnabled(open);
    if (!open) {
        m_controller->pause();
        m_view->setImage(QImage());
        m_view->setMessage(tr("No campaign open"));
        return;
    }
    populateSwitchers();
    // The project's own reframe cache, the one campaign-cli render uses for this file.
    if (!m_document->projectPath().isEmpty())
        m_worker->setReframeCacheDirectory(
            services::defaultReframeCacheDir(m_document->projectPath()));
    m_controller->setCampaign(m_document->campaign());
    applyCell();
}

void PreviewPanel::populateSwitchers()
{
    const editor::Campaign &c = m_document->campaign();
    // Keep the chosen cell by id across edits; fall back to the first entry when it is gone.
    {
        const QSignalBlocker block(m_segmentCombo);
        m_segmentCombo->clear();
        for (const editor::Segment &s : c.segments)
            m_segmentCombo->addItem(s.name.isEmpty() ? s.id : s.name, s.id);
        const int index = m_segmentCombo->findData(m_segmentId);
        m_segmentCombo->setCurrentIndex(index >= 0 ? index : 0);
    }
    {
        const QSignalBlocker block(m_formatCombo);
        m_formatCombo->clear();
        for (const editor::FormatPreset &f : c.formats)
            m_formatCombo->addItem(f.name.isEmpty() ? f.id : f.name, f.id);
        const int index = m_formatCombo->findData(m_formatId);
        m_formatCombo->setCurrentIndex(index >= 0 ? index : 0);
    }
}

void PreviewPanel::comboChanged()
{
    applyCell();
}

void PreviewPanel::applyCell()
{
    const QString segmentId = m_segmentCombo->currentData().toString();
    const QString formatId = m_formatCombo->currentData().toString();
    const bool changed = segmentId != m_segmentId || formatId != m_formatId;
    m_segmentId = segmentId;
    m_formatId = formatId;
    m_controller->setCell(segmentId, formatId);
    updateSafeZone();
    updateTransport();
    if (changed)
        emit cellChanged(segmentId, formatId);
}

void PreviewPanel::updateSafeZone()
{
    const editor::FormatPreset *format =
        m_document && m_document->isOpen() ? m_document->campaign().format(m_formatId) : nullptr;
    m_view->setSafeZone(format ? QMarginsF(format->safeLeft, format->safeTop, format->safeRight,
                                           format->safeBottom)
                               : QMarginsF());
}

void PreviewPanel::updateTransport()
{
    const bool playing = m_controller->isPlaying();
    m_playButton->setIcon(style()->standardIcon(playing ? QStyle::SP_MediaPause
                                                        : QStyle::SP_MediaPlay));
    m_playButton->setToolTip(playing ? tr("Pause (Space)") : tr("Play (Space)"));
    {
        const QSignalBlocker block(m_scrubber);
        m_scrubber->setRange(0, int(std::max<qint64>(0, frameCount() - 1)));
    }
    showFrameTime(m_controller->playhead());
}

void PreviewPanel::showFrameTime(qint64 frame)
{
    {
        const QSignalBlocker block(m_scrubber);
        m_scrubber->setValue(int(frame));
    }
    m_timeLabel->setText(timecode(frame) + QStringLiteral(" / ")
                         + timecode(std::max<qint64>(0, frameCount() - 1)));
}

QString PreviewPanel::timecode(qint64 frame) const
{
    // mm:ss:ff with ff counted at the nominal rate (30 for 30000/1001, as editors show it).
    const int nominal = std::max(1, int(std::lround(m_controller->fps().toDouble())));
    const double seconds = double(frame) / std::max(1e-9, m_controller->fps().toDouble());
    const qint64 whole = qint64(std::floor(seconds + 1e-9));
    return QStringLiteral("%1:%2:%3")
        .arg(whole / 60, 2, 10, QLatin1Char('0'))
        .arg(whole % 60, 2, 10, QLatin1Char('0'))
        .arg(frame % nominal, 2, 10, QLatin1Char('0'));
}

void PreviewPanel::setPlayhead(qint64 frame)
{
    m_controller->seek(frame);
    showFrameTime(m_controller->playhead());
}

qint64 PreviewPanel::playhead() const
{
    return m_controller->playhead();
}

qint64 PreviewPanel::frameCount() const
{
    return m_controller->frameCount();
}

void PreviewPanel::play()
{
    m_controller->play();
}

void PreviewPanel::pause()
{
    m_controller->pause();
}

void PreviewPanel::togglePlayPause()
{
    m_controller->togglePlayPause();
}

bool PreviewPanel::isPlaying() const
{
    return m_controller->isPlaying();
}

void PreviewPanel::setShuttleRate(int rate)
{
    m_controller->setRate(rate);
}

int PreviewPanel::shuttleRate() const
{
    return m_controller->rate();
}

QString PreviewPanel::currentSegmentId() const
{
    return m_segmentId;
}

QString PreviewPanel::currentFormatId() const
{
    return m_formatId;
}

void PreviewPanel::setCurrentSegmentId(const QString &id)
{
    const int index = m_segmentCombo->findData(id);
    if (index >= 0)
        m_segmentCombo->setCurrentIndex(index);
}

void PreviewPanel::setCurrentFormatId(const QString &id)
{
    const int index = m_formatCombo->findData(id);
    if (index >= 0)
        m_formatCombo->setCurrentIndex(index);
}

void PreviewPanel::setCell(const QString &segmentId, const QString &formatId)
{
    // One cellChanged and one re-render for both switches.
    const int segmentIndex = m_segmentCombo->findData(segmentId);
    const int formatIndex = m_formatCombo->findData(formatId);
    {
        const QSignalBlocker blockSegments(m_segmentCombo);
        const QSignalBlocker blockFormats(m_formatCombo);
        if (segmentIndex >= 0)
            m_segmentCombo->setCurrentIndex(segmentIndex);
        if (formatIndex >= 0)
            m_formatCombo->setCurrentIndex(formatIndex);
    }
    applyCell();
}

void PreviewPanel::setSafeZonesVisible(bool visible)
{
    m_safeZoneToggle->setChecked(visible);
}

bool PreviewPanel::safeZonesVisible() const
{
    return m_view->isSafeZoneVisible();
}

void PreviewPanel::setMaxFrameSize(QSize size)
{
    m_controller->setMaxFrameSize(size);
}

void PreviewPanel::setProxyDirectory(const QString &dir)
{
    m_worker->setProxyDirectory(dir);
}

void PreviewPanel::setReframeCacheDirectory(const QString &dir)
{
    m_worker->setReframeCacheDirectory(dir);
}

int PreviewPanel::pendingProxies() const
{
    return m_worker->pendingProxies();
}

QString PreviewPanel::notice() const
{
    return m_controller->notice();
}

void PreviewPanel::keyPressEvent(QKeyEvent *event)
{
    // The usual transport keys when the preview has focus; a main window may bind the same
    // keys window-wide through its own actions.
    switch (event->key()) {
    case Qt::Key_Space:
        togglePlayPause();
        return;
    case Qt::Key_K:
        setShuttleRate(0);
        return;
    case Qt::Key_L:
        setShuttleRate(nextShuttleRate(shuttleRate(), 1));
        return;
    case Qt::Key_J:
        setShuttleRate(nextShuttleRate(shuttleRate(), -1));
        return;
    case Qt::Key_Left:
    case Qt::Key_Right: {
        if (isPlaying())
            pause();
        const qint64 step = (event->modifiers() & Qt::ShiftModifier)
            ? std::max(1, int(std::lround(m_controller->fps().toDouble())))
            : 1;
        const qint64 frame = playhead() + (event->key() == Qt::Key_Right ? step : -step);
        setPlayhead(frame);
        emit playheadMoved(playhead());
        return;
    }
    default:
        QWidget::keyPressEvent(event);
    }
}

}  // namespace ui
