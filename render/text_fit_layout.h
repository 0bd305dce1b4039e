// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Internal to text_fit.cpp and text_layer.cpp: builds the exact QTextLayout that fitText
// measured, so the rasteriser draws what the fit (and preflight) decided.

#include "composition.h"

#include <memory>

class QTextLayout;

namespace render::detail {

// A layout on the shared metrics device (a QImage, like the raster the text is drawn on).
std::unique_ptr<QTextLayout> makeLayout();
// Lays `layer.text` out in lines of `width` at `pixelSize`, with the direction and absolute
// alignment of the text; breakWords also splits words wider than the line.
void layoutAt(QTextLayout &layout, const Layer &layer, double pixelSize, bool breakWords,
              double width);

}  // namespace render::detail
