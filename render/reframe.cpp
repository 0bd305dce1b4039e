// SPDX-License-Identifier: GPL-3.0-or-later
#include "reframe.h"

#include <algorithm>
#include <cmath>
#include <optional>

namespace render {

namespace {

// Largest size of the output's aspect that fits in the source.
QSizeF maxWindowSize(QSizeF source, QSizeF output)
{
    if (source.isEmpty() || output.isEmpty())
        return source;
    const double aspect = output.width() / output.height();
    if (source.width() / source.height() > aspect)
        return {source.height() * aspect, source.height()};
    return {source.width(), source.width() / aspect};
}

// Start of the window along one axis. `lead`/`trail` are the safe-zone fractions at the
// start/end of the axis, [lo, hi] the subject's extent, `length` the window's, `limit` the
// source's. Preference order: subject inside the safe band, subject inside the window,
// subject centred; the result is always clamped to the source.
double placeAxis(double lo, double hi, double length, double limit, double lead, double trail)
{
    const double freeStart = lead * length;
    const double freeLength = std::max(0.0, (1.0 - lead - trail) * length);
    // Centre of the subject at the centre of the free band: the ideal.
    double start = (lo + hi) / 2.0 - (freeStart + freeLength / 2.0);
    const double safeMin = hi - (freeStart + freeLength);  // subject's end at the band's end
    const double safeMax = lo - freeStart;                  // subject's start at the band's start
    if (safeMin <= safeMax) {
        start = std::clamp(start, safeMin, safeMax);
    } else if (hi - lo <= length) {
        start = std::clamp(start, hi - length, lo);
    }
    return std::clamp(start, 0.0, std::max(0.0, limit - length));
}

QRectF toFractions(QRectF r, QSizeF source)
{
    return {r.x() / source.width(), r.y() / source.height(), r.width() / source.width(),
            r.height() / source.height()};
}

QRectF toPixels(QRectF r, QSizeF source)
{
    return {r.x() * source.width(), r.y() * source.height(), r.width() * source.width(),
            r.height() * source.height()};
}

// Moves `held` towards `wanted` only past the dead zone, by at most `maxStep`.
double follow(double held, double wanted, double deadZone, double maxStep)
{
    const double delta = wanted - held;
    if (std::abs(delta) <= deadZone)
        return held;
    const double step = std::min(std::abs(delta) - deadZone, maxStep);
    return held + std::copysign(step, delta);
}

double lerp(double a, double b, double t) { return a + (b - a) * t; }

bool onLine(const CropSample &a, const CropSample &b, const CropSample &mid, double tolerance)
{
    const double span = b.time - a.time;
    const double t = span > 0 ? (mid.time - a.time) / span : 0.0;
    const QRectF &p = a.window, &q = b.window, &m = mid.window;
    return std::abs(lerp(p.x(), q.x(), t) - m.x()) <= tolerance
        && std::abs(lerp(p.y(), q.y(), t) - m.y()) <= tolerance
        && std::abs(lerp(p.width(), q.width(), t) - m.width()) <= tolerance
        && std::abs(lerp(p.height(), q.height(), t) - m.height()) <= tolerance;
}

// Keeps the first and last key and every key the straight line from the previous kept key
// would miss; a held crop collapses to its two ends.
std::vector<CropSample> simplify(const std::vector<CropSample> &keys, double tolerance)
{
    if (keys.size() <= 2)
        return keys;
    std::vector<CropSample> out{keys.front()};
    size_t anchor = 0;
    for (size_t next = 2; next < keys.size(); ++next) {
        bool straight = true;
        for (size_t mid = anchor + 1; mid < next && straight; ++mid)
            straight = onLine(keys[anchor], keys[next], keys[mid], tolerance);
        if (!straight) {
            anchor = next - 1;
            out.push_back(keys[anchor]);
        }
    }
    out.push_back(keys.back());
    return out;
}

}  // namespace

QRectF safeArea(QRectF window, const SafeZones &safe)
{
    return {window.x() + safe.left * window.width(), window.y() + safe.top * window.height(),
            std::max(0.0, (1.0 - safe.left - safe.right) * window.width()),
            std::max(0.0, (1.0 - safe.top - safe.bottom) * window.height())};
}

QRectF chooseCropWindow(QSizeF source, QRectF subject, QSizeF output, const SafeZones &safe)
{
    const QSizeF size = maxWindowSize(source, output);
    if (subject.isEmpty()) {
        return {(source.width() - size.width()) / 2.0, (source.height() - size.height()) / 2.0,
                size.width(), size.height()};
    }
    const double x = placeAxis(subject.left(), subject.right(), size.width(), source.width(),
                               safe.left, safe.right);
    const double y = placeAxis(subject.top(), subject.bottom(), size.height(), source.height(),
                               safe.top, safe.bottom);
    return {x, y, size.width(), size.height()};
}

std::vector<CropSample> planCropTrack(QSizeF source, const std::vector<SubjectSample> &track,
                                      QSizeF output, const SafeZones &safe,
                                      const TrackSmoothing &smoothing)
{
    if (source.isEmpty())
        return {};
    if (track.empty())
        return {{0.0, toFractions(chooseCropWindow(source, {}, output, safe), source)}};

    // 1. Fill gaps (no subject found) with the nearest known box, so one missed detection
    //    does not swing the crop to the centre and back.
    std::vector<QRectF> boxes(track.size());
    std::optional<QRectF> last;
    for (size_t i = 0; i < track.size(); ++i) {
        if (!track[i].box.isEmpty())
            last = track[i].box;
        boxes[i] = last.value_or(QRectF());
    }
    std::optional<QRectF> next;
    for (size_t i = track.size(); i-- > 0;) {
        if (!track[i].box.isEmpty())
            next = track[i].box;
        else if (boxes[i].isEmpty() && next)
            boxes[i] = *next;
    }

    // 2. Centred moving average of the box centre and size: removes detector noise and keeps
    //    a constant-speed motion exactly on its line.
    std::vector<QRectF> smooth(track.size());
    for (size_t i = 0; i < track.size(); ++i) {
        double cx = 0, cy = 0, w = 0, h = 0;
        int n = 0;
        for (size_t j = 0; j < track.size(); ++j) {
            if (std::abs(track[j].time - track[i].time) > smoothing.averageHalfWidth
                || boxes[j].isEmpty())
                continue;
            cx += boxes[j].center().x();
            cy += boxes[j].center().y();
            w += boxes[j].width();
            h += boxes[j].height();
            ++n;
        }
        if (n > 0) {
            w /= n;
            h /= n;
            smooth[i] = QRectF(cx / n - w / 2.0, cy / n - h / 2.0, w, h);
        }
    }

    // 3. The wanted window per sample, then a held position that follows it past a dead zone
    //    at a bounded speed.
    std::vector<CropSample> keys;
    keys.reserve(track.size());
    QPointF held;
    for (size_t i = 0; i < track.size(); ++i) {
        const QRectF wanted =
            chooseCropWindow(source, toPixels(smooth[i], source), output, safe);
        if (i == 0) {
            held = wanted.topLeft();
        } else {
            const double dt = std::max(0.0, track[i].time - track[i - 1].time);
            held.setX(follow(held.x(), wanted.x(), smoothing.deadZone * wanted.width(),
                             smoothing.maxSpeed * wanted.width() * dt));
            held.setY(follow(held.y(), wanted.y(), smoothing.deadZone * wanted.height(),
                             smoothing.maxSpeed * wanted.height() * dt));
        }
        keys.push_back({track[i].time,
                        toFractions(QRectF(held, wanted.size()), source)});
    }
    return simplify(keys, smoothing.simplifyTolerance);
}

}  // namespace render
