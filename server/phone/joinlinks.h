#pragma once

#include <QHostAddress>
#include <QList>
#include <QString>
#include <QUrl>

namespace dispatch {

// What a phone needs to call this console: the phone page's address on each LAN address of the
// host (best first), and the TLS certificate's SHA-256 fingerprint, which the dispatcher can
// read out when a phone's browser warns about the self-signed certificate.
struct JoinInfo
{
    QList<QUrl> urls;
    QString tlsFingerprint; // empty without TLS
};

// The phone page URLs for a server listening at `listenAddress` whose base URL is `serverUrl`
// (scheme and port are taken from it). For a wildcard listener every usable address in
// `hostAddresses` gets a URL: private IPv4 first (192.168/16, 10/8, 172.16/12), then other
// IPv4, then global IPv6; loopback and link-local addresses are left out. A listener on one
// address gets that address only. When nothing usable is left, the server URL itself.
QList<QUrl> joinUrls(const QUrl &serverUrl, const QHostAddress &listenAddress,
                     const QList<QHostAddress> &hostAddresses);

// The addresses of the host's interfaces that are up and running (not loopback).
QList<QHostAddress> hostLanAddresses();

// The path of the phone page on the console.
inline constexpr char PhonePagePath[] = "/call";

} // namespace dispatch
