#pragma once

#include <QByteArray>
#include <QIODevice>
#include <QMutex>

namespace dispatch {

// A bounded, thread-safe byte ring that an audio device pulls from (read side on the audio
// thread) while the network side pushes call audio in (write side on the main thread). When the
// writer gets ahead by more than the capacity, the oldest audio is dropped and counted, so
// playback latency stays bounded instead of growing through a long call.
class PcmRing : public QIODevice
{
    Q_OBJECT

public:
    explicit PcmRing(qsizetype capacityBytes, QObject *parent = nullptr);

    void push(const QByteArray &pcm);
    void clear();
    qsizetype buffered() const;
    qint64 droppedBytes() const;

    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override;

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *data, qint64 size) override;

private:
    mutable QMutex m_mutex;
    QByteArray m_buffer;
    qsizetype m_capacity;
    qint64 m_dropped = 0;
};

// Peak and RMS of 16-bit PCM, both 0..1.
struct PcmLevel
{
    double peak = 0;
    double rms = 0;
};
PcmLevel measureLevel(const QByteArray &pcm16);

} // namespace dispatch
