// SPDX-License-Identifier: GPL-3.0-or-later
// Slot substitution: "{{headline}}", "{{segment.tone}}", "{{price:currency}}".
#include "resolve.h"

#include <QLocale>
#include <QRegularExpression>

namespace editor {

namespace {

std::optional<QString> segmentAttribute(const Segment &s, QStringView name)
{
    if (name == u"id") return s.id;
    if (name == u"name") return s.name;
    if (name == u"locale") return s.locale;
    if (name == u"region") return s.region;
    if (name == u"ageBand") return s.ageBand;
    if (name == u"tone") return s.tone;
    if (name == u"interests") return s.interests.join(QStringLiteral(", "));
    return std::nullopt;
}

}  // namespace

QString substituteSlots(const QString &text, const Segment &segment, QStringList *unbound,
                        QStringList *invalid)
{
    static const QRegularExpression re(QStringLiteral(
        "\\{\\{([A-Za-z_][A-Za-z0-9_]*(?:\\.[A-Za-z_][A-Za-z0-9_]*)?)(?::([A-Za-z_]+))?\\}\\}"));
    QString out;
    qsizetype last = 0;
    auto it = re.globalMatch(text);
    while (it.hasNext()) {
        const QRegularExpressionMatch m = it.next();
        out += QStringView(text).mid(last, m.capturedStart() - last);
        last = m.capturedEnd();
        const QString name = m.captured(1);
        const QString format = m.captured(2);
        std::optional<QString> value;
        if (name.startsWith(u"segment."))
            value = segmentAttribute(segment, QStringView(name).mid(8));
        else if (const auto v = segment.variables.constFind(name); v != segment.variables.constEnd())
            value = v.value();
        if (!value) {
            if (unbound && !unbound->contains(name))
                *unbound << name;
            out += m.captured(0);  // leave it visible rather than silently empty
            continue;
        }
        if (format.isEmpty()) {
            out += *value;
            continue;
        }
        bool ok = false;
        // Stored numbers are always C-locale ("89.95"); only the display is localised.
        const double number = format == u"currency" ? QLocale::c().toDouble(value->trimmed(), &ok) : 0.0;
        if (ok) {
            out += QLocale(segment.locale).toCurrencyString(number);
        } else {
            if (invalid)
                *invalid << name + QLatin1Char(':') + format;
            out += *value;
        }
    }
    out += QStringView(text).mid(last);
    return out;
}

}  // namespace editor
