#pragma once

#include <QAudioDevice>
#include <QObject>

#include <memory>

class QAudioSink;
class QAudioSource;

namespace dispatch {

class PcmRing;

// Plays 16 kHz mono s16le through an output device. Lives on an audio thread: call it only
// through queued invocations (CallAudio does).
class PlaybackWorker : public QObject
{
    Q_OBJECT

public:
    PlaybackWorker();
    ~PlaybackWorker() override;

    void start(const QAudioDevice &device);
    void stop();
    void push(const QByteArray &pcm);
    void flush();

Q_SIGNALS:
    void statusChanged(bool running, const QString &detail);

private:
    std::unique_ptr<PcmRing> m_ring;
    std::unique_ptr<QAudioSink> m_sink;
};

// Captures 16 kHz mono s16le from an input device in 20 ms chunks. Lives on an audio thread.
class CaptureWorker : public QObject
{
    Q_OBJECT

public:
    CaptureWorker();
    ~CaptureWorker() override;

    void start(const QAudioDevice &device);
    void stop();

Q_SIGNALS:
    void captured(const QByteArray &pcm);
    void statusChanged(bool running, const QString &detail);

private:
    std::unique_ptr<QAudioSource> m_source;
    QIODevice *m_input = nullptr;
    QByteArray m_pending;
};

QAudioFormat callAudioFormat();

} // namespace dispatch
