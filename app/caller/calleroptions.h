#pragma once

#include "callscript.h"

#include <QStringList>
#include <QUrl>

#include <optional>

namespace dispatch::caller {

// How the process ends: 0 when every call went as expected, else the first of these that a
// call ran into (the lowest code wins when calls fail differently).
enum class ExitCode
{
    Ok = 0,
    BadInput = 1,         // a WAV, JSON or image file could not be used
    Usage = 2,            // bad command line
    ConnectFailed = 3,    // no WebSocket connection (refused, TLS, timeout)
    NotAnswered = 4,      // --expect-answer and no dispatcher_ready in time
    ServerError = 5,      // the server answered a message with {"type":"error"}
    EndedUnexpectedly = 6 // the call ended (or the connection dropped) before the script did
};

struct CallerOptions
{
    QUrl server; // ws:// or wss:// base URL
    QString callId;
    QString wavPath;
    bool fast = false;
    std::optional<Position> location;
    QString trackPath;
    bool move = false;
    QString vitalsPath;
    bool vitalsDemo = false;
    QString framesPath;
    bool repeatFrame = false; // --frame FILE: the same image every second
    QString text;
    int hangupAfterMs = -1;
    bool expectAnswer = false;
    int answerTimeoutMs = 30'000;
    int connectTimeoutMs = 10'000;
    int count = 1;
    int staggerMs = 0;
    bool insecure = false;
    QString caPath;
    bool json = false;
};

struct CallerOptionsResult
{
    std::optional<CallerOptions> options;
    QString error;
    QString helpText;
};

// Parses the command line (argv[0] first).
CallerOptionsResult parseCallerOptions(const QStringList &arguments);

// http(s):// or ws(s):// server address -> ws(s)://host:port; invalid for anything else.
QUrl webSocketBase(const QString &server);

bool isValidCallId(const QString &id);

} // namespace dispatch::caller
