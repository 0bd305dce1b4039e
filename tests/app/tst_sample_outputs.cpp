// SPDX-License-Identifier: GPL-3.0-or-later
// Reads back the 16 variants `render_sample` made of the bundled sample: container and stream
// properties, the JSON Lines log, the export manifest and the poster stills, and pixels where
// the timeline puts the logo, the headline box and the per-segment hero. Nothing here renders;
// it checks what the CLI wrote.
#include "editor/project_io.h"
#include "app/file_hash.h"

#include "render/renderer.h"

#include <QDirIterator>
#include <QFile>
#include <QHash>
#include <QImageReader>
#include <QSet>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QtTest>

#include <algorithm>
#include <cmath>

namespace {
const QStringList kSegments = {QStringLiteral("se-genz"), QStringLiteral("us-parents"),
                               QStringLiteral("de-commuters"), QStringLiteral("ae-trail")};
struct FormatSpec {
    const char *id;
    int width, height;
};
const FormatSpec kFormats[] = {{"9x16", 1080, 1920}, {"1x1", 1080, 1080}, {"4x5", 1080, 1350},
                               {"16x9", 1920, 1080}};

QString outRoot() { return QStringLiteral(CAMPAIGN_BINARY_DIR "/test-sample-out/stride-autumn-drop"); }
QString logPath() { return QStringLiteral(CAMPAIGN_BINARY_DIR "/test-sample-out.jsonl"); }
QString cellPath(const QString &segment, const QString &format)
{
    return outRoot() + QLatin1Char('/') + segment + QLatin1Char('/') + format + QStringLiteral(".mp4");
}

QRect fractionRect(const QSize &size, double x0, double y0, double x1, double y1)
{
    return QRect(QPoint(int(x0 * size.width()), int(y0 * size.height())),
                 QPoint(int(x1 * size.width()) - 1, int(y1 * size.height()) - 1));
}

int luma(QRgb c) { return (299 * qRed(c) + 587 * qGreen(c) + 114 * qBlue(c)) / 1000; }

double medianLuma(const QImage &image, const QRect &r)
{
    std::vector<int> values;
    for (int y = r.top(); y <= r.bottom(); y += 2)
        for (int x = r.left(); x <= r.right(); x += 2)
            values.push_back(luma(image.pixel(x, y)));
    std::nth_element(values.begin(), values.begin() + values.size() / 2, values.end());
    return values[values.size() / 2];
}

int countPixels(const QImage &image, const QRect &r, const std::function<bool(QRgb)> &pred)
{
    int n = 0;
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x)
            n += pred(image.pixel(x, y)) ? 1 : 0;
    return n;
}

double meanAbsDiff(const QImage &a, const QImage &b, const QRect &r)
{
    double sum = 0;
    for (int y = r.top(); y <= r.bottom(); ++y)
        for (int x = r.left(); x <= r.right(); ++x) {
            const QRgb p = a.pixel(x, y), q = b.pixel(x, y);
            sum += std::abs(qRed(p) - qRed(q)) + std::abs(qGreen(p) - qGreen(q))
                + std::abs(qBlue(p) - qBlue(q));
        }
    return sum / (3.0 * r.width() * r.height());
}
}  // namespace

class TestSampleOutputs : public QObject {
    Q_OBJECT

private slots:
    void variantsProbeRight_data();
    void variantsProbeRight();
    void manifestMatchesFiles();
    void jsonLinesLogMatchesFiles();
    void framesShowTheTimeline_data() { variantsProbeRight_data(); }
    void framesShowTheTimeline();
    void segmentsLookDifferent_data();
    void segmentsLookDifferent();
    void noPartialFilesLeft();

private:
    QImage frame(const QString &path, double seconds);
    QHash<QString, QImage> m_frames;  // decoded once, shared by the checks
};

QImage TestSampleOutputs::frame(const QString &path, double seconds)
{
    const QString key = path + QLatin1Char('@') + QString::number(seconds);
    if (!m_frames.contains(key)) {
        render::RenderError error;
        const QImage image = render::decodeVideoFrame(path, seconds, &error);
        if (image.isNull())
            qWarning("cannot decode %s at %g s: %s", qPrintable(path), seconds, qPrintable(error.message));
        m_frames.insert(key, image.convertToFormat(QImage::Format_RGB32));
    }
    return m_frames.value(key);
}

void TestSampleOutputs::variantsProbeRight_data()
{
    QTest::addColumn<QString>("segment");
    QTest::addColumn<QString>("format");
    QTest::addColumn<QSize>("size");
    for (const QString &segment : kSegments)
        for (const FormatSpec &f : kFormats)
            QTest::addRow("%s/%s", qPrintable(segment), f.id)
                << segment << QString::fromLatin1(f.id) << QSize(f.width, f.height);
}

void TestSampleOutputs::variantsProbeRight()
{
    QFETCH(QString, segment);
    QFETCH(QString, format);
    QFETCH(QSize, size);
    const QString path = cellPath(segment, format);
    QVERIFY2(QFileInfo(path).isFile(), qPrintable(path));
    const render::MediaInfo info = render::probeMedia(path);
    QVERIFY2(!info.error, qPrintable(info.error.message));
    QCOMPARE(info.videoCodec, QStringLiteral("h264"));
    QCOMPARE(info.audioCodec, QStringLiteral("aac"));
    QCOMPARE(info.pixelFormat, QStringLiteral("yuv420p"));
    QCOMPARE(QSize(info.width, info.height), size);
    QCOMPARE(info.fps, (render::FrameRate{30, 1}));
    QVERIFY2(std::abs(info.videoDurationSec - 15.0) <= 1.0 / 30 + 1e-6,
             qPrintable(QString::number(info.videoDurationSec)));
    QVERIFY2(std::abs(info.durationSec - 15.0) <= 1.0 / 30 + 0.05,
             qPrintable(QString::number(info.durationSec)));
    QCOMPARE(info.audioSampleRate, 48000);
    QCOMPARE(info.audioChannels, 2);
    QVERIFY2(info.faststart, "moov atom is not before mdat");

    // The poster still: a PNG of the format's exact size next to the MP4.
    const QString poster = outRoot() + QLatin1Char('/') + segment + QLatin1Char('/') + format
        + QStringLiteral(".poster.png");
    QImageReader reader(poster);
    QCOMPARE(reader.format(), QByteArray("png"));
    QCOMPARE(reader.size(), size);
}

void TestSampleOutputs::manifestMatchesFiles()
{
    QFile file(outRoot() + QStringLiteral("/manifest.json"));
    QVERIFY2(file.open(QIODevice::ReadOnly), qPrintable(file.fileName()));
    const QJsonObject root = QJsonDocument::fromJson(file.readAll()).object();
    QCOMPARE(root.value(QStringLiteral("campaign")).toObject().value(QStringLiteral("name")).toString(),
             QStringLiteral("Stride Autumn Drop"));
    QVERIFY(!root.value(QStringLiteral("rendererVersion")).toString().isEmpty());
    const QJsonArray cells = root.value(QStringLiteral("cells")).toArray();
    QCOMPARE(cells.size(), 16);
    QSet<QString> jobs, contentHashes;
    for (const QJsonValue &v : cells) {
        const QJsonObject c = v.toObject();
        const QString segment = c.value(QStringLiteral("segment")).toString();
        const QString format = c.value(QStringLiteral("format")).toString();
        jobs.insert(segment + QLatin1Char('/') + format);
        const QString mp4 = outRoot() + QLatin1Char('/') + c.value(QStringLiteral("file")).toString();
        QCOMPARE(mp4, cellPath(segment, format));
        QCOMPARE(c.value(QStringLiteral("sha256")).toString(), services::sha256OfFile(mp4));
        QCOMPARE(c.value(QStringLiteral("bytes")).toInteger(), QFileInfo(mp4).size());
        QVERIFY(std::abs(c.value(QStringLiteral("durationSec")).toDouble() - 15.0) < 0.1);
        const FormatSpec *spec = std::find_if(std::begin(kFormats), std::end(kFormats),
                                              [&](const FormatSpec &f) { return format == QLatin1String(f.id); });
        QVERIFY(spec != std::end(kFormats));
        QCOMPARE(c.value(QStringLiteral("width")).toInt(), spec->width);
        QCOMPARE(c.value(QStringLiteral("height")).toInt(), spec->height);
        const QString contentHash = c.value(QStringLiteral("contentHash")).toString();
        QCOMPARE(contentHash.size(), 64);
        contentHashes.insert(contentHash);
        QVERIFY(c.value(QStringLiteral("renderSeconds")).toDouble() > 0);
        QVERIFY(QFileInfo(outRoot() + QLatin1Char('/') + c.value(QStringLiteral("poster")).toString()).isFile());
        // Every variant shows its segment's generated hero, so it lists at least that recipe.
        const QJsonArray assets = c.value(QStringLiteral("assets")).toArray();
        QVERIFY2(!assets.isEmpty(), qPrintable(segment + QLatin1Char('/') + format));
        for (const QJsonValue &a : assets)
            QVERIFY(!a.toObject().value(QStringLiteral("recipe")).toObject()
                         .value(QStringLiteral("recipeHash")).toString().isEmpty());
    }
    QCOMPARE(jobs.size(), 16);
    QCOMPARE(contentHashes.size(), 16);  // every variant differs in what it draws
}

void TestSampleOutputs::jsonLinesLogMatchesFiles()
{
    QFile log(logPath());
    QVERIFY2(log.open(QIODevice::ReadOnly), qPrintable(logPath()));
    const QList<QByteArray> lines = log.readAll().split('\n');
    QHash<QString, int> starts, dones;
    QHash<QString, qint64> lastFrame;
    QJsonObject summary;
    int nonEmpty = 0;
    for (const QByteArray &line : lines) {
        if (line.isEmpty())
            continue;
        ++nonEmpty;
        QJsonParseError err;
        const QJsonObject o = QJsonDocument::fromJson(line, &err).object();
        QVERIFY2(err.error == QJsonParseError::NoError && !o.isEmpty(), line.constData());
        QVERIFY2(summary.isEmpty(), "the summary must be the last line");
        const QString event = o.value(QStringLiteral("event")).toString();
        const QString job = o.value(QStringLiteral("job")).toString();
        if (event == QLatin1String("start")) {
            ++starts[job];
            QCOMPARE(o.value(QStringLiteral("frames")).toInteger(), 450);
        } else if (event == QLatin1String("progress")) {
            const qint64 f = o.value(QStringLiteral("frame")).toInteger();
            QVERIFY(f >= lastFrame.value(job, 0) && f <= 450);
            lastFrame[job] = f;
        } else if (event == QLatin1String("done")) {
            ++dones[job];
            QCOMPARE(o.value(QStringLiteral("status")).toString(), QStringLiteral("ok"));
            const QString output = o.value(QStringLiteral("output")).toString();
            QCOMPARE(output, cellPath(job.section(QLatin1Char('/'), 0, 0), job.section(QLatin1Char('/'), 1)));
            QCOMPARE(o.value(QStringLiteral("sha256")).toString(), services::sha256OfFile(output));
        } else {
            QCOMPARE(event, QStringLiteral("summary"));
            summary = o;
        }
    }
    QVERIFY(nonEmpty > 48);
    QCOMPARE(starts.size(), 16);
    QCOMPARE(dones.size(), 16);
    for (auto it = dones.cbegin(); it != dones.cend(); ++it) {
        QCOMPARE(it.value(), 1);
        QCOMPARE(starts.value(it.key()), 1);
        QCOMPARE(lastFrame.value(it.key()), 450);  // the last progress event is always sent
    }
    QCOMPARE(summary.value(QStringLiteral("ok")).toInt(), 16);
    QCOMPARE(summary.value(QStringLiteral("failed")).toInt(-1), 0);
    QCOMPARE(summary.value(QStringLiteral("cancelled")).toInt(-1), 0);
    QCOMPARE(summary.value(QStringLiteral("skipped")).toInt(-1), 0);
    QCOMPARE(summary.value(QStringLiteral("out")).toString(), outRoot());
}

void TestSampleOutputs::framesShowTheTimeline()
{
    QFETCH(QString, segment);
    QFETCH(QString, format);
    QFETCH(QSize, size);
    const QString path = cellPath(segment, format);
    const QImage before = frame(path, 0.5);  // the headline starts at 1 s
    const QImage at2 = frame(path, 2.0);
    const QImage at3 = frame(path, 3.0);
    QVERIFY(!before.isNull() && !at2.isNull() && !at3.isNull());
    QCOMPARE(at3.size(), size);

    // Logo: anchored top-right, 0.185 x the shorter side wide, 0.037 margin from the format's
    // safe zone (resources/formats.json), 2:1 aspect.
    const int m = std::min(size.width(), size.height());
    const int logoW = int(0.185 * m), margin = int(0.037 * m);
    const editor::FormatPreset *preset = nullptr;
    for (const editor::FormatPreset &p : editor::builtinFormatPresets())
        if (p.id == format)
            preset = &p;
    QVERIFY(preset);
    const int safeTop = int(preset->safeTop * size.height());
    const int safeRight = int(preset->safeRight * size.width());
    const QRect logo = QRect(size.width() - safeRight - margin - logoW, safeTop + margin, logoW,
                             logoW / 2)
                           .adjusted(logoW / 10, logoW / 20, -logoW / 10, -logoW / 20);
    const int orange = countPixels(at2, logo, [](QRgb c) {
        return std::abs(qRed(c) - 0xff) < 45 && std::abs(qGreen(c) - 0x5a) < 45
            && std::abs(qBlue(c) - 0x1f) < 45;
    });
    const double orangeShare = double(orange) / (logo.width() * logo.height());
    QVERIFY2(orangeShare > 0.4, qPrintable(QStringLiteral("logo orange share %1").arg(orangeShare)));

    // Headline box: 55 % black behind white text, from 62 % to 76 % of the height.
    const QRect box = fractionRect(size, 0.06, 0.62, 0.88, 0.76);
    const double lumaBefore = medianLuma(before, box), lumaAfter = medianLuma(at3, box);
    QVERIFY2(lumaAfter <= 0.75 * lumaBefore + 2,
             qPrintable(QStringLiteral("box median luma %1 -> %2").arg(lumaBefore).arg(lumaAfter)));
    const auto white = [](QRgb c) { return qRed(c) > 200 && qGreen(c) > 200 && qBlue(c) > 200; };
    const int textPixels = countPixels(at3, box, white);
    const int earlierWhite = countPixels(before, box, white);
    qInfo("logo orange %.2f, box median luma %.0f -> %.0f, white pixels %d (before %d)",
          orangeShare, lumaBefore, lumaAfter, textPixels, earlierWhite);
    QVERIFY2(textPixels > 0.002 * box.width() * box.height() && textPixels > 2 * earlierWhite + 10,
             qPrintable(QStringLiteral("white pixels %1 (before the headline: %2)")
                            .arg(textPixels).arg(earlierWhite)));
}

void TestSampleOutputs::segmentsLookDifferent_data()
{
    QTest::addColumn<QString>("format");
    QTest::addColumn<QString>("a");
    QTest::addColumn<QString>("b");
    for (const FormatSpec &f : kFormats)
        for (int i = 0; i + 1 < kSegments.size(); ++i)
            QTest::addRow("%s %s~%s", f.id, qPrintable(kSegments[i]), qPrintable(kSegments[i + 1]))
                << QString::fromLatin1(f.id) << kSegments[i] << kSegments[i + 1];
}

void TestSampleOutputs::segmentsLookDifferent()
{
    QFETCH(QString, format);
    QFETCH(QString, a);
    QFETCH(QString, b);
    const QImage a2 = frame(cellPath(a, format), 2.0), b2 = frame(cellPath(b, format), 2.0);
    const QImage a3 = frame(cellPath(a, format), 3.0), b3 = frame(cellPath(b, format), 3.0);
    QVERIFY(!a2.isNull() && !b2.isNull() && !a3.isNull() && !b3.isNull());
    const QSize size = a3.size();
    const double headline = meanAbsDiff(a3, b3, fractionRect(size, 0.06, 0.62, 0.88, 0.76));
    const double hero = meanAbsDiff(a2, b2, fractionRect(size, 0.1, 0.15, 0.9, 0.7));
    qInfo("headline diff %.1f, hero diff %.1f", headline, hero);
    QVERIFY2(headline > 15, qPrintable(QStringLiteral("headline regions differ by %1").arg(headline)));
    QVERIFY2(hero > 25, qPrintable(QStringLiteral("hero regions differ by %1").arg(hero)));
}

void TestSampleOutputs::noPartialFilesLeft()
{
    QVERIFY(QFileInfo(outRoot()).isDir());
    int videos = 0, posters = 0, manifests = 0;
    QDirIterator it(QStringLiteral(CAMPAIGN_BINARY_DIR "/test-sample-out"),
                    QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString name = QFileInfo(it.next()).fileName();
        QVERIFY2(!name.contains(QStringLiteral(".partial-")), qPrintable(name));
        if (name.endsWith(QStringLiteral(".poster.png")))
            ++posters;
        else if (name.endsWith(QStringLiteral(".mp4")))
            ++videos;
        else if (name == QLatin1String("manifest.json"))
            ++manifests;
        else
            QFAIL(qPrintable(QStringLiteral("unexpected file ") + name));
    }
    // One MP4 and one poster per variant, one manifest for the campaign, nothing else.
    QCOMPARE(videos, 16);
    QCOMPARE(posters, 16);
    QCOMPARE(manifests, 1);
}

QTEST_GUILESS_MAIN(TestSampleOutputs)
#include "tst_sample_outputs.moc"
