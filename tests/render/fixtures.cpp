// SPDX-License-Identifier: GPL-3.0-or-later
#include "fixtures.h"

#include <QDir>
#include <QFile>
#include <QPainter>
#include <QtEndian>

#include <cmath>
#include <numbers>

namespace fixtures {

QString writeSolidPng(const QString &dir, const QString &name, QSize size, QColor color)
{
    QImage image(size, QImage::Format_ARGB32);
    image.fill(color);
    const QString path = QDir(dir).filePath(name);
    return image.save(path, "PNG") ? path : QString();
}

QString writeDiscPng(const QString &dir, const QString &name, QSize size, int radius)
{
    QImage image(size, QImage::Format_RGB32);
    image.fill(Qt::white);
    QPainter painter(&image);
    painter.setRenderHint(QPainter::Antialiasing);
    painter.setPen(Qt::NoPen);
    painter.setBrush(Qt::black);
    painter.drawEllipse(QPointF(size.width() / 2.0, size.height() / 2.0), radius, radius);
    painter.end();
    const QString path = QDir(dir).filePath(name);
    return image.save(path, "PNG") ? path : QString();
}

QString writeSineWav(const QString &dir, const QString &name, double seconds, double frequency,
                     double amplitude, int sampleRate)
{
    const int frames = int(seconds * sampleRate);
    const quint32 dataBytes = quint32(frames) * 4;
    QByteArray wav;
    auto u32 = [&](quint32 v) {
        char b[4];
        qToLittleEndian(v, b);
        wav.append(b, 4);
    };
    auto u16 = [&](quint16 v) {
        char b[2];
        qToLittleEndian(v, b);
        wav.append(b, 2);
    };
    wav.append("RIFF");
    u32(36 + dataBytes);
    wav.append("WAVEfmt ");
    u32(16);
    u16(1);  // PCM
    u16(2);  // stereo
    u32(quint32(sampleRate));
    u32(quint32(sampleRate) * 4);
    u16(4);
    u16(16);
    wav.append("data");
    u32(dataBytes);
    for (int i = 0; i < frames; ++i) {
        const double v = amplitude * std::sin(2.0 * std::numbers::pi * frequency * i / sampleRate);
        const auto s = qint16(std::lround(v * 32767.0));
        u16(quint16(s));
        u16(quint16(s));
    }
    const QString path = QDir(dir).filePath(name);
    QFile file(path);
    if (!file.open(QIODevice::WriteOnly) || file.write(wav) != wav.size())
        return {};
    return path;
}

QString writeMovingSquareMovie(const QString &dir, const QString &name, QSize size, int frames,
                               QString *error)
{
    const QString path = QDir(dir).filePath(name);
    render::VideoWriter writer;
    render::RenderError err;
    render::EncodeSettings settings;
    settings.crf = 16;
    if (!writer.open(path, size.width(), size.height(), {30, 1}, settings, false, &err)) {
        *error = err.message;
        return {};
    }
    QImage frame(size, QImage::Format_RGB32);
    for (int i = 0; i < frames; ++i) {
        frame.fill(QColor(0, 0, 200));
        QPainter painter(&frame);
        painter.fillRect(QRect(movieSquareLeft(i), (size.height() - kMovieSquare) / 2, kMovieSquare,
                               kMovieSquare),
                         Qt::white);
        painter.end();
        if (!writer.writeFrame(frame, &err)) {
            *error = err.message;
            return {};
        }
    }
    if (!writer.finish(&err)) {
        *error = err.message;
        return {};
    }
    return path;
}

render::Composition baseComposition(int width, int height, int64_t frames)
{
    render::Composition c;
    c.width = width;
    c.height = height;
    c.fps = {30, 1};
    c.frameCount = frames;
    c.background = Qt::black;
    c.label = QStringLiteral("test");
    c.encode.crf = 18;
    return c;
}

render::Layer solid(QRectF rect, QColor color, int64_t start, int64_t end)
{
    render::Layer l;
    l.kind = render::LayerKind::Solid;
    l.id = QStringLiteral("solid");
    l.rect = rect;
    l.solidColor = color;
    l.startFrame = start;
    l.endFrame = end;
    return l;
}

render::Layer video(const QString &path, QRectF rect, int64_t start, int64_t end)
{
    render::Layer l;
    l.kind = render::LayerKind::Video;
    l.id = QStringLiteral("clip");
    l.sourcePath = path;
    l.rect = rect;
    l.startFrame = start;
    l.endFrame = end;
    return l;
}

render::Layer image(const QString &path, QRectF rect, render::Fit fit, int64_t start, int64_t end)
{
    render::Layer l;
    l.kind = render::LayerKind::Image;
    l.id = QStringLiteral("image");
    l.sourcePath = path;
    l.rect = rect;
    l.fit = fit;
    l.startFrame = start;
    l.endFrame = end;
    return l;
}

render::Layer text(const QString &s, QRectF rect, render::TextAlign align, int64_t start, int64_t end)
{
    render::Layer l;
    l.kind = render::LayerKind::Text;
    l.id = QStringLiteral("text");
    l.text = s;
    l.rect = rect;
    l.textStyle.align = align;
    l.textStyle.pixelSize = 40;
    l.startFrame = start;
    l.endFrame = end;
    return l;
}

QImage frameOf(const QString &path, int frame, render::FrameRate fps)
{
    render::RenderError error;
    const QImage image = render::decodeVideoFrame(path, (frame + 0.5) * fps.den / fps.num, &error);
    if (image.isNull())
        qWarning("decodeVideoFrame: %s", qPrintable(error.message));
    return image;
}

double rms(const std::vector<float> &samples, double fromSec, double toSec)
{
    const size_t from = size_t(fromSec * 48000) * 2, to = std::min(samples.size(), size_t(toSec * 48000) * 2);
    double sum = 0;
    for (size_t i = from; i < to; ++i)
        sum += double(samples[i]) * samples[i];
    return to > from ? std::sqrt(sum / double(to - from)) : 0.0;
}

double squareLeft(const QImage &frame)
{
    const int top = (frame.height() - kMovieSquare) / 2;
    return brightCentroidX(frame, QRect(0, top + 5, frame.width(), kMovieSquare - 10), 180)
        - (kMovieSquare - 1) / 2.0;
}

QStringList partialFiles(const QString &dir)
{
    return QDir(dir).entryList({QStringLiteral("*.partial-*")}, QDir::Files | QDir::Hidden);
}

void dump(const QImage &image, const QString &name)
{
    if (qEnvironmentVariableIsSet("CAMPAIGN_RENDER_DUMP"))
        image.save(QDir(qEnvironmentVariable("CAMPAIGN_RENDER_DUMP")).filePath(name));
}

int luma(QRgb c)
{
    return (qRed(c) * 299 + qGreen(c) * 587 + qBlue(c) * 114) / 1000;
}

QColor meanColor(const QImage &image, const QRect &rect)
{
    double r = 0, g = 0, b = 0;
    int n = 0;
    const QRect clipped = rect.intersected(image.rect());
    for (int y = clipped.top(); y <= clipped.bottom(); ++y) {
        for (int x = clipped.left(); x <= clipped.right(); ++x) {
            const QRgb c = image.pixel(x, y);
            r += qRed(c);
            g += qGreen(c);
            b += qBlue(c);
            ++n;
        }
    }
    if (n == 0)
        return {};
    return QColor(int(std::lround(r / n)), int(std::lround(g / n)), int(std::lround(b / n)));
}

double brightCentroidX(const QImage &image, const QRect &rect, int threshold)
{
    double sum = 0;
    int n = 0;
    const QRect clipped = rect.intersected(image.rect());
    for (int y = clipped.top(); y <= clipped.bottom(); ++y) {
        for (int x = clipped.left(); x <= clipped.right(); ++x) {
            if (luma(image.pixel(x, y)) > threshold) {
                sum += x;
                ++n;
            }
        }
    }
    return n ? sum / n : -1.0;
}

int colorDistance(QColor a, QColor b)
{
    return std::max({std::abs(a.red() - b.red()), std::abs(a.green() - b.green()),
                     std::abs(a.blue() - b.blue())});
}

double meanAbsDiff(const QImage &a, const QImage &b)
{
    if (a.size() != b.size())
        return 255.0;
    double sum = 0;
    for (int y = 0; y < a.height(); ++y) {
        for (int x = 0; x < a.width(); ++x) {
            const QRgb p = a.pixel(x, y), q = b.pixel(x, y);
            sum += std::abs(qRed(p) - qRed(q)) + std::abs(qGreen(p) - qGreen(q))
                + std::abs(qBlue(p) - qBlue(q));
        }
    }
    return sum / (3.0 * a.width() * a.height());
}

}  // namespace fixtures
