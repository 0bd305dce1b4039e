// SPDX-License-Identifier: GPL-3.0-or-later
#include "composition.h"
#include "renderer.h"
#include "validate.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>

namespace render {

double AnimatedValue::at(int64_t frame) const
{
    if (keys.empty())
        return constant;
    if (frame <= keys.front().frame)
        return keys.front().value;
    if (frame >= keys.back().frame)
        return keys.back().value;
    // First key strictly after `frame`; the one before it is <= frame.
    const auto next = std::upper_bound(keys.begin(), keys.end(), frame,
                                       [](int64_t f, const Keyframe &k) { return f < k.frame; });
    const auto prev = next - 1;
    const double t = double(frame - prev->frame) / double(next->frame - prev->frame);
    return prev->value + (next->value - prev->value) * t;
}

namespace {
AnimatedValue scaledValue(AnimatedValue v, double factor)
{
    v.constant *= factor;
    for (Keyframe &k : v.keys)
        k.value *= factor;
    return v;
}
}  // namespace

Composition scaledComposition(const Composition &c, double factor)
{
    Composition out = c;
    if (!(factor > 0.0) || factor == 1.0)
        return out;
    out.width = std::max(1, int(std::lround(c.width * factor)));
    out.height = std::max(1, int(std::lround(c.height * factor)));
    // Rects scale with the actual size ratio so a full-frame layer still covers the frame
    // after rounding the canvas to whole pixels.
    const double fx = double(out.width) / c.width;
    const double fy = double(out.height) / c.height;
    for (Layer &layer : out.layers) {
        layer.rect = QRectF(layer.rect.x() * fx, layer.rect.y() * fy, layer.rect.width() * fx,
                            layer.rect.height() * fy);
        layer.offsetX = scaledValue(layer.offsetX, fx);
        layer.offsetY = scaledValue(layer.offsetY, fy);
        layer.textStyle.pixelSize *= factor;
        layer.textStyle.padding *= factor;
        layer.textStyle.minPixelSize *= factor;
    }
    return out;
}

bool validateComposition(const Composition &c, RenderError *error)
{
    auto fail = [&](const QString &what) {
        if (error) {
            error->kind = ErrorKind::InvalidInput;
            const QString label = c.label.isEmpty() ? QStringLiteral("composition") : c.label;
            error->message = QCoreApplication::translate("render", "Cannot render %1: %2")
                                 .arg(label, what);
        }
        return false;
    };
    if (c.width < 1 || c.height < 1 || c.width > kMaxDimension || c.height > kMaxDimension)
        return fail(QCoreApplication::translate("render",
                        "the size %1×%2 is outside 1..%3 pixels.")
                        .arg(c.width).arg(c.height).arg(kMaxDimension));
    if (c.fps.num <= 0 || c.fps.den <= 0 || c.fps.toDouble() > 240.0)
        return fail(QCoreApplication::translate("render", "the frame rate %1/%2 is invalid.")
                        .arg(c.fps.num).arg(c.fps.den));
    if (c.frameCount < 1 || c.frameCount > kMaxFrames)
        return fail(QCoreApplication::translate("render", "the length of %1 frames is invalid.")
                        .arg(c.frameCount));
    for (const Layer &layer : c.layers) {
        if (layer.kind == LayerKind::Video && layer.sourceInDen <= 0)
            return fail(QCoreApplication::translate("render",
                            "layer \"%1\" has an invalid source in-point.").arg(layer.id));
        if (layer.fadeInFrames < 0 || layer.fadeOutFrames < 0)
            return fail(QCoreApplication::translate("render",
                            "layer \"%1\" has a negative fade length.").arg(layer.id));
        for (size_t i = 0; i < layer.sourceCrop.size(); ++i) {
            const CropKeyframe &key = layer.sourceCrop[i];
            const bool inside = key.window.width() > 0 && key.window.height() > 0
                && QRectF(0, 0, 1, 1).adjusted(-1e-6, -1e-6, 1e-6, 1e-6).contains(key.window);
            const bool ordered = i == 0 || key.frame > layer.sourceCrop[i - 1].frame;
            if (!inside || !ordered)
                return fail(QCoreApplication::translate("render",
                                "layer \"%1\" has an invalid crop window.").arg(layer.id));
        }
    }
    for (const AudioClip &clip : c.audio) {
        if (clip.sourceInDen <= 0 || clip.sourceInNum < 0)
            return fail(QCoreApplication::translate("render",
                            "audio clip \"%1\" has an invalid source in-point.").arg(clip.id));
        if (clip.fadeInFrames < 0 || clip.fadeOutFrames < 0)
            return fail(QCoreApplication::translate("render",
                            "audio clip \"%1\" has a negative fade length.").arg(clip.id));
    }
    return true;
}

}  // namespace render
