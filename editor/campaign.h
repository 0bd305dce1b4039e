// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The campaign document: brand kit, audience segments, output formats, assets (imported or
// generated, with their recipe), generation requests and one master timeline whose clips can
// be bound per segment through slots ("{{hero_image}}", "{{headline}}").
//
// Items live in vectors in display order and are addressed by stable string ids; nothing
// outside holds pointers into them across edits. Asset paths are absolute in memory and are
// written relative to the project file by the serializer (see project_io.h).

#include "rational.h"

#include <QColor>
#include <QJsonObject>
#include <QMap>
#include <QRectF>
#include <QString>
#include <QStringList>

#include <optional>
#include <vector>

namespace editor {

struct BrandKit {
    QMap<QString, QColor> colors;              // "primary", "accent", "text", ...
    QString fontFamily = QStringLiteral("Noto Sans");
    QString logoAssetId;                       // may be empty
    // Families tried after fontFamily for characters it lacks, before the built-in per-script
    // chain (Noto Sans Arabic, Noto Sans CJK SC, DejaVu Sans): e.g. a brand Arabic face.
    QStringList fallbackFonts;
    // Legal text every variant of a locale must show, by locale ("de_DE") or language ("de");
    // checked by preflight (app/preflight.h), not inserted automatically.
    QMap<QString, QString> disclaimers;
    bool operator==(const BrandKit &) const = default;
};

struct Segment {
    QString id;
    QString name;
    QString locale;      // BCP-47-ish, as QLocale understands it: "sv_SE", "ar_AE"
    QString region;
    QString ageBand;     // "18-24"
    QStringList interests;
    QString tone;
    // Free key -> value: headline, cta, price, palette ("#112233,#445566"), hero_image (an
    // asset id), ...
    QMap<QString, QString> variables;
    bool operator==(const Segment &) const = default;
};

// An output preset, loaded from resources/formats.json; a project lists the ids it exports.
struct FormatPreset {
    QString id;          // "9x16"
    QString name;        // "Vertical 9:16 (Reels, TikTok, Shorts)"
    int width = 0;
    int height = 0;
    Rational fps{30, 1};
    Rational maxDuration{60, 1};
    // The largest file the platform accepts for this placement; 0 = no limit.
    qint64 maxFileBytes = 0;
    // Platform UI overlays to keep text and subjects out of, as fractions of the frame.
    double safeTop = 0, safeBottom = 0, safeLeft = 0, safeRight = 0;
    // Draw a visible "AI-generated" label (inside the safe zone) on variants that contain
    // generated media; some platforms ask for one on top of the metadata disclosure.
    bool aiLabel = false;
    bool operator==(const FormatPreset &) const = default;
};

enum class AssetKind { Image, Video, Audio };

// Everything needed to regenerate a generated asset, and what it produced.
struct GenerationRecipe {
    QString provider;        // "offline", later "gemini-image", "veo"
    QString model;           // provider's model id, e.g. "offline-v1"
    AssetKind kind = AssetKind::Image;
    QString prompt;          // after variable substitution
    QString negativePrompt;
    qint64 seed = 0;
    int width = 0;           // pixels (image, video)
    int height = 0;
    Rational duration{0, 1}; // video/audio length
    Rational fps{30, 1};     // video
    QStringList palette;     // "#rrggbb" colours the result should use
    QString sourceAssetId;   // image->video / image edit input, may be empty
    QString requestId;       // the generation request it came from, may be empty
    QString segmentId;       // the segment it was fanned out for, may be empty
    QJsonObject params;      // provider-specific extra parameters
    // Filled by the generator:
    QString requestRecordId; // provider's request / operation id
    QString createdAt;       // ISO 8601 UTC
    QString outputSha256;    // of the stored file
    QString inputSha256;     // of the source file (image -> video, image edit), when used
    bool operator==(const GenerationRecipe &) const = default;
};

struct Asset {
    QString id;
    AssetKind kind = AssetKind::Image;
    QString path;            // absolute in memory; empty = not generated yet
    std::optional<GenerationRecipe> recipe;  // set for generated assets
    // "Use this": the designer chose this stored result for the slot. Re-planning keeps a pinned
    // asset's file and recipe even when the request's template has changed since.
    bool pinned = false;
    bool operator==(const Asset &) const = default;
};

// A prompt template fanned out over segments. `{{segment.tone}}`, `{{headline}}` etc. are
// substituted per segment; each expansion becomes (or refreshes) the asset
// "<id>-<segmentId>" (perSegment) or "<id>", and, when `bindVariable` is set, the segment
// variable of that name is set to the asset id.
struct GenerationRequest {
    QString id;
    AssetKind kind = AssetKind::Image;
    QString provider = QStringLiteral("offline");
    QString model;
    QString promptTemplate;
    QString negativePrompt;
    qint64 seed = 0;
    int width = 0;
    int height = 0;
    Rational duration{0, 1};
    bool perSegment = true;
    QString bindVariable;     // e.g. "hero_image"
    QString sourceAssetId;    // for image -> video
    QJsonObject params;       // provider parameters copied into every recipe (aspectRatio, ...)
    // "Variation": a seed chosen for one segment's expansion instead of the derived one
    // (segmentSeed). Key "" for a request that is not per segment.
    QMap<QString, qint64> segmentSeeds;
    bool operator==(const GenerationRequest &) const = default;
};

struct Keyframe {
    Rational time;           // relative to the clip start
    double value = 0.0;
    bool operator==(const Keyframe &) const = default;
};

// Where a visual clip sits in a format. Fractions make one layout serve every aspect ratio.
struct ClipLayout {
    enum class Mode {
        Fill,    // the whole frame
        Box,     // `box` in fractions of the frame's width/height
        Anchor,  // `anchor` corner/edge, `size` = width as a fraction of the shorter side,
                 // `margin` as a fraction of the shorter side; height follows the source aspect
    };
    Mode mode = Mode::Fill;
    QRectF box{0, 0, 1, 1};
    QString anchor = QStringLiteral("top-right");  // top-left|top|top-right|left|center|...
    double size = 0.2;
    double margin = 0.04;
    bool operator==(const ClipLayout &) const = default;
};

struct KenBurnsSpec {
    bool enabled = false;
    double startScale = 1.0, endScale = 1.0;
    double startX = 0.5, startY = 0.5, endX = 0.5, endY = 0.5;  // focus point, 0..1
    bool operator==(const KenBurnsSpec &) const = default;
};

struct TextSpec {
    QString text;            // may contain slots: "{{headline}}", "{{price:currency}}"
    double size = 0.045;     // font pixel size as a fraction of the frame's shorter side
    QColor color = Qt::white;
    QColor background = Qt::black;
    double backgroundOpacity = 0.0;
    double padding = 0.02;   // fraction of the shorter side
    QString align = QStringLiteral("center");  // leading|center|trailing
    bool bold = true;
    bool operator==(const TextSpec &) const = default;
};

// One crop keyframe of a smart-reframed clip: the part of the source shown at `time`.
struct CropKey {
    Rational time;           // seconds into the SOURCE (not the clip), so trimming the clip's
                             // in-point keeps each key on the picture it was set for
    QRectF window{0, 0, 1, 1};  // fractions of the source's width/height, the format's aspect
    bool operator==(const CropKey &) const = default;
};

// The crop track of a "smart" clip for one (source asset, format) pair. A clip whose source is
// a slot shows a different asset per segment, so windows are kept per asset as well as per
// format. Auto keys come from the subject analysis (app/reframe_cache.h) and are replaced
// whenever it reruns; Manual keys are the designer's and are never touched by it.
struct ReframeSpec {
    enum class Mode { Auto, Manual };
    QString assetId;
    QString formatId;
    Mode mode = Mode::Auto;
    std::vector<CropKey> keys;  // sorted by time, unique times; at least one
    bool operator==(const ReframeSpec &) const = default;
};

enum class TrackKind { Video, Image, Text, Audio };

// A per-cell change of a clip's properties: "in the 9x16 format the headline sits higher",
// "for the German segment the text is smaller". An empty id matches every segment / every
// format; at least one of the two is set (an override for every cell is the master itself).
// `properties` is a JSON merge patch (RFC 7386) over the clip's own project-file form: objects
// merge key by key, null removes a key (back to its default), anything else replaces. Which
// keys may appear, and the order overrides apply in, is in clip_override.h.
struct ClipOverride {
    QString segmentId;
    QString formatId;
    QJsonObject properties;
    bool operator==(const ClipOverride &) const = default;
};

struct Clip {
    QString id;
    // Media clips: "asset:<id>" or a slot "{{variable}}" whose segment value is an asset id.
    QString source;
    Rational start{0, 1};     // on the timeline
    Rational duration{0, 1};
    Rational in{0, 1};        // offset into the source (video/audio)
    ClipLayout layout;
    // cover|contain|stretch|smart. "smart" = cover through the crop window of `reframe` for
    // the (asset, format) shown; plain centred cover where there is none yet.
    QString fit = QStringLiteral("cover");
    KenBurnsSpec kenBurns;
    std::vector<ReframeSpec> reframe;  // unique (assetId, formatId) pairs
    const ReframeSpec *reframeFor(const QString &assetId, const QString &formatId) const;
    ReframeSpec *reframeFor(const QString &assetId, const QString &formatId);
    std::vector<Keyframe> opacity, scale, offsetX, offsetY;  // offsets: fractions of width/height
    Rational transitionIn{0, 1};  // crossfade from what is below, at the clip start
    Rational fadeOut{0, 1};       // fade to transparent at the end
    TextSpec text;                // text clips
    double gain = 1.0;            // audio clips
    Rational audioFadeIn{0, 1}, audioFadeOut{0, 1};
    // A brand layer (the logo): every timeline edit and inspector edit refuses it, in every
    // cell, until it is unlocked in the inspector (timeline_edit.h lockedClipMessage()).
    bool locked = false;
    std::vector<ClipOverride> overrides;  // unique (segmentId, formatId) pairs
    bool operator==(const Clip &) const = default;
};

struct Track {
    QString id;
    TrackKind kind = TrackKind::Video;
    QString name;
    std::vector<Clip> clips;  // sorted by start
    bool operator==(const Track &) const = default;
};

struct Timeline {
    Rational fps{30, 1};
    Rational duration{15, 1};
    std::vector<Track> tracks;  // first = bottom
    bool operator==(const Timeline &) const = default;
};

// An approver's decision on one exported cell. It is bound to exactly what was reviewed: the
// MP4's bytes (fileSha256) and the cell's content hash from the export manifest. A re-export
// with other inputs or a file changed afterwards no longer matches, which voids the decision
// (app/review_status.h); the record stays in the project as history until the cell is
// reviewed again. At most one per (segment, format).
struct Approval {
    enum class Decision { Approved, Rejected };
    QString segmentId;
    QString formatId;
    Decision decision = Decision::Approved;
    QString comment;
    QString reviewer;        // may be empty
    QString time;            // ISO 8601 UTC
    QString fileSha256;      // of the reviewed MP4
    QString contentHash;     // the manifest's content hash of that render
    bool operator==(const Approval &) const = default;
};

struct Campaign {
    QString id;               // uuid, stable across saves
    QString name;
    BrandKit brand;
    std::vector<Segment> segments;
    std::vector<FormatPreset> formats;
    std::vector<Asset> assets;
    std::vector<GenerationRequest> generationRequests;
    Timeline timeline;
    std::vector<Approval> approvals;
    bool operator==(const Campaign &) const = default;

    const Segment *segment(const QString &id) const;
    const FormatPreset *format(const QString &id) const;
    const Asset *asset(const QString &id) const;
    Asset *asset(const QString &id);
};

QString assetKindName(AssetKind k);                       // "image" | "video" | "audio"
std::optional<AssetKind> assetKindFromName(QStringView s);
QString trackKindName(TrackKind k);                       // "video" | "image" | "text" | "audio"

}  // namespace editor
