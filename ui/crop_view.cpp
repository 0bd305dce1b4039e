// SPDX-License-Identifier: GPL-3.0-or-later
#include "crop_view.h"

#include <QMouseEvent>
#include <QPainter>
#include <QPainterPath>
#include <QTimer>
#include <QWheelEvent>

#include <algorithm>
#include <cmath>

namespace ui {

namespace {
// Smallest window, as a fraction of the source width: beyond this the output is mush.
constexpr double kMinWindowWidth = 0.05;
// A wheel notch (120 units) zooms by this much.
constexpr double kWheelStep = 0.92;
}  // namespace

CropView::CropView(QWidget *parent)
    : QWidget(parent)
{
    setObjectName(QStringLiteral("cropView"));
    setMouseTracking(true);
    setSizePolicy(QSizePolicy::Expanding, QSizePolicy::Fixed);
    m_wheelRest = new QTimer(this);
    m_wheelRest->setSingleShot(true);
    m_wheelRest->setInterval(400);  // a pause in scrolling ends the zoom's undo step
    connect(m_wheelRest, &QTimer::timeout, this, &CropView::gestureFinished);
}

void CropView::setImage(const QImage &image)
{
    m_image = image;
    update();
}

void CropView::setMessage(const QString &text)
{
    m_message = text;
    update();
}

void CropView::setWindow(QRectF window, double heightPerWidth)
{
    m_window = window;
    m_heightPerWidth = heightPerWidth > 0 ? heightPerWidth : 1.0;
    update();
}

void CropView::setSafeZones(const render::SafeZones &safe)
{
    m_safe = safe;
    update();
}

void CropView::setEditable(bool editable)
{
    m_editable = editable;
    setCursor(editable ? Qt::OpenHandCursor : Qt::ArrowCursor);
    update();
}

QSize CropView::sizeHint() const
{
    return {360, 220};
}

QSize CropView::minimumSizeHint() const
{
    return {160, 220};
}

QRectF CropView::pictureRect() const
{
    const QRectF area = QRectF(rect()).adjusted(4, 4, -4, -4);
    if (m_image.isNull() || area.isEmpty())
        return area;
    QSizeF size = m_image.size();
    size.scale(area.size(), Qt::KeepAspectRatio);
    return {area.center().x() - size.width() / 2, area.center().y() - size.height() / 2,
            size.width(), size.height()};
}

QRectF CropView::windowRect() const
{
    const QRectF p = pictureRect();
    return {p.x() + m_window.x() * p.width(), p.y() + m_window.y() * p.height(),
            m_window.width() * p.width(), m_window.height() * p.height()};
}

QRectF CropView::clampedWindow(QRectF w) const
{
    double width = std::clamp(w.width(), kMinWindowWidth, 1.0);
    double height = width * m_heightPerWidth;
    if (height > 1.0) {  // taller than the source: the height limits the zoom-out
        height = 1.0;
        width = height / m_heightPerWidth;
    }
    const QPointF centre = w.center();
    const double x = std::clamp(centre.x() - width / 2, 0.0, 1.0 - width);
    const double y = std::clamp(centre.y() - height / 2, 0.0, 1.0 - height);
    return {x, y, width, height};
}

void CropView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), palette().color(QPalette::Window).darker(115));
    if (m_image.isNull()) {
        p.setPen(palette().color(QPalette::Text));
        p.drawText(rect(), Qt::AlignCenter | Qt::TextWordWrap,
                   m_message.isEmpty() ? tr("Loading the source frame…") : m_message);
        return;
    }
    p.setRenderHint(QPainter::SmoothPixmapTransform);
    const QRectF picture = pictureRect();
    p.drawImage(picture, m_image);
    const QRectF window = windowRect();

    // Everything the format does not show, dimmed.
    QPainterPath outside;
    outside.addRect(picture);
    outside.addRect(window);
    p.fillPath(outside, QColor(0, 0, 0, 150));

    // Safe-zone bands inside the window: shown, but under the platform's overlays.
    const QRectF safe = render::safeArea(window, m_safe);
    QPainterPath bands;
    bands.addRect(window);
    bands.addRect(safe);
    p.fillPath(bands, QBrush(QColor(255, 80, 60, 110), Qt::BDiagPattern));
    p.setPen(QPen(QColor(255, 120, 90, 200), 1, Qt::DashLine));
    p.drawRect(safe);

    p.setPen(QPen(m_editable ? QColor(255, 255, 255) : QColor(200, 200, 200), 2));
    p.setBrush(Qt::NoBrush);
    p.drawRect(window);
}

void CropView::mousePressEvent(QMouseEvent *event)
{
    if (!m_editable || m_image.isNull() || event->button() != Qt::LeftButton
        || !windowRect().contains(event->position())) {
        QWidget::mousePressEvent(event);
        return;
    }
    const QRectF picture = pictureRect();
    const QPointF at((event->position().x() - picture.x()) / picture.width(),
                     (event->position().y() - picture.y()) / picture.height());
    m_grabOffset = at - m_window.topLeft();
    m_dragging = true;
    setCursor(Qt::ClosedHandCursor);
}

void CropView::mouseMoveEvent(QMouseEvent *event)
{
    if (!m_dragging) {
        if (m_editable && !m_image.isNull())
            setCursor(windowRect().contains(event->position()) ? Qt::OpenHandCursor
                                                               : Qt::ArrowCursor);
        return;
    }
    const QRectF picture = pictureRect();
    const QPointF at((event->position().x() - picture.x()) / picture.width(),
                     (event->position().y() - picture.y()) / picture.height());
    const QRectF moved = clampedWindow(QRectF(at - m_grabOffset, m_window.size()));
    if (moved != m_window) {
        m_window = moved;
        update();
        emit windowEdited(moved);
    }
}

void CropView::mouseReleaseEvent(QMouseEvent *event)
{
    if (!m_dragging || event->button() != Qt::LeftButton) {
        QWidget::mouseReleaseEvent(event);
        return;
    }
    m_dragging = false;
    setCursor(Qt::OpenHandCursor);
    emit gestureFinished();
}

void CropView::wheelEvent(QWheelEvent *event)
{
    if (!m_editable || m_image.isNull() || event->angleDelta().y() == 0) {
        QWidget::wheelEvent(event);
        return;
    }
    // Up = zoom in = a smaller window.
    const double factor = std::pow(kWheelStep, event->angleDelta().y() / 120.0);
    const QPointF centre = m_window.center();
    const double width = m_window.width() * factor;
    const QRectF zoomed = clampedWindow(QRectF(centre.x() - width / 2,
                                               centre.y() - width * m_heightPerWidth / 2, width,
                                               width * m_heightPerWidth));
    event->accept();
    if (zoomed != m_window) {
        m_window = zoomed;
        update();
        emit windowEdited(zoomed);
        m_wheelRest->start();
    }
}

}  // namespace ui
