// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// How tst_fault_matrix makes its fault fixtures: the one-second project it breaks, PNG chunks
// written by hand (a header may declare any size), external tools run with a bounded wait,
// and a listing of everything in a folder (to prove a run created nothing outside its own).

#include <QByteArray>
#include <QDir>
#include <QDirIterator>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QProcess>
#include <QString>
#include <QStringList>

namespace faultfix {

// One segment, one format (1x1), a PNG still then an MP4 clip, ten frames a second.
inline QJsonObject baseProject()
{
    return QJsonDocument::fromJson(R"({
  "schemaVersion": 1,
  "id": "3c1f5a52-6a0e-4a8e-9f0e-2b7d1d6c9a01",
  "name": "Fault Matrix",
  "formats": ["1x1"],
  "segments": [
    {"id": "north", "name": "North", "attributes": {"locale": "sv_SE", "tone": "calm"},
     "variables": {"headline": "Hej"}}
  ],
  "assets": [
    {"id": "pic", "kind": "image", "path": "media/pic.png"},
    {"id": "clip", "kind": "video", "path": "media/clip.mp4"}
  ],
  "timeline": {
    "fps": "10", "duration": "1",
    "tracks": [
      {"id": "v1", "kind": "video", "name": "Media",
       "clips": [{"id": "still", "source": "asset:pic", "start": "0", "duration": "1/2"},
                 {"id": "moving", "source": "asset:clip", "start": "1/2", "duration": "1/2"}]}
    ]
  }
})").object();
}

inline QJsonObject withAssetPath(QJsonObject project, const QString &assetId, const QString &path)
{
    QJsonArray assets = project.value(QStringLiteral("assets")).toArray();
    for (qsizetype i = 0; i < assets.size(); ++i) {
        QJsonObject a = assets.at(i).toObject();
        if (a.value(QStringLiteral("id")).toString() == assetId)
            a.insert(QStringLiteral("path"), path);
        assets.replace(i, a);
    }
    project.insert(QStringLiteral("assets"), assets);
    return project;
}

inline QByteArray toJson(const QJsonObject &o) { return QJsonDocument(o).toJson(); }

// CRC-32 as PNG chunks carry it (reflected 0xEDB88320, all ones in and out).
inline quint32 crc32(const QByteArray &data)
{
    quint32 crc = 0xffffffffu;
    for (const char c : data) {
        crc ^= quint8(c);
        for (int k = 0; k < 8; ++k)
            crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1u)));
    }
    return ~crc;
}

inline QByteArray be32(quint32 v)
{
    QByteArray b(4, '\0');
    for (int i = 0; i < 4; ++i)
        b[i] = char((v >> (24 - 8 * i)) & 0xff);
    return b;
}

inline QByteArray pngChunk(const QByteArray &type, const QByteArray &data)
{
    return be32(quint32(data.size())) + type + data + be32(crc32(type + data));
}

// Runs a fixture tool (ffmpeg) to completion, at most a minute; output merged into `log`.
inline bool runTool(const QString &program, const QStringList &args, QByteArray *log)
{
    QProcess p;
    p.setProcessChannelMode(QProcess::MergedChannels);
    p.start(program, args);
    const bool ok = p.waitForStarted(10000) && p.waitForFinished(60000)
        && p.exitStatus() == QProcess::NormalExit && p.exitCode() == 0;
    if (!ok && p.state() != QProcess::NotRunning) {
        p.kill();
        p.waitForFinished(5000);
    }
    *log = p.readAll();
    return ok;
}

// Every entry below `dir` (files, links, FIFOs, folders), relative, sorted; symlinks not followed.
inline QStringList snapshot(const QString &dir)
{
    QStringList found;
    QDirIterator it(dir, QDir::AllEntries | QDir::Hidden | QDir::System | QDir::NoDotAndDotDot,
                    QDirIterator::Subdirectories);
    while (it.hasNext())
        found << QDir(dir).relativeFilePath(it.next());
    found.sort();
    return found;
}
}  // namespace faultfix
