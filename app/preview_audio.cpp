// SPDX-License-Identifier: GPL-3.0-or-later
#include "preview_audio.h"

#include "editor/resolve.h"
#include "render/audio_mix.h"

#include <QCoreApplication>

#include <algorithm>
#include <cmath>
#include <cstring>

namespace services {

bool PreviewAudio::isSilent() const
{
    return std::all_of(samples.begin(), samples.end(), [](float s) { return s == 0.0f; });
}

bool mixPreviewAudio(const editor::Campaign &campaign, const QString &segmentId,
                     const QString &formatId, PreviewAudio *out, QString *error)
{
    editor::ResolveResult resolved = editor::resolveVariant(campaign, segmentId, formatId);
    if (!resolved.composition) {
        if (error)
            *error = resolved.errors.join(QLatin1Char('\n'));
        return false;
    }
    const render::Composition &c = *resolved.composition;
    // Missing video or image files do not matter for the sound; only the audio sources do,
    // and mixAudio names the one it cannot open.
    out->sampleRate = c.encode.audioSampleRate;
    out->channels = 2;
    render::RenderError renderError;
    if (!render::mixAudio(c, &out->samples, &renderError)) {
        out->samples.clear();
        if (error)
            *error = renderError.message;
        return false;
    }
    return true;
}

QByteArray encodePcm(const PreviewAudio &audio, int64_t firstFrame, PcmFormat format)
{
    const int64_t frames = audio.frameCount();
    firstFrame = std::clamp<int64_t>(firstFrame, 0, frames);
    const size_t first = size_t(firstFrame) * size_t(audio.channels);
    const size_t count = audio.samples.size() - first;
    const float *src = audio.samples.data() + first;
    QByteArray bytes;
    if (format == PcmFormat::Float32) {
        bytes.resize(qsizetype(count * sizeof(float)));
        std::memcpy(bytes.data(), src, count * sizeof(float));
        return bytes;
    }
    bytes.resize(qsizetype(count * sizeof(int16_t)));
    auto *dst = reinterpret_cast<int16_t *>(bytes.data());
    for (size_t i = 0; i < count; ++i) {
        const float s = std::clamp(src[i], -1.0f, 1.0f);
        dst[i] = int16_t(std::lround(s * 32767.0f));
    }
    return bytes;
}

}  // namespace services
