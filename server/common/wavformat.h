#pragma once

#include "common/parseresult.h"

#include <QByteArray>

namespace dispatch {

// The format of PCM audio in a RIFF/WAVE file, as its fmt chunk says.
struct WavFormat
{
    int channels = 1;
    int sampleRate = 16000;
    int blockAlign = 2; // bytes per frame
    int bitsPerSample = 16;
};

// Parses a fmt chunk's body (`size` bytes at `body`): integer PCM, plain or
// WAVE_FORMAT_EXTENSIBLE; 8- or 16-bit samples; a positive rate up to 384 kHz; at least one
// channel; block alignment consistent with the channels. Errors: bad_format,
// unsupported_encoding. The one fmt parser of the project: recordings (storage) and input files
// (the tools) both read through it.
Parsed<WavFormat> parseWavFormat(const char *body, quint32 size);

// The canonical 44-byte header (RIFF, a 16-byte PCM fmt chunk, then the data chunk) for PCM of
// this shape and data size. A dataBytes of 0xFFFFFFFF (unknown, while recording) makes the RIFF
// size unknown too: streaming readers (ffmpeg, sox) then read to the end of the file.
QByteArray canonicalWavHeader(quint32 dataBytes, const WavFormat &format);

} // namespace dispatch
