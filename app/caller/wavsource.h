#pragma once

#include <QByteArray>
#include <QString>

namespace dispatch::caller {

// Audio for /ws/audio: 16 kHz signed 16-bit little-endian mono PCM.
struct WavAudio
{
    QByteArray pcm;     // 16 kHz s16le mono
    int sourceRate = 0; // the file's sample rate
    int sourceChannels = 0;
    QString error; // set when the file was refused

    bool ok() const { return error.isEmpty(); }
    double seconds() const { return double(pcm.size()) / (2 * 16000); }
};

// A small RIFF/WAVE reader: 16-bit PCM (plain or WAVE_FORMAT_EXTENSIBLE), one or two channels
// (mixed to mono), any rate from 8 to 192 kHz (resampled to 16 kHz with a windowed-sinc
// low-pass). Anything else is refused with a clear error.
WavAudio parseWav(const QByteArray &bytes);
WavAudio readWav(const QString &path);

// Band-limited resampling of mono 16-bit samples (exposed for tests).
QByteArray resampleS16(const QByteArray &pcm, int fromRate, int toRate);

} // namespace dispatch::caller
