// SPDX-License-Identifier: GPL-3.0-or-later
#include "contact_sheet.h"

#include "editor/resolve.h"
#include "render/renderer.h"

#include <QCoreApplication>
#include <QDir>
#include <QFont>
#include <QPainter>

#include <algorithm>
#include <cmath>

namespace services {

namespace {
constexpr int kGap = kContactSheetGap;
constexpr int kLabelHeight = kContactSheetLabelHeight;
const QColor kSheetColor(0x1c, 0x1e, 0x22);
const QColor kLabelColor(0xe8, 0xe8, 0xe8);
const QColor kErrorColor(0xff, 0x8a, 0x80);

QString tr(const char *text)
{
    return QCoreApplication::translate("services", text);
}

// The frame at `seconds`, rounded as an export's poster frame is, clamped to the last frame.
int64_t frameAt(const render::Composition &c, double seconds)
{
    const int64_t frame = std::llround(seconds * c.fps.toDouble());
    return std::clamp<int64_t>(frame, 0, std::max<int64_t>(0, c.frameCount - 1));
}

// Renders one cell at the tile size, or returns a null image with `error`.
QImage renderTile(const editor::Campaign &c, const QString &segmentId, const QString &formatId,
                  double seconds, QSize tile, int64_t *frame, QString *error)
{
    const editor::ResolveResult resolved = editor::resolveVariant(c, segmentId, formatId);
    if (!resolved.composition) {
        *error = resolved.errors.join(QLatin1Char('\n'));
        return {};
    }
    if (!resolved.missingFiles.isEmpty()) {
        QStringList shown;
        for (const QString &f : resolved.missingFiles)
            shown << QDir::toNativeSeparators(f);
        *error = tr("Missing media: %1").arg(shown.join(QStringLiteral(", ")));
        return {};
    }
    const render::Composition &full = *resolved.composition;
    const double factor = double(tile.height()) / std::max(1, full.height);
    render::FrameRenderer renderer(render::scaledComposition(full, factor));
    *frame = frameAt(full, seconds);
    render::RenderError renderError;
    QImage image = renderer.renderFrame(*frame, &renderError);
    if (image.isNull()) {
        *error = renderError.message;
        return {};
    }
    // scaledComposition rounds the frame size; the tile is exactly `tile`.
    if (image.size() != tile)
        image = image.scaled(tile, Qt::IgnoreAspectRatio, Qt::SmoothTransformation);
    return image;
}
}  // namespace

int ContactSheet::failedCount() const
{
    return int(std::count_if(tiles.begin(), tiles.end(),
                             [](const ContactSheetTile &t) { return !t.error.isEmpty(); }));
}

QSize contactSheetTileSize(const editor::FormatPreset &format, int tileHeight)
{
    const int width = format.height > 0
        ? int(std::lround(double(tileHeight) * format.width / format.height))
        : tileHeight;
    return {std::max(1, width), tileHeight};
}

ContactSheet renderContactSheet(const editor::Campaign &c, const ContactSheetOptions &options)
{
    ContactSheet sheet;
    const int tileHeight = std::max(16, options.tileHeight);
    sheet.timeSeconds = options.timeSeconds >= 0 ? options.timeSeconds
                                                 : c.timeline.duration.toDouble() / 3.0;
    // Column x positions: each column is as wide as its format's tile.
    std::vector<int> columnX;
    int x = kGap;
    for (const editor::FormatPreset &f : c.formats) {
        columnX.push_back(x);
        x += contactSheetTileSize(f, tileHeight).width() + kGap;
    }
    const int rows = int(c.segments.size());
    const QSize size(std::max(x, 2 * kGap),
                     kGap + rows * (tileHeight + kLabelHeight + kGap));
    sheet.image = QImage(size, QImage::Format_RGB32);
    sheet.image.fill(kSheetColor);

    QPainter painter(&sheet.image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setRenderHint(QPainter::TextAntialiasing);
    QFont labelFont(QStringLiteral("Noto Sans"));
    labelFont.setPixelSize(14);
    QFont errorFont = labelFont;
    errorFont.setPixelSize(12);
    for (int row = 0; row < rows; ++row) {
        const editor::Segment &segment = c.segments[size_t(row)];
        const int y = kGap + row * (tileHeight + kLabelHeight + kGap);
        for (size_t col = 0; col < c.formats.size(); ++col) {
            const editor::FormatPreset &format = c.formats[col];
            ContactSheetTile tile;
            tile.segmentId = segment.id;
            tile.formatId = format.id;
            tile.picture = QRect(QPoint(columnX[col], y), contactSheetTileSize(format, tileHeight));
            if (options.cancel && options.cancel->load()) {
                sheet.cancelled = true;
                return sheet;
            }
            const QImage picture = renderTile(c, segment.id, format.id, sheet.timeSeconds,
                                              tile.picture.size(), &tile.frame, &tile.error);
            if (!picture.isNull()) {
                painter.drawImage(tile.picture.topLeft(), picture);
            } else {
                painter.fillRect(tile.picture, QColor(0x3a, 0x1e, 0x1e));
                painter.setPen(kErrorColor);
                painter.setFont(errorFont);
                painter.drawText(tile.picture.adjusted(8, 8, -8, -8),
                                 Qt::AlignCenter | Qt::TextWrapAnywhere, tile.error);
            }
            painter.setPen(kLabelColor);
            painter.setFont(labelFont);
            const QRect label(tile.picture.left(), tile.picture.bottom() + 1,
                              tile.picture.width(), kLabelHeight);
            // Format first: a narrow 9:16 tile elides the end of the label, and the format is
            // what tells the columns apart.
            const QString text = QStringLiteral("%1 · %2").arg(
                format.id, segment.name.isEmpty() ? segment.id : segment.name);
            painter.drawText(label, Qt::AlignLeft | Qt::AlignVCenter,
                             QFontMetrics(labelFont).elidedText(text, Qt::ElideRight,
                                                                label.width()));
            sheet.tiles.push_back(tile);
        }
    }
    return sheet;
}

}  // namespace services
