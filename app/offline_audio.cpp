// SPDX-License-Identifier: GPL-3.0-or-later
#include "offline_audio.h"

#include "offline_art.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QtEndian>

#include <algorithm>
#include <array>
#include <cmath>

namespace services::offline {

namespace {
constexpr double kTwoPi = 6.28318530717958647692;
constexpr double kMaxSeconds = 600;

struct Chord {
    int root;   // semitones above the key
    bool minor;
};

// Four common pop progressions; the seed picks one.
const std::array<std::array<Chord, 4>, 4> kProgressions = {{
    {{{0, false}, {7, false}, {9, true}, {5, false}}},   // I V vi IV
    {{{9, true}, {5, false}, {0, false}, {7, false}}},   // vi IV I V
    {{{0, true}, {8, false}, {3, false}, {10, false}}},  // i VI III VII
    {{{0, false}, {5, false}, {9, true}, {7, false}}},   // I IV vi V
}};

// Eighth-note bass patterns: semitones above the chord root, -1 = rest.
const std::array<std::array<int, 8>, 4> kBassPatterns = {{
    {{0, -1, 0, 12, 0, -1, 7, 12}},
    {{0, 0, -1, 0, 12, -1, 0, 7}},
    {{0, -1, 12, -1, 0, 7, -1, 12}},
    {{0, 12, 0, 12, 7, -1, 0, -1}},
}};

double midiToHz(double midi) { return 440.0 * std::pow(2.0, (midi - 69.0) / 12.0); }

// White noise as a pure function of the sample index, so no state is carried between samples.
double noiseAt(int64_t n)
{
    uint64_t z = uint64_t(n) * 0x9e3779b97f4a7c15ull;
    z = (z ^ (z >> 31)) * 0xbf58476d1ce4e5b9ull;
    z ^= z >> 29;
    return double(z >> 11) * (2.0 / 9007199254740992.0) - 1.0;
}

void putLe16(QByteArray &out, int v)
{
    char b[2];
    qToLittleEndian<qint16>(qint16(v), b);
    out.append(b, 2);
}

void putLe32(QByteArray &out, quint32 v)
{
    char b[4];
    qToLittleEndian<quint32>(v, b);
    out.append(b, 4);
}
}  // namespace

int tempoFromPrompt(const QString &prompt)
{
    static const QRegularExpression re(QStringLiteral("(\\d{2,3})\\s*bpm"),
                                       QRegularExpression::CaseInsensitiveOption);
    const auto m = re.match(prompt);
    if (!m.hasMatch())
        return 120;
    return std::clamp(m.captured(1).toInt(), 60, 200);
}

QByteArray synthesizeMusicWav(const editor::GenerationRecipe &r, const std::atomic<bool> *cancel,
                              QString *error)
{
    const double seconds = r.duration.toDouble();
    if (!(seconds > 0) || seconds > kMaxSeconds) {
        if (error)
            *error = QCoreApplication::translate("services",
                                                 "Audio duration must be between 0 and %1 seconds, got %2.")
                         .arg(kMaxSeconds).arg(r.duration.toString());
        return {};
    }
    const int64_t frames = r.duration.toFrames(editor::Rational(kMusicSampleRate, 1));
    Rng rng(uint64_t(r.seed) ^ 0xa0d10u);
    const int keyRoot = 36 + rng.index(12);  // bass octave, C2..B2
    const auto &progression = kProgressions[size_t(rng.index(4))];
    const auto &bass = kBassPatterns[size_t(rng.index(4))];
    const double bpm = tempoFromPrompt(r.prompt);
    const double beatSec = 60.0 / bpm;
    const double barSec = 4 * beatSec;

    QByteArray wav;
    const quint32 dataBytes = quint32(frames * 4);
    wav.reserve(int(44 + dataBytes));
    wav.append("RIFF", 4);
    putLe32(wav, 36 + dataBytes);
    wav.append("WAVEfmt ", 8);
    putLe32(wav, 16);
    putLe16(wav, 1);                      // PCM
    putLe16(wav, 2);                      // stereo
    putLe32(wav, kMusicSampleRate);
    putLe32(wav, kMusicSampleRate * 4);   // byte rate
    putLe16(wav, 4);                      // block align
    putLe16(wav, 16);                     // bits per sample
    wav.append("data", 4);
    putLe32(wav, dataBytes);

    const double fadeOutStart = std::max(0.0, seconds - 0.05);
    for (int64_t n = 0; n < frames; ++n) {
        if (cancel && (n % kMusicSampleRate) == 0 && cancel->load())
            return {};
        const double t = double(n) / kMusicSampleRate;
        const double beat = t / beatSec;
        const double tb = (beat - std::floor(beat)) * beatSec;  // seconds since the beat
        const double kickPhase = kTwoPi * (45.0 * tb + 110.0 * 0.03 * (1.0 - std::exp(-tb / 0.03)));
        const double kick = std::sin(kickPhase) * std::exp(-tb / 0.12) * 0.85;

        const double half = beat * 2;
        const double th = (half - std::floor(half)) * beatSec / 2;
        const bool offBeat = int64_t(std::floor(half)) % 2 == 1;
        const double hat = offBeat ? (noiseAt(n) - noiseAt(n - 1)) * std::exp(-th / 0.025) * 0.09 : 0;

        const int64_t bar = int64_t(std::floor(t / barSec));
        const Chord chord = progression[size_t(bar % 4)];
        const int64_t eighth = int64_t(std::floor(half));
        const int step = bass[size_t(eighth % 8)];
        double bassOut = 0;
        if (step >= 0) {
            const double f = midiToHz(keyRoot + chord.root + step);
            const double env = std::min(1.0, th / 0.005) * std::exp(-th / 0.16);
            for (int k = 1; k <= 5; ++k)
                bassOut += std::sin(kTwoPi * f * k * t) / k;
            bassOut *= env * 0.2;
        }

        const double tbar = t - bar * barSec;
        const double padEnv = std::min(1.0, tbar / 0.25) * std::min(1.0, (barSec - tbar) / 0.1)
            * (0.85 + 0.15 * std::sin(kTwoPi * 0.5 * t));
        const int third = chord.minor ? 3 : 4;
        double padL = 0, padR = 0;
        for (int interval : {0, third, 7}) {
            const double f = midiToHz(keyRoot + 24 + chord.root + interval);
            padL += std::sin(kTwoPi * f * 0.9985 * t);
            padR += std::sin(kTwoPi * f * 1.0015 * t);
        }
        padL *= 0.045 * padEnv;
        padR *= 0.045 * padEnv;

        double gain = std::min(1.0, t / 0.005);
        if (t > fadeOutStart)
            gain *= std::max(0.0, (seconds - t) / 0.05);
        const double left = std::tanh((kick + bassOut + hat * 0.8 + padL) * 0.9) * gain;
        const double right = std::tanh((kick + bassOut + hat + padR) * 0.9) * gain;
        putLe16(wav, int(std::lround(std::clamp(left, -1.0, 1.0) * 32767)));
        putLe16(wav, int(std::lround(std::clamp(right, -1.0, 1.0) * 32767)));
    }
    return wav;
}

}  // namespace services::offline
