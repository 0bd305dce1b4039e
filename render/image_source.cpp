// SPDX-License-Identifier: GPL-3.0-or-later
#include "image_source.h"
#include "ffmpeg/input.h"  // checkSourceFile
#include "pixel_memory.h"

#include <QCoreApplication>
#include <QImageReader>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>

#include <algorithm>
#include <cmath>
#include <mutex>

namespace render {

namespace {
bool isVector(const QImageReader &reader)
{
    const QByteArray format = reader.format().toLower();
    return format == "svg" || format == "svgz";
}

QSize orientedSize(const QImageReader &reader)
{
    QSize size = reader.size();
    if (reader.transformation() & QImageIOHandler::TransformationRotate90)
        size.transpose();
    return size;
}

bool fitsAllocationLimit(QSize size)
{
    const int limitMb = QImageReader::allocationLimit();
    if (limitMb <= 0)
        return true;
    return double(size.width()) * size.height() * 4.0 <= double(limitMb) * 1024.0 * 1024.0;
}

bool tooLarge(const QString &path, QSize size, RenderError *error)
{
    if (error) {
        error->kind = ErrorKind::InvalidInput;
        error->message = QCoreApplication::translate("render",
                             "The image \"%1\" is %2×%3 pixels, more than the %4 MB a picture "
                             "may take when decoded. Scale it down (4096 pixels on the long "
                             "side is plenty) and relink it.")
                             .arg(path).arg(size.width()).arg(size.height())
                             .arg(QImageReader::allocationLimit());
    }
    return false;
}

bool unreadable(const QString &path, const QString &reason, RenderError *error)
{
    if (error) {
        error->kind = ErrorKind::InvalidInput;
        error->message = QCoreApplication::translate("render",
                             "Cannot read the image \"%1\" (%2). Re-export it as PNG or JPEG.")
                             .arg(path, reason);
    }
    return false;
}
}  // namespace

bool probeImage(const QString &path, ImageInfo *info, RenderError *error)
{
    if (!ff::checkSourceFile(path, QCoreApplication::translate("render", "image"), error))
        return false;
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize size = orientedSize(reader);
    if (!reader.canRead() || !size.isValid() || size.isEmpty())
        return unreadable(path, reader.errorString(), error);
    info->vector = isVector(reader);
    info->size = QSizeF(size);
    // A vector image is rasterised at the drawn size, so its default size is no limit.
    if (!info->vector && !fitsAllocationLimit(size))
        return tooLarge(path, size, error);
    return true;
}

QImage downscaleArea(const QImage &source, QSize size)
{
    Q_ASSERT(source.depth() == 32);
    // Debian's OpenCV parallelises through TBB; next to libx264's threads and the export
    // pipeline that oversubscribes two cores, and one resize per still is cheap anyway.
    static std::once_flag singleThreaded;
    std::call_once(singleThreaded, [] { cv::setNumThreads(1); });
    QImage out(size, source.format());
    if (out.isNull())
        return {};
    // Both Mats borrow the QImage pixel buffers: no copy in or out.
    const cv::Mat src(source.height(), source.width(), CV_8UC4,
                      const_cast<uchar *>(source.constBits()), size_t(source.bytesPerLine()));
    cv::Mat dst(out.height(), out.width(), CV_8UC4, out.bits(), size_t(out.bytesPerLine()));
    cv::resize(src, dst, dst.size(), 0, 0, cv::INTER_AREA);
    return out;
}

QImage loadImage(const QString &path, QSize drawSize, RenderError *error)
{
    if (!ff::checkSourceFile(path, QCoreApplication::translate("render", "image"), error))
        return {};
    QImageReader reader(path);
    reader.setAutoTransform(true);
    const QSize native = orientedSize(reader);
    if (!native.isValid() || native.isEmpty()) {
        unreadable(path, reader.errorString(), error);
        return {};
    }
    const bool vector = isVector(reader);
    if (vector && drawSize.isValid() && !drawSize.isEmpty()) {
        const QSize target(std::min(drawSize.width(), 8192), std::min(drawSize.height(), 8192));
        if (!fitsAllocationLimit(target)) {
            tooLarge(path, target, error);
            return {};
        }
        reader.setScaledSize(target);
    } else if (!fitsAllocationLimit(native)) {
        tooLarge(path, native, error);
        return {};
    }
    QImage image;
    // Decoded straight into huge pages where Qt reads into a given picture as it is (its
    // format, no turning) and keeps it in the format drawn; otherwise Qt allocates.
    const QImage::Format format = reader.imageFormat();
    if (!vector && reader.transformation() == QImageIOHandler::TransformationNone
        && (format == QImage::Format_RGB32 || format == QImage::Format_ARGB32_Premultiplied))
        image = hugePageImage(native.width(), native.height(), format);
    if (!reader.read(&image))
        image = QImage();
    if (image.isNull()) {
        unreadable(path, reader.errorString(), error);
        return {};
    }
    image = image.hasAlphaChannel()
        ? std::move(image).convertToFormat(QImage::Format_ARGB32_Premultiplied)
        : std::move(image).convertToFormat(QImage::Format_RGB32);
    if (vector)
        return image;
    return scaledForDrawing(image, path, drawSize, error);
}

QSize rasterSizeForDrawing(QSize natural, QSize drawSize)
{
    if (!drawSize.isValid() || drawSize.isEmpty())
        return natural;
    return {std::min(natural.width(), std::max(1, drawSize.width())),
            std::min(natural.height(), std::max(1, drawSize.height()))};
}

QImage scaledForDrawing(const QImage &decoded, const QString &path, QSize drawSize,
                        RenderError *error)
{
    const QSize target = rasterSizeForDrawing(decoded.size(), drawSize);
    if (target == decoded.size())
        return decoded;
    QImage scaled = downscaleArea(decoded, target);
    if (scaled.isNull()) {
        unreadable(path, QCoreApplication::translate("render", "out of memory"), error);
        return {};
    }
    return scaled;
}

}  // namespace render
