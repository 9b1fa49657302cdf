#include "alertsound.h"

#include <QAudioFormat>
#include <QAudioSink>
#include <QLoggingCategory>
#include <QMediaDevices>

#include <cmath>

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

AlertSound::AlertSound(QObject *parent)
    : QObject(parent)
{
    connect(&m_repeat, &QTimer::timeout, this, &AlertSound::playOnce);
}

AlertSound::~AlertSound() = default;

void AlertSound::setMuted(bool muted)
{
    m_muted = muted;
    if (muted)
        silence();
}

void AlertSound::silence()
{
    // A sink is never stopped and started again: Qt 6.4's PulseAudio sink can assert in
    // pa_stream_writable_size() when start() follows stop() while the old stream is torn down
    // (seen once under CI load, aborting the whole console). A new sink per tone avoids it.
    m_sink.reset();
    m_buffer.close();
}

void AlertSound::setPattern(Pattern pattern)
{
    if (pattern == m_pattern)
        return;
    m_pattern = pattern;
    m_repeat.stop();
    silence();
    if (pattern == Pattern::None)
        return;
    m_repeat.start(pattern == Pattern::Critical ? 1500 : 3000);
    playOnce();
}

void AlertSound::playOnce()
{
    if (m_muted || m_pattern == Pattern::None)
        return;
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
    silence();
    m_buffer.setData(m_pattern == Pattern::Critical
                         ? synthesizeTones({{988, 150}, {0, 60}, {988, 150}, {0, 60}, {988, 150}})
                         : synthesizeTones({{660, 250}, {0, 80}, {880, 250}}));
    m_buffer.open(QIODevice::ReadOnly);
    m_sink = std::make_unique<QAudioSink>(device, format);
    m_sink->start(&m_buffer);
}

} // namespace dispatch
