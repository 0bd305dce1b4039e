// SPDX-License-Identifier: GPL-3.0-or-later
// exportGroup: the cells of one format in one pass. A per-cell export decodes the clip, scales
// the stills for the Ken Burns moves and blends the crossfades once per cell; here that work
// is done once per frame for the whole group ("base" canvas) and each cell only copies the
// base and draws what is its own (its headline, its logo) on top. Each cell keeps its own
// writer thread and encoder (export_pipeline.h), so the encoders keep the cores busy while
// this thread composites the next frame.
#include "compositor.h"
#include "export_pipeline.h"

#include <QFileInfo>

#include <cstring>
#include <memory>
#include <thread>

namespace render {

using namespace pipeline;

size_t sharedLayerCount(const std::vector<Composition> &group)
{
    if (group.empty())
        return 0;
    const Composition &first = group.front();
    size_t shared = first.layers.size();
    for (const Composition &c : group) {
        if (c.width != first.width || c.height != first.height || !(c.fps == first.fps)
            || c.frameCount != first.frameCount || c.background != first.background)
            return 0;
        size_t same = 0;
        while (same < shared && same < c.layers.size() && c.layers[same] == first.layers[same])
            ++same;
        shared = same;
    }
    return shared;
}

namespace {

Composition layerSlice(const Composition &c, size_t from, size_t to)
{
    Composition slice = c;
    slice.audio.clear();
    slice.layers.assign(c.layers.begin() + std::ptrdiff_t(from), c.layers.begin() + std::ptrdiff_t(to));
    return slice;
}

// One output of the group: its upper layers, encoder, canvases and writer thread.
struct GroupCell {
    GroupCell(Composition upperLayers, const Composition &all)
        : upper(std::move(upperLayers)), whole(all)
    {
    }
    Compositor upper;
    // The whole composition: the layers over the shared pictures on the YUV path, blended
    // as exportComposition blends them (so the bytes stay those of the cell's own export),
    // and the frames whose pictures do not lie in the shared layers.
    Compositor whole;
    QString finalPath;
    std::vector<float> audio;
    std::array<Canvas, kCanvases> canvases;
    VideoWriter writer;
    Handover h;
    std::thread thread;
    ExportResult result;
    QImage still;            // the still frame, once composited
    size_t pictures = 0;     // this frame's shared pictures (FramePath::SharedYuv)
    bool active = false;     // still being rendered
    int64_t reported = 0;    // frames passed to the progress callback

    // Stops and joins the writer thread (idempotent); `drop` discards what is queued.
    void stopWriter(bool drop)
    {
        if (!thread.joinable())
            return;
        {
            std::lock_guard lock(h.mutex);
            h.stop = drop;
            h.inputEnded = true;
            h.changed.notify_all();
        }
        thread.join();
    }
    ~GroupCell() { stopWriter(true); }
};

// How a frame of the group is drawn. The YUV path must give each cell the bytes its own
// exportComposition gives, which draws the pictures at the bottom and then everything above
// them as one overlay: so the shared compositor draws the pictures only, and only when they
// are the same for every cell (they end inside the shared layers); each cell then blends
// all the layers above them itself.
enum class FramePath { Rgb, SharedYuv, CellYuv, Failed };

FramePath chooseAndDrawShared(Compositor &base,
                              const std::vector<std::unique_ptr<GroupCell>> &cells,
                              const std::vector<std::pair<size_t, size_t>> &targets,
                              int64_t frame, Canvas &shared, RenderError *error)
{
    const auto anyCell = [&](auto &&test) {
        return std::any_of(targets.begin(), targets.end(),
                           [&](const auto &t) { return test(*cells[t.first]); });
    };
    if (yuvPathAllowed()) {
        if (anyCell([&](GroupCell &c) { return !c.upper.showsNoClip(frame); }))
            return base.render(frame, &shared.rgb, error) ? FramePath::Rgb : FramePath::Failed;
        Compositor::PictureRun run;
        const Compositor::YuvDraw drawn = base.renderYuvPictures(frame, &shared.yuv, &run, error);
        if (drawn == Compositor::YuvDraw::Failed)
            return FramePath::Failed;
        // The pictures might go on into a cell's own layers: each cell draws its frame.
        if (!run.anyShown
            || (!run.closed && anyCell([&](GroupCell &c) { return c.upper.firstShownMayBePicture(frame); })))
            return FramePath::CellYuv;
        if (drawn == Compositor::YuvDraw::Drawn && !run.overlaysUnsupported) {
            for (const auto &t : targets)
                cells[t.first]->pictures = run.pictures;
            return FramePath::SharedYuv;
        }
    }
    return base.render(frame, &shared.rgb, error) ? FramePath::Rgb : FramePath::Failed;
}

// The cell's part of a frame whose shared part `path` drew into (or copied to) `target`.
bool drawCell(GroupCell &cell, FramePath path, int64_t frame, Canvas &target, RenderError *error)
{
    switch (path) {
    case FramePath::SharedYuv:
        // Unsupported: this cell's own layers move on this frame; its export draws it in RGB.
        return settleYuvDraw(cell.whole.renderYuvOverlays(frame, cell.pictures, &target.yuv, error),
                             target, [&] { return cell.whole.render(frame, &target.rgb, error); });
    case FramePath::CellYuv:
        return drawFrame(cell.whole, frame, target, error);
    case FramePath::Rgb:
        target.drawnAs(false);
        return !cell.upper.anyVisible(frame) || cell.upper.renderOver(frame, &target.rgb, error);
    case FramePath::Failed:
        break;
    }
    return false;
}

void failCell(GroupCell &cell, const RenderError &error)
{
    cell.stopWriter(true);
    cell.writer.abort();
    if (!cell.result.error)
        cell.result.error = error;
    cell.active = false;
}
}  // namespace

std::vector<ExportResult> exportGroup(const std::vector<Composition> &group,
                                      const QStringList &outputPaths,
                                      const GroupProgressFn &progress, const CancelFlag *cancel,
                                      int64_t stillFrame, const StillFn &onStill)
{
    std::vector<ExportResult> results(group.size());
    if (group.empty())
        return results;
    Q_ASSERT(outputPaths.size() == qsizetype(group.size()));
    const size_t shared = sharedLayerCount(group);
    const Composition &first = group.front();
    // Nothing in common (or a group of one): plain exports, one after the other.
    if (shared == 0 || group.size() == 1) {
        for (size_t i = 0; i < group.size(); ++i) {
            results[i] = exportComposition(
                group[i], outputPaths[qsizetype(i)],
                [&](int64_t done, int64_t total) { if (progress) progress(i, done, total); },
                cancel, stillFrame, 1,
                [&](size_t, const QImage &still) { if (onStill) onStill(i, still); });
        }
        return results;
    }

    Compositor base(layerSlice(first, 0, shared));
    base.setDecoderThreads(first.encode.threads);
    RenderError baseError;
    if (!base.prepare(&baseError)) {
        for (ExportResult &r : results)
            r.error = baseError;
        return results;
    }

    std::vector<std::unique_ptr<GroupCell>> cells;
    cells.reserve(group.size());
    for (size_t i = 0; i < group.size(); ++i) {
        const Composition &c = group[i];
        auto cell = std::make_unique<GroupCell>(layerSlice(c, shared, c.layers.size()), c);
        cell->upper.setDecoderThreads(c.encode.threads);
        cell->whole.setDecoderThreads(c.encode.threads);
        cell->finalPath = QFileInfo(outputPaths[qsizetype(i)]).absoluteFilePath();
        cell->result.outputPath.clear();
        RenderError &error = cell->result.error;
        // The same up-front checks as exportComposition, so a cell's missing file fails
        // before anything is encoded.
        if (cell->upper.prepare(&error) && mixAudio(c, &cell->audio, &error)) {
            bool allocated = true;
            for (Canvas &canvas : cell->canvases)
                allocated = canvas.allocate(c.width, c.height) && allocated;
            if (!allocated) {
                error = outOfMemoryForFrame(c);
            } else if (cell->writer.open(cell->finalPath, c.width, c.height, c.fps, c.encode,
                                         true, &error, c.frameCount)) {
                cell->active = true;
                for (size_t k = 0; k < kCanvases; ++k)
                    cell->h.free.push_back(k);
            }
        }
        cells.push_back(std::move(cell));
    }
    for (size_t i = 0; i < cells.size(); ++i) {
        GroupCell &cell = *cells[i];
        if (cell.active)
            cell.thread = std::thread(writeFrames, std::ref(cell.h), std::ref(cell.writer),
                                      std::cref(cell.canvases), std::cref(group[i]),
                                      std::cref(cell.audio));
    }

    // Progress for every cell up to what its writer has encoded; false on cancel.
    bool wasCancelled = false;
    const auto report = [&](size_t i, int64_t encoded) {
        GroupCell &cell = *cells[i];
        while (cell.reported < encoded) {
            ++cell.reported;
            if (progress)
                progress(i, cell.reported, first.frameCount);
            if (cancelled(cancel)) {
                wasCancelled = true;
                return false;
            }
        }
        return true;
    };
    const auto anyActive = [&] {
        return std::any_of(cells.begin(), cells.end(), [](const auto &c) { return c->active; });
    };

    bool baseFailed = false;
    std::vector<std::pair<size_t, size_t>> targets;  // (cell, canvas) of this frame
    for (int64_t frame = 0; frame < first.frameCount && !baseFailed && !wasCancelled && anyActive();
         ++frame) {
        if (cancelled(cancel)) {
            wasCancelled = true;
            break;
        }
        // A free canvas from every cell first: the shared layers are drawn straight into the
        // first one and copied from there into the others, before any cell's own layers.
        targets.clear();
        for (size_t i = 0; i < cells.size() && !wasCancelled; ++i) {
            GroupCell &cell = *cells[i];
            if (!cell.active)
                continue;
            size_t canvas = 0;
            int64_t encoded = 0;
            {
                std::unique_lock lock(cell.h.mutex);
                cell.h.changed.wait(lock, [&] { return cell.h.failed || !cell.h.free.empty(); });
                if (cell.h.failed) {
                    const RenderError error = cell.h.error;
                    lock.unlock();
                    failCell(cell, error);
                    continue;
                }
                canvas = cell.h.free.front();
                cell.h.free.pop_front();
                encoded = cell.h.encoded;
            }
            targets.emplace_back(i, canvas);
            report(i, encoded);
        }
        if (wasCancelled || targets.empty())
            break;
        Canvas &shared = cells[targets.front().first]->canvases[targets.front().second];
        const FramePath path = chooseAndDrawShared(base, cells, targets, frame, shared, &baseError);
        if (path == FramePath::Failed) {
            baseFailed = true;
            break;
        }
        for (size_t t = 1; t < targets.size() && path != FramePath::CellYuv; ++t) {
            Canvas &target = cells[targets[t].first]->canvases[targets[t].second];
            if (path == FramePath::SharedYuv) {
                target.yuv.copyFrom(shared.yuv);
            } else {
                // bits() on the non-const image would detach only if shared; canvases never are.
                std::memcpy(target.rgb.bits(), shared.rgb.constBits(),
                            size_t(shared.rgb.sizeInBytes()));
            }
        }
        for (const auto &[i, canvas] : targets) {
            GroupCell &cell = *cells[i];
            Canvas &target = cell.canvases[canvas];
            RenderError error;
            if (!drawCell(cell, path, frame, target, &error)) {
                failCell(cell, error);
                continue;
            }
            if (frame == stillFrame) {
                // Drawn again, if it went the YUV way, by the shared and the cell's own
                // compositors as the RGB path draws it (the cell's whole compositor would
                // open the clips a second time).
                cell.still = stillOf(target, group[i], [&](QImage *still) {
                    return base.render(frame, still, &error)
                        && (!cell.upper.anyVisible(frame) || cell.upper.renderOver(frame, still, &error));
                }, &error);
                if (cell.still.isNull()) {
                    failCell(cell, error);
                    continue;
                }
                if (onStill)
                    onStill(i, cell.still);
            }
            std::lock_guard lock(cell.h.mutex);
            cell.h.filled.emplace_back(canvas, frame);
            cell.h.changed.notify_all();
        }
        base.releaseBefore(frame + 1);
        for (auto &cell : cells) {
            cell->upper.releaseBefore(frame + 1);
            cell->whole.releaseBefore(frame + 1);
        }
    }

    // Drain each writer in turn, still reporting progress and honouring cancel.
    const bool stopped = baseFailed || wasCancelled;
    for (size_t i = 0; i < cells.size() && !stopped; ++i) {
        GroupCell &cell = *cells[i];
        while (cell.active && cell.reported < first.frameCount && !wasCancelled) {
            int64_t encoded = 0;
            {
                std::unique_lock lock(cell.h.mutex);
                cell.h.inputEnded = true;
                cell.h.changed.notify_all();
                cell.h.changed.wait(lock, [&] { return cell.h.failed || cell.h.encoded > cell.reported; });
                if (cell.h.failed) {
                    const RenderError error = cell.h.error;
                    lock.unlock();
                    failCell(cell, error);
                    break;
                }
                encoded = cell.h.encoded;
            }
            report(i, encoded);
        }
    }

    for (size_t i = 0; i < cells.size(); ++i) {
        GroupCell &cell = *cells[i];
        if (!cell.active) {
            results[i] = cell.result;
            continue;
        }
        if (baseFailed || wasCancelled) {
            cell.stopWriter(true);
            cell.writer.abort();
            results[i] = baseFailed ? ExportResult{baseError, {}, cell.reported}
                                    : cancelledResult(cell.finalPath, cell.reported);
            continue;
        }
        cell.stopWriter(false);
        ExportResult &r = results[i];
        r.framesWritten = cell.reported;
        if (cell.writer.finish(&r.error)) {
            r.outputPath = cell.finalPath;
            r.still = std::move(cell.still);
        }
    }
    return results;
}

}  // namespace render
