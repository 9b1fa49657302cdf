#pragma once

#include <QAbstractHttpServer>
#include <QHttpServerRequest>
#include <QHttpServerResponse>

#include <functional>
#include <map>
#include <memory>
#include <optional>

namespace dispatch {

// The HTTP edge of the server: a small route table for plain HTTP, and a gate that decides
// every WebSocket upgrade before it happens.
//
// Why not QHttpServer: in Qt 6.4 a matched route always upgrades the socket, even when its
// handler wrote a refusal, so an unauthorised client would get a 401 *and* a live socket.
// Here a refused upgrade is answered with its HTTP error and the connection is closed.
class HttpFrontend : public QAbstractHttpServer
{
    Q_OBJECT

public:
    // `arg` is the last path segment for routes registered as "/prefix/*", else empty.
    using Handler =
        std::function<QHttpServerResponse(const QHttpServerRequest &, const QString &arg)>;
    // Returns a refusal to answer with, or std::nullopt to let the upgrade through.
    using UpgradeGate =
        std::function<std::optional<QHttpServerResponse>(const QHttpServerRequest &)>;

    explicit HttpFrontend(QObject *parent = nullptr);
    ~HttpFrontend() override;

    void route(QHttpServerRequest::Method method, const QString &path, Handler handler);
    void setUpgradeGate(UpgradeGate gate) { m_gate = std::move(gate); }

protected:
    bool handleRequest(const QHttpServerRequest &request, QTcpSocket *socket) override;
    void missingHandler(const QHttpServerRequest &request, QTcpSocket *socket) override;

private:
    struct Route
    {
        QHttpServerRequest::Method method;
        Handler handler;
    };
    std::multimap<QString, Route> m_exact;
    std::multimap<QString, Route> m_prefix;
    UpgradeGate m_gate;
    std::map<QTcpSocket *, std::unique_ptr<QHttpServerResponse>> m_refusals;
};

QHttpServerResponse jsonResponse(QHttpServerResponder::StatusCode status, const QString &code,
                                 const QString &message);

} // namespace dispatch
