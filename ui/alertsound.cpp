#include "alertsound.h"

#include <QAudioFormat>
#include <QAudioSink>
#include <QBuffer>
#include <QLoggingCategory>
#include <QMediaDevices>

#include <cmath>
#include <cstring>

Q_LOGGING_CATEGORY(lcAlert, "dispatch.ui.alert")

namespace dispatch {

QByteArray synthesizeTones(const QList<QPair<double, int>> &tones, int sampleRate)
{
    QByteArray pcm;
    for (const auto &[hz, ms] : tones) {
        const int n = sampleRate * ms / 1000;
        const int fade = std::min(n / 4, sampleRate / 200);
        for (int i = 0; i < n; ++i) {
            double gain = 0.35;
            if (i < fade)
                gain *= double(i) / fade;
            else if (i > n - fade)
                gain *= double(n - i) / fade;
            const double v = hz > 0 ? std::sin(2 * M_PI * hz * i / sampleRate) * gain : 0.0;
            const auto s = static_cast<qint16>(v * 32767);
            pcm.append(static_cast<char>(s & 0xff));
            pcm.append(static_cast<char>((s >> 8) & 0xff));
        }
    }
    return pcm;
}

// Pull-mode source for the alert sink: queued tones, then nothing (the sink idles until the
// next tone arrives).
class ToneSource : public QIODevice
{
public:
    ToneSource() { open(QIODevice::ReadOnly); }
    void queue(const QByteArray &pcm)
    {
        m_pending += pcm;
        Q_EMIT readyRead();
    }
    void clear() { m_pending.clear(); }
    bool isSequential() const override { return true; }
    qint64 bytesAvailable() const override
    {
        return m_pending.size() + QIODevice::bytesAvailable();
    }

protected:
    qint64 readData(char *data, qint64 maxSize) override
    {
        const qint64 n = std::min<qint64>(maxSize, m_pending.size());
        std::memcpy(data, m_pending.constData(), static_cast<size_t>(n));
        m_pending.remove(0, n);
        return n;
    }
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    QByteArray m_pending;
};

AlertSound::AlertSound(QObject *parent)
    : QObject(parent)
{
    connect(&m_repeat, &QTimer::timeout, this, &AlertSound::playOnce);
}

AlertSound::~AlertSound()
{
    if (!m_sink)
        return;
    // Stopped first: Qt 6.4's ~QPulseAudioSink closes the stream, then processes events, and a
    // feed queued for a sink still active or idle would call pa_stream_writable_size() on the
    // closed stream and abort. A stopped sink's feed returns at once.
    m_sink->stop();
    m_sink.reset();
    m_source.reset();
}

void AlertSound::setMuted(bool muted)
{
    m_muted = muted;
    if (muted && m_source)
        m_source->clear();
}

void AlertSound::setPattern(Pattern pattern)
{
    if (pattern == m_pattern)
        return;
    m_pattern = pattern;
    m_repeat.stop();
    if (m_source)
        m_source->clear();
    if (pattern == Pattern::None)
        return;
    m_repeat.start(pattern == Pattern::Critical ? 1500 : 3000);
    playOnce();
}

void AlertSound::playOnce()
{
    if (m_muted || m_pattern == Pattern::None)
        return;
    if (!m_sink) {
        const QAudioDevice device = QMediaDevices::defaultAudioOutput();
        if (device.isNull()) {
            if (!m_warned)
                qCWarning(lcAlert) << "no audio output device: alerts are visual only";
            m_warned = true;
            return;
        }
        QAudioFormat format;
        format.setSampleRate(16000);
        format.setChannelCount(1);
        format.setSampleFormat(QAudioFormat::Int16);
        m_source = std::make_unique<ToneSource>();
        m_sink = std::make_unique<QAudioSink>(device, format);
        m_sink->start(m_source.get());
    }
    m_source->clear();
    m_source->queue(m_pattern == Pattern::Critical
                        ? synthesizeTones({{988, 150}, {0, 60}, {988, 150}, {0, 60}, {988, 150}})
                        : synthesizeTones({{660, 250}, {0, 80}, {880, 250}}));
}

} // namespace dispatch
