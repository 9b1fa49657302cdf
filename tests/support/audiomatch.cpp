#include "audiomatch.h"

#include <QtEndian>

#include <cmath>
#include <vector>

namespace dispatch::test {

namespace {

template<typename Sample>
double ncc(const Sample *r, qsizetype rn, const Sample *x, qsizetype xn, qsizetype lag)
{
    double rx = 0;
    double rr = 0;
    double xx = 0;
    for (qsizetype i = std::max<qsizetype>(0, -lag); i < rn && i + lag < xn; ++i) {
        const double a = r[i];
        const double b = x[i + lag];
        rx += a * b;
        rr += a * a;
        xx += b * b;
    }
    return rr > 0 && xx > 0 ? rx / std::sqrt(rr * xx) : 0;
}

std::vector<double> decimate(const QList<qint16> &s, int factor)
{
    std::vector<double> out(static_cast<size_t>(s.size() / factor));
    for (size_t i = 0; i < out.size(); ++i) {
        double sum = 0;
        for (int k = 0; k < factor; ++k)
            sum += s[qsizetype(i) * factor + k];
        out[i] = sum / factor;
    }
    return out;
}

} // namespace

QList<qint16> samplesOf(const QByteArray &pcm)
{
    QList<qint16> s(pcm.size() / 2);
    for (qsizetype i = 0; i < s.size(); ++i)
        s[i] = qFromLittleEndian<qint16>(pcm.constData() + 2 * i);
    return s;
}

QByteArray pcmOf(const QList<qint16> &samples)
{
    QByteArray pcm(samples.size() * 2, Qt::Uninitialized);
    for (qsizetype i = 0; i < samples.size(); ++i)
        qToLittleEndian<qint16>(samples[i], pcm.data() + 2 * i);
    return pcm;
}

QByteArray wavFile(const QByteArray &pcm, int sampleRate)
{
    QByteArray h(44, '\0');
    auto put32 = [&h](int at, quint32 v) { qToLittleEndian<quint32>(v, h.data() + at); };
    auto put16 = [&h](int at, quint16 v) { qToLittleEndian<quint16>(v, h.data() + at); };
    h.replace(0, 4, "RIFF");
    put32(4, quint32(36 + pcm.size()));
    h.replace(8, 8, "WAVEfmt ");
    put32(16, 16);
    put16(20, 1); // PCM
    put16(22, 1); // mono
    put32(24, quint32(sampleRate));
    put32(28, quint32(sampleRate * 2));
    put16(32, 2);
    put16(34, 16);
    h.replace(36, 4, "data");
    put32(40, quint32(pcm.size()));
    return h + pcm;
}

double correlationAt(const QList<qint16> &reference, const QList<qint16> &received, qsizetype lag)
{
    return ncc(reference.constData(), reference.size(), received.constData(), received.size(), lag);
}

Alignment align(const QList<qint16> &reference, const QList<qint16> &received, qsizetype maxLag)
{
    return alignWithin(reference, received, -maxLag, maxLag);
}

Alignment alignWithin(const QList<qint16> &reference, const QList<qint16> &received,
                      qsizetype minLag, qsizetype maxLag)
{
    constexpr int Factor = 8;
    const std::vector<double> r = decimate(reference, Factor);
    const std::vector<double> x = decimate(received, Factor);
    qsizetype coarseLag = minLag / Factor;
    double best = -2;
    for (qsizetype lag = minLag / Factor; lag <= maxLag / Factor; ++lag) {
        const double c = ncc(r.data(), qsizetype(r.size()), x.data(), qsizetype(x.size()), lag);
        if (c > best) {
            best = c;
            coarseLag = lag;
        }
    }
    Alignment result{coarseLag * Factor, -2};
    for (qsizetype lag = coarseLag * Factor - 2 * Factor; lag <= coarseLag * Factor + 2 * Factor;
         ++lag) {
        const double c = correlationAt(reference, received, lag);
        if (c > result.correlation)
            result = {lag, c};
    }
    return result;
}

QList<PieceAlignment> alignPieces(const QList<qint16> &reference, const QList<qint16> &received,
                                  qsizetype around, qsizetype pieceSamples, qsizetype radius)
{
    double energy = 0;
    for (const qint16 v : reference)
        energy += double(v) * v;
    const double meanSquare = reference.isEmpty() ? 0 : energy / double(reference.size());
    QList<PieceAlignment> pieces;
    for (qsizetype start = 0; start + pieceSamples <= reference.size(); start += pieceSamples) {
        const QList<qint16> piece = reference.mid(start, pieceSamples);
        double pieceEnergy = 0;
        for (const qint16 v : piece)
            pieceEnergy += double(v) * v;
        PieceAlignment p;
        p.start = start;
        p.voiced = pieceEnergy / double(pieceSamples) >= 0.1 * meanSquare;
        const qsizetype centre = around + start;
        p.alignment = alignWithin(piece, received, centre - radius, centre + radius);
        p.alignment.lag -= start; // as a lag of the whole reference, comparable between pieces
        pieces << p;
    }
    return pieces;
}

} // namespace dispatch::test
