#include "net/errorreply.h"

#include <QJsonDocument>
#include <QJsonObject>

namespace dispatch {

QByteArray encodeErrorReply(const ProtocolError &error, const QString &callId)
{
    QJsonObject o{{QStringLiteral("type"), QStringLiteral("error")},
                  {QStringLiteral("code"), error.code},
                  {QStringLiteral("message"), error.message}};
    if (!callId.isEmpty())
        o.insert(QStringLiteral("call_id"), callId);
    return QJsonDocument(o).toJson(QJsonDocument::Compact);
}

} // namespace dispatch
