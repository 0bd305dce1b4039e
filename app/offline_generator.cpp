// SPDX-License-Identifier: GPL-3.0-or-later
#include "offline_generator.h"

#include "offline_art.h"
#include "offline_audio.h"
#include "file_hash.h"

#include "editor/generation_plan.h"
#include "render/renderer.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QDir>
#include <QImageReader>
#include <QImageWriter>
#include <QPainter>
#include <QRandomGenerator>

#include <algorithm>
#include <cmath>

namespace services {

namespace {
constexpr int kMinSide = 16;
constexpr int kMaxSide = 8192;
constexpr double kMaxVideoSeconds = 120;

QString tr(const char *text) { return QCoreApplication::translate("services", text); }

// Hidden temporary name in workDir; AssetStore renames it to its content hash afterwards.
QString temporaryPath(const QString &workDir, const QString &suffix)
{
    const QString token = QString::number(QRandomGenerator::global()->generate64(), 16);
    return QDir(workDir).filePath(QStringLiteral(".offline-%1.%2").arg(token, suffix));
}

bool checkSize(const editor::GenerationRecipe &r, QString *error)
{
    if (r.width < kMinSide || r.height < kMinSide || r.width > kMaxSide || r.height > kMaxSide) {
        *error = tr("Generated media must be between %1 and %2 pixels a side, got %3x%4.")
                     .arg(kMinSide).arg(kMaxSide).arg(r.width).arg(r.height);
        return false;
    }
    return true;
}

double smoothstep(double x)
{
    x = std::clamp(x, 0.0, 1.0);
    return x * x * (3 - 2 * x);
}

// A slow push-in from one seeded focus point to another, never showing past the source edge.
void paintCameraMove(QPainter &p, const QImage &source, const editor::GenerationRecipe &r,
                     const QSizeF &size, double t, double duration)
{
    offline::Rng rng(offline::sceneSeed(r) ^ 0xca3e7au);
    const QPointF from(rng.range(0.4, 0.6), rng.range(0.4, 0.6));
    const QPointF to(rng.range(0.35, 0.65), rng.range(0.35, 0.65));
    const double k = smoothstep(duration > 0 ? t / duration : 0);
    const double zoom = 1.05 + 0.2 * k;
    const QPointF focus = from + (to - from) * k;
    const double sw = source.width(), sh = source.height();
    const double scale = std::max(size.width() / sw, size.height() / sh) * zoom;
    const double vw = size.width() / scale, vh = size.height() / scale;
    const double cx = std::clamp(focus.x() * sw, vw / 2, sw - vw / 2);
    const double cy = std::clamp(focus.y() * sh, vh / 2, sh - vh / 2);
    p.setRenderHint(QPainter::SmoothPixmapTransform, true);
    p.drawImage(QRectF(QPointF(0, 0), size), source, QRectF(cx - vw / 2, cy - vh / 2, vw, vh));
}

void paintVideoFrame(QImage &frame, const offline::Scene &scene, const QImage &source,
                     const editor::GenerationRecipe &r, double t)
{
    QPainter p(&frame);
    const QSizeF size(frame.width(), frame.height());
    if (source.isNull()) {
        offline::paintScene(p, scene, size, t);
    } else {
        paintCameraMove(p, source, r, size, t, r.duration.toDouble());
        offline::paintOverlay(p, scene, size, t);
    }
}

QImage loadSource(const QString &path, QString *error)
{
    QImageReader reader(path);
    reader.setAutoTransform(true);
    QImage image = reader.read();
    if (image.isNull())
        *error = tr("Cannot read the source image %1: %2")
                     .arg(QDir::toNativeSeparators(path), reader.errorString());
    return image;
}

bool encodeVideo(const editor::GenerationRecipe &r, const QString &sourcePath,
                 const QString &outputPath, const std::atomic<bool> *cancel, QString *error,
                 bool *cancelled)
{
    if (!checkSize(r, error))
        return false;
    const double seconds = r.duration.toDouble();
    if (!(seconds > 0) || seconds > kMaxVideoSeconds || r.fps.num() <= 0 || r.fps.num() > 240
        || r.fps.den() > 1001) {
        *error = tr("Video needs a duration between 0 and %1 seconds and a sane frame rate, got %2 s at %3 fps.")
                     .arg(kMaxVideoSeconds).arg(r.duration.toString(), r.fps.toString());
        return false;
    }
    QImage source;
    if (!sourcePath.isEmpty()) {
        source = loadSource(sourcePath, error);
        if (source.isNull())
            return false;
    }
    // yuv420p needs even dimensions.
    const int width = r.width & ~1, height = r.height & ~1;
    const render::FrameRate fps{int(r.fps.num()), int(r.fps.den())};
    const int64_t frames = std::max<int64_t>(1, r.duration.toFrames(r.fps));
    const offline::Scene scene = offline::makeScene(r, true);

    render::EncodeSettings settings;
    settings.crf = 20;
    render::VideoWriter writer;
    render::RenderError err;
    if (!writer.open(outputPath, width, height, fps, settings, false, &err)) {
        *error = err.message;
        return false;
    }
    QImage frame(width, height, QImage::Format_RGB32);
    for (int64_t i = 0; i < frames; ++i) {
        if (cancel && cancel->load()) {
            writer.abort();
            *cancelled = true;
            return false;
        }
        paintVideoFrame(frame, scene, source, r, double(i) * fps.den / fps.num);
        if (!writer.writeFrame(frame, &err)) {
            writer.abort();
            *error = err.message;
            return false;
        }
    }
    if (!writer.finish(&err)) {
        *error = err.message;
        return false;
    }
    return true;
}
}  // namespace

QImage OfflineGenerator::renderImage(const editor::GenerationRecipe &recipe, QString *error)
{
    QString message;
    if (!checkSize(recipe, &message)) {
        if (error)
            *error = message;
        return {};
    }
    QImage image(recipe.width, recipe.height, QImage::Format_RGB32);
    image.fill(Qt::black);
    QPainter p(&image);
    offline::paintScene(p, offline::makeScene(recipe, false), QSizeF(image.size()), 0.0);
    return image;
}

QImage OfflineGenerator::renderVideoFrame(const editor::GenerationRecipe &recipe,
                                          const QImage &source, double seconds)
{
    QImage frame(recipe.width & ~1, recipe.height & ~1, QImage::Format_RGB32);
    frame.fill(Qt::black);
    paintVideoFrame(frame, offline::makeScene(recipe, true), source, recipe, seconds);
    return frame;
}

QByteArray OfflineGenerator::synthesizeAudio(const editor::GenerationRecipe &recipe,
                                             const std::atomic<bool> *cancel, QString *error)
{
    return offline::synthesizeMusicWav(recipe, cancel, error);
}

GenerationResult OfflineGenerator::generate(const editor::GenerationRecipe &recipe,
                                            const GenerationInputs &inputs,
                                            const QString &workDir,
                                            const GenerationContext &context)
{
    const std::atomic<bool> *cancel = context.cancel;
    GenerationResult result;
    if (cancel && cancel->load()) {
        result.cancelled = true;
        return result;
    }
    if (!QDir().mkpath(workDir)) {
        result.error = tr("Cannot create the folder %1.").arg(QDir::toNativeSeparators(workDir));
        return result;
    }
    result.requestRecordId = QStringLiteral("offline-") + editor::recipeHash(recipe).left(16);
    QString path;
    switch (recipe.kind) {
    case editor::AssetKind::Image: {
        result.suffix = QStringLiteral("png");
        const QImage image = renderImage(recipe, &result.error);
        if (image.isNull())
            return result;
        QByteArray png;
        QBuffer buffer(&png);
        buffer.open(QIODevice::WriteOnly);
        QImageWriter writer(&buffer, "png");
        if (!writer.write(image)) {
            result.error = tr("Cannot encode the PNG: %1").arg(writer.errorString());
            return result;
        }
        path = temporaryPath(workDir, result.suffix);
        if (!writeFileAtomically(path, png, &result.error))
            return result;
        break;
    }
    case editor::AssetKind::Audio: {
        result.suffix = QStringLiteral("wav");
        const QByteArray wav = synthesizeAudio(recipe, cancel, &result.error);
        if (wav.isEmpty()) {
            result.cancelled = result.error.isEmpty();
            return result;
        }
        path = temporaryPath(workDir, result.suffix);
        if (!writeFileAtomically(path, wav, &result.error))
            return result;
        break;
    }
    case editor::AssetKind::Video: {
        result.suffix = QStringLiteral("mp4");
        path = temporaryPath(workDir, result.suffix);
        if (!encodeVideo(recipe, inputs.sourcePath, path, cancel, &result.error,
                         &result.cancelled))
            return result;
        break;
    }
    }
    result.filePath = path;
    return result;
}

}  // namespace services
