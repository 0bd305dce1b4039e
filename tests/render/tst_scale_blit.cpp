// SPDX-License-Identifier: GPL-3.0-or-later
// The compositor's fast path for opaque full-frame pictures (scale_blit.h) against bilinear
// sampling computed here in floating point, the SIMD path against the plain one, and what it
// refuses; its single-plane counterpart against it on grey pictures, byte for byte; and the
// batch's encoder slots (encoder_slots.h): first come first served, never more held than there
// are.
#include "render/encoder_slots.h"
#include "render/scale_blit.h"

#include <QElapsedTimer>
#include <QRandomGenerator>
#include <QTest>

#include <algorithm>
#include <atomic>
#include <cmath>
#include <mutex>
#include <thread>
#include <vector>

using namespace render;

namespace {
QImage noise(int w, int h, quint32 seed)
{
    QImage image(w, h, QImage::Format_RGB32);
    QRandomGenerator random(seed);
    for (int y = 0; y < h; ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < w; ++x)
            line[x] = 0xff000000u | (random.generate() & 0xffffffu);
    }
    return image;
}

// Smooth content, where a bilinear sample is close to what exact arithmetic gives.
QImage gradient(int w, int h)
{
    QImage image(w, h, QImage::Format_RGB32);
    for (int y = 0; y < h; ++y)
        for (int x = 0; x < w; ++x)
            image.setPixel(x, y, qRgb(x * 255 / (w - 1), y * 255 / (h - 1), (x + y) * 127 / (w + h)));
    return image;
}

// The largest channel difference between `dst` inside `target` and the exact bilinear sample
// of `source` in `src` at each target pixel's centre.
int worstError(const QImage &src, const QRectF &source, const QImage &dst, const QRect &target)
{
    int worst = 0;
    for (int y = 0; y < target.height(); ++y) {
        const double sy = std::clamp(source.top() + (y + 0.5) * source.height() / target.height() - 0.5,
                                     0.0, double(src.height() - 1));
        const int y0 = std::min(int(sy), src.height() - 2);
        const double fy = sy - y0;
        for (int x = 0; x < target.width(); ++x) {
            const double sx = std::clamp(source.left() + (x + 0.5) * source.width() / target.width() - 0.5,
                                         0.0, double(src.width() - 1));
            const int x0 = std::min(int(sx), src.width() - 2);
            const double fx = sx - x0;
            const QRgb got = dst.pixel(target.left() + x, target.top() + y);
            for (int shift : {0, 8, 16}) {
                const auto at = [&](int px, int py) { return double((src.pixel(px, py) >> shift) & 0xff); };
                const double top = at(x0, y0) * (1 - fx) + at(x0 + 1, y0) * fx;
                const double bottom = at(x0, y0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1) * fx;
                const double want = top * (1 - fy) + bottom * fy;
                worst = std::max(worst, int(std::lround(std::abs(want - double((got >> shift) & 0xff)))));
            }
            if (qAlpha(got) != 255)
                return 1000;
        }
    }
    return worst;
}
// An 8-bit plane of random bytes, its rows padded (the padding random too) as a decoder's are.
struct Plane {
    QSize size;
    int stride = 0;
    std::vector<uint8_t> bytes;
    uint8_t at(int x, int y) const { return bytes[size_t(y) * size_t(stride) + size_t(x)]; }
};

Plane planeNoise(QSize size, quint32 seed)
{
    Plane plane{size, size.width() + 7, {}};
    plane.bytes.resize(size_t(plane.stride) * size_t(size.height()));
    QRandomGenerator random(seed);
    for (uint8_t &b : plane.bytes)
        b = uint8_t(random.generate());
    return plane;
}

// The grey RGB32 picture R = G = B = the plane's byte.
QImage greyPicture(const Plane &plane)
{
    QImage image(plane.size, QImage::Format_RGB32);
    for (int y = 0; y < plane.size.height(); ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < plane.size.width(); ++x)
            line[x] = qRgb(plane.at(x, y), plane.at(x, y), plane.at(x, y));
    }
    return image;
}

bool drawPlane(const Plane &src, const QRectF &source, Plane *dst, const QRect &target,
               ScalePath path)
{
    return scalePlane(src.bytes.data(), src.stride, src.size, source, dst->bytes.data(),
                      dst->stride, dst->size, target, path);
}

// The first byte of `got` inside `target` that differs from `want`'s, or outside it from
// `before`'s; empty if none.
QString firstDifference(const Plane &got, const Plane &want, const Plane &before, const QRect &target)
{
    for (int y = 0; y < got.size.height(); ++y)
        for (int x = 0; x < got.size.width(); ++x) {
            const Plane &reference = target.contains(x, y) ? want : before;
            if (got.at(x, y) != reference.at(x, y))
                return QStringLiteral("at %1,%2: %3, want %4%5")
                    .arg(x).arg(y).arg(got.at(x, y)).arg(reference.at(x, y))
                    .arg(target.contains(x, y) ? "" : " (outside the target)");
        }
    return {};
}

// Where scalePlane is used: the planes of a 1080x1920 frame from a 2048x2048 still (Ken Burns)
// or a clip, and the corner cases of its AVX2 pass (groups of eight target pixels whose pairs
// lie within sixteen source bytes; clamped edges; tails).
void addPlaneGeometries()
{
    QTest::addColumn<QSize>("sourceSize");
    QTest::addColumn<QRectF>("source");
    QTest::addColumn<QSize>("dstSize");
    QTest::addColumn<QRect>("target");
    QTest::newRow("still luma 0.87x") << QSize(2048, 2048) << QRectF(400.3, 17.6, 1241.4, 2206.9)
                                      << QSize(1080, 1920) << QRect(0, 0, 1080, 1920);
    QTest::newRow("down 0.53x") << QSize(517, 611) << QRectF(3.7, 5.2, 500.1, 600.3)
                                << QSize(265, 318) << QRect(0, 0, 265, 318);
    QTest::newRow("down exactly 1/2") << QSize(517, 611) << QRectF(0, 0, 512, 600)
                                      << QSize(256, 300) << QRect(0, 0, 256, 300);
    QTest::newRow("down just under 1/2") << QSize(517, 611) << QRectF(0, 0, 517, 611)
                                         << QSize(253, 300) << QRect(0, 0, 253, 300);
    QTest::newRow("same size") << QSize(517, 611) << QRectF(0, 0, 517, 611)
                               << QSize(517, 611) << QRect(0, 0, 517, 611);
    QTest::newRow("clip chroma up 1.78x") << QSize(960, 540) << QRectF(328.125, 0, 303.75, 540)
                                          << QSize(540, 960) << QRect(0, 0, 540, 960);
    QTest::newRow("right and bottom edges") << QSize(517, 611) << QRectF(300.6, 400.2, 216.4, 210.8)
                                            << QSize(190, 260) << QRect(0, 0, 190, 260);
    QTest::newRow("past every edge") << QSize(517, 611) << QRectF(-20.5, -10.25, 560, 640)
                                     << QSize(301, 333) << QRect(0, 0, 301, 333);
    QTest::newRow("target inside a larger plane")
        << QSize(517, 611) << QRectF(12.5, 33.25, 400.4, 500.7) << QSize(360, 440)
        << QRect(7, 9, 333, 421);
    QTest::newRow("source under 16 wide") << QSize(9, 7) << QRectF(0.3, 0, 8.5, 7)
                                          << QSize(40, 24) << QRect(3, 2, 33, 20);
    QTest::newRow("2x2 source") << QSize(2, 2) << QRectF(0, 0, 2, 2) << QSize(20, 8)
                                << QRect(1, 1, 17, 5);
    for (int width : {1, 2, 3, 15, 16, 17, 33}) {
        // Near the right edge, scaled down a little, and in the middle, scaled up.
        QTest::addRow("%d wide at the right edge", width)
            << QSize(517, 61) << QRectF(517 - width * 1.3 - 0.4, 10.5, width * 1.3 + 0.4, 37.9)
            << QSize(width + 3, 33) << QRect(1, 2, width, 29);
        QTest::addRow("%d wide up 1.7x", width)
            << QSize(517, 61) << QRectF(200.25, 3.75, width / 1.7, 20.1)
            << QSize(width + 3, 40) << QRect(2, 3, width, 34);
    }
}
}  // namespace

class TestScaleBlit : public QObject {
    Q_OBJECT

private slots:
    void sameSizeCopiesThePixels();
    void samplesLikeBilinearAtPixelCentres_data();
    void samplesLikeBilinearAtPixelCentres();
    void simdAndPlainGiveTheSamePixels();
    void writesOnlyInsideTheTarget();
    void refusesWhatItCannotDraw();
    void planeMatchesGreyRgb_data() { addPlaneGeometries(); }
    void planeMatchesGreyRgb();
    void planeFastestEqualsPortable_data() { addPlaneGeometries(); }
    void planeFastestEqualsPortable();
    void planeRefusesBadInput();
    void slotsAreServedInOrder();
    void neverMoreSlotsHeldThanThereAre();
};

void TestScaleBlit::sameSizeCopiesThePixels()
{
    const QImage src = noise(37, 23, 1);
    QImage dst(37, 23, QImage::Format_RGB32);
    dst.fill(Qt::black);
    QVERIFY(scaleBlitOpaque(src, QRectF(src.rect()), &dst, dst.rect()));
    QCOMPARE(dst, src);
}

void TestScaleBlit::samplesLikeBilinearAtPixelCentres_data()
{
    QTest::addColumn<QSize>("sourceSize");
    QTest::addColumn<QRectF>("source");
    QTest::addColumn<QRect>("target");
    // A Ken Burns frame: a fractional window of a bigger picture, scaled down a little.
    QTest::newRow("zoomed still") << QSize(400, 400) << QRectF(87.3, 12.6, 213.9, 380.2)
                                  << QRect(0, 0, 200, 357);
    // A 16:9 clip cover-fitted to 9:16: its middle scaled up 1.78x.
    QTest::newRow("clip to 9:16") << QSize(320, 180) << QRectF(109.375, 0, 101.25, 180)
                                  << QRect(0, 0, 180, 320);
    // Down by more than two, off the canvas origin, odd widths for the SIMD tails.
    QTest::newRow("thumbnail") << QSize(301, 199) << QRectF(0.5, 0.25, 300.0, 198.5)
                               << QRect(3, 5, 71, 47);
}

void TestScaleBlit::samplesLikeBilinearAtPixelCentres()
{
    QFETCH(QSize, sourceSize);
    QFETCH(QRectF, source);
    QFETCH(QRect, target);
    const QImage src = gradient(sourceSize.width(), sourceSize.height());
    QImage dst(target.right() + 4, target.bottom() + 4, QImage::Format_RGB32);
    dst.fill(Qt::black);
    QVERIFY(scaleBlitOpaque(src, source, &dst, target));
    // Weights in 1/64 steps and two roundings: within 2 of exact arithmetic on smooth content.
    const int error = worstError(src, source, dst, target);
    QVERIFY2(error <= 2, qPrintable(QStringLiteral("worst channel error %1").arg(error)));
}

void TestScaleBlit::simdAndPlainGiveTheSamePixels()
{
    const QImage src = noise(333, 251, 7);
    const QList<QPair<QRectF, QRect>> cases = {
        {QRectF(10.7, 3.3, 250.1, 240.9), QRect(0, 0, 181, 173)},
        {QRectF(100.2, 50.6, 60.5, 90.25), QRect(2, 1, 203, 301)},
        {QRectF(0, 0, 333, 251), QRect(0, 0, 5, 3)},
        {QRectF(-20, -10, 380, 280), QRect(1, 1, 97, 64)},  // past the edges: clamped
        // Up to the right edge, where the AVX2 pass cannot load eight pixels at once.
        {QRectF(200.4, 0, 132.6, 251), QRect(0, 0, 250, 200)},
        {QRectF(0, 0, 333, 251), QRect(3, 0, 167, 130)},  // just under half: one load still
        {QRectF(0, 0, 333, 251), QRect(0, 0, 160, 120)},  // just over: pair by pair
    };
    for (const auto &[source, target] : cases) {
        QImage fast(310, 310, QImage::Format_RGB32), plain(310, 310, QImage::Format_RGB32);
        fast.fill(Qt::black);
        plain.fill(Qt::black);
        QVERIFY(scaleBlitOpaque(src, source, &fast, target, ScalePath::Fastest));
        QVERIFY(scaleBlitOpaque(src, source, &plain, target, ScalePath::Portable));
        QCOMPARE(fast, plain);
    }
}

void TestScaleBlit::writesOnlyInsideTheTarget()
{
    const QImage src = noise(64, 64, 3);
    QImage dst(50, 40, QImage::Format_RGB32);
    dst.fill(qRgb(1, 2, 3));
    const QRect target(7, 9, 21, 13);
    QVERIFY(scaleBlitOpaque(src, QRectF(5.5, 5.5, 40, 30), &dst, target));
    int changedInside = 0;
    for (int y = 0; y < dst.height(); ++y)
        for (int x = 0; x < dst.width(); ++x) {
            if (!target.contains(x, y))
                QCOMPARE(dst.pixel(x, y), qRgb(1, 2, 3));
            else if (dst.pixel(x, y) != qRgb(1, 2, 3))
                ++changedInside;
        }
    QVERIFY(changedInside > target.width() * target.height() / 2);
}

void TestScaleBlit::refusesWhatItCannotDraw()
{
    QImage dst(20, 20, QImage::Format_RGB32);
    dst.fill(Qt::black);
    const QImage before = dst.copy();
    // Transparency needs blending: QPainter's job.
    QImage alpha(10, 10, QImage::Format_ARGB32_Premultiplied);
    alpha.fill(Qt::transparent);
    QVERIFY(!scaleBlitOpaque(alpha, QRectF(0, 0, 10, 10), &dst, QRect(0, 0, 20, 20)));
    // A target reaching outside the canvas, a one-pixel-wide source, an empty source.
    const QImage src = noise(10, 10, 5);
    QVERIFY(!scaleBlitOpaque(src, QRectF(0, 0, 10, 10), &dst, QRect(10, 10, 20, 20)));
    QVERIFY(!scaleBlitOpaque(noise(1, 10, 5), QRectF(0, 0, 1, 10), &dst, QRect(0, 0, 5, 5)));
    QVERIFY(!scaleBlitOpaque(src, QRectF(0, 0, 0, 10), &dst, QRect(0, 0, 5, 5)));
    // A canvas shared with another QImage would be detached, not drawn into.
    const QImage sharer = dst;
    QVERIFY(!scaleBlitOpaque(src, QRectF(0, 0, 10, 10), &dst, QRect(0, 0, 5, 5)));
    QCOMPARE(dst, before);
    QCOMPARE(sharer, before);
}

void TestScaleBlit::planeMatchesGreyRgb()
{
    QFETCH(QSize, sourceSize);
    QFETCH(QRectF, source);
    QFETCH(QSize, dstSize);
    QFETCH(QRect, target);
    const Plane src = planeNoise(sourceSize, 11);
    const Plane before = planeNoise(dstSize, 12);
    QImage rgb(dstSize, QImage::Format_RGB32);
    rgb.fill(Qt::black);
    QVERIFY(scaleBlitOpaque(greyPicture(src), source, &rgb, target));
    // Each channel of the grey picture's result, as a plane.
    for (int shift : {0, 8, 16}) {
        Plane want = before;
        for (int y = target.top(); y <= target.bottom(); ++y)
            for (int x = target.left(); x <= target.right(); ++x)
                want.bytes[size_t(y) * size_t(want.stride) + size_t(x)] = uint8_t(rgb.pixel(x, y) >> shift);
        for (ScalePath path : {ScalePath::Fastest, ScalePath::Portable}) {
            Plane dst = before;
            QVERIFY(drawPlane(src, source, &dst, target, path));
            const QString difference = firstDifference(dst, want, before, target);
            QVERIFY2(difference.isEmpty(), qPrintable(difference));
            // The stride's padding is not drawn on either.
            QVERIFY(dst.bytes == want.bytes);
        }
    }
}

void TestScaleBlit::planeFastestEqualsPortable()
{
    QFETCH(QSize, sourceSize);
    QFETCH(QRectF, source);
    QFETCH(QSize, dstSize);
    QFETCH(QRect, target);
    const Plane src = planeNoise(sourceSize, 21);
    Plane fast = planeNoise(dstSize, 22), plain = fast;
    const Plane before = fast;
    QVERIFY(drawPlane(src, source, &fast, target, ScalePath::Fastest));
    QVERIFY(drawPlane(src, source, &plain, target, ScalePath::Portable));
    const QString difference = firstDifference(fast, plain, before, target);
    QVERIFY2(difference.isEmpty(), qPrintable(difference));
    QVERIFY(fast.bytes == plain.bytes);
}

void TestScaleBlit::planeRefusesBadInput()
{
    const Plane src = planeNoise(QSize(10, 10), 31);
    Plane dst = planeNoise(QSize(20, 20), 32);
    const Plane before = dst;
    const auto refused = [&](const Plane &from, const QRectF &source, const QRect &target) {
        return !drawPlane(from, source, &dst, target, ScalePath::Fastest)
            && !drawPlane(from, source, &dst, target, ScalePath::Portable);
    };
    QVERIFY(refused(planeNoise(QSize(1, 1), 33), QRectF(0, 0, 1, 1), QRect(0, 0, 5, 5)));
    QVERIFY(refused(planeNoise(QSize(1, 10), 34), QRectF(0, 0, 1, 10), QRect(0, 0, 5, 5)));
    QVERIFY(refused(src, QRectF(0, 0, 10, 10), QRect()));
    QVERIFY(refused(src, QRectF(0, 0, 10, 10), QRect(3, 3, 0, 4)));
    QVERIFY(refused(src, QRectF(0, 0, 10, 10), QRect(10, 10, 20, 20)));
    QVERIFY(refused(src, QRectF(0, 0, 10, 10), QRect(-1, 0, 5, 5)));
    QVERIFY(refused(src, QRectF(0, 0, 10, 10), QRect(25, 25, 5, 5)));
    QVERIFY(refused(src, QRectF(0, 0, 0, 10), QRect(0, 0, 5, 5)));
    QVERIFY(refused(src, QRectF(0, 0, 10, 0), QRect(0, 0, 5, 5)));
    QVERIFY(refused(src, QRectF(0, 0, -10, 10), QRect(0, 0, 5, 5)));
    QVERIFY(refused(src, QRectF(0, 0, qQNaN(), 10), QRect(0, 0, 5, 5)));
    // Null planes and strides shorter than a row.
    QVERIFY(!scalePlane(nullptr, 10, QSize(10, 10), QRectF(0, 0, 10, 10), dst.bytes.data(),
                        dst.stride, dst.size, QRect(0, 0, 5, 5)));
    QVERIFY(!scalePlane(src.bytes.data(), 9, src.size, QRectF(0, 0, 10, 10), dst.bytes.data(),
                        dst.stride, dst.size, QRect(0, 0, 5, 5)));
    QVERIFY(!scalePlane(src.bytes.data(), src.stride, src.size, QRectF(0, 0, 10, 10),
                        dst.bytes.data(), 19, dst.size, QRect(0, 0, 5, 5)));
    QVERIFY(dst.bytes == before.bytes);
    // And the same calls with sane arguments do draw.
    QVERIFY(drawPlane(src, QRectF(0, 0, 10, 10), &dst, QRect(0, 0, 5, 5), ScalePath::Fastest));
    QVERIFY(dst.bytes != before.bytes);
}

void TestScaleBlit::slotsAreServedInOrder()
{
    EncoderSlots slots2(2);
    QCOMPARE(slots2.capacity(), 2);
    slots2.acquire(2);  // everything held: the two requests below queue
    std::mutex mutex;
    std::vector<char> order;
    std::thread group([&] {
        slots2.acquire(2);
        { std::lock_guard lock(mutex); order.push_back('g'); }
        slots2.release(2);
    });
    const auto waitFor = [&](int n) {
        QElapsedTimer timer;
        timer.start();
        while (slots2.waiting() < n && timer.elapsed() < 5000)
            std::this_thread::sleep_for(std::chrono::milliseconds(1));
        return slots2.waiting() >= n;
    };
    QVERIFY(waitFor(1));
    std::thread chunk([&] {
        slots2.acquire(1);
        { std::lock_guard lock(mutex); order.push_back('c'); }
        slots2.release(1);
    });
    QVERIFY(waitFor(2));
    // One slot free: enough for the chunk, but the group asked first and needs two.
    slots2.release(1);
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    { std::lock_guard lock(mutex); QVERIFY(order.empty()); }
    slots2.release(1);
    group.join();
    chunk.join();
    QCOMPARE(order, (std::vector<char>{'g', 'c'}));
    QCOMPARE(slots2.peakInUse(), 2);
    // Asking for more than there are takes them all instead of waiting forever.
    slots2.acquire(5);
    slots2.release(5);
    slots2.waitAvailable();
    QCOMPARE(slots2.waiting(), 0);
}

void TestScaleBlit::neverMoreSlotsHeldThanThereAre()
{
    EncoderSlots three(3);
    std::atomic<int> held{0}, worst{0};
    std::vector<std::thread> threads;
    for (int t = 0; t < 6; ++t) {
        threads.emplace_back([&, t] {
            for (int i = 0; i < 200; ++i) {
                const int n = 1 + (i + t) % 2;
                SlotHold hold(&three, n);
                const int now = held += n;
                int seen = worst.load();
                while (now > seen && !worst.compare_exchange_weak(seen, now)) {
                }
                held -= n;
            }
        });
    }
    for (std::thread &t : threads)
        t.join();
    QVERIFY(worst.load() <= 3);
    QVERIFY(three.peakInUse() <= 3);
    QVERIFY(three.peakInUse() >= 2);
    QCOMPARE(three.waiting(), 0);
}

QTEST_GUILESS_MAIN(TestScaleBlit)
#include "tst_scale_blit.moc"
