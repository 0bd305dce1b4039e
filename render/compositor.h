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
#include "yuv_image.h"

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

    // The export's fast path (compositor_yuv.cpp): frame `index` drawn straight into the
    // encoder's yuv420p planes. For frames whose bottom layers are opaque pictures or clips
    // covering the canvas (scaled, cross-faded) under layers that are not clips (text, boxes,
    // logos: composited once into a cached overlay while they stay the same). Unsupported:
    // nothing useful was drawn, draw the frame with render() instead.
    enum class YuvDraw { Drawn, Unsupported, Failed };
    YuvDraw renderYuv(int64_t index, YuvImage *target, RenderError *error);

    // renderYuv in two steps, for exportGroup: the pictures at the bottom (drawn once for
    // the group by the compositor of the shared layers), then, by each cell's compositor of
    // the whole composition, the layers over them. `run` tells the group whether the
    // pictures could go on into a cell's own layers (not `closed`), and whether the layers
    // above them cannot be an overlay (a clip among them, or one that moves or fades on
    // `index`: its overlay would be drawn again on every such frame, which costs more than
    // the RGB path).
    struct PictureRun {
        size_t pictures = 0;    // shown layers drawn as pictures, from the bottom
        bool closed = false;    // a shown layer above them is not one
        bool overlaysUnsupported = false;
        bool anyShown = false;
    };
    YuvDraw renderYuvPictures(int64_t index, YuvImage *target, PictureRun *run,
                              RenderError *error);
    // The shown layers of `index` above the lowest `pictures` ones, over `target`;
    // Unsupported (nothing drawn) when they cannot be an overlay, as above.
    YuvDraw renderYuvOverlays(int64_t index, size_t pictures, YuvImage *target,
                              RenderError *error);
    // Whether no clip shows on frame `index`.
    bool showsNoClip(int64_t index) const;
    // Whether the lowest layer shown on `index` might be drawn as a picture (kind and
    // geometry only; the source decides the rest).
    bool firstShownMayBePicture(int64_t index) const;

    // Releases sources of layers that end at or before `frame`.
    void releaseBefore(int64_t frame);

    static constexpr int kMaxOpenVideos = 4;

private:
    struct ImageEntry {
        ImageInfo info;
        QSize drawSize;  // largest size any layer draws it at
        QImage image;    // decoded lazily
        YuvImage yuv;    // `image` in yuv420p, for renderYuv, made when first needed
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
    // compositor_yuv.cpp
    struct PlaneSource;
    struct YuvState;
    YuvDraw planeSource(size_t index, int64_t frame, PlaneSource *out, RenderError *error);
    void collectShown(int64_t index, std::vector<size_t> *shown) const;
    bool mayBePicture(const Layer &layer, int64_t index) const;
    // Whether `layers` cannot be drawn as a cached overlay on `index` (see PictureRun).
    bool overlayUnsupported(const std::vector<size_t> &layers, int64_t index) const;
    YuvDraw drawPictures(int64_t index, YuvImage *target, PictureRun *run, bool withOverlays,
                         RenderError *error);
    YuvDraw blendOverlay(const std::vector<size_t> &layers, int64_t frame, YuvImage *target,
                         RenderError *error);

    Composition m_comp;
    bool m_prepared = false;
    int m_decoderThreads = 0;
    bool m_convertVisibleOnly = true;
    uint64_t m_useCounter = 0;
    std::map<QString, ImageEntry> m_images;  // by source path
    std::vector<LayerState> m_layers;        // parallel to m_comp.layers
    std::unique_ptr<YuvState> m_yuv;         // renderYuv's scratch and overlay cache
};

}  // namespace render
