#include "net/httpframer.h"

#include <QList>

#include <algorithm>
#include <cstring>
#include <limits>

namespace dispatch {

namespace {

// A comma-separated header value lists this token (case-insensitive), e.g. "keep-alive, Upgrade".
bool listsToken(const QByteArray &value, const char *token)
{
    const QList<QByteArray> items = value.split(',');
    return std::any_of(items.cbegin(), items.cend(), [token](const QByteArray &item) {
        return item.trimmed().compare(token, Qt::CaseInsensitive) == 0;
    });
}

} // namespace

HttpFramer::HttpFramer()
    : HttpFramer(Limits{})
{}

HttpFramer::HttpFramer(Limits limits)
    : m_limits(limits)
{}

HttpFramer::Refusal HttpFramer::refuse(Refusal why)
{
    m_state = State::Refused;
    m_refusal = why;
    m_head = QByteArray();
    return why;
}

HttpFramer::Refusal HttpFramer::feed(QByteArrayView bytes)
{
    const char *data = bytes.data();
    const qsizetype n = bytes.size();
    qsizetype i = 0;
    while (i < n) {
        switch (m_state) {
        case State::Idle:
            // Empty lines between requests are tolerated (RFC 9112 2.2), as Qt's parser does.
            if (data[i] == '\r' || data[i] == '\n') {
                ++i;
                break;
            }
            m_state = State::Head;
            ++m_begun;
            break;
        case State::Head: {
            const void *nl = std::memchr(data + i, '\n', static_cast<size_t>(n - i));
            const qsizetype end = nl ? static_cast<const char *>(nl) - data + 1 : n;
            if (m_head.size() + (end - i) > m_limits.maxHeaderBytes)
                return refuse(Refusal::HeaderTooLarge);
            m_head.append(data + i, end - i);
            i = end;
            if (nl && (m_head.endsWith("\n\n") || m_head.endsWith("\n\r\n"))) {
                const Refusal r = endOfHead();
                if (r != Refusal::None)
                    return r;
            }
            break;
        }
        case State::Body: {
            const qint64 take = std::min<qint64>(n - i, m_bodyLeft);
            i += static_cast<qsizetype>(take);
            m_bodyLeft -= take;
            if (m_bodyLeft == 0)
                m_state = State::Idle;
            break;
        }
        case State::Upgraded:
        case State::Refused:
            return m_refusal;
        }
    }
    return Refusal::None;
}

HttpFramer::Refusal HttpFramer::endOfHead()
{
    const QList<QByteArray> lines = m_head.split('\n');
    // Control characters (other than tab, and CR before LF) are refused here rather than by
    // Qt's parser, which would drop the connection's signal handlers and leave it hanging.
    for (const QByteArray &line : lines) {
        const qsizetype end = line.endsWith('\r') ? line.size() - 1 : line.size();
        for (qsizetype k = 0; k < end; ++k) {
            const auto c = static_cast<unsigned char>(line.at(k));
            if ((c < 0x20 && c != '\t') || c == 0x7F)
                return refuse(Refusal::BadFraming);
        }
    }
    const QByteArray requestLine = lines.value(0).trimmed();
    const QByteArray method = requestLine.left(requestLine.indexOf(' '));
    if (method.compare("CONNECT", Qt::CaseInsensitive) == 0)
        return refuse(Refusal::BadFraming); // a tunnel: nothing here is a proxy
    bool upgrade = false;
    bool connectionUpgrade = false;
    bool haveLength = false;
    qint64 length = 0;
    for (qsizetype k = 1; k < lines.size(); ++k) {
        QByteArray line = lines.at(k);
        if (line.endsWith('\r'))
            line.chop(1);
        if (line.isEmpty())
            continue;
        const qsizetype colon = line.indexOf(':');
        // No name, or an obsolete folded line (RFC 9112 5.2): a framing trick, not a request.
        if (colon <= 0 || line.startsWith(' ') || line.startsWith('\t'))
            return refuse(Refusal::BadFraming);
        const QByteArray name = line.left(colon).trimmed().toLower();
        const QByteArray value = line.mid(colon + 1).trimmed();
        if (name == "transfer-encoding")
            return refuse(Refusal::BodyEncoded);
        if (name == "content-length") {
            if (value.isEmpty() || !std::all_of(value.cbegin(), value.cend(),
                                                [](char c) { return c >= '0' && c <= '9'; }))
                return refuse(Refusal::BadFraming);
            // Longer than 15 digits is over any limit: no need to parse (or overflow) it.
            const qint64 parsed =
                value.size() > 15 ? std::numeric_limits<qint64>::max() : value.toLongLong();
            if (haveLength && parsed != length)
                return refuse(Refusal::BadFraming); // two lengths: request smuggling
            haveLength = true;
            length = parsed;
        } else if (name == "upgrade") {
            upgrade = true;
        } else if (name == "connection") {
            connectionUpgrade = connectionUpgrade || listsToken(value, "upgrade");
        }
    }
    if (length > m_limits.maxBodyBytes)
        return refuse(Refusal::BodyTooLarge);
    m_head = QByteArray();
    if (upgrade && connectionUpgrade) {
        m_state = State::Upgraded; // as Qt's parser decides an upgrade
        return Refusal::None;
    }
    m_bodyLeft = length;
    m_state = length > 0 ? State::Body : State::Idle;
    return Refusal::None;
}

int HttpFramer::statusOf(Refusal refusal)
{
    switch (refusal) {
    case Refusal::HeaderTooLarge:
        return 431;
    case Refusal::BodyTooLarge:
    case Refusal::BodyEncoded:
        return 413;
    case Refusal::BadFraming:
    case Refusal::None:
        break;
    }
    return 400;
}

const char *HttpFramer::codeOf(Refusal refusal)
{
    switch (refusal) {
    case Refusal::HeaderTooLarge:
        return "header_too_large";
    case Refusal::BodyTooLarge:
        return "body_too_large";
    case Refusal::BodyEncoded:
        return "body_not_accepted";
    case Refusal::BadFraming:
        return "bad_request";
    case Refusal::None:
        break;
    }
    return "none";
}

} // namespace dispatch
