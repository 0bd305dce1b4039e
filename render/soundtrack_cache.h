// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Encoded soundtracks shared by the exports of one process. The cells of a campaign mostly
// carry the same soundtrack (every format of a segment does; segments share a music bed), and
// AAC-encoding 15 s costs about a quarter of a second a cell. The encoder is deterministic, so
// a soundtrack's packets are encoded once and reused byte for byte. Internal to render/.

#include "ffmpeg/ffmpeg_ptr.h"

#include <QByteArray>

#include <optional>
#include <vector>

namespace render {

// What identifies an encoded soundtrack: the samples the encoder takes (already padded or cut
// to the video's length) and every setting that changes its packets.
QByteArray soundtrackKey(const std::vector<float> &interleaved, int sampleRate, int bitrate,
                         int frameSize);

// Copies (new references to the same data) of the packets encoded for `key`. When another
// thread is encoding that key right now, waits for it. std::nullopt: nobody has it, and the
// caller now encodes it and must call publishSoundtrack() or abandonSoundtrack() with the key.
std::optional<std::vector<ff::PacketPtr>> claimSoundtrack(const QByteArray &key);
void publishSoundtrack(const QByteArray &key, const std::vector<ff::PacketPtr> &packets);
void abandonSoundtrack(const QByteArray &key);

}  // namespace render
