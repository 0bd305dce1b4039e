// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Still images for Image layers. Each source is decoded once per render and kept at the
// largest size it is ever drawn at: raster images larger than that are area-downscaled once
// (OpenCV INTER_AREA, which averages instead of aliasing fine detail), SVGs are rasterised
// directly at that size. Per-frame drawing then only resamples a picture of about the output
// size instead of a 2048² or larger original.

#include "renderer.h"

#include <QImage>
#include <QSize>
#include <QSizeF>

namespace render {

struct ImageInfo {
    QSizeF size;          // pixel size after EXIF orientation; an SVG's default size
    bool vector = false;  // SVG: can be rasterised at any size
};

// Reads only the header: MissingInput / InvalidInput (unreadable, over Qt's allocation
// limit) with the file named.
bool probeImage(const QString &path, ImageInfo *info, RenderError *error);

// Decodes `path` for drawing at up to `drawSize` output pixels (see the header comment).
// Returns Format_ARGB32_Premultiplied or Format_RGB32.
QImage loadImage(const QString &path, QSize drawSize, RenderError *error);

// The size loadImage(path, drawSize) gives a raster picture of size `natural`: the natural
// size, or smaller where the drawn size is (an invalid or empty drawSize: the natural size).
QSize rasterSizeForDrawing(QSize natural, QSize drawSize);

// What loadImage(path, drawSize) makes of `decoded`, the raster file's loadImage(path, {}):
// the same picture, area-downscaled where the drawn size is smaller. Out of memory names
// `path`.
QImage scaledForDrawing(const QImage &decoded, const QString &path, QSize drawSize,
                        RenderError *error);

// Area-averaging downscale of a 32-bit image (RGB32 / ARGB32_Premultiplied) to `size`.
QImage downscaleArea(const QImage &source, QSize size);

}  // namespace render
