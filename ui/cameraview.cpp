#include "cameraview.h"

#include <QPainter>

namespace dispatch {

CameraView::CameraView(QWidget *parent)
    : QWidget(parent)
{
    setAccessibleName(tr("Caller camera"));
    setMinimumSize(160, 100);
}

void CameraView::setFrame(const QByteArray &jpeg, const QDateTime &receivedAt)
{
    m_jpeg = jpeg;
    m_decoded = false;
    m_receivedAt = receivedAt;
}

void CameraView::clear()
{
    m_jpeg.clear();
    m_image = QImage();
    m_decoded = true;
    m_receivedAt = QDateTime();
    update();
}

void CameraView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    p.fillRect(rect(), QColor(0x10, 0x10, 0x10));
    if (!m_decoded) {
        m_image = QImage::fromData(m_jpeg, "JPEG");
        m_decoded = true;
    }
    p.setPen(Qt::lightGray);
    if (m_image.isNull()) {
        p.drawText(rect(), Qt::AlignCenter,
                   m_jpeg.isEmpty() ? tr("No camera") : tr("Unreadable frame"));
        return;
    }
    const QSize scaled = m_image.size().scaled(size(), Qt::KeepAspectRatio);
    const QRect target(QPoint((width() - scaled.width()) / 2, (height() - scaled.height()) / 2),
                       scaled);
    p.drawImage(target, m_image);
    const qint64 age = m_receivedAt.secsTo(QDateTime::currentDateTimeUtc());
    const QString label = age <= 1 ? tr("live") : tr("%n s old", nullptr, static_cast<int>(age));
    const QRect badge(target.left() + 6, target.top() + 6, 90, 22);
    p.fillRect(badge, QColor(0, 0, 0, 160));
    p.setPen(age > 5 ? QColor(0xff, 0xb3, 0x00) : Qt::white);
    p.drawText(badge, Qt::AlignCenter, label);
}

} // namespace dispatch
