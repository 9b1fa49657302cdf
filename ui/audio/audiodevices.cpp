#include "audiodevices.h"

#include "pcmring.h"

#include <QAudioSink>
#include <QAudioSource>
#include <QLoggingCategory>
#include <QMediaDevices>

Q_LOGGING_CATEGORY(lcAudio, "dispatch.ui.audio")

namespace dispatch {

namespace {
constexpr qsizetype ChunkBytes = 640;             // 20 ms at 16 kHz s16le mono
constexpr qsizetype PlaybackCapacity = 16000 * 2; // at most 1 s of playback latency
} // namespace

QAudioFormat callAudioFormat()
{
    QAudioFormat f;
    f.setSampleRate(16000);
    f.setChannelCount(1);
    f.setSampleFormat(QAudioFormat::Int16);
    return f;
}

PlaybackWorker::PlaybackWorker() = default;
PlaybackWorker::~PlaybackWorker()
{
    stop();
}

void PlaybackWorker::start(const QAudioDevice &requested)
{
    stop();
    const QAudioDevice device =
        requested.isNull() ? QMediaDevices::defaultAudioOutput() : requested;
    if (device.isNull()) {
        Q_EMIT statusChanged(false, tr("no audio output device"));
        return;
    }
    m_ring = std::make_unique<PcmRing>(PlaybackCapacity);
    m_sink = std::make_unique<QAudioSink>(device, callAudioFormat());
    m_sink->setBufferSize(16000 * 2 / 5); // 200 ms device buffer
    m_sink->start(m_ring.get());
    if (m_sink->error() != QAudio::NoError) {
        qCWarning(lcAudio) << "cannot open" << device.description() << m_sink->error();
        Q_EMIT statusChanged(false, tr("cannot open %1").arg(device.description()));
        m_sink.reset();
        return;
    }
    Q_EMIT statusChanged(true, device.description());
}

void PlaybackWorker::stop()
{
    if (m_sink)
        m_sink->stop();
    m_sink.reset();
    m_ring.reset();
}

void PlaybackWorker::push(const QByteArray &pcm)
{
    if (m_ring)
        m_ring->push(pcm);
}

void PlaybackWorker::flush()
{
    if (m_ring)
        m_ring->clear();
}

CaptureWorker::CaptureWorker() = default;
CaptureWorker::~CaptureWorker()
{
    stop();
}

void CaptureWorker::start(const QAudioDevice &requested)
{
    stop();
    const QAudioDevice device = requested.isNull() ? QMediaDevices::defaultAudioInput() : requested;
    if (device.isNull()) {
        Q_EMIT statusChanged(false, tr("no microphone"));
        return;
    }
    m_source = std::make_unique<QAudioSource>(device, callAudioFormat());
    m_input = m_source->start();
    if (!m_input || m_source->error() != QAudio::NoError) {
        Q_EMIT statusChanged(false, tr("cannot open %1").arg(device.description()));
        m_source.reset();
        m_input = nullptr;
        return;
    }
    connect(m_input, &QIODevice::readyRead, this, [this] {
        m_pending.append(m_input->readAll());
        while (m_pending.size() >= ChunkBytes) {
            Q_EMIT captured(m_pending.left(ChunkBytes));
            m_pending.remove(0, ChunkBytes);
        }
    });
    Q_EMIT statusChanged(true, device.description());
}

void CaptureWorker::stop()
{
    if (m_source)
        m_source->stop();
    m_source.reset();
    m_input = nullptr;
    m_pending.clear();
}

} // namespace dispatch
