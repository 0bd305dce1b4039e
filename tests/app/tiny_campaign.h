// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A small campaign for the generation tests: two segments, a per-segment hero image bound to
// {{hero_image}}, and a per-segment clip made from that image, on a one-second timeline in one
// format, so generating and rendering it takes seconds, not minutes.

#include <QByteArray>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QString>
#include <QStringList>

namespace testing_support {

inline QByteArray tinyCampaignJson(const QString &imageProvider = QStringLiteral("offline"),
                                   const QString &videoProvider = QStringLiteral("offline"),
                                   bool withClip = true)
{
    const QString clipRequest = withClip ? QStringLiteral(R"(,
    {"id": "clip", "kind": "video", "provider": "%1",
     "prompt": "the {{segment.tone}} shoe turns slowly", "seed": 9, "width": 64, "height": 112,
     "duration": "1", "perSegment": true, "sourceAsset": "hero"})").arg(videoProvider)
                                         : QString();
    return QStringLiteral(R"({
  "schemaVersion": 1,
  "id": "0b7a4f7e-8f7e-4c1a-9d51-5a0c2f3e9b10",
  "name": "Tiny Generation Test",
  "formats": ["1x1"],
  "segments": [
    {"id": "north", "name": "North", "attributes": {"locale": "sv_SE", "tone": "calm"},
     "variables": {"headline": "Hej", "hero_image": "hero-north"}},
    {"id": "south", "name": "South", "attributes": {"locale": "de_DE", "tone": "bold"},
     "variables": {"headline": "Hallo", "hero_image": "hero-south"}}
  ],
  "assets": [],
  "generationRequests": [
    {"id": "hero", "kind": "image", "provider": "%1",
     "prompt": "{{segment.tone}} runner, orange shoes", "negativePrompt": "blur",
     "seed": 5, "width": 64, "height": 64, "perSegment": true, "bindVariable": "hero_image"}%2
  ],
  "timeline": {
    "fps": "10", "duration": "1",
    "tracks": [
      {"id": "v1", "kind": "video", "name": "Pictures",
       "clips": [{"id": "hero", "source": "{{hero_image}}", "start": "0", "duration": "1"}]},
      {"id": "t1", "kind": "text", "name": "Copy",
       "clips": [{"id": "headline", "start": "0", "duration": "1",
                  "layout": {"mode": "box", "box": {"x": 0.1, "y": 0.6, "w": 0.75, "h": 0.18}},
                  "text": {"text": "{{headline}}", "size": 0.08, "color": "#ffffff"}}]}
    ]
  }
}
)").arg(imageProvider, clipRequest).toUtf8();
}

// The tiny campaign with offline images only (no clip) rendered in `formats` instead of one:
// the review, shard and concurrent-export tests want several cells that render in seconds.
inline QJsonObject tinyCampaignInFormats(const QStringList &formats)
{
    QJsonObject project = QJsonDocument::fromJson(
        tinyCampaignJson(QStringLiteral("offline"), QStringLiteral("offline"), false)).object();
    project.insert(QStringLiteral("formats"), QJsonArray::fromStringList(formats));
    return project;
}

}  // namespace testing_support
