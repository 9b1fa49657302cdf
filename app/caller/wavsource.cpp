#include "wavsource.h"

#include <QFile>
#include <QtEndian>

#include <algorithm>
#include <cmath>
#include <vector>

namespace dispatch::caller {

namespace {

constexpr int WireRate = 16000;

quint16 u16(const QByteArray &b, qsizetype at)
{
    return qFromLittleEndian<quint16>(b.constData() + at);
}

quint32 u32(const QByteArray &b, qsizetype at)
{
    return qFromLittleEndian<quint32>(b.constData() + at);
}

WavAudio refuse(const QString &why)
{
    WavAudio a;
    a.error = why;
    return a;
}

} // namespace

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

WavAudio parseWav(const QByteArray &bytes)
{
    if (bytes.size() < 12 || !bytes.startsWith("RIFF") || bytes.mid(8, 4) != "WAVE")
        return refuse(QStringLiteral("not a RIFF/WAVE file"));
    int format = 0;
    int channels = 0;
    int rate = 0;
    int bits = 0;
    QByteArray data;
    bool haveFormat = false;
    bool haveData = false;
    qsizetype at = 12;
    while (at + 8 <= bytes.size() && !haveData) {
        const QByteArray id = bytes.mid(at, 4);
        const qsizetype size = u32(bytes, at + 4);
        const qsizetype body = at + 8;
        const qsizetype available = std::min<qsizetype>(size, bytes.size() - body);
        if (id == "fmt ") {
            if (available < 16)
                return refuse(QStringLiteral("the fmt chunk is too short"));
            format = u16(bytes, body);
            channels = u16(bytes, body + 2);
            rate = static_cast<int>(u32(bytes, body + 4));
            bits = u16(bytes, body + 14);
            if (format == 0xFFFE && available >= 26)
                format = u16(bytes, body + 24); // WAVE_FORMAT_EXTENSIBLE: the sub-format
            haveFormat = true;
        } else if (id == "data") {
            if (!haveFormat)
                return refuse(QStringLiteral("the data chunk comes before the fmt chunk"));
            data = bytes.mid(body, available); // a truncated file keeps what it has
            haveData = true;
        }
        at = body + size + (size % 2); // chunks are padded to even sizes
    }
    if (!haveFormat)
        return refuse(QStringLiteral("no fmt chunk"));
    if (!haveData)
        return refuse(QStringLiteral("no data chunk"));
    if (format != 1 || bits != 16)
        return refuse(
            QStringLiteral("only 16-bit PCM is supported (this file: format %1, %2 bits); "
                           "convert it with: sox IN -r 16000 -c 1 -b 16 OUT.wav")
                .arg(format)
                .arg(bits));
    if (channels < 1 || channels > 2)
        return refuse(QStringLiteral("only mono or stereo is supported (this file: %1 channels)")
                          .arg(channels));
    if (rate < 8000 || rate > 192000)
        return refuse(QStringLiteral("unsupported sample rate %1 Hz").arg(rate));

    const qsizetype frames = data.size() / (2 * channels);
    QByteArray mono(frames * 2, Qt::Uninitialized);
    for (qsizetype i = 0; i < frames; ++i) {
        int sum = 0;
        for (int c = 0; c < channels; ++c)
            sum += qFromLittleEndian<qint16>(data.constData() + 2 * (i * channels + c));
        qToLittleEndian<qint16>(static_cast<qint16>(sum / channels), mono.data() + 2 * i);
    }
    WavAudio audio;
    audio.sourceRate = rate;
    audio.sourceChannels = channels;
    audio.pcm = resampleS16(mono, rate, WireRate);
    return audio;
}

WavAudio readWav(const QString &path)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return refuse(QStringLiteral("cannot open %1: %2").arg(path, file.errorString()));
    if (file.size() > 512 * 1024 * 1024)
        return refuse(QStringLiteral("%1 is larger than 512 MiB").arg(path));
    WavAudio audio = parseWav(file.readAll());
    if (!audio.ok())
        audio.error = path + QStringLiteral(": ") + audio.error;
    return audio;
}

} // namespace dispatch::caller
