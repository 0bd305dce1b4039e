// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Exact time: an always-reduced int64 ratio with a positive denominator. Timeline times,
// durations and frame rates (30000/1001) are Rationals; conversion to a frame index or to
// seconds happens only at the render and display edges. Arithmetic is done in 128-bit and
// reports overflow instead of wrapping.

#include <QString>
#include <QStringView>

#include <compare>
#include <cstdint>
#include <optional>

namespace editor {

class Rational {
public:
    constexpr Rational() = default;
    // den must not be 0; the value is reduced and the sign moved to the numerator.
    Rational(int64_t num, int64_t den = 1);

    int64_t num() const { return m_num; }
    int64_t den() const { return m_den; }
    bool isZero() const { return m_num == 0; }
    bool isNegative() const { return m_num < 0; }
    double toDouble() const { return double(m_num) / double(m_den); }

    // "15", "33/2", "30000/1001", "-1/2". Rejects empty, den 0, junk and overflow.
    static std::optional<Rational> parse(QStringView text);
    // "15" when den == 1, else "num/den". Locale independent.
    QString toString() const;

    // Checked arithmetic: nullopt on overflow (or division by zero).
    std::optional<Rational> checkedAdd(const Rational &o) const;
    std::optional<Rational> checkedSub(const Rational &o) const;
    std::optional<Rational> checkedMul(const Rational &o) const;
    std::optional<Rational> checkedDiv(const Rational &o) const;
    // Convenience operators for values known to be small; they assert on overflow.
    Rational operator+(const Rational &o) const;
    Rational operator-(const Rational &o) const;
    Rational operator*(const Rational &o) const;
    Rational operator/(const Rational &o) const;
    Rational operator-() const;

    bool operator==(const Rational &o) const = default;
    std::strong_ordering operator<=>(const Rational &o) const;

    // Frame index of time `*this` at `fps` frames per second: floor(t * fps) or rounded to
    // nearest (ties away from zero).
    enum class Rounding { Floor, Nearest };
    int64_t toFrames(const Rational &fps, Rounding r = Rounding::Nearest) const;
    static Rational fromFrames(int64_t frames, const Rational &fps);

private:
    int64_t m_num = 0;
    int64_t m_den = 1;
};

}  // namespace editor
