// SPDX-License-Identifier: GPL-3.0-or-later
// The content hash that decides whether an incremental export keeps a file, and the manifest
// that remembers it. Pure data: nothing renders here.
#include "app/batch_export.h"
#include "app/cell_hash.h"
#include "app/export_manifest.h"
#include "app/file_hash.h"

#include <QCryptographicHash>
#include <QFile>
#include <QTemporaryDir>
#include <QtTest>

namespace {
bool writeAll(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly | QIODevice::Truncate) && f.write(bytes) == bytes.size();
}

render::Composition sample(const QString &imagePath)
{
    render::Composition c;
    c.width = 64;
    c.height = 64;
    c.frameCount = 30;
    render::Layer image;
    image.kind = render::LayerKind::Image;
    image.id = QStringLiteral("hero");
    image.sourcePath = imagePath;
    image.endFrame = 30;
    image.rect = QRectF(0, 0, 64, 64);
    render::Layer text;
    text.kind = render::LayerKind::Text;
    text.id = QStringLiteral("headline");
    text.text = QStringLiteral("Hello");
    text.endFrame = 30;
    text.rect = QRectF(0, 40, 64, 20);
    c.layers = {image, text};
    c.encode.threads = 1;
    return c;
}
}  // namespace

class TestCellHash : public QObject {
    Q_OBJECT

private slots:
    void fileHashIsSha256();
    void sameContentSameHashWherever();
    void everythingThatDrawsChangesTheHash();
    void unreadableSourceFails();
    void manifestRoundTrip();
    void damagedManifestIsIgnored();
    void disclosureFollowsTheSources();

private:
    QTemporaryDir m_tmp;
};

void TestCellHash::sameContentSameHashWherever()
{
    const QString a = m_tmp.filePath(QStringLiteral("a.png"));
    const QString b = m_tmp.filePath(QStringLiteral("moved/elsewhere.png"));
    QVERIFY(QDir().mkpath(QFileInfo(b).absolutePath()));
    QVERIFY(writeAll(a, "same bytes"));
    QVERIFY(writeAll(b, "same bytes"));
    services::FileHashCache files;
    render::Composition first = sample(a);
    render::Composition second = sample(b);
    second.label = QStringLiteral("only a name in messages");
    const QString hash = services::cellContentHash(first, files);
    QCOMPARE(hash.size(), 64);
    QCOMPARE(services::cellContentHash(second, files), hash);
    QVERIFY(services::canonicalComposition(first, files).contains(services::sha256OfFile(a).toLatin1()));
    QVERIFY(!services::canonicalComposition(first, files).contains("a.png"));
}

void TestCellHash::everythingThatDrawsChangesTheHash()
{
    const QString a = m_tmp.filePath(QStringLiteral("b.png"));
    QVERIFY(writeAll(a, "picture one"));
    services::FileHashCache files;
    const render::Composition base = sample(a);
    const QString hash = services::cellContentHash(base, files);
    QVERIFY(!hash.isEmpty());

    const std::vector<std::pair<const char *, std::function<void(render::Composition &)>>> edits = {
        {"headline", [](render::Composition &c) { c.layers[1].text = QStringLiteral("Hallo"); }},
        {"text colour", [](render::Composition &c) { c.layers[1].textStyle.color = QColor(1, 2, 3); }},
        {"rect", [](render::Composition &c) { c.layers[0].rect.setWidth(63.5); }},
        {"opacity key", [](render::Composition &c) { c.layers[0].opacity.keys.push_back({3, 0.5}); }},
        {"encoder threads", [](render::Composition &c) { c.encode.threads = 2; }},
        {"crf", [](render::Composition &c) { c.encode.crf = 22; }},
        {"frame count", [](render::Composition &c) { c.frameCount = 31; }},
        {"fps", [](render::Composition &c) { c.fps = {30000, 1001}; }},
        {"audio clip", [](render::Composition &c) {
             render::AudioClip clip;
             clip.endFrame = 30;
             c.audio.push_back(clip);
         }},
    };
    for (const auto &[name, edit] : edits) {
        render::Composition changed = base;
        edit(changed);
        QVERIFY2(services::cellContentHash(changed, files) != hash, name);
    }
    // New bytes in the same file (another size, so another cache key): another hash.
    QVERIFY(writeAll(a, "picture two, regenerated"));
    QVERIFY(services::cellContentHash(base, files) != hash);
}

void TestCellHash::unreadableSourceFails()
{
    services::FileHashCache files;
    QString error;
    QVERIFY(services::cellContentHash(sample(m_tmp.filePath(QStringLiteral("none.png"))), files, &error)
                .isEmpty());
    QVERIFY2(error.contains(QStringLiteral("none.png")), qPrintable(error));
}

void TestCellHash::manifestRoundTrip()
{
    const QString path = m_tmp.filePath(QStringLiteral("out/manifest.json"));
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    services::ExportManifest manifest(path, QStringLiteral("id-1"), QStringLiteral("Campaign"));
    services::ManifestCell cell;
    cell.segmentId = QStringLiteral("us");
    cell.formatId = QStringLiteral("1x1");
    cell.file = manifest.relativePath(m_tmp.filePath(QStringLiteral("out/us/1x1.mp4")));
    QCOMPARE(cell.file, QStringLiteral("us/1x1.mp4"));
    cell.sha256 = QString(64, QLatin1Char('a'));
    cell.contentHash = QString(64, QLatin1Char('b'));
    cell.bytes = 1234;
    cell.posterFrame = 150;
    QString error;
    QVERIFY2(manifest.record(cell, &error), qPrintable(error));

    services::ExportManifest again(path, QStringLiteral("id-1"), QStringLiteral("Campaign"));
    QString warning;
    again.load(&warning);
    QVERIFY2(warning.isEmpty(), qPrintable(warning));
    const std::optional<services::ManifestCell> read = again.cell(QStringLiteral("us/1x1"));
    QVERIFY(read.has_value());
    QCOMPARE(read->sha256, cell.sha256);
    QCOMPARE(read->contentHash, cell.contentHash);
    QCOMPARE(read->bytes, 1234);
    QCOMPARE(read->posterFrame, 150);
    QCOMPARE(again.absolutePath(read->file), m_tmp.filePath(QStringLiteral("out/us/1x1.mp4")));
    // Only the manifest itself: QSaveFile left no temporary file behind.
    QCOMPARE(QDir(QFileInfo(path).absolutePath()).entryList(QDir::Files | QDir::Hidden),
             QStringList{QStringLiteral("manifest.json")});
}

void TestCellHash::damagedManifestIsIgnored()
{
    const QString path = m_tmp.filePath(QStringLiteral("damaged/manifest.json"));
    QVERIFY(QDir().mkpath(QFileInfo(path).absolutePath()));
    QVERIFY(writeAll(path, "{\"manifestVersion\":1,\"cells\":[{\"segment\":"));
    services::ExportManifest manifest(path, QStringLiteral("id"), QStringLiteral("name"));
    QString warning;
    manifest.load(&warning);
    QVERIFY2(warning.contains(QStringLiteral("manifest.json")), qPrintable(warning));
    QVERIFY(!manifest.cell(QStringLiteral("us/1x1")).has_value());
}

// What a cell's outputs declare: nothing generated -> no source type; a generated picture
// under hand-made text -> composite; the generated picture alone -> purely generated, and a
// hand-made sound beside it makes it a composite again.
void TestCellHash::disclosureFollowsTheSources()
{
    const QString hero = QStringLiteral("/media/generated/hero.png");
    editor::Campaign campaign;
    editor::Asset asset;
    asset.id = QStringLiteral("hero");
    asset.path = hero;
    campaign.assets.push_back(asset);
    render::Composition comp = sample(hero);

    const render::OutputMetadata handMade = services::outputMetadataFor(campaign, comp);
    QVERIFY(handMade.digitalSourceType.isEmpty());
    QVERIFY(handMade.generatorModels.isEmpty());
    QVERIFY(handMade.creatorTool.startsWith(QStringLiteral("Campaign Studio")));

    editor::GenerationRecipe recipe;
    recipe.provider = QStringLiteral("gemini-image");
    recipe.model = QStringLiteral("gemini-3-pro-image-preview");
    campaign.assets.front().recipe = recipe;
    const render::OutputMetadata withText = services::outputMetadataFor(campaign, comp);
    QCOMPARE(withText.digitalSourceType, QString::fromLatin1(render::kDigitalSourceComposite));
    QCOMPARE(withText.generatorModels, QStringList{recipe.model});

    comp.layers.pop_back();  // only the generated picture is left
    const render::OutputMetadata alone = services::outputMetadataFor(campaign, comp);
    QCOMPARE(alone.digitalSourceType, QString::fromLatin1(render::kDigitalSourceGenerated));
    QCOMPARE(alone.generatorModels, QStringList{recipe.model});

    render::AudioClip voice;
    voice.sourcePath = QStringLiteral("/media/voice-over.wav");
    comp.audio.push_back(voice);
    QCOMPARE(services::outputMetadataFor(campaign, comp).digitalSourceType,
             QString::fromLatin1(render::kDigitalSourceComposite));
}

void TestCellHash::fileHashIsSha256()
{
    QTemporaryDir dir;
    QVERIFY(dir.isValid());
    // The FIPS 180-2 test vector, and a file of several read chunks against Qt's SHA-256.
    const QString abc = dir.filePath(QStringLiteral("abc"));
    QFile small(abc);
    QVERIFY(small.open(QIODevice::WriteOnly) && small.write("abc") == 3);
    small.close();
    QCOMPARE(services::sha256OfFile(abc),
             QStringLiteral("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
    QByteArray bytes(3 * (1 << 20) + 12345, Qt::Uninitialized);
    for (qsizetype i = 0; i < bytes.size(); ++i)
        bytes[i] = char((i * 2654435761u) >> 24);
    const QString large = dir.filePath(QStringLiteral("large"));
    QFile big(large);
    QVERIFY(big.open(QIODevice::WriteOnly) && big.write(bytes) == bytes.size());
    big.close();
    QCOMPARE(services::sha256OfFile(large),
             QString::fromLatin1(QCryptographicHash::hash(bytes, QCryptographicHash::Sha256).toHex()));
    QString error;
    QVERIFY(services::sha256OfFile(dir.filePath(QStringLiteral("missing")), &error).isEmpty());
    QVERIFY(error.contains(QStringLiteral("missing")));
}

QTEST_GUILESS_MAIN(TestCellHash)
#include "tst_cell_hash.moc"
