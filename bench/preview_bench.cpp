// SPDX-License-Identifier: GPL-3.0-or-later
// Preview benchmark (bench/README.md, "Preview"): drives the real PreviewPanel on a campaign
// (the generated stride sample) and measures
//   1. scrub latency: the playhead set to N pseudo-random frames, one after another, timed
//      from setPlayhead() to the frame reaching the view; median and p95. Alternated per time
//      with the floor: the same frame rendered directly by a render::FrameRenderer of the
//      same scaled composition on this thread (no worker hop, no queueing);
//   2. sustained playback over the whole timeline: frames shown and dropped, late frames,
//      achieved frame rate and the drift of the last frame shown against the wall clock.
// Not a test: prints a Markdown table; the figures depend on the machine and its load.
#include "editor/document.h"
#include "editor/project_io.h"
#include "editor/resolve.h"
#include "render/renderer.h"
#include "ui/playback_controller.h"
#include "ui/preview_panel.h"
#include "ui/preview_view.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QTemporaryDir>
#include <QTimer>

#include <sys/resource.h>

#include <algorithm>
#include <cstdio>
#include <random>
#include <vector>

namespace {

double percentile(std::vector<double> v, double p)
{
    if (v.empty())
        return 0.0;
    std::sort(v.begin(), v.end());
    // Nearest rank: the smallest value with at least p % of the samples at or below it.
    const size_t rank = size_t(std::ceil(p / 100.0 * double(v.size())));
    return v[std::clamp<size_t>(rank, 1, v.size()) - 1];
}

// Runs the event loop until `done` holds or `timeoutMs` passes; returns whether it held.
template <typename Pred>
bool waitFor(Pred done, int timeoutMs)
{
    QElapsedTimer t;
    t.start();
    while (!done()) {
        if (t.elapsed() > timeoutMs)
            return false;
        QCoreApplication::processEvents(QEventLoop::AllEvents | QEventLoop::WaitForMoreEvents, 5);
    }
    return true;
}

long peakRssMb()
{
    rusage usage{};
    getrusage(RUSAGE_SELF, &usage);
    return usage.ru_maxrss / 1024;
}

}  // namespace

int main(int argc, char **argv)
{
    if (qEnvironmentVariableIsEmpty("QT_QPA_PLATFORM"))
        qputenv("QT_QPA_PLATFORM", "offscreen");
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Preview latency and playback benchmark"));
    parser.addHelpOption();
    parser.addPositionalArgument(QStringLiteral("campaign"), QStringLiteral("the .campaign file"));
    QCommandLineOption segmentOpt(QStringLiteral("segment"), QStringLiteral("segment id (default: first)"),
                                  QStringLiteral("id"));
    QCommandLineOption formatOpt(QStringLiteral("format"), QStringLiteral("format id"),
                                 QStringLiteral("id"), QStringLiteral("9x16"));
    QCommandLineOption sizeOpt(QStringLiteral("max-size"), QStringLiteral("preview box side, px"),
                               QStringLiteral("px"), QStringLiteral("720"));
    QCommandLineOption scrubsOpt(QStringLiteral("scrubs"), QStringLiteral("scrub samples"),
                                 QStringLiteral("n"), QStringLiteral("100"));
    QCommandLineOption seedOpt(QStringLiteral("seed"), QStringLiteral("random seed"),
                               QStringLiteral("n"), QStringLiteral("1"));
    QCommandLineOption runsOpt(QStringLiteral("playback-runs"),
                               QStringLiteral("playback runs over the whole timeline"),
                               QStringLiteral("n"), QStringLiteral("3"));
    QCommandLineOption silentOpt(QStringLiteral("silent"),
                                 QStringLiteral("never open an audio device (wall clock)"));
    QCommandLineOption noProxyOpt(QStringLiteral("no-proxy"),
                                  QStringLiteral("decode the original video sources (no preview proxies)"));
    QCommandLineOption proxyDirOpt(QStringLiteral("proxy-dir"),
                                   QStringLiteral("proxy folder (default: a fresh temporary one, so "
                                                  "the build time is measured)"),
                                   QStringLiteral("dir"));
    parser.addOptions({segmentOpt, formatOpt, sizeOpt, scrubsOpt, seedOpt, runsOpt, silentOpt,
                       noProxyOpt, proxyDirOpt});
    if (!parser.parse(app.arguments()) || parser.positionalArguments().size() != 1) {
        std::fprintf(stderr, "%s\n%s", qPrintable(parser.errorText()), qPrintable(parser.helpText()));
        return 2;
    }
    QString fontError;
    if (!render::loadRenderFonts(&fontError)) {
        std::fprintf(stderr, "%s\n", qPrintable(fontError));
        return 1;
    }
    const QString path = parser.positionalArguments().first();
    editor::LoadResult loaded = editor::loadCampaign(path);
    if (!loaded.campaign) {
        std::fprintf(stderr, "%s\n", qPrintable(loaded.message));
        return 66;
    }
    const QString segmentId = parser.isSet(segmentOpt) ? parser.value(segmentOpt)
                                                       : loaded.campaign->segments.front().id;
    const QString formatId = parser.value(formatOpt);
    const int side = parser.value(sizeOpt).toInt();
    const int scrubs = parser.value(scrubsOpt).toInt();
    const int runs = parser.value(runsOpt).toInt();

    editor::Document document;
    document.reset(*loaded.campaign, path);
    ui::PreviewPanel panel(&document);
    QTemporaryDir tempProxies;
    const bool useProxies = !parser.isSet(noProxyOpt);
    panel.setProxyDirectory(!useProxies ? QString()
                            : parser.isSet(proxyDirOpt) ? parser.value(proxyDirOpt)
                                                        : tempProxies.path());
    ui::PlaybackController *controller = panel.controller();
    controller->setAudioEnabled(!parser.isSet(silentOpt));
    panel.setMaxFrameSize(QSize(side, side));
    panel.resize(520, 900);
    panel.show();

    qint64 shownFrame = -1;
    quint64 shownCount = 0;
    QObject::connect(controller, &ui::PlaybackController::frameShown, &panel,
                     [&](const QImage &, qint64 frame) { shownFrame = frame; ++shownCount; });
    QString failure;
    QObject::connect(controller, &ui::PlaybackController::frameFailed, &panel,
                     [&](const QString &message) { failure = message; });

    // Cold: the cell opened and its first frame rendered (decoders opened, stills decoded).
    QElapsedTimer timer;
    timer.start();
    panel.setCell(segmentId, formatId);
    panel.setPlayhead(0);
    if (!waitFor([&] { return shownFrame == 0 || !failure.isEmpty(); }, 60000) || !failure.isEmpty()) {
        std::fprintf(stderr, "no first frame: %s\n", qPrintable(failure));
        return 1;
    }
    const double coldMs = timer.nsecsElapsed() / 1e6;
    // The proxies start building with the first frame; scrubbing is measured once they are in
    // use (their build time is reported on its own).
    if (!waitFor([&] { return panel.pendingProxies() == 0; }, 300000)) {
        std::fprintf(stderr, "proxies not ready after 300 s\n");
        return 1;
    }
    const double proxyReadyMs = timer.nsecsElapsed() / 1e6;
    const QSize frameSize = controller->currentImage().size();
    const qint64 frames = controller->frameCount();

    // The comparison renders the same scaled composition on this thread, from the original
    // sources (no proxy, no worker hop): what every scrub would cost without proxies.
    editor::ResolveResult resolved = editor::resolveVariant(*loaded.campaign, segmentId, formatId);
    const render::Composition &full = *resolved.composition;
    const double factor = std::min({1.0, double(side) / full.width, double(side) / full.height});
    render::FrameRenderer direct(render::scaledComposition(full, factor));
    direct.renderFrame(0);

    std::mt19937 random(parser.value(seedOpt).toUInt());
    std::uniform_int_distribution<qint64> pick(0, frames - 1);
    std::vector<double> panelMs, directMs;
    std::vector<qint64> scrubFrames;
    for (int i = 0; i < scrubs; ++i) {
        qint64 frame = pick(random);
        if (frame == controller->shownFrame())
            frame = (frame + frames / 2) % frames;  // a scrub that changes nothing measures nothing
        timer.restart();
        panel.setPlayhead(frame);
        if (!waitFor([&] { return shownFrame == frame || !failure.isEmpty(); }, 30000)) {
            std::fprintf(stderr, "scrub to %lld timed out\n", qlonglong(frame));
            return 1;
        }
        panelMs.push_back(timer.nsecsElapsed() / 1e6);
        scrubFrames.push_back(frame);
        timer.restart();
        direct.renderFrame(frame);
        directMs.push_back(timer.nsecsElapsed() / 1e6);
    }

    struct Run {
        ui::PlaybackStats stats;
        double wallSeconds = 0;
    };
    std::vector<Run> playback;
    for (int r = 0; r < runs; ++r) {
        panel.setPlayhead(0);
        waitFor([&] { return shownFrame == 0; }, 30000);
        bool playing = true;
        QMetaObject::Connection c = QObject::connect(
            controller, &ui::PlaybackController::playingChanged, &panel,
            [&](bool p) { playing = p; });
        timer.restart();
        panel.play();
        const double timelineSeconds = double(frames) / controller->fps().toDouble();
        if (!waitFor([&] { return !playing; }, int(timelineSeconds * 4000) + 10000)) {
            std::fprintf(stderr, "playback did not finish\n");
            return 1;
        }
        QObject::disconnect(c);
        playback.push_back({controller->stats(), timer.nsecsElapsed() / 1e6 / 1000.0});
    }

    std::printf("Preview benchmark: %s, cell %s / %s, preview frame %dx%d, %lld frames at %.3f fps\n\n",
                qPrintable(path), qPrintable(segmentId), qPrintable(formatId), frameSize.width(),
                frameSize.height(), qlonglong(frames), controller->fps().toDouble());
    std::printf("| measurement | median | p95 | max | direct FrameRenderer, original sources, same frames: median / p95 |\n");
    std::printf("|---|---|---|---|---|\n");
    std::printf("| scrub latency, %d random frames (ms) | %.1f | %.1f | %.1f | %.1f / %.1f |\n",
                scrubs, percentile(panelMs, 50), percentile(panelMs, 95),
                percentile(panelMs, 100), percentile(directMs, 50), percentile(directMs, 95));
    std::printf("| cold first frame, cell opened (ms) | %.1f | | | |\n", coldMs);
    std::printf("| video proxies ready after (ms) | %s | | | |\n\n",
                useProxies ? qPrintable(QString::number(proxyReadyMs, 'f', 0)) : "off (--no-proxy)");
    {
        std::vector<size_t> order(panelMs.size());
        for (size_t i = 0; i < order.size(); ++i)
            order[i] = i;
        std::sort(order.begin(), order.end(), [&](size_t a, size_t b) { return panelMs[a] > panelMs[b]; });
        std::printf("slowest scrubs (frame: ms):");
        for (size_t i = 0; i < std::min<size_t>(5, order.size()); ++i)
            std::printf(" %lld: %.1f;", qlonglong(scrubFrames[order[i]]), panelMs[order[i]]);
        std::printf("\n\n");
    }
    std::printf("| playback run | clock | wall s | shown | dropped | late | achieved fps | "
                "last-frame drift ms | max drift ms | mean render ms |\n");
    std::printf("|---|---|---|---|---|---|---|---|---|---|\n");
    std::vector<double> fpsValues;
    for (size_t r = 0; r < playback.size(); ++r) {
        const ui::PlaybackStats &s = playback[r].stats;
        const double achieved = s.wallSeconds > 0 ? double(s.framesShown) / s.wallSeconds : 0.0;
        fpsValues.push_back(achieved);
        const bool consistent = s.framesShown + s.framesDropped == s.lastShownFrame - s.firstFrame + 1;
        std::printf("| %zu | %s | %.2f | %lld | %lld | %lld | %.1f | %.1f | %.1f | %.1f |%s\n", r + 1,
                    s.audioClock ? "audio" : "wall", s.wallSeconds, qlonglong(s.framesShown),
                    qlonglong(s.framesDropped), qlonglong(s.lateFrames), achieved,
                    s.lastFrameDriftMs, s.maxAbsDriftMs, s.meanRenderMs,
                    consistent ? "" : " (counts inconsistent!)");
    }
    std::printf("\nplayback: median achieved %.1f fps over %d runs; notice: \"%s\"; peak RSS %ld MB\n",
                percentile(fpsValues, 50), runs, qPrintable(controller->notice()), peakRssMb());
    return 0;
}
