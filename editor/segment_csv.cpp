// SPDX-License-Identifier: GPL-3.0-or-later
#include "segment_csv.h"

#include <QCoreApplication>
#include <QLocale>
#include <QRegularExpression>
#include <QSet>
#include <QStringDecoder>

#include <algorithm>

namespace editor {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("editor", text);
}

const QString kId = QStringLiteral("id");
const QString kName = QStringLiteral("name");
const QString kLocale = QStringLiteral("locale");
const QString kRegion = QStringLiteral("region");
const QString kAgeBand = QStringLiteral("ageBand");
const QString kInterests = QStringLiteral("interests");
const QString kTone = QStringLiteral("tone");

QString attribute(const Segment &s, const QString &column)
{
    if (column == kId)
        return s.id;
    if (column == kName)
        return s.name;
    if (column == kLocale)
        return s.locale;
    if (column == kRegion)
        return s.region;
    if (column == kAgeBand)
        return s.ageBand;
    if (column == kInterests)
        return joinInterests(s.interests);
    return s.tone;
}

void setAttribute(Segment &s, const QString &column, const QString &value)
{
    if (column == kId)
        s.id = value;
    else if (column == kName)
        s.name = value;
    else if (column == kLocale)
        s.locale = value;
    else if (column == kRegion)
        s.region = value;
    else if (column == kAgeBand)
        s.ageBand = value;
    else if (column == kInterests)
        s.interests = splitInterests(value);
    else if (column == kTone)
        s.tone = value;
}

// Quoting also leading/trailing blanks: some spreadsheet imports trim unquoted fields.
QString csvField(const QString &value)
{
    const bool needsQuotes = value.contains(QLatin1Char(',')) || value.contains(QLatin1Char('"'))
        || value.contains(QLatin1Char('\n')) || value.contains(QLatin1Char('\r'))
        || (!value.isEmpty() && (value.front().isSpace() || value.back().isSpace()));
    if (!needsQuotes)
        return value;
    QString quoted = value;
    quoted.replace(QLatin1Char('"'), QStringLiteral("\"\""));
    return QLatin1Char('"') + quoted + QLatin1Char('"');
}

struct Field {
    QString text;
    int line = 1;
    int column = 1;
};
using Record = std::vector<Field>;

// RFC 4180 with the usual tolerances: LF or CR line ends as well as CRLF, blank lines
// skipped. Tracks line and column (in characters, a surrogate pair counting once) of every
// field for the messages.
class CsvParser {
public:
    explicit CsvParser(const QString &text) : m_text(text) {}

    bool parse(std::vector<Record> &records, SegmentCsvError &error)
    {
        while (m_pos < m_text.size()) {
            Record record;
            if (!parseRecord(record, error))
                return false;
            const bool blank = record.size() == 1 && record.front().text.isEmpty();
            if (!blank)
                records.push_back(std::move(record));
        }
        return true;
    }

private:
    QChar peek(qsizetype ahead = 0) const
    {
        return m_pos + ahead < m_text.size() ? m_text.at(m_pos + ahead) : QChar();
    }
    void advance()
    {
        const QChar c = m_text.at(m_pos++);
        if (c == QLatin1Char('\n') || (c == QLatin1Char('\r') && peek() != QLatin1Char('\n'))) {
            ++m_line;
            m_column = 1;
        } else if (c != QLatin1Char('\r') && !c.isLowSurrogate()) {
            ++m_column;
        }
    }
    bool atLineEnd() const
    {
        return m_pos >= m_text.size() || peek() == QLatin1Char('\n') || peek() == QLatin1Char('\r');
    }
    bool fail(SegmentCsvError &error, int line, int column, const QString &message) const
    {
        error = {line, column, message};
        return false;
    }

    bool parseRecord(Record &record, SegmentCsvError &error)
    {
        for (;;) {
            Field field{{}, m_line, m_column};
            if (peek() == QLatin1Char('"')) {
                advance();
                for (;;) {
                    if (m_pos >= m_text.size())
                        return fail(error, field.line, field.column,
                                    tr("the quoted field starting here is never closed"));
                    if (peek() == QLatin1Char('"')) {
                        if (peek(1) == QLatin1Char('"')) {
                            field.text += QLatin1Char('"');
                            advance();
                            advance();
                            continue;
                        }
                        advance();
                        break;
                    }
                    field.text += peek();
                    advance();
                }
                if (!atLineEnd() && peek() != QLatin1Char(','))
                    return fail(error, m_line, m_column,
                                tr("unexpected text after a closing quote; double a quote "
                                   "inside a quoted field (\"\")"));
            } else {
                while (!atLineEnd() && peek() != QLatin1Char(',')) {
                    if (peek() == QLatin1Char('"'))
                        return fail(error, m_line, m_column,
                                    tr("a quote inside an unquoted field; quote the whole "
                                       "field and double the quote"));
                    field.text += peek();
                    advance();
                }
            }
            record.push_back(std::move(field));
            if (peek() == QLatin1Char(',')) {
                advance();
                continue;
            }
            // End of record: consume CRLF, LF or CR.
            if (peek() == QLatin1Char('\r'))
                advance();
            if (peek() == QLatin1Char('\n'))
                advance();
            return true;
        }
    }

    const QString &m_text;
    qsizetype m_pos = 0;
    int m_line = 1;
    int m_column = 1;
};

}  // namespace

const QStringList &segmentCsvAttributeColumns()
{
    static const QStringList columns{kId, kName, kLocale, kRegion, kAgeBand, kInterests, kTone};
    return columns;
}

QStringList segmentVariableNames(const std::vector<Segment> &segments)
{
    QStringList names;
    for (const Segment &s : segments)
        names << s.variables.keys();
    names.sort();
    names.removeDuplicates();
    return names;
}

QString joinInterests(const QStringList &interests)
{
    return interests.join(QLatin1Char(';'));
}

QStringList splitInterests(const QString &text)
{
    QStringList out;
    for (const QString &part : text.split(QLatin1Char(';'))) {
        const QString trimmed = part.trimmed();
        if (!trimmed.isEmpty())
            out << trimmed;
    }
    return out;
}

bool isValidSegmentVariableName(const QString &name)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    return re.match(name).hasMatch();
}

QString segmentIdProblem(const QString &id)
{
    if (id.isEmpty())
        return tr("An id must not be empty.");
    for (const QChar ch : id) {
        if (ch.category() == QChar::Other_Control)
            return tr("An id must not contain control characters (U+%1).")
                .arg(QString::number(ch.unicode(), 16).rightJustified(4, QLatin1Char('0')).toUpper());
    }
    return {};
}

QString segmentLocaleProblem(const QString &locale)
{
    if (locale.isEmpty() || locale == u"C" || QLocale(locale).language() != QLocale::C)
        return {};
    return tr("Unknown locale '%1'; use a name such as \"sv_SE\" or \"en_US\".").arg(locale);
}

QString SegmentCsvError::toString() const
{
    return tr("line %1, column %2: %3").arg(line).arg(column).arg(message);
}

QByteArray writeSegmentsCsv(const std::vector<Segment> &segments)
{
    const QStringList variables = segmentVariableNames(segments);
    QStringList header = segmentCsvAttributeColumns();
    header << variables;
    QString out;
    const QString lineEnd = QStringLiteral("\r\n");
    QStringList fields;
    for (const QString &h : header)
        fields << csvField(h);
    out += fields.join(QLatin1Char(',')) + lineEnd;
    for (const Segment &s : segments) {
        fields.clear();
        for (const QString &column : segmentCsvAttributeColumns())
            fields << csvField(attribute(s, column));
        for (const QString &variable : variables)
            fields << csvField(s.variables.value(variable));
        out += fields.join(QLatin1Char(',')) + lineEnd;
    }
    return out.toUtf8();
}

SegmentCsvTable readSegmentsCsv(const QByteArray &bytes)
{
    SegmentCsvTable table;
    auto fail = [&](int line, int column, const QString &message) {
        table.errors.push_back({line, column, message});
    };
    if (bytes.size() > kMaxSegmentCsvBytes) {
        fail(1, 1, tr("the file is too large for a segment table (%1 bytes; the limit is %2 MiB)")
                       .arg(bytes.size()).arg(kMaxSegmentCsvBytes / (1024 * 1024)));
        return table;
    }
    // Stateless: a sequence cut off at the end of the data is an error, not pending input.
    QStringDecoder decoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
    QString text = decoder(bytes);  // the decoder drops a leading BOM itself
    if (decoder.hasError()) {
        // Name the line of the first bad byte, so the user can look at it.
        int line = 1;
        for (const QByteArray &lineBytes : bytes.split('\n')) {
            QStringDecoder lineDecoder(QStringDecoder::Utf8, QStringDecoder::Flag::Stateless);
            const QString decoded = lineDecoder(lineBytes);  // decodes on conversion
            Q_UNUSED(decoded);
            if (lineDecoder.hasError())
                break;
            ++line;
        }
        fail(line, 1,
             tr("the file is not UTF-8 text; save it from your spreadsheet as \"CSV UTF-8\""));
        return table;
    }
    if (text.startsWith(QChar(0xFEFF)))
        text.remove(0, 1);

    std::vector<Record> records;
    SegmentCsvError syntax;
    if (!CsvParser(text).parse(records, syntax)) {
        table.errors.push_back(syntax);
        return table;
    }
    if (records.empty()) {
        fail(1, 1, tr("the file is empty; the first line must name the columns (id,name,...)"));
        return table;
    }

    const Record &header = records.front();
    QSet<QString> seenColumns;
    for (const Field &f : header) {
        const QString name = f.text.trimmed();
        if (name.isEmpty())
            fail(f.line, f.column, tr("a column has no name"));
        else if (seenColumns.contains(name))
            fail(f.line, f.column, tr("the column '%1' appears twice").arg(name));
        else if (!segmentCsvAttributeColumns().contains(name) && !isValidSegmentVariableName(name))
            fail(f.line, f.column,
                 tr("'%1' is neither a segment attribute (%2) nor a variable name (letters, "
                    "digits and '_', not starting with a digit)")
                     .arg(name, segmentCsvAttributeColumns().join(QStringLiteral(", "))));
        seenColumns.insert(name);
        table.columns << name;
    }
    if (!seenColumns.contains(kId))
        fail(header.front().line, 1, tr("there is no 'id' column"));
    if (!table.ok())
        return table;

    QSet<QString> seenIds;
    for (size_t r = 1; r < records.size(); ++r) {
        const Record &record = records[r];
        if (record.size() != size_t(table.columns.size())) {
            const Field &last = record.back();
            fail(last.line, last.column,
                 tr("this row has %1 fields but the header has %2 columns")
                     .arg(record.size()).arg(table.columns.size()));
            continue;
        }
        Segment segment;
        for (qsizetype c = 0; c < table.columns.size(); ++c) {
            const QString &column = table.columns.at(c);
            const Field &field = record[size_t(c)];
            if (column == kId) {
                const QString problem = segmentIdProblem(field.text);
                if (!problem.isEmpty())
                    fail(field.line, field.column, problem);
                else if (seenIds.contains(field.text))
                    fail(field.line, field.column,
                         tr("the segment id '%1' appears twice").arg(field.text));
                seenIds.insert(field.text);
            } else if (column == kLocale) {
                const QString problem = segmentLocaleProblem(field.text);
                if (!problem.isEmpty())
                    fail(field.line, field.column, problem);
            }
            if (segmentCsvAttributeColumns().contains(column))
                setAttribute(segment, column, field.text);
            else if (!field.text.isEmpty())
                segment.variables.insert(column, field.text);
        }
        table.segments.push_back(std::move(segment));
    }
    return table;
}

void mergeImportedSegments(std::vector<Segment> &segments, const SegmentCsvTable &table)
{
    for (const Segment &imported : table.segments) {
        auto it = std::find_if(segments.begin(), segments.end(),
                               [&](const Segment &s) { return s.id == imported.id; });
        if (it == segments.end()) {
            segments.push_back(imported);
            continue;
        }
        for (const QString &column : table.columns) {
            if (column == kId)
                continue;
            if (segmentCsvAttributeColumns().contains(column)) {
                setAttribute(*it, column, attribute(imported, column));
            } else if (imported.variables.contains(column)) {
                it->variables.insert(column, imported.variables.value(column));
            } else {
                it->variables.remove(column);
            }
        }
    }
}

}  // namespace editor
