#include "recallplayer.h"

#include "audio/audiodevices.h"

#include <QAudioSink>
#include <QLoggingCategory>
#include <QMediaDevices>

#include <algorithm>

namespace dispatch {

namespace {
Q_LOGGING_CATEGORY(lcRecall, "dispatch.ui.recall")
}

RecallPlayer::RecallPlayer(QObject *parent)
    : QObject(parent)
{
    m_ticker.setInterval(TickMs);
    connect(&m_ticker, &QTimer::timeout, this, &RecallPlayer::tick);
}

RecallPlayer::~RecallPlayer()
{
    stopOutput();
}

QStringList RecallPlayer::load(const StoredCall &call)
{
    pause();
    QStringList errors;
    m_source.setCall(call, &errors);
    for (const QString &e : std::as_const(errors))
        qCWarning(lcRecall).noquote() << e;
    // The timeline covers the whole call even where nothing was recorded.
    qint64 callMs = 0;
    if (call.ringingAt.isValid()) {
        QDateTime last = call.endedAt;
        for (const auto &e : call.timeline)
            last = std::max(last, e.at);
        if (last.isValid())
            callMs = call.ringingAt.msecsTo(last);
    }
    m_durationMs = std::max(m_source.durationMs(), callMs);
    m_startMs = 0;
    Q_EMIT positionChanged(0);
    return errors;
}

void RecallPlayer::setTracks(RecallSource::Tracks tracks)
{
    m_source.setTracks(tracks); // read per chunk: applies from the next buffer on
}

qint64 RecallPlayer::positionMs() const
{
    if (!m_playing)
        return m_startMs;
    qint64 played = 0;
    if (m_sink)
        played = m_sink->processedUSecs() / 1000;
    else if (m_clock.isValid())
        played = m_clock.elapsed();
    return std::clamp<qint64>(m_startMs + played, 0, m_durationMs);
}

void RecallPlayer::play()
{
    if (m_playing || m_durationMs <= 0)
        return;
    if (m_startMs >= m_durationMs)
        m_startMs = 0; // play again from the start
    m_playing = true;
    startOutput();
    m_ticker.start();
    Q_EMIT playingChanged(true);
}

void RecallPlayer::pause()
{
    if (!m_playing)
        return;
    m_startMs = positionMs();
    m_playing = false;
    m_ticker.stop();
    stopOutput();
    Q_EMIT playingChanged(false);
    Q_EMIT positionChanged(m_startMs);
}

void RecallPlayer::togglePlay()
{
    if (m_playing)
        pause();
    else
        play();
}

void RecallPlayer::seek(qint64 ms)
{
    const qint64 to = std::clamp<qint64>(ms, 0, m_durationMs);
    if (m_playing && m_sink && m_source.bytesForMs(to) < m_source.size()) {
        // The device keeps running (restarting it costs its start-up latency): the source jumps
        // and the clock's base moves with it. What the device had buffered still plays out.
        m_startMs = to - m_sink->processedUSecs() / 1000;
        m_source.seek(m_source.bytesForMs(to));
    } else if (m_playing) {
        stopOutput();
        m_startMs = to;
        startOutput();
    } else {
        m_startMs = to;
    }
    Q_EMIT positionChanged(to);
}

void RecallPlayer::startOutput()
{
    m_clock.invalidate();
    const QAudioDevice device = m_device.isNull() ? QMediaDevices::defaultAudioOutput() : m_device;
    const bool haveAudio =
        m_audioEnabled && !device.isNull() && m_source.bytesForMs(m_startMs) < m_source.size();
    if (haveAudio) {
        QAudioFormat format = callAudioFormat();
        format.setSampleRate(m_source.sampleRate()); // recordings keep the caller's rate
        if (device.isFormatSupported(format)) {
            m_sink = new QAudioSink(device, format, this);
            m_source.seek(m_source.bytesForMs(m_startMs));
            m_sink->start(&m_source);
            if (m_sink->error() == QAudio::NoError) {
                connect(m_sink, &QAudioSink::stateChanged, this, [this](QAudio::State state) {
                    // The recordings ended before the call did: the clock carries on.
                    if (state == QAudio::IdleState && m_playing) {
                        const qint64 at = positionMs();
                        stopOutput();
                        m_startMs = at;
                        m_clock.start();
                    }
                });
                setAudioStatus({});
                return;
            }
            setAudioStatus(tr("The audio output failed (error %1): playing silently.")
                               .arg(int(m_sink->error())));
            stopOutput();
        } else {
            setAudioStatus(tr("%1 cannot play 16-bit mono at %2 Hz: playing silently.")
                               .arg(device.description())
                               .arg(m_source.sampleRate()));
        }
    } else if (m_audioEnabled && device.isNull()) {
        setAudioStatus(tr("No audio output device: playing silently."));
    }
    m_clock.start();
}

void RecallPlayer::stopOutput()
{
    if (m_sink) {
        m_sink->disconnect(this);
        m_sink->stop();
        m_sink->deleteLater();
        m_sink = nullptr;
    }
    m_clock.invalidate();
}

void RecallPlayer::tick()
{
    const qint64 at = positionMs();
    Q_EMIT positionChanged(at);
    if (at >= m_durationMs)
        pause();
}

void RecallPlayer::setAudioStatus(const QString &status)
{
    if (status == m_audioStatus)
        return;
    m_audioStatus = status;
    Q_EMIT audioStatusChanged(status);
}

} // namespace dispatch
