// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Preview proxies of video sources. A campaign's clips are typically 1080p H.264 with a
// keyframe every two seconds: showing an arbitrary frame means decoding up to 59 frames at full
// size first, hundreds of milliseconds per scrub. The preview therefore plays a copy made once
// per source: scaled to what the preview draws (shorter side at most the preview box), every
// frame a keyframe (one decode per frame, whatever the order), near-lossless (CRF 16). The
// frames are drawn by the same compositor at the same times; only the source pixels come from
// the copy. Exports never use proxies.
//
// Proxies live in a cache folder, named by a hash of the source path, its size and
// modification time and the proxy size, so an edited or replaced source gets a new one.

#include "render/renderer.h"

#include <QString>

namespace services {

// Where the proxy of `sourcePath` for previews whose frames fit `maxSide`×`maxSide` lives in
// `cacheDir` (the file may not exist yet). Empty when the source cannot be stat'ed.
QString previewProxyPath(const QString &cacheDir, const QString &sourcePath, int maxSide);

// Writes the proxy of `sourcePath` to `proxyPath` (through a temporary name, so a half-written
// proxy is never seen). Runs for about a second per ten seconds of 1080p source on one core.
bool makePreviewProxy(const QString &sourcePath, const QString &proxyPath, int maxSide,
                      const render::CancelFlag *cancel, QString *error);

}  // namespace services
