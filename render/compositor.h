// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Draws the frames of one Composition. Shared by the exporter and FrameRenderer so preview and
// file are the same pixels. Sources are opened lazily when their layer first shows and kept:
// stills decoded once at the largest size they are drawn at (through DecodedImageCache, so
// compositors of the same sources share the decode), text rasterised once, one video
// decoder per video layer (at most kMaxOpenVideos open, least recently used closed first).
// A forward-only caller (export) calls releaseBefore() to drop what can no longer show.

#include "composition.h"
#include "image_source.h"
#include "renderer.h"
#include "text_layer.h"

#include <QImage>

#include <map>
#include <memory>
#include <vector>

namespace render {

class VideoSource;

class Compositor {
public:
    explicit Compositor(Composition composition);
    ~Compositor();
    Compositor(const Compositor &) = delete;
    Compositor &operator=(const Compositor &) = delete;

    const Composition &composition() const { return m_comp; }
    // Decoder threads per open video (0 = libavcodec decides).
    void setDecoderThreads(int threads) { m_decoderThreads = threads; }
    // Whether clips drawn 1:1 are converted from YUV only where they show (the default);
    // off converts every whole frame, for tests that compare the two.
    void setConvertVisibleOnly(bool on) { m_convertVisibleOnly = on; }

    // Validates the composition, checks every source file exists and reads image headers.
    // Cheap and idempotent; render() calls it, export calls it first to fail before encoding.
    bool prepare(RenderError *error);

    // Draws frame `index` into `target`, which must be Format_RGB32 of the composition size.
    bool render(int64_t index, QImage *target, RenderError *error);
    // Draws the layers of frame `index` over what `target` already holds (no background
    // fill): the upper layers of a group cell, over the lower layers its cells share.
    bool renderOver(int64_t index, QImage *target, RenderError *error);
    // Whether any layer shows on frame `index` (an upper-layer stack often has gaps).
    bool anyVisible(int64_t index) const;

    // Releases sources of layers that end at or before `frame`.
    void releaseBefore(int64_t frame);

    static constexpr int kMaxOpenVideos = 4;

private:
    struct ImageEntry {
        ImageInfo info;
        QSize drawSize;  // largest size any layer draws it at
        QImage image;    // decoded lazily
        int64_t lastEnd = 0;
    };
    struct LayerState {
        TextRaster text;
        bool textReady = false;
        std::unique_ptr<VideoSource> video;
        uint64_t lastUse = 0;
    };

    bool drawLayer(QPainter &painter, size_t index, int64_t frame, RenderError *error);
    bool bottomLayerCoversCanvas(int64_t frame) const;
    bool drawImageLayer(QPainter &painter, const Layer &layer, int64_t frame, RenderError *error);
    bool drawVideoLayer(QPainter &painter, size_t index, int64_t frame, RenderError *error);
    void drawText(QPainter &painter, size_t index);
    VideoSource *openVideo(size_t index, int64_t frame, RenderError *error);

    Composition m_comp;
    bool m_prepared = false;
    int m_decoderThreads = 0;
    bool m_convertVisibleOnly = true;
    uint64_t m_useCounter = 0;
    std::map<QString, ImageEntry> m_images;  // by source path
    std::vector<LayerState> m_layers;        // parallel to m_comp.layers
};

}  // namespace render
