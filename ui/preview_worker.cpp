// SPDX-License-Identifier: GPL-3.0-or-later
#include "preview_worker.h"

#include "editor/resolve.h"
#include "render/renderer.h"

#include <QMetaObject>

#include <algorithm>

namespace ui {

namespace {
// An open renderer keeps decoders and scaled sources; a handful covers flipping between the
// cells a designer compares without growing without bound.
constexpr std::size_t kMaxCachedRenderers = 6;
}

PreviewWorker::PreviewWorker() = default;
PreviewWorker::~PreviewWorker() = default;

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
        return it->second.get();

    editor::ResolveResult resolved = editor::resolveVariant(m_campaign, segmentId, formatId);
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
    auto renderer = std::make_unique<render::FrameRenderer>(render::scaledComposition(full, factor));
    auto *raw = renderer.get();
    m_renderers.emplace(key, std::move(renderer));
    return raw;
}

}  // namespace ui
