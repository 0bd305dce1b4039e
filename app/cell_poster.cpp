// SPDX-License-Identifier: GPL-3.0-or-later
#include "cell_poster.h"

#include "file_hash.h"

#include "render/output_metadata.h"
#include "render/renderer.h"

#include <QCoreApplication>
#include <QDir>

#include <algorithm>
#include <cmath>
#include <system_error>

namespace services {

namespace {
QString tr(const char *text) { return QCoreApplication::translate("services", text); }
}  // namespace

int64_t posterFrameFor(const render::Composition &comp, double posterTimeSec)
{
    const int64_t last = std::max<int64_t>(0, comp.frameCount - 1);
    if (posterTimeSec < 0)
        return std::min(last, comp.frameCount / 3);
    return std::clamp<int64_t>(std::llround(posterTimeSec * comp.fps.toDouble()), 0, last);
}

std::future<QByteArray> startPosterEncode(const QImage &frame, const render::OutputMetadata &metadata)
{
    try {
        return std::async(std::launch::async, [frame, metadata] {
            return render::encodeStillWithMetadata(frame, "PNG", metadata);
        });
    } catch (const std::system_error &) {
        return {};  // no thread to be had (out of memory): writePoster encodes it
    }
}

bool writePoster(const render::Composition &comp, int64_t frame, const QString &path,
                 QString *error, const QImage &rendered, QByteArray png)
{
    if (!png.isEmpty())
        return writeFileAtomically(path, png, error);
    render::RenderError renderError;
    const QImage image = !rendered.isNull() ? rendered
                                            : render::FrameRenderer(comp).renderFrame(frame, &renderError);
    if (image.isNull()) {
        *error = renderError.message;
        return false;
    }
    // The poster is a frame of the same composite: it carries the same disclosure as the MP4.
    png = render::encodeStillWithMetadata(image, "PNG", comp.encode.metadata);
    if (png.isEmpty()) {
        *error = tr("Cannot encode the poster %1.").arg(QDir::toNativeSeparators(path));
        return false;
    }
    return writeFileAtomically(path, png, error);
}

}  // namespace services
