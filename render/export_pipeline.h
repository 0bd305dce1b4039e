// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The two-stage export pipeline shared by exportComposition (one cell) and exportGroup (the
// cells of one format that share their lower layers): a compositing thread fills canvases, a
// writer thread per output converts and encodes them. Internal to render/.
#include "audio_mix.h"
#include "compositor.h"
#include "pixel_memory.h"
#include "renderer.h"
#include "yuv_image.h"

#include <QCoreApplication>

#include <array>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <utility>

#include <time.h>

namespace render {
void countExportedFrame(bool yuv);  // DebugCounters (ffmpeg/input.cpp)
}

namespace render::pipeline {

inline bool cancelled(const CancelFlag *cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

inline ExportResult cancelledResult(const QString &path, int64_t frames)
{
    ExportResult result;
    result.error.kind = ErrorKind::Cancelled;
    result.error.message = QCoreApplication::translate("render",
                               "Export of \"%1\" cancelled; the earlier file, if any, is unchanged.")
                               .arg(path);
    result.framesWritten = frames;
    return result;
}

// CPU seconds used so far by the calling thread; for the stage breakdown printed when
// CAMPAIGN_RENDER_STATS is set (where the time goes, without a profiler).
inline double threadCpuSeconds()
{
    timespec t{};
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t);
    return double(t.tv_sec) + double(t.tv_nsec) / 1e9;
}

// A frame on its way to the encoder: drawn in RGB, or straight in yuv420p (renderYuv).
struct Canvas {
    QImage rgb;  // Format_RGB32, the composition size
    YuvImage yuv;
    bool isYuv = false;

    bool allocate(int width, int height)
    {
        rgb = hugePageImage(width, height, QImage::Format_RGB32);
        // An odd size has no yuv420p frame (the writer refuses it with a clear message).
        return !rgb.isNull() && (width % 2 || height % 2 || yuv.allocate(width, height));
    }
    // Which of the two the frame was drawn into (and counted for DebugCounters).
    void drawnAs(bool inYuv)
    {
        isYuv = inYuv;
        countExportedFrame(inYuv);
    }
};

// Whether frames may take the YUV path: CAMPAIGN_RENDER_PATH=rgb turns it off, to compare
// the two (bench/README.md).
inline bool yuvPathAllowed()
{
    static const bool allowed = qgetenv("CAMPAIGN_RENDER_PATH") != "rgb";
    return allowed;
}

// Settles how a frame went into `canvas` after a YUV attempt: drawn there, failed, or left
// to the RGB path, which `drawRgb()` then draws.
template <typename DrawRgb>
bool settleYuvDraw(Compositor::YuvDraw drawn, Canvas &canvas, DrawRgb &&drawRgb)
{
    switch (drawn) {
    case Compositor::YuvDraw::Drawn:
        canvas.drawnAs(true);
        return true;
    case Compositor::YuvDraw::Failed:
        return false;
    case Compositor::YuvDraw::Unsupported:
        break;
    }
    canvas.drawnAs(false);
    return drawRgb();
}

// Frame `index` into `canvas`: in YUV where the compositor can, in RGB otherwise.
inline bool drawFrame(Compositor &compositor, int64_t index, Canvas &canvas, RenderError *error)
{
    const Compositor::YuvDraw drawn = yuvPathAllowed()
        ? compositor.renderYuv(index, &canvas.yuv, error)
        : Compositor::YuvDraw::Unsupported;
    return settleYuvDraw(drawn, canvas,
                         [&] { return compositor.render(index, &canvas.rgb, error); });
}

inline RenderError outOfMemoryForFrame(const Composition &c)
{
    return {ErrorKind::Internal,
            QCoreApplication::translate("render", "Out of memory for a %1×%2 frame. Close other "
                                                  "programs or export fewer variants at once, "
                                                  "then export again.")
                .arg(c.width).arg(c.height)};
}

// The poster still of a frame drawn into `canvas`: always the RGB drawing (the pixels the
// preview shows). A frame that went the YUV way is drawn again by `drawRgb(QImage *)`.
template <typename DrawRgb>
QImage stillOf(const Canvas &canvas, const Composition &c, DrawRgb &&drawRgb, RenderError *error)
{
    if (!canvas.isYuv)
        return canvas.rgb.copy();
    QImage still(c.width, c.height, QImage::Format_RGB32);
    if (still.isNull()) {
        if (error)
            *error = outOfMemoryForFrame(c);
        return {};
    }
    return drawRgb(&still) ? still : QImage();
}

// Three canvases per output: one being composited, one being encoded, one spare. A group
// export draws the shared layers of a frame into one cell's canvas and copies them into the
// others', so it needs a free canvas from every cell at once; with only two, the encoders of
// a group waited on each other (16-cell reference batch: 59.6-60.7 s with two, 56.4-58.3 s
// with three, peak memory 551-564 MB against 571 MB).
constexpr size_t kCanvases = 3;

// The hand-over between the compositing thread and the writer thread. Canvases move from
// `free` to `filled` (compositor) and back (writer); only indices cross the threads.
struct Handover {
    std::mutex mutex;
    std::condition_variable changed;
    std::deque<size_t> free;
    std::deque<std::pair<size_t, int64_t>> filled;  // canvas, frame index
    bool inputEnded = false;  // compositor: no more frames will come
    bool stop = false;        // compositor: drop what is queued and return (cancel / error)
    bool failed = false;      // writer: an error is in `error`
    int64_t encoded = 0;      // frames the writer has fully handed over (video and audio)
    RenderError error;
    double writerCpu = 0.0;   // writer thread CPU: colour conversion + encoder hand-over
};

// The writer thread's loop: encode queued canvases in order until the input ends or stops.
inline void writeFrames(Handover &h, VideoWriter &writer, const std::array<Canvas, kCanvases> &canvases,
                 const Composition &c, const std::vector<float> &audio)
{
    bool audioWritten = false;
    struct CpuNote {
        Handover &h;
        ~CpuNote() { h.writerCpu = threadCpuSeconds(); }  // read after join()
    } note{h};
    for (;;) {
        std::pair<size_t, int64_t> job;
        {
            std::unique_lock lock(h.mutex);
            h.changed.wait(lock, [&] { return h.stop || !h.filled.empty() || h.inputEnded; });
            if (h.stop || h.filled.empty())
                return;
            job = h.filled.front();
            h.filled.pop_front();
        }
        RenderError error;
        // The soundtrack whole, before the first frame: encoded once for every cell that has
        // the same one (the cells of a group wait here for the first to encode it).
        bool ok = std::exchange(audioWritten, true)
            || writer.writeWholeAudio(audio.data(), int64_t(audio.size() / 2), c.frameCount,
                                      &error);
        const Canvas &canvas = canvases[job.first];
        ok = ok && (canvas.isYuv ? writer.writeFrame(canvas.yuv, &error)
                                 : writer.writeFrame(canvas.rgb, &error));
        std::lock_guard lock(h.mutex);
        if (!ok) {
            h.failed = true;
            h.error = error;
            h.changed.notify_all();
            return;
        }
        h.free.push_back(job.first);
        ++h.encoded;
        h.changed.notify_all();
    }
}
// exportComposition with `encoders` > 1 and more than one chunk: the chunks rendered and
// encoded on that many threads at once (parallel_export.cpp), each chunk holding one of
// `chunkSlots` (if given) while it renders.
ExportResult exportChunksInParallel(const Composition &c, const QString &finalPath,
                                    const ProgressFn &progress, const CancelFlag *cancel,
                                    int64_t stillFrame, int encoders, const StillFn &onStill,
                                    EncoderSlots *chunkSlots);
}  // namespace render::pipeline
