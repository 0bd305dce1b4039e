// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Smart reframe, the seeing half: where the subject of a picture or a video is. Two cues:
//   - faces, from OpenCV's Haar cascade (haarcascade_frontalface_default.xml, Debian package
//     opencv-data). A face is what a viewer looks at first, so faces win when there are any.
//   - static saliency (spectral residual, Hou & Zhang 2007), which marks what stands out from
//     the picture's own statistics: the product on a plain backdrop, the runner against the
//     sky. The saliency map is thresholded and the most salient connected blob is the subject.
//     Lines of text (a title baked into a generated picture) are found by their stroke rhythm
//     and weighed down first, so big letters do not outbid the product or the person.
// Everything runs on a downscaled grey copy (faces at up to 512 px, saliency at 256 px): the
// box is only needed to a few per cent of the frame, and the sample campaign's sources then
// analyse in well under a second each.
//
// A missing cascade file is not an error: analysis falls back to saliency alone and says so
// in `note`, so a machine without opencv-data still reframes, only less well on people.
// OpenCV stays behind this header (render links it privately).

#include "reframe.h"
#include "renderer.h"

#include <QImage>
#include <QPointF>
#include <QRectF>
#include <QSizeF>
#include <QString>

#include <memory>
#include <vector>

namespace render {

// Where the subject is in one picture, in fractions of the picture (0..1).
struct SubjectEstimate {
    QRectF box;             // empty = nothing stands out (a flat or uniformly busy picture)
    QPointF centroid{0.5, 0.5};  // saliency-weighted centre of the whole picture
    int faces = 0;          // faces found; > 0 means `box` frames them
};

// The analysis of one source file: a single sample at time 0 for a still, several samples
// per second for a video. Format-independent; crops per format come from planCropTrack.
struct SubjectTrack {
    QSizeF sourceSize;  // pixels (display size for video)
    std::vector<SubjectSample> samples;
    bool faceDetection = false;  // the face cascade was available
    QString note;                // why faces were not looked for, when they were not
};

// The cascade used by default: $CAMPAIGN_FACE_CASCADE when set, else Debian's opencv-data.
QString defaultFaceCascadePath();

// Analyses pictures one at a time. Not thread-safe (the cascade keeps scratch buffers): use
// one analyzer per thread.
class SubjectAnalyzer {
public:
    explicit SubjectAnalyzer(const QString &faceCascadePath = defaultFaceCascadePath());
    ~SubjectAnalyzer();
    SubjectAnalyzer(const SubjectAnalyzer &) = delete;
    SubjectAnalyzer &operator=(const SubjectAnalyzer &) = delete;

    bool hasFaceDetector() const;
    QString note() const;  // empty, or why the face detector is off

    SubjectEstimate analyse(const QImage &image) const;

private:
    struct Impl;
    std::unique_ptr<Impl> d;
};

// A still image file (any format render can draw, SVG included).
bool analyseImageFile(const QString &path, const SubjectAnalyzer &analyzer, SubjectTrack *out,
                      RenderError *error);

// A video file, sampled `samplesPerSecond` times per second of its duration (the first
// sample at 0), each frame decoded at low resolution.
bool analyseVideoFile(const QString &path, const SubjectAnalyzer &analyzer,
                      double samplesPerSecond, SubjectTrack *out, RenderError *error);

}  // namespace render
