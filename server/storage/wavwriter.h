#pragma once

#include "common/parseresult.h"

#include <QByteArray>
#include <QFile>
#include <QString>

namespace dispatch {

// What a canonical 44-byte PCM WAV header says, and what the file around it holds.
struct WavInfo
{
    static constexpr qsizetype HeaderBytes = 44;
    // Placeholder sizes written while recording: readers that stream (ffmpeg, sox) read to EOF.
    static constexpr quint32 UnknownSize = 0xFFFFFFFFu;

    int sampleRate = 16000;
    int channels = 1;
    int bitsPerSample = 16;
    quint32 declaredDataBytes = 0; // what the data chunk header says
    qint64 fileBytes = 0;          // the file size, when known

    int bytesPerFrame() const { return channels * bitsPerSample / 8; }
    // The sample data actually present: file size minus header, whole frames only.
    qint64 availableDataBytes() const;
    // True when the header's sizes match the file (the recording was closed properly).
    bool finalized() const;
    qint64 durationMs(qint64 dataBytes) const;
};

// The canonical header for PCM of this shape and data size (UnknownSize while still recording).
QByteArray wavHeader(quint32 dataBytes, int sampleRate = 16000, int channels = 1,
                     int bitsPerSample = 16);

// Parses the first 44 bytes of a file we wrote: RIFF/WAVE, one PCM fmt chunk, then data.
// Anything else (a foreign WAV layout, garbage) is an error: we never guess at other files.
Parsed<WavInfo> parseWavHeader(const QByteArray &header, qint64 fileBytes = 0);

// Makes a WAV file left behind by a crash playable: drops a trailing partial frame and writes
// the sizes the file really has. Returns what the file holds now.
Parsed<WavInfo> repairWavFile(const QString &path);

// Appends PCM to a WAV file as it arrives. Writes go straight to the kernel (no user-space
// buffer), so a killed process loses nothing it had written; the header's sizes are refreshed
// by syncHeader() (the recorder does so every flush) and patched on close.
class WavWriter
{
public:
    explicit WavWriter(QString path, int sampleRate = 16000, int channels = 1);
    ~WavWriter();
    WavWriter(const WavWriter &) = delete;
    WavWriter &operator=(const WavWriter &) = delete;

    // Creates the file (or continues one we wrote earlier, after repairing it).
    bool open(QString *error = nullptr);
    // Appends whole frames. On a failed or short write the file is cut back to the last good
    // size so that samples stay aligned, and false is returned (the caller counts the loss).
    bool append(const QByteArray &pcm);
    // Appends silence (zeros) in bounded pieces.
    bool appendSilence(qint64 bytes);
    // Writes the current sizes into the header (cheap: two 4-byte writes).
    bool syncHeader();
    // Flushes file data to the device (fdatasync): for power loss, not needed for a crash.
    bool syncData();
    // Patches the header and closes. Idempotent.
    bool close();

    QString path() const { return m_path; }
    bool isOpen() const { return m_file.isOpen(); }
    qint64 dataBytes() const { return m_dataBytes; }
    qint64 durationMs() const;
    QString errorString() const { return m_error; }

private:
    QString m_path;
    int m_sampleRate;
    int m_channels;
    QFile m_file;
    qint64 m_dataBytes = 0;
    qint64 m_headerBytes = -1; // data size last written into the header
    QString m_error;
};

} // namespace dispatch
