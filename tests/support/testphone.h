#pragma once

#include "testclient.h"

#include <QJsonObject>
#include <QUrl>

namespace dispatch::test {

// A phone with its three sockets, as the seed app opens them.
struct TestPhone
{
    QString id;
    TestClient signal;
    TestClient audio;
    TestClient vitals;

    TestPhone(const QUrl &base, QString callId)
        : id(std::move(callId))
    {
        signal.open(wsUrl(base, QStringLiteral("/ws/signal"),
                          QStringLiteral("call_id=") + id + QStringLiteral("&role=caller")));
        audio.open(wsUrl(base, QStringLiteral("/ws/audio"), QStringLiteral("call_id=") + id));
        vitals.open(wsUrl(base, QStringLiteral("/ws/vitals"), QStringLiteral("call_id=") + id));
    }
    bool connected()
    {
        return signal.waitConnected() && audio.waitConnected() && vitals.waitConnected();
    }
    void initiate(double lat = 40.4168, double lng = -3.7038)
    {
        signal.sendJson({{QStringLiteral("type"), QStringLiteral("call_initiated")},
                         {QStringLiteral("location"), QJsonObject{{QStringLiteral("lat"), lat},
                                                                  {QStringLiteral("lng"), lng}}}});
    }
};

} // namespace dispatch::test
