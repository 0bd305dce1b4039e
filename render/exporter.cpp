// SPDX-License-Identifier: GPL-3.0-or-later
// exportComposition: the frame loop. Composites on the calling thread while libx264 encodes
// on its own threads; the audio mix is fed in step with the frames so the muxer never has to
// buffer one stream while waiting for the other.
#include "audio_mix.h"
#include "compositor.h"
#include "renderer.h"

#include <QCoreApplication>
#include <QFileInfo>

namespace render {

namespace {
bool cancelled(const CancelFlag *cancel)
{
    return cancel && cancel->load(std::memory_order_relaxed);
}

ExportResult cancelledResult(const QString &path, int64_t frames)
{
    ExportResult result;
    result.error.kind = ErrorKind::Cancelled;
    result.error.message = QCoreApplication::translate("render",
                               "Export of \"%1\" cancelled; the earlier file, if any, is unchanged.")
                               .arg(path);
    result.framesWritten = frames;
    return result;
}
}  // namespace

ExportResult exportComposition(const Composition &c, const QString &outputPath,
                               const ProgressFn &progress, const CancelFlag *cancel)
{
    ExportResult result;
    const QString finalPath = QFileInfo(outputPath).absoluteFilePath();
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

    VideoWriter writer;
    // Always with an audio track (silent when there are no clips): platforms and players
    // treat video-only files differently, every export looks the same.
    if (!writer.open(finalPath, c.width, c.height, c.fps, c.encode, true, &result.error))
        return result;
    QImage frame(c.width, c.height, QImage::Format_RGB32);
    const int rate = c.encode.audioSampleRate;
    int64_t audioDone = 0;
    for (int64_t i = 0; i < c.frameCount; ++i) {
        if (cancelled(cancel)) {
            writer.abort();
            return cancelledResult(finalPath, i);
        }
        if (!compositor.render(i, &frame, &result.error)
            || !writer.writeFrame(frame, &result.error)) {
            writer.abort();
            result.framesWritten = i;
            return result;
        }
        const int64_t audioEnd = std::min<int64_t>(samplesForFrames(i + 1, c.fps, rate),
                                                   int64_t(audio.size() / 2));
        if (audioEnd > audioDone) {
            if (!writer.writeAudio(audio.data() + audioDone * 2, audioEnd - audioDone,
                                   &result.error)) {
                writer.abort();
                result.framesWritten = i + 1;
                return result;
            }
            audioDone = audioEnd;
        }
        compositor.releaseBefore(i + 1);
        result.framesWritten = i + 1;
        if (progress)
            progress(i + 1, c.frameCount);
    }
    if (cancelled(cancel)) {
        writer.abort();
        return cancelledResult(finalPath, result.framesWritten);
    }
    if (!writer.finish(&result.error))
        return result;
    result.outputPath = finalPath;
    return result;
}

}  // namespace render
