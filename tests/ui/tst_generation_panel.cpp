// SPDX-License-Identifier: GPL-3.0-or-later
// Drives the generation dock of the real main window offscreen: request editing, the job
// queue (offline provider, small images so it stays quick), cancel, history, variation,
// compare, "use this", and that a typed API key reaches no file. Each test works on its own
// copy of the bundled sample, so tests never see each other's generated files.
#include "editor/generation_plan.h"
#include "editor/project_io.h"
#include "render/renderer.h"
#include "ui/studio_theme.h"
#include "ui/credential_store.h"
#include "ui/generation_controller.h"
#include "ui/generation_history_view.h"
#include "ui/generation_panel.h"
#include "ui/generation_queue_view.h"
#include "ui/generation_settings_dialog.h"
#include "ui/main_window.h"

#include <QApplication>
#include <QComboBox>
#include <QDirIterator>
#include <QDockWidget>
#include <QElapsedTimer>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QMenu>
#include <QMutex>
#include <QPlainTextEdit>
#include <QPushButton>
#include <QSettings>
#include <QSpinBox>
#include <QTemporaryDir>
#include <QToolButton>
#include <QtTest>

namespace {

const QString kSentinel = QStringLiteral("SENTINEL-h9-key-5f1c2e9a7b");
constexpr int kRunTimeoutMs = 180000;

// Every Qt message of the run, to prove the key is never logged.
QMutex g_logMutex;
QStringList g_log;
QtMessageHandler g_previousHandler = nullptr;
void recordMessage(QtMsgType type, const QMessageLogContext &context, const QString &message)
{
    {
        QMutexLocker lock(&g_logMutex);
        g_log << message;
    }
    if (g_previousHandler)
        g_previousHandler(type, context, message);
}

// A copy of the bundled sample with smaller pictures: the queue's behaviour does not depend on
// the size, and 512 px keeps each offline image well under a second.
QString makeProject(const QTemporaryDir &dir)
{
    const QString src = QStringLiteral(CAMPAIGN_SOURCE_DIR "/resources/samples/stride");
    QFile in(src + QStringLiteral("/stride.campaign"));
    if (!in.open(QIODevice::ReadOnly))
        return {};
    QByteArray text = in.readAll();
    text.replace("\"width\": 2048, \"height\": 2048", "\"width\": 512, \"height\": 512");
    text.replace("\"width\": 1920, \"height\": 1080, \"duration\": \"6\"",
                 "\"width\": 320, \"height\": 180, \"duration\": \"2\"");
    const QString project = dir.filePath(QStringLiteral("stride.campaign"));
    QFile out(project);
    if (!out.open(QIODevice::WriteOnly) || out.write(text) != text.size())
        return {};
    out.close();
    if (!QFile::copy(src + QStringLiteral("/logo.svg"), dir.filePath(QStringLiteral("logo.svg"))))
        return {};
    return project;
}

QByteArray readAll(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

// Paths of files under `dir` whose bytes contain `needle`.
QStringList filesContaining(const QString &dir, const QByteArray &needle)
{
    QStringList out;
    QDirIterator it(dir, QDir::Files | QDir::Hidden, QDirIterator::Subdirectories);
    while (it.hasNext()) {
        const QString path = it.next();
        if (readAll(path).contains(needle))
            out << path;
    }
    return out;
}

void applyDarkTheme()
{
    ui::applyStudioTheme();  // so the screenshot shows what users see
}

template <typename T>
T *child(QObject &parent, const char *name)
{
    return parent.findChild<T *>(QLatin1String(name));
}

}  // namespace

class TestGenerationPanel : public QObject {
    Q_OBJECT

    QTemporaryDir m_config;  // XDG_CONFIG_HOME: QSettings of this run only

    struct Fixture {
        QTemporaryDir dir;
        QString project;
        ui::MainWindow window;
        ui::GenerationPanel *panel = nullptr;
        bool open()
        {
            project = makeProject(dir);
            if (project.isEmpty() || !window.openProject(project, false))
                return false;
            window.show();
            panel = window.generationPanel();
            return panel && QTest::qWaitForWindowExposed(&window);
        }
        void select(const QString &request, const QString &segment)
        {
            panel->selectRequest(request);
            panel->selectSegment(segment);
        }
        bool running() const { return window.generationController()->isRunning(); }
    };

private slots:
    void initTestCase()
    {
        QVERIFY(m_config.isValid());
        // Before the first QSettings: they must land in a throw-away directory.
        qputenv("XDG_CONFIG_HOME", m_config.path().toLocal8Bit());
        qputenv("CAMPAIGN_NO_KEYCHAIN", "1");
        // The "no key" case must not depend on the developer's shell.
        qunsetenv("GEMINI_API_KEY");
        qunsetenv("GOOGLE_CLOUD_ACCESS_TOKEN");
        QCoreApplication::setOrganizationName(QStringLiteral("CampaignStudioTest"));
        QCoreApplication::setApplicationName(QStringLiteral("tst_generation_panel"));
        g_previousHandler = qInstallMessageHandler(recordMessage);
        applyDarkTheme();
        QString error;
        QVERIFY2(render::loadRenderFonts(&error), qPrintable(error));
    }

    void dockIsThereAndToggles()
    {
        Fixture f;
        QVERIFY(f.open());
        auto *dock = child<QDockWidget>(f.window, "generationDock");
        QVERIFY(dock && dock->isVisible());
        QVERIFY(child<QWidget>(f.window, "generationQueue"));
        QVERIFY(child<QLabel>(f.window, "billedAttemptsLabel"));
        QCOMPARE(child<QListWidget>(f.window, "requestList")->count(), 4);
        QAction *toggle = dock->toggleViewAction();
        toggle->trigger();
        QVERIFY(!dock->isVisible());
        toggle->trigger();
        QVERIFY(dock->isVisible());
        // The main window's own button is still there.
        QVERIFY(child<QPushButton>(f.window, "generateButton"));
    }

    void editingTheRequestUpdatesTheCampaign()
    {
        Fixture f;
        QVERIFY(f.open());
        f.select(QStringLiteral("hero"), QStringLiteral("se-genz"));
        auto *prompt = child<QPlainTextEdit>(f.window, "promptTemplateEdit");
        QVERIFY(prompt);
        QVERIFY(prompt->toPlainText().startsWith(QStringLiteral("{{segment.tone}} runner")));
        QVERIFY(!f.window.isModified());
        prompt->setFocus();
        prompt->moveCursor(QTextCursor::End);
        QTest::keyClicks(prompt, QStringLiteral(", golden hour"));
        const auto hero = [&]() { return f.window.campaign()->generationRequests[0]; };
        QVERIFY2(hero().promptTemplate.endsWith(QStringLiteral(", golden hour")), qPrintable(hero().promptTemplate));
        QVERIFY(f.window.isModified());

        // "Insert variable" lists the segment attributes and the campaign's variables.
        auto *insert = child<QToolButton>(f.window, "insertVariableButton");
        QVERIFY(insert && insert->menu());
        QAction *headline = nullptr;
        QStringList texts;
        for (QAction *a : insert->menu()->actions()) {
            texts << a->text();
            if (a->text() == QStringLiteral("{{headline}}"))
                headline = a;
        }
        QVERIFY2(texts.contains(QStringLiteral("{{segment.region}}")), qPrintable(texts.join(' ')));
        QVERIFY(headline);
        prompt->moveCursor(QTextCursor::End);
        headline->trigger();
        QVERIFY(hero().promptTemplate.endsWith(QStringLiteral("golden hour{{headline}}")));

        // Provider, model and seed reach the request too; the model shows the default.
        auto *provider = child<QComboBox>(f.window, "providerCombo");
        auto *model = child<QLineEdit>(f.window, "modelEdit");
        provider->setCurrentIndex(provider->findData(QStringLiteral("gemini-image")));
        QCOMPARE(hero().provider, QStringLiteral("gemini-image"));
        model->clear();
        QVERIFY(!model->placeholderText().isEmpty());
        QCOMPARE(hero().model, QString());
        auto *aspect = child<QComboBox>(f.window, "aspectCombo");
        aspect->setCurrentIndex(aspect->findData(QStringLiteral("16:9")));
        QCOMPARE(hero().width, 512);
        QCOMPARE(hero().height, 288);

        // Saving writes the edit; reopening shows it.
        QVERIFY(f.window.save());
        QVERIFY(!f.window.isModified());
        const editor::LoadResult reloaded = editor::loadCampaign(f.project);
        QVERIFY(reloaded.campaign);
        QCOMPARE(reloaded.campaign->generationRequests[0].promptTemplate, hero().promptTemplate);
    }

    void generateForAllSegmentsRunsTheQueue()
    {
        Fixture f;
        QVERIFY(f.open());
        f.select(QStringLiteral("hero"), QStringLiteral("us-parents"));
        auto *generate = child<QPushButton>(f.window, "generateAllSegmentsButton");
        QVERIFY(generate && generate->isEnabled());

        // The GUI thread must stay responsive while the worker generates.
        QElapsedTimer clock;
        qint64 last = 0, worstGap = 0;
        QTimer tick;
        connect(&tick, &QTimer::timeout, [&]() {
            worstGap = std::max(worstGap, clock.elapsed() - last);
            last = clock.elapsed();
        });
        clock.start();
        tick.start(10);
        QTest::mouseClick(generate, Qt::LeftButton);
        QVERIFY(f.running());
        QVERIFY(!generate->isEnabled());
        QTRY_VERIFY_WITH_TIMEOUT(!f.running(), kRunTimeoutMs);
        tick.stop();

        ui::GenerationQueueView *queue = f.panel->queueView();
        QCOMPARE(queue->rowCount(), 4);
        for (const auto &segment : f.window.campaign()->segments) {
            const QString asset = QStringLiteral("hero-") + segment.id;
            QCOMPARE(queue->statusText(asset), QStringLiteral("done"));
            const editor::Asset *a = f.window.campaign()->asset(asset);
            QVERIFY(a && QFileInfo::exists(a->path));
        }
        QCOMPARE(child<QLabel>(f.window, "billedAttemptsLabel")->text(), QStringLiteral("Billed attempts: 0"));
        QVERIFY2(worstGap < 1000, qPrintable(QStringLiteral("event loop blocked %1 ms").arg(worstGap)));
        // The document was saved pointing at the files, and the slot's history shows its result.
        QVERIFY(readAll(f.project).contains("generated/"));
        QVERIFY(!f.window.isModified());
        QTRY_COMPARE_WITH_TIMEOUT(f.panel->historyView()->entries().size(), 1, 5000);
        QCOMPARE(f.panel->historyView()->entries().first().path,
                 f.window.campaign()->asset(QStringLiteral("hero-us-parents"))->path);

        // Running it again reuses: every job is up to date or from the recipe cache.
        QTest::mouseClick(generate, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!f.running(), kRunTimeoutMs);
        const QString again = queue->statusText(QStringLiteral("hero-se-genz"));
        QVERIFY2(again == QStringLiteral("up to date") || again == QStringLiteral("reused (recipe cache)"),
                 qPrintable(again));

        if (qEnvironmentVariableIsSet("CAMPAIGN_SCREENSHOT_DIR")) {
            QTest::qWait(300);  // thumbnails arrive from their worker
            f.window.grab().save(qEnvironmentVariable("CAMPAIGN_SCREENSHOT_DIR") + "/generation_panel.png");
        }
    }

    // A Veo operation submitted before the studio closed is offered for resuming, with its
    // name; Resume starts a normal run (which polls instead of submitting), never a forced one.
    void pendingOperationsAreOfferedAfterARestart()
    {
        Fixture f;
        QVERIFY(QDir().mkpath(f.dir.filePath(QStringLiteral("generated/pending"))));
        const QByteArray op = R"({"name": "projects/p/locations/us-central1/publishers/google/models/veo-3.1-generate-001/operations/op-7f3a", "backend": "vertex", "model": "veo-3.1-generate-001", "submittedAt": "2026-12-04T10:00:00Z"})";
        QFile pending(f.dir.filePath(QStringLiteral("generated/pending/0123abcd.json")));
        QVERIFY(pending.open(QIODevice::WriteOnly) && pending.write(op) == op.size());
        pending.close();
        QVERIFY(f.open());
        auto *banner = child<QWidget>(f.window, "pendingOperationsBanner");
        QVERIFY(banner && banner->isVisibleTo(f.panel));
        const QString text = child<QLabel>(f.window, "pendingOperationsLabel")->text();
        QVERIFY2(text.contains(QStringLiteral("op-7f3a")) && text.contains(QStringLiteral("1 video")),
                 qPrintable(text));
        if (qEnvironmentVariableIsSet("CAMPAIGN_SCREENSHOT_DIR"))
            f.panel->grab().save(qEnvironmentVariable("CAMPAIGN_SCREENSHOT_DIR") + "/pending_banner.png");
        QList<services::GenerationOptions> requested;
        connect(f.panel, &ui::GenerationPanel::generateRequested, this,
                [&requested](const services::GenerationOptions &o, const QStringList &) { requested << o; });
        QTest::mouseClick(child<QPushButton>(f.window, "resumePendingButton"), Qt::LeftButton);
        QCOMPARE(requested.size(), 1);
        QVERIFY(!requested.first().forceNew);
        QVERIFY(requested.first().assetIds.isEmpty());
        QVERIFY(!banner->isVisibleTo(f.panel));  // hidden while the run works on them
        QTRY_VERIFY_WITH_TIMEOUT(!f.running(), kRunTimeoutMs);

        // Without pending operations there is nothing to offer.
        Fixture clean;
        QVERIFY(clean.open());
        QVERIFY(!child<QWidget>(clean.window, "pendingOperationsBanner")->isVisibleTo(clean.panel));
    }

    void cancelAllStopsQueuedJobs()
    {
        Fixture f;
        QVERIFY(f.open());
        f.select(QStringLiteral("hero"), QStringLiteral("se-genz"));
        auto *generate = child<QPushButton>(f.window, "generateAllSegmentsButton");
        auto *cancelAll = child<QPushButton>(f.window, "cancelAllJobsButton");
        QVERIFY(generate && cancelAll);
        QVERIFY(!cancelAll->isEnabled());
        QTest::mouseClick(generate, Qt::LeftButton);
        QVERIFY(cancelAll->isEnabled());
        // At once: two jobs at most can have started (offline runs two at a time).
        QTest::mouseClick(cancelAll, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!f.running(), kRunTimeoutMs);
        QVERIFY(!cancelAll->isEnabled());
        ui::GenerationQueueView *queue = f.panel->queueView();
        QCOMPARE(queue->rowCount(), 4);
        int cancelled = 0;
        for (const auto &segment : f.window.campaign()->segments) {
            const QString status = queue->statusText(QStringLiteral("hero-") + segment.id);
            QVERIFY2(status == QStringLiteral("cancelled") || status == QStringLiteral("done"), qPrintable(status));
            cancelled += status == QStringLiteral("cancelled");
        }
        QVERIFY(cancelled >= 2);
        // A cancelled job keeps nothing: no partial or temporary files in the store.
        const QStringList leftovers = QDir(f.dir.filePath(QStringLiteral("generated")))
                                          .entryList({QStringLiteral("*.partial*"), QStringLiteral("*.tmp")});
        QVERIFY2(leftovers.isEmpty(), qPrintable(leftovers.join(' ')));
    }

    void cancelOneJobKeepsTheOthers()
    {
        Fixture f;
        QVERIFY(f.open());
        f.select(QStringLiteral("hero"), QStringLiteral("se-genz"));
        const QString target = QStringLiteral("hero-ae-trail");  // the last of four: queued longest
        services::JobState stateAtClick = services::JobState::Done;
        bool clicked = false;
        // Connected after the panel, so the row (and its button) exists when this runs.
        connect(f.window.generationController(), &ui::GenerationController::jobChanged, this,
                [&](const services::GenerationJobEvent &event) {
                    if (clicked || event.assetId != target)
                        return;
                    auto *button = f.window.findChild<QAbstractButton *>(QStringLiteral("cancelJob-") + target);
                    if (!button || !button->isEnabled())
                        return;
                    clicked = true;
                    stateAtClick = event.state;
                    QTest::mouseClick(button, Qt::LeftButton);
                });
        QTest::mouseClick(child<QPushButton>(f.window, "generateAllSegmentsButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!f.running(), kRunTimeoutMs);
        QVERIFY(clicked);
        qInfo("cancelled while %s", qPrintable(services::jobStateName(stateAtClick)));
        ui::GenerationQueueView *queue = f.panel->queueView();
        if (stateAtClick == services::JobState::Queued)
            QCOMPARE(queue->statusText(target), QStringLiteral("cancelled"));
        for (const QString &other : {QStringLiteral("hero-se-genz"), QStringLiteral("hero-us-parents"),
                                     QStringLiteral("hero-de-commuters")})
            QCOMPARE(queue->statusText(other), QStringLiteral("done"));
        QVERIFY(!f.window.findChild<QAbstractButton *>(QStringLiteral("cancelJob-") + target)->isEnabled());
    }

    void historyVariationCompareAndUseThis()
    {
        Fixture f;
        QVERIFY(f.open());
        f.select(QStringLiteral("hero"), QStringLiteral("us-parents"));
        const QString assetId = QStringLiteral("hero-us-parents");
        QCOMPARE(f.panel->currentAssetId(), assetId);
        auto *regenerate = child<QPushButton>(f.window, "regenerateButton");
        auto *variation = child<QPushButton>(f.window, "variationButton");
        auto *compare = child<QPushButton>(f.window, "compareButton");
        auto *useThis = child<QPushButton>(f.window, "useThisButton");
        QVERIFY(regenerate && variation && compare && useThis);
        ui::GenerationHistoryView *history = f.panel->historyView();
        QCOMPARE(history->entries().size(), 0);

        // One result for this slot only.
        QTest::mouseClick(regenerate, Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!f.running(), kRunTimeoutMs);
        QCOMPARE(f.panel->queueView()->rowCount(), 1);
        QCOMPARE(f.panel->queueView()->statusText(assetId), QStringLiteral("done"));
        const editor::Asset first = *f.window.campaign()->asset(assetId);
        QVERIFY(first.recipe);
        QTRY_COMPARE_WITH_TIMEOUT(history->entries().size(), 1, 5000);

        // Variation: a new seed for this segment only, and a different picture.
        QTest::mouseClick(variation, Qt::LeftButton);
        const editor::GenerationRequest &request = f.window.campaign()->generationRequests[0];
        QVERIFY(request.segmentSeeds.contains(QStringLiteral("us-parents")));
        QCOMPARE(request.segmentSeeds.size(), 1);
        QTRY_VERIFY_WITH_TIMEOUT(!f.running(), kRunTimeoutMs);
        const editor::Asset second = *f.window.campaign()->asset(assetId);
        QVERIFY(second.recipe);
        QCOMPARE(second.recipe->seed, request.segmentSeeds.value(QStringLiteral("us-parents")));
        QVERIFY(second.recipe->seed != first.recipe->seed);
        QVERIFY(second.path != first.path);
        QVERIFY(readAll(second.path) != readAll(first.path));
        QTRY_COMPARE_WITH_TIMEOUT(history->entries().size(), 2, 5000);
        // (Both made within the same second: their order by creation time is a tie.)
        QStringList listed;
        for (const auto &entry : history->entries())
            listed << entry.path;
        QVERIFY(listed.contains(first.path) && listed.contains(second.path));

        // Compare: both selected, side by side, naming the difference.
        history->selectPath(first.path);
        QVERIFY(!compare->isEnabled());
        QVERIFY(useThis->isEnabled());
        auto *list = child<QListWidget>(f.window, "generationHistory");
        for (int row = 0; row < list->count(); ++row)
            list->item(row)->setSelected(true);
        QVERIFY(compare->isEnabled());
        QVERIFY(!useThis->isEnabled());
        QTest::mouseClick(compare, Qt::LeftButton);
        auto *dialog = f.window.findChild<QDialog *>(QStringLiteral("compareDialog"));
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        auto *diff = dialog->findChild<QLabel *>(QStringLiteral("compareDifferences"));
        QVERIFY(diff && diff->text().contains(QStringLiteral("seed")));
        if (qEnvironmentVariableIsSet("CAMPAIGN_SCREENSHOT_DIR"))
            dialog->grab().save(qEnvironmentVariable("CAMPAIGN_SCREENSHOT_DIR") + "/generation_compare.png");
        dialog->close();

        // Use this: the older result is bound to the slot and pinned.
        history->selectPath(first.path);
        QVERIFY(useThis->isEnabled());
        QTest::mouseClick(useThis, Qt::LeftButton);
        const editor::Asset *used = f.window.campaign()->asset(assetId);
        QCOMPARE(used->path, first.path);
        QVERIFY(used->pinned);
        QCOMPARE(used->recipe->seed, first.recipe->seed);
        QVERIFY(f.window.isModified());
        // Planning again (the variation seed still differs) keeps the choice.
        editor::Campaign replanned = *f.window.campaign();
        editor::expandGenerationRequests(replanned);
        QCOMPARE(replanned.asset(assetId)->path, first.path);
        // And so do saving and loading.
        QVERIFY(f.window.save());
        const editor::LoadResult reloaded = editor::loadCampaign(f.project);
        QVERIFY(reloaded.campaign);
        QCOMPARE(reloaded.campaign->asset(assetId)->path, first.path);
        QVERIFY(reloaded.campaign->asset(assetId)->pinned);
        // The segment's hero still points at the slot's asset.
        QCOMPARE(reloaded.campaign->segment(QStringLiteral("us-parents"))->variables.value("hero_image"), assetId);

        if (qEnvironmentVariableIsSet("CAMPAIGN_SCREENSHOT_DIR")) {
            QTest::qWait(300);
            f.window.grab().save(qEnvironmentVariable("CAMPAIGN_SCREENSHOT_DIR") + "/generation_history.png");
        }
    }

    void sharedVideoSlotHasAFrameThumbnail()
    {
        Fixture f;
        QVERIFY(f.open());
        f.select(QStringLiteral("run-clip"), QString());
        auto *segments = child<QComboBox>(f.window, "historySegmentCombo");
        QCOMPARE(segments->count(), 1);  // one asset shared by all segments
        QCOMPARE(f.panel->currentAssetId(), QStringLiteral("run-clip"));
        QVERIFY(child<QSpinBox>(f.window, "durationSpin")->isEnabled());
        QTest::mouseClick(child<QPushButton>(f.window, "generateAllSegmentsButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!f.running(), kRunTimeoutMs);
        QCOMPARE(f.panel->queueView()->statusText(QStringLiteral("run-clip")), QStringLiteral("done"));
        QTRY_COMPARE_WITH_TIMEOUT(f.panel->historyView()->entries().size(), 1, 5000);
        const services::StoredGeneration entry = f.panel->historyView()->entries().first();
        QCOMPARE(entry.recipe.kind, editor::AssetKind::Video);
        // A real first frame: the clip's 16:9 shape, not the square placeholder icon.
        const QImage thumb = ui::mediaThumbnail(entry.path, entry.recipe.kind, QSize(72, 72));
        QCOMPARE(thumb.width(), 72);
        QVERIFY2(thumb.height() < 50, qPrintable(QString::number(thumb.height())));
        const QImage missing = ui::mediaThumbnail(f.dir.filePath("nope.mp4"), editor::AssetKind::Video, QSize(72, 72));
        QCOMPARE(missing.size(), QSize(72, 72));
    }

    void keyTypedInSettingsReachesNoFile()
    {
        {
            QMutexLocker lock(&g_logMutex);
            g_log.clear();
        }
        Fixture f;
        QVERIFY(f.open());
        ui::CredentialStore *credentials = f.window.credentials();
        QVERIFY(!credentials->usesKeychain());  // CAMPAIGN_NO_KEYCHAIN=1
        f.window.showGenerationSettings();
        auto *dialog = f.window.findChild<ui::GenerationSettingsDialog *>(QStringLiteral("generationSettingsDialog"));
        QVERIFY(dialog);
        QTRY_VERIFY(dialog->isVisible());
        auto *key = dialog->findChild<QLineEdit *>(QStringLiteral("apiKeyEdit"));
        auto *status = dialog->findChild<QLabel *>(QStringLiteral("backendStatus"));
        QVERIFY(key && status);
        QCOMPARE(key->echoMode(), QLineEdit::Password);
        QVERIFY2(status->text().contains(QStringLiteral("session only")), qPrintable(status->text()));
        key->setFocus();
        QTest::keyClicks(key, kSentinel);
        auto *project = dialog->findChild<QLineEdit *>(QStringLiteral("vertexProjectEdit"));
        project->setText(QStringLiteral("demo-project"));
        QVERIFY(!status->text().contains(kSentinel));
        if (qEnvironmentVariableIsSet("CAMPAIGN_SCREENSHOT_DIR"))
            dialog->grab().save(qEnvironmentVariable("CAMPAIGN_SCREENSHOT_DIR") + "/generation_settings.png");
        dialog->accept();
        QCOMPARE(credentials->secret(ui::CredentialStore::Secret::GeminiApiKey), kSentinel);
        QCOMPARE(ui::GenerationSettings::load().vertexProject, QStringLiteral("demo-project"));

        // Edit and save the project as a user would, with the key in memory.
        f.select(QStringLiteral("hero"), QStringLiteral("se-genz"));
        child<QLineEdit>(f.window, "negativePromptEdit")->setText(QStringLiteral("no logos"));
        // A generation run with the key configured (offline provider: nothing is sent) writes
        // the store, the recipes and generation.log: none of them may hold the key.
        QTest::mouseClick(child<QPushButton>(f.window, "regenerateButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!f.running(), kRunTimeoutMs);
        QCOMPARE(f.panel->queueView()->statusText(QStringLiteral("hero-se-genz")), QStringLiteral("done"));
        QVERIFY(f.window.save());
        {
            QSettings settings;
            settings.sync();
            QVERIFY(QFileInfo::exists(settings.fileName()));
            QVERIFY(!readAll(settings.fileName()).contains(kSentinel.toUtf8()));
        }
        QCOMPARE(filesContaining(m_config.path(), kSentinel.toUtf8()), QStringList());
        QCOMPARE(filesContaining(f.dir.path(), kSentinel.toUtf8()), QStringList());
        QMutexLocker lock(&g_logMutex);
        for (const QString &line : std::as_const(g_log))
            QVERIFY2(!line.contains(kSentinel), "the key appeared in a log message");
    }

    void geminiWithoutKeyFailsWithTheFix()
    {
        Fixture f;
        QVERIFY(f.open());
        QVERIFY(f.window.credentials()->secret(ui::CredentialStore::Secret::GeminiApiKey).isEmpty());
        ui::GenerationSettings settings;  // Gemini API back end, no overrides
        settings.save();
        f.select(QStringLiteral("hero"), QStringLiteral("de-commuters"));
        auto *provider = child<QComboBox>(f.window, "providerCombo");
        auto *warning = child<QLabel>(f.window, "providerWarning");
        QVERIFY(warning && !warning->isVisible());
        provider->setCurrentIndex(provider->findData(QStringLiteral("gemini-image")));
        // Said before anything is queued, too.
        QVERIFY(warning->isVisible());
        QVERIFY2(warning->text().contains(QStringLiteral("GEMINI_API_KEY")), qPrintable(warning->text()));
        QTest::mouseClick(child<QPushButton>(f.window, "regenerateButton"), Qt::LeftButton);
        QTRY_VERIFY_WITH_TIMEOUT(!f.running(), 30000);
        const QString status = f.panel->queueView()->statusText(QStringLiteral("hero-de-commuters"));
        qInfo("%s", qPrintable(status));
        QVERIFY2(status.startsWith(QStringLiteral("failed: ")), qPrintable(status));
        QVERIFY2(status.contains(QStringLiteral("not set up")), qPrintable(status));
        QVERIFY2(status.contains(QStringLiteral("Settings")), qPrintable(status));
        QCOMPARE(child<QLabel>(f.window, "billedAttemptsLabel")->text(), QStringLiteral("Billed attempts: 0"));
        QVERIFY(f.window.campaign()->asset(QStringLiteral("hero-de-commuters")) == nullptr
                || f.window.campaign()->asset(QStringLiteral("hero-de-commuters"))->path.isEmpty());
    }

    void queueWordsAndCountdown()
    {
        ui::GenerationQueueView queue;
        queue.setRunning(true);
        services::GenerationJobEvent e;
        e.assetId = QStringLiteral("hero-se-genz");
        e.segmentId = QStringLiteral("se-genz");
        e.provider = QStringLiteral("gemini-image");
        e.state = services::JobState::Retrying;
        e.seconds = 7;
        e.attempt = 1;
        e.maxAttempts = 5;
        e.billedAttempts = 1;
        queue.applyEvent(e);
        QCOMPARE(queue.statusText(e.assetId), QStringLiteral("retrying in 7 s"));
        // The wait counts down between events.
        QTRY_COMPARE_WITH_TIMEOUT(queue.statusText(e.assetId), QStringLiteral("retrying in 6 s"), 3000);
        e.state = services::JobState::Blocked;
        e.message = QStringLiteral("the prompt was blocked for safety (SAFETY); reword it");
        e.billedAttempts = 2;
        queue.applyEvent(e);
        QCOMPARE(queue.statusText(e.assetId), QStringLiteral("blocked: ") + e.message);
        // A late non-final event never turns a final row back.
        e.state = services::JobState::Running;
        queue.applyEvent(e);
        QVERIFY(queue.statusText(e.assetId).startsWith(QStringLiteral("blocked: ")));
        services::GenerationJobEvent other;
        other.assetId = QStringLiteral("hero-ae-trail");
        other.state = services::JobState::Reused;
        queue.applyEvent(other);
        QCOMPARE(queue.statusText(other.assetId), QStringLiteral("reused (recipe cache)"));
        QCOMPARE(queue.rowCount(), 2);
        QCOMPARE(queue.billedAttempts(), 2);
        QCOMPARE(queue.findChild<QLabel *>(QStringLiteral("billedAttemptsLabel"))->text(),
                 QStringLiteral("Billed attempts: 2"));
        other.state = services::JobState::Polling;
        other.assetId = QStringLiteral("run-clip");
        other.seconds = 0;
        queue.applyEvent(other);
        QCOMPARE(queue.statusText(other.assetId), QStringLiteral("polling"));
    }

    void credentialStoreFallsBackAndNeverBlocks()
    {
        // Session only: a stored value wins, an empty one falls back to the environment.
        QProcessEnvironment env;
        env.insert(QStringLiteral("GEMINI_API_KEY"), QStringLiteral("from-env"));
        ui::CredentialStore session({ui::CredentialStore::Backend::SessionOnly, QStringLiteral("unused"), env});
        QCOMPARE(session.secret(ui::CredentialStore::Secret::GeminiApiKey), QStringLiteral("from-env"));
        QVERIFY(session.sourceDescription(ui::CredentialStore::Secret::GeminiApiKey).contains("GEMINI_API_KEY"));
        QSignalSpy stored(&session, &ui::CredentialStore::stored);
        session.store(ui::CredentialStore::Secret::GeminiApiKey, QStringLiteral("typed"));
        QCOMPARE(session.secret(ui::CredentialStore::Secret::GeminiApiKey), QStringLiteral("typed"));
        QCOMPARE(stored.size(), 1);
        QCOMPARE(stored.first().at(1).toBool(), false);  // not persisted
        session.store(ui::CredentialStore::Secret::GeminiApiKey, QString());
        QCOMPARE(session.secret(ui::CredentialStore::Secret::GeminiApiKey), QStringLiteral("from-env"));

        // The real keychain, under a test-only service name and read-only: whatever this
        // machine has (usually no Secret Service here), the answer comes quickly and the
        // event loop keeps running meanwhile.
        ui::CredentialStore keychain({ui::CredentialStore::Backend::Keychain,
                                      QStringLiteral("Campaign Studio test (tst_generation_panel)"),
                                      QProcessEnvironment()});
        QSignalSpy loaded(&keychain, &ui::CredentialStore::loaded);
        QElapsedTimer clock;
        clock.start();
        keychain.load();
        QVERIFY(clock.elapsed() < 500);  // load() itself never waits for D-Bus
        QVERIFY(loaded.wait(25000) || loaded.size() == 1);
        qInfo("keychain answered in %lld ms; available: %d", clock.elapsed(), int(keychain.keychainAvailable()));
        if (!keychain.keychainAvailable())
            QCOMPARE(keychain.problem(), ui::CredentialStore::unavailableMessage());
        QVERIFY(keychain.secret(ui::CredentialStore::Secret::GeminiApiKey).isEmpty());
    }
};

QTEST_MAIN(TestGenerationPanel)
#include "tst_generation_panel.moc"
