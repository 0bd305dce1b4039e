// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The .campaign file: UTF-8 JSON, "schemaVersion": 1. Loading validates every type and range
// and reports each problem with its JSON path ("$.segments[2].variables.headline"); saving
// goes through QSaveFile so a failed save never damages the previous file. Numbers are
// written locale-independently; times are strings ("33/2"); media paths are written relative
// to the project file and made absolute on load. See docs/project-format.md.

#include "campaign.h"

#include <QByteArray>
#include <QList>
#include <QString>

#include <optional>
#include <vector>

namespace editor {

inline constexpr int kSchemaVersion = 1;
inline constexpr qint64 kMaxProjectFileBytes = 16 * 1024 * 1024;

struct LoadIssue {
    QString jsonPath;   // "$.timeline.tracks[0].clips[1].duration"
    QString message;    // "must be a positive time such as \"5\" or \"11/2\""
    QString toString() const { return jsonPath + QStringLiteral(": ") + message; }
};

struct LoadResult {
    enum class Status { Ok, FileMissing, FileUnreadable, Invalid };
    Status status = Status::Invalid;
    std::optional<Campaign> campaign;   // set only when status == Ok
    QString message;                    // summary naming the file
    std::vector<LoadIssue> issues;      // every problem found, in document order
};

// The built-in format presets (resources/formats.json, compiled in).
const std::vector<FormatPreset> &builtinFormatPresets();

// `projectDir` anchors relative media paths.
LoadResult parseCampaign(const QByteArray &json, const QString &projectDir);
LoadResult loadCampaign(const QString &filePath);

QByteArray serializeCampaign(const Campaign &c, const QString &projectDir);
bool saveCampaign(const Campaign &c, const QString &filePath, QString *error);

}  // namespace editor
