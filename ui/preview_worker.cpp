// SPDX-License-Identifier: GPL-3.0-or-later
#include "preview_worker.h"

#include "app/reframe_cache.h"

#include "app/preview_proxy.h"
#include "editor/resolve.h"
#include "render/renderer.h"

#include <QFileInfo>
#include <QMetaObject>
#include <QScopeGuard>

#include <algorithm>
#include <utility>

namespace ui {

namespace {
// An open renderer keeps decoders and scaled sources; a handful covers flipping between the
// cells a designer compares without growing without bound.
constexpr std::size_t kMaxCachedRenderers = 6;
}

PreviewWorker::PreviewWorker()
{
    // Proxies are a convenience: one low-priority thread, so they never slow the frame the
    // designer is waiting for by more than the sharing of a core.
    m_proxyPool.setMaxThreadCount(1);
    m_proxyPool.setThreadPriority(QThread::LowPriority);
}

PreviewWorker::~PreviewWorker()
{
    m_cancelProxies = true;
    m_proxyPool.waitForDone();
}

void PreviewWorker::setProxyDirectory(const QString &dir)
{
    QMutexLocker lock(&m_mutex);
    m_proxyDir = dir;
}

void PreviewWorker::setReframeCacheDirectory(const QString &dir)
{
    QMutexLocker lock(&m_mutex);
    if (m_reframeDir == dir)
        return;
    m_reframeDir = dir;
    m_reframeDirChanged = true;  // renderers made with the old cache are dropped
}

void PreviewWorker::setCampaign(const editor::Campaign &campaign)
{
    QMutexLocker lock(&m_mutex);
    m_pendingCampaign = campaign;
}

void PreviewWorker::request(const PreviewRequest &req)
{
    QMutexLocker lock(&m_mutex);
    m_pending = req;
    if (!m_scheduled) {
        m_scheduled = true;
        QMetaObject::invokeMethod(this, &PreviewWorker::renderPending, Qt::QueuedConnection);
    }
}

void PreviewWorker::renderPending()
{
    PreviewRequest req;
    {
        QMutexLocker lock(&m_mutex);
        m_scheduled = false;
        if (m_pendingCampaign) {
            m_campaign = std::move(*m_pendingCampaign);
            m_pendingCampaign.reset();
            m_renderers.clear();
        }
        if (std::exchange(m_reframeDirChanged, false))
            m_renderers.clear();
        if (!m_pending)
            return;
        req = *m_pending;
        m_pending.reset();
    }
    QString error;
    render::FrameRenderer *renderer = rendererFor(req.segmentId, req.formatId, req.maxSize, &error);
    if (!renderer) {
        emit frameFailed(req.serial, error);
        return;
    }
    render::RenderError renderError;
    const QImage image = renderer->renderFrame(req.frame, &renderError);
    if (image.isNull()) {
        emit frameFailed(req.serial, renderError.message);
        return;
    }
    emit frameReady(req.serial, image, req.segmentId, req.formatId, req.frame);
}

render::FrameRenderer *PreviewWorker::rendererFor(const QString &segmentId, const QString &formatId,
                                                  QSize maxSize, QString *error)
{
    const QString key = segmentId + QLatin1Char('|') + formatId + QLatin1Char('|')
        + QString::number(maxSize.width()) + QLatin1Char('x') + QString::number(maxSize.height());
    if (auto it = m_renderers.find(key); it != m_renderers.end())
        return it->second.renderer.get();

    editor::ResolveResult resolved = resolveWithSmartCrops(segmentId, formatId);
    if (!resolved.composition) {
        *error = resolved.errors.join(QLatin1Char('\n'));
        return nullptr;
    }
    if (!resolved.missingFiles.isEmpty()) {
        *error = tr("Missing media: %1\nGenerate the missing assets (Campaign ▸ Generate "
                    "missing assets) or relink the files.")
                     .arg(resolved.missingFiles.join(QStringLiteral(", ")));
        return nullptr;
    }
    const render::Composition &full = *resolved.composition;
    double factor = 1.0;
    if (maxSize.isValid() && full.width > 0 && full.height > 0)
        factor = std::min({1.0, double(maxSize.width()) / full.width,
                           double(maxSize.height()) / full.height});
    if (m_renderers.size() >= kMaxCachedRenderers)
        m_renderers.erase(m_renderers.begin());
    render::Composition scaled = render::scaledComposition(full, factor);
    CachedRenderer entry;
    entry.unproxiedVideos = applyProxies(&scaled, std::max(maxSize.width(), maxSize.height()));
    entry.renderer = std::make_unique<render::FrameRenderer>(std::move(scaled));
    auto *raw = entry.renderer.get();
    m_renderers.emplace(key, std::move(entry));
    return raw;
}

editor::ResolveResult PreviewWorker::resolveWithSmartCrops(const QString &segmentId,
                                                          const QString &formatId)
{
    QString dir;
    {
        QMutexLocker lock(&m_mutex);
        dir = m_reframeDir;
    }
    const bool anySmart = std::any_of(
        m_campaign.timeline.tracks.begin(), m_campaign.timeline.tracks.end(),
        [](const editor::Track &t) {
            return std::any_of(t.clips.begin(), t.clips.end(),
                               [](const editor::Clip &c) { return c.fit == u"smart"; });
        });
    if (!anySmart || dir.isEmpty())
        return editor::resolveVariant(m_campaign, segmentId, formatId);
    // The export (campaign-cli render) fills the Auto tracks the same way before it renders;
    // Manual tracks are left as they are. Cached analyses make this a file hash per source.
    editor::Campaign withCrops = m_campaign;
    services::ReframeCache cache(dir);
    services::fillAutoReframe(withCrops, cache, {{segmentId, formatId}});
    return editor::resolveVariant(withCrops, segmentId, formatId);
}

QStringList PreviewWorker::applyProxies(render::Composition *c, int maxSide)
{
    QString dir;
    {
        QMutexLocker lock(&m_mutex);
        dir = m_proxyDir;
    }
    QStringList unproxied;
    if (dir.isEmpty() || maxSide <= 0)
        return unproxied;
    for (render::Layer &layer : c->layers) {
        if (layer.kind != render::LayerKind::Video)
            continue;
        const QString source = layer.sourcePath;
        const QString proxy = services::previewProxyPath(dir, source, maxSide);
        if (proxy.isEmpty())
            continue;  // a missing source: the renderer reports it
        if (QFileInfo::exists(proxy)) {
            layer.sourcePath = proxy;
            continue;
        }
        unproxied << source;
        if (!m_proxyJobs.insert(proxy).second)
            continue;  // building, or failed once this session
        ++m_pendingProxies;
        m_proxyPool.start([this, source, proxy, maxSide] {
            QString error;
            const bool ok = services::makePreviewProxy(source, proxy, maxSide, &m_cancelProxies, &error);
            QMetaObject::invokeMethod(this, [this, source, ok, error] {
                proxyFinished(source, ok, error);
            }, Qt::QueuedConnection);
        });
    }
    return unproxied;
}

void PreviewWorker::proxyFinished(const QString &sourcePath, bool ok, const QString &message)
{
    // Counted down here, after the renderers are updated below, so "no pending proxies" means
    // the next frame already uses them.
    const auto countDown = qScopeGuard([this] { --m_pendingProxies; });
    if (!ok) {
        emit proxyFailed(sourcePath, message);
        return;
    }
    // Only the renderers that decode this source start over (the others keep their decoded
    // stills); their next frame opens the proxy instead.
    for (auto it = m_renderers.begin(); it != m_renderers.end();) {
        if (it->second.unproxiedVideos.contains(sourcePath))
            it = m_renderers.erase(it);
        else
            ++it;
    }
    emit proxyReady(sourcePath);
}

}  // namespace ui
