// SPDX-License-Identifier: GPL-3.0-or-later
#include "audio_mix.h"
#include "audio_decode.h"
#include "ffmpeg/compat.h"
#include "ffmpeg/input.h"

#include <QCoreApplication>

#include <algorithm>

namespace render {

int64_t samplesForFrames(int64_t frames, FrameRate fps, int sampleRate)
{
    if (fps.num <= 0 || fps.den <= 0)
        return 0;
    return av_rescale_rnd(frames, int64_t(sampleRate) * fps.den, fps.num, AV_ROUND_NEAR_INF);
}

bool mixAudio(const Composition &c, std::vector<float> *out, RenderError *error)
{
    const int rate = c.encode.audioSampleRate;
    const int64_t total = samplesForFrames(c.frameCount, c.fps, rate);
    out->assign(size_t(total) * 2, 0.0f);
    std::vector<float> clipSamples;
    for (const AudioClip &clip : c.audio) {
        if (clip.endFrame <= clip.startFrame || clip.gain == 0.0)
            continue;
        if (!ff::checkSourceFile(clip.sourcePath, QCoreApplication::translate("render", "audio"),
                                 error))
            return false;
        const int64_t start = samplesForFrames(clip.startFrame, c.fps, rate);
        const int64_t length = samplesForFrames(clip.endFrame, c.fps, rate) - start;
        // Only decode what lands inside the composition.
        const int64_t needed = std::min(length, total - start);
        if (needed <= 0)
            continue;
        bool truncated = false;
        if (!decodeAudioFile(clip.sourcePath, rate, clip.sourceInNum, clip.sourceInDen, needed,
                             &clipSamples, &truncated, error))
            return false;
        const int64_t fadeIn = samplesForFrames(clip.fadeInFrames, c.fps, rate);
        const int64_t fadeOut = samplesForFrames(clip.fadeOutFrames, c.fps, rate);
        const int64_t available = int64_t(clipSamples.size() / 2);
        for (int64_t i = std::max<int64_t>(0, -start); i < std::min(needed, available); ++i) {
            double gain = clip.gain;
            if (fadeIn > 0 && i < fadeIn)
                gain *= double(i) / double(fadeIn);
            if (fadeOut > 0 && length - i < fadeOut)
                gain *= double(length - i) / double(fadeOut);
            float *dst = out->data() + (start + i) * 2;
            dst[0] += float(clipSamples[size_t(i) * 2] * gain);
            dst[1] += float(clipSamples[size_t(i) * 2 + 1] * gain);
        }
    }
    for (float &s : *out)
        s = std::clamp(s, -1.0f, 1.0f);
    return true;
}

}  // namespace render
