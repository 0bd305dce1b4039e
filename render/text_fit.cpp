// SPDX-License-Identifier: GPL-3.0-or-later
#include "text_fit.h"
#include "text_fit_layout.h"

#include <QImage>
#include <QTextLayout>
#include <QTextOption>

#include <algorithm>
#include <cmath>

namespace render {

namespace {
// 2.5 % of the requested size per step: fine enough that a box is not left visibly emptier
// than needed, few enough (16 steps to 60 %) to stay cheap for preflight over every cell.
constexpr double kShrinkStep = 0.025;
// Sub-pixel tolerance: line widths are fractional and a box edge on .5 must not count as overflow.
constexpr double kTolerancePx = 0.5;

const QStringList &builtinFamilies()
{
    static const QStringList families{
        QStringLiteral("Noto Sans"),          QStringLiteral("Noto Sans Arabic"),
        QStringLiteral("Noto Sans CJK SC"),   QStringLiteral("DejaVu Sans"),
    };
    return families;
}

Qt::Alignment horizontalAlignment(TextAlign align, bool rtl)
{
    // Absolute alignment: "leading" is resolved here from the text, not from the paint
    // device's or the application's layout direction.
    switch (align) {
    case TextAlign::Leading: return (rtl ? Qt::AlignRight : Qt::AlignLeft) | Qt::AlignAbsolute;
    case TextAlign::Trailing: return (rtl ? Qt::AlignLeft : Qt::AlignRight) | Qt::AlignAbsolute;
    case TextAlign::Center: break;
    }
    return Qt::AlignHCenter;
}

// QTextLayout needs a paint device for its metrics; rasterizeText draws on a QImage, so a
// QImage here gives identical metrics to the drawing.
QPaintDevice *metricsDevice()
{
    thread_local QImage device(1, 1, QImage::Format_ARGB32_Premultiplied);
    return &device;
}

struct Measured {
    double height = 0.0;
    double widest = 0.0;
    int lines = 0;
};
}  // namespace

QStringList textFontFamilies(const TextStyle &style)
{
    QStringList families;
    auto add = [&families](const QString &f) {
        if (!f.trimmed().isEmpty() && !families.contains(f.trimmed()))
            families << f.trimmed();
    };
    add(style.fontFamily);
    for (const QString &f : style.fallbackFamilies)
        add(f);
    for (const QString &f : builtinFamilies())
        add(f);
    return families;
}

QFont textFont(const TextStyle &style, double pixelSize)
{
    QFont font;
    font.setFamilies(textFontFamilies(style));
    font.setPixelSize(std::max(1, int(std::lround(pixelSize))));
    font.setWeight(style.bold ? QFont::Bold : QFont::Normal);
    // Unhinted outlines scale proportionally, so the small preview wraps like the export.
    font.setHintingPreference(QFont::PreferNoHinting);
    font.setStyleStrategy(QFont::PreferAntialias);
    return font;
}

namespace detail {

void layoutAt(QTextLayout &layout, const Layer &layer, double pixelSize, bool breakWords,
              double width)
{
    const bool rtl = layer.text.isRightToLeft();
    QTextOption option;
    option.setWrapMode(breakWords ? QTextOption::WrapAtWordBoundaryOrAnywhere
                                  : QTextOption::WordWrap);
    option.setTextDirection(rtl ? Qt::RightToLeft : Qt::LeftToRight);
    option.setAlignment(horizontalAlignment(layer.textStyle.align, rtl));
    layout.setText(layer.text);
    layout.setTextOption(option);
    layout.setFont(textFont(layer.textStyle, pixelSize));
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
}

std::unique_ptr<QTextLayout> makeLayout()
{
    return std::make_unique<QTextLayout>(QString(), QFont(), metricsDevice());
}

}  // namespace detail

namespace {
Measured measure(const QTextLayout &layout)
{
    Measured m;
    m.lines = layout.lineCount();
    for (int i = 0; i < m.lines; ++i) {
        const QTextLine line = layout.lineAt(i);
        m.height = line.y() + line.height();
        m.widest = std::max(m.widest, line.naturalTextWidth());
    }
    return m;
}

// Union of the lines' natural extents, placed as the alignment places them.
QRectF linesRect(const QTextLayout &layout, QPointF origin)
{
    QRectF rect;
    for (int i = 0; i < layout.lineCount(); ++i) {
        const QTextLine line = layout.lineAt(i);
        const QRectF r = line.naturalTextRect().translated(origin);
        rect = rect.isNull() ? r : rect.united(r);
    }
    return rect;
}
}  // namespace

TextFit fitText(const Layer &layer)
{
    const TextStyle &style = layer.textStyle;
    TextFit fit;
    fit.requestedPixelSize = style.pixelSize;
    fit.pixelSize = style.pixelSize;
    fit.rightToLeft = layer.text.isRightToLeft();
    fit.alignment = horizontalAlignment(style.align, fit.rightToLeft);
    fit.inner = layer.rect.adjusted(style.padding, style.padding, -style.padding, -style.padding);
    if (layer.text.trimmed().isEmpty())
        return fit;
    if (fit.inner.width() <= 1.0 || fit.inner.height() <= 1.0) {
        fit.overflow = true;
        fit.overflowPx = std::max(style.pixelSize, 1.0);
        return fit;
    }
    const double width = fit.inner.width();
    const double maxHeight = fit.inner.height() + kTolerancePx;
    const double minSize = std::max({1.0, style.pixelSize * std::clamp(style.minScale, 0.0, 1.0),
                                     style.minPixelSize});
    auto fitsAt = [&](const Measured &m) {
        return m.height <= maxHeight && m.widest <= width + kTolerancePx;
    };

    std::unique_ptr<QTextLayout> layout = detail::makeLayout();
    Measured m;
    bool fits = false;
    // Sizes from the requested one down to the floor; the floor itself is always tried.
    for (int step = 0;; ++step) {
        const double size = std::max(minSize, style.pixelSize * (1.0 - kShrinkStep * step));
        detail::layoutAt(*layout, layer, size, false, width);
        m = measure(*layout);
        fit.pixelSize = size;
        fits = fitsAt(m);
        if (fits || size <= minSize)
            break;
    }
    if (!fits) {
        // At the floor, a word wider than the box (a German compound) may be split; that
        // beats cutting it off at the box edge.
        detail::layoutAt(*layout, layer, fit.pixelSize, true, width);
        const Measured broken = measure(*layout);
        fit.wordsBroken = broken.lines > m.lines || m.widest > width + kTolerancePx;
        m = broken;
        fits = fitsAt(m);
        if (!fits) {
            fit.overflow = true;
            fit.overflowPx = std::max(m.height - fit.inner.height(), m.widest - width);
        }
    }
    fit.lineCount = m.lines;
    // Centred vertically when it fits; when it overflows, keep the start and cut the end.
    const double top = fit.overflow ? fit.inner.top()
                                     : fit.inner.top() + (fit.inner.height() - m.height) / 2.0;
    fit.textRect = linesRect(*layout, QPointF(fit.inner.left(), top));
    return fit;
}

}  // namespace render
