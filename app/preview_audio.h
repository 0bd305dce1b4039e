// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The sound of one campaign cell for the preview: the same mix the export encodes (render::
// mixAudio over the resolved composition), handed to the GUI as interleaved PCM so the player
// can feed a QAudioSink without touching FFmpeg itself. A 15 s stereo mix at 48 kHz is under
// 6 MB as float, so the whole cell is mixed up front in a worker and played from memory.

#include "editor/campaign.h"

#include <QByteArray>
#include <QString>

#include <cstdint>
#include <vector>

namespace services {

struct PreviewAudio {
    int sampleRate = 48000;
    int channels = 2;
    std::vector<float> samples;  // interleaved, channels per sample frame, in [-1, 1]
    int64_t frameCount() const { return channels > 0 ? int64_t(samples.size()) / channels : 0; }
    bool isSilent() const;       // no clip contributes (the cell has no audio track)
};

// Mixes the audio of (segment, format) of `campaign`. Returns false with a message naming the
// problem (unknown cell, missing or undecodable source). Thread-safe: it only reads its
// arguments, so the GUI runs it with QtConcurrent while the user keeps working.
bool mixPreviewAudio(const editor::Campaign &campaign, const QString &segmentId,
                     const QString &formatId, PreviewAudio *out, QString *error);

// Sample formats an audio device may ask for.
enum class PcmFormat { Float32, Int16 };

// `audio` from sample frame `firstFrame` on, converted to `format`: the bytes a QAudioSink
// with that sample format, rate and channel count plays. Int16 rounds to nearest and clamps.
QByteArray encodePcm(const PreviewAudio &audio, int64_t firstFrame, PcmFormat format);

}  // namespace services
