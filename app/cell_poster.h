// SPDX-License-Identifier: GPL-3.0-or-later
// A cell's poster: the PNG of one frame of its export, written next to the MP4 and named in
// the manifest. The batch encodes it on its own thread from the frame the export composited,
// so the PNG is ready when the video is.
#pragma once

#include "render/composition.h"

#include <QByteArray>
#include <QImage>
#include <QString>

#include <cstdint>
#include <future>

namespace services {

// The frame shown at `posterTimeSec` (clamped into the video); a third of the way in when
// it is negative (unset).
int64_t posterFrameFor(const render::Composition &comp, double posterTimeSec);

// Starts encoding `frame` as the poster's PNG (with the composition's disclosure metadata)
// on a thread of its own. An invalid future when no thread could be started: the caller
// then encodes it in writePoster.
std::future<QByteArray> startPosterEncode(const QImage &frame, const render::OutputMetadata &metadata);

// Writes the poster atomically. `png`: the encoded poster, if it is; else `rendered` (that
// frame as the export composited it) is encoded, or the frame is rendered here first.
bool writePoster(const render::Composition &comp, int64_t frame, const QString &path,
                 QString *error, const QImage &rendered = {}, QByteArray png = {});

}  // namespace services
