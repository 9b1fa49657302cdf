#include "audiotools/wavfile.h"

#include "audiotools/resample.h"
#include "common/wavformat.h"

#include <QFile>
#include <QtEndian>

#include <cstring>

namespace dispatch {

namespace {

ProtocolError wavError(const char *code, const QString &message)
{
    return ProtocolError{QString::fromLatin1(code), message};
}

quint32 u32(const char *p)
{
    return qFromLittleEndian<quint32>(p);
}

// A fmt chunk of 16-bit integer PCM (the shared parser also takes 8-bit, which the tools do not).
Parsed<WavFormat> parseFormat(const char *p, quint32 size)
{
    auto f = parseWavFormat(p, size);
    if (f && f->bitsPerSample != 16)
        return wavError(
            "unsupported_encoding",
            QStringLiteral("%1-bit samples are not supported, only 16-bit").arg(f->bitsPerSample));
    return f;
}

QByteArray downmix(const char *data, qsizetype frames, int channels)
{
    QByteArray out(frames * 2, Qt::Uninitialized);
    for (qsizetype i = 0; i < frames; ++i) {
        int sum = 0;
        for (int c = 0; c < channels; ++c)
            sum += qFromLittleEndian<qint16>(data + (i * channels + c) * 2);
        qToLittleEndian<qint16>(static_cast<qint16>(sum / channels), out.data() + i * 2);
    }
    return out;
}

// What parseWavAs16k accepts before converting: any rate, mono or stereo.
WavLimits anyRateLimits()
{
    WavLimits limits;
    limits.requiredSampleRate = 0;
    limits.maxChannels = 2;
    return limits;
}

// Refuses rates outside 8-192 kHz and resamples the rest to 16 kHz; `where` prefixes errors.
Parsed<WavAudio> convertTo16k(WavAudio wav, const QString &where)
{
    if (wav.sampleRate < 8000 || wav.sampleRate > 192000)
        return ProtocolError{QStringLiteral("bad_rate"),
                             QStringLiteral("%1sample rate %2 Hz is outside 8-192 kHz")
                                 .arg(where)
                                 .arg(wav.sampleRate)};
    wav.pcm16 = resampleS16(wav.pcm16, wav.sampleRate, 16000);
    wav.sampleRate = 16000;
    return wav;
}

} // namespace

qint64 WavAudio::durationMs() const
{
    return sampleRate > 0 ? pcm16.size() / 2 * 1000 / sampleRate : 0;
}

Parsed<WavAudio> parseWav(const QByteArray &bytes, const WavLimits &limits)
{
    const qsizetype total = bytes.size();
    if (total > limits.maxBytes)
        return wavError(
            "too_large",
            QStringLiteral("%1 bytes exceeds the %2-byte limit").arg(total).arg(limits.maxBytes));
    if (total < 12)
        return wavError("truncated",
                        QStringLiteral("%1 bytes is too short for a RIFF header").arg(total));
    const char *p = bytes.constData();
    if (std::memcmp(p, "RIFF", 4) != 0 || std::memcmp(p + 8, "WAVE", 4) != 0)
        return wavError("not_wav", QStringLiteral("not a RIFF/WAVE file"));

    std::optional<WavFormat> format;
    qsizetype pos = 12;
    while (pos + 8 <= total) {
        const char *chunk = p + pos;
        const quint32 size = u32(chunk + 4);
        const qsizetype bodyStart = pos + 8;
        const qsizetype available = total - bodyStart;
        if (std::memcmp(chunk, "fmt ", 4) == 0) {
            if (qint64(size) > available)
                return wavError("truncated",
                                QStringLiteral("fmt chunk declares %1 bytes, %2 present")
                                    .arg(size)
                                    .arg(available));
            auto f = parseFormat(p + bodyStart, size);
            if (!f)
                return f.error();
            format = f.value();
        } else if (std::memcmp(chunk, "data", 4) == 0) {
            if (!format)
                return wavError("bad_format", QStringLiteral("data chunk before fmt chunk"));
            if (qint64(size) > available)
                return wavError("truncated",
                                QStringLiteral("data chunk declares %1 bytes, %2 present")
                                    .arg(size)
                                    .arg(available));
            if (format->channels > limits.maxChannels)
                return wavError("unsupported_channels",
                                QStringLiteral("%1 channels, at most %2 are supported")
                                    .arg(format->channels)
                                    .arg(limits.maxChannels));
            if (limits.requiredSampleRate > 0 && format->sampleRate != limits.requiredSampleRate)
                return wavError("bad_rate",
                                QStringLiteral("sample rate is %1 Hz, %2 Hz is required (convert "
                                               "with: sox in.wav -r %2 -c 1 -b 16 out.wav)")
                                    .arg(format->sampleRate)
                                    .arg(limits.requiredSampleRate));
            const qsizetype frames = size / format->blockAlign;
            WavAudio audio;
            audio.sampleRate = format->sampleRate;
            audio.sourceChannels = format->channels;
            if (format->channels == 1)
                audio.pcm16 = bytes.mid(bodyStart, frames * 2);
            else
                audio.pcm16 = downmix(p + bodyStart, frames, format->channels);
            return audio;
        }
        // Chunks are padded to an even size; skip unknown ones (LIST, fact, cue, ...).
        pos = bodyStart + qint64(size) + (size & 1);
    }
    return wavError(format ? "truncated" : "bad_format",
                    format ? QStringLiteral("no data chunk") : QStringLiteral("no fmt chunk"));
}

Parsed<WavAudio> readWavFile(const QString &path, const WavLimits &limits)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly))
        return wavError("io_error", QStringLiteral("%1: %2").arg(path, file.errorString()));
    if (file.size() > limits.maxBytes)
        return wavError("too_large", QStringLiteral("%1: %2 bytes exceeds the %3-byte limit")
                                         .arg(path)
                                         .arg(file.size())
                                         .arg(limits.maxBytes));
    auto parsed = parseWav(file.readAll(), limits);
    if (!parsed)
        return ProtocolError{parsed.error().code,
                             path + QStringLiteral(": ") + parsed.error().message};
    return parsed;
}

Parsed<WavAudio> parseWavAs16k(const QByteArray &bytes)
{
    auto wav = parseWav(bytes, anyRateLimits());
    if (!wav)
        return wav;
    return convertTo16k(std::move(wav.value()), QString());
}

Parsed<WavAudio> readWavFileAs16k(const QString &path)
{
    auto wav = readWavFile(path, anyRateLimits());
    if (!wav)
        return wav;
    return convertTo16k(std::move(wav.value()), path + QStringLiteral(": "));
}

} // namespace dispatch
