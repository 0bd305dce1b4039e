// SPDX-License-Identifier: GPL-3.0-or-later
#include "layer_geometry.h"

#include <algorithm>
#include <cmath>

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

QRectF placeSource(const Layer &layer, QSizeF sourceSize, int64_t frame)
{
    const QSizeF fitted = fittedSize(layer, sourceSize);
    double zoom = 1.0;
    double fx = layer.focusX, fy = layer.focusY;
    if (layer.kenBurns.enabled) {
        const KenBurns &kb = layer.kenBurns;
        const double t = lifetimeProgress(layer, frame);
        zoom = kb.startScale + (kb.endScale - kb.startScale) * t;
        fx = kb.startFocusX + (kb.endFocusX - kb.startFocusX) * t;
        fy = kb.startFocusY + (kb.endFocusY - kb.startFocusY) * t;
    }
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
    return fittedSize(layer, sourceSize) * (zoom * std::max(maxAbsValue(layer.scale), 0.0));
}

}  // namespace render
