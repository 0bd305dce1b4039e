// SPDX-License-Identifier: GPL-3.0-or-later
#include "json_reader.h"

#include <QCoreApplication>
#include <QRegularExpression>

#include <cmath>

namespace editor::detail {

namespace {

QString typeName(const QJsonValue &v)
{
    const char *name = QT_TRANSLATE_NOOP("editor", "missing");
    switch (v.type()) {
    case QJsonValue::Null: name = QT_TRANSLATE_NOOP("editor", "null"); break;
    case QJsonValue::Bool: name = QT_TRANSLATE_NOOP("editor", "a boolean"); break;
    case QJsonValue::Double: name = QT_TRANSLATE_NOOP("editor", "a number"); break;
    case QJsonValue::String: name = QT_TRANSLATE_NOOP("editor", "a string"); break;
    case QJsonValue::Array: name = QT_TRANSLATE_NOOP("editor", "an array"); break;
    case QJsonValue::Object: name = QT_TRANSLATE_NOOP("editor", "an object"); break;
    case QJsonValue::Undefined: break;
    }
    return QCoreApplication::translate("editor", name);
}

// Shortest decimal spelling of a bound, for messages ("0.01", "8192").
QString boundText(double v)
{
    return QString::number(v, 'g', 15);  // QString::number never uses the default locale
}

QString wrongType(const char *expected, const QJsonValue &v)
{
    return QCoreApplication::translate("editor", "must be %1, not %2")
        .arg(QCoreApplication::translate("editor", expected), typeName(v));
}

bool isIdentifier(const QString &key)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z_][A-Za-z0-9_]*$"));
    return re.match(key).hasMatch();
}

}  // namespace

QString childPath(const QString &parent, const QString &key)
{
    if (isIdentifier(key))
        return parent + QLatin1Char('.') + key;
    QString quoted = key;
    quoted.replace(QLatin1Char('\\'), QLatin1String("\\\\")).replace(QLatin1Char('"'), QLatin1String("\\\""));
    return parent + QLatin1String("[\"") + quoted + QLatin1String("\"]");
}

QString indexPath(const QString &parent, qsizetype index)
{
    return parent + QLatin1Char('[') + QString::number(index) + QLatin1Char(']');
}

std::optional<QString> stringValue(IssueList &issues, const QJsonValue &v, const QString &path,
                                   bool allowEmpty)
{
    if (!v.isString()) {
        issues.add(path, wrongType(QT_TRANSLATE_NOOP("editor", "a string"), v));
        return std::nullopt;
    }
    if (!allowEmpty && v.toString().isEmpty()) {
        issues.add(path, QCoreApplication::translate("editor", "must not be empty"));
        return std::nullopt;
    }
    return v.toString();
}

std::optional<double> numberValue(IssueList &issues, const QJsonValue &v, const QString &path,
                                  double min, double max)
{
    if (!v.isDouble()) {
        issues.add(path, wrongType(QT_TRANSLATE_NOOP("editor", "a number"), v));
        return std::nullopt;
    }
    const double d = v.toDouble();
    if (!std::isfinite(d) || d < min || d > max) {
        issues.add(path, QCoreApplication::translate("editor", "must be a number from %1 to %2")
                             .arg(boundText(min), boundText(max)));
        return std::nullopt;
    }
    return d;
}

std::optional<qint64> integerValue(IssueList &issues, const QJsonValue &v, const QString &path,
                                   qint64 min, qint64 max)
{
    if (!v.isDouble()) {
        issues.add(path, wrongType(QT_TRANSLATE_NOOP("editor", "a whole number"), v));
        return std::nullopt;
    }
    const double d = v.toDouble();
    const QString range = QCoreApplication::translate("editor", "must be a whole number from %1 to %2")
                              .arg(QString::number(min), QString::number(max));
    if (!std::isfinite(d) || std::trunc(d) != d || std::fabs(d) > kMaxSafeInteger) {
        issues.add(path, range);
        return std::nullopt;
    }
    // Integers written without exponent are held exactly by QJsonValue; toInteger() gives
    // that exact value (the double may have rounded it) and is safe now the range is known.
    const qint64 i = v.toInteger(qint64(d));
    if (i < min || i > max) {
        issues.add(path, range);
        return std::nullopt;
    }
    return i;
}

std::optional<Rational> timeValue(IssueList &issues, const QJsonValue &v, const QString &path,
                                  const TimeRule &rule)
{
    const QString expected = rule.isRate
        ? QCoreApplication::translate("editor", "a frame rate such as \"30\" or \"30000/1001\"")
        : QCoreApplication::translate("editor", "a time in seconds such as \"5\" or \"11/2\"");
    std::optional<Rational> t;
    if (v.isString()) {
        t = Rational::parse(v.toString());
    } else if (v.isDouble()) {
        // Plain JSON integers are accepted for hand-written files; fractions must be strings so
        // that no binary floating-point value ever enters the timeline.
        const double d = v.toDouble();
        if (std::isfinite(d) && std::trunc(d) == d && std::fabs(d) <= kMaxSafeInteger)
            t = Rational(v.toInteger(qint64(d)));
    }
    if (!t) {
        issues.add(path, QCoreApplication::translate("editor", "must be %1").arg(expected));
        return std::nullopt;
    }
    bool lowOk = true;
    QString lowText;
    switch (rule.lower) {
    case TimeRule::Lower::Any:
        lowOk = *t >= -rule.max;
        lowText = QCoreApplication::translate("editor", "from -%1 to %1").arg(rule.max.toString());
        break;
    case TimeRule::Lower::NonNegative:
        lowOk = !t->isNegative();
        lowText = QCoreApplication::translate("editor", "from 0 to %1").arg(rule.max.toString());
        break;
    case TimeRule::Lower::Positive:
        lowOk = !t->isNegative() && !t->isZero();
        lowText = QCoreApplication::translate("editor", "greater than 0 and at most %1")
                      .arg(rule.max.toString());
        break;
    }
    if (!lowOk || *t > rule.max) {
        issues.add(path, QCoreApplication::translate("editor", "must be %1, %2")
                             .arg(expected, lowText));
        return std::nullopt;
    }
    return t;
}

bool isColorText(const QString &text)
{
    static const QRegularExpression re(QStringLiteral("^#([0-9a-fA-F]{6}|[0-9a-fA-F]{8})$"));
    return re.match(text).hasMatch();
}

std::optional<QColor> colorValue(IssueList &issues, const QJsonValue &v, const QString &path)
{
    if (!v.isString() || !isColorText(v.toString())) {
        issues.add(path, QCoreApplication::translate(
                             "editor", "must be a colour \"#rrggbb\" or \"#aarrggbb\""));
        return std::nullopt;
    }
    return QColor::fromString(v.toString());
}

ObjectReader::ObjectReader(IssueList &issues, const QJsonValue &value, const QString &path)
    : m_issues(issues), m_path(path), m_isObject(value.isObject())
{
    if (m_isObject)
        m_object = value.toObject();
    else
        m_issues.add(path, wrongType(QT_TRANSLATE_NOOP("editor", "an object"), value));
}

QJsonValue ObjectReader::take(const QString &key, Need need)
{
    m_known.insert(key);
    const auto it = m_object.constFind(key);
    if (it == m_object.constEnd()) {
        if (need == Need::Required && m_isObject)
            m_issues.add(pathOf(key), QCoreApplication::translate("editor", "required field is missing"));
        return QJsonValue(QJsonValue::Undefined);
    }
    return it.value();
}

bool ObjectReader::readString(const QString &key, QString &out, Need need, bool allowEmpty)
{
    const QJsonValue v = take(key, need);
    if (v.isUndefined())
        return need == Need::Optional;
    const auto s = stringValue(m_issues, v, pathOf(key), allowEmpty);
    if (s)
        out = *s;
    return s.has_value();
}

bool ObjectReader::readId(const QString &key, QString &out)
{
    QString id;
    if (!readString(key, id, Need::Required, false))
        return false;
    // Ids end up in file names, log lines and terminals: a NUL, a newline or an escape
    // sequence there is never intended.
    for (const QChar ch : id) {
        if (ch.category() == QChar::Other_Control) {
            m_issues.add(pathOf(key), QCoreApplication::translate("editor", "must not contain control "
                                                                            "characters (U+%1)")
                                          .arg(QString::number(ch.unicode(), 16)
                                                   .rightJustified(4, QLatin1Char('0'))
                                                   .toUpper()));
            return false;
        }
    }
    out = id;
    return true;
}

bool ObjectReader::readBool(const QString &key, bool &out, Need need)
{
    const QJsonValue v = take(key, need);
    if (v.isUndefined())
        return need == Need::Optional;
    if (!v.isBool()) {
        m_issues.add(pathOf(key), wrongType(QT_TRANSLATE_NOOP("editor", "true or false"), v));
        return false;
    }
    out = v.toBool();
    return true;
}

bool ObjectReader::readNumber(const QString &key, double &out, double min, double max, Need need)
{
    const QJsonValue v = take(key, need);
    if (v.isUndefined())
        return need == Need::Optional;
    const auto d = numberValue(m_issues, v, pathOf(key), min, max);
    if (d)
        out = *d;
    return d.has_value();
}

bool ObjectReader::readInt(const QString &key, int &out, int min, int max, Need need)
{
    qint64 wide = out;
    const bool ok = readInteger(key, wide, min, max, need);
    if (ok)
        out = int(wide);
    return ok;
}

bool ObjectReader::readInteger(const QString &key, qint64 &out, qint64 min, qint64 max, Need need)
{
    const QJsonValue v = take(key, need);
    if (v.isUndefined())
        return need == Need::Optional;
    const auto i = integerValue(m_issues, v, pathOf(key), min, max);
    if (i)
        out = *i;
    return i.has_value();
}

bool ObjectReader::readTime(const QString &key, Rational &out, const TimeRule &rule, Need need)
{
    const QJsonValue v = take(key, need);
    if (v.isUndefined())
        return need == Need::Optional;
    const auto t = timeValue(m_issues, v, pathOf(key), rule);
    if (t)
        out = *t;
    return t.has_value();
}

bool ObjectReader::readColor(const QString &key, QColor &out, Need need)
{
    const QJsonValue v = take(key, need);
    if (v.isUndefined())
        return need == Need::Optional;
    const auto c = colorValue(m_issues, v, pathOf(key));
    if (c)
        out = *c;
    return c.has_value();
}

bool ObjectReader::readChoice(const QString &key, QString &out,
                              std::initializer_list<const char *> allowed, Need need)
{
    const QJsonValue v = take(key, need);
    if (v.isUndefined())
        return need == Need::Optional;
    QStringList names;
    for (const char *a : allowed)
        names << QString::fromLatin1(a);
    if (v.isString() && names.contains(v.toString())) {
        out = v.toString();
        return true;
    }
    m_issues.add(pathOf(key), QCoreApplication::translate("editor", "must be one of: %1")
                                  .arg(names.join(QStringLiteral(", "))));
    return false;
}

bool ObjectReader::readStringList(const QString &key, QStringList &out, Need need)
{
    const auto array = readArray(key, need);
    if (!array)
        return need == Need::Optional && !has(key);
    QStringList list;
    bool ok = true;
    for (qsizetype i = 0; i < array->size(); ++i) {
        const auto s = stringValue(m_issues, array->at(i), indexPath(pathOf(key), i));
        if (s)
            list << *s;
        else
            ok = false;
    }
    if (ok)
        out = list;
    return ok;
}

std::optional<QJsonArray> ObjectReader::readArray(const QString &key, Need need)
{
    const QJsonValue v = take(key, need);
    if (v.isUndefined())
        return std::nullopt;
    if (!v.isArray()) {
        m_issues.add(pathOf(key), wrongType(QT_TRANSLATE_NOOP("editor", "an array"), v));
        return std::nullopt;
    }
    return v.toArray();
}

void ObjectReader::reportUnknownKeys()
{
    for (auto it = m_object.constBegin(); it != m_object.constEnd(); ++it) {
        if (!m_known.contains(it.key()))
            m_issues.add(pathOf(it.key()),
                         QCoreApplication::translate("editor", "unknown field '%1'").arg(it.key()));
    }
}

}  // namespace editor::detail
