// SPDX-License-Identifier: GPL-3.0-or-later
// libFuzzer target: render::probeMedia, the libavformat wrapper the asset bin and the tests use
// to read what a media file contains. probeMedia takes a path (it is what users import), so
// each input is written to one scratch file first. The wrapper must refuse or bound whatever
// the bytes claim: its probe size, analyze duration and the demux loop that counts packets are
// all bounded by the file, and libFuzzer's -timeout / -rss_limit_mb catch anything that is not.
#include "render/renderer.h"

#include <QByteArray>
#include <QDir>
#include <QFile>
#include <QString>

#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <unistd.h>

namespace {
// One file per process, reused for every input, removed at exit. The name has no extension so
// libavformat picks the demuxer from the content alone, as it must for a mislabelled import.
// The path lives on the heap and is never destroyed: the atexit handler that removes the file
// runs after static destructors registered later, so it must not touch a destroyed static.
const QString &scratchPath()
{
    static const QString *path = [] {
        auto *p = new QString(QDir::tempPath() + QStringLiteral("/campaign-fuzz-probe-%1.bin")
                                                     .arg(qint64(::getpid())));
        std::atexit([] { QFile::remove(*path); });
        return p;
    }();
    return *path;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    QFile file(scratchPath());
    if (!file.open(QIODevice::WriteOnly | QIODevice::Truncate)) {
        std::fprintf(stderr, "cannot write the scratch file %s\n", qPrintable(scratchPath()));
        std::abort();
    }
    if (file.write(reinterpret_cast<const char *>(data), qint64(size)) != qint64(size)) {
        std::fprintf(stderr, "short write to %s\n", qPrintable(scratchPath()));
        std::abort();
    }
    file.close();

    const render::MediaInfo info = render::probeMedia(scratchPath());
    // Read every field so a value computed from uninitialised or out-of-range data shows up
    // under the sanitizers at the place it is produced, not later in a caller.
    volatile double sink = info.durationSec + info.videoDurationSec + info.fps.toDouble()
                           + double(info.width) * info.height + double(info.videoFrames)
                           + info.audioSampleRate + info.audioChannels
                           + info.container.size() + info.videoCodec.size()
                           + info.pixelFormat.size() + info.audioCodec.size() + info.faststart;
    (void)sink;
    return 0;
}
