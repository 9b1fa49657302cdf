#pragma once

#include <QByteArray>
#include <QtEndian>

#include <cmath>

namespace dispatch::test {

// `ms` of a 220 Hz tone as 16 kHz s16le mono PCM: speech-like energy for VAD-driven fakes.
inline QByteArray pcm16k(int ms, double amplitude)
{
    const int samples = 16 * ms;
    QByteArray pcm(samples * 2, Qt::Uninitialized);
    for (int i = 0; i < samples; ++i) {
        const double v = amplitude * std::sin(2.0 * M_PI * 220.0 * i / 16000.0);
        qToLittleEndian<qint16>(static_cast<qint16>(v), pcm.data() + 2 * i);
    }
    return pcm;
}

// `ms` of a phone line: a 180 Hz tone of `amplitude` (voiced speech; 0 for none) over
// deterministic white noise of about `noise` RMS. Loud enough for the fake's VAD at ~2000.
inline QByteArray phoneLine(int ms, double amplitude, int noise = 30)
{
    quint32 seed = 12345u + static_cast<quint32>(ms);
    QByteArray pcm(ms * 32, Qt::Uninitialized);
    for (int i = 0; i < ms * 16; ++i) {
        seed = seed * 1664525u + 1013904223u;
        const double n = (double(seed >> 16) / 65535.0 - 0.5) * 2.0 * noise * 1.7;
        const double v = amplitude * std::sin(2.0 * M_PI * 180.0 * i / 16000.0) + n;
        qToLittleEndian<qint16>(static_cast<qint16>(v), pcm.data() + 2 * i);
    }
    return pcm;
}

constexpr int ChunkBytes = 640; // 20 ms of 16 kHz s16le mono

// 20 ms of constant samples: chunk `index` carries the value 1000 + index, so that what a fake
// decodes tells which chunks arrived (and is loud enough to count as speech).
inline QByteArray numberedChunk(int index)
{
    QByteArray pcm(ChunkBytes, Qt::Uninitialized);
    for (int i = 0; i < ChunkBytes / 2; ++i)
        qToLittleEndian<qint16>(static_cast<qint16>(1000 + index), pcm.data() + 2 * i);
    return pcm;
}

} // namespace dispatch::test
