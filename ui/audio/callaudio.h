#pragma once

#include "audiodevicehealth.h"

#include "pcmring.h"

#include <QAudioDevice>
#include <QList>
#include <QObject>
#include <QThread>

namespace dispatch {

class CallStore;
class CaptureWorker;
class PlaybackWorker;

// The dispatcher's ears and voice for the selected call: plays the caller's audio, keeps a
// level history for the meter and waveform, and sends the dispatcher's microphone to the phone
// as talk-back (push-to-talk or open mic). The devices run on one audio thread.
class CallAudio : public QObject
{
    Q_OBJECT

public:
    static constexpr int WaveformPoints = 250; // 5 s at 20 ms per point

    explicit CallAudio(CallStore &store, QObject *parent = nullptr);
    ~CallAudio() override;

    void setCall(const QString &callId);
    void setMuted(bool muted);
    bool isMuted() const { return m_muted; }
    void setOutputDevice(const QAudioDevice &device);
    void setInputDevice(const QAudioDevice &device);
    // Talk-back is on while either is on.
    void setPushToTalk(bool pressed);
    void setOpenMic(bool open);
    bool isTalking() const { return m_pushToTalk || m_openMic; }

    const QList<PcmLevel> &callerLevels() const { return m_callerLevels; }
    PcmLevel talkLevel() const { return m_talkLevel; }
    QString outputStatus() const { return m_outputStatus; }
    QString inputStatus() const { return m_inputStatus; }
    qint64 talkBackBytesSent() const { return m_talkBackBytes; }
    // Can this console hear callers and be heard? Changes come with statusChanged().
    AudioDeviceHealth deviceHealth() const { return m_health; }
    // Whether any audio input exists; the console's device watcher sets it (tests may too).
    void setMicrophonePresent(bool present);

Q_SIGNALS:
    void talkingChanged(bool talking);
    void statusChanged();

private:
    void updateTalking(bool wasTalking);
    void watchDevices();
    void onCaptured(const QByteArray &pcm);

    CallStore &m_store;
    QThread m_thread;
    PlaybackWorker *m_playback;
    CaptureWorker *m_capture;
    QString m_callId;
    bool m_muted = false;
    bool m_pushToTalk = false;
    bool m_openMic = false;
    QAudioDevice m_input;
    QList<PcmLevel> m_callerLevels;
    PcmLevel m_talkLevel;
    QString m_outputStatus;
    QString m_inputStatus;
    qint64 m_talkBackBytes = 0;
    AudioDeviceHealth m_health;
};

} // namespace dispatch
