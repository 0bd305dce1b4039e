// SPDX-License-Identifier: GPL-3.0-or-later
#include "preview_proxy.h"

#include <QCoreApplication>
#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>

#include <algorithm>
#include <cmath>

namespace services {

namespace {
// Bump when the proxy recipe changes so old proxies are not reused.
constexpr int kProxyRecipeVersion = 1;

int even(double v)
{
    return std::max(2, int(std::lround(v / 2.0)) * 2);
}
}  // namespace

QString previewProxyPath(const QString &cacheDir, const QString &sourcePath, int maxSide)
{
    const QFileInfo info(sourcePath);
    if (cacheDir.isEmpty() || !info.isFile())
        return {};
    const QString identity = QStringLiteral("%1\n%2\n%3\n%4\n%5")
                                 .arg(info.absoluteFilePath())
                                 .arg(info.size())
                                 .arg(info.lastModified().toMSecsSinceEpoch())
                                 .arg(maxSide)
                                 .arg(kProxyRecipeVersion);
    const QByteArray hash =
        QCryptographicHash::hash(identity.toUtf8(), QCryptographicHash::Sha256).toHex().left(32);
    return QDir(cacheDir).filePath(QString::fromLatin1(hash) + QStringLiteral(".mp4"));
}

bool makePreviewProxy(const QString &sourcePath, const QString &proxyPath, int maxSide,
                      const render::CancelFlag *cancel, QString *error)
{
    const render::MediaInfo info = render::probeMedia(sourcePath);
    if (info.error) {
        if (error)
            *error = info.error.message;
        return false;
    }
    if (info.width <= 0 || info.height <= 0 || info.fps.num <= 0 || info.videoFrames <= 0) {
        if (error)
            *error = QCoreApplication::translate("services", "\"%1\" has no video frames to proxy.")
                         .arg(sourcePath);
        return false;
    }
    // The preview draws a source cover-fitted into a frame whose longer side is maxSide, so the
    // source's shorter side is drawn at most maxSide tall (or wide); never scale up.
    const double scale = std::min(1.0, double(maxSide) / std::min(info.width, info.height));
    render::Composition c;
    c.width = even(info.width * scale);
    c.height = even(info.height * scale);
    c.fps = info.fps;
    c.frameCount = info.videoFrames;
    c.label = QStringLiteral("preview proxy");
    render::Layer layer;
    layer.kind = render::LayerKind::Video;
    layer.id = QStringLiteral("source");
    layer.sourcePath = sourcePath;
    layer.startFrame = 0;
    layer.endFrame = c.frameCount;
    layer.rect = QRectF(0, 0, c.width, c.height);
    layer.fit = render::Fit::Stretch;
    c.layers.push_back(layer);
    c.encode.x264Preset = QStringLiteral("ultrafast");
    c.encode.crf = 16;
    c.encode.threads = 1;         // a background job next to the preview and maybe an export
    c.encode.keyframeInterval = 1;

    QDir().mkpath(QFileInfo(proxyPath).absolutePath());
    render::FrameRenderer renderer(c);
    render::VideoWriter writer;
    render::RenderError renderError;
    auto failed = [&] {
        writer.abort();
        if (error)
            *error = renderError.message;
        return false;
    };
    if (!writer.open(proxyPath, c.width, c.height, c.fps, c.encode, false, &renderError))
        return failed();
    for (int64_t frame = 0; frame < c.frameCount; ++frame) {
        if (cancel && cancel->load()) {
            renderError.kind = render::ErrorKind::Cancelled;
            renderError.message = QCoreApplication::translate("services", "Cancelled.");
            return failed();
        }
        const QImage image = renderer.renderFrame(frame, &renderError);
        if (image.isNull() || !writer.writeFrame(image, &renderError))
            return failed();
    }
    if (!writer.finish(&renderError))
        return failed();
    return true;
}

}  // namespace services
