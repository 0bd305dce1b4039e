// SPDX-License-Identifier: GPL-3.0-or-later
// The Asset bin with the real Document and a real MediaLibrary, offscreen: synthetic drag and
// drop of real files (a PNG, a WAV written by hand, an MP4 from our own encoder, a folder, a
// FIFO, a symlink, an empty and an unsupported file), background probing with thumbnails cached
// on disk by content hash, offline media and relink, removal refused while in use, and the
// provenance of assets made by the offline generator.
#include "app/generate_assets.h"
#include "app/media_library.h"
#include "app/offline_generator.h"
#include "editor/document.h"
#include "editor/project_io.h"
#include "render/renderer.h"
#include "ui/asset_bin.h"
#include "ui/studio_theme.h"

#include <QApplication>
#include <QDragEnterEvent>
#include <QDropEvent>
#include <QLabel>
#include <QMimeData>
#include <QPainter>
#include <QTemporaryDir>
#include <QTreeWidget>
#include <QUndoStack>
#include <QtEndian>
#include <QtTest>

#include <sys/stat.h>
#include <sys/types.h>

#include <cmath>

namespace {

const QString kSampleDir = QStringLiteral(CAMPAIGN_SOURCE_DIR "/resources/samples/stride");

bool writePng(const QString &path, int width, int height, QColor color)
{
    QImage image(width, height, QImage::Format_RGB32);
    image.fill(color);
    QPainter(&image).fillRect(0, 0, width / 2, height / 2, Qt::white);
    return image.save(path, "PNG");
}

// 16-bit mono PCM, a 440 Hz tone: the smallest file libavformat reads as audio.
bool writeWav(const QString &path, double seconds)
{
    constexpr int kRate = 48000;
    const int frames = int(seconds * kRate);
    QByteArray data(frames * 2, Qt::Uninitialized);
    for (int i = 0; i < frames; ++i)
        qToLittleEndian<qint16>(qint16(12000 * std::sin(2 * M_PI * 440 * i / kRate)), data.data() + 2 * i);
    QByteArray header;
    auto u32 = [&](quint32 v) { char b[4]; qToLittleEndian(v, b); header.append(b, 4); };
    auto u16 = [&](quint16 v) { char b[2]; qToLittleEndian(v, b); header.append(b, 2); };
    header += "RIFF";
    u32(quint32(36 + data.size()));
    header += "WAVEfmt ";
    u32(16);
    u16(1);            // PCM
    u16(1);            // mono
    u32(kRate);
    u32(kRate * 2);    // byte rate
    u16(2);            // block align
    u16(16);           // bits per sample
    header += "data";
    u32(quint32(data.size()));
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(header + data) == header.size() + data.size();
}

// `shade` varies the pictures, so two calls give two different files (cache keys).
bool writeMp4(const QString &path, int shade = 100)
{
    render::VideoWriter writer;
    render::RenderError error;
    if (!writer.open(path, 64, 36, render::FrameRate{10, 1}, render::EncodeSettings{}, false, &error))
        return false;
    for (int i = 0; i < 10; ++i) {
        QImage frame(64, 36, QImage::Format_RGB32);
        frame.fill(QColor(20 * i, shade, 200));
        if (!writer.writeFrame(frame, &error))
            return false;
    }
    return writer.finish(&error);
}

bool writeText(const QString &path, const QByteArray &bytes)
{
    QFile f(path);
    return f.open(QIODevice::WriteOnly) && f.write(bytes) == bytes.size();
}

QList<QUrl> urlsOf(const QStringList &paths)
{
    QList<QUrl> urls;
    for (const QString &p : paths)
        urls << QUrl::fromLocalFile(p);
    return urls;
}

}  // namespace

class TstAssetBin : public QObject {
    Q_OBJECT

    QTemporaryDir m_dir;     // the project
    QTemporaryDir m_media;   // files dropped from elsewhere
    QTemporaryDir m_cache;   // the thumbnail cache
    QString m_project;
    std::unique_ptr<editor::Document> m_doc;
    std::unique_ptr<services::MediaLibrary> m_library;
    std::unique_ptr<ui::AssetBin> m_bin;
    QByteArray m_originalJson;

    QByteArray json() const { return editor::serializeCampaign(m_doc->campaign(), m_doc->projectDir()); }

    void verifyConsistent(const char *when)
    {
        const QStringList problems = editor::checkConsistency(m_doc->campaign(), m_doc->projectDir());
        QVERIFY2(problems.isEmpty(), qPrintable(QString::fromLatin1(when) + QStringLiteral(": ")
                                                + problems.join(QStringLiteral("; "))));
    }

    QTreeWidgetItem *row(const QString &assetId) const
    {
        QTreeWidget *view = m_bin->view();
        for (int i = 0; i < view->topLevelItemCount(); ++i)
            if (view->topLevelItem(i)->text(0) == assetId)
                return view->topLevelItem(i);
        return nullptr;
    }

    // What a file manager does: enter, move, drop, with the URLs in the MIME data.
    bool drop(const QList<QUrl> &urls, QString *refusedAtEnter = nullptr)
    {
        QMimeData mime;
        mime.setUrls(urls);
        const QPoint at = m_bin->rect().center();
        QDragEnterEvent enter(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(m_bin.get(), &enter);
        if (!enter.isAccepted()) {
            if (refusedAtEnter)
                *refusedAtEnter = QStringLiteral("enter refused");
            return false;
        }
        QDragMoveEvent move(at, Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(m_bin.get(), &move);
        QDropEvent dropEvent(QPointF(at), Qt::CopyAction, &mime, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(m_bin.get(), &dropEvent);
        return dropEvent.isAccepted();
    }

    void openProject(const QString &project)
    {
        editor::LoadResult loaded = editor::loadCampaign(project);
        QVERIFY2(loaded.campaign, qPrintable(loaded.message));
        m_doc->reset(*loaded.campaign, project);
    }

private slots:
    void initTestCase()
    {
        ui::applyStudioTheme();
        QVERIFY(render::loadRenderFonts());
        QVERIFY(m_dir.isValid() && m_media.isValid() && m_cache.isValid());
        m_project = m_dir.filePath(QStringLiteral("stride.campaign"));
        QVERIFY(QFile::copy(kSampleDir + QStringLiteral("/stride.campaign"), m_project));
        QVERIFY(QFile::copy(kSampleDir + QStringLiteral("/logo.svg"), m_dir.filePath("logo.svg")));
    }

    void init()
    {
        m_doc = std::make_unique<editor::Document>();
        m_library = std::make_unique<services::MediaLibrary>(m_cache.path());
        m_bin = std::make_unique<ui::AssetBin>(m_doc.get(), m_library.get());
        openProject(m_project);
        m_bin->resize(900, 640);
        m_bin->show();
        QVERIFY(QTest::qWaitForWindowExposed(m_bin.get()));
        m_originalJson = json();
    }

    void cleanup()
    {
        m_bin.reset();
        m_library.reset();
        m_doc.reset();
    }

    void dropImportsRegularFilesAndNamesEverythingRefused()
    {
        const QDir media(m_media.path());
        QVERIFY(media.mkpath("drop/folder/nested"));
        const QString png = media.filePath("drop/Hero Shot (final).png");
        const QString wav = media.filePath("drop/tone.wav");
        QVERIFY(writePng(png, 320, 180, QColor(255, 90, 31)));
        QVERIFY(writeWav(wav, 1.5));
        QVERIFY(writePng(media.filePath("drop/folder/b.png"), 40, 40, Qt::blue));
        QVERIFY(writeMp4(media.filePath("drop/folder/nested/clip.mp4")));
        QVERIFY(writePng(media.filePath("drop/folder/.hidden.png"), 8, 8, Qt::red));
        // A FIFO named like an image: the file type decides, not the name.
        QCOMPARE(::mkfifo(QFile::encodeName(media.filePath("drop/folder/pipe.png")).constData(), 0600), 0);
        QVERIFY(QFile::link(png, media.filePath("drop/folder/link.png")));
        const QString txt = media.filePath("drop/notes.txt");
        QVERIFY(writeText(txt, "not media"));
        const QString empty = media.filePath("drop/empty.png");
        QVERIFY(writeText(empty, {}));

        // A real drop over the list lands on the nearest ancestor that accepts drops: the list
        // and its viewport must not take it themselves.
        QVERIFY(m_bin->acceptDrops());
        QVERIFY(!m_bin->view()->acceptDrops() && !m_bin->view()->viewport()->acceptDrops());

        QList<QUrl> urls = urlsOf({png, wav, media.filePath("drop/folder"), txt, empty,
                                   QStringLiteral("/dev/null")});
        urls << QUrl(QStringLiteral("https://example.invalid/remote.png"));
        QVERIFY(drop(urls));

        const editor::Campaign &c = m_doc->campaign();
        QCOMPARE(c.assets.size(), size_t(5));  // logo + four
        QCOMPARE(m_doc->undoStack()->count(), 1);  // one drop, one undo step
        const editor::Asset *hero = c.asset(QStringLiteral("Hero-Shot-final"));
        QVERIFY(hero);
        QCOMPARE(hero->kind, editor::AssetKind::Image);
        QCOMPARE(hero->path, png);
        QCOMPARE(c.asset("tone")->kind, editor::AssetKind::Audio);
        QCOMPARE(c.asset("b")->kind, editor::AssetKind::Image);
        QCOMPARE(c.asset("clip")->kind, editor::AssetKind::Video);
        QVERIFY(!c.asset("hidden") && !c.asset("pipe") && !c.asset("link") && !c.asset("notes")
                && !c.asset("empty"));
        const QString message = m_bin->lastMessage();
        QVERIFY2(message.contains("Imported 4 file(s)"), qPrintable(message));
        QVERIFY2(message.contains("notes.txt: unsupported file type (.txt)"), qPrintable(message));
        QVERIFY2(message.contains("folder/pipe.png: not a regular file"), qPrintable(message));
        QVERIFY2(message.contains("folder/link.png: a symbolic link"), qPrintable(message));
        QVERIFY2(message.contains("empty.png: empty (0 bytes)"), qPrintable(message));
        QVERIFY2(message.contains("null: not a regular file"), qPrintable(message));
        QVERIFY2(message.contains("remote.png: not a local file"), qPrintable(message));
        QVERIFY(row("Hero-Shot-final") && row("clip"));
        verifyConsistent("after the drop");

        // The same file again is not a second asset; a same-named other file gets a new id.
        QVERIFY(media.mkpath("other"));
        const QString otherTone = media.filePath("other/tone.wav");
        QVERIFY(writeWav(otherTone, 0.5));
        QVERIFY(drop(urlsOf({wav, otherTone})));
        QVERIFY(m_bin->lastMessage().contains("tone.wav: already in the bin as 'tone'"));
        QCOMPARE(m_doc->campaign().asset("tone-2")->path, otherTone);
        verifyConsistent("after the second drop");

        // Text is not a drop the bin takes.
        QMimeData text;
        text.setText(QStringLiteral("hello"));
        QDragEnterEvent enter(QPoint(5, 5), Qt::CopyAction, &text, Qt::LeftButton, Qt::NoModifier);
        QApplication::sendEvent(m_bin.get(), &enter);
        QVERIFY(!enter.isAccepted());

        m_doc->undoStack()->undo();
        m_doc->undoStack()->undo();
        QCOMPARE(json(), m_originalJson);
        verifyConsistent("after undo");
    }

    void probesAndCachesThumbnailsByContent()
    {
        const QDir media(m_media.path());
        QVERIFY(media.mkpath("probe"));
        const QString png = media.filePath("probe/still.png");
        const QString wav = media.filePath("probe/music.wav");
        const QString mp4 = media.filePath("probe/motion.mp4");
        QVERIFY(writePng(png, 400, 300, QColor(30, 160, 90)));
        QVERIFY(writeWav(wav, 2.0));
        QVERIFY(writeMp4(mp4, 30));
        m_library->waitForIdle();  // the logo of the opened project
        const int madeBefore = m_library->thumbnailsMade();
        const ui::AssetImportReport report = m_bin->importPaths({png, wav, mp4});
        QCOMPARE(report.importedIds, QStringList({"still", "music", "motion"}));
        m_library->waitForIdle();

        const auto still = m_library->facts(png);
        QVERIFY(still && !still->offline && still->problem.isEmpty());
        QCOMPARE(still->width, 400);
        QCOMPARE(still->height, 300);
        QCOMPARE(still->codec, QStringLiteral("png"));
        const auto bed = m_library->facts(wav);
        QVERIFY(bed && bed->problem.isEmpty());
        QVERIFY2(std::abs(bed->durationSec - 2.0) < 0.05, qPrintable(QString::number(bed->durationSec)));
        QCOMPARE(bed->codec, QStringLiteral("pcm_s16le"));
        const auto motion = m_library->facts(mp4);
        QVERIFY(motion && motion->problem.isEmpty());
        QCOMPARE(motion->width, 64);
        QCOMPARE(motion->codec, QStringLiteral("h264"));
        QVERIFY(motion->durationSec > 0.5);

        // Thumbnails are on disk, in the cache folder, named by the file's SHA-256.
        for (const auto &facts : {*still, *bed, *motion}) {
            QVERIFY(!facts.thumbnailPath.isEmpty());
            QVERIFY(facts.thumbnailPath.startsWith(m_cache.path()));
            QVERIFY(QFileInfo(facts.thumbnailPath).fileName().startsWith(facts.sha256));
            const QImage thumb(facts.thumbnailPath);
            QVERIFY(!thumb.isNull());
            QVERIFY(thumb.width() <= 256 && thumb.height() <= 144);
        }
        QCOMPARE(QImage(still->thumbnailPath).size(), QSize(192, 144));  // 4:3 fitted
        QCOMPARE(m_library->thumbnailsMade() - madeBefore, 3);
        // The rows show what was probed.
        QCOMPARE(row("still")->text(3), QStringLiteral("400×300"));
        QCOMPARE(row("music")->text(4), QStringLiteral("pcm_s16le"));
        QCOMPARE(row("music")->text(2), QStringLiteral("2.0 s"));
        QVERIFY(!row("motion")->icon(0).isNull());

        // A second library on the same cache folder decodes nothing.
        services::MediaLibrary second(m_cache.path());
        for (const auto &[path, kind] : {std::pair{png, editor::AssetKind::Image},
                                         {wav, editor::AssetKind::Audio},
                                         {mp4, editor::AssetKind::Video}})
            second.request(path, kind);
        second.waitForIdle();
        QCOMPARE(second.cacheHits(), 3);
        QCOMPARE(second.thumbnailsMade(), 0);
        QCOMPARE(second.facts(mp4)->thumbnailPath, motion->thumbnailPath);
        QCOMPARE(second.facts(mp4)->width, 64);
        QCOMPARE(second.facts(wav)->durationSec, bed->durationSec);

        // Same bytes under another name: a cache hit too (keyed by content, not path).
        const QString copy = media.filePath("probe/copy-of-still.png");
        QVERIFY(QFile::copy(png, copy));
        second.request(copy, editor::AssetKind::Image);
        second.waitForIdle();
        QCOMPARE(second.cacheHits(), 4);
        QCOMPARE(second.facts(copy)->thumbnailPath, still->thumbnailPath);
    }

    void offlineAssetShownAndRelinked()
    {
        const QString missing = m_media.filePath(QStringLiteral("gone/missing.png"));
        QVERIFY(m_doc->edit("add missing", [&](editor::Campaign &c) {
            editor::Asset a;
            a.id = QStringLiteral("poster");
            a.path = missing;
            c.assets.push_back(a);
            return true;
        }));
        m_library->waitForIdle();
        QTreeWidgetItem *item = row("poster");
        QVERIFY(item);
        QVERIFY2(item->text(5).contains("offline"), qPrintable(item->text(5)));
        m_bin->setCurrentAsset("poster");
        QVERIFY2(m_bin->detailsText().contains("missing.png\" is missing"), qPrintable(m_bin->detailsText()));
        QVERIFY(m_bin->relinkAction()->isEnabled());

        // Relink refuses another kind, a folder and a FIFO, naming the problem.
        const QString wav = m_media.filePath(QStringLiteral("relink-tone.wav"));
        QVERIFY(writeWav(wav, 0.2));
        QVERIFY(!m_bin->relinkAsset("poster", wav));
        QVERIFY2(m_bin->lastMessage().contains("audio file, but 'poster' is image asset"),
                 qPrintable(m_bin->lastMessage()));
        QVERIFY(!m_bin->relinkAsset("poster", m_media.path()));
        QVERIFY(m_bin->lastMessage().contains("not a regular file"));
        QCOMPARE(m_doc->campaign().asset("poster")->path, missing);

        const QString found = m_media.filePath(QStringLiteral("found-poster.png"));
        QVERIFY(writePng(found, 90, 160, Qt::darkCyan));
        const int steps = m_doc->undoStack()->count();
        QVERIFY(m_bin->relinkAsset("poster", found));
        QCOMPARE(m_doc->undoStack()->count(), steps + 1);
        QCOMPARE(m_doc->campaign().asset("poster")->path, found);
        m_library->waitForIdle();
        QVERIFY(!row("poster")->text(5).contains("offline"));
        QCOMPARE(row("poster")->text(3), QStringLiteral("90×160"));
        verifyConsistent("after relink");

        m_doc->undoStack()->undo();
        m_library->waitForIdle();
        QCOMPARE(m_doc->campaign().asset("poster")->path, missing);
        QVERIFY(row("poster")->text(5).contains("offline"));

        // A file deleted after import shows offline on refresh, and online once it is back.
        m_doc->undoStack()->redo();
        m_library->waitForIdle();
        QVERIFY(!row("poster")->text(5).contains("offline"));
        const QString aside = found + QStringLiteral(".aside");
        QVERIFY(QFile::rename(found, aside));
        m_bin->refresh();
        m_library->waitForIdle();
        QVERIFY(row("poster")->text(5).contains("offline"));
        QVERIFY(QFile::rename(aside, found));
        m_bin->refresh();
        m_library->waitForIdle();
        QVERIFY(!row("poster")->text(5).contains("offline"));
        QCOMPARE(row("poster")->text(3), QStringLiteral("90×160"));
    }

    void removeRefusedWhileUsedNamingTheUser()
    {
        QVERIFY(!m_bin->removeAsset("logo"));
        QVERIFY2(m_bin->lastMessage().contains("brand kit logo"), qPrintable(m_bin->lastMessage()));

        const QString png = m_media.filePath(QStringLiteral("used.png"));
        QVERIFY(writePng(png, 32, 32, Qt::yellow));
        QCOMPARE(m_bin->importPaths({png}).importedIds, QStringList{"used"});
        QVERIFY(m_doc->edit("use it", [](editor::Campaign &c) {
            c.timeline.tracks[0].clips[2].source = QStringLiteral("asset:used");  // "product"
            c.segments[1].variables.insert(QStringLiteral("hero_image"), QStringLiteral("used"));
            return true;
        }));
        verifyConsistent("with the asset in use");
        QVERIFY(!m_bin->removeAsset("used"));
        const QString message = m_bin->lastMessage();
        QVERIFY2(message.contains("clip 'product' on track 'Pictures'"), qPrintable(message));
        QVERIFY2(message.contains("segment 'us-parents' (variable hero_image)"), qPrintable(message));
        QVERIFY(m_doc->campaign().asset("used"));

        m_doc->undoStack()->undo();  // no longer used
        const int steps = m_doc->undoStack()->index();
        QVERIFY(m_bin->removeAsset("used"));
        QVERIFY(!m_doc->campaign().asset("used"));
        QVERIFY(QFileInfo::exists(png));  // the file itself stays
        verifyConsistent("after remove");
        m_doc->undoStack()->undo();
        QCOMPARE(m_doc->undoStack()->index(), steps);
        QVERIFY(m_doc->campaign().asset("used"));
    }

    void followsClose()
    {
        QVERIFY(m_bin->view()->topLevelItemCount() > 0);
        m_doc->close();
        QCOMPARE(m_bin->view()->topLevelItemCount(), 0);
        QVERIFY(!m_bin->importAction()->isEnabled() && !m_bin->removeAction()->isEnabled());
        QVERIFY(m_bin->importPaths({m_dir.filePath("logo.svg")}).importedIds.isEmpty());
        QString refused;
        QVERIFY(!drop(urlsOf({m_dir.filePath("logo.svg")}), &refused));
        QCOMPARE(refused, QStringLiteral("enter refused"));
        QVERIFY(m_bin->detailsText().isEmpty());
    }

    // The sample after the offline generator has run: every kind with its real recipe.
    void generatedSampleShowsProvenance()
    {
        QTemporaryDir dir;
        const QString project = dir.filePath(QStringLiteral("stride.campaign"));
        QFile in(kSampleDir + QStringLiteral("/stride.campaign"));
        QVERIFY(in.open(QIODevice::ReadOnly));
        QByteArray text = in.readAll();
        // Small media keep the test quick; the bin does not care about the size.
        text.replace("\"width\": 2048, \"height\": 2048", "\"width\": 384, \"height\": 384");
        text.replace("\"width\": 1920, \"height\": 1080, \"duration\": \"6\"",
                     "\"width\": 320, \"height\": 180, \"duration\": \"2\"");
        QVERIFY(writeText(project, text));
        QVERIFY(QFile::copy(kSampleDir + QStringLiteral("/logo.svg"), dir.filePath("logo.svg")));
        editor::LoadResult loaded = editor::loadCampaign(project);
        QVERIFY(loaded.campaign);
        services::OfflineGenerator offline;
        const services::GenerationReport report = services::generateMissingAssets(
            *loaded.campaign, dir.path(), {&offline}, {}, nullptr);
        QCOMPARE(report.count(services::GenerationOutcome::Status::Generated), 7);
        m_doc->reset(*loaded.campaign, project);
        m_library->waitForIdle();

        const editor::Asset *hero = m_doc->campaign().asset("hero-ae-trail");
        QVERIFY(hero && hero->recipe);
        QTreeWidgetItem *item = row("hero-ae-trail");
        QVERIFY(item);
        QVERIFY2(item->text(5).contains("generated: offline / offline-v1"), qPrintable(item->text(5)));
        QCOMPARE(item->text(3), QStringLiteral("384×384"));
        m_bin->setCurrentAsset("hero-ae-trail");
        const QString details = m_bin->detailsText();
        const editor::GenerationRecipe &r = *hero->recipe;
        for (const QString &expected :
             QStringList{"Provider: offline", "Model: " + r.model, "Prompt: " + r.prompt,
              "Seed: " + QString::number(r.seed), "Created at: " + r.createdAt,
              "Request id: " + r.requestRecordId, "Output SHA-256: " + r.outputSha256,
              "Path: " + QDir::toNativeSeparators(hero->path)})
            QVERIFY2(details.contains(expected), qPrintable(expected + "\n---\n" + details));
        QVERIFY(!r.createdAt.isEmpty() && !r.outputSha256.isEmpty());
        QVERIFY(!details.contains("Warning"));  // the file is what the provider produced
        QVERIFY(m_bin->findChild<QWidget *>("assetProvenance")->isVisible());
        // Every generated file got a thumbnail; the logo is not generated: no provenance.
        for (const editor::Asset &a : m_doc->campaign().assets) {
            const auto facts = m_library->facts(a.path);
            QVERIFY2(facts && !facts->thumbnailPath.isEmpty(), qPrintable(a.id));
        }
        QCOMPARE(row("bed")->text(4), m_library->facts(m_doc->campaign().asset("bed")->path)->codec);
        QVERIFY(!row("run-clip")->text(2).isEmpty());
        m_bin->setCurrentAsset("logo");
        QVERIFY(!m_bin->findChild<QWidget *>("assetProvenance")->isVisible());

        if (qEnvironmentVariableIsSet("CAMPAIGN_SCREENSHOT_DIR")) {
            m_bin->setCurrentAsset("hero-ae-trail");
            m_bin->resize(900, 1000);  // a tall dock: the list and the whole inspector
            m_bin->grab().save(qEnvironmentVariable("CAMPAIGN_SCREENSHOT_DIR") + "/asset_bin.png");
        }
    }
};

QTEST_MAIN(TstAssetBin)
#include "tst_asset_bin.moc"
