// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Validating accessors for reading the project file. Every accessor checks type and range,
// records a LoadIssue with the JSON path when the value is wrong, and leaves the caller's
// default untouched, so one pass reports every problem instead of stopping at the first.
//
// Numbers are read as double and checked for finiteness, integrality and range before any
// conversion: QJsonValue::toInt() silently returns its default for 1e12, which would turn a
// typo into a plausible value.

#include "project_io.h"

#include <QColor>
#include <QJsonArray>
#include <QJsonObject>
#include <QJsonValue>
#include <QSet>
#include <QStringList>

#include <initializer_list>
#include <optional>

namespace editor::detail {

class IssueList {
public:
    void add(const QString &path, const QString &message) { m_issues.push_back({path, message}); }
    bool isEmpty() const { return m_issues.empty(); }
    std::size_t size() const { return m_issues.size(); }
    std::vector<LoadIssue> take() { return std::move(m_issues); }

private:
    std::vector<LoadIssue> m_issues;
};

// "$.a" + "b" -> "$.a.b"; keys that are not identifiers are quoted: "$.a[\"x y\"]".
QString childPath(const QString &parent, const QString &key);
QString indexPath(const QString &parent, qsizetype index);

enum class Need { Optional, Required };

// Allowed range of a time value, in seconds. Every time is capped (1 hour by default) so that
// no value can imply an absurd number of frames further down.
struct TimeRule {
    enum class Lower { Any, NonNegative, Positive };
    Lower lower = Lower::NonNegative;
    Rational max{3600, 1};
    bool isRate = false;  // frame rate wording in messages ("30", "30000/1001")
};
inline constexpr double kMaxSafeInteger = 9007199254740992.0;  // 2^53

// Value-level readers (for array elements and map values). nullopt = an issue was recorded.
std::optional<QString> stringValue(IssueList &issues, const QJsonValue &v, const QString &path,
                                   bool allowEmpty = true);
std::optional<double> numberValue(IssueList &issues, const QJsonValue &v, const QString &path,
                                  double min, double max);
std::optional<qint64> integerValue(IssueList &issues, const QJsonValue &v, const QString &path,
                                   qint64 min, qint64 max);
std::optional<Rational> timeValue(IssueList &issues, const QJsonValue &v, const QString &path,
                                  const TimeRule &rule);
std::optional<QColor> colorValue(IssueList &issues, const QJsonValue &v, const QString &path);
bool isColorText(const QString &text);

// Reads one JSON object. Accessors mark their key as known; reportUnknownKeys() then flags
// everything else, so a misspelt or newer field is never silently dropped.
class ObjectReader {
public:
    ObjectReader(IssueList &issues, const QJsonValue &value, const QString &path);

    bool isObject() const { return m_isObject; }
    const QString &path() const { return m_path; }
    QString pathOf(const QString &key) const { return childPath(m_path, key); }
    IssueList &issues() { return m_issues; }
    bool has(const QString &key) const { return m_object.contains(key); }
    bool isKnown(const QString &key) const { return m_known.contains(key); }
    const QJsonObject &object() const { return m_object; }

    // The raw value, marked as known; Undefined if absent (an issue if required).
    QJsonValue take(const QString &key, Need need = Need::Optional);

    bool readString(const QString &key, QString &out, Need need = Need::Optional,
                    bool allowEmpty = true);
    bool readId(const QString &key, QString &out);  // required, non-empty, no control characters
    bool readBool(const QString &key, bool &out, Need need = Need::Optional);
    bool readNumber(const QString &key, double &out, double min, double max,
                    Need need = Need::Optional);
    bool readInt(const QString &key, int &out, int min, int max, Need need = Need::Optional);
    bool readInteger(const QString &key, qint64 &out, qint64 min, qint64 max,
                     Need need = Need::Optional);
    bool readTime(const QString &key, Rational &out, const TimeRule &rule,
                  Need need = Need::Optional);
    bool readColor(const QString &key, QColor &out, Need need = Need::Optional);
    bool readChoice(const QString &key, QString &out, std::initializer_list<const char *> allowed,
                    Need need = Need::Optional);
    bool readStringList(const QString &key, QStringList &out, Need need = Need::Optional);
    // An array (or nullopt with an issue if present but not an array / absent but required).
    std::optional<QJsonArray> readArray(const QString &key, Need need = Need::Optional);

    void reportUnknownKeys();

private:
    IssueList &m_issues;
    QJsonObject m_object;
    QString m_path;
    bool m_isObject = false;
    QSet<QString> m_known;
};

}  // namespace editor::detail
