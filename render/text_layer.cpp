// SPDX-License-Identifier: GPL-3.0-or-later
#include "text_layer.h"

#include <QFont>
#include <QPainter>
#include <QTextLayout>
#include <QTextOption>

#include <cmath>

namespace render {

namespace {
constexpr double kMinShrink = 0.6;
constexpr int kShrinkSteps = 8;  // 100 %, 95 %, ... 60 %

QFont makeFont(const TextStyle &style, double pixelSize)
{
    QFont font;
    // The brand font first; Arabic and then DejaVu cover scripts the brand font lacks, so a
    // headline never shows boxes whatever the segment's language.
    font.setFamilies({style.fontFamily, QStringLiteral("Noto Sans Arabic"),
                      QStringLiteral("DejaVu Sans")});
    font.setPixelSize(std::max(1, int(std::lround(pixelSize))));
    font.setWeight(style.bold ? QFont::Bold : QFont::Normal);
    // Unhinted outlines scale proportionally, so the small preview wraps like the export.
    font.setHintingPreference(QFont::PreferNoHinting);
    font.setStyleStrategy(QFont::PreferAntialias);
    return font;
}

Qt::Alignment horizontalAlignment(TextAlign align, bool rtl)
{
    // Absolute alignment: "leading" is resolved here, not by the paint device's direction.
    switch (align) {
    case TextAlign::Leading: return (rtl ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignAbsolute;
    case TextAlign::Trailing: return (rtl ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignAbsolute;
    case TextAlign::Center: break;
    }
    return Qt::AlignHCenter;
}

// Lays `layout` out at `width`; returns the total height of the lines.
double layoutLines(QTextLayout &layout, double width)
{
    layout.beginLayout();
    double y = 0.0;
    for (;;) {
        QTextLine line = layout.createLine();
        if (!line.isValid())
            break;
        line.setLineWidth(width);
        line.setPosition(QPointF(0.0, y));
        y += line.height();
    }
    layout.endLayout();
    return y;
}
}  // namespace

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
    const QRectF inner = layer.rect.adjusted(style.padding, style.padding, -style.padding,
                                             -style.padding);
    if (layer.text.isEmpty() || inner.width() <= 1.0 || inner.height() <= 1.0)
        return out;

    const bool rtl = layer.text.isRightToLeft();
    QTextOption option;
    option.setWrapMode(QTextOption::WrapAtWordBoundaryOrAnywhere);
    option.setTextDirection(rtl ? Qt::RightToLeft : Qt::LeftToRight);
    option.setAlignment(horizontalAlignment(style.align, rtl));

    QTextLayout layout(layer.text, QFont(), &out.image);
    layout.setTextOption(option);
    double height = 0.0;
    double size = style.pixelSize;
    for (int step = 0; step <= kShrinkSteps; ++step) {
        size = style.pixelSize * (1.0 - (1.0 - kMinShrink) * step / kShrinkSteps);
        layout.setFont(makeFont(style, size));
        height = layoutLines(layout, inner.width());
        if (height <= inner.height())
            break;
    }
    out.pixelSize = size;
    out.clipped = height > inner.height();
    // Centred when it fits; when it does not, keep the start of the text and cut the end.
    const double top = out.clipped ? inner.top() : inner.top() + (inner.height() - height) / 2.0;
    painter.setClipRect(layer.rect);
    painter.setPen(style.color);
    layout.draw(&painter, QPointF(inner.left(), top));
    return out;
}

}  // namespace render
