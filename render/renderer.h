// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Public face of the render core. FFmpeg and OpenCV stay behind these declarations: nothing
// here includes a libav* or OpenCV header, so no other layer can reach them.

#include "composition.h"

#include <QImage>
#include <QSize>
#include <QString>

#include <atomic>
#include <cstdint>
#include <functional>
#include <map>
#include <memory>
#include <vector>

namespace render {

class EncoderSlots;  // encoder_slots.h
struct YuvImage;     // yuv_image.h

// Set by any thread; checked by the renderer at every frame boundary.
using CancelFlag = std::atomic<bool>;

// Called once per cell with the frame the caller asked for as a still (the poster), as soon
// as it is composited, on a rendering thread: hand it on and return, the encoders wait. The
// caller can then encode the poster while the video still encodes instead of after it.
using StillFn = std::function<void(size_t cell, const QImage &still)>;

// Called on the thread that called exportComposition, once per frame and in order, after
// the frame has been handed to the encoder (the export composites and encodes in parallel).
using ProgressFn = std::function<void(int64_t framesDone, int64_t framesTotal)>;

// Why something failed, so callers can map it to an exit code or a message.
enum class ErrorKind {
    None,
    MissingInput,   // a source file does not exist or is not a regular file
    InvalidInput,   // a source exists but cannot be decoded, or the composition is nonsense
    CannotCreate,   // the output folder is not writable / cannot be created
    IoError,        // writing failed part way (disk full, I/O error)
    Cancelled,
    Internal,
};

struct RenderError {
    ErrorKind kind = ErrorKind::None;
    QString message;  // human readable, names the file involved and what to do
    explicit operator bool() const { return kind != ErrorKind::None; }
};

// Loads the fonts the renderer uses (Noto Sans, Noto Sans Arabic, Noto Sans CJK, DejaVu Sans) from their
// files so preview and export never depend on what fontconfig would pick. Call once after
// the Q(Gui)Application exists; returns false with a message naming the missing font file.
bool loadRenderFonts(QString *error = nullptr);

// Registers the font files in <projectDir>/fonts/ (*.ttf, *.otf, *.ttc), so a brand font
// shipped with the project is drawn from that file in the preview and the export alike.
// Returns the families newly registered; files Qt cannot read are appended to `failed`.
QStringList loadProjectFonts(const QString &projectDir, QStringList *failed = nullptr);

// Returns `c` with every geometric quantity (size, rects, offsets, text sizes, padding)
// scaled by `factor`: the preview renders a small copy of the exact same composition.
Composition scaledComposition(const Composition &c, double factor);

// Renders single frames of one composition, keeping its sources open between calls so
// scrubbing forward is cheap. Not thread-safe: use one instance per thread.
class FrameRenderer {
public:
    explicit FrameRenderer(Composition composition);
    ~FrameRenderer();
    FrameRenderer(const FrameRenderer &) = delete;
    FrameRenderer &operator=(const FrameRenderer &) = delete;

    const Composition &composition() const;
    // The frame at `index` (clamped to the composition) as Format_RGB32 of the composition's
    // size. On failure returns a null image and fills `error`.
    QImage renderFrame(int64_t index, RenderError *error = nullptr);

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

struct ExportResult {
    RenderError error;          // kind None on success
    QString outputPath;         // the final path (exists only on success)
    int64_t framesWritten = 0;
    // Frame `stillFrame` exactly as it went to the encoder, when one was asked for: the
    // poster, without rendering that frame a second time.
    QImage still;
};

// Renders `c` to an H.264/AAC MP4 at `outputPath`. Encodes into a temporary
// "<name>.partial-XXXXXX" file in the same folder and renames it over `outputPath` only after
// the trailer is written and flushed; on failure or cancel the temporary file is removed and
// any earlier file at `outputPath` is left untouched.
//
// The video is encoded in the chunks encodeChunkStarts() gives, each by its own encoder, so
// `encoders` > 1 lets that many chunks render and encode at once (one core each) with the
// same bytes as `encoders` = 1: the split is fixed by the composition, not by the machine.
// With `chunkSlots`, each of those chunks holds one of them while it renders (encoder_slots.h).
ExportResult exportComposition(const Composition &c, const QString &outputPath,
                               const ProgressFn &progress = {},
                               const CancelFlag *cancel = nullptr, int64_t stillFrame = -1,
                               int encoders = 1, const StillFn &onStill = {},
                               EncoderSlots *chunkSlots = nullptr);

// Where the independently encoded chunks of a video of `frameCount` frames start (the first
// is 0): about 7.5 s each, an even number of them, one chunk for videos under 4 s. Each
// chunk starts with a keyframe. A fixed rule, so the bytes of an export never depend on how
// many cores or jobs rendered it.
std::vector<int64_t> encodeChunkStarts(int64_t frameCount, FrameRate fps);

// The number of bottom layers that every composition of `group` has in common, drawn the
// same in each (0 when the compositions differ in size, frame rate, length or background).
// The cells of one format usually share their pictures and differ only in a text layer or
// a segment's image above them.
size_t sharedLayerCount(const std::vector<Composition> &group);

// Called on exportGroup's thread: `cell` (an index into the group) has encoded `framesDone`.
using GroupProgressFn = std::function<void(size_t cell, int64_t framesDone, int64_t framesTotal)>;

// Exports several compositions that share their first sharedLayerCount() layers in one pass:
// each frame's shared layers are drawn once, copied into every cell's canvas, and only the
// layers above them are drawn per cell; every cell has its own writer thread and encoder.
// Each cell gets exactly the pixels, and so the bytes, exportComposition gives it alone. One
// cell failing (its disk write, its own layers) fails only that cell; a failure of the shared
// layers or a cancel ends them all. Same partial-file contract as exportComposition.
std::vector<ExportResult> exportGroup(const std::vector<Composition> &group,
                                      const QStringList &outputPaths,
                                      const GroupProgressFn &progress = {},
                                      const CancelFlag *cancel = nullptr,
                                      int64_t stillFrame = -1, const StillFn &onStill = {});

// Low-level encoder used by exportComposition and by generators that draw their own frames.
// Same temporary-name-then-rename contract.
class VideoWriter {
public:
    VideoWriter();
    ~VideoWriter();  // aborts (removes the temporary file) if finish() was not reached
    VideoWriter(const VideoWriter &) = delete;
    VideoWriter &operator=(const VideoWriter &) = delete;

    // withAudio: add a 48 kHz stereo AAC track fed by writeAudio(). With a known
    // `frameCount` the video is encoded in the chunks of encodeChunkStarts(); unknown (-1)
    // is one chunk. Packets are kept in memory and muxed by finish() (a few MB per minute).
    bool open(const QString &outputPath, int width, int height, FrameRate fps,
              const EncodeSettings &settings, bool withAudio, RenderError *error,
              int64_t frameCount = -1);
    // Any QImage format; converted to yuv420p. Must match the opened size. Frames in order;
    // the chunks fill one after another, one encoder open at a time.
    bool writeFrame(const QImage &frame, RenderError *error);
    // A frame already in yuv420p (the compositor's YUV path), copied as it is.
    bool writeFrame(const YuvImage &frame, RenderError *error);
    // The chunks, for writing them in parallel: frames [chunkStart, chunkEnd) of `chunk` go
    // in order to writeChunkFrame(chunk, ...). Different chunks may be written from
    // different threads at once; one chunk from one thread. A failure does not abort: the
    // caller stops the other threads, then calls abort().
    int chunkCount() const;
    int64_t chunkStart(int chunk) const;
    int64_t chunkEnd(int chunk) const;
    bool writeChunkFrame(int chunk, const QImage &frame, RenderError *error);
    bool writeChunkFrame(int chunk, const YuvImage &frame, RenderError *error);
    // Interleaved stereo float samples at settings.audioSampleRate. May run on its own
    // thread next to writeChunkFrame(); like it, a failure does not abort.
    bool writeAudio(const float *interleaved, int64_t sampleFrames, RenderError *error);
    // Instead of writeAudio(): the whole soundtrack of a video of `videoFrames` frames at
    // once, padded with silence or cut to that length, encoded to the end (finish() must then
    // see exactly that many frames). A soundtrack encoded earlier in this process with the
    // same samples and settings is not encoded again: its packets are reused, the same bytes.
    bool writeWholeAudio(const float *interleaved, int64_t sampleFrames, int64_t videoFrames,
                         RenderError *error);
    // Flushes the encoders, muxes, writes the trailer and renames into place.
    bool finish(RenderError *error);
    void abort();

private:
    bool writeFrame(const QImage *rgb, const YuvImage *yuv, RenderError *error);
    bool writeChunkFrame(int chunk, const QImage *rgb, const YuvImage *yuv, RenderError *error);
    struct Impl;
    std::unique_ptr<Impl> d;
};

// What a media file contains, read back with libavformat (used by tests and the asset bin).
struct MediaInfo {
    RenderError error;
    QString container;      // e.g. "mov,mp4,m4a,3gp,3g2,mj2"
    QString videoCodec;     // e.g. "h264"; empty when there is no video stream
    QString pixelFormat;    // e.g. "yuv420p"
    int width = 0, height = 0;
    FrameRate fps{0, 1};
    int64_t videoFrames = 0;   // counted by demuxing when the header does not say
    double durationSec = 0.0;  // container duration
    double videoDurationSec = 0.0;
    QString audioCodec;     // e.g. "aac"; empty when there is no audio stream
    int audioSampleRate = 0;
    int audioChannels = 0;
    bool faststart = false;    // moov atom before mdat
};
MediaInfo probeMedia(const QString &path);

// Decodes the video frame shown at `seconds` (the last frame with pts <= seconds) as
// Format_RGB32. For tests, thumbnails and pixel checks.
QImage decodeVideoFrame(const QString &path, double seconds, RenderError *error = nullptr);

// Decodes an audio stream fully to 48 kHz stereo float (interleaved). For tests and
// waveforms. Refuses more than `maxSeconds` of audio.
std::vector<float> decodeAudio(const QString &path, double maxSeconds, RenderError *error = nullptr);

// Diagnostics for tests and benchmarks: how often each media file was opened for decoding
// (video layers and audio clips) since the last reset, process-wide. Lets a test assert that
// an export opens each source video once instead of once per frame or per layer.
struct DebugCounters {
    std::map<QString, int> decoderOpens;  // by the path as given in the composition
    int totalDecoderOpens = 0;
    // Exported frames (per output) drawn straight in YUV (Compositor::renderYuv) and in RGB.
    int64_t yuvFrames = 0;
    int64_t rgbFrames = 0;
};
DebugCounters debugCounters();
void resetDebugCounters();

// Soundtracks AAC-encoded and soundtracks reused (identical samples and settings, encoded
// earlier in this process: every format of a segment, segments sharing a bed) since the last
// forgetEncodedSoundtracks(), which also drops the encoded ones kept for reuse.
struct SoundtrackCounters {
    int encodes = 0;
    int reuses = 0;
};
SoundtrackCounters soundtrackCounters();
void forgetEncodedSoundtracks();

}  // namespace render
