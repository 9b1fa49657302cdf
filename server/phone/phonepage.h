#pragma once

#include <QByteArray>
#include <QHttpServerResponse>
#include <QList>
#include <QString>
#include <QUrl>

#include <functional>
#include <map>

class QHttpServerRequest;

namespace dispatch {

class HttpFrontend;

// The caller's web page: GET /call serves index.html, GET /call/<name> the page's other files,
// GET /call/qr.svg a QR code of the join URL. Files come from a fixed set loaded at start from
// Qt resources (":/phone"), so nothing else on the host can be reached by any path. Every answer
// carries a strict Content-Security-Policy and Cache-Control: no-store.
class PhonePage
{
public:
    using JoinUrls = std::function<QList<QUrl>()>;

    // testOptions: honour the page's query options (autostart, lat/lng, text, camera, ...) that
    // automated tests use. Off by default: a link must not place a call, share a camera or
    // send a message for the person who opens it. The page learns it from /call/testing.js.
    explicit PhonePage(JoinUrls joinUrls, const QString &resourceDir = QStringLiteral(":/phone"),
                       bool testOptions = false);

    void registerRoutes(HttpFrontend &server) const;

    // The answer for /call/<name> ("" is the page itself).
    QHttpServerResponse serve(const QString &name, const QHttpServerRequest &request) const;
    QStringList fileNames() const;

    static QByteArray contentSecurityPolicy();
    static QByteArray contentTypeFor(const QString &fileName); // empty: not served

private:
    struct File
    {
        QByteArray contentType;
        QByteArray bytes;
    };
    QHttpServerResponse qrCode(const QHttpServerRequest &request) const;

    JoinUrls m_joinUrls;
    std::map<QString, File> m_files;
};

} // namespace dispatch
