// SPDX-License-Identifier: GPL-3.0-or-later
// FrameRenderer: the GUI's view of the compositor. Same drawing code as the export, one frame
// at a time, sources kept open between calls.
#include "compositor.h"
#include "renderer.h"

#include <QCoreApplication>

#include <algorithm>

namespace render {

struct FrameRenderer::Impl {
    explicit Impl(Composition c)
        : compositor(std::move(c))
    {
    }
    Compositor compositor;
};

FrameRenderer::FrameRenderer(Composition composition)
    : d(std::make_unique<Impl>(std::move(composition)))
{
    // One decoder thread per video: the preview renders small frames, and the GUI process
    // should leave the cores to a running export.
    d->compositor.setDecoderThreads(1);
}

FrameRenderer::~FrameRenderer() = default;

const Composition &FrameRenderer::composition() const
{
    return d->compositor.composition();
}

QImage FrameRenderer::renderFrame(int64_t index, RenderError *error)
{
    const Composition &c = d->compositor.composition();
    RenderError local;
    RenderError *err = error ? error : &local;
    *err = RenderError();
    if (!d->compositor.prepare(err))
        return {};
    QImage frame(c.width, c.height, QImage::Format_RGB32);
    if (frame.isNull()) {
        err->kind = ErrorKind::Internal;
        err->message = QCoreApplication::translate("render", "Out of memory for a %1×%2 frame.")
                           .arg(c.width).arg(c.height);
        return {};
    }
    const int64_t clamped = std::clamp<int64_t>(index, 0, c.frameCount - 1);
    if (!d->compositor.render(clamped, &frame, err))
        return {};
    return frame;
}

}  // namespace render
