// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Text box layout shared by the rasteriser and the preflight checks, so "it fits" means the
// same thing in the preview, the export and `campaign-cli validate`.
//
// The policy for a box whose text is too long (the usual case after translation into German):
//   1. wrap at word boundaries at the requested size;
//   2. shrink in small steps, still wrapping at word boundaries, down to the minimum size
//      (TextStyle::minScale of the requested size, and never below TextStyle::minPixelSize);
//   3. at the minimum size, break words that are wider than the box (a long compound noun);
//   4. whatever is still too tall overflows: the start of the text is kept, the end is cut,
//      and the overflow is reported with how many pixels are missing.

#include "composition.h"

#include <QFont>
#include <QRectF>
#include <QString>
#include <QStringList>

#include <Qt>

namespace render {

struct TextFit {
    double requestedPixelSize = 0.0;
    double pixelSize = 0.0;     // the size used after shrink-to-fit
    QRectF inner;               // the layer rect minus padding: where lines are laid out
    QRectF textRect;            // the laid-out lines (their natural widths), output pixels
    int lineCount = 0;
    bool rightToLeft = false;   // from the text's first strong character
    Qt::Alignment alignment;    // absolute horizontal alignment used (Leading resolved)
    bool wordsBroken = false;   // a word wider than the box had to be split across lines
    bool overflow = false;      // the text does not fit even at the minimum size
    double overflowPx = 0.0;    // how much taller (or wider) than `inner` the text needs
    bool shrunk() const { return pixelSize < requestedPixelSize; }
};

// The family chain used for every text layer: the style's font, its fallbacks, then the
// built-in per-script chain (Latin: Noto Sans, Arabic: Noto Sans Arabic, CJK: Noto Sans CJK SC,
// last resort DejaVu Sans). Qt picks, per character, the first family that has the glyph, so
// an Arabic or Japanese string in a Latin brand font is drawn by the loaded Noto files instead
// of whatever fontconfig would choose.
QStringList textFontFamilies(const TextStyle &style);
QFont textFont(const TextStyle &style, double pixelSize);

// Lays out `layer` (text, rect, style) and reports the size chosen and whether it overflows.
// Pure: depends only on the layer and the loaded fonts. Requires loadRenderFonts() and a
// QGuiApplication.
TextFit fitText(const Layer &layer);

}  // namespace render
