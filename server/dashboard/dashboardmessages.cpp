#include "dashboard/dashboardmessages.h"

#include <QRegularExpression>

namespace dispatch::dashboard {

bool isPrincipalName(const QString &name)
{
    static const QRegularExpression principal(QStringLiteral("^[A-Za-z0-9._@:-]{1,128}$"));
    return principal.match(name).hasMatch();
}

QByteArray encodeMediaFrame(const MediaFrame &frame)
{
    const QByteArray id = frame.callId.toLatin1();
    QByteArray out;
    out.reserve(2 + id.size() + frame.payload.size());
    out.append(static_cast<char>(frame.kind));
    out.append(static_cast<char>(static_cast<quint8>(id.size())));
    out.append(id);
    out.append(frame.payload);
    return out;
}

Parsed<MediaFrame> parseMediaFrame(const QByteArray &bytes)
{
    auto bad = [](const QString &why) {
        return ProtocolError{QStringLiteral("bad_media_frame"), why};
    };
    if (bytes.size() < 3)
        return bad(QStringLiteral("media frame shorter than its header"));
    const auto kind = static_cast<quint8>(bytes.at(0));
    if (kind < static_cast<quint8>(MediaKind::CallerAudio) ||
        kind > static_cast<quint8>(MediaKind::TalkBack))
        return bad(QStringLiteral("unknown media kind %1").arg(kind));
    const auto idLength = static_cast<quint8>(bytes.at(1));
    if (idLength == 0 || 2 + idLength > bytes.size())
        return bad(QStringLiteral("media frame call id length out of range"));
    const QString id = QString::fromLatin1(bytes.mid(2, idLength));
    if (!phone::isValidCallId(id))
        return bad(QStringLiteral("media frame call id is not valid"));
    return MediaFrame{static_cast<MediaKind>(kind), id, bytes.mid(2 + idLength)};
}

} // namespace dispatch::dashboard
