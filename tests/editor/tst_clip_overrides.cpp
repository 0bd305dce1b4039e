// SPDX-License-Identifier: GPL-3.0-or-later
// Brand kit and layout per format, on the Stride sample: locked layers refuse every edit,
// per-cell overrides survive save/load and reach exactly their cells in resolution, bad
// overrides are reported with their JSON path, and anchored layers sit inside the safe zone.
#include "editor/clip_override.h"
#include "editor/document.h"
#include "editor/generation_plan.h"
#include "editor/project_io.h"
#include "editor/resolve.h"
#include "editor/timeline_edit.h"

#include <QFile>
#include <QImage>
#include <QJsonArray>
#include <QJsonDocument>
#include <QTemporaryDir>
#include <QtTest>

#include <functional>

using namespace editor;

namespace {

const QString kSample = QStringLiteral(CAMPAIGN_SOURCE_DIR "/resources/samples/stride/stride.campaign");

const render::Layer *layer(const render::Composition &c, const QString &id)
{
    for (const render::Layer &l : c.layers)
        if (l.id == id)
            return &l;
    return nullptr;
}

Clip &clipRef(Campaign &c, const QString &id)
{
    const ClipLocation loc = findClip(c.timeline, id);
    Q_ASSERT(loc.isValid());
    return c.timeline.tracks[size_t(loc.track)].clips[size_t(loc.index)];
}

QJsonObject obj(std::initializer_list<QPair<QString, QJsonValue>> list)
{
    return QJsonObject(list);
}

QString issuesText(const LoadResult &r)
{
    QStringList out;
    for (const LoadIssue &i : r.issues)
        out << i.toString();
    return out.join(QLatin1Char('\n'));
}

QString issueAt(const LoadResult &r, const QString &path)
{
    for (const LoadIssue &i : r.issues)
        if (i.jsonPath == path)
            return i.message;
    return {};
}

}  // namespace

class TestClipOverrides : public QObject {
    Q_OBJECT
private:
    Campaign m_sample;     // as loaded
    Campaign m_resolvable; // generation requests expanded, every asset on disk
    QString m_dir;
    QTemporaryDir m_media;

    QByteArray json(const Campaign &c) const { return serializeCampaign(c, m_dir); }

    // The sample's file with `change` applied to clip `clipIndex` of track `track`.
    LoadResult parseWithClip(int track, int clipIndex, const std::function<void(QJsonObject &)> &change)
    {
        QFile f(kSample);
        if (!f.open(QIODevice::ReadOnly))
            return {};
        QJsonObject root = QJsonDocument::fromJson(f.readAll()).object();
        QJsonObject timeline = root.value(QStringLiteral("timeline")).toObject();
        QJsonArray tracks = timeline.value(QStringLiteral("tracks")).toArray();
        QJsonObject t = tracks.at(track).toObject();
        QJsonArray clips = t.value(QStringLiteral("clips")).toArray();
        QJsonObject c = clips.at(clipIndex).toObject();
        change(c);
        clips.replace(clipIndex, c);
        t.insert(QStringLiteral("clips"), clips);
        tracks.replace(track, t);
        timeline.insert(QStringLiteral("tracks"), tracks);
        root.insert(QStringLiteral("timeline"), timeline);
        return parseCampaign(QJsonDocument(root).toJson(), m_dir);
    }

private slots:
    void initTestCase()
    {
        LoadResult loaded = loadCampaign(kSample);
        QVERIFY2(loaded.campaign, qPrintable(issuesText(loaded)));
        m_sample = *loaded.campaign;
        m_dir = QFileInfo(kSample).absolutePath();
        QVERIFY(m_media.isValid());
        m_resolvable = m_sample;
        expandGenerationRequests(m_resolvable);
        for (Asset &a : m_resolvable.assets) {
            if (!a.path.isEmpty())
                continue;
            a.path = m_media.filePath(a.id + (a.kind == AssetKind::Image ? QStringLiteral(".png")
                                              : a.kind == AssetKind::Video ? QStringLiteral(".mp4")
                                                                           : QStringLiteral(".wav")));
            QImage img(8, 8, QImage::Format_RGB32);
            img.fill(Qt::red);
            if (a.kind == AssetKind::Image) {
                QVERIFY(img.save(a.path));
            } else {
                QFile f(a.path);
                QVERIFY(f.open(QIODevice::WriteOnly) && f.write("x") == 1);
            }
        }
    }

    // ---- locked layers -----------------------------------------------------------------

    void sampleLogoIsLocked()
    {
        QVERIFY(clipById(m_sample.timeline, QStringLiteral("logo"))->locked);
        QVERIFY(!clipById(m_sample.timeline, QStringLiteral("hero"))->locked);
        QVERIFY(checkConsistency(m_sample, m_dir).isEmpty());
    }

    void lockedClipRefusesEveryEdit()
    {
        const QByteArray before = json(m_sample);
        const QString logo = QStringLiteral("logo");
        const Rational t0(0), one(1);
        const std::vector<std::pair<const char *, std::function<bool(Timeline &)>>> edits{
            {"move", [&](Timeline &tl) { return moveClip(tl, logo, 2, one); }},
            {"move to another track", [&](Timeline &tl) { return moveClip(tl, logo, 0, t0); }},
            {"trim start", [&](Timeline &tl) { return trimStart(tl, logo, one); }},
            {"trim end", [&](Timeline &tl) { return trimEnd(tl, logo, Rational(10)); }},
            {"split", [&](Timeline &tl) { return splitClip(tl, logo, Rational(5)); }},
            {"delete", [&](Timeline &tl) { return removeClip(tl, logo); }},
            {"ripple delete", [&](Timeline &tl) { return rippleDelete(tl, logo); }},
            {"crossfade", [&](Timeline &tl) { return setTransitionIn(tl, logo, one); }},
            {"set keyframe",
             [&](Timeline &tl) { return setKeyframe(tl, logo, KeyProperty::Opacity, t0, 0.5); }},
        };
        for (const auto &[name, edit] : edits) {
            Campaign c = m_sample;
            QVERIFY2(!edit(c.timeline), name);
            QVERIFY2(json(c) == before, name);
        }
        // Property edits in any scope, and the resets, refuse it too.
        for (OverrideScope scope : {OverrideScope::Master, OverrideScope::Format, OverrideScope::Cell}) {
            Campaign c = m_sample;
            QVERIFY(!editClipInScope(c, logo, scope, QStringLiteral("se-genz"), QStringLiteral("9x16"),
                                     [](Timeline &tl, const QString &id) {
                                         return setTransitionIn(tl, id, Rational(1, 2));
                                     }));
            QCOMPARE(json(c), before);
        }
        // Keyframes that exist on a locked clip cannot be moved or removed either.
        Campaign keyed = m_sample;
        QVERIFY(setKeyframe(keyed.timeline, QStringLiteral("hero"), KeyProperty::Scale, t0, 1.2));
        clipRef(keyed, QStringLiteral("hero")).locked = true;
        const QByteArray keyedJson = json(keyed);
        QVERIFY(!moveKeyframe(keyed.timeline, QStringLiteral("hero"), KeyProperty::Scale, t0, one));
        QVERIFY(!removeKeyframe(keyed.timeline, QStringLiteral("hero"), KeyProperty::Scale, t0));
        QCOMPARE(json(keyed), keyedJson);

        const QString message = lockedClipMessage(m_sample.timeline, logo);
        QVERIFY2(message.contains(QStringLiteral("\u201clogo\u201d")), qPrintable(message));
        QVERIFY(message.contains(QStringLiteral("Unlock")));
        QVERIFY(lockedClipMessage(m_sample.timeline, QStringLiteral("hero")).isEmpty());
    }

    void unlockingAllowsEditsAgain()
    {
        Campaign c = m_sample;
        QVERIFY(setClipLocked(c.timeline, QStringLiteral("logo"), false));
        QVERIFY(moveClip(c.timeline, QStringLiteral("logo"), 0, Rational(0)));
        QCOMPARE(findClip(c.timeline, QStringLiteral("logo")).track, 0);
        QVERIFY(trimEnd(c.timeline, QStringLiteral("logo"), Rational(10)));
        QCOMPARE(clipById(c.timeline, QStringLiteral("logo"))->duration, Rational(10));
        QVERIFY(checkConsistency(c, m_dir).isEmpty());
    }

    void rippleRefusedWhenItWouldMoveALockedClip()
    {
        Campaign c = m_sample;
        clipRef(c, QStringLiteral("product")).locked = true;
        const QByteArray before = json(c);
        QVERIFY(!rippleDelete(c.timeline, QStringLiteral("run")));
        QCOMPARE(json(c), before);
        QVERIFY(lockedClipMessage(c.timeline, QStringLiteral("run"), true).contains(QStringLiteral("product")));
        QVERIFY(lockedClipMessage(c.timeline, QStringLiteral("run")).isEmpty());
        QVERIFY(removeClip(c.timeline, QStringLiteral("run")));  // no ripple: nothing moves
    }

    void lockedRoundTripsAndIsValidated()
    {
        const QByteArray once = json(m_sample);
        QCOMPARE(once.count("\"locked\": true"), 1);  // written only where set
        const LoadResult again = parseCampaign(once, m_dir);
        QVERIFY2(again.campaign, qPrintable(issuesText(again)));
        QVERIFY(clipById(again.campaign->timeline, QStringLiteral("logo"))->locked);
        QCOMPARE(json(*again.campaign), once);

        const LoadResult bad = parseWithClip(2, 0, [](QJsonObject &c) {
            c.insert(QStringLiteral("locked"), QStringLiteral("yes"));
        });
        QVERIFY(!bad.campaign);
        QVERIFY2(!issueAt(bad, QStringLiteral("$.timeline.tracks[2].clips[0].locked")).isEmpty(),
                 qPrintable(issuesText(bad)));
    }

    // ---- overrides ---------------------------------------------------------------------

    void overridesSurviveSaveLoad()
    {
        Campaign c = m_sample;
        Clip &headline = clipRef(c, QStringLiteral("headline"));
        headline.overrides.push_back({QString(), QStringLiteral("16x9"),
                                      obj({{"layout", obj({{"mode", "box"},
                                                           {"box", obj({{"x", 0.05}, {"y", 0.7},
                                                                        {"w", 0.5}, {"h", 0.16}})}})}})});
        headline.overrides.push_back({QStringLiteral("de-commuters"), QStringLiteral("9x16"),
                                      obj({{"text", obj({{"size", 0.038}, {"text", "Los!"}})},
                                           {"fadeOut", QJsonValue::Null}})});
        clipRef(c, QStringLiteral("bed")).overrides.push_back(
            {QStringLiteral("ae-trail"), QString(), obj({{"gain", 0.5}})});
        QVERIFY(checkConsistency(c, m_dir).isEmpty());

        QTemporaryDir dir;
        const QString file = dir.filePath(QStringLiteral("o.campaign"));
        QString error;
        QVERIFY2(saveCampaign(c, file, &error), qPrintable(error));
        const LoadResult loaded = loadCampaign(file);
        QVERIFY2(loaded.campaign, qPrintable(issuesText(loaded)));
        QVERIFY(*loaded.campaign == c);
        QFile saved(file);
        QVERIFY(saved.open(QIODevice::ReadOnly));
        const QByteArray bytes = saved.readAll();
        QVERIFY(bytes.contains("\"overrides\""));
        QVERIFY(bytes.contains("\"fadeOut\": null"));
        // load + save gives the same bytes
        QCOMPARE(serializeCampaign(*loaded.campaign, dir.path()), bytes);
    }

    void resolveAppliesOverrideOnlyToItsCells()
    {
        Campaign c = m_resolvable;
        clipRef(c, QStringLiteral("headline")).overrides.push_back(
            {QStringLiteral("de-commuters"), QStringLiteral("9x16"),
             obj({{"text", obj({{"size", 0.03}, {"backgroundOpacity", 1}})},
                  {"keyframes", obj({{"opacity", QJsonArray{obj({{"t", "0"}, {"v", 0.25}})}}})}})});
        const ResolveResult hit = resolveVariant(c, QStringLiteral("de-commuters"), QStringLiteral("9x16"));
        QVERIFY2(hit.composition, qPrintable(hit.errors.join(u'\n')));
        const render::Layer *h = layer(*hit.composition, QStringLiteral("headline"));
        QCOMPARE(h->textStyle.pixelSize, 0.03 * 1080);
        QCOMPARE(h->textStyle.boxOpacity, 1.0);
        QCOMPARE(h->opacity.keys.size(), std::size_t(1));
        QCOMPARE(h->opacity.keys[0].value, 0.25);
        QCOMPARE(h->textStyle.color, QColor(Qt::white));  // not in the patch: the master's
        for (const auto &[seg, fmt] : {std::pair{"de-commuters", "1x1"}, std::pair{"se-genz", "9x16"}}) {
            const ResolveResult miss = resolveVariant(c, QString::fromLatin1(seg), QString::fromLatin1(fmt));
            QVERIFY(miss.composition);
            const render::Layer *m = layer(*miss.composition, QStringLiteral("headline"));
            QCOMPARE(m->textStyle.pixelSize, 0.045 * std::min(miss.composition->width, miss.composition->height));
            QCOMPARE(m->textStyle.boxOpacity, 0.55);
            QVERIFY(m->opacity.keys.empty());
        }
    }

    void formatThenSegmentThenCellOrder()
    {
        Campaign c = m_resolvable;
        Clip &headline = clipRef(c, QStringLiteral("headline"));
        // Declared most specific first: the order in the file does not matter.
        headline.overrides.push_back({QStringLiteral("se-genz"), QStringLiteral("9x16"),
                                      obj({{"text", obj({{"size", 0.07}})}})});
        headline.overrides.push_back({QStringLiteral("se-genz"), QString(),
                                      obj({{"text", obj({{"size", 0.06}, {"color", "#00ff00"}})}})});
        headline.overrides.push_back({QString(), QStringLiteral("9x16"),
                                      obj({{"text", obj({{"size", 0.05}, {"color", "#ff0000"},
                                                         {"padding", 0.03}})}})});
        const auto style = [&](const char *seg, const char *fmt) {
            const ResolveResult r = resolveVariant(c, QString::fromLatin1(seg), QString::fromLatin1(fmt));
            return r.composition ? layer(*r.composition, QStringLiteral("headline"))->textStyle
                                 : render::TextStyle{};
        };
        const render::TextStyle cell = style("se-genz", "9x16");
        QCOMPARE(cell.pixelSize, 0.07 * 1080);         // cell beats segment and format
        QCOMPARE(cell.color, QColor(0, 255, 0));        // segment beats format
        QCOMPARE(cell.padding, 0.03 * 1080);            // only the format sets it
        const render::TextStyle segOnly = style("se-genz", "1x1");
        QCOMPARE(segOnly.pixelSize, 0.06 * 1080);
        QCOMPARE(segOnly.padding, 0.02 * 1080);
        const render::TextStyle fmtOnly = style("us-parents", "9x16");
        QCOMPARE(fmtOnly.pixelSize, 0.05 * 1080);
        QCOMPARE(fmtOnly.color, QColor(255, 0, 0));
    }

    void badOverridesNameTheirPath_data()
    {
        QTest::addColumn<QJsonValue>("overrides");
        QTest::addColumn<QString>("path");
        QTest::addColumn<QString>("messagePart");
        const QString base = QStringLiteral("$.timeline.tracks[1].clips[0].overrides[0]");
        QTest::newRow("unknown segment")
            << QJsonValue(QJsonArray{obj({{"segment", "fr-xx"}, {"properties", obj({{"fadeOut", "1"}})}})})
            << base + ".segment" << "unknown segment 'fr-xx'";
        QTest::newRow("unknown format")
            << QJsonValue(QJsonArray{obj({{"format", "21x9"}, {"properties", obj({{"text", obj({{"size", 0.05}})}})}})})
            << base + ".format" << "unknown format '21x9'";
        QTest::newRow("no cell")
            << QJsonValue(QJsonArray{obj({{"properties", obj({{"text", obj({{"size", 0.05}})}})}})})
            << base << "needs \"segment\"";
        QTest::newRow("timing is master-only")
            << QJsonValue(QJsonArray{obj({{"format", "9x16"}, {"properties", obj({{"start", "2"}})}})})
            << base + ".properties.start" << "cannot be overridden";
        QTest::newRow("invalid value")
            << QJsonValue(QJsonArray{obj({{"format", "9x16"}, {"properties", obj({{"text", obj({{"size", 7}})}})}})})
            << base + ".properties.text.size" << "";
        QTest::newRow("unknown key")
            << QJsonValue(QJsonArray{obj({{"format", "9x16"}, {"properties", obj({{"colour", "#fff"}})}})})
            << base + ".properties.colour" << "";
        QTest::newRow("key of another kind")
            << QJsonValue(QJsonArray{obj({{"format", "9x16"}, {"properties", obj({{"gain", 0.5}})}})})
            << base + ".properties.gain" << "does not apply to text tracks";
        QTest::newRow("fade longer than the clip")
            << QJsonValue(QJsonArray{obj({{"format", "9x16"}, {"properties", obj({{"fadeOut", "20"}})}})})
            << base + ".properties.fadeOut" << "longer than the clip";
        QTest::newRow("duplicate cell")
            << QJsonValue(QJsonArray{obj({{"format", "9x16"}, {"properties", obj({{"fadeOut", "1"}})}}),
                                     obj({{"format", "9x16"}, {"properties", obj({{"fadeOut", "2"}})}})})
            << QStringLiteral("$.timeline.tracks[1].clips[0].overrides[1]") << "second override";
        QTest::newRow("not an array") << QJsonValue(obj({{"format", "9x16"}}))
                                      << QStringLiteral("$.timeline.tracks[1].clips[0].overrides")
                                      << "must be an array";
    }

    void badOverridesNameTheirPath()
    {
        QFETCH(QJsonValue, overrides);
        QFETCH(QString, path);
        QFETCH(QString, messagePart);
        const LoadResult r = parseWithClip(1, 0, [&](QJsonObject &c) {
            c.insert(QStringLiteral("overrides"), overrides);
        });
        QVERIFY(!r.campaign);
        QVERIFY2(!issueAt(r, path).isEmpty(), qPrintable(issuesText(r)));
        QVERIFY2(issueAt(r, path).contains(messagePart), qPrintable(issueAt(r, path)));
        QCOMPARE(r.issues.size(), std::size_t(1));
    }

    void editInCellScopeWritesAnOverride()
    {
        Campaign c = m_sample;
        const QString seg = QStringLiteral("se-genz"), fmt = QStringLiteral("9x16");
        const Clip master = *clipById(c.timeline, QStringLiteral("headline"));
        QVERIFY(editClipInScope(c, QStringLiteral("headline"), OverrideScope::Cell, seg, fmt,
                                [](Timeline &tl, const QString &id) {
                                    return setTransitionIn(tl, id, Rational(1));
                                }));
        const Clip &after = *clipById(c.timeline, QStringLiteral("headline"));
        QCOMPARE(after.transitionIn, master.transitionIn);  // master unchanged
        QCOMPARE(after.overrides.size(), std::size_t(1));
        QCOMPARE(after.overrides[0].segmentId, seg);
        QCOMPARE(after.overrides[0].formatId, fmt);
        QCOMPARE(after.overrides[0].properties, obj({{"transitionIn", "1"}}));
        QCOMPARE(effectiveClip(after, TrackKind::Text, seg, fmt)->transitionIn, Rational(1));
        QVERIFY(checkConsistency(c, m_dir).isEmpty());
        // Setting it back to the master's value removes the override again.
        QVERIFY(editClipInScope(c, QStringLiteral("headline"), OverrideScope::Cell, seg, fmt,
                                [&](Timeline &tl, const QString &id) {
                                    return setTransitionIn(tl, id, master.transitionIn);
                                }));
        QVERIFY(clipById(c.timeline, QStringLiteral("headline"))->overrides.empty());
    }

    void resetPropertyAndResetToMaster()
    {
        Campaign c = m_sample;
        Clip &h = clipRef(c, QStringLiteral("headline"));
        h.overrides.push_back({QString(), QStringLiteral("9x16"),
                               obj({{"text", obj({{"size", 0.05}, {"bold", false}})}})});
        h.overrides.push_back({QStringLiteral("se-genz"), QStringLiteral("1x1"), obj({{"fadeOut", "1"}})});
        const QString seg = QStringLiteral("se-genz");
        QVERIFY(patchTouches(h.overrides[0].properties, {QStringLiteral("text"), QStringLiteral("size")}));
        QVERIFY(!patchTouches(h.overrides[0].properties, {QStringLiteral("text"), QStringLiteral("text")}));
        QVERIFY(resetOverriddenProperty(c, QStringLiteral("headline"), seg, QStringLiteral("9x16"),
                                        {QStringLiteral("text"), QStringLiteral("size")}));
        QCOMPARE(clipRef(c, QStringLiteral("headline")).overrides[0].properties,
                 obj({{"text", obj({{"bold", false}})}}));
        QVERIFY(resetClipToMaster(c, QStringLiteral("headline"), seg, QStringLiteral("9x16")));
        // Only the one for another cell is left.
        QCOMPARE(clipRef(c, QStringLiteral("headline")).overrides.size(), std::size_t(1));
        QCOMPARE(clipRef(c, QStringLiteral("headline")).overrides[0].formatId, QStringLiteral("1x1"));
        QVERIFY(!resetClipToMaster(c, QStringLiteral("headline"), seg, QStringLiteral("9x16")));
    }

    void trimAndSplitRetimeOverrideKeyframes()
    {
        Campaign c = m_sample;
        Clip &h = clipRef(c, QStringLiteral("headline"));  // 1 s .. 14 s
        h.overrides.push_back({QString(), QStringLiteral("9x16"),
                               obj({{"keyframes", obj({{"scale", QJsonArray{obj({{"t", "0"}, {"v", 1}}),
                                                                            obj({{"t", "12"}, {"v", 2}})}}})},
                                    {"fadeOut", "2"}})});
        QVERIFY(checkConsistency(c, m_dir).isEmpty());
        QString right;
        QVERIFY(splitClip(c.timeline, QStringLiteral("headline"), Rational(7), &right));
        QVERIFY2(checkConsistency(c, m_dir).isEmpty(), qPrintable(checkConsistency(c, m_dir).join(u'\n')));
        const Clip left = *effectiveClip(*clipById(c.timeline, QStringLiteral("headline")),
                                         TrackKind::Text, QStringLiteral("se-genz"), QStringLiteral("9x16"));
        const Clip rightClip = *effectiveClip(*clipById(c.timeline, right), TrackKind::Text,
                                              QStringLiteral("se-genz"), QStringLiteral("9x16"));
        // The curve is cut at 6 s into the clip (value 1.5) and continues on the right part.
        QCOMPARE(left.scale.back().time, Rational(6));
        QCOMPARE(left.scale.back().value, 1.5);
        QCOMPARE(rightClip.scale.front().time, Rational(0));
        QCOMPARE(rightClip.scale.front().value, 1.5);
        QCOMPARE(rightClip.scale.back().time, Rational(6));
        QCOMPARE(rightClip.fadeOut, Rational(2));  // the fade-out goes with the right part
        QCOMPARE(left.fadeOut, Rational(0));
        // Trimming the right part shorter than its overridden fade keeps the file valid.
        QVERIFY(trimEnd(c.timeline, right, Rational(8)));
        QVERIFY2(checkConsistency(c, m_dir).isEmpty(), qPrintable(checkConsistency(c, m_dir).join(u'\n')));
        const Clip trimmed = *effectiveClip(*clipById(c.timeline, right), TrackKind::Text,
                                            QStringLiteral("se-genz"), QStringLiteral("9x16"));
        QCOMPARE(trimmed.fadeOut, Rational(1));
    }

    void segmentRenameAndRemovalKeepOverridesValid()
    {
        Campaign c = m_sample;
        clipRef(c, QStringLiteral("headline")).overrides.push_back(
            {QStringLiteral("se-genz"), QStringLiteral("9x16"), obj({{"fadeOut", "1"}})});
        clipRef(c, QStringLiteral("headline")).overrides.push_back(
            {QString(), QStringLiteral("1x1"), obj({{"fadeOut", "2"}})});
        c.segments[0].id = QStringLiteral("se-young");
        renameSegmentInOverrides(c.timeline, QStringLiteral("se-genz"), QStringLiteral("se-young"));
        QVERIFY(checkConsistency(c, m_dir).isEmpty());
        QVERIFY(findOverride(clipRef(c, QStringLiteral("headline")), QStringLiteral("se-young"), QStringLiteral("9x16")));
        c.segments.erase(c.segments.begin());
        removeSegmentOverrides(c.timeline, {QStringLiteral("se-young")});
        QVERIFY(checkConsistency(c, m_dir).isEmpty());
        QCOMPARE(clipRef(c, QStringLiteral("headline")).overrides.size(), std::size_t(1));  // format-only kept
    }

    // ---- anchors in the safe zone ------------------------------------------------------

    void anchoredLayersStayInTheSafeZone_data()
    {
        QTest::addColumn<QString>("format");
        QTest::addColumn<QString>("anchor");
        for (const FormatPreset &f : builtinFormatPresets())
            for (const char *a : {"bottom-left", "top-right", "top-left", "bottom-right"})
                QTest::addRow("%s %s", qPrintable(f.id), a) << f.id << QString::fromLatin1(a);
    }

    void anchoredLayersStayInTheSafeZone()
    {
        QFETCH(QString, format);
        QFETCH(QString, anchor);
        Campaign c = m_resolvable;
        QCOMPARE(c.formats.size(), std::size_t(4));  // the sample exports all four presets
        const double margin = 0.03;
        for (const QString &id : {QStringLiteral("logo"), QStringLiteral("cta")}) {
            Clip &clip = clipRef(c, id);
            clip.layout.mode = ClipLayout::Mode::Anchor;
            clip.layout.anchor = anchor;
            clip.layout.size = 0.4;
            clip.layout.margin = margin;
        }
        const ResolveResult r = resolveVariant(c, QStringLiteral("us-parents"), format);
        QVERIFY2(r.composition, qPrintable(r.errors.join(u'\n')));
        const FormatPreset &f = *c.format(format);
        const QRectF safe(f.safeLeft * f.width, f.safeTop * f.height,
                          f.width * (1 - f.safeLeft - f.safeRight),
                          f.height * (1 - f.safeTop - f.safeBottom));
        const double m = margin * std::min(f.width, f.height);
        for (const QString &id : {QStringLiteral("logo"), QStringLiteral("cta")}) {
            const QRectF rect = layer(*r.composition, id)->rect;
            const QString where = QStringLiteral("%1 %2 %3").arg(id, format, anchor);
            QVERIFY2(safe.contains(rect), qPrintable(where));
            QVERIFY2(rect.height() > 0, qPrintable(where));
            const bool left = anchor.endsWith(u"left"), top = anchor.startsWith(u"top");
            QVERIFY2(qFuzzyCompare(left ? rect.left() - safe.left() : safe.right() - rect.right(), m),
                     qPrintable(where));
            QVERIFY2(qFuzzyCompare(top ? rect.top() - safe.top() : safe.bottom() - rect.bottom(), m),
                     qPrintable(where));
        }
        // The text box holds its one line at the requested size plus padding.
        const render::Layer *cta = layer(*r.composition, QStringLiteral("cta"));
        const double shortSide = std::min(f.width, f.height);
        QVERIFY(qFuzzyCompare(cta->rect.height(), 1.4 * 0.05 * shortSide + 2 * 0.02 * shortSide));
    }
};

QTEST_MAIN(TestClipOverrides)
#include "tst_clip_overrides.moc"
