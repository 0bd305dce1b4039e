// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Text layers are static over their lifetime, so each is laid out and rasterised once into an
// ARGB image covering the layer's rect; frames only blend that image.

#include "composition.h"

#include <QImage>
#include <QPoint>

namespace render {

struct TextRaster {
    QImage image;     // Format_ARGB32_Premultiplied, covers `topLeft` + image.size()
    QPoint topLeft;   // output pixel of image(0, 0): the rect snapped outward to whole pixels
    double pixelSize = 0.0;  // the size actually used after shrink-to-fit
    bool clipped = false;    // the text did not fit even at the smallest size
};

// The box (boxColor at boxOpacity) fills layer.rect; the text is wrapped to the rect width
// minus twice the padding and centred vertically. Text that does not fit is shrunk in steps
// down to 60 % of its size, then clipped. Right-to-left text gets RTL direction and
// alignment. Requires loadRenderFonts() and a QGuiApplication.
TextRaster rasterizeText(const Layer &layer);

}  // namespace render
