// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The pure arithmetic of placing a layer on a frame: visibility, opacity ramps, the keyframed
// transform and where a fitted (and Ken Burns-zoomed) source lands. Kept free of painting so
// the compositor and the prescaler agree on sizes by construction.

#include "composition.h"

#include <QRectF>
#include <QSizeF>
#include <QTransform>

namespace render {

inline bool isVisible(const Layer &layer, int64_t frame)
{
    return frame >= layer.startFrame && frame < layer.endFrame;
}

// AnimatedValue x fade-in ramp x fade-out ramp, clamped to 0..1. The ramps are sampled at
// the frame's start: the first frame of a fade-in is fully transparent, the fade-out reaches
// zero at endFrame (one past the last visible frame).
double layerOpacity(const Layer &layer, int64_t frame);

// Scale and offset keyframes applied around the centre of `layer.rect`.
QTransform layerTransform(const Layer &layer, int64_t frame);

// Where a source of `sourceSize` lands, in layer coordinates (before layerTransform), after
// the Fit (or the source crop) and the Ken Burns scale/focus at `frame`. May overflow `layer.rect` (Cover, zoom);
// the caller draws only the part inside the rect.
QRectF placeSource(const Layer &layer, QSizeF sourceSize, int64_t frame);

// The crop window (fractions of the source) at `frame`; (0,0,1,1) without a source crop.
QRectF sourceCropAt(const Layer &layer, int64_t frame);

// The largest size, in output pixels, the layer ever draws its source at over its lifetime.
QSizeF maxDrawSize(const Layer &layer, QSizeF sourceSize);

// Largest absolute value an AnimatedValue takes.
double maxAbsValue(const AnimatedValue &value);

}  // namespace render
