#include "pcmring.h"

#include <QMutexLocker>

#include <cmath>
#include <cstring>

namespace dispatch {

PcmRing::PcmRing(qsizetype capacityBytes, QObject *parent)
    : QIODevice(parent)
    , m_capacity(capacityBytes)
{
    open(QIODevice::ReadWrite | QIODevice::Unbuffered);
}

void PcmRing::push(const QByteArray &pcm)
{
    {
        QMutexLocker lock(&m_mutex);
        m_buffer.append(pcm);
        const qsizetype excess = m_buffer.size() - m_capacity;
        if (excess > 0) {
            const qsizetype drop = excess + (excess % 2); // whole samples
            m_buffer.remove(0, drop);
            m_dropped += drop;
        }
    }
    Q_EMIT readyRead();
}

void PcmRing::clear()
{
    QMutexLocker lock(&m_mutex);
    m_buffer.clear();
}

qsizetype PcmRing::buffered() const
{
    QMutexLocker lock(&m_mutex);
    return m_buffer.size();
}

qint64 PcmRing::droppedBytes() const
{
    QMutexLocker lock(&m_mutex);
    return m_dropped;
}

qint64 PcmRing::bytesAvailable() const
{
    return buffered() + QIODevice::bytesAvailable();
}

qint64 PcmRing::readData(char *data, qint64 maxSize)
{
    QMutexLocker lock(&m_mutex);
    qint64 n = std::min<qint64>(maxSize, m_buffer.size());
    n -= n % 2;
    std::memcpy(data, m_buffer.constData(), static_cast<size_t>(n));
    m_buffer.remove(0, static_cast<qsizetype>(n));
    return n;
}

qint64 PcmRing::writeData(const char *data, qint64 size)
{
    push(QByteArray(data, static_cast<qsizetype>(size)));
    return size;
}

PcmLevel measureLevel(const QByteArray &pcm16)
{
    const qsizetype n = pcm16.size() / 2;
    if (n == 0)
        return {};
    const auto *s = reinterpret_cast<const qint16 *>(pcm16.constData());
    double sum = 0;
    int peak = 0;
    for (qsizetype i = 0; i < n; ++i) {
        const int v = s[i];
        peak = std::max(peak, std::abs(v));
        sum += double(v) * v;
    }
    return {peak / 32768.0, std::sqrt(sum / double(n)) / 32768.0};
}

} // namespace dispatch
