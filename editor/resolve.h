// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Variant resolution: (campaign, segment, format) -> render::Composition. Slots are bound to
// the segment's variables, times become frame indices at the format's rate, layouts become
// pixel rectangles. When a source's aspect differs from its box, the default is cover-fit
// centred. Pure function: no file is opened here, missing media are only listed.

#include "campaign.h"

#include "render/composition.h"

#include <QString>
#include <QStringList>

#include <optional>

namespace editor {

struct ResolveResult {
    std::optional<render::Composition> composition;
    QStringList errors;        // unknown segment/format, unbound slot, unknown asset ...
    QStringList missingFiles;  // absolute paths referenced but not present on disk
};

ResolveResult resolveVariant(const Campaign &c, const QString &segmentId,
                             const QString &formatId);

// Replaces "{{name}}" with the segment variable `name`, "{{segment.attr}}" with an attribute
// (name, locale, region, ageBand, tone, interests), and "{{name:currency}}" with the number
// formatted as money in the segment's locale. Unknown names are reported in `unbound`.
QString substituteSlots(const QString &text, const Segment &segment,
                        QStringList *unbound = nullptr);

// The source path a media clip points at for this segment, or an error text.
struct SourceBinding {
    const Asset *asset = nullptr;
    QString error;
};
SourceBinding bindClipSource(const Campaign &c, const Clip &clip, const Segment &segment);

}  // namespace editor
