// SPDX-License-Identifier: GPL-3.0-or-later
#include "compositor.h"
#include "image_cache.h"
#include "ffmpeg/input.h"
#include "layer_geometry.h"
#include "scale_blit.h"
#include "validate.h"
#include "video_source.h"

#include <QCoreApplication>
#include <QGuiApplication>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace render {

namespace {
QSize ceilSize(QSizeF s)
{
    return QSize(std::max(1, int(std::ceil(s.width() - 1e-6))),
                 std::max(1, int(std::ceil(s.height() - 1e-6))));
}

bool isWhole(double v) { return std::abs(v - std::round(v)) < 1e-6; }

// The canvas `painter` draws on, when an opaque picture drawn through it at full opacity
// with no transform or clip would simply replace the pixels it covers.
QImage *plainCanvas(QPainter &painter)
{
    QPaintDevice *device = painter.device();
    if (!device || device->devType() != QInternal::Image || painter.opacity() < 1.0
        || !painter.transform().isIdentity() || painter.hasClipping()
        || painter.compositionMode() != QPainter::CompositionMode_SourceOver)
        return nullptr;
    return static_cast<QImage *>(device);
}

// Draws the part of `image` that falls inside the layer rect, with `image` mapped onto
// `placed` (layer coordinates). Clipping by arithmetic instead of a clip region keeps the
// raster engine on its fast scaled-blit path. An opaque picture covering whole pixels at
// full opacity (a full-frame still or clip, most frames of an ad) goes through
// scaleBlitOpaque instead: the same sampling in well under the time QPainter took (a clip
// scaled up to 9:16, a Ken Burns still; figures in bench/README.md), without QPainter's
// thread pool.
// `image` may be only a part of the picture mapped onto `placed`: the part of a `whole`-pixel
// picture starting at `partOffset` (a clip converted only where it shows).
void drawClipped(QPainter &painter, const Layer &layer, const QImage &image, const QRectF &placed,
                 QSize whole = QSize(), QPoint partOffset = QPoint())
{
    QRectF visible = placed.intersected(layer.rect);
    if (visible.isEmpty() || placed.isEmpty())
        return;
    if (whole.isEmpty())
        whole = image.size();
    const double sx = whole.width() / placed.width();
    const double sy = whole.height() / placed.height();
    const auto sourceOf = [&](const QRectF &v) {
        return QRectF((v.left() - placed.left()) * sx - partOffset.x(),
                      (v.top() - placed.top()) * sy - partOffset.y(), v.width() * sx,
                      v.height() * sy);
    };
    if (QImage *canvas = image.format() == QImage::Format_RGB32 ? plainCanvas(painter) : nullptr) {
        visible = visible.intersected(QRectF(canvas->rect()));
        if (visible.isEmpty())
            return;
        if (isWhole(visible.left()) && isWhole(visible.top()) && isWhole(visible.right())
            && isWhole(visible.bottom())
            && scaleBlitOpaque(image, sourceOf(visible), canvas, visible.toRect()))
            return;
    }
    painter.drawImage(visible, image, sourceOf(visible));
}
// The pixels of a `size` picture placed at `placed` that show inside `clip`, widened by two
// pixels on each side for the sampling's neighbours.
QRect visiblePart(const QRectF &placed, const QRectF &clip, QSize size)
{
    const QRectF visible = placed.intersected(clip);
    if (visible.isEmpty() || placed.isEmpty())
        return {};
    const double sx = size.width() / placed.width();
    const double sy = size.height() / placed.height();
    constexpr double kMargin = 2.0;
    const int left = std::max(0, int(std::floor((visible.left() - placed.left()) * sx - kMargin)));
    const int top = std::max(0, int(std::floor((visible.top() - placed.top()) * sy - kMargin)));
    const int right = std::min(size.width(),
                               int(std::ceil((visible.right() - placed.left()) * sx + kMargin)));
    const int bottom = std::min(size.height(),
                                int(std::ceil((visible.bottom() - placed.top()) * sy + kMargin)));
    return right > left && bottom > top ? QRect(left, top, right - left, bottom - top) : QRect();
}
}  // namespace

// The constructor and destructor are in compositor_yuv.cpp, where YuvState is complete.

bool Compositor::prepare(RenderError *error)
{
    if (m_prepared)
        return true;
    if (!validateComposition(m_comp, error))
        return false;
    m_layers.clear();
    m_layers.resize(m_comp.layers.size());
    m_images.clear();
    bool hasText = false;
    for (const Layer &layer : m_comp.layers) {
        switch (layer.kind) {
        case LayerKind::Image: {
            auto it = m_images.find(layer.sourcePath);
            if (it == m_images.end()) {
                ImageEntry entry;
                if (!probeImage(layer.sourcePath, &entry.info, error))
                    return false;
                it = m_images.emplace(layer.sourcePath, std::move(entry)).first;
            }
            ImageEntry &entry = it->second;
            entry.drawSize = entry.drawSize.expandedTo(ceilSize(maxDrawSize(layer, entry.info.size)));
            entry.lastEnd = std::max(entry.lastEnd, layer.endFrame);
            break;
        }
        case LayerKind::Video:
            if (!ff::checkSourceFile(layer.sourcePath,
                                     QCoreApplication::translate("render", "video"), error))
                return false;
            break;
        case LayerKind::Text:
            hasText = hasText || layer.endFrame > layer.startFrame;
            break;
        case LayerKind::Solid:
            break;
        }
    }
    if (hasText) {
        // Fonts come from files via QFontDatabase, which needs a GUI application object.
        if (!qobject_cast<QGuiApplication *>(QCoreApplication::instance())) {
            if (error) {
                error->kind = ErrorKind::Internal;
                error->message = QCoreApplication::translate("render",
                                     "Text layers need a QGuiApplication (use the offscreen "
                                     "platform for batch rendering).");
            }
            return false;
        }
        QString fontError;
        if (!loadRenderFonts(&fontError)) {
            if (error) {
                error->kind = ErrorKind::Internal;
                error->message = fontError;
            }
            return false;
        }
    }
    m_prepared = true;
    return true;
}

bool Compositor::render(int64_t index, QImage *target, RenderError *error)
{
    if (!prepare(error))
        return false;
    Q_ASSERT(target && target->size() == QSize(m_comp.width, m_comp.height));
    if (!bottomLayerCoversCanvas(index))
        target->fill(m_comp.background.rgb());
    return renderOver(index, target, error);
}

// Whether the first layer drawn at `frame` paints every pixel of the canvas opaquely, so a
// background fill under it would only be painted over (most frames of an ad: a full-frame
// picture or clip; the fill is 8 MB of writes per 9:16 frame). Only pixels known now count:
// an image already loaded without alpha, a clip already open.
bool Compositor::bottomLayerCoversCanvas(int64_t frame) const
{
    const QRectF canvas(0, 0, m_comp.width, m_comp.height);
    for (size_t i = 0; i < m_comp.layers.size(); ++i) {
        const Layer &layer = m_comp.layers[i];
        const double opacity = isVisible(layer, frame) && !layer.rect.isEmpty()
            ? layerOpacity(layer, frame) : 0.0;
        if (opacity <= 0.0)
            continue;  // draws nothing (drawLayer skips it): the next layer is the bottom one
        if (opacity < 1.0 || !layer.rect.contains(canvas)
            || !layerTransform(layer, frame).isIdentity())
            return false;
        QSizeF sourceSize;
        if (layer.kind == LayerKind::Image) {
            const auto it = m_images.find(layer.sourcePath);
            if (it == m_images.end() || it->second.image.isNull()
                || it->second.image.hasAlphaChannel())
                return false;
            sourceSize = it->second.info.size;
        } else if (layer.kind == LayerKind::Video && m_layers[i].video) {
            sourceSize = m_layers[i].video->displaySize();  // converted to opaque RGB32
        } else {
            return false;
        }
        return placeSource(layer, sourceSize, frame).contains(canvas);
    }
    return false;
}

bool Compositor::anyVisible(int64_t index) const
{
    return std::any_of(m_comp.layers.begin(), m_comp.layers.end(), [&](const Layer &layer) {
        return isVisible(layer, index) && !layer.rect.isEmpty();
    });
}

bool Compositor::renderOver(int64_t index, QImage *target, RenderError *error)
{
    if (!prepare(error))
        return false;
    Q_ASSERT(target && target->size() == QSize(m_comp.width, m_comp.height));
    QPainter painter(target);
    painter.setRenderHint(QPainter::SmoothPixmapTransform);
    for (size_t i = 0; i < m_comp.layers.size(); ++i) {
        if (!drawLayer(painter, i, index, error))
            return false;
    }
    return true;
}

bool Compositor::drawLayer(QPainter &painter, size_t index, int64_t frame, RenderError *error)
{
    const Layer &layer = m_comp.layers[index];
    if (!isVisible(layer, frame) || layer.rect.isEmpty())
        return true;
    const double opacity = layerOpacity(layer, frame);
    if (opacity <= 0.0)
        return true;
    painter.setOpacity(opacity);
    painter.setTransform(layerTransform(layer, frame));
    switch (layer.kind) {
    case LayerKind::Solid:
        painter.fillRect(layer.rect, layer.solidColor);
        return true;
    case LayerKind::Text:
        drawText(painter, index);
        return true;
    case LayerKind::Image:
        return drawImageLayer(painter, layer, frame, error);
    case LayerKind::Video:
        return drawVideoLayer(painter, index, frame, error);
    }
    return true;
}

bool Compositor::drawImageLayer(QPainter &painter, const Layer &layer, int64_t frame,
                                RenderError *error)
{
    auto it = m_images.find(layer.sourcePath);
    if (it == m_images.end())
        return true;
    ImageEntry &entry = it->second;
    if (entry.image.isNull()) {
        entry.image = DecodedImageCache::instance().get(layer.sourcePath, entry.drawSize, error);
        if (entry.image.isNull())
            return false;
    }
    drawClipped(painter, layer, entry.image, placeSource(layer, entry.info.size, frame));
    return true;
}

VideoSource *Compositor::openVideo(size_t index, int64_t frame, RenderError *error)
{
    LayerState &state = m_layers[index];
    state.lastUse = ++m_useCounter;
    if (state.video)
        return state.video.get();
    // Bound the open decoders: close the least recently used one not showing on this frame.
    int open = 0;
    LayerState *oldest = nullptr;
    for (size_t i = 0; i < m_layers.size(); ++i) {
        LayerState &other = m_layers[i];
        if (!other.video)
            continue;
        ++open;
        if (!isVisible(m_comp.layers[i], frame) && (!oldest || other.lastUse < oldest->lastUse))
            oldest = &other;
    }
    if (open >= kMaxOpenVideos && oldest)
        oldest->video.reset();
    auto video = std::make_unique<VideoSource>();
    if (!video->open(m_comp.layers[index].sourcePath, m_decoderThreads, error))
        return nullptr;
    state.video = std::move(video);
    return state.video.get();
}

bool Compositor::drawVideoLayer(QPainter &painter, size_t index, int64_t frame, RenderError *error)
{
    const Layer &layer = m_comp.layers[index];
    VideoSource *video = openVideo(index, frame, error);
    if (!video)
        return false;
    const QSizeF display = video->displaySize();
    // Convert straight to the drawn size, never above the display size.
    const QSizeF drawn = maxDrawSize(layer, display);
    const QSize outSize = ceilSize(QSizeF(std::min(drawn.width(), display.width()),
                                          std::min(drawn.height(), display.height())));
    // Source time = in-point + elapsed composition time, as one exact ratio.
    const FrameRate fps = m_comp.fps;
    const int64_t num = layer.sourceInNum * fps.num
        + (frame - layer.startFrame) * int64_t(fps.den) * layer.sourceInDen;
    const int64_t den = layer.sourceInDen * fps.num;
    const QRectF placed = placeSource(layer, display, frame);
    // Converting only what shows is the same pixels (the part keeps two pixels around the
    // visible ones for the bilinear neighbours) for less work; only at 1:1, untransformed.
    QRect part;
    if (m_convertVisibleOnly && outSize == video->codedSize() && painter.transform().isIdentity())
        part = visiblePart(placed, layer.rect.intersected(QRectF(0, 0, m_comp.width, m_comp.height)),
                           outSize);
    const QImage image = video->frameAt(num, den, outSize, error, part);
    if (image.isNull())
        return false;
    const QRect converted = video->convertedPart();
    if (converted.size() == image.size() && converted.size() != outSize)
        drawClipped(painter, layer, image, placed, outSize, converted.topLeft());
    else
        drawClipped(painter, layer, image, placed);
    return true;
}

void Compositor::drawText(QPainter &painter, size_t index)
{
    LayerState &state = m_layers[index];
    if (!state.textReady) {
        state.text = rasterizeText(m_comp.layers[index]);
        state.textReady = true;
    }
    if (!state.text.image.isNull())
        painter.drawImage(state.text.topLeft, state.text.image);
}

void Compositor::releaseBefore(int64_t frame)
{
    for (size_t i = 0; i < m_layers.size(); ++i) {
        if (m_comp.layers[i].endFrame > frame)
            continue;
        m_layers[i].video.reset();
        m_layers[i].text = TextRaster();
        m_layers[i].textReady = false;
    }
    for (auto &[path, entry] : m_images) {
        if (entry.lastEnd <= frame) {
            entry.image = QImage();
            entry.yuv = YuvImage();
        }
    }
}

}  // namespace render
