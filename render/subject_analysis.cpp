// SPDX-License-Identifier: GPL-3.0-or-later
#include "subject_analysis.h"

#include "image_source.h"
#include "video_source.h"

#include <QCoreApplication>
#include <QFileInfo>

#include <opencv2/core.hpp>
#include <opencv2/imgproc.hpp>
#include <opencv2/objdetect.hpp>
#include <opencv2/saliency.hpp>

#include <algorithm>
#include <cmath>

namespace render {

namespace {

constexpr int kFaceSide = 512;      // longest side faces are searched at
constexpr int kSaliencySide = 256;  // longest side of the saliency map
// How far the saliency peak must rise above the map's mean for the picture to have a subject
// at all; uniform noise and even textures stay below it.
constexpr double kPeakOverMean = 3.0;

QSize scaledToLongest(QSize size, int longest)
{
    if (size.isEmpty())
        return size;
    const double k = std::min(1.0, double(longest) / std::max(size.width(), size.height()));
    return {std::max(1, int(std::lround(size.width() * k))),
            std::max(1, int(std::lround(size.height() * k)))};
}

// A deep copy, so the Mat never points into a QImage that goes away.
cv::Mat greyMat(const QImage &image, QSize size)
{
    const QImage grey = image.scaled(size, Qt::IgnoreAspectRatio, Qt::SmoothTransformation)
                            .convertToFormat(QImage::Format_Grayscale8);
    const cv::Mat view(grey.height(), grey.width(), CV_8UC1, const_cast<uchar *>(grey.constBits()),
                       size_t(grey.bytesPerLine()));
    return view.clone();
}

QRectF fractionOf(const cv::Rect &r, const cv::Size &size)
{
    return {double(r.x) / size.width, double(r.y) / size.height, double(r.width) / size.width,
            double(r.height) / size.height};
}

// Faces large enough to matter framed together, with room for hair and chin: the box a
// designer would draw around the people, not just around their eyes.
QRectF faceBox(const std::vector<cv::Rect> &faces, const cv::Size &size)
{
    int largest = 0;
    for (const cv::Rect &f : faces)
        largest = std::max(largest, f.area());
    cv::Rect all;
    for (const cv::Rect &f : faces) {
        if (f.area() * 3 < largest)
            continue;  // a face in the crowd behind the subject
        all = all.empty() ? f : (all | f);
    }
    const QRectF box = fractionOf(all, size);
    const double padX = box.width() * 0.2, padTop = box.height() * 0.3,
                 padBottom = box.height() * 0.4;
    return box.adjusted(-padX, -padTop, padX, padBottom).intersected(QRectF(0, 0, 1, 1));
}

}  // namespace

struct SubjectAnalyzer::Impl {
    mutable cv::CascadeClassifier faces;
    bool haveFaces = false;
    QString note;
};

QString defaultFaceCascadePath()
{
    const QString env = qEnvironmentVariable("CAMPAIGN_FACE_CASCADE");
    if (!env.isEmpty())
        return env;
    return QStringLiteral("/usr/share/opencv4/haarcascades/haarcascade_frontalface_default.xml");
}

SubjectAnalyzer::SubjectAnalyzer(const QString &faceCascadePath)
    : d(std::make_unique<Impl>())
{
    if (!QFileInfo(faceCascadePath).isFile()) {
        d->note = QCoreApplication::translate("render", "Face cascade %1 not found (install "
                                                        "opencv-data); subjects found by "
                                                        "saliency only.")
                      .arg(faceCascadePath);
        return;
    }
    try {
        d->haveFaces = d->faces.load(faceCascadePath.toStdString());
    } catch (const cv::Exception &) {
        d->haveFaces = false;
    }
    if (!d->haveFaces)
        d->note = QCoreApplication::translate("render", "Face cascade %1 could not be loaded; "
                                                        "subjects found by saliency only.")
                      .arg(faceCascadePath);
}

SubjectAnalyzer::~SubjectAnalyzer() = default;

bool SubjectAnalyzer::hasFaceDetector() const { return d->haveFaces; }
QString SubjectAnalyzer::note() const { return d->note; }

SubjectEstimate SubjectAnalyzer::analyse(const QImage &image) const
{
    SubjectEstimate result;
    if (image.isNull())
        return result;

    // Saliency: the spectral residual map, smoothed so a textured subject forms one blob.
    const cv::Mat small = greyMat(image, scaledToLongest(image.size(), kSaliencySide));
    cv::Scalar pictureMean, pictureStddev;
    cv::meanStdDev(small, pictureMean, pictureStddev);
    if (pictureStddev[0] < 2.0)
        return result;  // flat: the residual of a constant spectrum is rounding noise
    cv::Mat saliency;
    try {
        auto sr = cv::saliency::StaticSaliencySpectralResidual::create();
        if (!sr->computeSaliency(small, saliency) || saliency.empty())
            return result;
    } catch (const cv::Exception &) {
        return result;
    }
    saliency.convertTo(saliency, CV_32F);
    const int blur = (std::max(small.cols, small.rows) / 24) | 1;
    cv::GaussianBlur(saliency, saliency, cv::Size(blur, blur), 0);
    double minValue = 0, maxValue = 0;
    cv::minMaxLoc(saliency, &minValue, &maxValue);
    const cv::Scalar total = cv::sum(saliency);
    if (maxValue > 0 && total[0] > 0) {
        const cv::Moments m = cv::moments(saliency);
        result.centroid = {m.m10 / m.m00 / saliency.cols, m.m01 / m.m00 / saliency.rows};
    }
    cv::Scalar mean, stddev;
    cv::meanStdDev(saliency, mean, stddev);
    // A picture with a subject has a few values far above the rest; a flat or uniformly busy
    // one does not, and then any box would be noise.
    if (maxValue > kPeakOverMean * mean[0]) {
        const double threshold = std::max(mean[0] + 2.0 * stddev[0], 0.35 * maxValue);
        cv::Mat mask = saliency > threshold;
        cv::Mat labels, stats, centroids;
        const int count = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8);
        // The most salient blob by total saliency, plus any blob at least half as salient
        // (two shoes side by side are one subject).
        std::vector<double> weight(size_t(std::max(count, 1)), 0.0);
        for (int y = 0; y < labels.rows; ++y) {
            const int *row = labels.ptr<int>(y);
            const float *value = saliency.ptr<float>(y);
            for (int x = 0; x < labels.cols; ++x)
                if (row[x] > 0)
                    weight[size_t(row[x])] += value[x];
        }
        const double best = count > 1 ? *std::max_element(weight.begin() + 1, weight.end()) : 0;
        cv::Rect box;
        for (int i = 1; i < count && best > 0; ++i) {
            if (weight[size_t(i)] < 0.5 * best)
                continue;
            const cv::Rect blob(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                                stats.at<int>(i, cv::CC_STAT_WIDTH),
                                stats.at<int>(i, cv::CC_STAT_HEIGHT));
            box = box.empty() ? blob : (box | blob);
        }
        if (!box.empty())
            result.box = fractionOf(box, saliency.size());
    }

    // Faces override saliency: people look at people.
    if (d->haveFaces) {
        cv::Mat grey = greyMat(image, scaledToLongest(image.size(), kFaceSide));
        cv::equalizeHist(grey, grey);
        std::vector<cv::Rect> faces;
        const int minFace = std::max(20, std::min(grey.cols, grey.rows) / 20);
        try {
            d->faces.detectMultiScale(grey, faces, 1.1, 5, 0, cv::Size(minFace, minFace));
        } catch (const cv::Exception &) {
            faces.clear();
        }
        if (!faces.empty()) {
            result.faces = int(faces.size());
            result.box = faceBox(faces, grey.size());
        }
    }
    return result;
}

bool analyseImageFile(const QString &path, const SubjectAnalyzer &analyzer, SubjectTrack *out,
                      RenderError *error)
{
    ImageInfo info;
    if (!probeImage(path, &info, error))
        return false;
    const QSize analysisSize = scaledToLongest(info.size.toSize(), kFaceSide);
    const QImage image = loadImage(path, analysisSize, error);
    if (image.isNull())
        return false;
    *out = SubjectTrack();
    out->sourceSize = info.size;
    out->faceDetection = analyzer.hasFaceDetector();
    out->note = analyzer.note();
    out->samples.push_back({0.0, analyzer.analyse(image).box});
    return true;
}

bool analyseVideoFile(const QString &path, const SubjectAnalyzer &analyzer,
                      double samplesPerSecond, SubjectTrack *out, RenderError *error)
{
    const MediaInfo media = probeMedia(path);
    if (media.error) {
        if (error)
            *error = media.error;
        return false;
    }
    VideoSource video;
    if (!video.open(path, 1, error))
        return false;
    const QSizeF display = video.displaySize();
    const QSize analysisSize = scaledToLongest(display.toSize(), kFaceSide);
    const double duration = media.videoDurationSec > 0 ? media.videoDurationSec : media.durationSec;
    *out = SubjectTrack();
    out->sourceSize = display;
    out->faceDetection = analyzer.hasFaceDetector();
    out->note = analyzer.note();
    // Sample times as exact ratios (i / rate, rate in thousandths) so the decoder lands on
    // the same frame every run.
    const int64_t rateMilli = std::max<int64_t>(1, std::llround(samplesPerSecond * 1000.0));
    for (int64_t i = 0;; ++i) {
        const double t = double(i) * 1000.0 / double(rateMilli);
        if (i > 0 && t >= duration)
            break;
        const QImage frame = video.frameAt(i * 1000, rateMilli, analysisSize, error);
        if (frame.isNull())
            return false;
        out->samples.push_back({t, analyzer.analyse(frame).box});
    }
    return true;
}

}  // namespace render
