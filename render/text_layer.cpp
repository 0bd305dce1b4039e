// SPDX-License-Identifier: GPL-3.0-or-later
#include "text_layer.h"
#include "text_fit_layout.h"

#include <QPainter>
#include <QTextLayout>

#include <algorithm>

namespace render {

TextRaster rasterizeText(const Layer &layer)
{
    TextRaster out;
    const QRect bounds = layer.rect.toAlignedRect();
    if (bounds.isEmpty())
        return out;
    out.topLeft = bounds.topLeft();
    out.image = QImage(bounds.size(), QImage::Format_ARGB32_Premultiplied);
    if (out.image.isNull())
        return out;
    out.image.fill(Qt::transparent);

    const TextStyle &style = layer.textStyle;
    QPainter painter(&out.image);
    painter.setRenderHints(QPainter::Antialiasing | QPainter::TextAntialiasing);
    painter.translate(-bounds.topLeft());  // draw in output coordinates
    if (style.boxOpacity > 0.0) {
        QColor box = style.boxColor;
        box.setAlphaF(float(box.alphaF() * std::clamp(style.boxOpacity, 0.0, 1.0)));
        painter.fillRect(layer.rect, box);
    }
    out.fit = fitText(layer);
    out.pixelSize = out.fit.pixelSize;
    out.clipped = out.fit.overflow;
    if (out.fit.lineCount == 0)
        return out;

    // The same layout the fit measured: same size, wrap mode, direction and alignment.
    std::unique_ptr<QTextLayout> layout = detail::makeLayout();
    detail::layoutAt(*layout, layer, out.fit.pixelSize, out.fit.wordsBroken || out.fit.overflow,
                     out.fit.inner.width());
    painter.setClipRect(layer.rect);
    painter.setPen(style.color);
    layout->draw(&painter, QPointF(out.fit.inner.left(), out.fit.textRect.top()));
    return out;
}

}  // namespace render
