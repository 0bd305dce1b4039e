// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// A Composition is the complete, pure-data description of one output video: what to draw on
// every frame and which sounds to mix. The editor resolves a (segment, format) variant into
// one; the renderer turns it into frames and files. It knows nothing about campaigns,
// segments or slots: every source is a resolved file path, every time is a frame index at the
// composition's frame rate, every position is in output pixels.

#include <QColor>
#include <QRectF>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

namespace render {

// Frame rate as an exact ratio (30000/1001 for NTSC-style rates).
struct FrameRate {
    int num = 30;
    int den = 1;
    double toDouble() const { return den ? double(num) / den : 0.0; }
    bool operator==(const FrameRate &) const = default;
};

// One keyframe of an animated scalar; `frame` is in composition frames.
struct Keyframe {
    int64_t frame = 0;
    double value = 0.0;
    bool operator==(const Keyframe &) const = default;
};

// A scalar that is either constant (`keys` empty) or linearly interpolated between keyframes,
// held flat before the first and after the last.
struct AnimatedValue {
    double constant = 0.0;
    std::vector<Keyframe> keys;  // sorted by frame, unique frames

    double at(int64_t frame) const;
    bool operator==(const AnimatedValue &) const = default;
};

// How a source image fills the layer rectangle.
enum class Fit {
    Cover,    // scale to cover the rectangle, crop the overflow (centre by `focusX/Y`)
    Contain,  // scale to fit inside, letterbox transparently
    Stretch,  // ignore aspect
};

// Ken Burns: a slow zoom/pan over the layer's lifetime. Scale 1.0 = the Fit result; focus is
// the point of the (fitted) source, in 0..1, that sits at the rectangle's centre.
struct KenBurns {
    bool enabled = false;
    double startScale = 1.0, endScale = 1.0;
    double startFocusX = 0.5, startFocusY = 0.5;
    double endFocusX = 0.5, endFocusY = 0.5;
    bool operator==(const KenBurns &) const = default;
};

// Smart reframe: at `frame`, the part of the source (0..1 fractions of its width/height) that
// is cover-fitted into the layer rect; linear between keys, held before the first and after
// the last. See render/reframe.h for how windows are chosen.
struct CropKeyframe {
    int64_t frame = 0;
    QRectF window{0, 0, 1, 1};
    bool operator==(const CropKeyframe &) const = default;
};

enum class TextAlign { Leading, Center, Trailing };  // Leading = left for LTR, right for RTL

struct TextStyle {
    QString fontFamily = QStringLiteral("Noto Sans");
    double pixelSize = 48.0;  // in output pixels
    bool bold = true;
    QColor color = Qt::white;
    QColor boxColor = QColor(0, 0, 0);
    double boxOpacity = 0.0;  // 0 = no box behind the text
    double padding = 0.0;     // inside the box, output pixels
    TextAlign align = TextAlign::Center;
    // Shrink-to-fit floor (text_fit.h): the text may shrink to minScale x pixelSize, but never
    // below minPixelSize output pixels; below that it wraps inside words, then overflows.
    double minScale = 0.6;
    double minPixelSize = 0.0;
    // Families tried after fontFamily, before the built-in per-script chain (brand kit fonts
    // per script, e.g. an Arabic or CJK brand face).
    QStringList fallbackFamilies;
    bool operator==(const TextStyle &) const = default;
};

enum class LayerKind { Image, Video, Text, Solid };

// One visual layer. Layers are drawn in vector order (first = bottom).
struct Layer {
    LayerKind kind = LayerKind::Image;
    QString id;            // stable id (the timeline clip id), for diagnostics and caching
    int64_t startFrame = 0;  // first composition frame the layer is visible on
    int64_t endFrame = 0;    // one past the last visible frame

    // Image/Video: absolute path of the resolved source file.
    QString sourcePath;
    // Video: source time (seconds, exact ratio) shown at startFrame; the source then plays at
    // its own speed, one source second per composition second.
    int64_t sourceInNum = 0;
    int64_t sourceInDen = 1;

    // Where the layer sits, in output pixels. The Fit maps the source into it.
    QRectF rect;
    Fit fit = Fit::Cover;
    double focusX = 0.5, focusY = 0.5;  // Cover crop centre in the source, 0..1
    KenBurns kenBurns;
    // Image/Video: when not empty, replaces the Fit and focus: the window is scaled to cover
    // the rect and centred in it (Ken Burns zoom then scales around the window's centre).
    std::vector<CropKeyframe> sourceCrop;  // sorted by frame, unique frames

    // Multiplied together: a constant/keyframed opacity and the transition ramps.
    AnimatedValue opacity{1.0, {}};
    // Extra transform keyframes around the rect centre: scale factor and offset in pixels.
    AnimatedValue scale{1.0, {}};
    AnimatedValue offsetX{0.0, {}};
    AnimatedValue offsetY{0.0, {}};
    // Crossfade in/out: opacity ramps over this many frames at the start / end of the layer.
    int64_t fadeInFrames = 0;
    int64_t fadeOutFrames = 0;

    // Text: already slot-substituted and locale-formatted. RTL is detected from the text.
    QString text;
    TextStyle textStyle;

    // Solid: fill colour of the rect.
    QColor solidColor = Qt::black;
    bool operator==(const Layer &) const = default;
};

// One sound. The mixer resamples everything to 48 kHz stereo.
struct AudioClip {
    QString id;
    QString sourcePath;
    int64_t startFrame = 0;  // composition frame at which the sound starts
    int64_t endFrame = 0;    // one past the last frame it plays on
    int64_t sourceInNum = 0; // source time (seconds ratio) at startFrame
    int64_t sourceInDen = 1;
    double gain = 1.0;           // linear
    int64_t fadeInFrames = 0;    // linear fade from silence
    int64_t fadeOutFrames = 0;   // linear fade to silence ending at endFrame
};

// IPTC NewsCodes for OutputMetadata::digitalSourceType (https://cv.iptc.org/newscodes/
// digitalsourcetype/): a composite that contains generated media, and media made entirely
// by a generative model.
inline constexpr char kDigitalSourceComposite[] =
    "http://cv.iptc.org/newscodes/digitalsourcetype/compositeWithTrainedAlgorithmicMedia";
inline constexpr char kDigitalSourceGenerated[] =
    "http://cv.iptc.org/newscodes/digitalsourcetype/trainedAlgorithmicMedia";

// Provenance written into every output (XMP in MP4/PNG/JPEG plus MP4 container tags, see
// output_metadata.h). Pure data and deliberately free of timestamps, so identical inputs keep
// giving byte-identical files.
struct OutputMetadata {
    QString creatorTool;        // "Campaign Studio 1.4.0"
    QString digitalSourceType;  // one of the kDigitalSource* URIs; empty = no generated media
    QStringList generatorModels;  // models of the generated assets used (any order/duplicates)
    QString title;              // optional
    QString description;        // optional
    bool isEmpty() const
    {
        return creatorTool.isEmpty() && digitalSourceType.isEmpty() && generatorModels.isEmpty()
            && title.isEmpty() && description.isEmpty();
    }
    bool operator==(const OutputMetadata &) const = default;
};

struct EncodeSettings {
    QString x264Preset = QStringLiteral("veryfast");
    int crf = 23;
    int audioBitrate = 128000;
    int audioSampleRate = 48000;
    int threads = 0;  // 0 = let libavcodec choose
    // Frames from one keyframe to the next; 0 = about two seconds (the export default). The
    // preview's proxies use 1 (every frame a keyframe) so scrubbing never decodes a run-up.
    int keyframeInterval = 0;
    OutputMetadata metadata;  // empty = no metadata beyond what libavformat writes itself
    bool operator==(const EncodeSettings &) const = default;
};

struct Composition {
    int width = 1080;
    int height = 1920;
    FrameRate fps;
    int64_t frameCount = 450;
    QColor background = Qt::black;
    std::vector<Layer> layers;
    std::vector<AudioClip> audio;
    EncodeSettings encode;
    // Free-form label for messages ("se-genz / 9x16").
    QString label;
};

}  // namespace render
