#pragma once

#include <QObject>
#include <QPointer>
#include <QTimer>

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
    // The tone playing now (a sink with its own buffer), or null. A playing tone is never
    // stopped or destroyed: Qt 6.4's PulseAudio sink can abort the process in
    // pa_stream_writable_size() when an active stream is torn down (seen in CI at window
    // teardown). It is silenced with its volume and deletes itself once it has played out.
    QPointer<QObject> m_tone;
    bool m_warned = false;
};

// 16 kHz mono s16le tones: frequency/duration pairs, with short fades against clicks.
QByteArray synthesizeTones(const QList<QPair<double, int>> &tones, int sampleRate = 16000);

} // namespace dispatch
