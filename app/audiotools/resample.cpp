#include "audiotools/resample.h"

#include <QtEndian>

#include <algorithm>
#include <cmath>
#include <vector>

namespace dispatch {

QByteArray resampleS16(const QByteArray &pcm, int fromRate, int toRate)
{
    if (fromRate == toRate || pcm.size() < 2)
        return pcm;
    const qsizetype inCount = pcm.size() / 2;
    std::vector<double> in(static_cast<size_t>(inCount));
    for (qsizetype i = 0; i < inCount; ++i)
        in[static_cast<size_t>(i)] = qFromLittleEndian<qint16>(pcm.constData() + 2 * i);
    const double step = double(fromRate) / toRate;
    const double cutoff = 0.5 * 0.9 * std::min(1.0, double(toRate) / fromRate); // cycles/sample
    const int half = static_cast<int>(std::ceil(16 / (2 * cutoff)));
    const auto outCount = static_cast<qsizetype>(std::floor(inCount / step));
    QByteArray out(outCount * 2, Qt::Uninitialized);
    for (qsizetype n = 0; n < outCount; ++n) {
        const double pos = n * step;
        const auto centre = static_cast<qsizetype>(std::floor(pos));
        double sum = 0;
        for (qsizetype k = centre - half + 1; k <= centre + half; ++k) {
            if (k < 0 || k >= inCount)
                continue;
            const double d = std::abs(pos - double(k));
            if (d >= half)
                continue;
            const double x = 2 * cutoff * d;
            const double sinc = x == 0 ? 1 : std::sin(M_PI * x) / (M_PI * x);
            const double window =
                0.42 + 0.5 * std::cos(M_PI * d / half) + 0.08 * std::cos(2 * M_PI * d / half);
            sum += in[static_cast<size_t>(k)] * 2 * cutoff * sinc * window;
        }
        const auto s = static_cast<qint16>(std::clamp(std::lround(sum), -32768L, 32767L));
        qToLittleEndian<qint16>(s, out.data() + 2 * n);
    }
    return out;
}

} // namespace dispatch
