#include "net/httpfrontend.h"

#include <QJsonObject>
#include <QLoggingCategory>
#include <QTcpSocket>

Q_LOGGING_CATEGORY(lcFrontend, "dispatch.server.http")

namespace dispatch {

QHttpServerResponse jsonResponse(QHttpServerResponder::StatusCode status, const QString &code,
                                 const QString &message)
{
    return QHttpServerResponse(
        QJsonObject{{QStringLiteral("error"), code}, {QStringLiteral("message"), message}}, status);
}

HttpFrontend::HttpFrontend(QObject *parent)
    : QAbstractHttpServer(parent)
{}

HttpFrontend::~HttpFrontend() = default;

void HttpFrontend::route(QHttpServerRequest::Method method, const QString &path, Handler handler)
{
    if (path.endsWith(QLatin1String("/*")))
        m_prefix.emplace(path.chopped(1), Route{method, std::move(handler)});
    else
        m_exact.emplace(path, Route{method, std::move(handler)});
}

bool HttpFrontend::handleRequest(const QHttpServerRequest &request, QTcpSocket *socket)
{
    if (request.value("upgrade").compare("websocket", Qt::CaseInsensitive) == 0) {
        std::optional<QHttpServerResponse> refusal =
            m_gate ? m_gate(request)
                   : jsonResponse(QHttpServerResponder::StatusCode::NotFound,
                                  QStringLiteral("not_found"), QStringLiteral("no such endpoint"));
        if (!refusal)
            return true; // write nothing: Qt hands the socket to the WebSocket server
        // Qt now calls missingHandler() and then closes the connection.
        m_refusals[socket] = std::make_unique<QHttpServerResponse>(std::move(*refusal));
        return false;
    }

    const QString path = request.url().path();
    const Route *match = nullptr;
    QString arg;
    bool pathKnown = false;
    const auto [first, last] = m_exact.equal_range(path);
    for (auto it = first; it != last; ++it) {
        pathKnown = true;
        if (it->second.method == request.method())
            match = &it->second;
    }
    if (!match) {
        for (const auto &[prefix, route] : m_prefix) {
            if (!path.startsWith(prefix))
                continue;
            const QString rest = path.mid(prefix.size());
            if (rest.isEmpty() || rest.contains(QLatin1Char('/')))
                continue;
            pathKnown = true;
            if (route.method == request.method()) {
                match = &route;
                arg = rest;
            }
        }
    }
    if (!match) {
        if (!pathKnown)
            return false;
        jsonResponse(QHttpServerResponder::StatusCode::MethodNotAllowed,
                     QStringLiteral("method_not_allowed"),
                     QStringLiteral("this endpoint does not take that method"))
            .write(makeResponder(request, socket));
        return true;
    }
    match->handler(request, arg).write(makeResponder(request, socket));
    return true;
}

void HttpFrontend::missingHandler(const QHttpServerRequest &request, QTcpSocket *socket)
{
    const auto it = m_refusals.find(socket);
    if (it != m_refusals.end()) {
        it->second->write(makeResponder(request, socket));
        m_refusals.erase(it);
        return;
    }
    jsonResponse(QHttpServerResponder::StatusCode::NotFound, QStringLiteral("not_found"),
                 QStringLiteral("no such endpoint"))
        .write(makeResponder(request, socket));
}

} // namespace dispatch
