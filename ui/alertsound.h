#pragma once

#include <QObject>
#include <QTimer>

class QAudioSink;

namespace dispatch {

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
    // It is never stopped or destroyed: Qt 6.4's PulseAudio sink can abort the whole process
    // in pa_stream_writable_size() when a stream is torn down with a feed still queued (seen in
    // CI, from QAudioSink's destructor, active or idle). At destruction both are left to the
    // process's end, silent.
    QAudioSink *m_sink = nullptr;
    class ToneSource *m_source = nullptr;
    bool m_warned = false;
};

// 16 kHz mono s16le tones: frequency/duration pairs, with short fades against clicks.
QByteArray synthesizeTones(const QList<QPair<double, int>> &tones, int sampleRate = 16000);

} // namespace dispatch
