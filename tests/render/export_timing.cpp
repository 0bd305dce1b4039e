// SPDX-License-Identifier: GPL-3.0-or-later
// Times one export of the reference composition of docs/BENCHMARKS.md (15 s 1080x1920: two
// 2048² stills with Ken Burns, a 1080p clip, crossfades, a text box, a logo, an audio bed).
// Not a unit test: the media are synthesised first, then only exportComposition is timed.
//   QT_QPA_PLATFORM=offscreen ./render_export_timing [work-folder] [width height]
#include "fixtures.h"
#include "render/renderer.h"

#include <QDir>
#include <QElapsedTimer>
#include <QFileInfo>
#include <QGuiApplication>
#include <QPainter>
#include <QRandomGenerator>
#include <QTemporaryDir>

#include <cmath>
#include <cstdio>
#include <functional>
#include <sys/resource.h>

using namespace render;

namespace {
// Fine detail that punishes aliasing: thin rings and a colour gradient.
QString writeDetailedStill(const QString &dir, const QString &name, int variant)
{
    QImage image(2048, 2048, QImage::Format_RGB32);
    for (int y = 0; y < 2048; ++y) {
        auto *line = reinterpret_cast<QRgb *>(image.scanLine(y));
        for (int x = 0; x < 2048; ++x) {
            const double r = std::hypot(x - 1024.0, y - 1024.0);
            const int ring = (int(r / (3 + variant)) & 1) * 80;
            line[x] = qRgb((x / 8 + ring) & 255, (y / 8 + variant * 60) & 255, (ring + 90) & 255);
        }
    }
    const QString path = QDir(dir).filePath(name);
    return image.save(path, "PNG", 90) ? path : QString();
}

QString writeLogo(const QString &dir)
{
    QImage image(2048, 2048, QImage::Format_ARGB32);
    image.fill(Qt::transparent);
    QPainter p(&image);
    p.setRenderHint(QPainter::Antialiasing);
    p.setBrush(QColor(250, 200, 0));
    p.setPen(Qt::NoPen);
    p.drawEllipse(QRectF(200, 200, 1648, 1648));
    p.end();
    const QString path = QDir(dir).filePath(QStringLiteral("logo.png"));
    return image.save(path, "PNG") ? path : QString();
}

// 1920x1080, 180 frames of a moving gradient with grain.
QString writeClip(const QString &dir)
{
    const QString path = QDir(dir).filePath(QStringLiteral("clip.mp4"));
    VideoWriter writer;
    RenderError error;
    if (!writer.open(path, 1920, 1080, {30, 1}, EncodeSettings(), false, &error))
        return {};
    QImage frame(1920, 1080, QImage::Format_RGB32);
    QRandomGenerator rng(42);
    for (int i = 0; i < 180; ++i) {
        for (int y = 0; y < 1080; ++y) {
            auto *line = reinterpret_cast<QRgb *>(frame.scanLine(y));
            for (int x = 0; x < 1920; ++x) {
                const int grain = int(rng.bounded(24));
                line[x] = qRgb(((x + 8 * i) / 8 + grain) & 255, (y / 5 + grain) & 255, (128 + grain));
            }
        }
        if (!writer.writeFrame(frame, &error))
            return {};
    }
    return writer.finish(&error) ? path : QString();
}
}  // namespace

int main(int argc, char **argv)
{
    qputenv("QT_QPA_PLATFORM", qgetenv("QT_QPA_PLATFORM").isEmpty() ? "offscreen" : qgetenv("QT_QPA_PLATFORM"));
    QGuiApplication app(argc, argv);
    QTemporaryDir temp;
    const QString dir = argc > 1 ? QString::fromLocal8Bit(argv[1]) : temp.path();
    const int width = argc > 3 ? std::atoi(argv[2]) : 1080;
    const int height = argc > 3 ? std::atoi(argv[3]) : 1920;
    QDir().mkpath(dir);
    QString fontError;
    if (!loadRenderFonts(&fontError)) {
        std::fprintf(stderr, "%s\n", qPrintable(fontError));
        return 1;
    }
    // Media left by an earlier run in the same folder are reused, so peak RSS is the export's.
    const QDir folder(dir);
    auto reuse = [&](const char *name, const std::function<QString()> &make) {
        const QString existing = folder.filePath(QString::fromUtf8(name));
        return QFileInfo::exists(existing) ? existing : make();
    };
    std::fprintf(stderr, "media in %s ...\n", qPrintable(dir));
    const QString still1 = reuse("still1.png", [&] { return writeDetailedStill(dir, QStringLiteral("still1.png"), 0); });
    const QString still2 = reuse("still2.png", [&] { return writeDetailedStill(dir, QStringLiteral("still2.png"), 2); });
    const QString logo = reuse("logo.png", [&] { return writeLogo(dir); });
    const QString clip = reuse("clip.mp4", [&] { return writeClip(dir); });
    const QString bed = reuse("bed.wav", [&] {
        return fixtures::writeSineWav(dir, QStringLiteral("bed.wav"), 15.0, 220.0, 0.3);
    });
    if (still1.isEmpty() || still2.isEmpty() || logo.isEmpty() || clip.isEmpty() || bed.isEmpty()) {
        std::fprintf(stderr, "could not synthesise the media\n");
        return 1;
    }

    Composition c;
    c.width = width;
    c.height = height;
    c.fps = {30, 1};
    c.frameCount = 450;
    c.label = QStringLiteral("reference");
    const QRectF full(0, 0, width, height);
    Layer s1;
    s1.kind = LayerKind::Image;
    s1.sourcePath = still1;
    s1.rect = full;
    s1.startFrame = 0;
    s1.endFrame = 165;
    s1.kenBurns = {true, 1.0, 1.15, 0.5, 0.5, 0.5, 0.5};
    c.layers.push_back(s1);
    Layer video;
    video.kind = LayerKind::Video;
    video.sourcePath = clip;
    video.rect = full;
    video.startFrame = 150;
    video.endFrame = 330;
    video.fadeInFrames = 15;
    c.layers.push_back(video);
    Layer s2 = s1;
    s2.sourcePath = still2;
    s2.startFrame = 315;
    s2.endFrame = 450;
    s2.fadeInFrames = 15;
    s2.kenBurns = {true, 1.15, 1.0, 0.5, 0.5, 0.5, 0.5};
    c.layers.push_back(s2);
    Layer text;
    text.kind = LayerKind::Text;
    text.text = QStringLiteral("Sommarens bästa erbjudanden – spara 30 %");
    text.rect = QRectF(0, 0.78 * height, width, 0.16 * height);
    text.startFrame = 30;
    text.endFrame = 420;
    text.textStyle.pixelSize = 0.045 * std::min(width, height);
    text.textStyle.boxOpacity = 0.55;
    text.textStyle.padding = 24;
    c.layers.push_back(text);
    Layer logoLayer;
    logoLayer.kind = LayerKind::Image;
    logoLayer.sourcePath = logo;
    logoLayer.fit = Fit::Contain;
    logoLayer.rect = QRectF(width - 40 - 200, 40, 200, 200);
    logoLayer.startFrame = 0;
    logoLayer.endFrame = 450;
    c.layers.push_back(logoLayer);
    AudioClip audio;
    audio.sourcePath = bed;
    audio.endFrame = 450;
    audio.fadeOutFrames = 30;
    c.audio.push_back(audio);

    const QString out = QDir(dir).filePath(QStringLiteral("reference-%1x%2.mp4").arg(width).arg(height));
    rusage before{};
    getrusage(RUSAGE_SELF, &before);
    QElapsedTimer timer;
    timer.start();
    const ExportResult result = exportComposition(c, out);
    const double wall = timer.elapsed() / 1000.0;
    rusage after{};
    getrusage(RUSAGE_SELF, &after);
    if (result.error) {
        std::fprintf(stderr, "export failed: %s\n", qPrintable(result.error.message));
        return 1;
    }
    auto seconds = [](const timeval &t) { return t.tv_sec + t.tv_usec / 1e6; };
    const double cpu = seconds(after.ru_utime) - seconds(before.ru_utime)
        + seconds(after.ru_stime) - seconds(before.ru_stime);
    const MediaInfo info = probeMedia(out);
    std::printf("%s: %lld frames %dx%d in %.2f s wall, %.2f s CPU (%.1f fps), peak RSS %ld MB, "
                "duration %.3f s\n",
                qPrintable(out), static_cast<long long>(result.framesWritten), width, height, wall,
                cpu, result.framesWritten / wall, after.ru_maxrss / 1024, info.durationSec);
    return 0;
}
