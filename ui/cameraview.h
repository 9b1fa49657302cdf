#pragma once

#include <QDateTime>
#include <QImage>
#include <QWidget>

namespace dispatch {

// The newest camera frame of the call, with its age. Frames are decoded only when shown.
class CameraView : public QWidget
{
    Q_OBJECT

public:
    explicit CameraView(QWidget *parent = nullptr);

    void setFrame(const QByteArray &jpeg, const QDateTime &receivedAt);
    void clear();
    QSize sizeHint() const override { return {320, 240}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    QByteArray m_jpeg;
    QImage m_image;
    bool m_decoded = false;
    QDateTime m_receivedAt;
};

} // namespace dispatch
