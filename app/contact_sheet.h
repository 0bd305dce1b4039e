// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A contact sheet of a campaign: the frame at one time of every (segment, format) cell, side by
// side in one picture, so a designer or reviewer sees all variants at a glance (text clipped in
// one format, a subject cropped out in another) without exporting anything.
//
// Each cell goes through exactly what the preview and the export use: editor::resolveVariant,
// then render::FrameRenderer on the composition scaled to the tile height
// (render::scaledComposition), so the tile is what the preview shows at that size. No encode.
//
// Layout: one row per segment (campaign order), one column per format (campaign order); every
// tile is `tileHeight` pixels high and as wide as its format's aspect makes it, with a label
// "segment · format" under it. A cell that cannot be rendered (unbound slot, missing media)
// gets a tile with its error instead of a picture.

#include "editor/campaign.h"

#include <QImage>
#include <QRect>
#include <QString>
#include <QStringList>

#include <atomic>
#include <vector>

namespace services {

// The sheet's layout, in pixels: the margin around and between tiles, and the label band under
// every tile. Row r starts at y = kContactSheetGap + r * (tileHeight + label + gap).
inline constexpr int kContactSheetGap = 16;
inline constexpr int kContactSheetLabelHeight = 30;

struct ContactSheetOptions {
    double timeSeconds = -1;  // < 0: a third of the timeline (the poster time of an export)
    int tileHeight = 320;     // pixels of every tile's picture
    const std::atomic<bool> *cancel = nullptr;
};

struct ContactSheetTile {
    QString segmentId;
    QString formatId;
    QRect picture;   // where the cell's frame is in the sheet
    int64_t frame = 0;  // the frame index rendered, at the format's rate
    QString error;   // empty = rendered
};

struct ContactSheet {
    QImage image;  // Format_RGB32
    std::vector<ContactSheetTile> tiles;  // row by row
    double timeSeconds = 0;               // the time actually rendered
    bool cancelled = false;
    int failedCount() const;
};

// The sheet of every segment x format of `c`. Media paths must be absolute (as loaded).
ContactSheet renderContactSheet(const editor::Campaign &c, const ContactSheetOptions &options);

// The size a cell's tile picture has on the sheet: `tileHeight` high, the format's aspect.
QSize contactSheetTileSize(const editor::FormatPreset &format, int tileHeight);

}  // namespace services
