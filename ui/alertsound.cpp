#include "alertsound.h"

#include <QAudioFormat>
#include <QAudioSink>
#include <QBuffer>
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

namespace {

// One alert tone: a sink that owns its buffer and deletes itself when it has played out or
// failed (the safe moment to tear a PulseAudio stream down).
class Tone : public QObject
{
public:
    Tone(const QAudioDevice &device, const QAudioFormat &format, const QByteArray &pcm)
        : m_sink(device, format)
    {
        m_buffer.setData(pcm);
        m_buffer.open(QIODevice::ReadOnly);
        connect(&m_sink, &QAudioSink::stateChanged, this, [this](QAudio::State state) {
            if (state == QAudio::IdleState || state == QAudio::StoppedState)
                deleteLater();
        });
        m_sink.start(&m_buffer);
    }
    void mute() { m_sink.setVolume(0); }

private:
    QBuffer m_buffer; // declared first: destroyed after the sink that reads it
    QAudioSink m_sink;
};

} // namespace

AlertSound::AlertSound(QObject *parent)
    : QObject(parent)
{
    connect(&m_repeat, &QTimer::timeout, this, &AlertSound::playOnce);
}

AlertSound::~AlertSound()
{
    // A tone still playing outlives this object, muted, until it has played out.
    if (auto *tone = static_cast<Tone *>(m_tone.data())) {
        tone->setParent(nullptr);
        tone->mute();
    }
}

void AlertSound::setMuted(bool muted)
{
    m_muted = muted;
    if (muted && m_tone)
        static_cast<Tone *>(m_tone.data())->mute();
}

void AlertSound::setPattern(Pattern pattern)
{
    if (pattern == m_pattern)
        return;
    m_pattern = pattern;
    m_repeat.stop();
    if (pattern == Pattern::None) {
        if (m_tone)
            static_cast<Tone *>(m_tone.data())->mute();
        return;
    }
    m_repeat.start(pattern == Pattern::Critical ? 1500 : 3000);
    playOnce();
}

void AlertSound::playOnce()
{
    if (m_muted || m_pattern == Pattern::None)
        return;
    if (m_tone) // the last one has not played out yet: the next repeat plays the new pattern
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
    m_tone = new Tone(device, format,
                      m_pattern == Pattern::Critical
                          ? synthesizeTones({{988, 150}, {0, 60}, {988, 150}, {0, 60}, {988, 150}})
                          : synthesizeTones({{660, 250}, {0, 80}, {880, 250}}));
    m_tone->setParent(this);
}

} // namespace dispatch
