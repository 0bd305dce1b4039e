// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Filmstrip thumbnails and audio waveforms for the timeline's clips. Decoding is slow and
// lives in render/, which the widgets must not call: this cache runs the decoding on its own
// thread pool (QtConcurrent) and hands finished strips back on the owner's thread, where the
// timeline repaints with them. Until then the timeline draws a placeholder.
//
// A strip describes the whole source file, not one clip, so trimming, splitting or moving a
// clip never regenerates anything: the view picks the frames or peaks for the clip's visible
// source range. Strips are cached in memory by (path, kind, thumbnail height); a failed
// decode (missing file, unreadable media) is cached too, so a broken file is tried once.

#include <QHash>
#include <QImage>
#include <QObject>
#include <QSet>
#include <QString>
#include <QThreadPool>

#include <memory>
#include <vector>

namespace services {

struct ClipStrip {
    enum class Kind { Filmstrip, Still, Waveform };
    Kind kind = Kind::Filmstrip;
    // Filmstrip: frames spread evenly over the source, each with its source time in seconds.
    // Still: one picture.
    std::vector<QImage> frames;
    std::vector<double> frameTimes;
    // Waveform: the peak magnitude (0..1) of each bucket of 1/peaksPerSecond seconds.
    std::vector<float> peaks;
    double peaksPerSecond = 0.0;
    double durationSeconds = 0.0;  // of the source, when known
    QString error;                 // why nothing could be made (frames and peaks are empty)

    bool isValid() const { return error.isEmpty(); }
    // The frame to show for `sourceSeconds` (the nearest one), or a null image.
    QImage frameAt(double sourceSeconds) const;
    // The largest peak in [fromSeconds, toSeconds).
    float peakBetween(double fromSeconds, double toSeconds) const;
};

class ClipStripCache : public QObject {
    Q_OBJECT
public:
    enum class Source { Video, Image, Audio };

    explicit ClipStripCache(QObject *parent = nullptr);
    ~ClipStripCache() override;  // waits for running work; nothing is delivered afterwards

    // The finished strip, or null after starting its generation (once per key). `height` is
    // the thumbnail height in device pixels (ignored for audio).
    std::shared_ptr<const ClipStrip> strip(const QString &path, Source source, int height);
    bool isPending(const QString &path, Source source, int height) const;
    int pendingCount() const { return int(m_pending.size()); }

    // Generation itself, synchronous; run on a worker thread by strip().
    static std::shared_ptr<const ClipStrip> generate(const QString &path, Source source,
                                                     int height);

signals:
    // A strip for `path` became available (successful or not).
    void stripReady(const QString &path);

private:
    static QString keyOf(const QString &path, Source source, int height);

    QHash<QString, std::shared_ptr<const ClipStrip>> m_ready;
    QSet<QString> m_pending;
    // Our own pool, so a long decode never starves the global pool used by other services,
    // and two threads at most: the machine is shared with preview and export.
    QThreadPool m_pool;
};

}  // namespace services
