// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shows the latest preview frame letterboxed in the available space, or a message when the
// cell cannot be previewed (missing media, unbound slot). Optionally draws the format's safe
// zones on top: the margins where a platform puts its own buttons and captions, as translucent
// bands outside the safe area and an outline around it. The overlay is drawn by the view, never
// into the frame, so what the frame shows stays what the export writes.

#include <QImage>
#include <QMarginsF>
#include <QString>
#include <QWidget>

namespace ui {

class PreviewView : public QWidget {
    Q_OBJECT
public:
    explicit PreviewView(QWidget *parent = nullptr);

    void setImage(const QImage &image);
    void setMessage(const QString &message);
    const QImage &image() const { return m_image; }
    QString message() const { return m_message; }

    // Safe-zone margins as fractions of the frame (left, top, right, bottom), e.g. a 9:16
    // preset's 0.06, 0.14, 0.12, 0.20.
    void setSafeZone(const QMarginsF &fractions);
    QMarginsF safeZone() const { return m_safeZone; }
    void setSafeZoneVisible(bool visible);
    bool isSafeZoneVisible() const { return m_safeZoneVisible; }
    // Where the frame is drawn inside the widget (empty without an image).
    QRect imageRect() const;
    // The safe area inside imageRect() (the part the bands leave free).
    QRectF safeRect() const;
    QSize sizeHint() const override { return {480, 600}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    void paintSafeZone(QPainter &painter, const QRect &frame) const;

    QImage m_image;
    QString m_message;
    QMarginsF m_safeZone;
    bool m_safeZoneVisible = false;
};

}  // namespace ui
