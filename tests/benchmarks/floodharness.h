#pragma once

#include "faultharness.h"

#include <QHostAddress>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTcpSocket>
#include <QUrl>

namespace dispatch::bench {

// A hostile peer on one address: a flood of WebSocket upgrade attempts held open, half-open
// sockets that send part of a request and then nothing, and frames that announce 100 MB (one
// binary on /ws/audio, one text on /ws/signal) and stream it. Raw TCP, so that it can bind its
// own source address (127.0.0.2) beside the legitimate phones on 127.0.0.1.
class HostilePeer : public QObject
{
public:
    struct Stats
    {
        int attempts = 0;
        int upgraded = 0;           // 101 and kept open
        int closedAfterUpgrade = 0; // 101, then closed 1008 at once (over the limit)
        int refused = 0;            // 429
        int otherStatus = 0;        // any other HTTP status
        int noAnswer = 0;           // closed, or still waiting at the end
        int halfOpen = 0;
        int halfOpenClosed = 0;              // by the server before the end
        qint64 oversizedWritten[2] = {0, 0}; // bytes of the 100 MB frames the server read
        int oversizedClose[2] = {0, 0};      // close code the server sent (0: none)
        bool oversizedCut[2] = {false, false};
    };

    HostilePeer(QUrl base, QHostAddress from, int connections);
    void start();
    bool floodDone() const;
    bool oversizedDone() const;
    bool halfOpenDone() const;
    void closeAll();
    const Stats &stats();

private:
    struct Peer
    {
        QPointer<QTcpSocket> socket;
        QByteArray received;
        int status = 0;
        bool closed = false;
    };
    QTcpSocket *connectOne(const QString &path);
    void floodBatch();
    void startOversized(int which);

    QUrl m_base;
    QHostAddress m_from;
    int m_connections;
    QList<std::shared_ptr<Peer>> m_flood;
    QList<std::shared_ptr<Peer>> m_halfOpen;
    std::shared_ptr<Peer> m_oversized[2];
    qint64 m_toWrite[2] = {0, 0};
    Stats m_stats;
};

} // namespace dispatch::bench
