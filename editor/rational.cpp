// SPDX-License-Identifier: GPL-3.0-or-later
#include "rational.h"

#include <QtGlobal>

#include <limits>

namespace editor {

namespace {

// __extension__ keeps -Wpedantic quiet about the GCC/Clang 128-bit integer.
__extension__ typedef __int128 Wide;

constexpr Wide kInt64Min = std::numeric_limits<int64_t>::min();
constexpr Wide kInt64Max = std::numeric_limits<int64_t>::max();

Wide absWide(Wide v) { return v < 0 ? -v : v; }

Wide gcdWide(Wide a, Wide b)
{
    a = absWide(a);
    b = absWide(b);
    while (b != 0) {
        const Wide t = a % b;
        a = b;
        b = t;
    }
    return a;
}

// Reduces n/d (d != 0) and returns it if both parts fit in int64 with a positive
// denominator. Products of two int64 values always fit in 128 bits, so every checked
// operation computes exactly here and only then decides whether the result is representable.
std::optional<std::pair<int64_t, int64_t>> reduceWide(Wide n, Wide d)
{
    if (d == 0)
        return std::nullopt;
    if (d < 0) {
        n = -n;
        d = -d;
    }
    const Wide g = gcdWide(n, d);
    if (g > 1) {
        n /= g;
        d /= g;
    }
    if (n == 0)
        d = 1;
    if (n < kInt64Min || n > kInt64Max || d > kInt64Max)
        return std::nullopt;
    return std::make_pair(int64_t(n), int64_t(d));
}

// floor(n / d) for d > 0.
Wide floorDiv(Wide n, Wide d)
{
    Wide q = n / d;
    if ((n % d != 0) && (n < 0))
        --q;
    return q;
}

int64_t clampToInt64(Wide v)
{
    if (v < kInt64Min)
        return std::numeric_limits<int64_t>::min();
    if (v > kInt64Max)
        return std::numeric_limits<int64_t>::max();
    return int64_t(v);
}

std::optional<Rational> fromWide(Wide n, Wide d)
{
    const auto r = reduceWide(n, d);
    if (!r)
        return std::nullopt;
    return Rational(r->first, r->second);
}

}  // namespace

Rational::Rational(int64_t num, int64_t den)
{
    Q_ASSERT_X(den != 0, "Rational", "zero denominator");
    // Only Rational(INT64_MIN, -1)-style inputs cannot be represented after normalising.
    const auto r = reduceWide(num, den == 0 ? 1 : den);
    Q_ASSERT_X(r.has_value(), "Rational", "value out of range");
    if (r) {
        m_num = r->first;
        m_den = r->second;
    }
}

std::optional<Rational> Rational::parse(QStringView text)
{
    // Strict grammar: -?digits(/digits)?  No whitespace, no '+', no decimals: the file format
    // has one spelling per value so that a save always reproduces the same bytes.
    qsizetype i = 0;
    const qsizetype n = text.size();
    bool negative = false;
    if (i < n && text[i] == u'-') {
        negative = true;
        ++i;
    }
    auto readDigits = [&](Wide &out) -> bool {
        const qsizetype begin = i;
        out = 0;
        while (i < n && text[i] >= u'0' && text[i] <= u'9') {
            out = out * 10 + (text[i].unicode() - u'0');
            if (out > kInt64Max + 1)  // +1 admits INT64_MIN's magnitude; reduceWide rechecks
                return false;
            ++i;
        }
        return i > begin;
    };
    Wide num = 0;
    Wide den = 1;
    if (!readDigits(num))
        return std::nullopt;
    if (i < n && text[i] == u'/') {
        ++i;
        if (!readDigits(den))
            return std::nullopt;
    }
    if (i != n || den == 0)
        return std::nullopt;
    return fromWide(negative ? -num : num, den);
}

QString Rational::toString() const
{
    // QString::number on integers ignores the locale; it is used for integers only.
    if (m_den == 1)
        return QString::number(m_num);
    return QString::number(m_num) + QLatin1Char('/') + QString::number(m_den);
}

std::optional<Rational> Rational::checkedAdd(const Rational &o) const
{
    return fromWide(Wide(m_num) * o.m_den + Wide(o.m_num) * m_den, Wide(m_den) * o.m_den);
}

std::optional<Rational> Rational::checkedSub(const Rational &o) const
{
    return fromWide(Wide(m_num) * o.m_den - Wide(o.m_num) * m_den, Wide(m_den) * o.m_den);
}

std::optional<Rational> Rational::checkedMul(const Rational &o) const
{
    return fromWide(Wide(m_num) * o.m_num, Wide(m_den) * o.m_den);
}

std::optional<Rational> Rational::checkedDiv(const Rational &o) const
{
    if (o.m_num == 0)
        return std::nullopt;
    return fromWide(Wide(m_num) * o.m_den, Wide(m_den) * o.m_num);
}

namespace {
Rational unwrap(std::optional<Rational> r)
{
    Q_ASSERT_X(r.has_value(), "Rational", "arithmetic overflow");
    return r.value_or(Rational());
}
}  // namespace

Rational Rational::operator+(const Rational &o) const { return unwrap(checkedAdd(o)); }
Rational Rational::operator-(const Rational &o) const { return unwrap(checkedSub(o)); }
Rational Rational::operator*(const Rational &o) const { return unwrap(checkedMul(o)); }
Rational Rational::operator/(const Rational &o) const { return unwrap(checkedDiv(o)); }
Rational Rational::operator-() const { return unwrap(fromWide(-Wide(m_num), m_den)); }

std::strong_ordering Rational::operator<=>(const Rational &o) const
{
    // Denominators are positive, so cross-multiplication keeps the order.
    const Wide l = Wide(m_num) * o.m_den;
    const Wide r = Wide(o.m_num) * m_den;
    if (l < r)
        return std::strong_ordering::less;
    if (l > r)
        return std::strong_ordering::greater;
    return std::strong_ordering::equal;
}

int64_t Rational::toFrames(const Rational &fps, Rounding r) const
{
    if (fps.m_num <= 0)
        return 0;
    // t * fps = (num * fps.num) / (den * fps.den), exact in 128 bits.
    const Wide n = Wide(m_num) * fps.m_num;
    const Wide d = Wide(m_den) * fps.m_den;
    if (r == Rounding::Floor)
        return clampToInt64(floorDiv(n, d));
    // Nearest, ties away from zero: round the magnitude, then restore the sign. The remainder
    // test avoids doubling |n|, which could exceed 127 bits.
    const Wide a = absWide(n);
    Wide mag = a / d;
    if (2 * (a - mag * d) >= d)
        ++mag;
    return clampToInt64(n < 0 ? -mag : mag);
}

Rational Rational::fromFrames(int64_t frames, const Rational &fps)
{
    if (fps.m_num <= 0)
        return Rational();
    return unwrap(fromWide(Wide(frames) * fps.m_den, fps.m_num));
}

}  // namespace editor
