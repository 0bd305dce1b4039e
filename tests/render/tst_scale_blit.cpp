// SPDX-License-Identifier: GPL-3.0-or-later
// The compositor's fast path for opaque full-frame pictures (scale_blit.h) against bilinear
// sampling computed here in floating point, the SIMD path against the plain one, and what it
// refuses; and the batch's encoder slots (encoder_slots.h): first come first served, never
// more held than there are.
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
