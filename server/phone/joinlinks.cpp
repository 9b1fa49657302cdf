#include "phone/joinlinks.h"

#include <QNetworkInterface>

#include <algorithm>

namespace dispatch {

namespace {

// Lower is better; -1: not offered to phones.
int preference(const QHostAddress &a)
{
    if (a.isLoopback() || a.isNull() || a.isMulticast() || a.isBroadcast())
        return -1;
    bool isV4 = false;
    const quint32 v4 = a.toIPv4Address(&isV4);
    if (isV4) {
        if (a.isInSubnet(QHostAddress(QStringLiteral("169.254.0.0")), 16) || v4 == 0)
            return -1;
        if (a.isInSubnet(QHostAddress(QStringLiteral("192.168.0.0")), 16))
            return 0;
        if (a.isInSubnet(QHostAddress(QStringLiteral("10.0.0.0")), 8))
            return 1;
        if (a.isInSubnet(QHostAddress(QStringLiteral("172.16.0.0")), 12))
            return 2;
        return 3;
    }
    if (a.isLinkLocal() || a.isSiteLocal() || !a.scopeId().isEmpty())
        return -1;
    if (a.isUniqueLocalUnicast())
        return 4;
    return 5;
}

QUrl pageUrl(const QUrl &serverUrl, const QHostAddress &host)
{
    QUrl url;
    url.setScheme(serverUrl.scheme());
    url.setHost(host.toString());
    url.setPort(serverUrl.port());
    url.setPath(QLatin1String(PhonePagePath));
    return url;
}

} // namespace

QList<QUrl> joinUrls(const QUrl &serverUrl, const QHostAddress &listenAddress,
                     const QList<QHostAddress> &hostAddresses)
{
    if (serverUrl.isEmpty())
        return {};
    QList<QHostAddress> candidates;
    const bool wildcard = listenAddress == QHostAddress::Any ||
                          listenAddress == QHostAddress::AnyIPv4 ||
                          listenAddress == QHostAddress::AnyIPv6;
    if (wildcard) {
        for (const QHostAddress &a : hostAddresses) {
            const bool v6 = a.protocol() == QAbstractSocket::IPv6Protocol;
            if (listenAddress == QHostAddress::AnyIPv4 && v6)
                continue;
            if (listenAddress == QHostAddress::AnyIPv6 && !v6)
                continue;
            if (preference(a) >= 0 && !candidates.contains(a))
                candidates.append(a);
        }
        std::stable_sort(candidates.begin(), candidates.end(),
                         [](const QHostAddress &l, const QHostAddress &r) {
                             return preference(l) < preference(r);
                         });
    } else if (!listenAddress.isLoopback()) {
        candidates.append(listenAddress);
    }
    QList<QUrl> urls;
    for (const QHostAddress &a : candidates)
        urls.append(pageUrl(serverUrl, a));
    if (urls.isEmpty()) {
        QUrl url = serverUrl;
        url.setPath(QLatin1String(PhonePagePath));
        url.setQuery(QString());
        urls.append(url);
    }
    return urls;
}

QList<QHostAddress> hostLanAddresses()
{
    QList<QHostAddress> result;
    const auto interfaces = QNetworkInterface::allInterfaces();
    for (const QNetworkInterface &i : interfaces) {
        const auto flags = i.flags();
        if (!flags.testFlag(QNetworkInterface::IsUp) ||
            !flags.testFlag(QNetworkInterface::IsRunning) ||
            flags.testFlag(QNetworkInterface::IsLoopBack))
            continue;
        for (const QNetworkAddressEntry &entry : i.addressEntries())
            result.append(entry.ip());
    }
    return result;
}

} // namespace dispatch
