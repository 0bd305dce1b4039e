// SPDX-License-Identifier: GPL-3.0-or-later
// The offline generator and the asset store, on real files: determinism, that every recipe
// input shows in the output, real motion in video, a usable music bed, and content-addressed
// atomic storage with the recipe cache.
#include "app/asset_store.h"
#include "app/file_hash.h"
#include "app/generate_assets.h"
#include "app/offline_audio.h"
#include "app/offline_generator.h"

#include "editor/generation_plan.h"
#include "render/renderer.h"

#include <QDir>
#include <QDirIterator>
#include <QFile>
#include <QImage>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtEndian>
#include <QtTest>

#include <cmath>

using services::OfflineGenerator;

namespace {
editor::GenerationRecipe imageRecipe()
{
    editor::GenerationRecipe r;
    r.provider = QStringLiteral("offline");
    r.model = QStringLiteral("offline-v1");
    r.kind = editor::AssetKind::Image;
    r.prompt = QStringLiteral("playful runner hero shot, Stockholm, night runs");
    r.seed = 1207;
    r.width = 384;
    r.height = 384;
    r.palette = {QStringLiteral("#d62828"), QStringLiteral("#f77f00")};
    return r;
}

editor::GenerationRecipe videoRecipe()
{
    editor::GenerationRecipe r = imageRecipe();
    r.kind = editor::AssetKind::Video;
    r.prompt = QStringLiteral("trail running shoes in motion, dusk, speed lines");
    r.width = 320;
    r.height = 180;
    r.fps = editor::Rational(30, 1);
    r.duration = editor::Rational(3, 1);
    return r;
}

editor::GenerationRecipe audioRecipe()
{
    editor::GenerationRecipe r = imageRecipe();
    r.kind = editor::AssetKind::Audio;
    r.prompt = QStringLiteral("upbeat electronic running music bed, 120 bpm");
    r.width = r.height = 0;
    r.duration = editor::Rational(4, 1);
    return r;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Mean absolute difference per channel, 0..255.
double meanAbsDiff(const QImage &a, const QImage &b)
{
    const QImage x = a.convertToFormat(QImage::Format_RGB32);
    const QImage y = b.convertToFormat(QImage::Format_RGB32).scaled(x.size());
    double sum = 0;
    for (int row = 0; row < x.height(); ++row) {
        const QRgb *p = reinterpret_cast<const QRgb *>(x.constScanLine(row));
        const QRgb *q = reinterpret_cast<const QRgb *>(y.constScanLine(row));
        for (int col = 0; col < x.width(); ++col)
            sum += std::abs(qRed(p[col]) - qRed(q[col])) + std::abs(qGreen(p[col]) - qGreen(q[col]))
                + std::abs(qBlue(p[col]) - qBlue(q[col]));
    }
    return sum / (3.0 * x.width() * x.height());
}

double lumaStdDev(const QImage &image)
{
    double sum = 0, sq = 0;
    const int n = image.width() * image.height();
    for (int y = 0; y < image.height(); ++y)
        for (int x = 0; x < image.width(); ++x) {
            const double l = qGray(image.pixel(x, y));
            sum += l;
            sq += l * l;
        }
    const double mean = sum / n;
    return std::sqrt(std::max(0.0, sq / n - mean * mean));
}

// Share of the clearly coloured pixels whose hue lies in [from, to] degrees (wrapping).
double hueShare(const QImage &image, int from, int to)
{
    int coloured = 0, inside = 0;
    for (int y = 0; y < image.height(); y += 2)
        for (int x = 0; x < image.width(); x += 2) {
            const QColor c = QColor::fromRgb(image.pixel(x, y));
            if (c.hsvSaturation() < 70 || c.value() < 50)
                continue;
            ++coloured;
            const int h = c.hsvHue();
            if (from <= to ? (h >= from && h <= to) : (h >= from || h <= to))
                ++inside;
        }
    return coloured ? double(inside) / coloured : 0.0;
}

QStringList filesIn(const QString &dir)
{
    QStringList names = QDir(dir).entryList(QDir::Files | QDir::Hidden | QDir::NoDotAndDotDot,
                                            QDir::Name);
    return names;
}
}  // namespace

class TestOfflineGenerator : public QObject {
    Q_OBJECT

private slots:
    void initTestCase();
    void sameRecipeSamePngBytes();
    void eachInputChangesTheImage_data();
    void eachInputChangesTheImage();
    void paletteDominatesAndImageIsNotFlat();
    void audioIsDeterministicMusic();
    void tempoComesFromThePrompt();
    void videoHasRealMotion();
    void videoFromStillMovesTheCamera();
    void storeIsContentAddressed();
    void generateMissingAssetsCachesByRecipe();

private:
    services::GenerationResult generateInto(const editor::GenerationRecipe &r, const QString &dir,
                                            const QString &source = {});
    OfflineGenerator m_generator;
};

void TestOfflineGenerator::initTestCase()
{
    QString error;
    QVERIFY2(render::loadRenderFonts(&error), qPrintable(error));
}

services::GenerationResult TestOfflineGenerator::generateInto(const editor::GenerationRecipe &r,
                                                              const QString &dir,
                                                              const QString &source)
{
    services::GenerationInputs inputs;
    inputs.sourcePath = source;
    return m_generator.generate(r, inputs, dir, {});
}

void TestOfflineGenerator::sameRecipeSamePngBytes()
{
    QTemporaryDir a, b;
    const auto first = generateInto(imageRecipe(), a.path());
    QVERIFY2(first.ok(), qPrintable(first.error));
    QCOMPARE(first.suffix, QStringLiteral("png"));
    OfflineGenerator another;  // a fresh instance holds no state that could matter
    const auto second = another.generate(imageRecipe(), {}, b.path(), {});
    QVERIFY2(second.ok(), qPrintable(second.error));
    const QByteArray bytesA = readAll(first.filePath), bytesB = readAll(second.filePath);
    QVERIFY(bytesA.size() > 1000);
    QCOMPARE(bytesA, bytesB);
    const QImage image = QImage::fromData(bytesA, "PNG");
    QCOMPARE(image.size(), QSize(384, 384));
    QCOMPARE(first.requestRecordId, second.requestRecordId);
}

void TestOfflineGenerator::eachInputChangesTheImage_data()
{
    QTest::addColumn<QString>("field");
    QTest::newRow("prompt") << "prompt";
    QTest::newRow("seed") << "seed";
    QTest::newRow("palette") << "palette";
}

void TestOfflineGenerator::eachInputChangesTheImage()
{
    QFETCH(QString, field);
    const editor::GenerationRecipe base = imageRecipe();
    editor::GenerationRecipe changed = base;
    if (field == QLatin1String("prompt"))
        changed.prompt = QStringLiteral("studio product shot of the Stride One shoe");
    else if (field == QLatin1String("seed"))
        changed.seed = 99;
    else
        changed.palette = {QStringLiteral("#0077b6"), QStringLiteral("#00b4d8")};
    const QImage a = OfflineGenerator::renderImage(base);
    const QImage b = OfflineGenerator::renderImage(changed);
    QVERIFY(!a.isNull() && !b.isNull());
    const double diff = meanAbsDiff(a, b);
    qInfo("changing the %s changes the image by %.1f", qPrintable(field), diff);
    QVERIFY2(diff > 12, qPrintable(QStringLiteral("mean difference only %1").arg(diff)));
}

void TestOfflineGenerator::paletteDominatesAndImageIsNotFlat()
{
    editor::GenerationRecipe warm = imageRecipe();  // red + orange
    editor::GenerationRecipe cool = warm;
    cool.palette = {QStringLiteral("#0077b6"), QStringLiteral("#00b4d8")};  // blues
    const QImage warmImage = OfflineGenerator::renderImage(warm);
    const QImage coolImage = OfflineGenerator::renderImage(cool);
    const double warmInWarm = hueShare(warmImage, 340, 50);
    const double coolInCool = hueShare(coolImage, 170, 230);
    qInfo("palette hue share: warm %.2f, cool %.2f; luma std-dev %.1f / %.1f", warmInWarm,
          coolInCool, lumaStdDev(warmImage), lumaStdDev(coolImage));
    QVERIFY2(warmInWarm > 0.75, qPrintable(QString::number(warmInWarm)));
    QVERIFY2(coolInCool > 0.75, qPrintable(QString::number(coolInCool)));
    QVERIFY(hueShare(warmImage, 170, 230) < 0.1);
    QVERIFY(hueShare(coolImage, 340, 50) < 0.1);
    // Not a flat fill nor a bare gradient: strong contrast and many distinct colours.
    QVERIFY2(lumaStdDev(warmImage) > 15, qPrintable(QString::number(lumaStdDev(warmImage))));
    QVERIFY2(lumaStdDev(coolImage) > 15, qPrintable(QString::number(lumaStdDev(coolImage))));
    QSet<QRgb> colours;
    for (int y = 0; y < warmImage.height(); ++y)
        for (int x = 0; x < warmImage.width(); ++x)
            colours.insert(warmImage.pixel(x, y));
    QVERIFY2(colours.size() > 5000, qPrintable(QString::number(colours.size())));
}

void TestOfflineGenerator::audioIsDeterministicMusic()
{
    QTemporaryDir a, b;
    const auto first = generateInto(audioRecipe(), a.path());
    const auto second = generateInto(audioRecipe(), b.path());
    QVERIFY2(first.ok() && second.ok(), qPrintable(first.error + second.error));
    QCOMPARE(first.suffix, QStringLiteral("wav"));
    const QByteArray wav = readAll(first.filePath);
    QCOMPARE(wav, readAll(second.filePath));
    // Header: PCM, stereo, 48 kHz, 16 bit, exactly 4 s of data.
    QCOMPARE(wav.left(4), QByteArray("RIFF"));
    QCOMPARE(wav.mid(8, 8), QByteArray("WAVEfmt "));
    QCOMPARE(qFromLittleEndian<quint16>(wav.constData() + 20), quint16(1));
    QCOMPARE(qFromLittleEndian<quint16>(wav.constData() + 22), quint16(2));
    QCOMPARE(qFromLittleEndian<quint32>(wav.constData() + 24), quint32(48000));
    QCOMPARE(qFromLittleEndian<quint16>(wav.constData() + 34), quint16(16));
    QCOMPARE(qFromLittleEndian<quint32>(wav.constData() + 40), quint32(4 * 48000 * 4));
    QCOMPARE(wav.size(), 44 + 4 * 48000 * 4);

    render::RenderError error;
    const std::vector<float> pcm = render::decodeAudio(first.filePath, 10, &error);
    QVERIFY2(!error, qPrintable(error.message));
    QCOMPARE(qint64(pcm.size()), qint64(4 * 48000 * 2));
    // A kick on every beat: at 120 bpm the loudest 50 ms window of each beat is loud, and the
    // signal is far from silent or clipped flat.
    double sq = 0;
    for (float s : pcm)
        sq += double(s) * s;
    const double rms = std::sqrt(sq / pcm.size());
    QVERIFY2(rms > 0.05 && rms < 0.7, qPrintable(QString::number(rms)));
    for (int beat = 0; beat < 8; ++beat) {
        double peak = 0;
        for (int i = beat * 24000; i < beat * 24000 + 2400; ++i)
            peak = std::max(peak, double(std::abs(pcm[size_t(2 * i)])));
        QVERIFY2(peak > 0.3, qPrintable(QStringLiteral("beat %1 peak %2").arg(beat).arg(peak)));
    }

    editor::GenerationRecipe otherSeed = audioRecipe();
    otherSeed.seed = 6;
    QVERIFY(OfflineGenerator::synthesizeAudio(otherSeed) != wav);
}

void TestOfflineGenerator::tempoComesFromThePrompt()
{
    QCOMPARE(services::offline::tempoFromPrompt(QStringLiteral("music bed, 128 bpm")), 128);
    QCOMPARE(services::offline::tempoFromPrompt(QStringLiteral("slow 90BPM groove")), 90);
    QCOMPARE(services::offline::tempoFromPrompt(QStringLiteral("no tempo here")), 120);
    QCOMPARE(services::offline::tempoFromPrompt(QStringLiteral("999 bpm")), 200);
    editor::GenerationRecipe slow = audioRecipe();
    slow.prompt = QStringLiteral("chill bed, 90 bpm");
    QVERIFY(OfflineGenerator::synthesizeAudio(slow) != OfflineGenerator::synthesizeAudio(audioRecipe()));
}

void TestOfflineGenerator::videoHasRealMotion()
{
    QTemporaryDir dir;
    const auto result = generateInto(videoRecipe(), dir.path());
    QVERIFY2(result.ok(), qPrintable(result.error));
    QCOMPARE(result.suffix, QStringLiteral("mp4"));
    const render::MediaInfo info = render::probeMedia(result.filePath);
    QVERIFY2(!info.error, qPrintable(info.error.message));
    QCOMPARE(info.videoCodec, QStringLiteral("h264"));
    QCOMPARE(info.width, 320);
    QCOMPARE(info.height, 180);
    QCOMPARE(info.fps, (render::FrameRate{30, 1}));
    QVERIFY2(std::abs(info.videoDurationSec - 3.0) <= 1.0 / 30 + 1e-6,
             qPrintable(QString::number(info.videoDurationSec)));
    QCOMPARE(info.videoFrames, int64_t(90));
    render::RenderError error;
    const QImage at05 = render::decodeVideoFrame(result.filePath, 0.5, &error);
    const QImage at15 = render::decodeVideoFrame(result.filePath, 1.5, &error);
    QVERIFY2(!at05.isNull() && !at15.isNull(), qPrintable(error.message));
    const double diff = meanAbsDiff(at05, at15);
    qInfo("video frames 1 s apart differ by %.1f", diff);
    QVERIFY2(diff > 8, qPrintable(QStringLiteral("frames 1 s apart differ by %1").arg(diff)));
    QVERIFY(lumaStdDev(at05) > 15);
    // No temporary or partial file is left beside the result.
    QCOMPARE(filesIn(dir.path()), QStringList{QFileInfo(result.filePath).fileName()});
}

void TestOfflineGenerator::videoFromStillMovesTheCamera()
{
    QTemporaryDir dir;
    QImage still(640, 360, QImage::Format_RGB32);
    for (int y = 0; y < still.height(); ++y)
        for (int x = 0; x < still.width(); ++x)
            still.setPixel(x, y, qRgb((x * 7) % 256, (y * 5) % 256, ((x / 40 + y / 40) % 2) * 200));
    const QString stillPath = dir.filePath(QStringLiteral("still.png"));
    QVERIFY(still.save(stillPath));
    editor::GenerationRecipe r = videoRecipe();
    r.prompt = QStringLiteral("slow push in");
    r.sourceAssetId = QStringLiteral("still");
    const auto result = generateInto(r, dir.path(), stillPath);
    QVERIFY2(result.ok(), qPrintable(result.error));
    const QImage first = render::decodeVideoFrame(result.filePath, 0.0);
    const QImage later = render::decodeVideoFrame(result.filePath, 2.5);
    QVERIFY(!first.isNull() && !later.isNull());
    QVERIFY2(meanAbsDiff(first, later) > 10, "the camera does not move over the still");
    // The frame shows the still, not a generated scene: its checker blue channel survives.
    QVERIFY(meanAbsDiff(first, still) < meanAbsDiff(first, OfflineGenerator::renderImage(imageRecipe())));

    // A source that cannot be read is an error, with no file left behind.
    QTemporaryDir empty;
    const auto broken = generateInto(r, empty.path(), empty.filePath(QStringLiteral("nope.png")));
    QVERIFY(!broken.ok());
    QVERIFY(broken.error.contains(QStringLiteral("nope.png")));
    QVERIFY(filesIn(empty.path()).isEmpty());
}

void TestOfflineGenerator::storeIsContentAddressed()
{
    QTemporaryDir project;
    services::AssetStore store(project.path());
    QVERIFY(store.ensureDirectory(nullptr));
    QCOMPARE(store.directory(), QDir(project.path()).filePath(QStringLiteral("generated")));
    editor::GenerationRecipe recipe = imageRecipe();
    const auto result = generateInto(recipe, store.workDirectory());
    QVERIFY2(result.ok(), qPrintable(result.error));
    const QByteArray bytes = readAll(result.filePath);
    const QString expectedSha = QString::fromLatin1(
        QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex());

    recipe.createdAt = QStringLiteral("2025-01-02T03:04:05Z");
    const auto stored = store.store(result.filePath, result.suffix, recipe);
    QVERIFY2(stored.error.isEmpty(), qPrintable(stored.error));
    QCOMPARE(stored.sha256, expectedSha);
    QCOMPARE(stored.path, QDir(store.directory()).filePath(expectedSha + QStringLiteral(".png")));
    QCOMPARE(readAll(stored.path), bytes);
    QCOMPARE(services::sha256OfFile(stored.path), expectedSha);
    QCOMPARE(filesIn(store.directory()),
             (QStringList{expectedSha + QStringLiteral(".png"), expectedSha + QStringLiteral(".recipe.json")}));

    const QJsonObject json = QJsonDocument::fromJson(
        readAll(QDir(store.directory()).filePath(expectedSha + QStringLiteral(".recipe.json")))).object();
    QCOMPARE(json.value(QStringLiteral("recipeHash")).toString(), editor::recipeHash(recipe));
    QCOMPARE(json.value(QStringLiteral("outputSha256")).toString(), expectedSha);
    QCOMPARE(json.value(QStringLiteral("prompt")).toString(), recipe.prompt);
    QCOMPARE(json.value(QStringLiteral("createdAt")).toString(), recipe.createdAt);

    // Identical bytes stored again: same name, no duplicate, temp file gone.
    const auto again = generateInto(recipe, store.workDirectory());
    const auto storedAgain = store.store(again.filePath, again.suffix, recipe);
    QCOMPARE(storedAgain.path, stored.path);
    QCOMPARE(filesIn(store.directory()).size(), 2);

    // The recipe cache finds it, and ignores it once the bytes no longer match the name.
    const auto hit = store.findByRecipeHash(editor::recipeHash(recipe));
    QVERIFY(hit.has_value());
    QCOMPARE(hit->path, stored.path);
    QCOMPARE(hit->createdAt, recipe.createdAt);
    QVERIFY(!store.findByRecipeHash(QStringLiteral("0123")).has_value());
    {
        QFile f(stored.path);
        QVERIFY(f.open(QIODevice::WriteOnly | QIODevice::Append));
        f.write("x");
    }
    QVERIFY(!store.findByRecipeHash(editor::recipeHash(recipe)).has_value());
}

void TestOfflineGenerator::generateMissingAssetsCachesByRecipe()
{
    QTemporaryDir project;
    editor::Campaign c;
    c.id = QStringLiteral("test");
    c.name = QStringLiteral("Test");
    c.brand.colors.insert(QStringLiteral("primary"), QColor(QStringLiteral("#ff5a1f")));
    editor::Segment seg;
    seg.id = QStringLiteral("a");
    seg.name = QStringLiteral("A");
    seg.locale = QStringLiteral("en_US");
    seg.tone = QStringLiteral("calm");
    c.segments.push_back(seg);
    editor::GenerationRequest image;
    image.id = QStringLiteral("pic");
    image.kind = editor::AssetKind::Image;
    image.model = QStringLiteral("offline-v1");
    image.promptTemplate = QStringLiteral("{{segment.tone}} mountain lake");
    image.seed = 3;
    image.width = image.height = 96;
    image.perSegment = true;
    c.generationRequests.push_back(image);
    editor::GenerationRequest remote = image;
    remote.id = QStringLiteral("remote");
    remote.provider = QStringLiteral("gemini-image");
    remote.perSegment = false;
    c.generationRequests.push_back(remote);

    using Status = services::GenerationOutcome::Status;
    int progressCalls = 0;
    const auto progress = [&progressCalls](const services::GenerationProgress &) { ++progressCalls; };
    editor::Campaign first = c;
    const auto report = services::generateMissingAssets(first, project.path(), {&m_generator},
                                                        progress, nullptr);
    QCOMPARE(report.count(Status::Generated), 1);
    QCOMPARE(report.count(Status::Failed), 1);
    QVERIFY(report.campaignChanged);
    QCOMPARE(progressCalls, 4);  // started + finished for each of the two
    for (const auto &item : report.items)
        if (item.status == Status::Failed)
            QVERIFY2(item.message.contains(QStringLiteral("gemini-image"))
                         && item.message.contains(QStringLiteral("not available")),
                     qPrintable(item.message));
    const editor::Asset *asset = first.asset(QStringLiteral("pic-a"));
    QVERIFY(asset && asset->recipe);
    QVERIFY(QFileInfo(asset->path).isFile());
    QCOMPARE(asset->recipe->outputSha256, services::sha256OfFile(asset->path));
    QCOMPARE(QFileInfo(asset->path).fileName(), asset->recipe->outputSha256 + QStringLiteral(".png"));
    QVERIFY(QDateTime::fromString(asset->recipe->createdAt, Qt::ISODate).isValid());
    QVERIFY(asset->recipe->createdAt.endsWith(QLatin1Char('Z')));
    QVERIFY(!asset->recipe->requestRecordId.isEmpty());

    // Same campaign again: nothing to do.
    const auto second = services::generateMissingAssets(first, project.path(), {&m_generator},
                                                        {}, nullptr);
    QCOMPARE(second.count(Status::Generated), 0);
    QCOMPARE(second.count(Status::UpToDate), 1);

    // A campaign that never saw the result (no path): the stored recipe is reused, not redone.
    const QDateTime before = QFileInfo(asset->path).lastModified();
    editor::Campaign fresh = c;
    const auto third = services::generateMissingAssets(fresh, project.path(), {&m_generator},
                                                       {}, nullptr);
    QCOMPARE(third.count(Status::Generated), 0);
    QCOMPARE(third.count(Status::Reused), 1);
    QCOMPARE(fresh.asset(QStringLiteral("pic-a"))->path, asset->path);
    QCOMPARE(fresh.asset(QStringLiteral("pic-a"))->recipe->createdAt, asset->recipe->createdAt);
    QCOMPARE(QFileInfo(asset->path).lastModified(), before);

    // A cancelled run generates nothing.
    std::atomic<bool> cancel{true};
    editor::Campaign cancelled = c;
    cancelled.generationRequests[0].seed = 4;  // a new recipe, not in the cache
    const auto fourth = services::generateMissingAssets(cancelled, project.path(), {&m_generator},
                                                        {}, &cancel);
    QVERIFY(fourth.cancelled);
    QCOMPARE(fourth.count(Status::Generated), 0);
    QVERIFY(cancelled.asset(QStringLiteral("pic-a"))->path.isEmpty());

    // No temporary files anywhere.
    QDirIterator it(project.path(), QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString name = QFileInfo(it.next()).fileName();
        QVERIFY2(!name.startsWith(QLatin1Char('.')) && !name.contains(QStringLiteral(".partial-")),
                 qPrintable(name));
    }
}

QTEST_MAIN(TestOfflineGenerator)
#include "tst_offline_generator.moc"
