// SPDX-License-Identifier: GPL-3.0-or-later
// The pure timeline edits on the sample campaign: each valid edit keeps the model consistent
// (editor::checkConsistency after every one), each invalid edit is refused and changes nothing.
#include "editor/document.h"
#include "editor/project_io.h"
#include "editor/timeline_edit.h"

#include <QtTest>

using namespace editor;

namespace {
const QString kSample =
    QStringLiteral(CAMPAIGN_SOURCE_DIR "/resources/samples/stride/stride.campaign");

Rational r(int64_t n, int64_t d = 1)
{
    return Rational(n, d);
}
}  // namespace

class TestTimelineEdit : public QObject {
    Q_OBJECT
private:
    Campaign m_sample;
    QString m_dir;

    void verifyConsistent(const Campaign &c)
    {
        const QStringList problems = checkConsistency(c, m_dir);
        QVERIFY2(problems.isEmpty(), qPrintable(problems.join(u'\n')));
    }
    // Runs a refused edit on a copy and checks that nothing changed.
    template<typename F>
    void verifyRefused(F edit)
    {
        Campaign c = m_sample;
        QVERIFY(!edit(c.timeline));
        QVERIFY(c == m_sample);
    }

private slots:
    void initTestCase()
    {
        LoadResult res = loadCampaign(kSample);
        QVERIFY2(res.status == LoadResult::Status::Ok, qPrintable(res.message));
        m_sample = *res.campaign;
        m_dir = QFileInfo(kSample).absolutePath();
        verifyConsistent(m_sample);
    }

    void moveWithinTrackKeepsOrder()
    {
        Campaign c = m_sample;
        QVERIFY(moveClip(c.timeline, QStringLiteral("hero"), 0, r(7)));
        verifyConsistent(c);
        const Track &v1 = c.timeline.tracks[0];
        QCOMPARE(v1.clips.size(), size_t(3));
        // hero (now at 7) sorts between run (5) and product (21/2).
        QCOMPARE(v1.clips[0].id, QStringLiteral("run"));
        QCOMPARE(v1.clips[1].id, QStringLiteral("hero"));
        QCOMPARE(v1.clips[1].start, r(7));
        QCOMPARE(v1.clips[2].id, QStringLiteral("product"));
    }

    void moveBetweenCompatibleTracks()
    {
        Campaign c = m_sample;
        // video -> image track is allowed (both hold visual media).
        QVERIFY(moveClip(c.timeline, QStringLiteral("product"), 2, r(3)));
        verifyConsistent(c);
        QCOMPARE(c.timeline.tracks[0].clips.size(), size_t(2));
        QCOMPARE(c.timeline.tracks[2].clips.size(), size_t(2));
        QCOMPARE(c.timeline.tracks[2].clips[1].id, QStringLiteral("product"));
        QCOMPARE(findClip(c.timeline, QStringLiteral("product")).track, 2);
    }

    void moveRefusals()
    {
        // video -> text, text -> audio: incompatible kinds.
        verifyRefused([](Timeline &t) { return moveClip(t, QStringLiteral("run"), 1, r(0)); });
        verifyRefused([](Timeline &t) { return moveClip(t, QStringLiteral("cta"), 3, r(0)); });
        // out of the timeline on either side, unknown clip and track.
        verifyRefused([](Timeline &t) { return moveClip(t, QStringLiteral("run"), 0, r(-1)); });
        verifyRefused([](Timeline &t) { return moveClip(t, QStringLiteral("run"), 0, r(10)); });
        verifyRefused([](Timeline &t) { return moveClip(t, QStringLiteral("nope"), 0, r(1)); });
        verifyRefused([](Timeline &t) { return moveClip(t, QStringLiteral("run"), 9, r(1)); });
    }

    void trimStartMovesInForMedia()
    {
        Campaign c = m_sample;
        QVERIFY(trimStart(c.timeline, QStringLiteral("run"), r(6)));
        verifyConsistent(c);
        const Clip *run = clipById(c.timeline, QStringLiteral("run"));
        QCOMPARE(run->start, r(6));
        QCOMPARE(run->duration, r(5));  // the end stays at 11
        QCOMPARE(run->in, r(1));
        QCOMPARE(run->transitionIn, r(1, 2));
        // back out to 5.5: in follows back to 1/2.
        QVERIFY(trimStart(c.timeline, QStringLiteral("run"), r(11, 2)));
        QCOMPARE(clipById(c.timeline, QStringLiteral("run"))->in, r(1, 2));
        verifyConsistent(c);
    }

    void trimRefusals()
    {
        // in would go negative (run starts its source at 0).
        verifyRefused([](Timeline &t) { return trimStart(t, QStringLiteral("run"), r(4)); });
        // zero and negative durations.
        verifyRefused([](Timeline &t) { return trimStart(t, QStringLiteral("run"), r(11)); });
        verifyRefused([](Timeline &t) { return trimEnd(t, QStringLiteral("run"), r(5)); });
        verifyRefused([](Timeline &t) { return trimEnd(t, QStringLiteral("run"), r(4)); });
        // past the timeline end.
        verifyRefused([](Timeline &t) { return trimEnd(t, QStringLiteral("run"), r(16)); });
    }

    void trimEndShortensFadesAndKeys()
    {
        Campaign c = m_sample;
        QVERIFY(setKeyframe(c.timeline, QStringLiteral("headline"), KeyProperty::Opacity, r(1),
                            0.2));
        QVERIFY(setKeyframe(c.timeline, QStringLiteral("headline"), KeyProperty::Opacity, r(10),
                            1.0));
        QVERIFY(trimEnd(c.timeline, QStringLiteral("headline"), r(5)));  // duration 4
        verifyConsistent(c);
        const Clip *h = clipById(c.timeline, QStringLiteral("headline"));
        QCOMPARE(h->duration, r(4));
        QCOMPARE(h->opacity.size(), size_t(1));
        QCOMPARE(h->opacity[0].time, r(1));
        // A text clip has no source offset to follow a trim.
        QVERIFY(trimStart(c.timeline, QStringLiteral("headline"), r(3)));
        verifyConsistent(c);
        h = clipById(c.timeline, QStringLiteral("headline"));
        QCOMPARE(h->in, r(0));
        QVERIFY(h->opacity.empty());  // its key at timeline 2 s is now before the clip
    }

    void splitMakesTwoSeamlessClips()
    {
        Campaign c = m_sample;
        QVERIFY(setKeyframe(c.timeline, QStringLiteral("run"), KeyProperty::Scale, r(0), 1.0));
        QVERIFY(setKeyframe(c.timeline, QStringLiteral("run"), KeyProperty::Scale, r(4), 2.0));
        QString rightId;
        QVERIFY(splitClip(c.timeline, QStringLiteral("run"), r(7), &rightId));
        verifyConsistent(c);
        QCOMPARE(rightId, QStringLiteral("run-2"));
        const Clip *left = clipById(c.timeline, QStringLiteral("run"));
        const Clip *right = clipById(c.timeline, rightId);
        QCOMPARE(left->duration, r(2));
        QCOMPARE(right->start, r(7));
        QCOMPARE(right->duration, r(4));
        QCOMPARE(right->in, r(2));
        QCOMPARE(left->transitionIn, r(1, 2));
        QCOMPARE(right->transitionIn, r(0));
        // The scale curve is 1.5 at the cut on both sides.
        QCOMPARE(keyValueAt(*left, KeyProperty::Scale, r(2)), 1.5);
        QCOMPARE(keyValueAt(*right, KeyProperty::Scale, r(0)), 1.5);
        QCOMPARE(keyValueAt(*right, KeyProperty::Scale, r(2)), 2.0);
        // Splitting again makes another unique id.
        QVERIFY(splitClip(c.timeline, QStringLiteral("run"), r(6), &rightId));
        QCOMPARE(rightId, QStringLiteral("run-3"));
        verifyConsistent(c);
        // Splitting a numbered part numbers on instead of nesting ("run-2-2").
        QVERIFY(splitClip(c.timeline, QStringLiteral("run-2"), r(9), &rightId));
        QCOMPARE(rightId, QStringLiteral("run-4"));
        verifyConsistent(c);
        // Ken Burns continues across the cut: product zooms 1.15 -> 1.0 over 4.5 s.
        QVERIFY(splitClip(c.timeline, QStringLiteral("product"), r(12), &rightId));
        const Clip *p1 = clipById(c.timeline, QStringLiteral("product"));
        const Clip *p2 = clipById(c.timeline, rightId);
        QVERIFY(qAbs(p1->kenBurns.endScale - 1.1) < 1e-9);
        QCOMPARE(p2->kenBurns.startScale, p1->kenBurns.endScale);
        QCOMPARE(p2->kenBurns.endScale, 1.0);
        verifyConsistent(c);
    }

    void splitRefusedAtEdges()
    {
        verifyRefused([](Timeline &t) { return splitClip(t, QStringLiteral("run"), r(5)); });
        verifyRefused([](Timeline &t) { return splitClip(t, QStringLiteral("run"), r(11)); });
        verifyRefused([](Timeline &t) { return splitClip(t, QStringLiteral("run"), r(12)); });
    }

    void rippleDeleteClosesTheGap()
    {
        Campaign c = m_sample;
        QVERIFY(rippleDelete(c.timeline, QStringLiteral("hero")));
        verifyConsistent(c);
        const Track &v1 = c.timeline.tracks[0];
        QCOMPARE(v1.clips.size(), size_t(2));
        // run started inside hero (at 5): everything later moves left by 5, keeping the
        // half-second overlap with product.
        QCOMPARE(v1.clips[0].start, r(0));
        QCOMPARE(v1.clips[1].start, r(11, 2));
        // Other tracks are untouched.
        QVERIFY(c.timeline.tracks[1] == m_sample.timeline.tracks[1]);

        Campaign d = m_sample;
        QVERIFY(rippleDelete(d.timeline, QStringLiteral("headline")));
        verifyConsistent(d);
        QCOMPARE(clipById(d.timeline, QStringLiteral("cta"))->start, r(1));
        verifyRefused([](Timeline &t) { return rippleDelete(t, QStringLiteral("nope")); });
    }

    void removeClipRemovesOnlyIt()
    {
        Campaign c = m_sample;
        QVERIFY(removeClip(c.timeline, QStringLiteral("hero")));
        verifyConsistent(c);
        QCOMPARE(clipById(c.timeline, QStringLiteral("run"))->start, r(5));
        QVERIFY(!clipById(c.timeline, QStringLiteral("hero")));
    }

    void transitions()
    {
        Campaign c = m_sample;
        QVERIFY(setTransitionIn(c.timeline, QStringLiteral("product"), r(1)));
        verifyConsistent(c);
        QCOMPARE(clipById(c.timeline, QStringLiteral("product"))->transitionIn, r(1));
        verifyRefused([](Timeline &t) { return setTransitionIn(t, QStringLiteral("bed"), r(1)); });
        verifyRefused([](Timeline &t) { return setTransitionIn(t, QStringLiteral("run"), r(7)); });
        verifyRefused([](Timeline &t) { return setTransitionIn(t, QStringLiteral("run"), r(-1)); });
    }

    void keyframes()
    {
        Campaign c = m_sample;
        const QString id = QStringLiteral("hero");
        QVERIFY(setKeyframe(c.timeline, id, KeyProperty::OffsetX, r(2), 0.25));
        QVERIFY(setKeyframe(c.timeline, id, KeyProperty::OffsetX, r(1), -0.25));
        verifyConsistent(c);
        const Clip *hero = clipById(c.timeline, id);
        QCOMPARE(hero->offsetX.size(), size_t(2));
        QCOMPARE(hero->offsetX[0].time, r(1));  // inserted sorted
        QCOMPARE(keyValueAt(*hero, KeyProperty::OffsetX, r(3, 2)), 0.0);
        // Setting at an existing time updates instead of duplicating.
        QVERIFY(setKeyframe(c.timeline, id, KeyProperty::OffsetX, r(2), 0.5));
        QCOMPARE(clipById(c.timeline, id)->offsetX.size(), size_t(2));
        QCOMPARE(clipById(c.timeline, id)->offsetX[1].value, 0.5);
        QVERIFY(moveKeyframe(c.timeline, id, KeyProperty::OffsetX, r(2), r(4)));
        verifyConsistent(c);
        QVERIFY(keyframeAt(*clipById(c.timeline, id), KeyProperty::OffsetX, r(4)));
        QVERIFY(!moveKeyframe(c.timeline, id, KeyProperty::OffsetX, r(4), r(1)));  // occupied
        QVERIFY(removeKeyframe(c.timeline, id, KeyProperty::OffsetX, r(1)));
        QVERIFY(!removeKeyframe(c.timeline, id, KeyProperty::OffsetX, r(1)));
        verifyConsistent(c);
        QCOMPARE(clipById(c.timeline, id)->offsetX.size(), size_t(1));

        verifyRefused([](Timeline &t) {
            return setKeyframe(t, QStringLiteral("hero"), KeyProperty::Opacity, r(1), 1.5);
        });
        verifyRefused([](Timeline &t) {
            return setKeyframe(t, QStringLiteral("hero"), KeyProperty::Opacity, r(6), 0.5);
        });
        verifyRefused([](Timeline &t) {
            return setKeyframe(t, QStringLiteral("bed"), KeyProperty::Opacity, r(1), 0.5);
        });
    }

    void snapping()
    {
        const std::vector<Rational> candidates =
            snapCandidates(m_sample.timeline, QStringLiteral("run"), r(7));
        // The dragged clip's own edges are not candidates.
        QVERIFY(std::find(candidates.begin(), candidates.end(), r(5)) == candidates.end());
        QVERIFY(std::find(candidates.begin(), candidates.end(), r(7)) != candidates.end());
        QCOMPARE(snapTime(r(69, 10), candidates, r(1, 5)), std::optional<Rational>(r(7)));
        QCOMPARE(snapTime(r(63, 10), candidates, r(1, 5)), std::nullopt);
        // A 6 s clip dragged to 4.4 snaps its end (10.4) to product's start 10.5.
        const auto snapped = snapRange(r(22, 5), r(6), candidates, r(1, 5));
        QVERIFY(snapped);
        QCOMPARE(snapped->start, r(9, 2));
        QCOMPARE(snapped->snapPoint, r(21, 2));
    }
};

QTEST_GUILESS_MAIN(TestTimelineEdit)
#include "tst_timeline_edit.moc"
