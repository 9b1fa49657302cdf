#pragma once

#include <QHash>
#include <QHostAddress>
#include <QPointer>
#include <QTcpServer>
#include <QTimer>

#include <functional>

namespace dispatch {

// The plain-TCP listener of the HTTP front, guarded before any HTTP is parsed: at most
// `maxPerAddress` open TCP connections per peer address (more are aborted at accept), and a
// connection the server has not answered anything on within `answerTimeoutMs` (a request that
// never completes: a half-open or slowloris peer) is aborted. Upgraded WebSockets and answered
// HTTP requests are not timed out here (the WebSocket idle timeout takes over).
class GuardedTcpServer : public QTcpServer
{
    Q_OBJECT

public:
    struct Limits
    {
        int maxPerAddress = 256;
        int answerTimeoutMs = 10'000;
    };
    // `onRefused(peer, why)` is called for each aborted connection (for metrics and the log).
    GuardedTcpServer(Limits limits,
                     std::function<void(const QHostAddress &, const QString &)> onRefused,
                     QObject *parent = nullptr);

    int openFrom(const QHostAddress &peer) const { return m_open.value(peer.toString()); }
    // The connection from peer:peerPort became a WebSocket: no request deadline any more.
    void markUpgraded(const QHostAddress &peer, quint16 peerPort);

protected:
    void incomingConnection(qintptr descriptor) override;

private:
    Limits m_limits;
    std::function<void(const QHostAddress &, const QString &)> m_onRefused;
    QHash<QString, int> m_open;
    QHash<QString, QPointer<QTimer>> m_deadlines; // by "address|port", until answered
};

} // namespace dispatch
