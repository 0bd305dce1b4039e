// SPDX-License-Identifier: GPL-3.0-or-later
#include "campaign.h"

#include <utility>

namespace editor {

namespace {
template <typename Vec>
auto findById(Vec &items, const QString &id) -> decltype(&items[0])
{
    for (auto &item : items)
        if (item.id == id)
            return &item;
    return nullptr;
}
}  // namespace

const Segment *Campaign::segment(const QString &id) const { return findById(segments, id); }
const FormatPreset *Campaign::format(const QString &id) const { return findById(formats, id); }
const Asset *Campaign::asset(const QString &id) const { return findById(assets, id); }
Asset *Campaign::asset(const QString &id) { return findById(assets, id); }

const ReframeSpec *Clip::reframeFor(const QString &assetId, const QString &formatId) const
{
    for (const ReframeSpec &spec : reframe)
        if (spec.assetId == assetId && spec.formatId == formatId)
            return &spec;
    return nullptr;
}

ReframeSpec *Clip::reframeFor(const QString &assetId, const QString &formatId)
{
    return const_cast<ReframeSpec *>(std::as_const(*this).reframeFor(assetId, formatId));
}

QString assetKindName(AssetKind k)
{
    switch (k) {
    case AssetKind::Image: return QStringLiteral("image");
    case AssetKind::Video: return QStringLiteral("video");
    case AssetKind::Audio: return QStringLiteral("audio");
    }
    return {};
}

QString trackKindName(TrackKind k)
{
    switch (k) {
    case TrackKind::Video: return QStringLiteral("video");
    case TrackKind::Image: return QStringLiteral("image");
    case TrackKind::Text: return QStringLiteral("text");
    case TrackKind::Audio: return QStringLiteral("audio");
    }
    return {};
}

std::optional<AssetKind> assetKindFromName(QStringView s)
{
    if (s == u"image") return AssetKind::Image;
    if (s == u"video") return AssetKind::Video;
    if (s == u"audio") return AssetKind::Audio;
    return std::nullopt;
}

}  // namespace editor
