// SPDX-License-Identifier: GPL-3.0-or-later
#include "json_writer.h"

#include <QJsonArray>
#include <QJsonObject>

#include <charconv>
#include <cmath>

namespace editor::detail {

namespace {

constexpr qsizetype kInlineWidth = 80;

QByteArray encodeString(const QString &s)
{
    const QByteArray utf8 = s.toUtf8();
    QByteArray out;
    out.reserve(utf8.size() + 2);
    out += '"';
    for (const char ch : utf8) {
        const auto c = static_cast<unsigned char>(ch);
        switch (c) {
        case '"': out += "\\\""; break;
        case '\\': out += "\\\\"; break;
        case '\n': out += "\\n"; break;
        case '\r': out += "\\r"; break;
        case '\t': out += "\\t"; break;
        case '\b': out += "\\b"; break;
        case '\f': out += "\\f"; break;
        default:
            if (c < 0x20) {
                static const char hex[] = "0123456789abcdef";
                out += "\\u00";
                out += hex[c >> 4];
                out += hex[c & 15];
            } else {
                out += ch;  // UTF-8 passes through unescaped
            }
        }
    }
    out += '"';
    return out;
}

}  // namespace

JsonNode JsonNode::string(const QString &s)
{
    JsonNode n;
    n.m_scalar = encodeString(s);
    return n;
}

JsonNode JsonNode::number(double d)
{
    JsonNode n;
    if (!std::isfinite(d)) {  // JSON has no inf/nan; the model never holds them (validated)
        n.m_scalar = "null";
        return n;
    }
    char buf[64];
    const auto res = std::to_chars(buf, buf + sizeof buf, d);  // shortest round-trip, C locale
    n.m_scalar = QByteArray(buf, int(res.ptr - buf));
    return n;
}

JsonNode JsonNode::integer(qint64 i)
{
    JsonNode n;
    char buf[32];
    const auto res = std::to_chars(buf, buf + sizeof buf, i);
    n.m_scalar = QByteArray(buf, int(res.ptr - buf));
    return n;
}

JsonNode JsonNode::boolean(bool b)
{
    JsonNode n;
    n.m_scalar = b ? "true" : "false";
    return n;
}

JsonNode JsonNode::object()
{
    JsonNode n;
    n.m_kind = Kind::Object;
    return n;
}

JsonNode JsonNode::array()
{
    JsonNode n;
    n.m_kind = Kind::Array;
    return n;
}

JsonNode JsonNode::fromQt(const QJsonValue &v)
{
    switch (v.type()) {
    case QJsonValue::Bool: return boolean(v.toBool());
    case QJsonValue::Double: {
        // Keep integers integral ("5", not "5.0"): QJsonValue remembers whole numbers.
        const double d = v.toDouble();
        if (std::trunc(d) == d && std::fabs(d) < 9007199254740992.0)
            return integer(v.toInteger());
        return number(d);
    }
    case QJsonValue::String: return string(v.toString());
    case QJsonValue::Array: {
        JsonNode a = array();
        for (const QJsonValue &item : v.toArray())
            a.append(fromQt(item));
        return a;
    }
    case QJsonValue::Object: {
        JsonNode o = object();
        const QJsonObject obj = v.toObject();
        for (auto it = obj.constBegin(); it != obj.constEnd(); ++it)
            o.add(it.key(), fromQt(it.value()));
        return o;
    }
    case QJsonValue::Null:
    case QJsonValue::Undefined: break;
    }
    JsonNode n;
    n.m_scalar = "null";
    return n;
}

JsonNode &JsonNode::add(const QString &key, JsonNode value)
{
    Q_ASSERT(m_kind == Kind::Object);
    m_keys << key;
    m_values.push_back(std::move(value));
    return m_values.back();
}

JsonNode &JsonNode::append(JsonNode value)
{
    Q_ASSERT(m_kind == Kind::Array);
    m_values.push_back(std::move(value));
    return m_values.back();
}

bool JsonNode::isScalarOnly() const
{
    for (const JsonNode &v : m_values)
        if (v.m_kind != Kind::Scalar)
            return false;
    return true;
}

void JsonNode::write(QByteArray &out, int indent, bool compact) const
{
    if (m_kind == Kind::Scalar) {
        out += m_scalar;
        return;
    }
    const bool isObject = m_kind == Kind::Object;
    out += isObject ? '{' : '[';
    if (m_values.empty()) {
        out += isObject ? '}' : ']';
        return;
    }
    // Short containers of scalars stay on one line ({"x": 0.1, "y": 0.2}); the rest nests.
    bool oneLine = compact;
    if (!compact && isScalarOnly()) {
        QByteArray probe;
        for (std::size_t i = 0; i < m_values.size(); ++i) {
            if (i)
                probe += ", ";
            if (isObject)
                probe += encodeString(m_keys[qsizetype(i)]) + ": ";
            probe += m_values[i].m_scalar;
        }
        if (indent + probe.size() + 2 <= kInlineWidth) {
            out += probe;
            out += isObject ? '}' : ']';
            return;
        }
    }
    const QByteArray pad(indent + 2, ' ');
    for (std::size_t i = 0; i < m_values.size(); ++i) {
        if (i)
            out += ',';
        if (!oneLine) {
            out += '\n';
            out += pad;
        }
        if (isObject) {
            out += encodeString(m_keys[qsizetype(i)]);
            out += compact ? ":" : ": ";
        }
        m_values[i].write(out, indent + 2, compact);
    }
    if (!oneLine) {
        out += '\n';
        out += QByteArray(indent, ' ');
    }
    out += isObject ? '}' : ']';
}

QByteArray JsonNode::toJson(bool compact) const
{
    QByteArray out;
    write(out, 0, compact);
    if (!compact)
        out += '\n';
    return out;
}

}  // namespace editor::detail
