// SPDX-License-Identifier: GPL-3.0-or-later
#pragma once
// Shows the latest preview frame letterboxed in the available space, or a message when the
// cell cannot be previewed (missing media, unbound slot).

#include <QImage>
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
    QSize sizeHint() const override { return {480, 600}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QImage m_image;
    QString m_message;
};

}  // namespace ui
