#pragma once

#include "common/parseresult.h"

#include <QByteArray>
#include <QString>

namespace dispatch {

// The error reply every WebSocket channel (caller and dashboard) sends for a refused message:
// {type: error, code, message, call_id?} (server/PROTOCOL.md).
QByteArray encodeErrorReply(const ProtocolError &error, const QString &callId = QString());

} // namespace dispatch
