// SPDX-License-Identifier: GPL-3.0-or-later
// The built-in output presets: resources/formats.json, compiled in as ":/campaign/formats.json".
// Presets are data, not code, so a new platform size is a JSON edit.
#include "json_reader.h"
#include "project_io.h"

#include <QFile>
#include <QJsonDocument>
#include <QtDebug>

// The resource lives in this static library; make sure it is registered before first use.
static void initPresetResource() { Q_INIT_RESOURCE(editor_presets); }

namespace editor {

using namespace detail;

namespace {

std::vector<FormatPreset> readPresets()
{
    initPresetResource();
    std::vector<FormatPreset> presets;
    QFile file(QStringLiteral(":/campaign/formats.json"));
    if (!file.open(QIODevice::ReadOnly)) {
        qWarning("editor: the built-in format presets are missing");
        return presets;
    }
    IssueList issues;
    ObjectReader root(issues, QJsonDocument::fromJson(file.readAll()).object(), QStringLiteral("$"));
    qint64 version = 0;
    root.readInteger(QStringLiteral("presetsVersion"), version, 1, 1, Need::Required);
    const TimeRule rate{TimeRule::Lower::Positive, Rational(240), true};
    const TimeRule duration{TimeRule::Lower::Positive, Rational(3600), false};
    if (const auto formats = root.readArray(QStringLiteral("formats"), Need::Required)) {
        for (qsizetype i = 0; i < formats->size(); ++i) {
            ObjectReader r(issues, formats->at(i), indexPath(QStringLiteral("$.formats"), i));
            FormatPreset p;
            r.readId(QStringLiteral("id"), p.id);
            r.readString(QStringLiteral("name"), p.name);
            r.readInt(QStringLiteral("width"), p.width, 16, 8192, Need::Required);
            r.readInt(QStringLiteral("height"), p.height, 16, 8192, Need::Required);
            r.readTime(QStringLiteral("fps"), p.fps, rate, Need::Required);
            r.readTime(QStringLiteral("maxDuration"), p.maxDuration, duration);
            qint64 maxMB = 0;
            if (r.readInteger(QStringLiteral("maxFileSizeMB"), maxMB, 1, 1024 * 1024))
                p.maxFileBytes = maxMB * 1024 * 1024;
            if (const QJsonValue safe = r.take(QStringLiteral("safeZone")); !safe.isUndefined()) {
                ObjectReader s(issues, safe, r.pathOf(QStringLiteral("safeZone")));
                s.readNumber(QStringLiteral("top"), p.safeTop, 0.0, 0.5);
                s.readNumber(QStringLiteral("bottom"), p.safeBottom, 0.0, 0.5);
                s.readNumber(QStringLiteral("left"), p.safeLeft, 0.0, 0.5);
                s.readNumber(QStringLiteral("right"), p.safeRight, 0.0, 0.5);
                s.reportUnknownKeys();
            }
            r.readBool(QStringLiteral("aiLabel"), p.aiLabel);
            r.reportUnknownKeys();
            if (r.isObject() && !p.id.isEmpty())
                presets.push_back(p);
        }
    }
    root.reportUnknownKeys();
    // A broken preset file is a build defect, not user input: log it loudly.
    for (const LoadIssue &issue : issues.take())
        qWarning().noquote() << "editor: formats.json:" << issue.toString();
    return presets;
}

}  // namespace

const std::vector<FormatPreset> &builtinFormatPresets()
{
    static const std::vector<FormatPreset> presets = readPresets();  // thread-safe init
    return presets;
}

}  // namespace editor
