// WAV files: parseWav (RIFF chunk walk, down-mix), parseWavAs16k (any rate -> 16 kHz through
// resampleS16, what readWavFileAs16k does after reading the file) and parseWavHeader (the
// recorder's own header, read back by crash recovery).

#include "audiotools/resample.h"
#include "audiotools/wavfile.h"
#include "fuzztarget.h"
#include "storage/wavwriter.h"

#include <cmath>

using namespace dispatch;

namespace {

// Resampling costs ~40 filter taps per output sample: bound the work per input, not the parser.
constexpr qsizetype MaxResampledBytes = 64 * 1024;

void checkParsed(const QByteArray &input, const Parsed<WavAudio> &wav, const WavLimits &limits)
{
    if (!wav) {
        FUZZ_CHECK(!wav.error().code.isEmpty(), "refusal without a code");
        return;
    }
    FUZZ_CHECK(wav->pcm16.size() % 2 == 0, "odd PCM size");
    FUZZ_CHECK(wav->pcm16.size() <= input.size(), "more PCM than input");
    FUZZ_CHECK(wav->sourceChannels >= 1 && wav->sourceChannels <= limits.maxChannels, "channels");
    FUZZ_CHECK(limits.requiredSampleRate == 0 || wav->sampleRate == limits.requiredSampleRate,
               "rate");
    FUZZ_CHECK(wav->durationMs() >= 0, "negative duration");

    // A canonical file holding the same samples must give them back unchanged.
    const QByteArray canonical =
        wavHeader(static_cast<quint32>(wav->pcm16.size()), wav->sampleRate, 1) + wav->pcm16;
    const auto again = parseWav(canonical, limits);
    FUZZ_CHECK(again.ok() && again->pcm16 == wav->pcm16 && again->sampleRate == wav->sampleRate,
               "canonical WAV round trip differs");
}

void checkAs16k(const QByteArray &input)
{
    const auto wav = parseWavAs16k(input);
    if (!wav)
        return;
    FUZZ_CHECK(wav->sampleRate == 16000, "not 16 kHz");
    FUZZ_CHECK(wav->pcm16.size() % 2 == 0, "odd PCM size");
    const auto raw = parseWav(input, [] {
        WavLimits l;
        l.requiredSampleRate = 0;
        l.maxChannels = 2;
        return l;
    }());
    FUZZ_CHECK(raw.ok(), "parseWavAs16k accepted what parseWav refuses");
    // Output length is the input duration at 16 kHz (one sample of rounding).
    const double expected = std::floor(double(raw->pcm16.size() / 2) * 16000.0 / raw->sampleRate);
    const double got = double(wav->pcm16.size() / 2);
    FUZZ_CHECK(raw->pcm16.size() < 2 || std::fabs(got - expected) <= 1, "resampled length");
}

void checkHeader(const QByteArray &input)
{
    const auto info = parseWavHeader(input.left(WavInfo::HeaderBytes), input.size());
    if (!info)
        return;
    FUZZ_CHECK(info->bytesPerFrame() > 0, "frame size");
    const qint64 available = info->availableDataBytes();
    FUZZ_CHECK(available >= 0 && available <= qMax<qint64>(0, input.size() - WavInfo::HeaderBytes),
               "available data beyond the file");
    FUZZ_CHECK(available % info->bytesPerFrame() == 0, "partial frame counted");
    FUZZ_CHECK(info->durationMs(available) >= 0, "negative duration");
    const auto again = parseWavHeader(
        wavHeader(info->declaredDataBytes, info->sampleRate, info->channels, info->bitsPerSample),
        input.size());
    FUZZ_CHECK(again.ok() && again->sampleRate == info->sampleRate &&
                   again->channels == info->channels &&
                   again->bitsPerSample == info->bitsPerSample &&
                   again->declaredDataBytes == info->declaredDataBytes,
               "header round trip differs");
}

} // namespace

DISPATCH_FUZZ_TARGET(wav)
{
    const QByteArray input = fuzz::bytes(data, size);
    const WavLimits phone; // 16 kHz only, up to 8 channels
    checkParsed(input, parseWav(input, phone), phone);
    WavLimits any;
    any.requiredSampleRate = 0;
    checkParsed(input, parseWav(input, any), any);
    if (input.size() <= MaxResampledBytes)
        checkAs16k(input);
    checkHeader(input);
    return 0;
}
