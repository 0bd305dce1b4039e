// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Media synthesised by the render tests: nothing binary is committed, every fixture is made
// in a temporary folder with known content so pixel and sample checks can be exact.

#include "render/renderer.h"

#include <QColor>
#include <QImage>
#include <QRectF>
#include <QString>
#include <QStringList>

#include <vector>

namespace fixtures {

inline const QColor kGrey(128, 128, 128);
inline const QColor kRed(220, 30, 30);
inline const QColor kGreen(30, 200, 60);
constexpr int kCodecTolerance = 24;  // per channel, on mean colours of encoded frames

// A PNG of one colour (alpha honoured).
QString writeSolidPng(const QString &dir, const QString &name, QSize size, QColor color);
// White PNG with a black disc of `radius` at the centre: Ken Burns zoom shows as a wider disc.
QString writeDiscPng(const QString &dir, const QString &name, QSize size, int radius);
// A 16-bit stereo PCM WAV of a sine at `frequency` and `amplitude` (0..1).
QString writeSineWav(const QString &dir, const QString &name, double seconds, double frequency,
                     double amplitude, int sampleRate = 48000);

// Blue background, a white square of `square` pixels whose left edge is at 10 + 4 * frame:
// the video layer tests read the square's position back to know which frame is shown.
constexpr int kMovieSquare = 40;
inline int movieSquareLeft(int frame) { return 10 + 4 * frame; }
QString writeMovingSquareMovie(const QString &dir, const QString &name, QSize size, int frames,
                               QString *error);

// Composition building blocks shared by the render tests (30 fps, crf 18, black).
render::Composition baseComposition(int width, int height, int64_t frames);
render::Layer solid(QRectF rect, QColor color, int64_t start, int64_t end);
render::Layer image(const QString &path, QRectF rect, render::Fit fit, int64_t start, int64_t end);
render::Layer video(const QString &path, QRectF rect, int64_t start, int64_t end);
render::Layer text(const QString &s, QRectF rect, render::TextAlign align, int64_t start,
                   int64_t end);

// The frame shown in the middle of frame `frame` of an exported file.
QImage frameOf(const QString &path, int frame, render::FrameRate fps = {30, 1});
// RMS of interleaved 48 kHz stereo samples between two times.
double rms(const std::vector<float> &samples, double fromSec, double toSec);
// Left edge of the moving square in a frame of the square movie (or a 1:1 video layer).
double squareLeft(const QImage &frame);
// "*.partial-*" files left in a folder.
QStringList partialFiles(const QString &dir);
// Saves `image` into $CAMPAIGN_RENDER_DUMP (when set) for looking at by eye.
void dump(const QImage &image, const QString &name);

// Pixel helpers.
int luma(QRgb c);
// Mean colour of a rectangle.
QColor meanColor(const QImage &image, const QRect &rect);
// x of the centroid of pixels brighter than `threshold` (luma) inside `rect`; -1 if none.
double brightCentroidX(const QImage &image, const QRect &rect, int threshold);
// Largest per-channel difference of two colours.
int colorDistance(QColor a, QColor b);
// Mean absolute difference over all channels of two same-sized images.
double meanAbsDiff(const QImage &a, const QImage &b);

}  // namespace fixtures

// Exports and fails the calling test function on error or a short frame count.
#define EXPORT_OK(comp, path)                                                                  \
    do {                                                                                       \
        const render::ExportResult r_ = render::exportComposition((comp), (path));             \
        QVERIFY2(!r_.error, qPrintable(r_.error.message));                                     \
        QCOMPARE(r_.framesWritten, (comp).frameCount);                                         \
    } while (false)
