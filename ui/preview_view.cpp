// SPDX-License-Identifier: GPL-3.0-or-later
#include "preview_view.h"

#include <QPainter>

namespace ui {

PreviewView::PreviewView(QWidget *parent)
    : QWidget(parent)
{
    setMinimumSize(160, 160);
    setAttribute(Qt::WA_OpaquePaintEvent);
    setObjectName(QStringLiteral("previewView"));
}

void PreviewView::setImage(const QImage &image)
{
    m_image = image;
    m_message.clear();
    update();
}

void PreviewView::setMessage(const QString &message)
{
    m_message = message;
    update();
}

void PreviewView::setSafeZone(const QMarginsF &fractions)
{
    if (fractions == m_safeZone)
        return;
    m_safeZone = fractions;
    if (m_safeZoneVisible)
        update();
}

void PreviewView::setSafeZoneVisible(bool visible)
{
    if (visible == m_safeZoneVisible)
        return;
    m_safeZoneVisible = visible;
    update();
}

QRect PreviewView::imageRect() const
{
    if (m_image.isNull())
        return {};
    const QSize target = m_image.size().scaled(size() - QSize(16, 16), Qt::KeepAspectRatio);
    QRect r(QPoint(0, 0), target);
    r.moveCenter(rect().center());
    return r;
}

QRectF PreviewView::safeRect() const
{
    const QRectF frame = imageRect();
    if (frame.isEmpty())
        return {};
    return frame.adjusted(frame.width() * m_safeZone.left(), frame.height() * m_safeZone.top(),
                          -frame.width() * m_safeZone.right(),
                          -frame.height() * m_safeZone.bottom());
}

void PreviewView::paintSafeZone(QPainter &p, const QRect &frameRect) const
{
    const QRectF frame = frameRect;
    const QRectF safe = safeRect();
    if (safe.isEmpty())
        return;
    // Bands where the platform's own interface sits: top and bottom across the full width,
    // left and right between them, so no area is tinted twice.
    const QColor band(255, 70, 70, 90);
    p.fillRect(QRectF(frame.left(), frame.top(), frame.width(), safe.top() - frame.top()), band);
    p.fillRect(QRectF(frame.left(), safe.bottom(), frame.width(), frame.bottom() + 1 - safe.bottom()),
               band);
    p.fillRect(QRectF(frame.left(), safe.top(), safe.left() - frame.left(), safe.height()), band);
    p.fillRect(QRectF(safe.right(), safe.top(), frame.right() + 1 - safe.right(), safe.height()),
               band);
    QPen outline(QColor(255, 220, 60), 1.5, Qt::DashLine);
    outline.setCosmetic(true);
    p.setPen(outline);
    p.setBrush(Qt::NoBrush);
    p.drawRect(safe);
}

void PreviewView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), QColor(32, 32, 36));
    if (!m_image.isNull()) {
        const QRect r = imageRect();
        p.setRenderHint(QPainter::SmoothPixmapTransform);
        p.drawImage(r, m_image);
        if (m_safeZoneVisible)
            paintSafeZone(p, r);
    }
    if (!m_message.isEmpty()) {
        QRect box = rect().adjusted(24, 24, -24, -24);
        p.fillRect(box, QColor(0, 0, 0, 170));
        p.setPen(QColor(255, 210, 160));
        p.drawText(box.adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, m_message);
    }
}

}  // namespace ui
