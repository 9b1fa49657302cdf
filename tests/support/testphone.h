#pragma once

#include "testclient.h"

#include <QJsonObject>
#include <QUrl>

namespace dispatch::test {

// A phone with its three sockets, as the seed app opens them (all at once, no secret). Given
// the call's secret (a phone coming back to its live call), the media sockets present it and
// initiate() sends it.
struct TestPhone
{
    QString id;
    QString secret;
    TestClient signal;
    TestClient audio;
    TestClient vitals;

    TestPhone(const QUrl &base, QString callId, QString callSecret = QString())
        : id(std::move(callId))
        , secret(std::move(callSecret))
    {
        const QString media =
            QStringLiteral("call_id=") + id +
            (secret.isEmpty() ? QString() : QStringLiteral("&call_secret=") + secret);
        signal.open(wsUrl(base, QStringLiteral("/ws/signal"),
                          QStringLiteral("call_id=") + id + QStringLiteral("&role=caller")));
        audio.open(wsUrl(base, QStringLiteral("/ws/audio"), media));
        vitals.open(wsUrl(base, QStringLiteral("/ws/vitals"), media));
    }
    // The secret the server sent when the call was created (waits for it).
    QString credential()
    {
        return signal.waitForType(QStringLiteral("call_credential"))
            .value(QStringLiteral("call_secret"))
            .toString();
    }
    bool connected()
    {
        return signal.waitConnected() && audio.waitConnected() && vitals.waitConnected();
    }
    void initiate(double lat = 40.4168, double lng = -3.7038)
    {
        QJsonObject m{{QStringLiteral("type"), QStringLiteral("call_initiated")},
                      {QStringLiteral("location"),
                       QJsonObject{{QStringLiteral("lat"), lat}, {QStringLiteral("lng"), lng}}}};
        if (!secret.isEmpty())
            m.insert(QStringLiteral("call_secret"), secret);
        signal.sendJson(m);
    }
};

} // namespace dispatch::test
