#include "phone/phonepage.h"

#include "common/qrcode.h"
#include "net/httpfrontend.h"
#include "phone/joinlinks.h"

#include <QDir>
#include <QFile>
#include <QHttpServerRequest>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QUrlQuery>

Q_LOGGING_CATEGORY(lcPage, "dispatch.server.http")

namespace dispatch {

namespace {

using Status = QHttpServerResponder::StatusCode;

void addPageHeaders(QHttpServerResponse &response)
{
    response.setHeader("Content-Security-Policy", PhonePage::contentSecurityPolicy());
    response.setHeader("Cache-Control", "no-store");
    response.setHeader("X-Content-Type-Options", "nosniff");
    response.setHeader("Referrer-Policy", "no-referrer");
    response.setHeader("Permissions-Policy",
                       "microphone=(self), camera=(self), geolocation=(self)");
    response.setHeader("Cross-Origin-Opener-Policy", "same-origin");
}

QHttpServerResponse notFound()
{
    QHttpServerResponse response =
        jsonResponse(Status::NotFound, QStringLiteral("not_found"), QStringLiteral("no such file"));
    addPageHeaders(response);
    return response;
}

} // namespace

PhonePage::PhonePage(JoinUrls joinUrls, const QString &resourceDir, bool testOptions)
    : m_joinUrls(std::move(joinUrls))
{
    // Only plain, lowercase file names with a known type: the set of answers is fixed here.
    static const QRegularExpression safeName(QStringLiteral("^[a-z0-9][a-z0-9_-]*\\.[a-z]+$"));
    const QDir dir(resourceDir);
    for (const QString &name : dir.entryList(QDir::Files, QDir::Name)) {
        const QByteArray type = contentTypeFor(name);
        if (type.isEmpty() || !safeName.match(name).hasMatch())
            continue;
        QFile file(dir.filePath(name));
        if (file.open(QIODevice::ReadOnly))
            m_files[name] = File{type, file.readAll()};
    }
    m_files[QStringLiteral("testing.js")] =
        File{contentTypeFor(QStringLiteral("testing.js")),
             testOptions ? QByteArrayLiteral("export const TEST_OPTIONS = true;\n")
                         : QByteArrayLiteral("export const TEST_OPTIONS = false;\n")};
    if (m_files.find(QStringLiteral("index.html")) == m_files.end())
        qCWarning(lcPage) << "the phone page is missing from" << resourceDir;
}

QStringList PhonePage::fileNames() const
{
    QStringList names;
    for (const auto &[name, file] : m_files)
        names.append(name);
    return names;
}

QByteArray PhonePage::contentSecurityPolicy()
{
    return "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; "
           "media-src 'self' blob: mediastream:; connect-src 'self' wss: ws:; worker-src 'self'; "
           "font-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'; "
           "frame-ancestors 'none'";
}

QByteArray PhonePage::contentTypeFor(const QString &fileName)
{
    static const std::map<QString, QByteArray> types{
        {QStringLiteral("html"), "text/html; charset=utf-8"},
        {QStringLiteral("js"), "text/javascript; charset=utf-8"},
        {QStringLiteral("css"), "text/css; charset=utf-8"},
        {QStringLiteral("svg"), "image/svg+xml"},
        {QStringLiteral("png"), "image/png"},
        {QStringLiteral("webmanifest"), "application/manifest+json"},
    };
    const auto it = types.find(fileName.section(QLatin1Char('.'), -1).toLower());
    return it == types.end() ? QByteArray() : it->second;
}

void PhonePage::registerRoutes(HttpFrontend &server) const
{
    using Method = QHttpServerRequest::Method;
    const QString path = QLatin1String(PhonePagePath);
    auto page = [this](const QHttpServerRequest &request, const QString &) {
        return serve(QString(), request);
    };
    server.route(Method::Get, path, page);
    server.route(Method::Get, path + QLatin1Char('/'), page);
    server.route(Method::Get, path + QStringLiteral("/*"),
                 [this](const QHttpServerRequest &request, const QString &name) {
                     return serve(name, request);
                 });
}

QHttpServerResponse PhonePage::serve(const QString &name, const QHttpServerRequest &request) const
{
    if (name == QLatin1String("qr.svg"))
        return qrCode(request);
    const auto it = m_files.find(name.isEmpty() ? QStringLiteral("index.html") : name);
    if (it == m_files.end())
        return notFound();
    QHttpServerResponse response(it->second.contentType, it->second.bytes);
    addPageHeaders(response);
    return response;
}

QHttpServerResponse PhonePage::qrCode(const QHttpServerRequest &request) const
{
    const QList<QUrl> urls = m_joinUrls ? m_joinUrls() : QList<QUrl>();
    bool ok = true;
    const QString which = request.query().queryItemValue(QStringLiteral("i"));
    const int index = which.isEmpty() ? 0 : which.toInt(&ok);
    if (!ok || index < 0 || index >= urls.size())
        return notFound();
    const auto matrix = qr::encode(urls.at(index).toString(QUrl::FullyEncoded).toUtf8());
    if (!matrix)
        return notFound();
    QHttpServerResponse response("image/svg+xml", qr::toSvg(*matrix));
    addPageHeaders(response);
    return response;
}

} // namespace dispatch
