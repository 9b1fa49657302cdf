#pragma once

#include <QHash>
#include <QHostAddress>
#include <QString>

namespace dispatch {

// Failed authentications per peer address: after `maxFailures` within `windowMs`, the address
// is blocked for `blockMs`, during which its requests are refused (429) without their token
// being looked at, so guessing a token costs time. IPv6 peers are counted per /64 (one host
// holds a whole /64). Pure: the caller passes a monotonic time in ms.
class AuthThrottle
{
public:
    struct Limits
    {
        int maxFailures = 10;
        qint64 windowMs = 60'000;
        qint64 blockMs = 60'000;
    };
    static constexpr qsizetype MaxTracked = 4096;

    AuthThrottle();
    explicit AuthThrottle(Limits limits);

    // How long `peer` stays blocked at `nowMs` (0: not blocked).
    qint64 blockedForMs(const QHostAddress &peer, qint64 nowMs) const;
    // Counts a failed authentication; returns true when it starts a block.
    bool recordFailure(const QHostAddress &peer, qint64 nowMs);
    qsizetype trackedAddresses() const { return m_entries.size(); }
    static QString keyOf(const QHostAddress &peer);

private:
    struct Entry
    {
        qint64 windowStartMs = 0;
        int failures = 0;
        qint64 blockedUntilMs = 0;
    };
    void prune(qint64 nowMs);

    Limits m_limits;
    QHash<QString, Entry> m_entries;
};

} // namespace dispatch
