// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The offline generator's music bed: a deterministic little electronic loop (kick on every beat,
// off-beat hats, a bass line and pad chords) at the tempo named in the prompt ("120 bpm"),
// with key, chord progression and bass pattern picked by the seed.

#include "editor/campaign.h"

#include <QByteArray>
#include <QString>

#include <atomic>

namespace services::offline {

inline constexpr int kMusicSampleRate = 48000;

// The tempo the prompt asks for ("... 128 bpm ..."), clamped to 60..200, else 120.
int tempoFromPrompt(const QString &prompt);

// A complete 16-bit 48 kHz stereo PCM WAV file of the recipe's duration. Empty with `error`
// set on bad input, or empty when cancelled.
QByteArray synthesizeMusicWav(const editor::GenerationRecipe &r, const std::atomic<bool> *cancel,
                              QString *error);

}  // namespace services::offline
