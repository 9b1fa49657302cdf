#pragma once

#include "common/parseresult.h"

#include <QByteArray>
#include <QString>

namespace dispatch {

// Mono signed 16-bit little-endian PCM, as the phones send it and the recognizer takes it.
struct WavAudio
{
    int sampleRate = 0;
    int sourceChannels = 0; // channels in the file before the down-mix to mono
    QByteArray pcm16;       // mono s16le

    qint64 durationMs() const;
};

struct WavLimits
{
    qsizetype maxBytes = 256 * 1024 * 1024;
    int maxChannels = 8;
    // 0 accepts any rate; otherwise a file at another rate is refused (code "bad_rate").
    int requiredSampleRate = 16000;
};

// Parses a RIFF/WAVE file from untrusted bytes: walks the chunks (odd sizes padded), accepts
// PCM and WAVE_FORMAT_EXTENSIBLE/PCM at 16 bits, down-mixes up to maxChannels to mono. Refuses
// truncated files, absurd chunk sizes, other encodings and other rates with a clear message;
// never reads past the buffer or allocates more than the input size.
Parsed<WavAudio> parseWav(const QByteArray &bytes, const WavLimits &limits = {});

// Reads and parses a file; refuses files above limits.maxBytes before reading them.
Parsed<WavAudio> readWavFile(const QString &path, const WavLimits &limits = {});

// Parses a WAV at any rate from 8 to 192 kHz and up to stereo and converts it to 16 kHz mono.
Parsed<WavAudio> parseWavAs16k(const QByteArray &bytes);

// readWavFile + parseWavAs16k, for tools that stream files as a phone would.
Parsed<WavAudio> readWavFileAs16k(const QString &path);

} // namespace dispatch
