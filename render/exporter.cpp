// SPDX-License-Identifier: GPL-3.0-or-later
// exportComposition: the frame loop, as a two-stage pipeline. The calling thread composites
// frame N+1 while a writer thread converts and hands frame N to libx264 (which encodes on its
// own threads) and feeds the audio mix in step, so the muxer never buffers one stream while
// waiting for the other. Compositing stays on the calling thread because it is the one that
// loaded the fonts and owns the sources; the writer thread only ever touches the VideoWriter.
// Frames travel through a few preallocated canvases, so the hot loop allocates nothing.
#include "compositor.h"
#include "export_pipeline.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <array>
#include <cstdio>
#include <condition_variable>
#include <deque>
#include <mutex>
#include <thread>

#include <time.h>

namespace render {

using namespace pipeline;

ExportResult exportComposition(const Composition &c, const QString &outputPath,
                               const ProgressFn &progress, const CancelFlag *cancel,
                               int64_t stillFrame, int encoders, const StillFn &onStill,
                               EncoderSlots *chunkSlots)
{
    ExportResult result;
    const QString finalPath = QFileInfo(outputPath).absoluteFilePath();
    if (encoders > 1 && encodeChunkStarts(c.frameCount, c.fps).size() > 1)
        return exportChunksInParallel(c, finalPath, progress, cancel, stillFrame, encoders,
                                      onStill, chunkSlots);
    Compositor compositor(c);
    compositor.setDecoderThreads(c.encode.threads);
    // Everything that can be checked up front is, so a missing file fails before encoding.
    if (!compositor.prepare(&result.error))
        return result;
    std::vector<float> audio;
    if (!mixAudio(c, &audio, &result.error))
        return result;
    if (cancelled(cancel))
        return cancelledResult(finalPath, 0);

    std::array<Canvas, kCanvases> canvases;
    for (Canvas &canvas : canvases) {
        if (!canvas.allocate(c.width, c.height)) {
            result.error.kind = ErrorKind::Internal;
            result.error.message =
                QCoreApplication::translate("render",
                                            "Out of memory for a %1×%2 frame. Close other "
                                            "programs or export fewer variants at once, then "
                                            "export again.")
                    .arg(c.width).arg(c.height);
            return result;
        }
    }

    VideoWriter writer;
    // Always with an audio track (silent when there are no clips): platforms and players
    // treat video-only files differently, every export looks the same.
    if (!writer.open(finalPath, c.width, c.height, c.fps, c.encode, true, &result.error,
                     c.frameCount))
        return result;

    const bool stats = qEnvironmentVariableIsSet("CAMPAIGN_RENDER_STATS");
    const double compositeCpuStart = threadCpuSeconds();
    Handover h;
    for (size_t i = 0; i < kCanvases; ++i)
        h.free.push_back(i);
    std::thread writerThread(writeFrames, std::ref(h), std::ref(writer), std::cref(canvases),
                             std::cref(c), std::cref(audio));
    // Should anything below throw (bad_alloc in a painter), the writer is stopped and joined
    // before `h`, the canvases and the writer go away; VideoWriter's destructor then removes
    // the partial file.
    struct StopOnUnwind {
        Handover &h;
        std::thread &thread;
        ~StopOnUnwind()
        {
            if (!thread.joinable())
                return;
            {
                std::lock_guard lock(h.mutex);
                h.stop = true;
                h.changed.notify_all();
            }
            thread.join();
        }
    } stopOnUnwind{h, writerThread};

    // Progress is reported here, on the calling thread, one frame at a time and with a cancel
    // check after each, so a cancel from inside the callback stops at exactly that count.
    int64_t reported = 0;
    bool stopped = false;  // cancelled or failed: the file is discarded
    bool wasCancelled = false;
    auto reportUpTo = [&](int64_t encoded) {
        while (reported < encoded) {
            ++reported;
            if (progress)
                progress(reported, c.frameCount);
            if (cancelled(cancel)) {
                wasCancelled = true;
                return false;
            }
        }
        return true;
    };

    for (int64_t i = 0; i < c.frameCount && !stopped; ++i) {
        if (cancelled(cancel)) {
            wasCancelled = stopped = true;
            break;
        }
        size_t canvas = 0;
        int64_t encoded = 0;
        {
            std::unique_lock lock(h.mutex);
            h.changed.wait(lock, [&] { return h.failed || !h.free.empty(); });
            if (h.failed) {
                stopped = true;
                break;
            }
            canvas = h.free.front();
            h.free.pop_front();
            encoded = h.encoded;
        }
        if (!reportUpTo(encoded)) {
            stopped = true;
            break;
        }
        if (!drawFrame(compositor, i, canvases[canvas], &result.error)) {
            stopped = true;
            break;
        }
        if (i == stillFrame) {
            result.still = stillOf(canvases[canvas], c, [&](QImage *still) {
                return compositor.render(i, still, &result.error);
            }, &result.error);
            if (result.still.isNull()) {
                stopped = true;
                break;
            }
            if (onStill)
                onStill(0, result.still);
        }
        {
            std::lock_guard lock(h.mutex);
            h.filled.emplace_back(canvas, i);
            h.changed.notify_all();
        }
        compositor.releaseBefore(i + 1);
    }
    // Drain: wait for the writer to finish the queued frames, still reporting progress.
    while (!stopped && reported < c.frameCount) {
        int64_t encoded = 0;
        bool done = false;
        {
            std::unique_lock lock(h.mutex);
            h.inputEnded = true;
            h.changed.notify_all();
            h.changed.wait(lock, [&] { return h.failed || h.encoded > reported; });
            if (h.failed) {
                stopped = true;
                break;
            }
            encoded = h.encoded;
            done = encoded == c.frameCount;
        }
        if (!reportUpTo(encoded))
            stopped = true;
        else if (done)
            break;
    }
    {
        std::lock_guard lock(h.mutex);
        h.stop = stopped;
        h.inputEnded = true;
        h.changed.notify_all();
    }
    writerThread.join();
    if (stats) {
        std::fprintf(stderr, "render stats: compositing thread %.2f s CPU, writer thread %.2f s "
                             "CPU (%lld frames)\n",
                     threadCpuSeconds() - compositeCpuStart, h.writerCpu,
                     static_cast<long long>(reported));
    }

    if (h.failed && !wasCancelled && !result.error)
        result.error = h.error;
    if (stopped || h.failed) {
        writer.abort();
        if (wasCancelled)
            return cancelledResult(finalPath, reported);
        result.framesWritten = reported;
        return result;
    }
    result.framesWritten = reported;
    if (!writer.finish(&result.error))
        return result;
    result.outputPath = finalPath;
    return result;
}

}  // namespace render
