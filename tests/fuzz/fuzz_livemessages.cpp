// Gemini Live server messages (LiveSession hands every frame to decodeServerMessage), plus the
// small text codecs they use: lenient base64, proto durations, audio mime types.

#include "fuzztarget.h"
#include "gemini/livemessages.h"

using namespace dispatch;
using namespace dispatch::gemini;

namespace {

// LiveSessionConfig::maxInboundMessageBytes.
constexpr qsizetype MaxInbound = 8 * 1024 * 1024;

void checkBase64(const QByteArray &bytes)
{
    const auto standard = decodeBase64Lenient(QString::fromLatin1(bytes.toBase64()));
    FUZZ_CHECK(standard && *standard == bytes, "base64 round trip differs");
    const auto urlSafe = decodeBase64Lenient(QString::fromLatin1(
        bytes.toBase64(QByteArray::Base64UrlEncoding | QByteArray::OmitTrailingEquals)));
    FUZZ_CHECK(urlSafe && *urlSafe == bytes, "url-safe base64 round trip differs");
}

void checkDuration(qint64 ms)
{
    FUZZ_CHECK(ms >= 0, "negative duration");
    const auto again = parseDurationMs(formatDuration(ms));
    FUZZ_CHECK(again && *again == ms, "duration round trip differs");
}

void checkMessage(const ServerMessage &m)
{
    if (m.serverContent) {
        for (const Part &p : m.serverContent->parts) {
            if (!p.inlineData)
                continue;
            const int rate = p.inlineData->sampleRate;
            FUZZ_CHECK(rate == 0 || (rate >= 1000 && rate <= 192000), "sample rate");
            checkBase64(p.inlineData->data);
        }
    }
    if (m.toolCall) {
        for (const FunctionCall &f : m.toolCall->functionCalls)
            FUZZ_CHECK(!f.name.isEmpty(), "function call without a name");
    }
    if (m.goAwayTimeLeftMs && *m.goAwayTimeLeftMs != -1)
        checkDuration(*m.goAwayTimeLeftMs);
    if (m.usageMetadata) {
        const UsageMetadata &u = *m.usageMetadata;
        for (qint64 n :
             {u.promptTokenCount, u.responseTokenCount, u.totalTokenCount, u.thoughtsTokenCount,
              u.cachedContentTokenCount, u.toolUsePromptTokenCount})
            FUZZ_CHECK(n >= 0, "negative token count");
    }
    if (m.error)
        FUZZ_CHECK(m.error->code >= 0, "negative error code");
}

} // namespace

DISPATCH_FUZZ_TARGET(livemessages)
{
    const QByteArray input = fuzz::bytes(data, size);
    const auto decoded = decodeServerMessage(input, MaxInbound);
    if (decoded)
        checkMessage(decoded.value());
    else
        FUZZ_CHECK(!decoded.error().code.isEmpty(), "refusal without a code");

    // The same bytes as the text the helpers see inside a message.
    const QString text = QString::fromUtf8(input);
    if (const auto ms = parseDurationMs(text))
        checkDuration(*ms);
    const int rate = sampleRateFromMimeType(text, 24000);
    FUZZ_CHECK(rate == 24000 || (rate >= 1000 && rate <= 192000), "mime sample rate");
    if (const auto b = decodeBase64Lenient(text); b && b->size() <= 4096)
        checkBase64(*b);
    return 0;
}
