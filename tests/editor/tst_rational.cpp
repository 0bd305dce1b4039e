// SPDX-License-Identifier: GPL-3.0-or-later
#include "editor/rational.h"

#include <QtTest>

#include <limits>

using editor::Rational;

class TestRational : public QObject {
    Q_OBJECT
private slots:
    void reducesAndNormalisesSign();
    void parse_data();
    void parse();
    void toStringRoundTrip();
    void arithmetic();
    void ordering();
    void overflowIsReported();
    void toFramesAt30();
    void toFramesAtNtsc();
    void toFramesNegative();
    void fromFramesRoundTrips();
};

void TestRational::reducesAndNormalisesSign()
{
    const Rational a(10, 4);
    QCOMPARE(a.num(), 5);
    QCOMPARE(a.den(), 2);
    const Rational b(3, -6);
    QCOMPARE(b.num(), -1);
    QCOMPARE(b.den(), 2);
    const Rational z(0, -7);
    QCOMPARE(z.num(), 0);
    QCOMPARE(z.den(), 1);
    QVERIFY(z.isZero());
    QVERIFY(b.isNegative());
    QCOMPARE(Rational(-4, -8), Rational(1, 2));
}

void TestRational::parse_data()
{
    QTest::addColumn<QString>("text");
    QTest::addColumn<bool>("ok");
    QTest::addColumn<qint64>("num");
    QTest::addColumn<qint64>("den");
    QTest::newRow("integer") << "15" << true << qint64(15) << qint64(1);
    QTest::newRow("fraction") << "33/2" << true << qint64(33) << qint64(2);
    QTest::newRow("negative") << "-1/2" << true << qint64(-1) << qint64(2);
    QTest::newRow("ntsc") << "30000/1001" << true << qint64(30000) << qint64(1001);
    QTest::newRow("reduced") << "6/4" << true << qint64(3) << qint64(2);
    QTest::newRow("zero") << "0" << true << qint64(0) << qint64(1);
    QTest::newRow("int64 max") << "9223372036854775807" << true
                               << std::numeric_limits<qint64>::max() << qint64(1);
    QTest::newRow("int64 min") << "-9223372036854775808" << true
                               << std::numeric_limits<qint64>::min() << qint64(1);
    QTest::newRow("empty") << "" << false << qint64(0) << qint64(0);
    QTest::newRow("zero den") << "1/0" << false << qint64(0) << qint64(0);
    QTest::newRow("decimal") << "1.5" << false << qint64(0) << qint64(0);
    QTest::newRow("leading space") << " 1" << false << qint64(0) << qint64(0);
    QTest::newRow("trailing space") << "1 " << false << qint64(0) << qint64(0);
    QTest::newRow("plus") << "+1" << false << qint64(0) << qint64(0);
    QTest::newRow("minus only") << "-" << false << qint64(0) << qint64(0);
    QTest::newRow("negative den") << "1/-2" << false << qint64(0) << qint64(0);
    QTest::newRow("missing den") << "1/" << false << qint64(0) << qint64(0);
    QTest::newRow("junk") << "abc" << false << qint64(0) << qint64(0);
    QTest::newRow("overflow") << "9223372036854775808" << false << qint64(0) << qint64(0);
    QTest::newRow("overflow den") << "1/99999999999999999999" << false << qint64(0) << qint64(0);
    QTest::newRow("huge digits") << "123456789012345678901234567890" << false << qint64(0)
                                 << qint64(0);
}

void TestRational::parse()
{
    QFETCH(QString, text);
    QFETCH(bool, ok);
    const auto r = Rational::parse(text);
    QCOMPARE(r.has_value(), ok);
    if (ok) {
        QFETCH(qint64, num);
        QFETCH(qint64, den);
        QCOMPARE(r->num(), num);
        QCOMPARE(r->den(), den);
    }
}

void TestRational::toStringRoundTrip()
{
    QCOMPARE(Rational(15).toString(), QStringLiteral("15"));
    QCOMPARE(Rational(33, 2).toString(), QStringLiteral("33/2"));
    QCOMPARE(Rational(-1, 2).toString(), QStringLiteral("-1/2"));
    QCOMPARE(Rational(30000, 1001).toString(), QStringLiteral("30000/1001"));
    for (const Rational r : {Rational(7, 3), Rational(-5), Rational(0), Rational(30000, 1001)})
        QCOMPARE(Rational::parse(r.toString()), std::optional<Rational>(r));
}

void TestRational::arithmetic()
{
    QCOMPARE(Rational(1, 2) + Rational(1, 3), Rational(5, 6));
    QCOMPARE(Rational(1, 2) - Rational(3, 4), Rational(-1, 4));
    QCOMPARE(Rational(2, 3) * Rational(3, 4), Rational(1, 2));
    QCOMPARE(Rational(1, 2) / Rational(1, 4), Rational(2));
    QCOMPARE(-Rational(3, 5), Rational(-3, 5));
    QCOMPARE(Rational(1, 2).checkedDiv(Rational(0)), std::nullopt);
    // Exactness: 1001 frames at 30000/1001 are exactly 1001 * 1001 / 30000 s.
    QCOMPARE(Rational(1001) * Rational(1001, 30000), Rational(1002001, 30000));
    QCOMPARE(Rational(1, 3).toDouble(), 1.0 / 3.0);
}

void TestRational::ordering()
{
    QVERIFY(Rational(1, 3) < Rational(1, 2));
    QVERIFY(Rational(-1, 2) < Rational(0));
    QVERIFY(Rational(30000, 1001) < Rational(30));
    QVERIFY(Rational(2, 4) == Rational(1, 2));
    QVERIFY(Rational(5) > Rational(9, 2));
    QVERIFY(Rational(1, 2) <= Rational(1, 2));
    // Cross products beyond 64 bits still compare correctly.
    constexpr qint64 big = std::numeric_limits<qint64>::max();
    QVERIFY(Rational(big - 1, big) < Rational(big, big - 1));
    QVERIFY(Rational(big, big - 1) > Rational(1));
}

void TestRational::overflowIsReported()
{
    constexpr qint64 max = std::numeric_limits<qint64>::max();
    QCOMPARE(Rational(max).checkedAdd(Rational(1)), std::nullopt);
    QCOMPARE(Rational(-max).checkedSub(Rational(2)), std::nullopt);
    QCOMPARE(Rational(max).checkedMul(Rational(2)), std::nullopt);
    QCOMPARE(Rational(max).checkedDiv(Rational(1, 2)), std::nullopt);
    QCOMPARE(Rational(1, max).checkedMul(Rational(1, 2)), std::nullopt);  // denominator
    // Results that reduce back into range are fine even if intermediates were not.
    QCOMPARE(Rational(max, 3).checkedMul(Rational(3, max)), std::optional<Rational>(Rational(1)));
    QCOMPARE(Rational(max).checkedAdd(Rational(0)), std::optional<Rational>(Rational(max)));
}

void TestRational::toFramesAt30()
{
    const Rational fps(30);
    QCOMPARE(Rational(5).toFrames(fps), 150);
    QCOMPARE(Rational(11, 2).toFrames(fps), 165);
    QCOMPARE(Rational(1, 60).toFrames(fps, Rational::Rounding::Floor), 0);
    QCOMPARE(Rational(1, 60).toFrames(fps, Rational::Rounding::Nearest), 1);  // tie: away from 0
    QCOMPARE(Rational(1, 61).toFrames(fps, Rational::Rounding::Nearest), 0);
    QCOMPARE(Rational(15).toFrames(fps), 450);
}

void TestRational::toFramesAtNtsc()
{
    const Rational fps(30000, 1001);
    QCOMPARE(Rational(1001, 30000).toFrames(fps, Rational::Rounding::Floor), 1);
    QCOMPARE(Rational(1001, 30000).toFrames(fps, Rational::Rounding::Nearest), 1);
    QCOMPARE(Rational(1001, 30001).toFrames(fps, Rational::Rounding::Floor), 0);
    // 10 s at 29.97 = 299.7 frames.
    QCOMPARE(Rational(10).toFrames(fps, Rational::Rounding::Floor), 299);
    QCOMPARE(Rational(10).toFrames(fps, Rational::Rounding::Nearest), 300);
    // One hour at 29.97 fps.
    QCOMPARE(Rational(3600).toFrames(fps, Rational::Rounding::Floor), 107892);
}

void TestRational::toFramesNegative()
{
    const Rational fps(30);
    QCOMPARE(Rational(-1, 60).toFrames(fps, Rational::Rounding::Floor), -1);
    QCOMPARE(Rational(-1, 60).toFrames(fps, Rational::Rounding::Nearest), -1);  // away from 0
    QCOMPARE(Rational(-1, 90).toFrames(fps, Rational::Rounding::Nearest), 0);
    QCOMPARE(Rational(1).toFrames(Rational(0)), 0);  // no rate: no frames
}

void TestRational::fromFramesRoundTrips()
{
    for (const Rational fps : {Rational(30), Rational(30000, 1001), Rational(24), Rational(25)}) {
        for (const qint64 f : {qint64(0), qint64(1), qint64(149), qint64(450), qint64(107892)}) {
            const Rational t = Rational::fromFrames(f, fps);
            QCOMPARE(t.toFrames(fps, Rational::Rounding::Floor), f);
            QCOMPARE(t.toFrames(fps, Rational::Rounding::Nearest), f);
        }
    }
    QCOMPARE(Rational::fromFrames(1, Rational(30000, 1001)), Rational(1001, 30000));
    QCOMPARE(Rational::fromFrames(45, Rational(30)), Rational(3, 2));
}

QTEST_GUILESS_MAIN(TestRational)
#include "tst_rational.moc"
