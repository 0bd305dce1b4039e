// SPDX-License-Identifier: GPL-3.0-or-later
#include "disk_space.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QStorageInfo>

#include <algorithm>
#include <cmath>

namespace services {

namespace {
// Calibrated on the bundled sample's render (x264 "veryfast", CRF 23, 15 s, 30 fps): its MP4s
// came to about 0.025 bit per pixel and frame (2.9 MB for 1080x1920) and its posters to about
// 0.4 byte per pixel. The estimate allows 0.06 bit, for busier material such as grainy camera
// footage, about 2.5 times the sample; every 6 CRF steps halve or double it.
constexpr double kBitsPerPixelAtCrf23 = 0.06;
constexpr double kMargin = 1.25;            // muxing overhead, keyframes, a busier-than-usual cut
constexpr qint64 kFixedOverhead = 64 * 1024; // moov index, headers, metadata, the lock file
constexpr double kPosterBytesPerPixel = 1.0; // the sample's posters: 0.4

QString megabytes(qint64 bytes)
{
    return QString::number(double(std::max<qint64>(0, bytes)) / (1024.0 * 1024.0), 'f', 1);
}
}  // namespace

qint64 estimateCellBytes(const render::Composition &comp)
{
    const double fps = comp.fps.toDouble() > 0 ? comp.fps.toDouble() : 30.0;
    const double seconds = double(std::max<int64_t>(0, comp.frameCount)) / fps;
    const double pixels = double(std::max(0, comp.width)) * double(std::max(0, comp.height));
    const double bpp = kBitsPerPixelAtCrf23 * std::pow(2.0, (23.0 - comp.encode.crf) / 6.0);
    const double videoBits = pixels * fps * seconds * bpp;
    const double audioBits = comp.audio.empty() ? 0.0 : double(comp.encode.audioBitrate) * seconds;
    // +faststart moves the index to the front inside the same file (libavformat shifts the
    // data in place), so it needs the index's size again, not a second copy of the file.
    const double mp4 = (videoBits + audioBits) / 8.0 * kMargin;
    return qint64(mp4) + kFixedOverhead + qint64(pixels * kPosterBytesPerPixel);
}

qint64 bytesAvailableFor(const QString &folder)
{
    QFileInfo info(QDir::cleanPath(QFileInfo(folder).absoluteFilePath()));
    while (!info.exists()) {
        const QString parent = info.absolutePath();
        if (parent == info.absoluteFilePath())
            return -1;
        info = QFileInfo(parent);
    }
    const QStorageInfo storage(info.absoluteFilePath());
    return storage.isValid() ? storage.bytesAvailable() : -1;
}

QString spaceFigures(qint64 needed, qint64 available, const QString &folder)
{
    return QCoreApplication::translate("services", "needs about %1 MB, %2 MB free on %3")
        .arg(megabytes(needed), megabytes(available), QDir::toNativeSeparators(folder));
}

std::optional<QString> refuseIfShort(qint64 needed, const QString &folder)
{
    const qint64 available = bytesAvailableFor(folder);
    if (available < 0 || needed <= available)  // unknown: the write errors will say it
        return std::nullopt;
    return QCoreApplication::translate("services",
               "Not enough disk space: this export %1: free some space or choose another "
               "output folder.")
        .arg(spaceFigures(needed, available, folder));
}

}  // namespace services
