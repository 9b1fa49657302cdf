#include "callaudio.h"

#include "audiodevices.h"
#include "calls/callstore.h"

#include <QMediaDevices>

namespace dispatch {

CallAudio::CallAudio(CallStore &store, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_playback(new PlaybackWorker)
    , m_capture(new CaptureWorker)
{
    m_thread.setObjectName(QStringLiteral("call-audio"));
    m_playback->moveToThread(&m_thread);
    m_capture->moveToThread(&m_thread);
    connect(&m_thread, &QThread::finished, m_playback, &QObject::deleteLater);
    connect(&m_thread, &QThread::finished, m_capture, &QObject::deleteLater);
    connect(m_playback, &PlaybackWorker::statusChanged, this,
            [this](bool running, const QString &detail) {
                m_outputStatus = running ? detail : tr("Speaker: %1").arg(detail);
                m_health.speakerWorks = running;
                m_health.speakerProblem = running ? QString() : detail;
                Q_EMIT statusChanged();
            });
    connect(m_capture, &CaptureWorker::statusChanged, this,
            [this](bool running, const QString &detail) {
                m_inputStatus = running ? detail : tr("Microphone: %1").arg(detail);
                m_health.microphoneWorks = running; // stop() reports nothing: not a failure
                m_health.microphoneProblem = running ? QString() : detail;
                Q_EMIT statusChanged();
            });
    connect(m_capture, &CaptureWorker::captured, this, &CallAudio::onCaptured);
    m_thread.start();
    QMetaObject::invokeMethod(m_playback, [p = m_playback] { p->start(QAudioDevice()); });
    watchDevices();

    connect(&store, &CallStore::audioReceived, this,
            [this](const QString &id, const QByteArray &pcm) {
                if (id != m_callId)
                    return;
                m_callerLevels.append(measureLevel(pcm));
                if (m_callerLevels.size() > WaveformPoints)
                    m_callerLevels.removeFirst();
                if (!m_muted)
                    QMetaObject::invokeMethod(m_playback, [p = m_playback, pcm] { p->push(pcm); });
            });
    connect(&store, &CallStore::callEnded, this, [this](const QString &id) {
        if (id == m_callId) {
            setPushToTalk(false);
            setOpenMic(false);
        }
    });
}

CallAudio::~CallAudio()
{
    QMetaObject::invokeMethod(
        m_capture, [c = m_capture] { c->stop(); }, Qt::BlockingQueuedConnection);
    QMetaObject::invokeMethod(
        m_playback, [p = m_playback] { p->stop(); }, Qt::BlockingQueuedConnection);
    m_thread.quit();
    m_thread.wait();
}

void CallAudio::watchDevices()
{
    auto *devices = new QMediaDevices(this);
    const auto checkInputs = [this] {
        setMicrophonePresent(!QMediaDevices::audioInputs().isEmpty());
    };
    connect(devices, &QMediaDevices::audioInputsChanged, this, checkInputs);
    // A speaker plugged in after a failure is used at once (the default device).
    connect(devices, &QMediaDevices::audioOutputsChanged, this, [this] {
        if (!m_health.speakerWorks)
            setOutputDevice(QAudioDevice());
    });
    checkInputs();
}

void CallAudio::setMicrophonePresent(bool present)
{
    if (m_health.microphonePresent == present)
        return;
    m_health.microphonePresent = present;
    if (present)
        m_health.microphoneWorks = true; // a new device: not failed yet
    Q_EMIT statusChanged();
}

void CallAudio::setCall(const QString &callId)
{
    if (callId == m_callId)
        return;
    const bool wasTalking = isTalking();
    m_pushToTalk = false;
    m_openMic = false;
    m_callId = callId;
    m_callerLevels.clear();
    QMetaObject::invokeMethod(m_playback, [p = m_playback] { p->flush(); });
    updateTalking(wasTalking);
}

void CallAudio::setMuted(bool muted)
{
    m_muted = muted;
    if (muted)
        QMetaObject::invokeMethod(m_playback, [p = m_playback] { p->flush(); });
}

void CallAudio::setOutputDevice(const QAudioDevice &device)
{
    QMetaObject::invokeMethod(m_playback, [p = m_playback, device] { p->start(device); });
}

void CallAudio::setInputDevice(const QAudioDevice &device)
{
    m_input = device;
    if (isTalking()) {
        QMetaObject::invokeMethod(m_capture, [c = m_capture, device] { c->start(device); });
    }
}

void CallAudio::setPushToTalk(bool pressed)
{
    const bool was = isTalking();
    m_pushToTalk = pressed;
    updateTalking(was);
}

void CallAudio::setOpenMic(bool open)
{
    const bool was = isTalking();
    m_openMic = open;
    updateTalking(was);
}

void CallAudio::updateTalking(bool wasTalking)
{
    const bool talking = isTalking() && !m_callId.isEmpty();
    if (talking == wasTalking)
        return;
    if (talking)
        QMetaObject::invokeMethod(m_capture, [c = m_capture, d = m_input] { c->start(d); });
    else
        QMetaObject::invokeMethod(m_capture, [c = m_capture] { c->stop(); });
    m_talkLevel = {};
    Q_EMIT talkingChanged(talking);
}

void CallAudio::onCaptured(const QByteArray &pcm)
{
    if (!isTalking() || m_callId.isEmpty())
        return;
    m_talkLevel = measureLevel(pcm);
    if (m_store.sendTalkBack(m_callId, pcm) == CallStore::Result::Ok)
        m_talkBackBytes += pcm.size();
}

} // namespace dispatch
