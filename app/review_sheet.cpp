// SPDX-License-Identifier: GPL-3.0-or-later
#include "review_sheet.h"

#include "app/file_hash.h"

#include <QBuffer>
#include <QCoreApplication>
#include <QFileInfo>
#include <QFontMetricsF>
#include <QMap>
#include <QImage>
#include <QPageSize>
#include <QPainter>
#include <QPdfWriter>
#include <QSaveFile>

#include <algorithm>
#include <cmath>

namespace services {

namespace {

QString tr(const char *text) { return QCoreApplication::translate("services", text); }

// Fractions of the page: a header band, then the grid with its own margins and gutters.
constexpr double kMarginX = 0.05;
constexpr double kGridTop = 0.10;
constexpr double kGridBottom = 0.96;
constexpr double kGutter = 0.02;
// Posters are embedded at this width at most: enough to judge a frame, small enough to mail.
constexpr int kHtmlPosterWidth = 480;

QColor statusColor(ReviewStatus s)
{
    switch (s) {
    case ReviewStatus::NotRendered: return QColor(0x75, 0x75, 0x75);
    case ReviewStatus::Rendered: return QColor(0x2f, 0x6f, 0xd0);
    case ReviewStatus::Approved: return QColor(0x2e, 0x8b, 0x3e);
    case ReviewStatus::Rejected: return QColor(0xc6, 0x28, 0x28);
    case ReviewStatus::Changed: return QColor(0xd0, 0x7a, 0x00);
    }
    return Qt::black;
}

struct CellText {
    QString title;       // "Segment name · Format name"
    QString attributes;  // "sv_SE · Stockholm · 18-24 · running, coffee · calm"
    QString headline;
    QString cta;
    QString status;
    QString decision;    // "Approved by Ana at <time>: “comment”", or empty
};

CellText cellText(const editor::Campaign &c, const CellReview &cell)
{
    CellText t;
    const editor::Segment *segment = c.segment(cell.segmentId);
    const editor::FormatPreset *format = c.format(cell.formatId);
    const QString segmentName = segment && !segment->name.isEmpty() ? segment->name : cell.segmentId;
    const QString formatName = format ? QStringLiteral("%1 (%2×%3)").arg(format->id).arg(format->width)
                                            .arg(format->height)
                                      : cell.formatId;
    t.title = segmentName + QStringLiteral(" · ") + formatName;
    if (segment) {
        QStringList parts;
        for (const QString &p : {segment->locale, segment->region, segment->ageBand,
                                 segment->interests.join(QStringLiteral(", ")), segment->tone})
            if (!p.isEmpty())
                parts << p;
        t.attributes = parts.join(QStringLiteral(" · "));
        t.headline = segment->variables.value(QStringLiteral("headline"));
        t.cta = segment->variables.value(QStringLiteral("cta"));
    }
    t.status = reviewStatusLabel(cell.status);
    if (cell.approval) {
        const editor::Approval &a = *cell.approval;
        const bool approved = a.decision == editor::Approval::Decision::Approved;
        // A void decision is still shown: the approver needs to know what was said before.
        QString text = cell.status == ReviewStatus::Changed
            ? (approved ? tr("Approved earlier (void now)") : tr("Rejected earlier (void now)"))
            : (approved ? tr("Approved") : tr("Rejected"));
        if (!a.reviewer.isEmpty())
            text += tr(" by %1").arg(a.reviewer);
        if (!a.time.isEmpty())
            text += tr(" at %1").arg(a.time);
        if (!a.comment.isEmpty())
            text += QStringLiteral(": “") + a.comment + QStringLiteral("”");
        t.decision = text;
    }
    return t;
}

QImage poster(const CellReview &cell)
{
    if (cell.status == ReviewStatus::NotRendered)
        return {};
    return QImage(cell.posterPath);
}

QString summaryLine(const QList<CellReview> &cells)
{
    QMap<ReviewStatus, int> counts;
    for (const CellReview &cell : cells)
        ++counts[cell.status];
    QStringList parts;
    for (auto it = counts.constBegin(); it != counts.constEnd(); ++it)
        parts << QStringLiteral("%1 %2").arg(it.value()).arg(reviewStatusLabel(it.key()).toLower());
    return QCoreApplication::translate("services", "%n cell(s)", nullptr, int(cells.size()))
        + QStringLiteral(": ")
        + parts.join(QStringLiteral(", "));
}

bool commit(QSaveFile &file, const QString &path, QString *error)
{
    if (!file.flush() || !file.commit()) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    return true;
}

}  // namespace

QRectF reviewSheetCellRect(int slot)
{
    const int row = slot / kSheetColumns;
    const int column = slot % kSheetColumns;
    const double w = (1.0 - 2 * kMarginX - (kSheetColumns - 1) * kGutter) / kSheetColumns;
    const double h = (kGridBottom - kGridTop - (kSheetRows - 1) * kGutter) / kSheetRows;
    return QRectF(kMarginX + column * (w + kGutter), kGridTop + row * (h + kGutter), w, h);
}

int reviewSheetPageCount(int cellCount)
{
    return std::max(1, (cellCount + kSheetCellsPerPage - 1) / kSheetCellsPerPage);
}

QByteArray reviewSheetHtml(const editor::Campaign &c, const QList<CellReview> &cells,
                           const QDateTime &generatedAt)
{
    auto esc = [](const QString &s) { return s.toHtmlEscaped(); };
    QString html;
    html += QStringLiteral(
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
        "<title>%1</title>\n<style>\n"
        "body{font-family:'Noto Sans',sans-serif;margin:24px;color:#202020;background:#fff}\n"
        "header p{color:#555;margin:4px 0}\n"
        ".grid{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:16px}\n"
        ".cell{border:1px solid #ccc;border-radius:6px;padding:10px;background:#fafafa;"
        "break-inside:avoid}\n"
        ".cell img{display:block;max-width:100%;max-height:320px;margin:0 auto 8px}\n"
        ".noposter{height:160px;display:flex;align-items:center;justify-content:center;"
        "background:#e6e6e6;color:#666;margin-bottom:8px}\n"
        ".badge{display:inline-block;color:#fff;border-radius:4px;padding:2px 8px;font-weight:bold}\n"
        "h2{font-size:15px;margin:0 0 4px}\n.attrs{color:#555;font-size:13px}\n"
        ".copy{font-size:14px;margin:4px 0}\n.decision{font-size:13px;margin-top:6px}\n"
        "</style>\n</head>\n<body>\n<header>\n<h1>%1</h1>\n<p>%2</p>\n<p>%3</p>\n</header>\n"
        "<main class=\"grid\">\n")
                .arg(esc(tr("Review sheet — %1").arg(c.name)),
                     esc(tr("Generated %1").arg(generatedAt.toUTC().toString(Qt::ISODate))),
                     esc(summaryLine(cells)));
    for (const CellReview &cell : cells) {
        const CellText t = cellText(c, cell);
        html += QStringLiteral("<article class=\"cell\" data-cell=\"%1\" data-status=\"%2\">\n")
                    .arg(esc(cell.jobId()), reviewStatusName(cell.status));
        QImage image = poster(cell);
        if (!image.isNull()) {
            if (image.width() > kHtmlPosterWidth)
                image = image.scaledToWidth(kHtmlPosterWidth, Qt::SmoothTransformation);
            QByteArray png;
            QBuffer buffer(&png);
            buffer.open(QIODevice::WriteOnly);
            image.save(&buffer, "PNG");
            html += QStringLiteral("<img alt=\"%1\" src=\"data:image/png;base64,%2\">\n")
                        .arg(esc(tr("Poster of %1").arg(cell.jobId())),
                             QString::fromLatin1(png.toBase64()));
        } else {
            html += QStringLiteral("<div class=\"noposter\">%1</div>\n").arg(esc(tr("No poster")));
        }
        html += QStringLiteral("<h2>%1</h2>\n").arg(esc(t.title));
        if (!t.attributes.isEmpty())
            html += QStringLiteral("<div class=\"attrs\">%1</div>\n").arg(esc(t.attributes));
        if (!t.headline.isEmpty())
            html += QStringLiteral("<div class=\"copy\"><b>%1</b> %2</div>\n")
                        .arg(esc(tr("Headline:")), esc(t.headline));
        if (!t.cta.isEmpty())
            html += QStringLiteral("<div class=\"copy\"><b>%1</b> %2</div>\n")
                        .arg(esc(tr("CTA:")), esc(t.cta));
        html += QStringLiteral("<span class=\"badge\" style=\"background:%1\">%2</span>\n")
                    .arg(statusColor(cell.status).name(), esc(t.status));
        if (!t.decision.isEmpty())
            html += QStringLiteral("<div class=\"decision\">%1</div>\n").arg(esc(t.decision));
        html += QStringLiteral("</article>\n");
    }
    html += QStringLiteral("</main>\n</body>\n</html>\n");
    return html.toUtf8();
}

bool writeReviewSheetHtml(const editor::Campaign &c, const QList<CellReview> &cells,
                          const QDateTime &generatedAt, const QString &path, QString *error)
{
    return writeFileAtomically(path, reviewSheetHtml(c, cells, generatedAt), error);
}

namespace {

void drawCell(QPainter &p, const QRectF &r, const editor::Campaign &c, const CellReview &cell,
              const QFont &base)
{
    const CellText t = cellText(c, cell);
    p.setPen(QPen(QColor(0xc8, 0xc8, 0xc8), 2));
    p.setBrush(QColor(0xfa, 0xfa, 0xfa));
    p.drawRect(r);
    const double pad = r.width() * 0.03;
    const QRectF inner = r.adjusted(pad, pad, -pad, -pad);
    const QRectF posterBox(inner.left(), inner.top(), inner.width(), inner.height() * 0.55);
    const QImage image = poster(cell);
    if (!image.isNull()) {
        const QSizeF size = QSizeF(image.size()).scaled(posterBox.size(), Qt::KeepAspectRatio);
        const QRectF target(posterBox.center().x() - size.width() / 2,
                            posterBox.center().y() - size.height() / 2, size.width(), size.height());
        // Downscaled first: the page needs about its own resolution, and a full-size 1080p
        // poster per cell would make the PDF megabytes larger for nothing.
        p.drawImage(target, image.scaled((target.size() * 2).toSize(), Qt::KeepAspectRatio,
                                         Qt::SmoothTransformation));
    } else {
        p.fillRect(posterBox, QColor(0xe6, 0xe6, 0xe6));
        p.setPen(QColor(0x66, 0x66, 0x66));
        p.setFont(base);
        p.drawText(posterBox, Qt::AlignCenter, tr("No poster"));
    }

    const double lineH = QFontMetricsF(base).height() * 1.15;
    double y = posterBox.bottom() + lineH * 0.4;
    auto line = [&](const QString &text, const QFont &font, const QColor &color) {
        p.setFont(font);
        p.setPen(color);
        const QString shown = QFontMetricsF(font).elidedText(text, Qt::ElideRight, inner.width());
        p.drawText(QRectF(inner.left(), y, inner.width(), lineH), Qt::AlignLeft | Qt::AlignVCenter, shown);
        y += lineH;
    };
    QFont bold = base;
    bold.setBold(true);
    QFont small = base;
    small.setPixelSize(std::max(1, int(base.pixelSize() * 0.85)));
    line(t.title, bold, Qt::black);
    if (!t.attributes.isEmpty())
        line(t.attributes, small, QColor(0x55, 0x55, 0x55));
    if (!t.headline.isEmpty())
        line(tr("Headline: %1").arg(t.headline), base, QColor(0x20, 0x20, 0x20));
    if (!t.cta.isEmpty())
        line(tr("CTA: %1").arg(t.cta), base, QColor(0x20, 0x20, 0x20));

    // The status badge: a filled box in the status colour, so it reads even in greyscale print
    // by its text and at a glance by its colour.
    p.setFont(bold);
    const double badgeW = QFontMetricsF(bold).horizontalAdvance(t.status) + lineH;
    const QRectF badge(inner.left(), y + lineH * 0.1, std::min(badgeW, inner.width()), lineH * 1.1);
    p.setPen(Qt::NoPen);
    p.setBrush(statusColor(cell.status));
    p.drawRoundedRect(badge, lineH * 0.2, lineH * 0.2);
    p.setPen(Qt::white);
    p.drawText(badge, Qt::AlignCenter, t.status);
    y = badge.bottom() + lineH * 0.3;
    if (!t.decision.isEmpty() && y < inner.bottom()) {
        p.setFont(small);
        p.setPen(QColor(0x30, 0x30, 0x30));
        p.drawText(QRectF(inner.left(), y, inner.width(), inner.bottom() - y),
                   Qt::AlignLeft | Qt::AlignTop | Qt::TextWordWrap, t.decision);
    }
}

}  // namespace

bool writeReviewSheetPdf(const editor::Campaign &c, const QList<CellReview> &cells,
                         const QDateTime &generatedAt, const QString &path, QString *error)
{
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly)) {
        if (error)
            *error = tr("Cannot write %1: %2").arg(path, file.errorString());
        return false;
    }
    {
        QPdfWriter pdf(&file);
        pdf.setPageSize(QPageSize(QPageSize::A4));
        // No printer margins: the sheet keeps its own, so reviewSheetCellRect() fractions are
        // fractions of the whole page, and of every raster image made from it.
        pdf.setPageMargins(QMarginsF(0, 0, 0, 0));
        pdf.setResolution(150);
        pdf.setTitle(tr("Review sheet — %1").arg(c.name));
        pdf.setCreator(QStringLiteral("Campaign Studio"));
        QPainter p;
        if (!p.begin(&pdf)) {
            if (error)
                *error = tr("Cannot write %1: the PDF could not be started.").arg(path);
            file.cancelWriting();
            return false;
        }
        p.setRenderHint(QPainter::Antialiasing);
        p.setRenderHint(QPainter::SmoothPixmapTransform);
        const double pageW = pdf.width();
        const double pageH = pdf.height();
        QFont base(c.brand.fontFamily.isEmpty() ? QStringLiteral("Noto Sans") : c.brand.fontFamily);
        base.setPixelSize(std::max(8, int(pageH * 0.0095)));
        QFont title = base;
        title.setPixelSize(int(pageH * 0.02));
        title.setBold(true);
        const int pages = reviewSheetPageCount(int(cells.size()));
        for (int page = 0; page < pages; ++page) {
            if (page > 0)
                pdf.newPage();
            p.setPen(Qt::black);
            p.setFont(title);
            p.drawText(QRectF(pageW * kMarginX, pageH * 0.025, pageW * (1 - 2 * kMarginX), pageH * 0.035),
                       Qt::AlignLeft | Qt::AlignVCenter, tr("Review sheet — %1").arg(c.name));
            p.setFont(base);
            p.setPen(QColor(0x55, 0x55, 0x55));
            p.drawText(QRectF(pageW * kMarginX, pageH * 0.06, pageW * (1 - 2 * kMarginX), pageH * 0.025),
                       Qt::AlignLeft | Qt::AlignVCenter,
                       tr("Generated %1 · page %2 of %3 · %4")
                           .arg(generatedAt.toUTC().toString(Qt::ISODate)).arg(page + 1).arg(pages)
                           .arg(summaryLine(cells)));
            for (int slot = 0; slot < kSheetCellsPerPage; ++slot) {
                const qsizetype index = qsizetype(page) * kSheetCellsPerPage + slot;
                if (index >= cells.size())
                    break;
                const QRectF f = reviewSheetCellRect(slot);
                drawCell(p, QRectF(f.x() * pageW, f.y() * pageH, f.width() * pageW, f.height() * pageH),
                         c, cells.at(index), base);
            }
        }
        if (!p.end()) {
            if (error)
                *error = tr("Cannot write %1: the PDF could not be finished.").arg(path);
            file.cancelWriting();
            return false;
        }
    }
    return commit(file, path, error);
}

}  // namespace services
