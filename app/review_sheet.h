// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The review sheet: a contact sheet of every cell for an approver without the studio. Each
// cell shows its poster frame, the segment with its attributes, the headline and CTA it
// carries, its review status and the decision's comment. Two forms:
//  - HTML, one self-contained file: posters are embedded as base64 PNG data URLs, all text is
//    escaped, no scripts, no external resources (it can be mailed or archived as is);
//  - PDF (QPdfWriter + QPainter), A4 portrait, kSheetColumns x kSheetRows cells per page at the
//    fixed positions reviewSheetCellRect() gives, so the layout can be checked on raster pages.

#include "app/review_status.h"
#include "editor/campaign.h"

#include <QByteArray>
#include <QDateTime>
#include <QList>
#include <QRectF>
#include <QString>

namespace services {

inline constexpr int kSheetColumns = 2;
inline constexpr int kSheetRows = 3;
inline constexpr int kSheetCellsPerPage = kSheetColumns * kSheetRows;

// Slot `slot` (0 .. kSheetCellsPerPage-1, row-major) of a PDF page, as fractions of the whole
// page (the PDF has no printer margins; the sheet draws its own).
QRectF reviewSheetCellRect(int slot);
int reviewSheetPageCount(int cellCount);

// `generatedAt` is printed in the header (passed in so tests and reproducible builds can fix it).
QByteArray reviewSheetHtml(const editor::Campaign &c, const QList<CellReview> &cells,
                           const QDateTime &generatedAt);
bool writeReviewSheetHtml(const editor::Campaign &c, const QList<CellReview> &cells,
                          const QDateTime &generatedAt, const QString &path, QString *error);
bool writeReviewSheetPdf(const editor::Campaign &c, const QList<CellReview> &cells,
                         const QDateTime &generatedAt, const QString &path, QString *error);

}  // namespace services
