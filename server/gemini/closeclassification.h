#pragma once

// How a Gemini Live connection ended and whether reconnecting can help (reference §6, §9.12).
// Pure functions; included by livemessages.h.

#include <QString>

namespace dispatch::gemini {

enum class CloseKind
{
    Retryable, // reconnect (with the resumption handle) and back off
    Final      // fix the request, key, model or plan: reconnecting will fail the same way
};

enum class CloseCategory
{
    ClosedByClient,
    Cancelled,
    NetworkDrop,
    GoAwayExpired,
    Internal,
    NotImplemented,
    Quota,
    ApiKey,
    Credentials, // Vertex: no access token for the service account (refused, or unreachable)
    ModelNotFound,
    BadRequest,
    SetupTimeout,
    MessageTooBig,
    Unknown
};

struct CloseClassification
{
    CloseKind kind = CloseKind::Retryable;
    CloseCategory category = CloseCategory::Unknown;
    // English, for logs and link details: the console words the category in its own language.
    QString humanReadable;
};

struct CloseContext
{
    bool goAwayReceived = false; // a 1008 after goAway is the connection lifetime running out
};

// Classifies a close frame (code + reason as received; reasons are truncated to 123 bytes, so
// matching is on case-insensitive substrings). 1006 means "no close frame" (drop, refused).
CloseClassification classifyClose(int code, const QString &reason, CloseContext context = {});
// A refused WebSocket upgrade that returned an HTTP status (429, 401, ...).
CloseClassification classifyHandshakeStatus(int httpStatus);

QString toString(CloseKind kind);
QString toString(CloseCategory category);

} // namespace dispatch::gemini
