// SPDX-License-Identifier: GPL-3.0-or-later
#include "layer_geometry.h"

#include <algorithm>
#include <cmath>
#include <iterator>

namespace render {

namespace {
QSizeF fittedSize(const Layer &layer, QSizeF source)
{
    const QRectF &r = layer.rect;
    if (source.width() <= 0 || source.height() <= 0)
        return {};
    const double kx = r.width() / source.width();
    const double ky = r.height() / source.height();
    switch (layer.fit) {
    case Fit::Cover: {
        const double k = std::max(kx, ky);
        return source * k;
    }
    case Fit::Contain: {
        const double k = std::min(kx, ky);
        return source * k;
    }
    case Fit::Stretch:
        return r.size();
    }
    return r.size();
}

// The whole source's size when `window` (fractions of it) is scaled to cover the rect.
QSizeF croppedSize(const Layer &layer, QSizeF source, QRectF window)
{
    const QSizeF part(source.width() * window.width(), source.height() * window.height());
    if (part.width() <= 0 || part.height() <= 0)
        return {};
    const double k = std::max(layer.rect.width() / part.width(), layer.rect.height() / part.height());
    return source * k;
}

// 0 at the first visible frame, 1 at the last, linear in between.
double lifetimeProgress(const Layer &layer, int64_t frame)
{
    const int64_t span = layer.endFrame - layer.startFrame - 1;
    if (span <= 0)
        return 0.0;
    return std::clamp(double(frame - layer.startFrame) / double(span), 0.0, 1.0);
}

// Position along one axis so the focus point sits at the centre, without uncovering the rect
// when the picture is large enough to cover it, centred when it is not.
double placeAxis(double rectStart, double rectLength, double drawn, double focus)
{
    const double centre = rectStart + rectLength / 2.0;
    if (drawn < rectLength)
        return centre - drawn / 2.0;
    const double pos = centre - focus * drawn;
    return std::clamp(pos, rectStart + rectLength - drawn, rectStart);
}
}  // namespace

double maxAbsValue(const AnimatedValue &value)
{
    if (value.keys.empty())
        return std::abs(value.constant);
    double m = 0.0;
    for (const Keyframe &k : value.keys)
        m = std::max(m, std::abs(k.value));
    return m;
}

double layerOpacity(const Layer &layer, int64_t frame)
{
    double opacity = layer.opacity.at(frame);
    if (layer.fadeInFrames > 0)
        opacity *= std::clamp(double(frame - layer.startFrame) / double(layer.fadeInFrames), 0.0, 1.0);
    if (layer.fadeOutFrames > 0)
        opacity *= std::clamp(double(layer.endFrame - frame) / double(layer.fadeOutFrames), 0.0, 1.0);
    return std::clamp(opacity, 0.0, 1.0);
}

QTransform layerTransform(const Layer &layer, int64_t frame)
{
    const double s = layer.scale.at(frame);
    const double ox = layer.offsetX.at(frame);
    const double oy = layer.offsetY.at(frame);
    if (s == 1.0 && ox == 0.0 && oy == 0.0)
        return {};
    const QPointF c = layer.rect.center();
    QTransform t;
    t.translate(c.x() + ox, c.y() + oy);
    t.scale(s, s);
    t.translate(-c.x(), -c.y());
    return t;
}

QRectF sourceCropAt(const Layer &layer, int64_t frame)
{
    const std::vector<CropKeyframe> &keys = layer.sourceCrop;
    if (keys.empty())
        return QRectF(0, 0, 1, 1);
    if (frame <= keys.front().frame)
        return keys.front().window;
    const auto next = std::lower_bound(keys.begin(), keys.end(), frame,
                                       [](const CropKeyframe &k, int64_t f) { return k.frame < f; });
    if (next == keys.end())
        return keys.back().window;
    const CropKeyframe &a = *std::prev(next);
    const CropKeyframe &b = *next;
    const double t = double(frame - a.frame) / double(b.frame - a.frame);
    auto mix = [t](double p, double q) { return p + (q - p) * t; };
    return QRectF(mix(a.window.x(), b.window.x()), mix(a.window.y(), b.window.y()),
                  mix(a.window.width(), b.window.width()),
                  mix(a.window.height(), b.window.height()));
}

QRectF placeSource(const Layer &layer, QSizeF sourceSize, int64_t frame)
{
    double zoom = 1.0;
    double fx = layer.focusX, fy = layer.focusY;
    if (layer.kenBurns.enabled) {
        const KenBurns &kb = layer.kenBurns;
        const double t = lifetimeProgress(layer, frame);
        zoom = kb.startScale + (kb.endScale - kb.startScale) * t;
        fx = kb.startFocusX + (kb.endFocusX - kb.startFocusX) * t;
        fy = kb.startFocusY + (kb.endFocusY - kb.startFocusY) * t;
    }
    if (!layer.sourceCrop.empty()) {
        // The window covers the rect, its centre on the rect's centre; the source around it
        // overflows the rect and is clipped by the caller.
        const QRectF window = sourceCropAt(layer, frame);
        const QSizeF drawn = croppedSize(layer, sourceSize, window) * std::max(zoom, 0.0);
        const QPointF centre = layer.rect.center();
        return QRectF(centre.x() - window.center().x() * drawn.width(),
                      centre.y() - window.center().y() * drawn.height(), drawn.width(),
                      drawn.height());
    }
    const QSizeF fitted = fittedSize(layer, sourceSize);
    const QSizeF drawn = fitted * std::max(zoom, 0.0);
    const QRectF &r = layer.rect;
    return QRectF(placeAxis(r.left(), r.width(), drawn.width(), std::clamp(fx, 0.0, 1.0)),
                  placeAxis(r.top(), r.height(), drawn.height(), std::clamp(fy, 0.0, 1.0)),
                  drawn.width(), drawn.height());
}

QSizeF maxDrawSize(const Layer &layer, QSizeF sourceSize)
{
    double zoom = 1.0;
    if (layer.kenBurns.enabled)
        zoom = std::max(layer.kenBurns.startScale, layer.kenBurns.endScale);
    QSizeF base = layer.sourceCrop.empty() ? fittedSize(layer, sourceSize) : QSizeF();
    for (const CropKeyframe &key : layer.sourceCrop)  // the tightest window draws largest
        base = base.expandedTo(croppedSize(layer, sourceSize, key.window));
    return base * (zoom * std::max(maxAbsValue(layer.scale), 0.0));
}

}  // namespace render
