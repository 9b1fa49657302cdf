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

// As align(), searching lags minLag..maxLag only.
Alignment alignWithin(const QList<qint16> &reference, const QList<qint16> &received,
                      qsizetype minLag, qsizetype maxLag);

// The reference cut into pieces of pieceSamples, each aligned on its own within `radius` of
// `around` (the whole reference's lag). A capture device that inserts or drops a few ms under
// load shifts the later pieces but leaves each piece intact; a wrong rate, format or order
// leaves no piece intact. `voiced`: the piece holds at least a tenth of the reference's mean
// power (correlation means little in a pause).
struct PieceAlignment
{
    qsizetype start = 0;
    bool voiced = false;
    Alignment alignment; // lag relative to the whole reference's start
};
QList<PieceAlignment> alignPieces(const QList<qint16> &reference, const QList<qint16> &received,
                                  qsizetype around, qsizetype pieceSamples, qsizetype radius);

// Normalised cross-correlation of reference against received shifted by `lag`.
double correlationAt(const QList<qint16> &reference, const QList<qint16> &received, qsizetype lag);

} // namespace dispatch::test
