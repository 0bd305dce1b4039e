// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// The picture half of the Reframe section (reframe_editor.h): a thumbnail of the source frame
// with the crop window drawn over it. Outside the window the picture is dimmed; inside it the
// format's safe-zone bands (where the platform's buttons and captions will cover the video)
// are hatched, so the designer sees what the viewer will see and what overlays will hide.
//
// The window can be dragged with the mouse and zoomed with the wheel (about its centre, the
// aspect kept). The view only reports the wanted window (windowEdited, then gestureFinished
// when the drag ends or the wheel rests); the editor turns that into a Document edit.

#include "render/reframe.h"

#include <QImage>
#include <QRectF>
#include <QWidget>

class QTimer;

namespace ui {

class CropView : public QWidget {
    Q_OBJECT
public:
    explicit CropView(QWidget *parent = nullptr);

    void setImage(const QImage &image);  // the source frame, any size; null = "loading"
    bool hasImage() const { return !m_image.isNull(); }
    const QImage &image() const { return m_image; }
    void setMessage(const QString &text);  // shown instead of a picture when there is none

    // The window in fractions of the source; `heightPerWidth` keeps its aspect while zooming
    // (window height / width, in fractions of the source).
    void setWindow(QRectF window, double heightPerWidth);
    QRectF window() const { return m_window; }
    void setSafeZones(const render::SafeZones &safe);
    void setEditable(bool editable);

    // Where the picture and the window are drawn, in widget coordinates (for tests and tools).
    QRectF pictureRect() const;
    QRectF windowRect() const;

    QSize sizeHint() const override;
    QSize minimumSizeHint() const override;

signals:
    void windowEdited(QRectF window);
    void gestureFinished();

protected:
    void paintEvent(QPaintEvent *event) override;
    void mousePressEvent(QMouseEvent *event) override;
    void mouseMoveEvent(QMouseEvent *event) override;
    void mouseReleaseEvent(QMouseEvent *event) override;
    void wheelEvent(QWheelEvent *event) override;

private:
    QRectF clampedWindow(QRectF w) const;

    QImage m_image;
    QString m_message;
    QRectF m_window{0, 0, 1, 1};
    double m_heightPerWidth = 1.0;
    render::SafeZones m_safe;
    bool m_editable = true;
    bool m_dragging = false;
    QPointF m_grabOffset;  // press point minus window top-left, in source fractions
    QTimer *m_wheelRest = nullptr;
};

}  // namespace ui
