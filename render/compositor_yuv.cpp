// SPDX-License-Identifier: GPL-3.0-or-later
// The compositor's YUV path (see renderYuv in compositor.h and yuv_image.h for why). The
// pictures under everything are scaled plane by plane straight into the encoder's frame:
// a still from its yuv420p copy (converted once), a clip from its decoded planes, with no
// RGB step. The layers over them are drawn with the RGB code into a transparent picture,
// which is converted into a YuvOverlay only when what they draw changes (a headline, a box
// and a logo: twice in 15 s), and blended in over the pixels they cover.
#include "compositor.h"
#include "image_cache.h"
#include "layer_geometry.h"
#include "pixel_memory.h"
#include "scale_blit.h"
#include "video_source.h"

#include <QPainter>

#include <cstring>

namespace render {

struct Compositor::PlaneSource {
    const uint8_t *planes[3] = {};
    int strides[3] = {};
    QSize size;     // luma pixels
    QRectF placed;  // where the whole picture lands on the canvas
};

struct Compositor::YuvState {
    std::vector<size_t> shown, over;
    std::vector<PlaneSource> sources;
    YuvImage scratch;          // a cross-fade's upper picture (allocated at the first one)
    QImage overlayPixels;      // ARGB32_Premultiplied, the canvas size, while building
    YuvOverlay overlay;
    std::vector<double> overlayKey;  // what the overlay was drawn from
    std::vector<double> key;
    bool overlayValid = false;
};

Compositor::Compositor(Composition composition)
    : m_comp(std::move(composition))
{
}

Compositor::~Compositor() = default;

namespace {
// A picture is only scaled on this path down to half its size: below that the RGB path's
// decode or conversion at the drawn size samples better than a bilinear tap pair does.
constexpr double kMinScale = 0.5;

// `image` (RGB32) as yuv420p; an odd edge is repeated to make the size even.
bool convertStill(const QImage &image, YuvImage *out)
{
    if ((image.width() | image.height()) % 2 == 0)
        return toYuv(image, out);
    QImage even = image.copy(0, 0, (image.width() + 1) / 2 * 2, (image.height() + 1) / 2 * 2);
    for (int y = 0; y < even.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(even.scanLine(y));
        const auto *from = reinterpret_cast<const QRgb *>(
            image.constScanLine(std::min(y, image.height() - 1)));
        line[even.width() - 1] = from[image.width() - 1];
        if (y >= image.height())
            std::memcpy(line, from, size_t(image.width()) * 4);
    }
    return toYuv(even, out);
}
}  // namespace

Compositor::YuvDraw Compositor::planeSource(size_t index, int64_t frame, PlaneSource *out,
                                            RenderError *error)
{
    const Layer &layer = m_comp.layers[index];
    QSizeF placedFrom;
    if (layer.kind == LayerKind::Image) {
        auto it = m_images.find(layer.sourcePath);
        if (it == m_images.end())
            return YuvDraw::Unsupported;
        ImageEntry &entry = it->second;
        if (entry.image.isNull()) {
            entry.image = DecodedImageCache::instance().get(layer.sourcePath, entry.drawSize, error);
            if (entry.image.isNull())
                return YuvDraw::Failed;
        }
        if (entry.image.format() != QImage::Format_RGB32 || entry.image.width() < 2
            || entry.image.height() < 2)
            return YuvDraw::Unsupported;
        if (entry.yuv.isNull() && !convertStill(entry.image, &entry.yuv))
            return YuvDraw::Unsupported;
        for (int p = 0; p < 3; ++p) {
            out->planes[p] = entry.yuv.plane(p);
            out->strides[p] = entry.yuv.stride(p);
        }
        out->size = entry.image.size();
        placedFrom = entry.info.size;
    } else if (layer.kind == LayerKind::Video) {
        VideoSource *video = openVideo(index, frame, error);
        if (!video)
            return YuvDraw::Failed;
        const FrameRate fps = m_comp.fps;
        const int64_t num = layer.sourceInNum * fps.num
            + (frame - layer.startFrame) * int64_t(fps.den) * layer.sourceInDen;
        const int64_t den = layer.sourceInDen * fps.num;
        const AVFrame *decoded = video->decodedFrameAt(num, den, error);
        if (!decoded)
            return YuvDraw::Failed;
        if (!video->isEncoderYuv(decoded))
            return YuvDraw::Unsupported;
        for (int p = 0; p < 3; ++p) {
            out->planes[p] = decoded->data[p];
            out->strides[p] = decoded->linesize[p];
        }
        out->size = QSize(decoded->width, decoded->height);
        placedFrom = video->displaySize();
    } else {
        return YuvDraw::Unsupported;
    }
    out->placed = placeSource(layer, placedFrom, frame);
    return YuvDraw::Drawn;
}

bool Compositor::showsNoClip(int64_t index) const
{
    return std::none_of(m_comp.layers.begin(), m_comp.layers.end(), [&](const Layer &layer) {
        return layer.kind == LayerKind::Video && isVisible(layer, index) && !layer.rect.isEmpty();
    });
}

void Compositor::collectShown(int64_t index, std::vector<size_t> *shown) const
{
    shown->clear();
    for (size_t i = 0; i < m_comp.layers.size(); ++i) {
        const Layer &layer = m_comp.layers[i];
        if (isVisible(layer, index) && !layer.rect.isEmpty() && layerOpacity(layer, index) > 0.0)
            shown->push_back(i);
    }
}

bool Compositor::mayBePicture(const Layer &layer, int64_t index) const
{
    return (layer.kind == LayerKind::Image || layer.kind == LayerKind::Video)
        && layer.rect.contains(QRectF(0, 0, m_comp.width, m_comp.height))
        && layerTransform(layer, index).isIdentity();
}

bool Compositor::firstShownMayBePicture(int64_t index) const
{
    // collectShown's test, stopping at the first (called per frame: no list built).
    for (const Layer &layer : m_comp.layers) {
        if (isVisible(layer, index) && !layer.rect.isEmpty() && layerOpacity(layer, index) > 0.0)
            return mayBePicture(layer, index);
    }
    return false;
}

bool Compositor::overlayUnsupported(const std::vector<size_t> &layers, int64_t index) const
{
    return std::any_of(layers.begin(), layers.end(), [&](size_t i) {
        const Layer &layer = m_comp.layers[i];
        if (layer.kind == LayerKind::Video)
            return true;
        // Moving or fading since the frame before (appearing is no change: one new overlay).
        const int64_t before = index - 1;
        if (!isVisible(layer, before) || layer.rect.isEmpty())
            return false;
        if (layerOpacity(layer, before) != layerOpacity(layer, index)
            || layerTransform(layer, before) != layerTransform(layer, index))
            return true;
        if (layer.kind != LayerKind::Image)
            return false;
        const auto it = m_images.find(layer.sourcePath);
        return it != m_images.end()
            && placeSource(layer, it->second.info.size, before)
                   != placeSource(layer, it->second.info.size, index);
    });
}

Compositor::YuvDraw Compositor::renderYuv(int64_t index, YuvImage *target, RenderError *error)
{
    PictureRun run;
    const YuvDraw pictures = drawPictures(index, target, &run, true, error);
    // drawPictures left the layers above the pictures in m_yuv->over, already checked.
    return pictures == YuvDraw::Drawn ? blendOverlay(m_yuv->over, index, target, error) : pictures;
}

Compositor::YuvDraw Compositor::renderYuvPictures(int64_t index, YuvImage *target,
                                                  PictureRun *run, RenderError *error)
{
    return drawPictures(index, target, run, false, error);
}

// `withOverlays`: renderYuv's first step, which gives up before drawing when the layers above
// the pictures will not be drawable.
Compositor::YuvDraw Compositor::drawPictures(int64_t index, YuvImage *target, PictureRun *run,
                                             bool withOverlays, RenderError *error)
{
    *run = PictureRun();
    if (!prepare(error))
        return YuvDraw::Failed;
    if (!target->allocate(m_comp.width, m_comp.height))
        return YuvDraw::Unsupported;
    if (!m_yuv)
        m_yuv = std::make_unique<YuvState>();
    YuvState &s = *m_yuv;
    const QRectF canvas(0, 0, m_comp.width, m_comp.height);
    collectShown(index, &s.shown);
    run->anyShown = !s.shown.empty();
    // The pictures at the bottom that cover the whole canvas, untransformed; drawing starts
    // at the last opaque one (what is under it cannot show).
    s.sources.clear();
    size_t start = SIZE_MAX;
    for (const size_t i : s.shown) {
        const Layer &layer = m_comp.layers[i];
        if (!mayBePicture(layer, index))
            break;
        PlaneSource source;
        const YuvDraw found = planeSource(i, index, &source, error);
        if (found == YuvDraw::Failed)
            return found;
        if (found == YuvDraw::Unsupported || !source.placed.contains(canvas)
            || source.placed.width() < kMinScale * source.size.width()
            || source.placed.height() < kMinScale * source.size.height())
            break;
        if (layerOpacity(layer, index) >= 1.0)
            start = s.sources.size();
        s.sources.push_back(source);
    }
    const size_t pictures = s.sources.size();
    run->pictures = pictures;
    run->closed = pictures < s.shown.size();
    s.over.assign(s.shown.begin() + std::ptrdiff_t(pictures), s.shown.end());
    run->overlaysUnsupported = overlayUnsupported(s.over, index);
    if (withOverlays && run->overlaysUnsupported)
        return YuvDraw::Unsupported;
    if (start == SIZE_MAX || (pictures > start + 1 && !s.scratch.allocate(m_comp.width, m_comp.height)))
        return YuvDraw::Unsupported;
    for (size_t k = start; k < pictures; ++k) {
        const PlaneSource &source = s.sources[k];
        YuvImage *into = k == start ? target : &s.scratch;
        const double sx = source.size.width() / source.placed.width();
        const double sy = source.size.height() / source.placed.height();
        const QRectF part(-source.placed.left() * sx, -source.placed.top() * sy,
                          canvas.width() * sx, canvas.height() * sy);
        for (int p = 0; p < 3; ++p) {
            const bool chroma = p > 0;
            const QSize size = chroma ? QSize((source.size.width() + 1) / 2,
                                              (source.size.height() + 1) / 2)
                                      : source.size;
            const QRectF from = chroma ? QRectF(part.left() / 2, part.top() / 2,
                                                part.width() / 2, part.height() / 2)
                                       : part;
            if (!scalePlane(source.planes[p], source.strides[p], size, from, into->plane(p),
                            into->stride(p), into->planeSize(p), QRect(QPoint(), into->planeSize(p))))
                return YuvDraw::Unsupported;
        }
        if (k != start)
            crossFade(target, s.scratch, layerOpacity(m_comp.layers[s.shown[k]], index));
    }
    return YuvDraw::Drawn;
}

Compositor::YuvDraw Compositor::renderYuvOverlays(int64_t index, size_t pictures,
                                                  YuvImage *target, RenderError *error)
{
    if (!prepare(error))
        return YuvDraw::Failed;
    if (target->width() != m_comp.width || target->height() != m_comp.height)
        return YuvDraw::Unsupported;
    if (!m_yuv)
        m_yuv = std::make_unique<YuvState>();
    YuvState &s = *m_yuv;
    collectShown(index, &s.shown);
    if (pictures > s.shown.size())
        return YuvDraw::Unsupported;
    s.over.assign(s.shown.begin() + std::ptrdiff_t(pictures), s.shown.end());
    if (overlayUnsupported(s.over, index))
        return YuvDraw::Unsupported;
    return blendOverlay(s.over, index, target, error);
}

Compositor::YuvDraw Compositor::blendOverlay(const std::vector<size_t> &layers, int64_t frame,
                                             YuvImage *target, RenderError *error)
{
    YuvState &s = *m_yuv;
    if (layers.empty())
        return YuvDraw::Drawn;
    // What the layers' pixels depend on besides their (fixed) content: which ones show, their
    // opacity, transform and, for pictures, placement.
    s.key.clear();
    for (const size_t i : layers) {
        const Layer &layer = m_comp.layers[i];
        const QTransform t = layerTransform(layer, frame);
        s.key.insert(s.key.end(), {double(i), layerOpacity(layer, frame), t.m11(), t.m12(),
                                   t.m13(), t.m21(), t.m22(), t.m23(), t.m31(), t.m32(), t.m33()});
        if (layer.kind == LayerKind::Image) {
            const auto it = m_images.find(layer.sourcePath);
            const QRectF placed = it == m_images.end()
                ? QRectF() : placeSource(layer, it->second.info.size, frame);
            s.key.insert(s.key.end(), {placed.x(), placed.y(), placed.width(), placed.height()});
        }
    }
    if (!s.overlayValid || s.key != s.overlayKey) {
        s.overlayValid = false;
        if (s.overlayPixels.size() != QSize(m_comp.width, m_comp.height))
            s.overlayPixels = hugePageImage(m_comp.width, m_comp.height,
                                            QImage::Format_ARGB32_Premultiplied);
        if (s.overlayPixels.isNull())
            return YuvDraw::Unsupported;
        s.overlayPixels.fill(Qt::transparent);
        {
            QPainter painter(&s.overlayPixels);
            painter.setRenderHint(QPainter::SmoothPixmapTransform);
            for (const size_t i : layers) {
                if (!drawLayer(painter, i, frame, error))
                    return YuvDraw::Failed;
            }
        }
        s.overlay.build(s.overlayPixels);
        // Rebuilt rarely (when a layer appears, goes or moves): not worth 8 MB a 9:16 cell.
        s.overlayPixels = QImage();
        s.overlayKey = s.key;
        s.overlayValid = true;
    }
    s.overlay.blendOnto(target);
    return YuvDraw::Drawn;
}

}  // namespace render
