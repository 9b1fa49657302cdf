#pragma once

#include <QByteArray>
#include <QList>

namespace dispatch::test {

// Samples of 16-bit little-endian mono PCM.
QList<qint16> samplesOf(const QByteArray &pcm);
QByteArray pcmOf(const QList<qint16> &samples);

// A complete 16-bit mono PCM WAV file.
QByteArray wavFile(const QByteArray &pcm, int sampleRate = 16000);

struct Alignment
{
    qsizetype lag = 0;      // reference[i] best matches received[i + lag]
    double correlation = 0; // normalised cross-correlation at that lag, -1..1
};

// Where `reference` sits in `received` (lags -maxLag..maxLag) and how alike the two are there:
// a coarse search on 2 kHz envelopes, then a sample-exact one around the best coarse lag.
Alignment align(const QList<qint16> &reference, const QList<qint16> &received, qsizetype maxLag);

// Normalised cross-correlation of reference against received shifted by `lag`.
double correlationAt(const QList<qint16> &reference, const QList<qint16> &received, qsizetype lag);

} // namespace dispatch::test
