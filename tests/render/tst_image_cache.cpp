// SPDX-License-Identifier: GPL-3.0-or-later
// The process-wide cache of decoded stills (image_cache.h): one decode however many
// compositors draw a picture and at whatever sizes, a new decode when the file changes,
// one decode when threads ask at once, the byte budget, and errors that name the file.
#include "fixtures.h"
#include "render/compositor.h"
#include "render/image_cache.h"
#include "render/image_source.h"

#include <QDir>
#include <QFile>
#include <QSaveFile>
#include <QTemporaryDir>
#include <QTest>

#include <thread>
#include <vector>

using namespace render;

class TestImageCache : public QObject {
    Q_OBJECT
private slots:
    void init() { DecodedImageCache::instance().clear(); }
    void sameFileAndSizeDecodesOnce();
    void replacedFileIsDecodedAgain();
    void smallerSizesAreScaledFromOneDecode();
    void naturalDecodeKeptToScaleOnlyWhereItPays();
    void concurrentRequestsDecodeOnce();
    void budgetDropsLeastRecentlyUsed();
    void missingFileIsNamedAndNotCached();
    void compositorsShareOneDecode();

private:
    QTemporaryDir m_dir;
    DecodedImageCache &cache() { return DecodedImageCache::instance(); }
};

void TestImageCache::sameFileAndSizeDecodesOnce()
{
    const QString path = fixtures::writeSolidPng(m_dir.path(), "a.png", {64, 48}, fixtures::kRed);
    const int64_t before = cache().decodes();
    RenderError error;
    const QImage first = cache().get(path, {64, 48}, &error);
    const QImage second = cache().get(path, {64, 48}, &error);
    QVERIFY2(!first.isNull(), qPrintable(error.message));
    QCOMPARE(cache().decodes() - before, int64_t(1));
    QCOMPARE(second.cacheKey(), first.cacheKey());  // the same pixels, not a copy
    QCOMPARE(QColor(first.pixel(10, 10)), fixtures::kRed);
    QCOMPARE(cache().bytesHeld(), int64_t(first.sizeInBytes()));
}

void TestImageCache::replacedFileIsDecodedAgain()
{
    const QString path = fixtures::writeSolidPng(m_dir.path(), "b.png", {32, 32}, fixtures::kRed);
    RenderError error;
    QCOMPARE(QColor(cache().get(path, {32, 32}, &error).pixel(0, 0)), fixtures::kRed);
    // Same name, same size in bytes is likely: only the identity of the file changes.
    QImage green(32, 32, QImage::Format_RGB32);
    green.fill(fixtures::kGreen);
    QSaveFile out(path);
    QVERIFY(out.open(QIODevice::WriteOnly));
    QVERIFY(green.save(&out, "PNG"));
    QVERIFY(out.commit());
    const int64_t before = cache().decodes();
    QCOMPARE(QColor(cache().get(path, {32, 32}, &error).pixel(0, 0)), fixtures::kGreen);
    QCOMPARE(cache().decodes() - before, int64_t(1));
}

void TestImageCache::smallerSizesAreScaledFromOneDecode()
{
    const QString path = fixtures::writeDiscPng(m_dir.path(), "c.png", {200, 200}, 40);
    RenderError error;
    const int64_t before = cache().decodes();
    // The small size first (the preflight's sample scale), then the natural one.
    const QImage half = cache().get(path, {100, 100}, &error);
    const QImage full = cache().get(path, {200, 200}, &error);
    const QImage third = cache().get(path, {67, 300}, &error);
    QCOMPARE(cache().decodes() - before, int64_t(1));
    QCOMPARE(full.size(), QSize(200, 200));
    QCOMPARE(half.size(), QSize(100, 100));  // area-downscaled to the drawn size
    QCOMPARE(third.size(), QSize(67, 200));
    // Exactly the pixels of a decode at that size.
    QCOMPARE(half, loadImage(path, {100, 100}, &error));
    QCOMPARE(third, loadImage(path, {67, 300}, &error));
    QCOMPARE(cache().get(path, {100, 100}, &error).cacheKey(), half.cacheKey());
    // Larger than the picture is its natural size: the same entry.
    QCOMPARE(cache().get(path, {400, 250}, &error).cacheKey(), full.cacheKey());
    QCOMPARE(cache().decodes() - before, int64_t(1));
    QCOMPARE(cache().bytesHeld(),
             int64_t(full.sizeInBytes() + half.sizeInBytes() + third.sizeInBytes()));
}

void TestImageCache::naturalDecodeKeptToScaleOnlyWhereItPays()
{
    // 200x200x4 = 160,000 bytes, over an eighth of a 1,000,000 budget.
    const QString path = fixtures::writeDiscPng(m_dir.path(), "g.png", {200, 200}, 40);
    cache().setBudget(1000000);
    RenderError error;
    const int64_t before = cache().decodes();
    const QImage half = cache().get(path, {100, 100}, &error);
    QCOMPARE(cache().bytesHeld(), int64_t(half.sizeInBytes()));
    const QImage quarter = cache().get(path, {50, 50}, &error);
    QCOMPARE(cache().decodes() - before, int64_t(2));
    QCOMPARE(quarter, loadImage(path, {50, 50}, &error));
    // Scaled below a quarter of its size (a logo), the decode is not kept either.
    cache().setBudget(DecodedImageCache::kDefaultBudget);
    const QString logo = fixtures::writeDiscPng(m_dir.path(), "h.png", {200, 200}, 40);
    const int64_t held = cache().bytesHeld();
    const QImage tiny = cache().get(logo, {40, 40}, &error);
    QCOMPARE(cache().bytesHeld() - held, int64_t(tiny.sizeInBytes()));
    QCOMPARE(tiny, loadImage(logo, {40, 40}, &error));
    cache().get(logo, {49, 49}, &error);
    QCOMPARE(cache().decodes() - before, int64_t(4));
    // Drawn at its natural size it is kept like any picture drawn, and smaller sizes come
    // from it.
    cache().setBudget(1000000);
    const QImage full = cache().get(path, {200, 200}, &error);
    QCOMPARE(cache().get(path, {200, 200}, &error).cacheKey(), full.cacheKey());
    QCOMPARE(cache().get(path, {30, 30}, &error), loadImage(path, {30, 30}, &error));
    QCOMPARE(cache().get(path, {200, 200}, &error).cacheKey(), full.cacheKey());
    QCOMPARE(cache().decodes() - before, int64_t(5));
    cache().setBudget(DecodedImageCache::kDefaultBudget);
}

void TestImageCache::concurrentRequestsDecodeOnce()
{
    // Large enough that the threads overlap with the first decode.
    const QString path = fixtures::writeDiscPng(m_dir.path(), "d.png", {1500, 1500}, 300);
    const int64_t before = cache().decodes();
    std::vector<qint64> keys(6);
    std::vector<std::thread> threads;
    for (size_t i = 0; i < keys.size(); ++i) {
        threads.emplace_back([&, i] {
            RenderError error;
            keys[i] = cache().get(path, {1500, 1500}, &error).cacheKey();
        });
    }
    for (std::thread &t : threads)
        t.join();
    QCOMPARE(cache().decodes() - before, int64_t(1));
    for (qint64 key : keys)
        QCOMPARE(key, keys.front());
}

void TestImageCache::budgetDropsLeastRecentlyUsed()
{
    const QSize size(100, 100);  // 40,000 bytes decoded
    const QString a = fixtures::writeSolidPng(m_dir.path(), "e1.png", size, fixtures::kRed);
    const QString b = fixtures::writeSolidPng(m_dir.path(), "e2.png", size, fixtures::kGreen);
    const QString c = fixtures::writeSolidPng(m_dir.path(), "e3.png", size, fixtures::kGrey);
    cache().setBudget(100000);  // room for two
    RenderError error;
    cache().get(a, size, &error);
    cache().get(b, size, &error);
    cache().get(a, size, &error);  // a is now the most recently used
    cache().get(c, size, &error);  // over budget: b goes
    QCOMPARE(cache().bytesHeld(), int64_t(80000));
    int64_t before = cache().decodes();
    cache().get(a, size, &error);
    cache().get(c, size, &error);
    QCOMPARE(cache().decodes() - before, int64_t(0));
    cache().get(b, size, &error);
    QCOMPARE(cache().decodes() - before, int64_t(1));
    // A budget below one picture still keeps the newest, which its caller holds anyway.
    cache().setBudget(1);
    QCOMPARE(cache().bytesHeld(), int64_t(40000));
    cache().setBudget(DecodedImageCache::kDefaultBudget);
}

void TestImageCache::missingFileIsNamedAndNotCached()
{
    const QString path = m_dir.filePath("late.png");
    RenderError error;
    QVERIFY(cache().get(path, {16, 16}, &error).isNull());
    QVERIFY2(error.message.contains("late.png"), qPrintable(error.message));
    // Once the file exists it is read: a failure is not remembered.
    fixtures::writeSolidPng(m_dir.path(), "late.png", {16, 16}, fixtures::kGreen);
    error = RenderError();
    QCOMPARE(QColor(cache().get(path, {16, 16}, &error).pixel(3, 3)), fixtures::kGreen);
    // Garbage under a picture's name: an error naming it, nothing held.
    QFile junk(m_dir.filePath("junk.png"));
    QVERIFY(junk.open(QIODevice::WriteOnly));
    junk.write("not a picture");
    junk.close();
    const int64_t held = cache().bytesHeld();
    error = RenderError();
    QVERIFY(cache().get(junk.fileName(), {16, 16}, &error).isNull());
    QVERIFY2(error.message.contains("junk.png"), qPrintable(error.message));
    QCOMPARE(cache().bytesHeld(), held);
}

void TestImageCache::compositorsShareOneDecode()
{
    // Two compositors of the same picture (the two encode chunks of one variant): one decode,
    // the same frame from both.
    const QString path = fixtures::writeDiscPng(m_dir.path(), "f.png", {400, 300}, 60);
    Composition c = fixtures::baseComposition(160, 120, 10);
    c.layers.push_back(fixtures::image(path, QRectF(0, 0, 160, 120), Fit::Cover, 0, 10));
    Compositor one(c), two(c);
    QImage a(160, 120, QImage::Format_RGB32), b(160, 120, QImage::Format_RGB32);
    const int64_t before = cache().decodes();
    RenderError error;
    QVERIFY2(one.render(0, &a, &error), qPrintable(error.message));
    QVERIFY2(two.render(9, &b, &error), qPrintable(error.message));
    QVERIFY2(two.render(0, &b, &error), qPrintable(error.message));
    QCOMPARE(cache().decodes() - before, int64_t(1));
    QCOMPARE(a, b);
    // The disc is drawn: dark centre, white corner.
    QVERIFY(fixtures::luma(a.pixel(80, 60)) < 60);
    QVERIFY(fixtures::luma(a.pixel(2, 2)) > 200);
}

QTEST_MAIN(TestImageCache)
#include "tst_image_cache.moc"
