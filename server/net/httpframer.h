#pragma once

#include <QByteArray>
#include <QByteArrayView>

namespace dispatch {

// Follows the requests of one HTTP/1.1 connection in its raw bytes, ahead of Qt's parser, so that
// a request the server will not take is refused before Qt buffers it: Qt 6.4's
// QAbstractHttpServer keeps every byte of a request (body included) in memory until it is
// complete, with no limit. No route of this server takes a body, so a request is refused when
// - its request line and headers exceed `maxHeaderBytes` (431),
// - it announces a body over `maxBodyBytes` or any Transfer-Encoding (413),
// - its framing is ambiguous or malformed: a bad or conflicting Content-Length, a folded or
//   nameless header line, control characters, CONNECT (400).
// A request that asks for an upgrade ends the framing: what follows is not HTTP.
// Pure: no sockets, no clocks.
class HttpFramer
{
public:
    struct Limits
    {
        qsizetype maxHeaderBytes = 16 * 1024;
        qsizetype maxBodyBytes = 1024;
    };
    enum class Refusal
    {
        None,
        HeaderTooLarge, // 431
        BodyTooLarge,   // 413: Content-Length over the limit
        BodyEncoded,    // 413: Transfer-Encoding (chunked or other)
        BadFraming      // 400
    };

    HttpFramer();
    explicit HttpFramer(Limits limits);

    // Feeds the next bytes of the connection. Once it returned a refusal the framer stays
    // refused and ignores further bytes.
    Refusal feed(QByteArrayView bytes);

    // A request has begun (its first byte arrived) and has not been received completely.
    bool inRequest() const { return m_state == State::Head || m_state == State::Body; }
    // Requests begun so far, counting the one in progress.
    int requestsBegun() const { return m_begun; }
    // The last request asked for a protocol upgrade: the framer no longer looks at the bytes.
    bool upgraded() const { return m_state == State::Upgraded; }
    Refusal refusal() const { return m_refusal; }

    static int statusOf(Refusal refusal);
    // Machine-readable code for replies, logs and metrics ("header_too_large", ...).
    static const char *codeOf(Refusal refusal);

private:
    enum class State
    {
        Idle, // between requests
        Head, // request line and headers
        Body,
        Upgraded,
        Refused
    };
    Refusal refuse(Refusal why);
    // The header block is complete: decides the body, the upgrade or a refusal.
    Refusal endOfHead();

    Limits m_limits;
    State m_state = State::Idle;
    Refusal m_refusal = Refusal::None;
    QByteArray m_head;
    qint64 m_bodyLeft = 0;
    int m_begun = 0;
};

} // namespace dispatch
