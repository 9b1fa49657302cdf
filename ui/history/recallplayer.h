#pragma once

#include "recallsource.h"

#include <QAudioDevice>
#include <QElapsedTimer>
#include <QObject>
#include <QTimer>

class QAudioSink;

namespace dispatch {

// Plays a recorded call from any point: the position is in ms since the call rang, on the
// same axis as the timeline and the transcript. With an audio device the position follows
// what the device has played; without one (or when told to stay silent) a monotonic clock
// drives it, so transcript and bookmarks stay in sync either way.
class RecallPlayer : public QObject
{
    Q_OBJECT

public:
    static constexpr int TickMs = 40;

    explicit RecallPlayer(QObject *parent = nullptr);
    ~RecallPlayer() override;

    // Stops, then opens the call's recordings at position 0. Returns what could not be opened.
    QStringList load(const StoredCall &call);
    void setOutputDevice(const QAudioDevice &device) { m_device = device; }
    // Silent playback (position from the clock): when no audio device should be used.
    void setAudioEnabled(bool enabled) { m_audioEnabled = enabled; }
    void setTracks(RecallSource::Tracks tracks);
    RecallSource::Tracks tracks() const { return m_source.tracks(); }
    bool hasTrack(const QString &name) const { return m_source.hasTrack(name); }

    void play();
    void pause();
    void togglePlay();
    void seek(qint64 ms);

    bool isPlaying() const { return m_playing; }
    qint64 positionMs() const;
    qint64 durationMs() const { return m_durationMs; }
    // Empty while audio plays normally; otherwise why it is silent.
    QString audioStatus() const { return m_audioStatus; }

Q_SIGNALS:
    void positionChanged(qint64 ms);
    void playingChanged(bool playing);
    void audioStatusChanged(const QString &status);

private:
    void startOutput();
    void stopOutput();
    void tick();
    void setAudioStatus(const QString &status);

    RecallSource m_source;
    QAudioDevice m_device;
    bool m_audioEnabled = true;
    QAudioSink *m_sink = nullptr;
    QElapsedTimer m_clock; // while playing without a device
    QTimer m_ticker;
    qint64 m_startMs = 0; // position when output (or the clock) started
    qint64 m_durationMs = 0;
    bool m_playing = false;
    QString m_audioStatus;
};

} // namespace dispatch
