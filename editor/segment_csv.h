// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Segments as CSV, for editing audiences in a spreadsheet: one row per segment, RFC 4180.
//
//   id,name,locale,region,ageBand,interests,tone,<variable>,<variable>,...
//
// The variable columns are the union of the segments' variable names, in name order.
// Interests are joined with ';' in one cell. Written as UTF-8 without a BOM (a BOM is tolerated
// on read, since spreadsheets add one), CRLF line ends, a field quoted only when it holds a
// comma, a quote, CR or LF (or leading/trailing space, which some readers trim).
//
// An empty variable cell means "not set" for that segment: the cell is how a sparse variable
// (set for some segments only) travels, and an unset variable makes resolution report an
// unbound slot instead of silently rendering nothing. Consequently a variable whose value is
// the empty string does not survive a round trip; neither does an interest containing ';'.
//
// Import merges by id (mergeImportedSegments): a row updates the segment with its id, new ids
// are appended, segments absent from the file are kept. Merging rather than replacing means a
// sheet holding only some segments, or only some columns, never deletes anything it does not
// mention; removing segments stays an explicit action in the panel.

#include "campaign.h"

#include <QByteArray>
#include <QString>
#include <QStringList>

#include <vector>

namespace editor {

inline constexpr qint64 kMaxSegmentCsvBytes = 8 * 1024 * 1024;

// The fixed leading columns, in file order.
const QStringList &segmentCsvAttributeColumns();

// The variable names over all segments, sorted (QMap order).
QStringList segmentVariableNames(const std::vector<Segment> &segments);

QByteArray writeSegmentsCsv(const std::vector<Segment> &segments);

struct SegmentCsvError {
    int line = 0;    // 1-based physical line in the file
    int column = 0;  // 1-based character column in that line
    QString message;
    QString toString() const;  // "line 3, column 14: ..."
};

struct SegmentCsvTable {
    // The file's columns (attribute and variable names) as they appeared; only the attribute
    // columns present are applied on merge, so a sheet may leave some out.
    QStringList columns;
    std::vector<Segment> segments;  // in file order
    std::vector<SegmentCsvError> errors;  // empty = usable
    bool ok() const { return errors.empty(); }
};

// Parses and validates: the header needs an "id" column, every other column is an attribute
// or a variable name as the project reader accepts it, no column twice; every row has as many
// fields as the header, a non-empty id without control characters, unique in the file, and a
// locale QLocale knows. Errors name line and column; parsing stops at the first syntax error.
SegmentCsvTable readSegmentsCsv(const QByteArray &bytes);

// Applies an imported table to `segments` (see the header comment). Variables of the file's
// columns are replaced by the file's cells (empty cell = unset); others are kept.
void mergeImportedSegments(std::vector<Segment> &segments, const SegmentCsvTable &table);

// The rules the project reader applies to these values, shared with the segments panel.
bool isValidSegmentVariableName(const QString &name);
// Empty when `id` is acceptable as an id (non-empty, no control characters), else why not.
QString segmentIdProblem(const QString &id);
// Empty when `locale` is empty or known to QLocale, else why not.
QString segmentLocaleProblem(const QString &locale);

// "running; streetwear" <-> {"running", "streetwear"}: trimmed, empty entries dropped.
QString joinInterests(const QStringList &interests);
QStringList splitInterests(const QString &text);

}  // namespace editor
