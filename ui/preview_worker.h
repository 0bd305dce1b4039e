// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Renders preview frames off the GUI thread. Requests are coalesced: while a frame renders,
// newer requests replace older ones, so dragging the time slider never queues up stale work.
// Frames come from the render core itself (a scaled copy of the export composition), so what
// the designer sees is what the export writes.

#include "editor/campaign.h"

#include <QImage>
#include <QMutex>
#include <QObject>
#include <QSize>
#include <QString>

#include <map>
#include <memory>

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

signals:
    void frameReady(quint64 serial, const QImage &image, const QString &segmentId,
                    const QString &formatId, qint64 frame);
    void frameFailed(quint64 serial, const QString &message);

private slots:
    void renderPending();

private:
    render::FrameRenderer *rendererFor(const QString &segmentId, const QString &formatId,
                                       QSize maxSize, QString *error);

    QMutex m_mutex;                 // guards the two pending fields
    std::optional<PreviewRequest> m_pending;
    std::optional<editor::Campaign> m_pendingCampaign;
    bool m_scheduled = false;

    // Worker-thread state.
    editor::Campaign m_campaign;
    std::map<QString, std::unique_ptr<render::FrameRenderer>> m_renderers;  // key: seg|fmt|size
};

}  // namespace ui
