// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Renders preview frames off the GUI thread. Requests are coalesced: while a frame renders,
// newer requests replace older ones, so dragging the time slider never queues up stale work.
// Frames come from the render core itself (a scaled copy of the export composition), so what
// the designer sees is what the export writes.
//
// Video sources are swapped for preview proxies (services/preview_proxy.h) once those exist:
// the first request for a cell with a video starts building its proxy on a low-priority
// background thread and renders from the original meanwhile; when the proxy is ready, the
// renderers that use that source are dropped so the next frame comes from the proxy.

#include "editor/campaign.h"
#include "editor/resolve.h"
#include "render/composition.h"

#include <QImage>
#include <QMutex>
#include <QObject>
#include <QSize>
#include <QString>

#include <QThreadPool>

#include <atomic>
#include <map>
#include <memory>
#include <set>

namespace render {
class FrameRenderer;
}

namespace ui {

struct PreviewRequest {
    quint64 serial = 0;
    QString segmentId;
    QString formatId;
    qint64 frame = 0;
    QSize maxSize;  // the preview frame fits inside this
};

class PreviewWorker : public QObject {
    Q_OBJECT
public:
    PreviewWorker();
    ~PreviewWorker() override;

    // Thread-safe: may be called from the GUI thread while the worker renders.
    void setCampaign(const editor::Campaign &campaign);
    void request(const PreviewRequest &req);
    // Where proxies are kept; empty (the default) renders from the original sources only.
    // Set before the first request.
    void setProxyDirectory(const QString &dir);
    // Where the project's smart-reframe analyses are cached (app/reframe_cache.h): a cell with
    // "smart" clips is previewed through the same automatic crops the export computes from
    // that cache, so the preview shows what will be exported before anyone saves them.
    void setReframeCacheDirectory(const QString &dir);
    // Proxies being built right now (any thread).
    int pendingProxies() const { return m_pendingProxies.load(); }

signals:
    void frameReady(quint64 serial, const QImage &image, const QString &segmentId,
                    const QString &formatId, qint64 frame);
    void frameFailed(quint64 serial, const QString &message);
    void proxyReady(const QString &sourcePath);
    void proxyFailed(const QString &sourcePath, const QString &message);

private slots:
    void renderPending();

private:
    struct CachedRenderer {
        std::unique_ptr<render::FrameRenderer> renderer;
        QStringList unproxiedVideos;  // original sources it still decodes
    };
    render::FrameRenderer *rendererFor(const QString &segmentId, const QString &formatId,
                                       QSize maxSize, QString *error);
    // Points the composition's video layers at ready proxies; starts building missing ones.
    // Returns the sources that stay on their originals.
    QStringList applyProxies(render::Composition *c, int maxSide);
    // resolveVariant of the current campaign, with the Auto crops of its smart clips filled
    // for that cell from the reframe cache (in this copy only; the document is not edited).
    editor::ResolveResult resolveWithSmartCrops(const QString &segmentId, const QString &formatId);
    void proxyFinished(const QString &sourcePath, bool ok, const QString &message);

    QMutex m_mutex;                 // guards the two pending fields
    std::optional<PreviewRequest> m_pending;
    std::optional<editor::Campaign> m_pendingCampaign;
    bool m_scheduled = false;

    // Worker-thread state.
    editor::Campaign m_campaign;
    std::map<QString, CachedRenderer> m_renderers;  // key: seg|fmt|size

    // Proxies: the folder (guarded by m_mutex), the builds started this session (worker
    // thread), one background thread for them.
    QString m_proxyDir;
    QString m_reframeDir;
    bool m_reframeDirChanged = false;
    std::set<QString> m_proxyJobs;
    QThreadPool m_proxyPool;
    std::atomic<bool> m_cancelProxies{false};
    std::atomic<int> m_pendingProxies{0};
};

}  // namespace ui
