// SPDX-License-Identifier: GPL-3.0-or-later
#include "editor/project_io.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTemporaryDir>
#include <QtTest>

#include <csignal>
#include <functional>
#include <sys/resource.h>
#include <unistd.h>

using namespace editor;

namespace {

const QString kSample = QStringLiteral(CAMPAIGN_SOURCE_DIR "/resources/samples/stride/stride.campaign");

QJsonObject sampleJson()
{
    QFile f(kSample);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return QJsonDocument::fromJson(f.readAll()).object();
}

QStringList issuePaths(const LoadResult &r)
{
    QStringList paths;
    for (const LoadIssue &i : r.issues)
        paths << i.jsonPath;
    return paths;
}

QString issueAt(const LoadResult &r, const QString &path)
{
    for (const LoadIssue &i : r.issues)
        if (i.jsonPath == path)
            return i.message;
    return {};
}

// Edits a JSON value addressed by a list of keys / indices.
using Mutator = std::function<void(QJsonObject &)>;

QJsonObject clipsTrack(QJsonObject &root, int track, const std::function<void(QJsonArray &)> &edit)
{
    QJsonObject timeline = root.value(QStringLiteral("timeline")).toObject();
    QJsonArray tracks = timeline.value(QStringLiteral("tracks")).toArray();
    QJsonObject t = tracks.at(track).toObject();
    QJsonArray clips = t.value(QStringLiteral("clips")).toArray();
    edit(clips);
    t.insert(QStringLiteral("clips"), clips);
    tracks.replace(track, t);
    timeline.insert(QStringLiteral("tracks"), tracks);
    root.insert(QStringLiteral("timeline"), timeline);
    return root;
}

void setClipField(QJsonObject &root, int track, int clip, const QString &key, const QJsonValue &v)
{
    clipsTrack(root, track, [&](QJsonArray &clips) {
        QJsonObject c = clips.at(clip).toObject();
        c.insert(key, v);
        clips.replace(clip, c);
    });
}

void setInArray(QJsonObject &root, const QString &array, int index, const QString &key,
                const QJsonValue &v)
{
    QJsonArray a = root.value(array).toArray();
    QJsonObject o = a.at(index).toObject();
    o.insert(key, v);
    a.replace(index, o);
    root.insert(array, a);
}

void setObjectField(QJsonObject &root, const QString &object, const QString &key, const QJsonValue &v)
{
    QJsonObject o = root.value(object).toObject();
    o.insert(key, v);
    root.insert(object, o);
}

LoadResult parseMutated(const Mutator &mutate)
{
    QJsonObject root = sampleJson();
    mutate(root);
    return parseCampaign(QJsonDocument(root).toJson(), QFileInfo(kSample).absolutePath());
}

}  // namespace

class TestProjectIo : public QObject {
    Q_OBJECT
private slots:
    void presetsAreCompiledIn();
    void sampleLoadsCleanly();
    void loadSaveLoadIsEqual();
    void saveLoadSaveIsByteIdentical();
    void savedFileKeepsSchemaOrder();
    void formatAiLabelOverride();
    void pathsRelativeOnDiskAbsoluteInMemory();
    void validation_data();
    void validation();
    void everyProblemIsReported();
    void otherSchemaVersionStopsEarly();
    void integerTimesAccepted();
    void jsonSyntaxErrorHasLineAndColumn();
    void missingFile();
    void directoryIsUnreadable();
    void tooLargeFileRefused();
    void saveIntoMissingDirectoryFails();
    void failedSaveLeavesOldFileIntact();
    void numbersAreLocaleIndependent();
    void reframeRoundTrips();
};

void TestProjectIo::presetsAreCompiledIn()
{
    const auto &presets = builtinFormatPresets();
    QCOMPARE(presets.size(), std::size_t(4));
    QCOMPARE(presets[0].id, QStringLiteral("9x16"));
    QCOMPARE(presets[0].width, 1080);
    QCOMPARE(presets[0].height, 1920);
    QCOMPARE(presets[0].fps, Rational(30));
    QCOMPARE(presets[0].safeBottom, 0.20);
    QCOMPARE(presets[3].id, QStringLiteral("16x9"));
    QCOMPARE(presets[3].width, 1920);
}

void TestProjectIo::sampleLoadsCleanly()
{
    const LoadResult r = loadCampaign(kSample);
    QVERIFY2(r.issues.empty(), qPrintable(r.issues.empty() ? QString() : r.issues[0].toString()));
    QCOMPARE(r.status, LoadResult::Status::Ok);
    QVERIFY(r.campaign);
    const Campaign &c = *r.campaign;
    QCOMPARE(c.name, QStringLiteral("Stride Autumn Drop"));
    QCOMPARE(c.segments.size(), std::size_t(4));
    QCOMPARE(c.segments[3].id, QStringLiteral("ae-trail"));
    QCOMPARE(c.segments[0].interests.size(), 3);
    QCOMPARE(c.formats.size(), std::size_t(4));
    QCOMPARE(c.formats[2].height, 1350);
    QCOMPARE(c.generationRequests.size(), std::size_t(4));
    QCOMPARE(c.generationRequests[1].duration, Rational(6));
    QVERIFY(!c.generationRequests[1].perSegment);
    QCOMPARE(c.timeline.tracks.size(), std::size_t(4));
    QCOMPARE(c.timeline.tracks[0].clips[0].duration, Rational(11, 2));
    QVERIFY(c.timeline.tracks[0].clips[0].kenBurns.enabled);
    QCOMPARE(c.timeline.tracks[0].clips[0].kenBurns.endScale, 1.15);
    QCOMPARE(c.timeline.tracks[1].clips[0].text.backgroundOpacity, 0.55);
    QCOMPARE(c.timeline.tracks[2].clips[0].layout.mode, ClipLayout::Mode::Anchor);
    QCOMPARE(c.timeline.tracks[3].clips[0].gain, 0.8);
    QCOMPARE(c.brand.colors.value(QStringLiteral("primary")), QColor(0xff, 0x5a, 0x1f));
    const QString logo = QFileInfo(kSample).absolutePath() + QStringLiteral("/logo.svg");
    QCOMPARE(c.asset(QStringLiteral("logo"))->path, QDir::cleanPath(logo));
}

void TestProjectIo::loadSaveLoadIsEqual()
{
    const LoadResult first = loadCampaign(kSample);
    QVERIFY(first.campaign);
    QTemporaryDir dir;
    const QString file = dir.filePath(QStringLiteral("copy.campaign"));
    QString error;
    QVERIFY2(saveCampaign(*first.campaign, file, &error), qPrintable(error));
    const LoadResult second = loadCampaign(file);
    QVERIFY2(second.campaign, qPrintable(second.issues.empty() ? second.message
                                                                 : second.issues[0].toString()));
    QVERIFY(*second.campaign == *first.campaign);
}

void TestProjectIo::saveLoadSaveIsByteIdentical()
{
    const LoadResult loaded = loadCampaign(kSample);
    QVERIFY(loaded.campaign);
    const QString dir = QFileInfo(kSample).absolutePath();
    const QByteArray once = serializeCampaign(*loaded.campaign, dir);
    const LoadResult again = parseCampaign(once, dir);
    QVERIFY(again.campaign);
    const QByteArray twice = serializeCampaign(*again.campaign, dir);
    QCOMPARE(twice, once);
}

// A format entry may be {"id", "aiLabel"} to switch the preset's visible AI label for this
// project; it round-trips, other formats stay plain ids, and bad entries name their path.
void TestProjectIo::formatAiLabelOverride()
{
    const QString dir = QFileInfo(kSample).absolutePath();
    QJsonObject root = sampleJson();
    QJsonArray formats = root.value(QStringLiteral("formats")).toArray();
    QCOMPARE(formats.at(0).toString(), QStringLiteral("9x16"));
    formats.replace(0, QJsonObject{{QStringLiteral("id"), QStringLiteral("9x16")},
                                   {QStringLiteral("aiLabel"), true}});
    root.insert(QStringLiteral("formats"), formats);
    const LoadResult loaded = parseCampaign(QJsonDocument(root).toJson(), dir);
    QVERIFY2(loaded.campaign, qPrintable(loaded.message));
    QVERIFY(loaded.campaign->format(QStringLiteral("9x16"))->aiLabel);
    QVERIFY(!loaded.campaign->format(QStringLiteral("1x1"))->aiLabel);
    const QByteArray once = serializeCampaign(*loaded.campaign, dir);
    QVERIFY(once.contains("{\"id\": \"9x16\", \"aiLabel\": true}"));
    QVERIFY(once.contains("\"1x1\""));
    const LoadResult again = parseCampaign(once, dir);
    QVERIFY(again.campaign);
    QVERIFY(again.campaign->format(QStringLiteral("9x16"))->aiLabel);
    QCOMPARE(serializeCampaign(*again.campaign, dir), once);

    formats.replace(0, QJsonObject{{QStringLiteral("id"), QStringLiteral("9x16")},
                                   {QStringLiteral("aiLabel"), QStringLiteral("yes")},
                                   {QStringLiteral("label"), true}});
    root.insert(QStringLiteral("formats"), formats);
    const LoadResult bad = parseCampaign(QJsonDocument(root).toJson(), dir);
    QVERIFY(!bad.campaign);
    QVERIFY2(!issueAt(bad, QStringLiteral("$.formats[0].aiLabel")).isEmpty(),
             qPrintable(issuePaths(bad).join(QLatin1Char(' '))));
    QVERIFY2(!issueAt(bad, QStringLiteral("$.formats[0].label")).isEmpty(),
             qPrintable(issuePaths(bad).join(QLatin1Char(' '))));
}

void TestProjectIo::savedFileKeepsSchemaOrder()
{
    const LoadResult loaded = loadCampaign(kSample);
    QVERIFY(loaded.campaign);
    const QByteArray out = serializeCampaign(*loaded.campaign, QFileInfo(kSample).absolutePath());
    QVERIFY(out.startsWith("{\n  \"schemaVersion\": 1,\n  \"id\": "));
    QVERIFY(out.indexOf("\"segments\"") < out.indexOf("\"timeline\""));
    QVERIFY(out.contains("\"duration\": \"11/2\""));
    QVERIFY(out.contains("\"path\": \"logo.svg\""));
    QVERIFY(out.contains("\"box\": {\"x\": 0.06, \"y\": 0.62, \"w\": 0.82, \"h\": 0.14}"));
    QVERIFY(out.contains("Spring förbi stan"));  // UTF-8, not \u escapes
}

void TestProjectIo::pathsRelativeOnDiskAbsoluteInMemory()
{
    QTemporaryDir tmp;
    QVERIFY(tmp.isValid());
    const QString projA = tmp.filePath(QStringLiteral("a"));
    QVERIFY(QDir().mkpath(projA + QStringLiteral("/media")));
    QVERIFY(QDir().mkpath(tmp.filePath(QStringLiteral("shared"))));

    LoadResult loaded = loadCampaign(kSample);
    QVERIFY(loaded.campaign);
    Campaign c = *loaded.campaign;
    c.asset(QStringLiteral("logo"))->path = projA + QStringLiteral("/media/logo.svg");
    c.assets.push_back(Asset{QStringLiteral("shared-bg"), AssetKind::Image,
                             tmp.filePath(QStringLiteral("shared/bg.png")), std::nullopt});
    const QString fileA = projA + QStringLiteral("/p.campaign");
    QString error;
    QVERIFY2(saveCampaign(c, fileA, &error), qPrintable(error));
    QFile written(fileA);
    QVERIFY(written.open(QIODevice::ReadOnly));
    const QByteArray bytes = written.readAll();
    QVERIFY(bytes.contains("\"path\": \"media/logo.svg\""));
    QVERIFY(bytes.contains("\"path\": \"../shared/bg.png\""));
    QVERIFY(!bytes.contains(tmp.path().toUtf8()));

    // Move the project folder: paths follow the project file.
    const QString projB = tmp.filePath(QStringLiteral("moved/b"));
    QVERIFY(QDir().mkpath(tmp.filePath(QStringLiteral("moved"))));
    QVERIFY(QDir().rename(projA, projB));
    const LoadResult moved = loadCampaign(projB + QStringLiteral("/p.campaign"));
    QVERIFY(moved.campaign);
    QCOMPARE(moved.campaign->asset(QStringLiteral("logo"))->path,
             projB + QStringLiteral("/media/logo.svg"));
    QCOMPARE(moved.campaign->asset(QStringLiteral("shared-bg"))->path,
             tmp.filePath(QStringLiteral("moved/shared/bg.png")));
    QVERIFY(QFileInfo(moved.campaign->asset(QStringLiteral("logo"))->path).isAbsolute());
}

void TestProjectIo::validation_data()
{
    QTest::addColumn<Mutator>("mutate");
    QTest::addColumn<QString>("path");
    QTest::addColumn<QString>("messagePart");

    QTest::newRow("name not a string")
        << Mutator([](QJsonObject &r) { r.insert(QStringLiteral("name"), 5); })
        << "$.name" << "must be a string, not a number";
    QTest::newRow("variable not a string")
        << Mutator([](QJsonObject &r) {
               QJsonArray segs = r.value(QStringLiteral("segments")).toArray();
               QJsonObject s = segs.at(2).toObject();
               QJsonObject vars = s.value(QStringLiteral("variables")).toObject();
               vars.insert(QStringLiteral("headline"), QJsonArray{1, 2});
               s.insert(QStringLiteral("variables"), vars);
               segs.replace(2, s);
               r.insert(QStringLiteral("segments"), segs);
           })
        << "$.segments[2].variables.headline" << "must be a string";
    QTest::newRow("tracks not an array")
        << Mutator([](QJsonObject &r) { setObjectField(r, QStringLiteral("timeline"), QStringLiteral("tracks"), QStringLiteral("v1")); })
        << "$.timeline.tracks" << "must be an array";
    QTest::newRow("unknown fit")
        << Mutator([](QJsonObject &r) { setClipField(r, 0, 1, QStringLiteral("fit"), QStringLiteral("smrt")); })
        << "$.timeline.tracks[0].clips[1].fit" << "smart";
    QTest::newRow("reframe window outside the source")
        << Mutator([](QJsonObject &r) {
               setClipField(r, 0, 1, QStringLiteral("reframe"),
                            QJsonArray{QJsonObject{
                                {QStringLiteral("asset"), QStringLiteral("run-clip")},
                                {QStringLiteral("format"), QStringLiteral("9x16")},
                                {QStringLiteral("keys"),
                                 QJsonArray{QJsonObject{{QStringLiteral("t"), QStringLiteral("0")},
                                                        {QStringLiteral("x"), 0.8},
                                                        {QStringLiteral("y"), 0.0},
                                                        {QStringLiteral("w"), 0.3},
                                                        {QStringLiteral("h"), 1.0}}}}}});
           })
        << "$.timeline.tracks[0].clips[1].reframe[0].keys[0].w" << "inside the source";
    QTest::newRow("reframe keys out of order")
        << Mutator([](QJsonObject &r) {
               auto key = [](const char *t) {
                   return QJsonObject{{QStringLiteral("t"), QString::fromLatin1(t)},
                                      {QStringLiteral("x"), 0.1}, {QStringLiteral("y"), 0.0},
                                      {QStringLiteral("w"), 0.3}, {QStringLiteral("h"), 1.0}};
               };
               setClipField(r, 0, 1, QStringLiteral("reframe"),
                            QJsonArray{QJsonObject{
                                {QStringLiteral("asset"), QStringLiteral("run-clip")},
                                {QStringLiteral("format"), QStringLiteral("9x16")},
                                {QStringLiteral("mode"), QStringLiteral("manual")},
                                {QStringLiteral("keys"), QJsonArray{key("2"), key("1")}}}});
           })
        << "$.timeline.tracks[0].clips[1].reframe[0].keys[1].t" << "must increase";
    QTest::newRow("reframe on a text clip")
        << Mutator([](QJsonObject &r) { setClipField(r, 1, 0, QStringLiteral("reframe"), QJsonArray{}); })
        << "$.timeline.tracks[1].clips[0].reframe" << "does not apply to text tracks";
    QTest::newRow("negative duration")
        << Mutator([](QJsonObject &r) { setClipField(r, 0, 1, QStringLiteral("duration"), QStringLiteral("-1")); })
        << "$.timeline.tracks[0].clips[1].duration" << "greater than 0";
    QTest::newRow("zero duration")
        << Mutator([](QJsonObject &r) { setClipField(r, 0, 1, QStringLiteral("duration"), QStringLiteral("0")); })
        << "$.timeline.tracks[0].clips[1].duration" << "greater than 0";
    QTest::newRow("absurd duration")
        << Mutator([](QJsonObject &r) { setClipField(r, 0, 1, QStringLiteral("duration"), QStringLiteral("1000000000000")); })
        << "$.timeline.tracks[0].clips[1].duration" << "at most 3600";
    QTest::newRow("absurd numeric duration")
        << Mutator([](QJsonObject &r) { setClipField(r, 0, 1, QStringLiteral("duration"), 1e12); })
        << "$.timeline.tracks[0].clips[1].duration" << "at most 3600";
    QTest::newRow("decimal time")
        << Mutator([](QJsonObject &r) { setClipField(r, 0, 1, QStringLiteral("start"), 5.5); })
        << "$.timeline.tracks[0].clips[1].start" << "a time in seconds";
    QTest::newRow("absurd timeline duration")
        << Mutator([](QJsonObject &r) { setObjectField(r, QStringLiteral("timeline"), QStringLiteral("duration"), QStringLiteral("1000000000000")); })
        << "$.timeline.duration" << "at most 3600";
    QTest::newRow("fps zero")
        << Mutator([](QJsonObject &r) { setObjectField(r, QStringLiteral("timeline"), QStringLiteral("fps"), QStringLiteral("0")); })
        << "$.timeline.fps" << "frame rate";
    QTest::newRow("fps too high")
        << Mutator([](QJsonObject &r) { setObjectField(r, QStringLiteral("timeline"), QStringLiteral("fps"), QStringLiteral("1000")); })
        << "$.timeline.fps" << "at most 240";
    QTest::newRow("fade longer than clip")
        << Mutator([](QJsonObject &r) { setClipField(r, 0, 1, QStringLiteral("transitionIn"), QStringLiteral("7")); })
        << "$.timeline.tracks[0].clips[1].transitionIn" << "longer than the clip";
    QTest::newRow("unknown field top")
        << Mutator([](QJsonObject &r) { r.insert(QStringLiteral("foo"), 1); })
        << "$.foo" << "unknown field 'foo'";
    QTest::newRow("unknown field in clip")
        << Mutator([](QJsonObject &r) { setClipField(r, 1, 0, QStringLiteral("colour"), QStringLiteral("#ffffff")); })
        << "$.timeline.tracks[1].clips[0].colour" << "unknown field 'colour'";
    QTest::newRow("field of another track kind")
        << Mutator([](QJsonObject &r) { setClipField(r, 1, 0, QStringLiteral("gain"), 0.5); })
        << "$.timeline.tracks[1].clips[0].gain" << "does not apply to text tracks";
    QTest::newRow("bad brand colour")
        << Mutator([](QJsonObject &r) {
               QJsonObject brand = r.value(QStringLiteral("brandKit")).toObject();
               QJsonObject colors = brand.value(QStringLiteral("colors")).toObject();
               colors.insert(QStringLiteral("primary"), QStringLiteral("orange"));
               brand.insert(QStringLiteral("colors"), colors);
               r.insert(QStringLiteral("brandKit"), brand);
           })
        << "$.brandKit.colors.primary" << "#rrggbb";
    QTest::newRow("bad text colour")
        << Mutator([](QJsonObject &r) {
               clipsTrack(r, 1, [](QJsonArray &clips) {
                   QJsonObject c = clips.at(1).toObject();
                   QJsonObject t = c.value(QStringLiteral("text")).toObject();
                   t.insert(QStringLiteral("color"), QStringLiteral("#12345"));
                   c.insert(QStringLiteral("text"), t);
                   clips.replace(1, c);
               });
           })
        << "$.timeline.tracks[1].clips[1].text.color" << "#aarrggbb";
    QTest::newRow("duplicate segment id")
        << Mutator([](QJsonObject &r) { setInArray(r, QStringLiteral("segments"), 1, QStringLiteral("id"), QStringLiteral("se-genz")); })
        << "$.segments[1].id" << "duplicate segment id 'se-genz'";
    QTest::newRow("duplicate clip id")
        << Mutator([](QJsonObject &r) { setClipField(r, 1, 1, QStringLiteral("id"), QStringLiteral("hero")); })
        << "$.timeline.tracks[1].clips[1].id" << "duplicate clip id 'hero'";
    QTest::newRow("empty id")
        << Mutator([](QJsonObject &r) { setInArray(r, QStringLiteral("segments"), 1, QStringLiteral("id"), QString()); })
        << "$.segments[1].id" << "must not be empty";
    QTest::newRow("dangling asset source")
        << Mutator([](QJsonObject &r) { setClipField(r, 0, 1, QStringLiteral("source"), QStringLiteral("asset:nope")); })
        << "$.timeline.tracks[0].clips[1].source" << "asset 'nope'";
    QTest::newRow("audio asset on video track")
        << Mutator([](QJsonObject &r) { setClipField(r, 0, 1, QStringLiteral("source"), QStringLiteral("asset:bed")); })
        << "$.timeline.tracks[0].clips[1].source" << "is audio";
    QTest::newRow("malformed source")
        << Mutator([](QJsonObject &r) { setClipField(r, 0, 0, QStringLiteral("source"), QStringLiteral("{{hero image}}")); })
        << "$.timeline.tracks[0].clips[0].source" << "asset:<id>";
    QTest::newRow("dangling brand logo")
        << Mutator([](QJsonObject &r) {
               QJsonObject brand = r.value(QStringLiteral("brandKit")).toObject();
               brand.insert(QStringLiteral("logo"), QStringLiteral("missing-logo"));
               r.insert(QStringLiteral("brandKit"), brand);
           })
        << "$.brandKit.logo" << "asset 'missing-logo'";
    QTest::newRow("dangling request source")
        << Mutator([](QJsonObject &r) { setInArray(r, QStringLiteral("generationRequests"), 1, QStringLiteral("sourceAsset"), QStringLiteral("nope")); })
        << "$.generationRequests[1].sourceAsset" << "asset 'nope'";
    QTest::newRow("shared request sourced from per-segment request")
        << Mutator([](QJsonObject &r) { setInArray(r, QStringLiteral("generationRequests"), 1, QStringLiteral("sourceAsset"), QStringLiteral("hero")); })
        << "$.generationRequests[1].sourceAsset" << "asset 'hero'";
    QTest::newRow("unknown format")
        << Mutator([](QJsonObject &r) { r.insert(QStringLiteral("formats"), QJsonArray{QStringLiteral("9x16"), QStringLiteral("2x3")}); })
        << "$.formats[1]" << "unknown format '2x3'";
    QTest::newRow("width too small")
        << Mutator([](QJsonObject &r) { setInArray(r, QStringLiteral("generationRequests"), 0, QStringLiteral("width"), 8); })
        << "$.generationRequests[0].width" << "from 16 to 8192";
    QTest::newRow("width 1e12")
        << Mutator([](QJsonObject &r) { setInArray(r, QStringLiteral("generationRequests"), 0, QStringLiteral("width"), 1e12); })
        << "$.generationRequests[0].width" << "from 16 to 8192";
    QTest::newRow("seed beyond 2^53")
        << Mutator([](QJsonObject &r) { setInArray(r, QStringLiteral("generationRequests"), 0, QStringLiteral("seed"), qint64(1) << 60); })
        << "$.generationRequests[0].seed" << "whole number";
    QTest::newRow("fractional seed")
        << Mutator([](QJsonObject &r) { setInArray(r, QStringLiteral("generationRequests"), 0, QStringLiteral("seed"), 1.5); })
        << "$.generationRequests[0].seed" << "whole number";
    QTest::newRow("opacity out of range")
        << Mutator([](QJsonObject &r) {
               setClipField(r, 1, 0, QStringLiteral("keyframes"),
                            QJsonObject{{QStringLiteral("opacity"),
                                         QJsonArray{QJsonObject{{QStringLiteral("t"), QStringLiteral("0")},
                                                                {QStringLiteral("v"), 1.5}}}}});
           })
        << "$.timeline.tracks[1].clips[0].keyframes.opacity[0].v" << "from 0 to 1";
    QTest::newRow("scale out of range")
        << Mutator([](QJsonObject &r) {
               QJsonObject kb{{QStringLiteral("from"), QJsonObject{{QStringLiteral("scale"), 0.001}}},
                              {QStringLiteral("to"), QJsonObject{{QStringLiteral("scale"), 1}}}};
               setClipField(r, 0, 0, QStringLiteral("kenBurns"), kb);
           })
        << "$.timeline.tracks[0].clips[0].kenBurns.from.scale" << "from 0.01 to 100";
    QTest::newRow("bad kind")
        << Mutator([](QJsonObject &r) { setInArray(r, QStringLiteral("assets"), 0, QStringLiteral("kind"), QStringLiteral("picture")); })
        << "$.assets[0].kind" << "one of: image, video, audio";
    QTest::newRow("missing required")
        << Mutator([](QJsonObject &r) { r.remove(QStringLiteral("timeline")); })
        << "$.timeline" << "required field is missing";
    QTest::newRow("unsorted clips")
        << Mutator([](QJsonObject &r) { setClipField(r, 0, 2, QStringLiteral("start"), QStringLiteral("1")); })
        << "$.timeline.tracks[0].clips[2].start" << "sorted by start";
    QTest::newRow("unknown locale")
        << Mutator([](QJsonObject &r) {
               QJsonArray segs = r.value(QStringLiteral("segments")).toArray();
               QJsonObject s = segs.at(0).toObject();
               QJsonObject a = s.value(QStringLiteral("attributes")).toObject();
               a.insert(QStringLiteral("locale"), QStringLiteral("xx_QQ"));
               s.insert(QStringLiteral("attributes"), a);
               segs.replace(0, s);
               r.insert(QStringLiteral("segments"), segs);
           })
        << "$.segments[0].attributes.locale" << "unknown locale";
}

void TestProjectIo::validation()
{
    QFETCH(Mutator, mutate);
    QFETCH(QString, path);
    QFETCH(QString, messagePart);
    const LoadResult r = parseMutated(mutate);
    QCOMPARE(r.status, LoadResult::Status::Invalid);
    QVERIFY(!r.campaign);
    QVERIFY2(issuePaths(r).contains(path), qPrintable(issuePaths(r).join(QStringLiteral(" | "))));
    QVERIFY2(issueAt(r, path).contains(messagePart), qPrintable(issueAt(r, path)));
    QCOMPARE(r.issues.size(), std::size_t(1));  // one mistake, one issue: no cascades
}

void TestProjectIo::everyProblemIsReported()
{
    const LoadResult r = parseMutated([](QJsonObject &root) {
        root.insert(QStringLiteral("name"), true);
        root.insert(QStringLiteral("extra"), 1);
        setClipField(root, 0, 1, QStringLiteral("duration"), QStringLiteral("-2"));
        setClipField(root, 3, 0, QStringLiteral("gain"), 100);
    });
    const QStringList paths = issuePaths(r);
    QCOMPARE(paths.size(), 4);
    QVERIFY(paths.contains(QStringLiteral("$.name")));
    QVERIFY(paths.contains(QStringLiteral("$.extra")));
    QVERIFY(paths.contains(QStringLiteral("$.timeline.tracks[0].clips[1].duration")));
    QVERIFY(paths.contains(QStringLiteral("$.timeline.tracks[3].clips[0].gain")));
    QVERIFY(r.message.contains(QStringLiteral("4")));
}

void TestProjectIo::otherSchemaVersionStopsEarly()
{
    const LoadResult r = parseMutated([](QJsonObject &root) {
        root.insert(QStringLiteral("schemaVersion"), 2);
        root.insert(QStringLiteral("newField"), 1);  // not reported: the version decides first
    });
    QCOMPARE(r.status, LoadResult::Status::Invalid);
    QCOMPARE(issuePaths(r), QStringList{QStringLiteral("$.schemaVersion")});
    const QString msg = r.issues[0].message;
    QVERIFY2(msg.contains(QStringLiteral("version 2")), qPrintable(msg));
    QVERIFY2(msg.contains(QStringLiteral("reads version 1")), qPrintable(msg));
    QVERIFY2(msg.contains(QStringLiteral("newer Campaign Studio")), qPrintable(msg));

    const LoadResult text = parseMutated([](QJsonObject &root) {
        root.insert(QStringLiteral("schemaVersion"), QStringLiteral("1"));
    });
    QCOMPARE(issuePaths(text), QStringList{QStringLiteral("$.schemaVersion")});
}

void TestProjectIo::integerTimesAccepted()
{
    const LoadResult r = parseMutated([](QJsonObject &root) {
        setClipField(root, 0, 1, QStringLiteral("duration"), 6);
        setObjectField(root, QStringLiteral("timeline"), QStringLiteral("fps"), 30);
    });
    QVERIFY2(r.campaign, qPrintable(issuePaths(r).join(QLatin1Char(' '))));
    QCOMPARE(r.campaign->timeline.tracks[0].clips[1].duration, Rational(6));
    QCOMPARE(r.campaign->timeline.fps, Rational(30));
}

void TestProjectIo::jsonSyntaxErrorHasLineAndColumn()
{
    const QByteArray json = "{\n  \"schemaVersion\": 1,\n  \"name\" \"x\"\n}\n";
    const LoadResult r = parseCampaign(json, QDir::tempPath());
    QCOMPARE(r.status, LoadResult::Status::Invalid);
    QCOMPARE(r.issues.size(), std::size_t(1));
    QCOMPARE(r.issues[0].jsonPath, QStringLiteral("$"));
    // Qt reports the offset just after the offending token (the '"' at column 10).
    QVERIFY2(r.issues[0].message.contains(QStringLiteral("line 3, column 11")),
             qPrintable(r.issues[0].message));

    // Columns count characters, not UTF-8 bytes: ']' is character 16 (byte 19), reported
    // one past it like above.
    const QByteArray utf8 = "{\"name\": \"åäö\" ]";
    const LoadResult u = parseCampaign(utf8, QDir::tempPath());
    QVERIFY2(u.issues[0].message.contains(QStringLiteral("line 1, column 17")),
             qPrintable(u.issues[0].message));

    const LoadResult notObject = parseCampaign("[1, 2]", QDir::tempPath());
    QCOMPARE(issuePaths(notObject), QStringList{QStringLiteral("$")});
}

void TestProjectIo::missingFile()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("nope.campaign"));
    const LoadResult r = loadCampaign(path);
    QCOMPARE(r.status, LoadResult::Status::FileMissing);
    QVERIFY(!r.campaign);
    QVERIFY2(r.message.contains(QStringLiteral("nope.campaign")), qPrintable(r.message));
}

void TestProjectIo::directoryIsUnreadable()
{
    QTemporaryDir tmp;
    const LoadResult r = loadCampaign(tmp.path());
    QCOMPARE(r.status, LoadResult::Status::FileUnreadable);
    QVERIFY(r.message.contains(QDir::toNativeSeparators(tmp.path())));
}

void TestProjectIo::tooLargeFileRefused()
{
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("huge.campaign"));
    QFile f(path);
    QVERIFY(f.open(QIODevice::WriteOnly));
    QVERIFY(f.resize(kMaxProjectFileBytes + 1));  // sparse: nothing is really written
    f.close();
    const LoadResult r = loadCampaign(path);
    QCOMPARE(r.status, LoadResult::Status::Invalid);
    QVERIFY2(r.message.contains(QStringLiteral("huge.campaign")), qPrintable(r.message));
    QVERIFY2(r.message.contains(QStringLiteral("too large")), qPrintable(r.message));
    QCOMPARE(issuePaths(r), QStringList{QStringLiteral("$")});

    const LoadResult parsed = parseCampaign(QByteArray(kMaxProjectFileBytes + 1, ' '), tmp.path());
    QCOMPARE(parsed.status, LoadResult::Status::Invalid);
    QVERIFY(parsed.issues[0].message.contains(QStringLiteral("16 MiB")));
}

void TestProjectIo::saveIntoMissingDirectoryFails()
{
    const LoadResult loaded = loadCampaign(kSample);
    QVERIFY(loaded.campaign);
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("no/such/dir/p.campaign"));
    QString error;
    QVERIFY(!saveCampaign(*loaded.campaign, path, &error));
    QVERIFY2(error.contains(QStringLiteral("p.campaign")), qPrintable(error));
    QVERIFY(!QFile::exists(path));
}

void TestProjectIo::failedSaveLeavesOldFileIntact()
{
    // Make every write beyond 64 bytes fail (EFBIG), as a full disk would, even for root.
    const LoadResult loaded = loadCampaign(kSample);
    QVERIFY(loaded.campaign);
    QTemporaryDir tmp;
    const QString path = tmp.filePath(QStringLiteral("p.campaign"));
    {
        QFile old(path);
        QVERIFY(old.open(QIODevice::WriteOnly));
        old.write("previous");
    }
    rlimit saved{};
    QVERIFY(::getrlimit(RLIMIT_FSIZE, &saved) == 0);
    const auto oldHandler = std::signal(SIGXFSZ, SIG_IGN);
    rlimit small = saved;
    small.rlim_cur = 64;
    QVERIFY(::setrlimit(RLIMIT_FSIZE, &small) == 0);
    QString error;
    const bool ok = saveCampaign(*loaded.campaign, path, &error);
    ::setrlimit(RLIMIT_FSIZE, &saved);
    std::signal(SIGXFSZ, oldHandler);
    QVERIFY(!ok);
    QVERIFY2(error.contains(QStringLiteral("p.campaign")), qPrintable(error));
    QFile old(path);
    QVERIFY(old.open(QIODevice::ReadOnly));
    QCOMPARE(old.readAll(), QByteArray("previous"));
    QCOMPARE(QDir(tmp.path()).entryList(QDir::Files | QDir::Hidden).size(), 1);  // no temp left
}

void TestProjectIo::numbersAreLocaleIndependent()
{
    const LoadResult loaded = loadCampaign(kSample);
    QVERIFY(loaded.campaign);
    const QString dir = QFileInfo(kSample).absolutePath();
    const QByteArray inC = serializeCampaign(*loaded.campaign, dir);

    const QLocale previous;
    QLocale::setDefault(QLocale(QLocale::German, QLocale::Germany));
    const QByteArray inGerman = serializeCampaign(*loaded.campaign, dir);
    const LoadResult reread = parseCampaign(inGerman, dir);
    QLocale::setDefault(previous);

    QCOMPARE(inGerman, inC);
    QVERIFY(inGerman.contains("\"backgroundOpacity\": 0.55"));
    QVERIFY(!inGerman.contains("0,55"));
    QVERIFY(reread.campaign);
    QCOMPARE(reread.campaign->timeline.tracks[1].clips[0].text.backgroundOpacity, 0.55);
    QVERIFY(*reread.campaign == *loaded.campaign);
}


// Smart fit with crop tracks per (asset, format): written only when present, read back equal,
// and a second save is byte-identical.
void TestProjectIo::reframeRoundTrips()
{
    const LoadResult loaded = loadCampaign(kSample);
    QVERIFY(loaded.campaign);
    Campaign c = *loaded.campaign;
    const QString dir = QFileInfo(kSample).absolutePath();
    // The sample's picture clips are smart but store no crop track: automatic crops are
    // computed from the analysis cache when a cell is rendered or previewed.
    QCOMPARE(c.timeline.tracks[0].clips[1].fit, QStringLiteral("smart"));
    QVERIFY(!serializeCampaign(c, dir).contains("\"reframe\""));

    Clip &run = c.timeline.tracks[0].clips[1];
    run.fit = QStringLiteral("smart");
    ReframeSpec manual;
    manual.assetId = QStringLiteral("run-clip");
    manual.formatId = QStringLiteral("9x16");
    manual.mode = ReframeSpec::Mode::Manual;
    manual.keys = {{Rational(0), QRectF(0.1, 0.0, 0.31640625, 1.0)},
                   {Rational(3, 2), QRectF(0.4, 0.0, 0.31640625, 1.0)}};
    ReframeSpec automatic;
    automatic.assetId = QStringLiteral("run-clip");
    automatic.formatId = QStringLiteral("1x1");
    automatic.keys = {{Rational(0), QRectF(0.2, 0.0, 0.5625, 1.0)}};
    run.reframe = {manual, automatic};

    const QByteArray once = serializeCampaign(c, dir);
    QVERIFY(once.contains("\"fit\": \"smart\""));
    QVERIFY(once.contains("\"mode\": \"manual\""));
    const LoadResult again = parseCampaign(once, dir);
    QVERIFY2(again.campaign, qPrintable(again.issues.empty() ? again.message
                                                               : again.issues[0].toString()));
    const Clip &back = again.campaign->timeline.tracks[0].clips[1];
    QCOMPARE(back.fit, QStringLiteral("smart"));
    QVERIFY(back.reframe == run.reframe);
    QVERIFY(back.reframeFor(QStringLiteral("run-clip"), QStringLiteral("9x16")));
    QCOMPARE(back.reframeFor(QStringLiteral("run-clip"), QStringLiteral("9x16"))->mode,
             ReframeSpec::Mode::Manual);
    QVERIFY(!back.reframeFor(QStringLiteral("run-clip"), QStringLiteral("4x5")));
    QCOMPARE(serializeCampaign(*again.campaign, dir), once);
}

QTEST_GUILESS_MAIN(TestProjectIo)
#include "tst_project_io.moc"
