// SPDX-License-Identifier: GPL-3.0-or-later
// One variant on several cores: its video is encoded in fixed chunks (encodeChunkStarts), so
// each worker thread takes a chunk and composites and encodes its frames with its own
// Compositor and encoder, while the calling thread encodes the audio and reports progress.
// The bytes are those of the one-thread export, which fills the same chunks one after
// another; only the wall time changes.
#include "compositor.h"
#include "encoder_slots.h"
#include "export_pipeline.h"

#include <QCoreApplication>

#include <condition_variable>
#include <cstdio>
#include <memory>
#include <mutex>
#include <new>
#include <thread>

namespace render::pipeline {

namespace {
struct ChunkWork {
    std::mutex mutex;
    std::condition_variable changed;
    size_t nextChunk = 0;
    int64_t done = 0;           // frames handed to an encoder, over all chunks
    std::atomic<bool> stop{false};
    bool failed = false;
    RenderError error;
    QImage still;
    double workerCpu = 0.0;

    void fail(const RenderError &e)
    {
        std::lock_guard lock(mutex);
        if (!failed) {
            failed = true;
            error = e;
        }
        stop = true;
        changed.notify_all();
    }
};

QString outOfMemoryFor(const Composition &c)
{
    return QCoreApplication::translate("render",
                                       "Out of memory for a %1×%2 frame. Close other programs "
                                       "or export fewer variants at once, then export again.")
        .arg(c.width).arg(c.height);
}
}  // namespace

ExportResult exportChunksInParallel(const Composition &c, const QString &finalPath,
                                    const ProgressFn &progress, const CancelFlag *cancel,
                                    int64_t stillFrame, int encoders, const StillFn &onStill,
                                    EncoderSlots *chunkSlots)
{
    ExportResult result;
    const std::vector<int64_t> starts = encodeChunkStarts(c.frameCount, c.fps);
    // A compositor per chunk, each prepared here so a missing file fails before encoding.
    // Sources open lazily, so a chunk's decoders and stills cost memory only while it runs.
    std::vector<std::unique_ptr<Compositor>> compositors;
    for (size_t k = 0; k < starts.size(); ++k) {
        compositors.push_back(std::make_unique<Compositor>(c));
        compositors.back()->setDecoderThreads(c.encode.threads);
        if (!compositors.back()->prepare(&result.error))
            return result;
    }
    std::vector<float> audio;
    if (!mixAudio(c, &audio, &result.error))
        return result;
    if (cancelled(cancel))
        return cancelledResult(finalPath, 0);

    VideoWriter writer;
    if (!writer.open(finalPath, c.width, c.height, c.fps, c.encode, true, &result.error,
                     c.frameCount))
        return result;
    Q_ASSERT(size_t(writer.chunkCount()) == starts.size());

    ChunkWork work;
    const auto worker = [&] {
        const double cpuStart = threadCpuSeconds();
        try {
            Canvas canvas;
            if (!canvas.allocate(c.width, c.height))
                return work.fail({ErrorKind::Internal, outOfMemoryFor(c)});
            for (;;) {
                size_t k = 0;
                {
                    std::lock_guard lock(work.mutex);
                    if (work.stop || work.nextChunk >= starts.size())
                        break;
                    k = work.nextChunk++;
                }
                // Taken per chunk and given back as soon as its encoder is closed: another
                // cell's chunk can start on this core while this cell's other chunk finishes.
                SlotHold slot(chunkSlots, 1);
                Compositor &compositor = *compositors[k];
                for (int64_t f = writer.chunkStart(int(k)); f < writer.chunkEnd(int(k)); ++f) {
                    if (work.stop || cancelled(cancel))
                        return;
                    RenderError error;
                    if (!drawFrame(compositor, f, canvas, &error)
                        || !(canvas.isYuv ? writer.writeChunkFrame(int(k), canvas.yuv, &error)
                                          : writer.writeChunkFrame(int(k), canvas.rgb, &error)))
                        return work.fail(error);
                    QImage still;
                    if (f == stillFrame) {
                        still = stillOf(canvas, c, [&](QImage *image) {
                            return compositor.render(f, image, &error);
                        }, &error);
                        if (still.isNull())
                            return work.fail(error);
                        if (onStill)
                            onStill(0, still);
                    }
                    compositor.releaseBefore(f + 1);
                    std::lock_guard lock(work.mutex);
                    if (f == stillFrame)
                        work.still = std::move(still);
                    ++work.done;
                    work.changed.notify_all();
                }
                compositors[k].reset();  // this chunk's decoders and stills
            }
        } catch (const std::bad_alloc &) {
            work.fail({ErrorKind::Internal, outOfMemoryFor(c)});
        }
        std::lock_guard lock(work.mutex);
        work.workerCpu += threadCpuSeconds() - cpuStart;
    };
    std::vector<std::thread> threads;
    const size_t workers = std::min(starts.size(), size_t(std::max(1, encoders)));
    for (size_t i = 0; i < workers; ++i)
        threads.emplace_back(worker);
    const auto joinAll = [&] {
        work.stop = work.stop || work.failed;
        for (std::thread &t : threads)
            if (t.joinable())
                t.join();
    };
    struct JoinOnUnwind {
        ChunkWork &work;
        std::vector<std::thread> &threads;
        ~JoinOnUnwind()
        {
            work.stop = true;
            for (std::thread &t : threads)
                if (t.joinable())
                    t.join();
        }
    } joinOnUnwind{work, threads};

    // The audio is encoded here while the workers draw (AAC is serial and small).
    RenderError audioError;
    if (!writer.writeWholeAudio(audio.data(), int64_t(audio.size() / 2), c.frameCount,
                                &audioError))
        work.fail(audioError);

    int64_t reported = 0;
    bool wasCancelled = false;
    while (reported < c.frameCount) {
        int64_t done = 0;
        {
            std::unique_lock lock(work.mutex);
            work.changed.wait_for(lock, std::chrono::milliseconds(100),
                                  [&] { return work.failed || work.done > reported; });
            if (work.failed)
                break;
            done = work.done;
        }
        while (reported < done) {
            ++reported;
            if (progress)
                progress(reported, c.frameCount);
            if (cancelled(cancel))
                break;
        }
        if (cancelled(cancel)) {
            wasCancelled = true;
            work.stop = true;
            break;
        }
    }
    joinAll();
    if (qEnvironmentVariableIsSet("CAMPAIGN_RENDER_STATS"))
        std::fprintf(stderr, "render stats: %zu chunk workers %.2f s CPU (%lld frames)\n",
                     workers, work.workerCpu, static_cast<long long>(reported));
    if (wasCancelled || (!work.failed && cancelled(cancel))) {
        writer.abort();
        return cancelledResult(finalPath, reported);
    }
    if (work.failed) {
        writer.abort();
        result.error = work.error;
        result.framesWritten = reported;
        return result;
    }
    result.framesWritten = reported;
    if (!writer.finish(&result.error))
        return result;
    result.outputPath = finalPath;
    result.still = std::move(work.still);
    return result;
}

}  // namespace render::pipeline
