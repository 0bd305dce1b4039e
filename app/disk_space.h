// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Free space before and after an export (RELIABILITY.md row D1): an estimate of the bytes a
// cell's MP4 and poster take, the free space of the volume holding the export folder, and the
// message a user sees when it is short ("needs about X MB, Y MB free on <folder>").

#include "render/composition.h"

#include <QString>

#include <optional>

namespace services {

// A deliberately generous estimate of a cell's files: H.264 at the export's CRF, AAC at its
// bitrate, the MP4's index and a poster PNG, times a margin. Over-estimating only refuses an
// export that would just have fitted; under-estimating lets it fill the disk half way.
qint64 estimateCellBytes(const render::Composition &comp);

// Bytes free to this user on the volume of `folder`, or of its nearest existing parent (an
// export folder may not exist yet). -1 when nothing along the path exists.
qint64 bytesAvailableFor(const QString &folder);

// "needs about 12.3 MB, 4.0 MB free on /media/usb/renders"
QString spaceFigures(qint64 needed, qint64 available, const QString &folder);

// Empty when `needed` bytes fit into `folder`'s volume; otherwise the refusal, naming the
// folder, both figures and what to do.
std::optional<QString> refuseIfShort(qint64 needed, const QString &folder);

}  // namespace services
