// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Variant resolution: (campaign, segment, format) -> render::Composition. Slots are bound to
// the segment's variables, times become frame indices at the format's rate, layouts become
// pixel rectangles. When a source's aspect differs from its box, the default is cover-fit
// centred. No media is decoded here: only an image header is read, for the height of an
// anchored layer (a logo); missing media are only listed.

#include "campaign.h"

#include "render/composition.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace editor {

struct ResolveResult {
    std::optional<render::Composition> composition;  // set only when `errors` is empty
    QStringList errors;        // unknown segment/format, unbound slot, unknown asset ...
    QStringList missingFiles;  // absolute paths referenced but absent, empty (0 bytes) or not
                               // regular files (FIFO, device, folder)
};

ResolveResult resolveVariant(const Campaign &c, const QString &segmentId,
                             const QString &formatId);

// Replaces "{{name}}" with the segment variable `name`, "{{segment.attr}}" with an attribute
// (name, locale, region, ageBand, tone, interests), and "{{name:currency}}" with the number
// formatted as money in the segment's locale. Unknown names are reported in `unbound` (the
// slot is left as written). Slots whose value cannot be formatted (a price that is not a
// number in the C locale, an unknown ":format") are left as the raw value and reported in
// `invalid` as "name:format".
QString substituteSlots(const QString &text, const Segment &segment,
                        QStringList *unbound = nullptr, QStringList *invalid = nullptr);

// The asset a media clip points at for this segment ("asset:<id>", or a slot "{{var}}" whose
// value is an asset id), or an error text. An asset that exists but has no path yet is
// returned together with an error telling to generate it.
struct SourceBinding {
    const Asset *asset = nullptr;
    QString error;
};
SourceBinding bindClipSource(const Campaign &c, const Clip &clip, const Segment &segment);

}  // namespace editor
