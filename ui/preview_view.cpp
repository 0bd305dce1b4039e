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

void PreviewView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), QColor(32, 32, 36));
    if (!m_image.isNull()) {
        QSize target = m_image.size().scaled(size() - QSize(16, 16), Qt::KeepAspectRatio);
        QRect r(QPoint(0, 0), target);
        r.moveCenter(rect().center());
        p.setRenderHint(QPainter::SmoothPixmapTransform);
        p.drawImage(r, m_image);
    }
    if (!m_message.isEmpty()) {
        QRect box = rect().adjusted(24, 24, -24, -24);
        p.fillRect(box, QColor(0, 0, 0, 170));
        p.setPen(QColor(255, 210, 160));
        p.drawText(box.adjusted(12, 12, -12, -12), Qt::AlignCenter | Qt::TextWordWrap, m_message);
    }
}

}  // namespace ui
