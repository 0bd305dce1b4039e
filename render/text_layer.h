// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Text layers are static over their lifetime, so each is laid out and rasterised once into an
// ARGB image covering the layer's rect; frames only blend that image.

#include "composition.h"
#include "text_fit.h"

#include <QImage>
#include <QPoint>

namespace render {

struct TextRaster {
    QImage image;     // Format_ARGB32_Premultiplied, covers `topLeft` + image.size()
    QPoint topLeft;   // output pixel of image(0, 0): the rect snapped outward to whole pixels
    double pixelSize = 0.0;  // the size actually used after shrink-to-fit
    bool clipped = false;    // the text did not fit even at the smallest size
    TextFit fit;             // the full layout decision (text_fit.h)
};

// The box (boxColor at boxOpacity) fills layer.rect; the text is laid out by fitText
// (text_fit.h: wrap, shrink to the style's minimum, break long words, then clip) and centred
// vertically. Right-to-left text gets RTL direction, and "leading" means right for it.
// Requires loadRenderFonts() and a QGuiApplication.
TextRaster rasterizeText(const Layer &layer);

}  // namespace render
