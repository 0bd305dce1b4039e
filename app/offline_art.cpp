// SPDX-License-Identifier: GPL-3.0-or-later
#include "offline_art.h"

#include <QFont>
#include <QFontMetricsF>
#include <QLinearGradient>
#include <QPainter>
#include <QPainterPath>
#include <QRadialGradient>
#include <QRegularExpression>
#include <QSet>

#include <algorithm>
#include <cmath>

namespace services::offline {

namespace {
constexpr double kPi = 3.14159265358979323846;

// Words that say nothing about the picture's content; the typography shows the rest.
const QSet<QString> &stopWords()
{
    static const QSet<QString> words = {
        QStringLiteral("the"),    QStringLiteral("and"),     QStringLiteral("for"),
        QStringLiteral("with"),   QStringLiteral("from"),    QStringLiteral("into"),
        QStringLiteral("over"),   QStringLiteral("under"),   QStringLiteral("this"),
        QStringLiteral("that"),   QStringLiteral("its"),     QStringLiteral("our"),
        QStringLiteral("your"),   QStringLiteral("shot"),    QStringLiteral("hero"),
        QStringLiteral("image"),  QStringLiteral("photo"),   QStringLiteral("picture"),
        QStringLiteral("style"),  QStringLiteral("studio"),  QStringLiteral("soft"),
        QStringLiteral("high"),   QStringLiteral("quality"), QStringLiteral("detailed"),
        QStringLiteral("bpm"),    QStringLiteral("music"),   QStringLiteral("bed"),
        QStringLiteral("brand"),  QStringLiteral("shadow"),  QStringLiteral("product"),
    };
    return words;
}

double wrap(double v, double lo, double hi)
{
    const double span = hi - lo;
    double r = std::fmod(v - lo, span);
    if (r < 0)
        r += span;
    return lo + r;
}

QColor withAlpha(QColor c, int alpha)
{
    c.setAlpha(alpha);
    return c;
}

void paintBackground(QPainter &p, const Scene &s, const QSizeF &size, double t)
{
    const double w = size.width(), h = size.height();
    const double diag = std::hypot(w, h);
    const double a = s.gradientAngle * kPi / 180.0;
    const QPointF dir(std::cos(a), std::sin(a));
    // Panning the gradient line with reflect spread gives a seamless, endless colour drift.
    const QPointF shift = dir * (s.panSpeed * t * w);
    const QPointF c(w / 2, h / 2);
    QLinearGradient g(c - dir * (diag / 2) + shift, c + dir * (diag / 2) + shift);
    g.setSpread(QGradient::ReflectSpread);
    const int n = int(s.palette.size());
    for (int i = 0; i < n; ++i)
        g.setColorAt(n == 1 ? 0.5 : double(i) / (n - 1), s.palette[i]);
    if (n == 1) {
        g.setColorAt(0.0, s.palette[0].darker(160));
        g.setColorAt(1.0, s.palette[0].lighter(130));
    }
    p.fillRect(QRectF(0, 0, w, h), g);
}

void paintBlobs(QPainter &p, const Scene &s, const QSizeF &size, double t)
{
    const double w = size.width(), h = size.height(), m = std::min(w, h);
    p.setPen(Qt::NoPen);
    for (const Blob &b : s.blobs) {
        const QPointF c(wrap(b.center.x() + b.velocity.x() * t, -0.2, 1.2) * w,
                        wrap(b.center.y() + b.velocity.y() * t, -0.2, 1.2) * h);
        const double r = b.radius * m;
        QRadialGradient g(c, r);
        g.setColorAt(0.0, withAlpha(b.color, 190));
        g.setColorAt(0.6, withAlpha(b.color, 110));
        g.setColorAt(1.0, withAlpha(b.color, 0));
        p.setBrush(g);
        p.drawEllipse(c, r, r);
    }
}

void paintBands(QPainter &p, const Scene &s, const QSizeF &size, double t)
{
    const double w = size.width(), h = size.height(), m = std::min(w, h);
    const double diag = std::hypot(w, h);
    p.setPen(Qt::NoPen);
    for (const Band &b : s.bands) {
        p.save();
        p.translate(w / 2, h / 2);
        p.rotate(b.angle);
        const double y = wrap(b.offset + b.speed * t, -0.6, 0.6) * diag;
        p.setBrush(b.color);
        p.drawRect(QRectF(-diag, y, 2 * diag, b.width * m));
        p.restore();
    }
}

void paintSky(QPainter &p, const Scene &s, const QSizeF &size, double t)
{
    const double w = size.width(), h = size.height(), m = std::min(w, h);
    p.setPen(Qt::NoPen);
    if (s.stars) {
        Rng rng(0x5eed5u + uint64_t(s.words.size()));
        for (int i = 0; i < 90; ++i) {
            const QPointF c(rng.uniform() * w, rng.uniform() * h * 0.55);
            const double twinkle = 0.6 + 0.4 * std::sin(t * 3.0 + i);
            p.setBrush(QColor(255, 255, 255, int(150 * twinkle)));
            const double r = m * rng.range(0.0015, 0.004);
            p.drawEllipse(c, r, r);
        }
    }
    if (s.sun) {
        const QPointF c(0.72 * w, (0.38 - 0.01 * t) * h);
        const double r = 0.16 * m;
        QRadialGradient g(c, r * 2.2);
        QColor core = s.palette.first();
        for (const QColor &c : s.palette)
            if (c.lightness() > core.lightness())
                core = c;
        core = core.lighter(150);
        g.setColorAt(0.0, withAlpha(core, 255));
        g.setColorAt(0.42, withAlpha(core, 235));
        g.setColorAt(0.46, withAlpha(core, 90));
        g.setColorAt(1.0, withAlpha(core, 0));
        p.setBrush(g);
        p.drawEllipse(c, r * 2.2, r * 2.2);
    }
}

void paintRidges(QPainter &p, const Scene &s, const QSizeF &size, double t)
{
    const double w = size.width(), h = size.height();
    const int n = int(s.ridge.size());
    for (int layer = 0; layer < 2; ++layer) {
        const double base = layer == 0 ? 0.62 : 0.74;
        const double amp = layer == 0 ? 0.18 : 0.12;
        const double drift = t * (layer == 0 ? 0.01 : 0.025);  // parallax
        QPainterPath path(QPointF(0, h));
        for (int i = 0; i <= 64; ++i) {
            const double x = double(i) / 64;
            const double k = wrap(x + drift + layer * 0.37, 0, 1) * (n - 1);
            const int i0 = int(k);
            const double f = k - i0;
            const double v = s.ridge[i0] * (1 - f) + s.ridge[std::min(i0 + 1, n - 1)] * f;
            path.lineTo(x * w, (base - amp * v) * h);
        }
        path.lineTo(w, h);
        path.closeSubpath();
        p.setPen(Qt::NoPen);
        p.setBrush(layer == 0 ? withAlpha(s.shadeColor.lighter(160), 200) : s.shadeColor);
        p.drawPath(path);
    }
}

// A runner in mid-stride, drawn as thick round strokes; `phase` moves the limbs.
void paintRunner(QPainter &p, const Scene &s, double u, double phase, const QColor &shoe)
{
    auto limb = [](QPointF from, double angle, double len) {
        return from + QPointF(std::sin(angle), std::cos(angle)) * len;  // 0 = straight down
    };
    const QPointF hip(0, 0);
    const QPointF shoulder(0.12 * u, -0.5 * u);
    QPen pen(s.shadeColor, 0.085 * u, Qt::SolidLine, Qt::RoundCap, Qt::RoundJoin);
    p.setPen(pen);
    p.setBrush(Qt::NoBrush);
    for (int side = 0; side < 2; ++side) {
        const double ph = phase + side * kPi;
        const double thigh = 0.6 * std::sin(ph);
        const double bend = 0.2 + 1.3 * std::max(0.0, std::cos(ph));  // swing leg folds
        const QPointF knee = limb(hip, thigh, 0.3 * u);
        const QPointF foot = limb(knee, thigh - bend, 0.3 * u);
        p.drawPolyline(QList<QPointF>{hip, knee, foot});
        p.save();
        p.setPen(QPen(shoe, 0.07 * u, Qt::SolidLine, Qt::RoundCap));
        p.drawLine(foot, foot + QPointF(0.09 * u, 0));
        p.restore();
        const double arm = -0.7 * std::sin(ph);
        const QPointF elbow = limb(shoulder, arm, 0.2 * u);
        p.drawPolyline(QList<QPointF>{shoulder, elbow, limb(elbow, arm + 1.5, 0.18 * u)});
    }
    p.drawLine(hip, shoulder);
    p.setPen(Qt::NoPen);
    p.setBrush(s.shadeColor);
    const double r = 0.11 * u;
    p.drawEllipse(shoulder + QPointF(0.08 * u, -0.2 * u), r, r);
}

void paintShoe(QPainter &p, const Scene &s, double u)
{
    QRadialGradient shadow(QPointF(0, 0.24 * u), 0.6 * u);
    shadow.setColorAt(0.0, QColor(0, 0, 0, 140));
    shadow.setColorAt(1.0, QColor(0, 0, 0, 0));
    p.setPen(Qt::NoPen);
    p.save();
    p.scale(1.0, 0.12);
    p.setBrush(shadow);
    p.drawEllipse(QPointF(0, 0.24 * u / 0.12), 0.6 * u, 0.6 * u);
    p.restore();

    QPainterPath upper(QPointF(-0.48 * u, 0.1 * u));
    upper.lineTo(-0.5 * u, -0.12 * u);
    upper.quadTo(-0.45 * u, -0.3 * u, -0.24 * u, -0.27 * u);
    upper.quadTo(-0.1 * u, -0.2 * u, 0.05 * u, -0.12 * u);
    upper.quadTo(0.35 * u, -0.06 * u, 0.48 * u, 0.02 * u);
    upper.quadTo(0.53 * u, 0.08 * u, 0.5 * u, 0.1 * u);
    upper.closeSubpath();
    QLinearGradient fill(QPointF(-0.5 * u, -0.3 * u), QPointF(0.5 * u, 0.1 * u));
    fill.setColorAt(0, s.palette.first());
    fill.setColorAt(1, s.palette.size() > 1 ? s.palette[1] : s.palette.first().darker(140));
    p.setBrush(fill);
    p.drawPath(upper);

    // A side stripe in the last palette colour, clipped to the upper.
    p.save();
    p.setClipPath(upper);
    p.setBrush(withAlpha(s.palette.last().lighter(120), 220));
    QPainterPath stripe(QPointF(-0.42 * u, 0.1 * u));
    stripe.quadTo(-0.05 * u, -0.02 * u, 0.3 * u, -0.08 * u);
    stripe.lineTo(0.32 * u, -0.02 * u);
    stripe.quadTo(0.0, 0.06 * u, -0.3 * u, 0.12 * u);
    p.drawPath(stripe);
    p.restore();

    p.setBrush(s.textColor);
    p.drawRoundedRect(QRectF(-0.52 * u, 0.09 * u, 1.05 * u, 0.1 * u), 0.04 * u, 0.04 * u);
    p.setPen(QPen(s.shadeColor, 0.018 * u, Qt::SolidLine, Qt::RoundCap));
    for (int i = 0; i < 4; ++i) {
        const double x = -0.2 * u + i * 0.07 * u;
        const double y = -0.24 * u + i * 0.035 * u;
        p.drawLine(QPointF(x, y), QPointF(x + 0.05 * u, y + 0.06 * u));
    }
}

// Wide frames put the words on the left and the subject on the right; square and tall frames
// stack the words above the subject, so neither hides the other.
bool isWide(const QSizeF &size) { return size.width() > 1.2 * size.height(); }

void paintSubject(QPainter &p, const Scene &s, const QSizeF &size, double t)
{
    const double w = size.width(), h = size.height(), m = std::min(w, h);
    const double u = s.subjectScale * m;
    const double x = (isWide(size) ? 0.7 : 0.5) * w + s.subjectPos.x() * m;
    p.save();
    switch (s.subject) {
    case Subject::Runner: {
        const double phase = s.posePhase + t * 2 * kPi * 1.4;  // ~168 steps a minute
        const double bob = 0.02 * u * std::abs(std::sin(phase));
        p.translate(x, 0.93 * h - 0.62 * u + s.subjectPos.y() * m - bob);  // feet near the bottom
        paintRunner(p, s, u, phase, s.palette.first());
        break;
    }
    case Subject::Shoe:
        p.translate(x, 0.9 * h - 0.25 * u + s.subjectPos.y() * m - 0.02 * u * std::sin(t * 2.2));
        p.rotate(-6 + 3 * std::sin(t * 1.3));
        paintShoe(p, s, u);
        break;
    case Subject::Landscape:
        paintRidges(p, s, size, t);
        break;
    }
    p.restore();
}

void paintSpeedLines(QPainter &p, const Scene &s, const QSizeF &size, double t)
{
    const double w = size.width(), h = size.height(), m = std::min(w, h);
    for (const SpeedLine &l : s.speedLines) {
        const double x = wrap(l.phase - l.speed * t, -l.length, 1.0) * w;
        QLinearGradient g(QPointF(x, 0), QPointF(x + l.length * w, 0));
        g.setColorAt(0, QColor(255, 255, 255, 200));
        g.setColorAt(1, QColor(255, 255, 255, 0));
        p.setPen(Qt::NoPen);
        p.setBrush(g);
        p.drawRoundedRect(QRectF(x, l.y * h, l.length * w, l.thickness * m), l.thickness * m / 2,
                          l.thickness * m / 2);
    }
}

void paintWords(QPainter &p, const Scene &s, const QSizeF &size, double t)
{
    if (s.words.isEmpty())
        return;
    const double w = size.width(), h = size.height(), m = std::min(w, h);
    const bool wide = isWide(size);
    // One size for every line. On square/tall frames the widest word fits half the width, so a
    // 9:16 centre crop of a square picture still shows it whole.
    const double maxWidth = wide ? 0.42 * w : 0.5 * w;
    QFont font(QStringLiteral("Noto Sans"));
    font.setBold(true);
    font.setPixelSize(std::max(8, int((wide ? 0.11 : 0.085) * m)));
    double widest = 1;
    for (const QString &word : s.words)
        widest = std::max(widest, QFontMetricsF(font).horizontalAdvance(word));
    if (widest > maxWidth)
        font.setPixelSize(std::max(8, int(font.pixelSize() * maxWidth / widest)));
    const QFontMetricsF fm(font);
    p.setFont(font);
    const double lineStep = fm.height() * 0.92;
    const double blockHeight = lineStep * (s.words.size() - 1) + fm.height();
    double y = (wide ? 0.45 * h - blockHeight / 2 : 0.06 * h) + fm.ascent();
    const double slide = 0.015 * w * std::sin(t * 0.7);
    for (int i = 0; i < s.words.size(); ++i) {
        const double advance = fm.horizontalAdvance(s.words[i]);
        const double x = (wide ? 0.06 * w : (w - advance) / 2) + (i % 2 ? -slide : slide);
        p.setPen(QColor(0, 0, 0, 110));
        p.drawText(QPointF(x + 0.006 * m, y + 0.006 * m), s.words[i]);
        p.setPen(s.textColor);
        p.drawText(QPointF(x, y), s.words[i]);
        y += lineStep;
    }
}

void paintVignette(QPainter &p, const QSizeF &size)
{
    const QPointF c(size.width() / 2, size.height() / 2);
    QRadialGradient g(c, std::hypot(size.width(), size.height()) * 0.6);
    g.setColorAt(0.55, QColor(0, 0, 0, 0));
    g.setColorAt(1.0, QColor(0, 0, 0, 120));
    p.fillRect(QRectF(QPointF(0, 0), size), g);
}
}  // namespace

uint64_t Rng::next()
{
    uint64_t z = (m_state += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
}

double Rng::uniform() { return double(next() >> 11) * (1.0 / 9007199254740992.0); }

uint64_t hashText(QStringView text)
{
    uint64_t h = 0xcbf29ce484222325ull;
    for (QChar ch : text) {
        h ^= ch.unicode();
        h *= 0x100000001b3ull;
    }
    return h;
}

uint64_t sceneSeed(const editor::GenerationRecipe &r)
{
    Rng mix(uint64_t(r.seed));
    return mix.next() ^ hashText(r.prompt) ^ (hashText(r.palette.join(QLatin1Char(','))) << 1);
}

QList<QColor> paletteColors(const editor::GenerationRecipe &r)
{
    QList<QColor> colors;
    for (const QString &name : r.palette) {
        const QColor c = QColor::fromString(name.trimmed());
        if (c.isValid())
            colors << c;
    }
    if (colors.isEmpty()) {
        Rng rng(uint64_t(r.seed) ^ 0xc0105u);
        const int hue = rng.index(360);
        colors << QColor::fromHsv(hue, 200, 230) << QColor::fromHsv((hue + 35) % 360, 170, 210)
               << QColor::fromHsv((hue + 180) % 360, 190, 150);
    }
    return colors;
}

QStringList promptKeyWords(const QString &prompt, int max)
{
    static const QRegularExpression wordRe(QStringLiteral("[\\p{L}\\p{N}]+"));
    QStringList words;
    QSet<QString> seen;
    for (auto it = wordRe.globalMatch(prompt); it.hasNext() && words.size() < max;) {
        const QString word = it.next().captured(0);
        const QString key = word.toLower();
        if (word.size() < 3 || stopWords().contains(key) || seen.contains(key))
            continue;
        bool digits = true;
        for (QChar ch : word)
            digits = digits && ch.isDigit();
        if (digits)
            continue;
        seen.insert(key);
        words << word.toUpper();
    }
    return words;
}

Scene makeScene(const editor::GenerationRecipe &r, bool forVideo)
{
    Rng rng(sceneSeed(r));
    Scene s;
    s.palette = paletteColors(r);
    const QString prompt = r.prompt.toLower();
    auto mentions = [&prompt](std::initializer_list<const char *> keys) {
        for (const char *k : keys)
            if (prompt.contains(QLatin1String(k)))
                return true;
        return false;
    };
    s.gradientAngle = rng.range(0, 360);
    s.panSpeed = forVideo ? rng.range(0.08, 0.16) : 0;
    const int blobCount = forVideo ? 4 : 7;
    for (int i = 0; i < blobCount; ++i) {
        const double speed = forVideo ? rng.range(0.03, 0.09) : 0;
        const double dir = rng.range(0, 2 * kPi);
        s.blobs.push_back({QPointF(rng.uniform(), rng.uniform()), rng.range(0.15, 0.5),
                           QPointF(std::cos(dir), std::sin(dir)) * speed,
                           s.palette[rng.index(int(s.palette.size()))].lighter(110 + rng.index(40))});
    }
    const int bandCount = 2 + rng.index(3);
    const double bandAngle = rng.range(-60, 60);
    for (int i = 0; i < bandCount; ++i) {
        QColor c = s.palette[rng.index(int(s.palette.size()))];
        c = rng.uniform() < 0.5 ? c.lighter(140) : c.darker(150);
        s.bands.push_back({bandAngle + rng.range(-8, 8), rng.range(-0.5, 0.5),
                           rng.range(0.04, 0.16), forVideo ? rng.range(0.02, 0.06) : 0,
                           withAlpha(c, 80)});
    }
    if (mentions({"speed", "motion", "fast", "sprint"})) {
        const int lines = forVideo ? 28 : 16;
        for (int i = 0; i < lines; ++i)
            s.speedLines.push_back({rng.range(0.05, 0.95), rng.range(0.1, 0.35), rng.uniform(),
                                    forVideo ? rng.range(0.6, 1.6) : 0,
                                    rng.range(0.002, 0.008)});
    }
    if (mentions({"shoe", "sneaker", "trainer"}) && !mentions({"runner", "running"}))
        s.subject = Subject::Shoe;
    else if (mentions({"runner", "running", "jogger", "athlete"}))
        s.subject = Subject::Runner;
    else
        s.subject = Subject::Landscape;
    s.subjectPos = QPointF(rng.range(-0.06, 0.06), rng.range(-0.02, 0.01));
    s.subjectScale = s.subject == Subject::Shoe ? rng.range(0.5, 0.58) : rng.range(0.32, 0.37);
    s.posePhase = rng.range(0, 2 * kPi);
    for (int i = 0; i < 12; ++i)
        s.ridge.push_back(rng.uniform());
    s.sun = mentions({"dusk", "sunrise", "sunset", "sun", "desert"});
    s.stars = mentions({"night"});
    s.words = promptKeyWords(r.prompt, 3);
    QColor lightest = s.palette.first(), darkest = s.palette.first();
    for (const QColor &c : s.palette) {
        if (c.lightness() > lightest.lightness())
            lightest = c;
        if (c.lightness() < darkest.lightness())
            darkest = c;
    }
    s.textColor = withAlpha(lightest.lighter(175), 240);
    s.shadeColor = darkest.darker(320);
    return s;
}

void paintScene(QPainter &p, const Scene &s, const QSizeF &size, double t)
{
    p.setRenderHint(QPainter::Antialiasing, true);
    p.setRenderHint(QPainter::TextAntialiasing, true);
    paintBackground(p, s, size, t);
    paintBlobs(p, s, size, t);
    paintBands(p, s, size, t);
    paintSky(p, s, size, t);
    paintSubject(p, s, size, t);
    paintSpeedLines(p, s, size, t);
    paintWords(p, s, size, t);
    paintVignette(p, size);
}

void paintOverlay(QPainter &p, const Scene &s, const QSizeF &size, double t)
{
    p.setRenderHint(QPainter::Antialiasing, true);
    paintSpeedLines(p, s, size, t);
    paintVignette(p, size);
}

}  // namespace services::offline
