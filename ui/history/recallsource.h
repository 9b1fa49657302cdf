#pragma once

#include "storage/callhistory.h"

#include <QFile>
#include <QIODevice>
#include <QList>

#include <memory>

namespace dispatch {

// A recorded call's audio as one random-access PCM stream (s16le mono) on the call's own time
// axis: byte 0 is the moment the call rang. Reads straight from the WAV files, so playback
// starts at once whatever the call's length, and mixes the selected tracks (caller, talk-back)
// where they overlap. Silence fills the gaps (before talk-back started, after a track ended).
class RecallSource : public QIODevice
{
    Q_OBJECT

public:
    enum class Tracks
    {
        Mixed,
        Caller,
        TalkBack
    };

    explicit RecallSource(QObject *parent = nullptr);
    ~RecallSource() override;

    // Opens the call's recordings (closing any earlier ones); errors lists what could not be
    // opened (a missing or foreign file) while the rest still plays.
    void setCall(const StoredCall &call, QStringList *errors = nullptr);
    void setTracks(Tracks tracks) { m_tracks = tracks; }
    Tracks tracks() const { return m_tracks; }
    bool hasTrack(const QString &name) const;
    int sampleRate() const { return m_sampleRate; }
    qint64 durationMs() const;
    qint64 bytesForMs(qint64 ms) const;
    qint64 msForBytes(qint64 bytes) const;

    bool isSequential() const override { return false; }
    qint64 size() const override;

protected:
    qint64 readData(char *data, qint64 maxSize) override;
    qint64 writeData(const char *, qint64) override { return -1; }

private:
    struct Track
    {
        QString name;
        std::unique_ptr<QFile> file;
        qint64 dataOffset = 0; // header bytes
        qint64 startSample = 0;
        qint64 samples = 0;
    };
    bool wanted(const Track &t) const;

    QList<std::shared_ptr<Track>> m_files;
    Tracks m_tracks = Tracks::Mixed;
    int m_sampleRate = 16000;
    qint64 m_totalSamples = 0;
};

} // namespace dispatch
