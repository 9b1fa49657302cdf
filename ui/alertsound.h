#pragma once

#include <QObject>
#include <QTimer>

#include <memory>

class QAudioSink;

namespace dispatch {

class ToneSource;

// Audible alerts, synthesized (no sound files): a ring pattern while calls wait and a
// distinct, more urgent pattern for an unacknowledged critical flag. Without an audio device
// it stays silent and says so once in the log; the visual alerts still work.
class AlertSound : public QObject
{
    Q_OBJECT

public:
    enum class Pattern
    {
        None,
        Ringing,
        Critical
    };

    explicit AlertSound(QObject *parent = nullptr);
    ~AlertSound() override;

    void setPattern(Pattern pattern);
    Pattern pattern() const { return m_pattern; }
    void setMuted(bool muted);

private:
    void playOnce();

    Pattern m_pattern = Pattern::None;
    bool m_muted = false;
    QTimer m_repeat;
    // One sink for the object's life, pulling tones from m_source (silence when none is queued).
    // It is never stopped or restarted while the object lives: Qt 6.4's PulseAudio sink can
    // abort in pa_stream_writable_size() when a stream is closed with a feed still queued. The
    // destructor stops it, then deletes it: no stream of ours outlives its window (Qt 6.4 tears
    // its PulseAudio connection down at exit without the mainloop lock: docs/RELIABILITY.md).
    std::unique_ptr<ToneSource> m_source;
    std::unique_ptr<QAudioSink> m_sink; // declared after m_source: destroyed before it
    bool m_warned = false;
};

// 16 kHz mono s16le tones: frequency/duration pairs, with short fades against clicks.
QByteArray synthesizeTones(const QList<QPair<double, int>> &tones, int sampleRate = 16000);

} // namespace dispatch
