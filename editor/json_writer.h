// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A small ordered JSON tree for writing project files. QJsonObject sorts its keys, which would
// put "schemaVersion" in the middle of the file; this keeps the schema's order so saved files
// read like the documentation and diff well. Numbers are written with std::to_chars: shortest
// round-trip form and independent of any locale.

#include <QByteArray>
#include <QJsonValue>
#include <QString>
#include <QStringList>

#include <vector>

namespace editor::detail {

class JsonNode {
public:
    static JsonNode string(const QString &s);
    static JsonNode number(double d);
    static JsonNode integer(qint64 i);
    static JsonNode boolean(bool b);
    static JsonNode object();
    static JsonNode array();
    static JsonNode fromQt(const QJsonValue &v);  // object keys in QJsonObject (sorted) order

    // Object members keep insertion order; arrays keep append order.
    JsonNode &add(const QString &key, JsonNode value);
    JsonNode &append(JsonNode value);
    bool isEmptyContainer() const { return m_kind != Kind::Scalar && m_values.empty(); }

    // Indented = 2 spaces, short all-scalar containers on one line. Compact = no whitespace
    // (used for hashing).
    QByteArray toJson(bool compact = false) const;

private:
    enum class Kind { Scalar, Object, Array };
    void write(QByteArray &out, int indent, bool compact) const;
    bool isScalarOnly() const;

    Kind m_kind = Kind::Scalar;
    QByteArray m_scalar;  // already encoded
    QStringList m_keys;   // objects
    std::vector<JsonNode> m_values;
};

}  // namespace editor::detail

#include "campaign.h"

namespace editor::detail {

// One clip in its project-file form (campaign_writer.cpp). Without overrides it is the form an
// override patches (clip_override.h).
JsonNode clipNode(const Clip &c, TrackKind kind, bool withOverrides);

}  // namespace editor::detail
