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
// What is left of the saliency of a text line (see textLineMask): enough for a picture that is
// only words to still have them as its subject, little enough that a product or a person
// beside a baked-in title wins.
constexpr double kTextWeight = 0.15;
// A text line's edge rhythm: edge runs met along a row, per line height of its width. Letters
// give about two strokes, four edges, per character; the sample's titles measure 3 to 6 where
// a figure, a shoe or a speed line measures under 1.
constexpr double kTextTransitionsPerHeight = 2.0;
// With text weighed down, what else stands out must peak at least at this share of the words'
// saliency peak to be the subject; below it the picture is about its words. Measured: a
// subject beside a title peaks at 0.5 to 0.75 of the title, the border glow of a words-only
// gradient picture at 0.2.
constexpr double kMinSubjectShare = 0.35;

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

// Where the picture has lines of text, 255 inside them: generated pictures often carry their
// title baked in, in big letters with a shadow, and the spectral residual finds such strokes at
// least as salient as the product. Found the classic way: the morphological gradient marks
// edges, a horizontal closing joins the letters of a line, and a joined blob counts as text
// when it is wider than tall, line-sized, and crossed by many edges along its rows (a shape
// as wide has two).
cv::Mat textLineMask(const cv::Mat &grey)
{
    cv::Mat edges, joined;
    cv::morphologyEx(grey, edges, cv::MORPH_GRADIENT,
                     cv::getStructuringElement(cv::MORPH_ELLIPSE, cv::Size(3, 3)));
    cv::threshold(edges, edges, 0, 255, cv::THRESH_BINARY | cv::THRESH_OTSU);
    const int join = std::max(3, grey.cols / 60) | 1;
    cv::morphologyEx(edges, joined, cv::MORPH_CLOSE,
                     cv::getStructuringElement(cv::MORPH_RECT, cv::Size(join, 1)));
    cv::Mat labels, stats, centroids;
    const int count = cv::connectedComponentsWithStats(joined, labels, stats, centroids, 8);
    cv::Mat mask = cv::Mat::zeros(grey.size(), CV_8U);
    for (int i = 1; i < count; ++i) {
        const cv::Rect line(stats.at<int>(i, cv::CC_STAT_LEFT), stats.at<int>(i, cv::CC_STAT_TOP),
                            stats.at<int>(i, cv::CC_STAT_WIDTH),
                            stats.at<int>(i, cv::CC_STAT_HEIGHT));
        if (line.height < std::max(4, grey.rows / 60) || line.height > grey.rows / 4
            || line.width < 2 * line.height)
            continue;
        // Edge runs along the rows of the line's middle half (clear of ascenders/descenders).
        double runs = 0;
        int rows = 0;
        for (int y = line.y + line.height / 4; y < line.y + 3 * line.height / 4; ++y, ++rows) {
            const uchar *row = edges.ptr<uchar>(y);
            for (int x = line.x + 1; x < line.x + line.width; ++x)
                runs += row[x] && !row[x - 1];
        }
        const double perHeight =
            rows > 0 ? runs / rows / (double(line.width) / line.height) : 0.0;
        if (perHeight < kTextTransitionsPerHeight)
            continue;
        // Half a line height of margin: a first letter the closing did not join (a "D"
        // touching a stripe) and the letters' shadow belong to the line too.
        const int margin = line.height / 2;
        const cv::Rect padded = cv::Rect(line.x - margin, line.y - margin / 2,
                                         line.width + 2 * margin, line.height + margin)
            & cv::Rect(0, 0, grey.cols, grey.rows);
        mask(padded).setTo(255);
    }
    return mask;
}

// The subject in a saliency map: the most salient blob by total saliency, plus any blob at
// least half as salient (two shoes side by side are one subject). Empty when nothing rises
// far enough above the rest (a flat or uniformly busy picture, where any box would be noise).
cv::Rect salientBox(const cv::Mat &saliency)
{
    double minValue = 0, maxValue = 0;
    cv::minMaxLoc(saliency, &minValue, &maxValue);
    cv::Scalar mean, stddev;
    cv::meanStdDev(saliency, mean, stddev);
    if (!(maxValue > kPeakOverMean * mean[0]))
        return {};
    const double threshold = std::max(mean[0] + 2.0 * stddev[0], 0.35 * maxValue);
    cv::Mat mask = saliency > threshold;
    cv::Mat labels, stats, centroids;
    const int count = cv::connectedComponentsWithStats(mask, labels, stats, centroids, 8);
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
    return box;
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
    if (maxValue > 0 && cv::sum(saliency)[0] > 0) {
        const cv::Moments m = cv::moments(saliency);
        result.centroid = {m.m10 / m.m00 / saliency.cols, m.m01 / m.m00 / saliency.rows};
    }
    // Text lines are found at the face resolution (letters of a title are a few pixels high
    // in the saliency map) and weighed down in the map. When what stands out besides them is
    // little next to the words (a title card, or only the border glow the residual leaves on a
    // gradient), the words are the subject after all.
    const cv::Mat grey = greyMat(image, scaledToLongest(image.size(), kFaceSide));
    cv::Mat text;
    cv::resize(textLineMask(grey), text, saliency.size(), 0, 0, cv::INTER_AREA);
    text.convertTo(text, CV_32F, 1.0 / 255.0);
    cv::Rect box;
    if (cv::countNonZero(text) > 0) {
        const cv::Mat weighted = saliency.mul(1.0 - (1.0 - kTextWeight) * text);
        box = salientBox(weighted);
        // Peaks, not totals: the residual's glow along a gradient's border can add up to as
        // much as a compact subject, but it never rises as high.
        double low = 0, textPeak = 0, otherPeak = 0;
        cv::minMaxLoc(cv::Mat(saliency.mul(text)), &low, &textPeak);
        if (!box.empty())
            cv::minMaxLoc(cv::Mat(weighted(box).mul(1.0 - text(box))), &low, &otherPeak);
        if (otherPeak < kMinSubjectShare * textPeak)
            box = salientBox(saliency);
    } else {
        box = salientBox(saliency);
    }
    if (!box.empty())
        result.box = fractionOf(box, saliency.size());

    // Faces override saliency: people look at people.
    if (d->haveFaces) {
        cv::Mat equalized;
        cv::equalizeHist(grey, equalized);
        std::vector<cv::Rect> faces;
        const int minFace = std::max(20, std::min(equalized.cols, equalized.rows) / 20);
        try {
            d->faces.detectMultiScale(equalized, faces, 1.1, 5, 0, cv::Size(minFace, minFace));
        } catch (const cv::Exception &) {
            faces.clear();
        }
        if (!faces.empty()) {
            result.faces = int(faces.size());
            result.box = faceBox(faces, equalized.size());
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
