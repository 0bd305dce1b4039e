// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Smart reframe, the geometric half: given where the subject is in a source, choose the crop
// window (the source rectangle that is cover-fitted into an output format). Pure functions of
// their arguments so every rule below is unit-testable without media.
//
// The window always has the output's aspect and is as large as the source allows: reframing
// only moves the cut, it never zooms in, so a 16:9 picture framed for 16:9 is untouched and
// the picture stays as sharp as plain cover fit. Within the window, platform overlays (a
// caption band at the bottom of a Reel, an action rail at the right of a TikTok) cover the
// safe-zone fractions; the window is placed so the subject lands in the part they leave free
// when it fits there, otherwise at least inside the window, otherwise centred on it.
//
// For video the subject moves; planCropTrack turns a sampled subject track into crop
// keyframes that follow it smoothly: the subject centre is low-pass filtered first, then the
// crop only moves when the wanted position leaves a dead zone around the current one, so a
// subject that breathes or a detector that wobbles by a few pixels leaves the crop still.

#include <QPointF>
#include <QRectF>
#include <QSizeF>

#include <vector>

namespace render {

// Overlay bands as fractions of the output frame (FormatPreset::safeTop etc.).
struct SafeZones {
    double top = 0.0, bottom = 0.0, left = 0.0, right = 0.0;
};

// The crop window, in source pixels, for a subject box (source pixels; empty = no subject,
// which gives the centred cover crop).
QRectF chooseCropWindow(QSizeF source, QRectF subject, QSizeF output, const SafeZones &safe);

// The part of `window` not covered by the safe-zone bands.
QRectF safeArea(QRectF window, const SafeZones &safe);

// One analysed moment of a source: the subject box in fractions of the source (empty = none
// found; the crop then holds its previous position).
struct SubjectSample {
    double time = 0.0;  // seconds from the start of the source
    QRectF box;         // 0..1 fractions of the source size
};

struct CropSample {
    double time = 0.0;
    QRectF window;  // 0..1 fractions of the source size
};

struct TrackSmoothing {
    // Centred moving-average half width over the subject centre, in seconds.
    double averageHalfWidth = 0.5;
    // The crop moves only when the wanted position differs from the held one by more than
    // this fraction of the window size; it then follows at most `maxSpeed` window widths per
    // second, so a jump of the subject becomes a pan rather than a cut.
    double deadZone = 0.06;
    double maxSpeed = 0.6;
    // Keys on a straight line between their neighbours (within this fraction of the source)
    // are dropped; the renderer interpolates linearly between the rest.
    double simplifyTolerance = 0.002;
};

// Crop keyframes (fractions of the source) for a subject track. One sample in = one key out;
// an empty track gives a single centred key at time 0.
std::vector<CropSample> planCropTrack(QSizeF source, const std::vector<SubjectSample> &track,
                                      QSizeF output, const SafeZones &safe,
                                      const TrackSmoothing &smoothing = {});

}  // namespace render
