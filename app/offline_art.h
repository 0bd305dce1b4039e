// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The drawing half of the offline generator. A recipe is turned once into a Scene (every seeded
// choice made up front), and the Scene is painted at a time `t`: t = 0 gives the still image,
// increasing t animates the very same picture for video. All randomness comes from our own
// SplitMix64 so the output is identical across runs and standard-library versions (the
// std::*_distribution algorithms are implementation-defined).

#include "editor/campaign.h"

#include <QColor>
#include <QList>
#include <QPointF>
#include <QSizeF>
#include <QString>
#include <QStringList>

#include <cstdint>
#include <vector>

class QPainter;

namespace services::offline {

class Rng {
public:
    explicit Rng(uint64_t seed) : m_state(seed) {}
    uint64_t next();
    double uniform();                              // [0, 1)
    double range(double lo, double hi) { return lo + (hi - lo) * uniform(); }
    int index(int n) { return n > 0 ? int(next() % uint64_t(n)) : 0; }

private:
    uint64_t m_state;
};

uint64_t hashText(QStringView text);  // FNV-1a over UTF-16 code units
// Seed, prompt and palette mixed, so each of them changes the layout.
uint64_t sceneSeed(const editor::GenerationRecipe &r);
// The recipe palette ("#rrggbb"), or three colours derived from the seed when it has none.
QList<QColor> paletteColors(const editor::GenerationRecipe &r);
// Up to `max` content words of the prompt, in prompt order (stop words and generic
// photography words dropped).
QStringList promptKeyWords(const QString &prompt, int max);

enum class Subject { Runner, Shoe, Landscape };

struct Blob {
    QPointF center;    // fractions of the frame
    double radius;     // fraction of the shorter side
    QPointF velocity;  // fractions per second
    QColor color;
};

struct Band {
    double angle;      // degrees
    double offset;     // fraction of the diagonal
    double width;      // fraction of the shorter side
    double speed;      // fraction of the diagonal per second
    QColor color;
};

struct SpeedLine {
    double y;          // fraction of the height
    double length;     // fraction of the width
    double phase;      // 0..1 start position
    double speed;      // widths per second
    double thickness;  // fraction of the shorter side
};

struct Scene {
    QList<QColor> palette;
    double gradientAngle = 0;  // degrees
    double panSpeed = 0;       // gradient pan, fractions of the width per second
    std::vector<Blob> blobs;
    std::vector<Band> bands;
    std::vector<SpeedLine> speedLines;
    Subject subject = Subject::Landscape;
    QPointF subjectPos;        // seeded offset from the layout position, fractions of the shorter side
    double subjectScale = 0.5; // fraction of the shorter side
    double posePhase = 0;      // runner stride phase (radians)
    bool sun = false;
    bool stars = false;
    std::vector<double> ridge; // landscape heights, 0..1
    QStringList words;
    QColor textColor;
    QColor shadeColor;         // darkest palette tone, for silhouettes
};

Scene makeScene(const editor::GenerationRecipe &r, bool forVideo);
// Paints the whole frame (no transparency left) of `size` pixels at `t` seconds.
void paintScene(QPainter &p, const Scene &s, const QSizeF &size, double t);
// Only the speed lines and the vignette: drawn over a source still in image -> video.
void paintOverlay(QPainter &p, const Scene &s, const QSizeF &size, double t);

}  // namespace services::offline
