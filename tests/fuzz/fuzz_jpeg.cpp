// Camera frames: the server never decodes a JPEG (it stores, forwards to Gemini and relays to
// the dashboard), so its only JPEG handling is parseAudioChannelText's envelope check (base64,
// size limit, SOI marker). The input here is the raw frame the phone would send.

#include "fuzztarget.h"
#include "phone/phonemessages.h"

#include <QJsonObject>

using namespace dispatch;
using namespace dispatch::phone;

DISPATCH_FUZZ_TARGET(jpeg)
{
    const QByteArray jpeg = fuzz::bytes(data, size);
    const QByteArray message =
        encode({{QStringLiteral("type"), QStringLiteral("frame")},
                {QStringLiteral("data"), QString::fromLatin1(jpeg.toBase64())}});
    const auto frame = parseAudioChannelText(message);
    const bool looksLikeJpeg = jpeg.size() >= 4 && jpeg.size() <= Limits::MaxFrameJpegBytes &&
                               jpeg.startsWith("\xFF\xD8\xFF");
    FUZZ_CHECK(frame.ok() == looksLikeJpeg, "frame verdict differs from the SOI sniff");
    if (frame)
        FUZZ_CHECK(frame->jpeg == jpeg, "frame bytes changed");
    else
        FUZZ_CHECK(frame.error().code == QLatin1String("bad_frame"), "refusal code");
    return 0;
}
