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
