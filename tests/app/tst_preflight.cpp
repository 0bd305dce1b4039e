// SPDX-License-Identifier: GPL-3.0-or-later
// Preflight: a clean one-cell project passes; each crafted fault triggers its own rule; the
// generated sample passes; `campaign-cli validate` exit codes and JSON, and `render` refusing
// a failing cell (and rendering it with --force), through the real CLI binary.
#include "cli_test_support.h"

#include "app/preflight.h"
#include "editor/project_io.h"
#include "editor/resolve.h"
#include "render/renderer.h"

#include <QImage>
#include <QTemporaryDir>
#include <QtTest>

using namespace services;
using clitest::runCli;

namespace {
const QString kLongGerman = QStringLiteral(
    "Für den täglichen Weg zur Arbeit bei jedem Wetter – wasserdichte Laufschuhe mit "
    "Geschwindigkeitsbegrenzungsreflektoren, Regenschutzausrüstung und Herbstangebotszeitraum "
    "für alle Pendlerinnen und Pendler der Hauptstadtregion");

// A clean project: dark picture, a headline in a box inside the 1x1 safe zone, the logo in the
// top-right corner, one German segment. Every test changes one thing.
QJsonObject baseProject()
{
    return QJsonDocument::fromJson(R"({
  "schemaVersion": 1,
  "id": "5d0b3e6a-1c2f-4b7e-8a9d-3e4f5a6b7c8d",
  "name": "Preflight",
  "brandKit": {"colors": {}, "font": "Noto Sans", "logo": "logo"},
  "formats": ["1x1"],
  "segments": [
    {"id": "de", "name": "Berlin", "attributes": {"locale": "de_DE"},
     "variables": {"headline": "Jetzt entdecken", "price": "89.95"}}
  ],
  "assets": [
    {"id": "bg", "kind": "image", "path": "media/bg.png"},
    {"id": "logo", "kind": "image", "path": "media/logo.png"}
  ],
  "timeline": {
    "fps": "10", "duration": "1",
    "tracks": [
      {"id": "v1", "kind": "image", "name": "Picture",
       "clips": [{"id": "bg", "source": "asset:bg", "start": "0", "duration": "1"}]},
      {"id": "t1", "kind": "text", "name": "Copy",
       "clips": [{"id": "headline", "start": "0", "duration": "1",
                  "layout": {"mode": "box", "box": {"x": 0.1, "y": 0.6, "w": 0.8, "h": 0.2}},
                  "text": {"text": "{{headline}} · {{price:currency}}", "size": 0.05,
                           "color": "#ffffff", "background": "#000000",
                           "backgroundOpacity": 0.8}}]},
      {"id": "l1", "kind": "image", "name": "Logo",
       "clips": [{"id": "logo", "source": "asset:logo", "start": "0", "duration": "1",
                  "layout": {"mode": "anchor", "anchor": "top-right", "size": 0.15,
                             "margin": 0.06}, "fit": "contain"}]}
    ]
  }
})").object();
}

QJsonObject withClip(QJsonObject project, const QString &clipId,
                     const std::function<void(QJsonObject &)> &change)
{
    QJsonObject timeline = project.value(QStringLiteral("timeline")).toObject();
    QJsonArray tracks = timeline.value(QStringLiteral("tracks")).toArray();
    for (qsizetype t = 0; t < tracks.size(); ++t) {
        QJsonObject track = tracks.at(t).toObject();
        QJsonArray clips = track.value(QStringLiteral("clips")).toArray();
        for (qsizetype i = 0; i < clips.size(); ++i) {
            QJsonObject clip = clips.at(i).toObject();
            if (clip.value(QStringLiteral("id")).toString() == clipId) {
                change(clip);
                clips.replace(i, clip);
            }
        }
        track.insert(QStringLiteral("clips"), clips);
        tracks.replace(t, track);
    }
    timeline.insert(QStringLiteral("tracks"), tracks);
    project.insert(QStringLiteral("timeline"), timeline);
    return project;
}

QJsonObject withText(QJsonObject project, const QString &key, const QJsonValue &value)
{
    return withClip(project, QStringLiteral("headline"), [&](QJsonObject &clip) {
        QJsonObject text = clip.value(QStringLiteral("text")).toObject();
        text.insert(key, value);
        clip.insert(QStringLiteral("text"), text);
    });
}

QJsonObject withBox(QJsonObject project, double x, double y, double w, double h)
{
    return withClip(project, QStringLiteral("headline"), [&](QJsonObject &clip) {
        clip.insert(QStringLiteral("layout"),
                    QJsonObject{{QStringLiteral("mode"), QStringLiteral("box")},
                                {QStringLiteral("box"), QJsonObject{{QStringLiteral("x"), x},
                                                                    {QStringLiteral("y"), y},
                                                                    {QStringLiteral("w"), w},
                                                                    {QStringLiteral("h"), h}}}});
    });
}

QJsonObject withVariable(QJsonObject project, const QString &name, const QString &value)
{
    QJsonArray segments = project.value(QStringLiteral("segments")).toArray();
    QJsonObject seg = segments.at(0).toObject();
    QJsonObject vars = seg.value(QStringLiteral("variables")).toObject();
    if (value.isNull())
        vars.remove(name);
    else
        vars.insert(name, value);
    seg.insert(QStringLiteral("variables"), vars);
    segments.replace(0, seg);
    project.insert(QStringLiteral("segments"), segments);
    return project;
}

QStringList rulesOf(const std::vector<PreflightFinding> &findings, Severity severity)
{
    QStringList rules;
    for (const PreflightFinding &f : findings)
        if (f.severity == severity)
            rules << f.rule;
    return rules;
}

QString describe(const std::vector<PreflightFinding> &findings)
{
    QString s;
    for (const PreflightFinding &f : findings)
        s += f.rule + QLatin1Char('/') + severityName(f.severity) + QLatin1Char(' ') + f.layerId
            + QStringLiteral(": ") + f.message + QLatin1Char('\n');
    return s;
}
}  // namespace

class TestPreflight : public QObject {
    Q_OBJECT
private slots:
    void initTestCase();
    void cleanProjectPasses();
    void eachFaultTriggersItsRule_data();
    void eachFaultTriggersItsRule();
    void lowContrastOverPictureWarns();
    void disclaimerRequiredPerLocale();
    void pseudoLocaleFlagsTightBoxes();
    void fileSizeLimitWarns();
    void samplePasses();
    void sampleFramesKeepTextInSafeZones();
    void cliValidateExitCodesAndJson();
    void cliRenderRefusesFailingCellsUnlessForced();

private:
    std::vector<PreflightFinding> check(const QJsonObject &project, const PreflightOptions &o = {});
    QString writeProject(const QJsonObject &project, const QString &name);

    QTemporaryDir m_dir;
};

void TestPreflight::initTestCase()
{
    QVERIFY(m_dir.isValid());
    QString error;
    QVERIFY2(render::loadRenderFonts(&error), qPrintable(error));
    QVERIFY(QDir(m_dir.path()).mkpath(QStringLiteral("media")));
    QImage bg(320, 320, QImage::Format_RGB32);
    bg.fill(QColor(30, 40, 60));
    QVERIFY(bg.save(m_dir.filePath(QStringLiteral("media/bg.png"))));
    QImage white(320, 320, QImage::Format_RGB32);
    white.fill(QColor(250, 250, 250));
    QVERIFY(white.save(m_dir.filePath(QStringLiteral("media/white.png"))));
    QImage logo(200, 100, QImage::Format_ARGB32);
    logo.fill(QColor(255, 90, 31));
    QVERIFY(logo.save(m_dir.filePath(QStringLiteral("media/logo.png"))));
}

std::vector<PreflightFinding> TestPreflight::check(const QJsonObject &project,
                                                   const PreflightOptions &options)
{
    const editor::LoadResult loaded =
        editor::parseCampaign(QJsonDocument(project).toJson(), m_dir.path());
    if (!loaded.campaign) {
        qWarning("%s", qPrintable(loaded.message));
        return {{QStringLiteral("load-failed"), Severity::Blocking, {}, {}, {}, loaded.message}};
    }
    return runPreflight(*loaded.campaign, options).findings;
}

QString TestPreflight::writeProject(const QJsonObject &project, const QString &name)
{
    const QString path = m_dir.filePath(name);
    clitest::writeAll(path, QJsonDocument(project).toJson());
    return path;
}

void TestPreflight::cleanProjectPasses()
{
    const std::vector<PreflightFinding> findings = check(baseProject());
    QVERIFY2(findings.empty(), qPrintable(describe(findings)));
}

void TestPreflight::eachFaultTriggersItsRule_data()
{
    QTest::addColumn<QJsonObject>("project");
    QTest::addColumn<QString>("rule");
    QTest::addColumn<QString>("layer");
    const QJsonObject base = baseProject();
    QTest::newRow("overflow") << withVariable(base, QStringLiteral("headline"), kLongGerman)
                              << "text-overflow" << "headline";
    QTest::newRow("safe zone") << withBox(base, 0.1, 0.82, 0.8, 0.16) << "text-safe-zone"
                               << "headline";
    QTest::newRow("min size") << withText(base, QStringLiteral("size"), 0.015) << "text-min-size"
                              << "headline";
    QJsonObject grey = withText(base, QStringLiteral("color"), QStringLiteral("#777777"));
    grey = withText(grey, QStringLiteral("background"), QStringLiteral("#5a5a5a"));
    grey = withText(grey, QStringLiteral("backgroundOpacity"), 1.0);
    QTest::newRow("contrast") << grey << "text-contrast" << "headline";
    QTest::newRow("logo clear space") << withBox(base, 0.45, 0.14, 0.45, 0.16)
                                      << "logo-clear-space" << "headline";
    QJsonObject longTimeline = base;
    QJsonObject timeline = longTimeline.value(QStringLiteral("timeline")).toObject();
    timeline.insert(QStringLiteral("duration"), QStringLiteral("61"));
    longTimeline.insert(QStringLiteral("timeline"), timeline);
    QTest::newRow("duration") << longTimeline << "duration-limit" << "";
    QJsonObject offline = base;
    offline.insert(QStringLiteral("assets"),
                   QJsonArray{QJsonObject{{QStringLiteral("id"), QStringLiteral("bg")},
                                          {QStringLiteral("kind"), QStringLiteral("image")},
                                          {QStringLiteral("path"), QStringLiteral("media/gone.png")}},
                              QJsonObject{{QStringLiteral("id"), QStringLiteral("logo")},
                                          {QStringLiteral("kind"), QStringLiteral("image")},
                                          {QStringLiteral("path"), QStringLiteral("media/logo.png")}}});
    QTest::newRow("offline media") << offline << "media-missing" << "";
    QTest::newRow("unresolved slot") << withVariable(base, QStringLiteral("headline"), QString())
                                     << "unresolved-slot" << "headline";
    QTest::newRow("price format") << withVariable(base, QStringLiteral("price"), QStringLiteral("89,95"))
                                  << "slot-format" << "headline";
}

void TestPreflight::eachFaultTriggersItsRule()
{
    QFETCH(QJsonObject, project);
    QFETCH(QString, rule);
    QFETCH(QString, layer);
    const std::vector<PreflightFinding> findings = check(project);
    const QStringList blocking = rulesOf(findings, Severity::Blocking);
    QVERIFY2(blocking.contains(rule), qPrintable(describe(findings)));
    // Each fault trips its own rule and no unrelated one.
    QVERIFY2(blocking.count(rule) == blocking.size() || rule == QLatin1String("media-missing"),
             qPrintable(describe(findings)));
    for (const PreflightFinding &f : findings) {
        if (f.rule != rule)
            continue;
        QCOMPARE(f.cell(), QStringLiteral("de/1x1"));
        QCOMPARE(f.layerId, layer);
        QVERIFY(!f.message.isEmpty());
    }
}

void TestPreflight::lowContrastOverPictureWarns()
{
    // White text with no box over a white picture: measured on the rendered frame, a warning
    // (the mean colour is an estimate), not a blocking finding.
    QJsonObject project = withText(baseProject(), QStringLiteral("backgroundOpacity"), 0.0);
    project = withClip(project, QStringLiteral("bg"), [](QJsonObject &clip) {
        clip.insert(QStringLiteral("source"), QStringLiteral("asset:white"));
    });
    QJsonArray assets = project.value(QStringLiteral("assets")).toArray();
    assets.append(QJsonObject{{QStringLiteral("id"), QStringLiteral("white")},
                              {QStringLiteral("kind"), QStringLiteral("image")},
                              {QStringLiteral("path"), QStringLiteral("media/white.png")}});
    project.insert(QStringLiteral("assets"), assets);
    std::vector<PreflightFinding> findings = check(project);
    QVERIFY2(rulesOf(findings, Severity::Warning) == QStringList{QStringLiteral("text-contrast")},
             qPrintable(describe(findings)));
    QVERIFY(rulesOf(findings, Severity::Blocking).isEmpty());
    // Without pixel sampling there is nothing to measure against.
    PreflightOptions noPixels;
    noPixels.samplePixels = false;
    QVERIFY(check(project, noPixels).empty());
    // The same text over the dark picture is fine.
    project = withClip(project, QStringLiteral("bg"), [](QJsonObject &clip) {
        clip.insert(QStringLiteral("source"), QStringLiteral("asset:bg"));
    });
    findings = check(project);
    QVERIFY2(findings.empty(), qPrintable(describe(findings)));
}

void TestPreflight::disclaimerRequiredPerLocale()
{
    QJsonObject project = baseProject();
    QJsonObject brand = project.value(QStringLiteral("brandKit")).toObject();
    brand.insert(QStringLiteral("disclaimers"),
                 QJsonObject{{QStringLiteral("de"), QStringLiteral("Angebot gültig bis 31.10.")},
                             {QStringLiteral("sv_SE"), QStringLiteral("Gäller t.o.m. 31/10")}});
    project.insert(QStringLiteral("brandKit"), brand);
    std::vector<PreflightFinding> findings = check(project);
    QCOMPARE(rulesOf(findings, Severity::Blocking), QStringList{QStringLiteral("disclaimer-missing")});
    QVERIFY(findings.front().message.contains(QStringLiteral("Angebot gültig bis 31.10.")));

    // Shown through a {{disclaimer}} slot of the segment: passes.
    project = withVariable(project, QStringLiteral("disclaimer"), QStringLiteral("Angebot gültig bis 31.10."));
    project = withText(project, QStringLiteral("text"),
                       QStringLiteral("{{headline}} · {{price:currency}} {{disclaimer}}"));
    findings = check(project);
    QVERIFY2(findings.empty(), qPrintable(describe(findings)));
}

void TestPreflight::pseudoLocaleFlagsTightBoxes()
{
    // A box that fits its copy snugly: fine as it is, overflowing once translated-length copy
    // is laid out in it.
    QJsonObject project = withBox(baseProject(), 0.1, 0.6, 0.62, 0.11);
    QVERIFY2(check(project).empty(), qPrintable(describe(check(project))));
    PreflightOptions pseudo;
    pseudo.pseudoLocale = true;
    const std::vector<PreflightFinding> findings = check(project, pseudo);
    QVERIFY2(!findings.empty(), "pseudo-localised copy should not fit");
    for (const PreflightFinding &f : findings) {
        QVERIFY(f.pseudo);
        QCOMPARE(f.severity, Severity::Warning);
        QCOMPARE(f.layerId, QStringLiteral("headline"));
    }
    const QString text = QStringLiteral("Jetzt entdecken");
    const QString p = pseudoLocalize(text);
    QVERIFY(p.size() >= text.size() * 1.4);
    bool hasRtl = false;
    for (QChar c : p)
        hasRtl = hasRtl || c.direction() == QChar::DirAL;
    QVERIFY(hasRtl);
    QVERIFY(!p.isRightToLeft());  // the paragraph keeps the source's direction
    QCOMPARE(pseudoLocalize(text), p);  // deterministic
}

void TestPreflight::fileSizeLimitWarns()
{
    const editor::LoadResult loaded =
        editor::parseCampaign(QJsonDocument(baseProject()).toJson(), m_dir.path());
    QVERIFY2(loaded.campaign, qPrintable(loaded.message));
    editor::Campaign c = *loaded.campaign;
    // The bundled presets carry the platforms' limits, far above a 15 s variant.
    for (const editor::FormatPreset &f : c.formats)
        QVERIFY2(f.maxFileBytes >= qint64(500) * 1024 * 1024, qPrintable(f.id));
    QVERIFY(rulesOf(runPreflight(c).findings, Severity::Warning).count(QStringLiteral("file-size-limit")) == 0);
    // A placement that takes at most 1 MB: every cell of that format warns, naming the limit.
    c.formats.front().maxFileBytes = 1024 * 1024;
    const std::vector<PreflightFinding> findings = runPreflight(c).findings;
    int flagged = 0;
    for (const PreflightFinding &f : findings) {
        if (f.rule != QLatin1String("file-size-limit"))
            continue;
        ++flagged;
        QCOMPARE(f.severity, Severity::Warning);
        QVERIFY(f.cell().endsWith(QLatin1Char('/') + c.formats.front().id));
        QVERIFY2(f.message.contains(QStringLiteral("1 MB")), qPrintable(f.message));
    }
    QCOMPARE(flagged, int(c.segments.size()));
}

void TestPreflight::samplePasses()
{
    const editor::LoadResult loaded =
        editor::loadCampaign(clitest::kGeneratedSample + QStringLiteral("/stride.campaign"));
    QVERIFY2(loaded.campaign, qPrintable(loaded.message));
    const PreflightReport report = runPreflight(*loaded.campaign);
    QCOMPARE(report.cellsChecked, 16);
    QVERIFY2(!report.hasBlocking(), qPrintable(report.toText()));
}

void TestPreflight::sampleFramesKeepTextInSafeZones()
{
    // The frame at 12 s shows the headline and the CTA over the product shot. Inked text
    // pixels (near-white, inside a text layer's rect) must all lie inside the safe zone.
    const editor::LoadResult loaded =
        editor::loadCampaign(clitest::kGeneratedSample + QStringLiteral("/stride.campaign"));
    QVERIFY2(loaded.campaign, qPrintable(loaded.message));
    for (const editor::Segment &s : loaded.campaign->segments) {
        for (const editor::FormatPreset &f : loaded.campaign->formats) {
            const editor::ResolveResult r = editor::resolveVariant(*loaded.campaign, s.id, f.id);
            QVERIFY2(r.composition, qPrintable(r.errors.join(u'\n')));
            render::FrameRenderer renderer(*r.composition);
            render::RenderError error;
            const QImage frame = renderer.renderFrame(12 * 30, &error);
            QVERIFY2(!frame.isNull(), qPrintable(error.message));
            if (const QByteArray dir = qgetenv("CAMPAIGN_RENDER_DUMP"); !dir.isEmpty())
                frame.save(QDir(QString::fromLocal8Bit(dir)).filePath(s.id + QLatin1Char('-') + f.id + QStringLiteral(".png")));
            const QRectF safe(f.safeLeft * f.width, f.safeTop * f.height,
                              f.width * (1 - f.safeLeft - f.safeRight),
                              f.height * (1 - f.safeTop - f.safeBottom));
            int inkInside = 0;
            for (const render::Layer &l : r.composition->layers) {
                if (l.kind != render::LayerKind::Text)
                    continue;
                const QRect rect = l.rect.toAlignedRect().intersected(frame.rect());
                for (int y = rect.top(); y <= rect.bottom(); ++y)
                    for (int x = rect.left(); x <= rect.right(); ++x)
                        if (qGray(frame.pixel(x, y)) > 235) {
                            QVERIFY2(safe.contains(QPointF(x + 0.5, y + 0.5)),
                                     qPrintable(QStringLiteral("%1/%2 ink at %3,%4").arg(s.id, f.id).arg(x).arg(y)));
                            ++inkInside;
                        }
            }
            QVERIFY2(inkInside > 500, qPrintable(QStringLiteral("%1/%2: %3 text pixels")
                                                     .arg(s.id, f.id).arg(inkInside)));
        }
    }
}

void TestPreflight::cliValidateExitCodesAndJson()
{
    const QString sample = clitest::kGeneratedSample + QStringLiteral("/stride.campaign");
    clitest::CliRun run = runCli({QStringLiteral("validate"), QStringLiteral("--json"), sample});
    QVERIFY2(run.finished && run.code == 0, clitest::describe(run));
    QJsonObject report = QJsonDocument::fromJson(run.out).object();
    QCOMPARE(report.value(QStringLiteral("cellsChecked")).toInt(), 16);
    QCOMPARE(report.value(QStringLiteral("blocking")).toInt(), 0);
    QVERIFY(report.contains(QStringLiteral("findings")));

    QJsonObject failing = withBox(baseProject(), 0.1, 0.82, 0.8, 0.16);
    failing = withText(failing, QStringLiteral("size"), 0.015);
    const QString failingPath = writeProject(failing, QStringLiteral("failing.campaign"));
    run = runCli({QStringLiteral("validate"), QStringLiteral("--json"), failingPath});
    QVERIFY2(run.finished && run.code == 1, clitest::describe(run));
    report = QJsonDocument::fromJson(run.out).object();
    QCOMPARE(report.value(QStringLiteral("cellsChecked")).toInt(), 1);
    QStringList rules;
    for (const QJsonValue &v : report.value(QStringLiteral("findings")).toArray()) {
        const QJsonObject f = v.toObject();
        rules << f.value(QStringLiteral("rule")).toString();
        for (const char *key : {"rule", "severity", "segment", "format", "layer", "message", "pseudo"})
            QVERIFY2(f.contains(QLatin1String(key)), key);
        QCOMPARE(f.value(QStringLiteral("severity")).toString(), QStringLiteral("blocking"));
    }
    QVERIFY2(rules.contains(QStringLiteral("text-safe-zone")) && rules.contains(QStringLiteral("text-min-size")),
             qPrintable(rules.join(u',')));

    run = runCli({QStringLiteral("validate"), failingPath});
    QCOMPARE(run.code, 1);
    QVERIFY(run.out.contains("BLOCKING  de/1x1  text-safe-zone"));

    run = runCli({QStringLiteral("validate"), QStringLiteral("--format"), QStringLiteral("nope"), failingPath});
    QVERIFY2(run.code == 2, clitest::describe(run));
    run = runCli({QStringLiteral("validate"), m_dir.filePath(QStringLiteral("absent.campaign"))});
    QVERIFY2(run.code == 66, clitest::describe(run));

    // Pseudo-locale findings are warnings: the clean project still exits 0.
    const QString tight = writeProject(withBox(baseProject(), 0.1, 0.6, 0.62, 0.11),
                                       QStringLiteral("tight.campaign"));
    run = runCli({QStringLiteral("validate"), QStringLiteral("--pseudo-locale"), QStringLiteral("--json"), tight});
    QVERIFY2(run.code == 0, clitest::describe(run));
    report = QJsonDocument::fromJson(run.out).object();
    QVERIFY(report.value(QStringLiteral("warnings")).toInt() > 0);
    QVERIFY(report.value(QStringLiteral("findings")).toArray().at(0).toObject()
                .value(QStringLiteral("pseudo")).toBool());
}

void TestPreflight::cliRenderRefusesFailingCellsUnlessForced()
{
    // Two segments; only "long" overflows its box.
    QJsonObject project = baseProject();
    QJsonArray segments = project.value(QStringLiteral("segments")).toArray();
    QJsonObject second = segments.at(0).toObject();
    second.insert(QStringLiteral("id"), QStringLiteral("long"));
    second.insert(QStringLiteral("variables"),
                  QJsonObject{{QStringLiteral("headline"), kLongGerman},
                              {QStringLiteral("price"), QStringLiteral("89.95")}});
    segments.append(second);
    project.insert(QStringLiteral("segments"), segments);
    const QString path = writeProject(project, QStringLiteral("render.campaign"));
    const QString out = m_dir.filePath(QStringLiteral("renders"));

    clitest::CliRun run = runCli({QStringLiteral("render"), QStringLiteral("--progress"),
                                  QStringLiteral("jsonl"), QStringLiteral("--out"), out, path});
    QVERIFY2(run.finished && run.code == 1, clitest::describe(run));
    const QMap<QString, QString> statuses = clitest::doneStatuses(run.out);
    QCOMPARE(statuses.value(QStringLiteral("de/1x1")), QStringLiteral("ok"));
    QCOMPARE(statuses.value(QStringLiteral("long/1x1")), QStringLiteral("failed"));
    QVERIFY2(run.out.contains("preflight_failed") && run.out.contains("text-overflow"),
             clitest::describe(run));
    QStringList files = clitest::allFiles(out);
    QVERIFY2(files.filter(QStringLiteral("1x1.mp4")).size() == 1, qPrintable(files.join(u'\n')));
    QVERIFY(files.filter(QStringLiteral("long")).isEmpty());

    run = runCli({QStringLiteral("render"), QStringLiteral("--force"), QStringLiteral("--progress"),
                  QStringLiteral("jsonl"), QStringLiteral("--out"), out, path});
    QVERIFY2(run.finished && run.code == 0, clitest::describe(run));
    QCOMPARE(clitest::doneStatuses(run.out).value(QStringLiteral("long/1x1")), QStringLiteral("ok"));
    QVERIFY(run.err.contains("fails preflight, rendered anyway"));
    files = clitest::allFiles(out);
    QCOMPARE(files.filter(QStringLiteral("1x1.mp4")).size(), 2);
}

QTEST_MAIN(TestPreflight)
#include "tst_preflight.moc"
