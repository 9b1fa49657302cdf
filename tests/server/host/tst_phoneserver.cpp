#include "auth/tokenstore.h"
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "domain/triagereport.h"
#include "fakeclocks.h"
#include "host/phoneserver.h"
#include "storage/storage.h"
#include "testclient.h"
#include "testphone.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QSignalSpy>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QSslSocket>
#include <QTcpSocket>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace dispatch;
using namespace dispatch::test;

namespace {

const QByteArray Token = "s3cret-token";

QByteArray tinyJpeg()
{
    return QByteArray::fromHex("FFD8FFE000104A46494600010100000100010000FFD9");
}

QJsonObject frameMessage(const QByteArray &jpeg)
{
    return {{"type", "frame"}, {"data", QString::fromLatin1(jpeg.toBase64())}};
}

QByteArray pcm(int samples, char fill = 1)
{
    return QByteArray(samples * 2, fill);
}

} // namespace

using Phone = TestPhone;

class TestPhoneServer : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<CallStore> m_store;
    std::unique_ptr<MetricsRegistry> m_metrics;
    std::unique_ptr<PhoneServer> m_server;
    QUrl m_base;
    QNetworkAccessManager m_http;
    std::unique_ptr<QTemporaryDir> m_tokenDir; // one per test function
    FakeClocks m_clocks; // outlives every server: tests that inject it need not stop theirs

    QString tokenPath() const { return m_tokenDir->filePath("tokens.json"); }
    QByteArray issue(const QString &name, Role role, const QDateTime &expires = QDateTime())
    {
        TokenStore store(tokenPath());
        auto token = store.issue(name, role, expires, QDateTime::currentDateTimeUtc());
        return token ? token.value() : QByteArray();
    }
    // A dashboard client with an issued token, after its hello.
    std::unique_ptr<TestClient> dashboardAs(const QByteArray &token)
    {
        auto d = std::make_unique<TestClient>();
        d->open(wsUrl(m_base, "/ws/dashboard"), {{"Authorization", "Bearer " + token}});
        if (!d->waitConnected() || d->waitForType("hello").isEmpty())
            return nullptr;
        return d;
    }
    // The last message of this type about this call.
    static QJsonObject last(const TestClient &client, const QString &type, const QString &callId)
    {
        QJsonObject found;
        for (const auto &m : client.messages()) {
            if (m.value("type").toString() == type && m.value("call_id").toString() == callId)
                found = m;
        }
        return found;
    }

    void startServer(PhoneServerConfig config = {})
    {
        m_server.reset();
        m_store = std::make_unique<CallStore>();
        m_metrics = std::make_unique<MetricsRegistry>();
        config.address = QHostAddress::LocalHost;
        config.port = 0;
        if (config.dashboardToken.isEmpty())
            config.dashboardToken = Token;
        config.tokenStorePath = tokenPath();
        m_server = std::make_unique<PhoneServer>(config, *m_store, *m_metrics);
        auto url = m_server->start();
        QVERIFY2(url.ok(), qPrintable(url.error().message));
        m_base = url.value();
    }

    std::unique_ptr<TestClient> dashboard()
    {
        auto d = std::make_unique<TestClient>();
        d->open(wsUrl(m_base, "/ws/dashboard"), {{"Authorization", "Bearer " + Token}});
        if (!d->waitConnected() || d->waitForType("hello").isEmpty())
            return nullptr;
        return d;
    }

    QNetworkReply *get(const QString &path, const QByteArray &token = QByteArray(),
                       const QByteArray &verb = "GET")
    {
        QUrl url = m_base;
        url.setPath(path);
        QNetworkRequest request(url);
        if (!token.isEmpty())
            request.setRawHeader("Authorization", "Bearer " + token);
        QNetworkReply *reply = m_http.sendCustomRequest(request, verb);
        (void)QTest::qWaitFor([reply] { return reply->isFinished(); }, 5000);
        return reply;
    }

    int status(QNetworkReply *reply)
    {
        return reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt();
    }

    struct ViewOfCall
    {
        QString state;
        QString answeredBy;
        int severity = 0;
        QString summary;
        bool operator==(const ViewOfCall &o) const
        {
            return state == o.state && answeredBy == o.answeredBy && severity == o.severity &&
                   summary == o.summary;
        }
    };
    // What a dashboard knows, built as a remote console would: the last hello, then the events
    // after it. Fails the test on a duplicate (a call announced twice).
    static QHash<QString, ViewOfCall> viewOf(const TestClient &client, bool *duplicates)
    {
        QHash<QString, ViewOfCall> view;
        *duplicates = false;
        qsizetype start = 0;
        for (qsizetype i = 0; i < client.messages().size(); ++i) {
            if (client.messages().at(i).value("type").toString() == "hello")
                start = i;
        }
        auto applySnapshot = [&view](const QJsonObject &o) {
            ViewOfCall &v = view[o.value("call_id").toString()];
            v.state = o.value("state").toString();
            v.answeredBy = o.value("answered_by").toString();
            if (o.contains("triage")) {
                v.severity = o.value("triage").toObject().value("severity").toInt();
                v.summary = o.value("triage").toObject().value("situation_summary").toString();
            }
        };
        for (qsizetype i = start; i < client.messages().size(); ++i) {
            const QJsonObject m = client.messages().at(i);
            const QString type = m.value("type").toString();
            const QString id = m.value("call_id").toString();
            if (type == "hello") {
                for (const QJsonValue c : m.value("calls").toArray()) {
                    if (view.contains(c.toObject().value("call_id").toString()))
                        *duplicates = true;
                    applySnapshot(c.toObject());
                }
            } else if (type == "incoming_call") {
                if (view.contains(id))
                    *duplicates = true;
                view[id].state = "ringing";
            } else if (type == "call_state") {
                applySnapshot(m);
            } else if (type == "triage_update") {
                view[id].severity = m.value("report").toObject().value("severity").toInt();
                view[id].summary =
                    m.value("report").toObject().value("situation_summary").toString();
            } else if (type == "call_ended") {
                view.remove(id);
            } else if (type == "follow_up") {
                view.remove(id); // followed up: no longer waiting
            }
        }
        return view;
    }
    QHash<QString, ViewOfCall> hostView() const
    {
        QHash<QString, ViewOfCall> view;
        for (const Call *c : m_store->calls()) {
            if (!c->isLive() && c->followUp != FollowUp::Open) // (an open one waits in hello)
                continue;
            ViewOfCall &v = view[c->id];
            v.state = toString(c->state);
            v.answeredBy = c->answeredBy;
            if (c->triage) {
                v.severity = c->triage->severity;
                v.summary = c->triage->situationSummary;
            }
        }
        return view;
    }
    static TriageReport report(int severity, const QString &summary)
    {
        TriageReport r;
        r.severity = severity;
        r.situationSummary = summary;
        r.responseType = ResponseType::Medical;
        r.producedAt = QDateTime::currentDateTimeUtc();
        return r;
    }

    // TLS on loopback (as off loopback), with a certificate generated in the test's directory.
    void startTlsServer(PhoneServerConfig config)
    {
        config.forceTls = true;
        config.dataDir = m_tokenDir->path();
        startServer(config);
        QVERIFY(m_server->isSecure());
        QCOMPARE(m_base.scheme(), QString("https"));
    }
    // Raw TCP connections to the server that send nothing.
    std::vector<std::unique_ptr<QTcpSocket>> silentPeers(int count)
    {
        std::vector<std::unique_ptr<QTcpSocket>> peers;
        for (int i = 0; i < count; ++i) {
            peers.push_back(std::make_unique<QTcpSocket>());
            peers.back()->connectToHost(QHostAddress::LocalHost, quint16(m_base.port()));
            if (!peers.back()->waitForConnected(2000))
                return {};
        }
        return peers;
    }
    static bool allClosed(const std::vector<std::unique_ptr<QTcpSocket>> &peers)
    {
        return std::all_of(peers.cbegin(), peers.cend(), [](const auto &s) {
            return s->state() == QAbstractSocket::UnconnectedState;
        });
    }
    static bool noneClosed(const std::vector<std::unique_ptr<QTcpSocket>> &peers)
    {
        return std::none_of(peers.cbegin(), peers.cend(), [](const auto &s) {
            return s->state() == QAbstractSocket::UnconnectedState;
        });
    }
    quint64 refusals() const { return m_metrics->value("dispatch_connections_refused_total"); }

private Q_SLOTS:
    void init()
    {
        m_tokenDir = std::make_unique<QTemporaryDir>();
        startServer();
    }
    void cleanup()
    {
        m_server.reset();
        m_store.reset();
    }

    void fullCallAnsweredByDashboard()
    {
        auto dash = dashboard();
        QVERIFY(dash);
        Phone phone(m_base, "call-1");
        QVERIFY(phone.connected());

        // Audio and a frame while ringing are kept for the AI session and the recording.
        QSignalSpy answered(m_store.get(), &CallStore::callAnswered);
        phone.audio.socket().sendBinaryMessage(pcm(320)); // before call_initiated: kept too
        phone.initiate();
        const QJsonObject incoming = dash->waitForType("incoming_call");
        QCOMPARE(incoming.value("call_id").toString(), QString("call-1"));
        QCOMPARE(incoming.value("location").toObject().value("lat").toDouble(), 40.4168);
        for (int i = 0; i < 5; ++i)
            phone.audio.socket().sendBinaryMessage(pcm(320));
        phone.audio.sendJson(frameMessage(tinyJpeg()));
        QTRY_COMPARE(m_store->call("call-1")->audioBytes, 6 * 640);
        QTRY_COMPARE(m_store->call("call-1")->frames, 1);
        QCOMPARE(toString(m_store->call("call-1")->state), toString(CallState::Ringing));

        dash->sendJson({{"type", "dispatcher_joined"}, {"call_id", "call-1"}});
        QVERIFY(!phone.signal.waitForType("dispatcher_ready").isEmpty());
        QCOMPARE(answered.count(), 1);
        const auto backlog = answered.at(0).at(1).value<MediaBacklog>();
        QCOMPARE(backlog.audioBytes(), 6 * 640);
        QCOMPARE(backlog.frames().size(), 1);
        QCOMPARE(backlog.frames().constFirst(), tinyJpeg());
        const QJsonObject state = dash->waitForType("call_state");
        QCOMPARE(state.value("state").toString(), QString("answered"));

        // After answer, media and vitals keep flowing.
        QSignalSpy audio(m_store.get(), &CallStore::audioReceived);
        phone.audio.socket().sendBinaryMessage(pcm(320, 7));
        QTRY_COMPARE(audio.count(), 1);
        QCOMPARE(audio.at(0).at(1).toByteArray(), pcm(320, 7));
        phone.vitals.sendJson({{"type", "vitals"},
                               {"hr", 112},
                               {"hrConfidence", 0.8},
                               {"breathing", 22},
                               {"breathingConfidence", 0.6},
                               {"timestamp", 1700000000000.0}});
        const QJsonObject vitals = dash->waitForType("vitals");
        QCOMPARE(vitals.value("hr").toDouble(), 112.0);
        QCOMPARE(vitals.value("call_id").toString(), QString("call-1"));

        // Talk-back from the dispatcher reaches an audio socket opened with the call's secret
        // (it replaces the seed-style one, which never hears the dispatcher).
        const QString secret = phone.credential();
        QVERIFY(!secret.isEmpty());
        QCOMPARE(m_store->sendTalkBack("call-1", pcm(160, 9)), CallStore::Result::Ok);
        TestClient ownAudio;
        ownAudio.open(wsUrl(m_base, "/ws/audio", "call_id=call-1&call_secret=" + secret));
        QVERIFY(ownAudio.waitConnected());
        QVERIFY(phone.audio.waitDisconnected());
        QCOMPARE(phone.audio.binaryBytes(), 0);
        QCOMPARE(m_store->sendTalkBack("call-1", pcm(160, 9)), CallStore::Result::Ok);
        QTRY_COMPARE(ownAudio.binaryBytes(), 320);

        // Caller text and a location update during the call.
        phone.signal.sendJson({{"type", "caller_text"}, {"text", "he is not breathing"}});
        QCOMPARE(dash->waitForType("transcript").value("speaker").toString(),
                 QString("caller_text"));
        phone.signal.sendJson(
            {{"type", "location_update"},
             {"location", QJsonObject{{"lat", 40.5}, {"lng", -3.7}, {"accuracy", 8}}}});
        QCOMPARE(dash->waitForType("location_update")
                     .value("location")
                     .toObject()
                     .value("accuracy")
                     .toDouble(),
                 8.0);

        // The caller hangs up: the dashboard hears it, the phone's sockets close.
        phone.signal.sendJson({{"type", "call_ended"}});
        const QJsonObject ended = dash->waitForType("call_ended");
        QCOMPARE(ended.value("reason").toString(), QString("caller_hung_up"));
        QVERIFY(phone.audio.waitDisconnected());
        QVERIFY(phone.vitals.waitDisconnected());
        QCOMPARE(toString(m_store->call("call-1")->state), toString(CallState::Ended));
    }

    // A phone sends its last audio and then call_ended on another socket; the server may read
    // the signal socket first. The audio sent before the hang-up is still the call's.
    void audioReadAfterTheHangUpIsKept()
    {
        Phone phone(m_base, "late-audio");
        QVERIFY(phone.connected());
        phone.initiate();
        QTRY_VERIFY(m_store->call("late-audio"));
        QCOMPARE(m_store->answer("late-audio", Actor::dispatcher("alice")), CallStore::Result::Ok);
        phone.audio.socket().sendBinaryMessage(pcm(320));
        QTRY_COMPARE(m_store->call("late-audio")->audioBytes, 640);

        // The hang-up is read first; the chunk sent before it arrives a little later.
        phone.signal.sendJson({{"type", "call_ended"}});
        phone.signal.sendJson({{"type", "ping"}});
        QVERIFY(!phone.signal.waitForType("pong").isEmpty()); // the hang-up was read
        QVERIFY(m_store->call("late-audio")->isLive());       // draining the audio socket
        phone.audio.socket().sendBinaryMessage(pcm(320));
        QTRY_COMPARE(m_store->call("late-audio")->audioBytes, 1280);
        // Then the call ends as the caller asked, within the drain time.
        QTRY_VERIFY_WITH_TIMEOUT(!m_store->call("late-audio")->isLive(), 2000);
        QCOMPARE(toString(m_store->call("late-audio")->endReason),
                 toString(EndReason::CallerHungUp));
    }

    // With a drain far longer than any wait here, a call that ends did so at once, not at the
    // end of the drain.
    void hangUpEndsAtOnceWhenNothingIsLeftToDrain()
    {
        PhoneServerConfig config;
        config.callers.hangUpDrainMs = 60'000;
        startServer(config);
        // A phone that closes its audio socket after hanging up ends the call at once.
        Phone second(m_base, "closes-audio");
        QVERIFY(second.connected());
        second.initiate();
        QTRY_VERIFY(m_store->call("closes-audio"));
        QCOMPARE(m_store->answer("closes-audio", Actor::dispatcher("alice")),
                 CallStore::Result::Ok);
        second.signal.sendJson({{"type", "call_ended"}});
        second.signal.sendJson({{"type", "ping"}});
        QVERIFY(!second.signal.waitForType("pong").isEmpty()); // the hang-up was read
        QVERIFY(m_store->call("closes-audio")->isLive());      // draining
        second.audio.socket().sendBinaryMessage(pcm(320));
        second.audio.socket().close();
        QTRY_VERIFY(!m_store->call("closes-audio")->isLive());
        QCOMPARE(m_store->call("closes-audio")->audioBytes, 640);
        QCOMPARE(toString(m_store->call("closes-audio")->endReason),
                 toString(EndReason::CallerHungUp));

        // A caller who hangs up while the call still rings is gone at once: no dispatcher may
        // answer them in the drain time.
        Phone third(m_base, "abandons");
        QVERIFY(third.connected());
        third.initiate();
        QTRY_VERIFY(m_store->call("abandons"));
        third.signal.sendJson({{"type", "call_ended"}});
        QTRY_VERIFY(!m_store->call("abandons")->isLive());
        QCOMPARE(toString(m_store->call("abandons")->endReason), toString(EndReason::Abandoned));
    }

    void dispatcherEndsCall()
    {
        auto dash = dashboard();
        QVERIFY(dash);
        Phone phone(m_base, "call-2");
        QVERIFY(phone.connected());
        phone.initiate();
        dash->waitForType("incoming_call");
        dash->sendJson({{"type", "dispatcher_joined"}, {"call_id", "call-2"}});
        phone.signal.waitForType("dispatcher_ready");
        dash->sendJson({{"type", "hold_call"}, {"call_id", "call-2"}});
        QCOMPARE(phone.signal.waitForType("call_state").value("state").toString(),
                 QString("on_hold"));
        dash->sendJson({{"type", "call_ended"}, {"call_id", "call-2"}});
        QCOMPARE(phone.signal.waitForType("call_ended").value("reason").toString(),
                 QString("dispatcher_ended"));
        QVERIFY(phone.signal.waitDisconnected());
    }

    // Quitting the console (or SIGTERM): every live call ends as a shutdown and each phone is
    // told before its sockets close; calls already ended are left alone.
    void shutdownEndsLiveCallsAndTellsThePhones()
    {
        auto dash = dashboard();
        QVERIFY(dash);
        Phone ringing(m_base, "sd-ring");
        Phone answered(m_base, "sd-live");
        Phone over(m_base, "sd-over");
        for (Phone *p : {&ringing, &answered, &over}) {
            QVERIFY(p->connected());
            p->initiate();
        }
        QTRY_COMPARE(m_store->calls().size(), 3);
        QCOMPARE(m_store->answer("sd-live", Actor::dispatcher("ana")), CallStore::Result::Ok);
        QCOMPARE(m_store->end("sd-over", EndReason::DispatcherEnded, Actor::dispatcher("ana")),
                 CallStore::Result::Ok);
        QVERIFY(over.signal.waitDisconnected());

        QCOMPARE(m_store->endAllLive(EndReason::ServerShutdown), 2);
        m_server->drainPhones(5000);
        QCOMPARE(m_server->connectedPhones(), 0);
        for (Phone *p : {&ringing, &answered}) {
            QCOMPARE(p->signal.waitForType("call_ended").value("reason").toString(),
                     QString("server_shutdown"));
            QVERIFY(p->signal.waitDisconnected());
        }
        QVERIFY(m_store->call("sd-over")->endReason == EndReason::DispatcherEnded);
        QCOMPARE(m_store->endAllLive(EndReason::ServerShutdown), 0);
    }

    void sdpIsRelayedBothWays()
    {
        auto dash = dashboard();
        QVERIFY(dash);
        Phone phone(m_base, "call-sdp");
        QVERIFY(phone.connected());
        phone.initiate();
        dash->waitForType("incoming_call");
        dash->sendJson({{"type", "dispatcher_joined"}, {"call_id", "call-sdp"}});
        phone.signal.waitForType("dispatcher_ready");
        phone.signal.sendJson({{"type", "offer"}, {"sdp", "v=0..."}});
        const QJsonObject relayed = dash->waitForType("caller_signal");
        QCOMPARE(relayed.value("call_id").toString(), QString("call-sdp"));
        QCOMPARE(relayed.value("signal").toObject().value("sdp").toString(), QString("v=0..."));
        dash->sendJson({{"type", "answer"}, {"call_id", "call-sdp"}, {"sdp", "v=0 answer"}});
        QCOMPARE(phone.signal.waitForType("answer").value("sdp").toString(), QString("v=0 answer"));
    }

    void reconnectingPhoneReattaches()
    {
        PhoneServerConfig config;
        config.callers.reconnectGraceMs = 60'000;
        startServer(config);
        auto dash = dashboard();
        QVERIFY(dash);
        auto first = std::make_unique<Phone>(m_base, "call-3");
        QVERIFY(first->connected());
        first->initiate();
        dash->waitForType("incoming_call");
        dash->sendJson({{"type", "dispatcher_joined"}, {"call_id", "call-3"}});
        first->signal.waitForType("dispatcher_ready");

        first->signal.socket().abort(); // network blip: no call_ended
        QCOMPARE(dash->waitForType("caller_connection").value("connected").toBool(), false);
        QCOMPARE(toString(m_store->call("call-3")->state), toString(CallState::Answered));

        const QString secret = first->credential();
        Phone again(m_base, "call-3", secret);
        QVERIFY(again.connected());
        again.initiate(40.42, -3.70);
        QVERIFY(!again.signal.waitForType("dispatcher_ready").isEmpty());
        QTRY_VERIFY(m_store->call("call-3")->callerConnected);
        QCOMPARE(m_store->calls().size(), 1); // never a second call
        QCOMPARE(dash->countOfType("incoming_call"), 1);
        QCOMPARE(m_metrics->value("dispatch_caller_reconnects_total"), quint64(1));

        // A duplicate call_initiated while the old socket still looks open supersedes it.
        Phone third(m_base, "call-3", secret);
        QVERIFY(third.connected());
        third.initiate();
        QVERIFY(again.signal.waitDisconnected());
        QVERIFY(!third.signal.waitForType("dispatcher_ready").isEmpty());
        QVERIFY(m_store->call("call-3")->callerConnected);
        QCOMPARE(toString(m_store->call("call-3")->state), toString(CallState::Answered));
    }

    void reattachedAudioSocketLearnsWhereTheAudioStopped()
    {
        PhoneServerConfig config;
        config.callers.reconnectGraceMs = 60'000;
        startServer(config);
        auto first = std::make_unique<Phone>(m_base, "call-resume");
        QVERIFY(first->connected());
        first->initiate();
        QTRY_VERIFY(m_store->call("call-resume"));
        for (int i = 0; i < 5; ++i)
            first->audio.socket().sendBinaryMessage(QByteArray(640, char(i)));
        QTRY_COMPARE(m_store->call("call-resume")->audioBytes, qint64(5 * 640));
        // Before the blip nothing was lost: the first audio socket was not told anything.
        QCOMPARE(first->audio.countOfType("audio_received"), 0);

        const QString secret = first->credential();
        first->signal.socket().abort();
        first->audio.socket().abort();
        TestClient audio;
        audio.open(wsUrl(m_base, "/ws/audio", "call_id=call-resume&call_secret=" + secret));
        const QJsonObject told = audio.waitForType("audio_received");
        QCOMPARE(told.value("call_id").toString(), QString("call-resume"));
        QCOMPARE(told.value("bytes").toInteger(), qint64(5 * 640));
        // What the phone resends from there joins the same call.
        audio.socket().sendBinaryMessage(QByteArray(640, char(5)));
        QTRY_COMPARE(m_store->call("call-resume")->audioBytes, qint64(6 * 640));
        QCOMPARE(m_store->calls().size(), 1);

        // An audio socket for a call that does not exist yet is told nothing.
        TestClient early;
        early.open(wsUrl(m_base, "/ws/audio", "call_id=call-not-yet"));
        QVERIFY(early.waitConnected());
        // A later message on the same socket is answered (a malformed one: an error), after
        // anything its attachment was told: nothing.
        early.socket().sendTextMessage(QStringLiteral("{}"));
        QVERIFY(!early.waitForType("error").isEmpty());
        QCOMPARE(early.countOfType("audio_received"), 0);
    }

    void vanishedPhoneIsLostAfterGrace()
    {
        PhoneServerConfig config;
        config.callers.reconnectGraceMs = 200;
        startServer(config);
        Phone phone(m_base, "call-4");
        QVERIFY(phone.connected());
        phone.initiate();
        QTRY_VERIFY(m_store->call("call-4"));
        phone.signal.socket().abort();
        QTRY_COMPARE(toString(m_store->call("call-4")->state), toString(CallState::Ended));
        QCOMPARE(toString(m_store->call("call-4")->endReason), QString("caller_lost"));
    }

    void badInputIsRefusedAndOtherCallsKeepTheirData_data()
    {
        QTest::addColumn<QString>("channel");
        QTest::addColumn<QByteArray>("payload");
        QTest::addColumn<bool>("binary");
        QTest::addColumn<QString>("expectedCode");
        QTest::newRow("malformed json")
            << "signal" << QByteArray("{\"type\":") << false << "bad_json";
        QTest::newRow("not an object") << "signal" << QByteArray("[1,2]") << false << "bad_json";
        QTest::newRow("missing type")
            << "signal" << QByteArray("{\"x\":1}") << false << "bad_field";
        QTest::newRow("type not string")
            << "signal" << QByteArray("{\"type\":5}") << false << "bad_field";
        QTest::newRow("location wrong type")
            << "signal" << QByteArray(R"({"type":"location_update","location":"here"})") << false
            << "bad_field";
        QTest::newRow("latitude out of range")
            << "signal"
            << QByteArray(R"({"type":"location_update","location":{"lat":123,"lng":0}})") << false
            << "bad_field";
        QTest::newRow("binary on signal")
            << "signal" << QByteArray(10, 'x') << true << "unexpected_binary";
        QTest::newRow("server-only type from caller")
            << "signal" << QByteArray(R"({"type":"dispatcher_ready"})") << false << "unknown_type";
        QTest::newRow("unknown type on audio")
            << "audio" << QByteArray(R"({"type":"selfie","data":""})") << false << "unknown_type";
        QTest::newRow("frame not base64")
            << "audio" << QByteArray(R"({"type":"frame","data":"***"})") << false << "bad_field";
        QTest::newRow("frame not jpeg")
            << "audio" << QByteArray(R"({"type":"frame","data":"aGVsbG8gd29ybGQ="})") << false
            << "bad_frame";
        QTest::newRow("odd audio bytes") << "audio" << QByteArray(641, 'a') << true << "bad_audio";
        QTest::newRow("vitals wrong type")
            << "vitals" << QByteArray(R"({"type":"vitals","hr":"fast"})") << false << "bad_field";
        QTest::newRow("vitals absurd")
            << "vitals" << QByteArray(R"({"type":"vitals","hr":9000})") << false << "bad_field";
        QTest::newRow("binary on vitals")
            << "vitals" << QByteArray(4, 'x') << true << "unexpected_binary";
        QTest::newRow("dashboard bad call id")
            << "dashboard" << QByteArray(R"({"type":"dispatcher_joined","call_id":"a b"})") << false
            << "bad_field";
        QTest::newRow("dashboard unknown call")
            << "dashboard" << QByteArray(R"({"type":"dispatcher_joined","call_id":"nope"})")
            << false << "unknown_call";
    }
    void badInputIsRefusedAndOtherCallsKeepTheirData()
    {
        QFETCH(QString, channel);
        QFETCH(QByteArray, payload);
        QFETCH(bool, binary);
        QFETCH(QString, expectedCode);

        // A well-behaved call streams throughout.
        Phone good(m_base, "good-call");
        QVERIFY(good.connected());
        good.initiate();
        QTRY_VERIFY(m_store->call("good-call"));

        Phone bad(m_base, "bad-call");
        QVERIFY(bad.connected());
        bad.initiate();
        QTRY_VERIFY(m_store->call("bad-call"));
        auto dash = dashboard();
        QVERIFY(dash);

        TestClient *target = channel == "signal"   ? &bad.signal
                             : channel == "audio"  ? &bad.audio
                             : channel == "vitals" ? &bad.vitals
                                                   : dash.get();
        good.audio.socket().sendBinaryMessage(pcm(320));
        if (binary)
            target->socket().sendBinaryMessage(payload);
        else
            target->socket().sendTextMessage(QString::fromUtf8(payload));
        good.audio.socket().sendBinaryMessage(pcm(320));

        const QJsonObject error = target->waitForType("error");
        QCOMPARE(error.value("code").toString(), expectedCode);
        QVERIFY(!error.value("message").toString().isEmpty());
        QTRY_COMPARE(m_store->call("good-call")->audioBytes, 2 * 640);
        QVERIFY(m_store->call("good-call")->isLive());
        QVERIFY(m_store->call("bad-call")->isLive()); // a bad message does not end a call
        QVERIFY(m_metrics->value("dispatch_protocol_errors_total",
                                 QStringLiteral("channel=\"%1\"").arg(channel)) >= 1);
    }

    void hugeFrameIsRefusedWithoutHurtingOthers()
    {
        Phone good(m_base, "good");
        QVERIFY(good.connected());
        good.initiate();
        QTRY_VERIFY(m_store->call("good"));
        // A hostile caller's own call, on its own audio socket.
        Phone bad(m_base, "bad");
        QVERIFY(bad.connected());
        bad.initiate();
        QTRY_VERIFY(m_store->call("bad"));
        TestClient &hostile = bad.audio;
        hostile.socket().sendBinaryMessage(QByteArray(100 * 1024 * 1024, 'x')); // 100 MB
        QVERIFY(hostile.waitDisconnected(20'000));
        QCOMPARE(hostile.socket().closeCode(), QWebSocketProtocol::CloseCodeTooMuchData);
        good.audio.socket().sendBinaryMessage(pcm(320));
        QTRY_COMPARE(m_store->call("good")->audioBytes, 640);
        QVERIFY(m_store->call("good")->isLive());
    }

    void floodIsDroppedThenClosed()
    {
        Phone good(m_base, "steady");
        QVERIFY(good.connected());
        good.initiate();
        Phone flooder(m_base, "flood");
        QVERIFY(flooder.connected());
        flooder.initiate();
        QTRY_VERIFY(m_store->call("flood"));
        const QString vitals = R"({"type":"vitals","hr":80,"hrConfidence":0.9})";
        for (int i = 0; i < 1000; ++i)
            flooder.vitals.socket().sendTextMessage(vitals);
        QCOMPARE(flooder.vitals.waitForType("error").value("code").toString(),
                 QString("rate_limited"));
        QVERIFY(flooder.vitals.waitDisconnected(10'000));
        QCOMPARE(flooder.vitals.socket().closeCode(), QWebSocketProtocol::CloseCodePolicyViolated);
        QVERIFY(m_metrics->value("dispatch_messages_dropped_total",
                                 "channel=\"vitals\",direction=\"in\"") >= 400);
        good.vitals.socket().sendTextMessage(vitals);
        QTRY_VERIFY(m_store->call("steady")->vitals.has_value());
    }

    void halfOpenSocketIsClosed()
    {
        PhoneServerConfig config;
        config.signalLimits.idleTimeoutMs = 300;
        config.signalLimits.pingIntervalMs = 100;
        startServer(config);
        // A raw client that completes the handshake and then never answers a ping.
        QTcpSocket raw;
        raw.connectToHost(QHostAddress::LocalHost, static_cast<quint16>(m_base.port()));
        QVERIFY(raw.waitForConnected(3000));
        raw.write(
            "GET /ws/signal?call_id=silent HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            "Upgrade: websocket\r\nConnection: Upgrade\r\n"
            "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n");
        QTRY_VERIFY(raw.bytesAvailable() > 0);
        QVERIFY(raw.readAll().startsWith("HTTP/1.1 101"));
        QTRY_COMPARE_WITH_TIMEOUT(raw.state(), QAbstractSocket::UnconnectedState, 5000);
    }

    void activityKeepsASocketPastTheIdleTimeout()
    {
        // Idleness is judged on the server's monotonic clock (a fake here); the real timer only
        // decides when to look, at least once per idleTimeoutMs.
        FakeClocks &clocks = m_clocks;
        PhoneServerConfig config;
        config.monotonic = clocks.monotonic();
        config.signalLimits.idleTimeoutMs = 50;
        config.signalLimits.pingIntervalMs = 60'000; // no pings: only our messages count
        startServer(config);
        TestClient chatty;
        chatty.open(wsUrl(m_base, "/ws/signal", "call_id=chatty&role=caller"));
        QVERIFY(chatty.waitConnected());
        chatty.sendJson({{"type", "call_initiated"}});
        // A message every 40 ms of fake time, each answered before the next, until a silent
        // peer on the same limits has been closed as idle: its timer looked at least once after
        // it connected, and so did the chatty one's, which was never quiet that long.
        const auto talkUntilClosed = [&](TestClient &silent) {
            for (int round = 0;
                 round < 1000 && silent.socket().state() != QAbstractSocket::UnconnectedState;
                 ++round) {
                clocks.advance(40);
                const int pongs = chatty.countOfType("pong");
                chatty.sendJson({{"type", "ping"}});
                QTRY_COMPARE(chatty.countOfType("pong"), pongs + 1);
                QCOMPARE(chatty.socket().state(), QAbstractSocket::ConnectedState);
            }
            QCOMPARE(silent.socket().state(), QAbstractSocket::UnconnectedState);
        };
        for (const char *id : {"call_id=silent-1", "call_id=silent-2"}) {
            TestClient silent; // connected after every message so far
            silent.open(wsUrl(m_base, "/ws/signal", id));
            QVERIFY(silent.waitConnected());
            talkUntilClosed(silent);
            if (QTest::currentTestFailed())
                return;
        }
        QVERIFY(chatty.countOfType("pong") > 2); // several idle timeouts of fake time
        // Silence: closed one timeout after the last message.
        clocks.advance(50);
        QVERIFY(chatty.waitDisconnected());
    }

    void dashboardNeedsToken()
    {
        TestClient none;
        none.open(wsUrl(m_base, "/ws/dashboard"));
        QVERIFY(none.waitDisconnected());
        QVERIFY(none.messages().isEmpty());
        TestClient wrong;
        wrong.open(wsUrl(m_base, "/ws/dashboard"), {{"Authorization", "Bearer nope"}});
        QVERIFY(wrong.waitDisconnected());
        QVERIFY(wrong.messages().isEmpty());
        // Refused means refused: no socket was adopted behind the 401.
        QCOMPARE(m_server->dashboardClients(), 0);
        TestClient query;
        query.open(wsUrl(m_base, "/ws/dashboard", "access_token=" + QString::fromLatin1(Token)));
        QVERIFY(!query.waitForType("hello").isEmpty());
        QVERIFY(m_metrics->value("dispatch_connections_refused_total") >= 2);
    }

    void dashboardDisabledWithoutConfiguredToken()
    {
        PhoneServerConfig config;
        config.dashboardToken = QByteArray();
        m_server.reset();
        m_store = std::make_unique<CallStore>();
        m_metrics = std::make_unique<MetricsRegistry>();
        m_server = std::make_unique<PhoneServer>(config, *m_store, *m_metrics);
        m_base = m_server->start().value();
        TestClient client;
        client.open(wsUrl(m_base, "/ws/dashboard"), {{"Authorization", "Bearer "}});
        QVERIFY(client.waitDisconnected());
        QCOMPARE(status(get("/sessions")), 401);
    }

    void helloCarriesLiveCalls()
    {
        Phone phone(m_base, "early");
        QVERIFY(phone.connected());
        phone.initiate();
        QTRY_VERIFY(m_store->call("early"));
        auto dash = dashboard();
        QVERIFY(dash);
        const QJsonArray calls = dash->waitForType("hello").value("calls").toArray();
        QCOMPARE(calls.size(), 1);
        QCOMPARE(calls.at(0).toObject().value("call_id").toString(), QString("early"));
        QCOMPARE(calls.at(0).toObject().value("state").toString(), QString("ringing"));
    }

    void answerRaceHasOneWinner()
    {
        auto a = dashboard();
        auto b = dashboard();
        QVERIFY(a && b);
        Phone phone(m_base, "race");
        QVERIFY(phone.connected());
        phone.initiate();
        a->waitForType("incoming_call");
        b->waitForType("incoming_call");
        a->sendJson({{"type", "dispatcher_joined"}, {"call_id", "race"}});
        b->sendJson({{"type", "dispatcher_joined"}, {"call_id", "race"}});
        QVERIFY(!phone.signal.waitForType("dispatcher_ready").isEmpty());
        const QJsonObject refused = b->waitForType("error");
        QCOMPARE(refused.value("code").toString(), QString("invalid_state"));
        QVERIFY(refused.value("message").toString().contains("already answered"));
        QCOMPARE(phone.signal.countOfType("dispatcher_ready"), 1);
    }

    void supervisorWatchesButCannotAnswer()
    {
        auto supervisor = dashboardAs(issue("sam", Role::Supervisor));
        QVERIFY(supervisor);
        Phone phone(m_base, "watched");
        QVERIFY(phone.connected());
        phone.initiate();
        QVERIFY(!supervisor->waitForType("incoming_call").isEmpty());
        supervisor->sendJson({{"type", "dispatcher_joined"}, {"call_id", "watched"}});
        const QJsonObject refused = supervisor->waitForType("error");
        QCOMPARE(refused.value("code").toString(), QString("forbidden"));
        QVERIFY(refused.value("message").toString().contains("take_over"));
        QCOMPARE(toString(m_store->call("watched")->state), toString(CallState::Ringing));
        supervisor->sendJson({{"type", "hold_call"}, {"call_id", "watched"}});
        QTRY_COMPARE(supervisor->countOfType("error"), 2);

        // A dispatcher answers; the supervisor sees it, then takes the call over.
        auto dispatcher = dashboardAs(issue("dora", Role::Dispatcher));
        QVERIFY(dispatcher);
        dispatcher->sendJson({{"type", "dispatcher_joined"}, {"call_id", "watched"}});
        QTRY_COMPARE(last(*supervisor, "call_state", "watched").value("answered_by").toString(),
                     QString("dora"));
        supervisor->sendJson({{"type", "transfer_call"}, {"call_id", "watched"}, {"to", "sam"}});
        QTRY_COMPARE(supervisor->countOfType("error"), 3);
        supervisor->sendJson({{"type", "take_over"}, {"call_id", "watched"}});
        QTRY_COMPARE(m_store->call("watched")->answeredBy, QString("sam"));
        QTRY_COMPARE(last(*dispatcher, "call_state", "watched").value("answered_by").toString(),
                     QString("sam"));
        // Now it is the supervisor's call: the dispatcher may no longer end it.
        dispatcher->sendJson({{"type", "call_ended"}, {"call_id", "watched"}});
        QCOMPARE(dispatcher->waitForType("error").value("code").toString(), QString("forbidden"));
        QVERIFY(m_store->call("watched")->isLive());
        supervisor->sendJson({{"type", "hold_call"}, {"call_id", "watched"}});
        QTRY_COMPARE(toString(m_store->call("watched")->state), toString(CallState::OnHold));
        // Dispatchers cannot take calls over.
        dispatcher->sendJson({{"type", "take_over"}, {"call_id", "watched"}});
        QTRY_COMPARE(dispatcher->countOfType("error"), 2);
    }

    void revokedAndExpiredTokensAreRefused()
    {
        const QByteArray token = issue("rita", Role::Dispatcher);
        QVERIFY(dashboardAs(token));
        QVERIFY(TokenStore(tokenPath()).revoke("rita").ok());
        TestClient revoked;
        revoked.open(wsUrl(m_base, "/ws/dashboard"), {{"Authorization", "Bearer " + token}});
        QVERIFY(revoked.waitDisconnected());
        QVERIFY(revoked.messages().isEmpty());

        const QByteArray old =
            issue("otto", Role::Dispatcher, QDateTime::currentDateTimeUtc().addSecs(-60));
        QVERIFY(!old.isEmpty());
        TestClient expired;
        expired.open(wsUrl(m_base, "/ws/dashboard", "access_token=" + QString::fromLatin1(old)));
        QVERIFY(expired.waitDisconnected());
        QVERIFY(expired.messages().isEmpty());
        // Neither reaches the admin endpoints; dispatchers do not either.
        QCOMPARE(status(get("/sessions", old)), 401);
        QCOMPARE(status(get("/sessions", issue("dan", Role::Dispatcher))), 401);
        QCOMPARE(status(get("/sessions", issue("sue", Role::Supervisor))), 200);
    }

    // A name re-issued after a revocation is a different token: the sessions of the old one
    // close, even though their principal has the same name and role.
    void reissuedNameDoesNotKeepTheRevokedTokensSessions()
    {
        const QByteArray first = issue("bob", Role::Dispatcher);
        auto oldSession = dashboardAs(first);
        QVERIFY(oldSession);
        QVERIFY(TokenStore(tokenPath()).revoke("bob").ok());
        const QByteArray second = issue("bob", Role::Dispatcher);
        QVERIFY(!second.isEmpty() && second != first);
        m_server->revalidateDashboards();
        QVERIFY(oldSession->waitDisconnected());
        auto newSession = dashboardAs(second);
        QVERIFY(newSession);
        m_server->revalidateDashboards();
        newSession->sendJson({{"type", "ping"}});
        QVERIFY(!newSession->waitForType("pong").isEmpty());
        QCOMPARE(newSession->socket().state(), QAbstractSocket::ConnectedState);
    }

    // Only the admin (bootstrap) token ends calls through the HTTP API; a supervisor takes the
    // call over on the dashboard first, as for every other action.
    void supervisorCannotEndACallThroughTheApi()
    {
        const QByteArray sue = issue("sue", Role::Supervisor);
        Phone phone(m_base, "api-end");
        QVERIFY(phone.connected());
        phone.initiate();
        QTRY_VERIFY(m_store->call("api-end"));
        QNetworkReply *refused = get("/sessions/api-end", sue, "DELETE");
        QCOMPARE(status(refused), 403);
        QCOMPARE(QJsonDocument::fromJson(refused->readAll()).object().value("error").toString(),
                 QString("forbidden"));
        QVERIFY(m_store->call("api-end")->isLive());
        QCOMPARE(status(get("/sessions/api-end", issue("dan", Role::Dispatcher), "DELETE")), 401);
        QVERIFY(m_store->call("api-end")->isLive());
        QCOMPARE(status(get("/sessions/api-end", Token, "DELETE")), 200);
        QVERIFY(!m_store->call("api-end")->isLive());
    }

    // The audit trail names who acted, with their role, not the call's dispatcher.
    void auditNamesWhoActedAndTheirRole()
    {
        QTemporaryDir data;
        StorageConfig config;
        config.dataDir = data.path();
        Storage storage(config, *m_store, *m_metrics);
        QVERIFY(storage.open().ok());
        auto dora = dashboardAs(issue("dora", Role::Dispatcher));
        auto sam = dashboardAs(issue("sam", Role::Supervisor));
        auto admin = dashboard();
        QVERIFY(dora && sam && admin);
        Phone phone(m_base, "who");
        QVERIFY(phone.connected());
        phone.initiate();
        QVERIFY(!dora->waitForType("incoming_call").isEmpty());
        dora->sendJson({{"type", "dispatcher_joined"}, {"call_id", "who"}});
        QTRY_COMPARE(m_store->call("who")->answeredBy, QString("dora"));
        // The admin holds and resumes dora's call; the supervisor takes it over and ends it.
        admin->sendJson({{"type", "hold_call"}, {"call_id", "who"}});
        QTRY_COMPARE(toString(m_store->call("who")->state), toString(CallState::OnHold));
        admin->sendJson({{"type", "resume_call"}, {"call_id", "who"}});
        QTRY_COMPARE(toString(m_store->call("who")->state), toString(CallState::Answered));
        sam->sendJson({{"type", "take_over"}, {"call_id", "who"}});
        QTRY_COMPARE(m_store->call("who")->answeredBy, QString("sam"));
        sam->sendJson({{"type", "hold_call"}, {"call_id", "who"}});
        QTRY_COMPARE(toString(m_store->call("who")->state), toString(CallState::OnHold));
        sam->sendJson({{"type", "call_ended"}, {"call_id", "who"}});
        QTRY_VERIFY(!m_store->call("who")->isLive());
        QVERIFY(storage.flush());

        QStringList actions;
        QSqlDatabase db = QSqlDatabase::addDatabase("QSQLITE", "audit-who");
        db.setDatabaseName(data.filePath("dispatch.sqlite"));
        QVERIFY(db.open());
        {
            QSqlQuery q(db);
            QVERIFY(q.exec("SELECT actor, action FROM audit_log WHERE call_id = 'who' AND "
                           "action IN ('answer', 'hold', 'resume', 'transfer', 'end') "
                           "ORDER BY seq"));
            while (q.next())
                actions << q.value(1).toString() + " by " + q.value(0).toString();
        }
        db.close();
        db = QSqlDatabase();
        QSqlDatabase::removeDatabase("audit-who");
        const QStringList expected{
            "answer by dispatcher:dora",       "hold by admin:admin@127.0.0.1",
            "resume by admin:admin@127.0.0.1", "transfer by supervisor:sam",
            "hold by supervisor:sam",          "end by supervisor:sam"};
        QCOMPARE(actions, expected);
    }

    void transferMovesTheCallToAnotherDispatcher()
    {
        auto alice = dashboardAs(issue("alice", Role::Dispatcher));
        auto bob = dashboardAs(issue("bob", Role::Dispatcher));
        QVERIFY(alice && bob);
        Phone phone(m_base, "handover");
        QVERIFY(phone.connected());
        phone.initiate();
        QVERIFY(!alice->waitForType("incoming_call").isEmpty());
        alice->sendJson({{"type", "dispatcher_joined"}, {"call_id", "handover"}});
        QTRY_COMPARE(last(*bob, "call_state", "handover").value("answered_by").toString(),
                     QString("alice"));
        // Bob does not own it: he cannot give it away.
        bob->sendJson({{"type", "transfer_call"}, {"call_id", "handover"}, {"to", "bob"}});
        QCOMPARE(bob->waitForType("error").value("code").toString(), QString("forbidden"));
        // Nor can it go to someone who is not a dispatcher.
        alice->sendJson({{"type", "transfer_call"}, {"call_id", "handover"}, {"to", "mallory"}});
        QCOMPARE(alice->waitForType("error").value("code").toString(),
                 QString("unknown_principal"));

        alice->sendJson({{"type", "transfer_call"}, {"call_id", "handover"}, {"to", "bob"}});
        QTRY_COMPARE(last(*alice, "call_state", "handover").value("answered_by").toString(),
                     QString("bob"));
        QTRY_COMPARE(last(*bob, "call_state", "handover").value("answered_by").toString(),
                     QString("bob"));
        const Call *c = m_store->call("handover");
        QCOMPARE(c->answeredBy, QString("bob"));
        QCOMPARE(toString(c->timeline.constLast().kind), QString("transferred"));
        QCOMPARE(c->timeline.constLast().detail, QString("alice -> bob"));
        // SDP/ICE from the phone now reaches bob, and bob may act on the call.
        phone.signal.sendJson({{"type", "ice"}, {"candidate", "x"}});
        QCOMPARE(bob->waitForType("caller_signal").value("signal").toObject().value("type"),
                 QJsonValue("ice"));
        QCOMPARE(alice->countOfType("caller_signal"), 0);
        bob->sendJson({{"type", "hold_call"}, {"call_id", "handover"}});
        QTRY_COMPARE(toString(m_store->call("handover")->state), toString(CallState::OnHold));
        alice->sendJson({{"type", "resume_call"}, {"call_id", "handover"}});
        QTRY_COMPARE(alice->countOfType("error"), 2);
    }

    void twoRemoteDispatchersSeeACallAtOnceAndOneWinsIt()
    {
        auto ana = dashboardAs(issue("ana", Role::Dispatcher));
        auto ben = dashboardAs(issue("ben", Role::Dispatcher));
        QVERIFY(ana && ben);
        // From the moment the host's CallStore has the call to the moment each remote console
        // has received it (timed at the socket, not at a polling loop).
        QElapsedTimer sinceAdded;
        qint64 anaMs = -1;
        qint64 benMs = -1;
        connect(m_store.get(), &CallStore::callAdded, this, [&] { sinceAdded.start(); });
        auto stamp = [&sinceAdded](qint64 *at) {
            return [&sinceAdded, at](const QString &text) {
                if (*at < 0 && text.contains("incoming_call"))
                    *at = sinceAdded.elapsed();
            };
        };
        connect(&ana->socket(), &QWebSocket::textMessageReceived, this, stamp(&anaMs));
        connect(&ben->socket(), &QWebSocket::textMessageReceived, this, stamp(&benMs));
        Phone phone(m_base, "seen");
        QVERIFY(phone.connected());
        phone.initiate();
        QTRY_VERIFY(anaMs >= 0 && benMs >= 0);
        qInfo("incoming_call reached the two remote consoles after %lld and %lld ms", anaMs, benMs);
        QVERIFY2(anaMs < 100 && benMs < 100, "a new call must show on every console within 100 ms");

        // Both press answer: exactly one owner, the other is told who has it.
        ana->sendJson({{"type", "dispatcher_joined"}, {"call_id", "seen"}});
        ben->sendJson({{"type", "dispatcher_joined"}, {"call_id", "seen"}});
        QVERIFY(!phone.signal.waitForType("dispatcher_ready").isEmpty());
        const QString winner = m_store->call("seen")->answeredBy;
        QVERIFY(winner == "ana" || winner == "ben");
        TestClient &loser = winner == "ana" ? *ben : *ana;
        const QJsonObject refused = loser.waitForType("error");
        QCOMPARE(refused.value("code").toString(), QString("invalid_state"));
        QCOMPARE(refused.value("message").toString(), "already answered by " + winner);
        QTRY_COMPARE(last(*ana, "call_state", "seen").value("answered_by").toString(), winner);
        QTRY_COMPARE(last(*ben, "call_state", "seen").value("answered_by").toString(), winner);
        QCOMPARE((winner == "ana" ? *ana : *ben).countOfType("error"), 0);
        QCOMPARE(phone.signal.countOfType("dispatcher_ready"), 1);
        QCOMPARE(m_store->call("seen")->timeline.size(), 2); // rang, answered: once
    }

    void reconnectingDashboardResyncsWithoutDuplicates()
    {
        auto ana = dashboardAs(issue("ana", Role::Dispatcher));
        const QByteArray samToken = issue("sam", Role::Supervisor);
        auto sam = dashboardAs(samToken);
        QVERIFY(ana && sam);
        Phone first(m_base, "first");
        Phone second(m_base, "second");
        QVERIFY(first.connected() && second.connected());
        first.initiate();
        second.initiate();
        QVERIFY(!sam->waitForType("incoming_call", 5000, "second").isEmpty());
        ana->sendJson({{"type", "dispatcher_joined"}, {"call_id", "first"}});
        QCOMPARE(m_store->setTriage("first", report(3, "fall at home")), CallStore::Result::Ok);
        QTRY_COMPARE(sam->countOfType("triage_update"), 1);

        // The supervisor's wall loses its connection mid-call; the call moves on without it.
        sam->socket().close();
        QVERIFY(sam->waitDisconnected());
        ana->sendJson({{"type", "hold_call"}, {"call_id", "first"}});
        QTRY_COMPARE(toString(m_store->call("first")->state), toString(CallState::OnHold));
        QCOMPARE(m_store->setTriage("first", report(5, "not breathing")), CallStore::Result::Ok);
        second.signal.sendJson({{"type", "call_ended"}});
        QTRY_VERIFY(!m_store->call("second")->isLive());

        // It comes back: the hello alone brings it up to date, and later events apply once.
        // ("second" ended unanswered: it waits in hello for a call back.)
        auto back = dashboardAs(samToken);
        QVERIFY(back);
        bool duplicates = false;
        auto view = viewOf(*back, &duplicates);
        QVERIFY(!duplicates);
        QCOMPARE(view.size(), 2);
        QCOMPARE(view.value("second").state, QString("ended"));
        QCOMPARE(view.value("first").state, QString("on_hold"));
        QCOMPARE(view.value("first").answeredBy, QString("ana"));
        QCOMPARE(view.value("first").severity, 5);
        QVERIFY(view == hostView());

        ana->sendJson({{"type", "resume_call"}, {"call_id", "first"}});
        Phone third(m_base, "third");
        QVERIFY(third.connected());
        third.initiate();
        QVERIFY(!back->waitForType("incoming_call", 5000, "third").isEmpty());
        QTRY_COMPARE(last(*back, "call_state", "first").value("state").toString(),
                     QString("answered"));
        view = viewOf(*back, &duplicates);
        QVERIFY(!duplicates);
        QCOMPARE(view.size(), 3);
        QVERIFY(view == hostView());
    }

    void originIsChecked()
    {
        TestClient evil;
        evil.open(wsUrl(m_base, "/ws/signal", "call_id=x1"), {{"Origin", "https://evil.example"}});
        QVERIFY(evil.waitDisconnected());
        QVERIFY(evil.socket().state() != QAbstractSocket::ConnectedState);
        TestClient same;
        const QByteArray origin = "http://127.0.0.1:" + QByteArray::number(m_base.port());
        same.open(wsUrl(m_base, "/ws/signal", "call_id=x2"), {{"Origin", origin}});
        QVERIFY(same.waitConnected());
    }

    void connectionsPerAddressAreLimited()
    {
        PhoneServerConfig config;
        config.maxConnectionsPerAddress = 3;
        startServer(config);
        std::vector<std::unique_ptr<TestClient>> clients;
        for (int i = 0; i < 3; ++i) {
            clients.push_back(std::make_unique<TestClient>());
            clients.back()->open(wsUrl(m_base, "/ws/signal", QStringLiteral("call_id=l%1").arg(i)));
            QVERIFY(clients.back()->waitConnected());
        }
        TestClient fourth;
        fourth.open(wsUrl(m_base, "/ws/signal", "call_id=l4"));
        QVERIFY(fourth.waitDisconnected());
        QVERIFY(fourth.socket().state() != QAbstractSocket::ConnectedState);
        QCOMPARE(m_metrics->value("dispatch_connections_refused_total"), quint64(1));
        clients.front()->socket().close();
        QVERIFY(clients.front()->waitDisconnected());
        TestClient fifth;
        QTRY_VERIFY_WITH_TIMEOUT(
            [&] {
                fifth.open(wsUrl(m_base, "/ws/signal", "call_id=l5"));
                return fifth.waitConnected(1000);
            }(),
            5000);
    }

    void burstOverTheLimitIsRefusedAndCounted()
    {
        PhoneServerConfig config;
        config.maxConnectionsPerAddress = 3;
        startServer(config);
        // All upgrades of a burst can pass the gate before the first is admitted: those over the
        // limit are then closed right after the upgrade. Either way each refusal is counted.
        std::vector<std::unique_ptr<TestClient>> burst;
        for (int i = 0; i < 12; ++i) {
            burst.push_back(std::make_unique<TestClient>());
            burst.back()->open(wsUrl(m_base, "/ws/signal", QStringLiteral("call_id=b%1").arg(i)));
        }
        const auto open = [&] {
            return std::count_if(burst.cbegin(), burst.cend(), [](const auto &c) {
                return c->socket().state() == QAbstractSocket::ConnectedState;
            });
        };
        QTRY_COMPARE(m_metrics->value("dispatch_connections_refused_total"), quint64(9));
        // Every client settled: three in, nine closed (some right after their upgrade); nothing
        // left in flight to count.
        const auto closed = [&] {
            return std::count_if(burst.cbegin(), burst.cend(), [](const auto &c) {
                return c->socket().state() == QAbstractSocket::UnconnectedState;
            });
        };
        QTRY_VERIFY2(open() == 3 && closed() == 9,
                     qPrintable(QStringLiteral("%1 open, %2 closed").arg(open()).arg(closed())));
        QCOMPARE(m_metrics->value("dispatch_connections_refused_total"), quint64(9));
    }

    void halfOpenAndExcessTcpConnectionsAreDropped()
    {
        PhoneServerConfig config;
        config.maxConnectionsPerAddress = 3;
        config.maxTcpConnectionsPerAddress = 4;
        config.requestTimeoutMs = 300;
        startServer(config);
        // Half-open: part of a request, then nothing. Dropped after the timeout.
        std::vector<std::unique_ptr<QTcpSocket>> half;
        for (int i = 0; i < 4; ++i) {
            half.push_back(std::make_unique<QTcpSocket>());
            half.back()->connectToHost(QHostAddress::LocalHost, quint16(m_base.port()));
            QVERIFY(half.back()->waitForConnected(2000));
            half.back()->write("GET /ws/signal?call_id=h HTTP/1.1\r\nHost: x\r\n");
        }
        // Over the TCP limit for the address: aborted at once, before any HTTP.
        QTcpSocket fifth;
        fifth.connectToHost(QHostAddress::LocalHost, quint16(m_base.port()));
        QTRY_VERIFY(fifth.state() == QAbstractSocket::UnconnectedState);
        QTRY_VERIFY(std::all_of(half.cbegin(), half.cend(), [](const auto &s) {
            return s->state() == QAbstractSocket::UnconnectedState;
        }));
        QCOMPARE(m_metrics->value("dispatch_connections_refused_total"), quint64(5));
        // The slots are free again, and an answered request or an upgrade is not timed out.
        TestClient phone;
        phone.open(wsUrl(m_base, "/ws/signal", "call_id=after-half"));
        QVERIFY(phone.waitConnected());
        // A half-open peer accepted after the upgrade is dropped at its deadline: the phone's
        // would have passed by then.
        QTcpSocket canary;
        canary.connectToHost(QHostAddress::LocalHost, quint16(m_base.port()));
        QVERIFY(canary.waitForConnected(2000));
        canary.write("GET /health HTTP/1.1\r\n");
        QTRY_COMPARE(canary.state(), QAbstractSocket::UnconnectedState);
        QCOMPARE(phone.socket().state(), QAbstractSocket::ConnectedState);
        QCOMPARE(status(get("/health")), 200);
    }

    // Every upgraded WebSocket counted against its address must be released when it goes:
    // Qt drops the TCP socket's signal connections when it hands it to its QWebSocket, so a
    // release tied to them leaked one count per upgrade, and after maxTcpConnectionsPerAddress
    // phones over the console's life (one NAT, one soak) every new connection was refused.
    void upgradedConnectionsFreeTheirAddressSlot_data()
    {
        QTest::addColumn<bool>("tls");
        QTest::newRow("plain") << false;
        QTest::newRow("tls") << true;
    }
    void upgradedConnectionsFreeTheirAddressSlot()
    {
        QFETCH(bool, tls);
        PhoneServerConfig config;
        config.maxConnectionsPerAddress = 3;
        config.maxTcpConnectionsPerAddress = 4;
        if (tls)
            startTlsServer(config);
        else
            startServer(config);
        for (int i = 0; i < 12; ++i) { // three times the limit, one after the other
            TestClient phone;
            phone.open(wsUrl(m_base, "/ws/signal", QStringLiteral("call_id=churn%1").arg(i)));
            QVERIFY2(phone.waitConnected(), qPrintable(QStringLiteral("connection %1").arg(i)));
            phone.socket().close();
            QTRY_COMPARE(phone.socket().state(), QAbstractSocket::UnconnectedState);
        }
        QCOMPARE(refusals(), quint64(0));
        QTRY_COMPARE(m_server->tcpConnectionsFrom(QHostAddress::LocalHost), 0);
    }

    void tlsPeerWithoutClientHelloIsDroppedAtTheDeadline()
    {
        PhoneServerConfig config;
        config.requestTimeoutMs = 400;
        startTlsServer(config);
        QElapsedTimer clock;
        clock.start();
        auto peers = silentPeers(1);
        QCOMPARE(peers.size(), size_t(1));
        // Dropped at the deadline and counted once: QSslServer's handshake timeout has the same
        // value as the guard's deadline, and whichever fires first reports it.
        QTRY_VERIFY_WITH_TIMEOUT(allClosed(peers), 2000);
        QVERIFY(clock.elapsed() >= 350);
        QTRY_COMPARE(refusals(), quint64(1));
        // A second peer, accepted after the first was dropped, reaches its deadline after both of
        // the first one's timers had fired: the first was still counted once.
        auto canary = silentPeers(1);
        QCOMPARE(canary.size(), size_t(1));
        QTRY_VERIFY_WITH_TIMEOUT(allClosed(canary), 2000);
        QCOMPARE(refusals(), quint64(2));
    }

    void tlsPeerThatNeverSendsARequestIsDropped()
    {
        PhoneServerConfig config;
        config.requestTimeoutMs = 400;
        startTlsServer(config);
        QSslSocket peer;
        peer.setPeerVerifyMode(QSslSocket::VerifyNone);
        peer.connectToHostEncrypted(QStringLiteral("127.0.0.1"), quint16(m_base.port()));
        // Waited for in the event loop: the server runs in this thread.
        QTRY_VERIFY_WITH_TIMEOUT(peer.isEncrypted(), 3000);
        // The handshake is done; the request never comes.
        QCOMPARE(peer.state(), QAbstractSocket::ConnectedState);
        QTRY_VERIFY_WITH_TIMEOUT(peer.state() == QAbstractSocket::UnconnectedState, 2000);
        QCOMPARE(refusals(), quint64(1));
    }

    void tlsConnectionsPerAddressAreLimitedAndCallsKeepFlowing()
    {
        PhoneServerConfig config;
        config.maxTcpConnectionsPerAddress = 40;
        config.requestTimeoutMs = 3000;
        startTlsServer(config);
        Phone phone(m_base, "tls-call"); // 3 connections
        QVERIFY(phone.connected());
        phone.initiate();
        QTRY_VERIFY(m_store->call("tls-call"));
        phone.audio.socket().sendBinaryMessage(pcm(320));
        QTRY_COMPARE(m_store->call("tls-call")->audioBytes, 640);

        // 36 peers stuck before their handshake: more than Qt's default of 30 handshakes in
        // flight, which would stop the listener accepting anyone until they time out.
        QElapsedTimer clock;
        clock.start();
        auto stuck = silentPeers(36);
        QCOMPARE(stuck.size(), size_t(36));
        TestClient late; // the 40th: still admitted, and at once
        late.open(wsUrl(m_base, "/ws/signal", "call_id=tls-late"));
        QVERIFY(late.waitConnected(1500));
        QVERIFY(clock.elapsed() < 2000);
        QVERIFY(noneClosed(stuck));
        QCOMPARE(refusals(), quint64(0));

        // Over the limit for the address: aborted at accept, long before the deadline.
        auto excess = silentPeers(3);
        QCOMPARE(excess.size(), size_t(3));
        QTRY_VERIFY_WITH_TIMEOUT(allClosed(excess), 1000);
        QCOMPARE(refusals(), quint64(3));
        QVERIFY(noneClosed(stuck));

        // The call in progress is not disturbed, before or after the stuck peers are dropped.
        phone.audio.socket().sendBinaryMessage(pcm(320));
        QTRY_COMPARE(m_store->call("tls-call")->audioBytes, 2 * 640);
        QTRY_VERIFY_WITH_TIMEOUT(allClosed(stuck), 5000);
        QCOMPARE(refusals(), quint64(3 + 36));
        phone.audio.socket().sendBinaryMessage(pcm(320));
        QTRY_COMPARE(m_store->call("tls-call")->audioBytes, 3 * 640);
        QCOMPARE(late.socket().state(), QAbstractSocket::ConnectedState);
        // The dropped peers no longer count against the address.
        QTRY_COMPARE(m_server->tcpConnectionsFrom(QHostAddress::LocalHost), 4);
        auto again = silentPeers(36);
        QCOMPARE(again.size(), size_t(36));
        // All admitted (one over the limit would be aborted at accept, never counted).
        QTRY_COMPARE(m_server->tcpConnectionsFrom(QHostAddress::LocalHost), 40);
        QVERIFY(noneClosed(again));
        QCOMPARE(refusals(), quint64(3 + 36));
    }

    void tlsUpgradedWebSocketsOutliveTheDeadline()
    {
        PhoneServerConfig config;
        // Long enough for three TLS handshakes on a loaded machine; the canary below, not a
        // fixed wait, shows the deadline has passed.
        config.requestTimeoutMs = 1000;
        startTlsServer(config);
        Phone phone(m_base, "tls-long");
        QVERIFY(phone.connected());
        phone.initiate();
        QTRY_VERIFY(m_store->call("tls-long"));
        // A silent peer accepted after the upgrades is dropped at its deadline: theirs would
        // have passed by then.
        auto canary = silentPeers(1);
        QCOMPARE(canary.size(), size_t(1));
        QTRY_VERIFY_WITH_TIMEOUT(allClosed(canary), 5000);
        QCOMPARE(phone.signal.socket().state(), QAbstractSocket::ConnectedState);
        QCOMPARE(phone.audio.socket().state(), QAbstractSocket::ConnectedState);
        QCOMPARE(phone.vitals.socket().state(), QAbstractSocket::ConnectedState);
        phone.audio.socket().sendBinaryMessage(pcm(320));
        QTRY_COMPARE(m_store->call("tls-long")->audioBytes, 640);
        QCOMPARE(refusals(), quint64(1)); // the canary
    }

    void invalidCallIdAndPlainHttpAreRefused()
    {
        TestClient badId;
        badId.open(wsUrl(m_base, "/ws/signal", "call_id=" + QString(200, 'a')));
        QVERIFY(badId.waitDisconnected());
        QVERIFY(badId.socket().state() != QAbstractSocket::ConnectedState);
        QCOMPARE(status(get("/ws/signal")), 426);
        QCOMPARE(status(get("/nothing-here")), 404);
    }

    void httpEndpoints()
    {
        Phone phone(m_base, "admin-call");
        QVERIFY(phone.connected());
        phone.initiate();
        QTRY_VERIFY(m_store->call("admin-call"));

        QNetworkReply *health = get("/health");
        QCOMPARE(status(health), 200);
        const QJsonObject h = QJsonDocument::fromJson(health->readAll()).object();
        QCOMPARE(h.value("ready").toBool(), true);
        QCOMPARE(h.value("calls").toObject().value("ringing").toInt(), 1);
        QVERIFY(!h.value("versions").toObject().value("qt").toString().isEmpty());

        QCOMPARE(status(get("/sessions")), 401);
        QCOMPARE(status(get("/sessions", "wrong")), 401);
        QNetworkReply *sessions = get("/sessions", Token);
        QCOMPARE(status(sessions), 200);
        const QJsonObject s = QJsonDocument::fromJson(sessions->readAll()).object();
        QCOMPARE(s.value("count").toInt(), 1);

        QCOMPARE(status(get("/metrics")), 401);
        QNetworkReply *metrics = get("/metrics", Token);
        QCOMPARE(status(metrics), 200);
        const QByteArray text = metrics->readAll();
        QVERIFY(text.contains("dispatch_calls{state=\"ringing\"} 1"));
        QVERIFY(text.contains("dispatch_messages_received_total{channel=\"signal\"}"));

        QCOMPARE(status(get("/sessions/admin-call", QByteArray(), "DELETE")), 401);
        QCOMPARE(status(get("/sessions/admin-call", Token, "DELETE")), 200);
        QCOMPARE(phone.signal.waitForType("call_ended").value("reason").toString(),
                 QString("admin_terminated"));
        QCOMPARE(status(get("/sessions/admin-call", Token, "DELETE")), 409);
        QCOMPARE(status(get("/sessions/unknown", Token, "DELETE")), 404);
    }

    void mediaForUnknownCallIsRefusedAfterTimeout()
    {
        PhoneServerConfig config;
        config.callers.orphanTimeoutMs = 200;
        startServer(config);
        TestClient audio;
        audio.open(wsUrl(m_base, "/ws/audio", "call_id=ghost"));
        QVERIFY(audio.waitConnected());
        audio.socket().sendBinaryMessage(pcm(320));
        QCOMPARE(audio.waitForType("error").value("code").toString(), QString("unknown_call"));
        QVERIFY(audio.waitDisconnected());
        QVERIFY(!m_store->call("ghost"));
    }

    // Under load the vitals socket can be read before the signal socket's call_initiated: the
    // newest early sample joins the call (it used to be refused with no_call, ending the phone).
    void vitalsBeforeCallInitiatedJoinTheCall()
    {
        Phone phone(m_base, "early-vitals");
        QVERIFY(phone.connected());
        phone.vitals.sendJson(
            {{"type", "vitals"}, {"hr", 70}, {"timestamp", qint64(1700000000000)}});
        phone.vitals.sendJson(
            {{"type", "vitals"}, {"hr", 88}, {"timestamp", qint64(1700000001000)}});
        // Both read (and handled: in the same call as the count) by the server, no call yet.
        QTRY_COMPARE(m_metrics->value("dispatch_messages_received_total", "channel=\"vitals\""),
                     quint64(2));
        QVERIFY(!m_store->call("early-vitals"));
        phone.initiate();
        QTRY_VERIFY(m_store->call("early-vitals") && m_store->call("early-vitals")->vitals);
        QCOMPARE(m_store->call("early-vitals")->vitals->heartRate, std::optional<double>(88));
        QCOMPARE(phone.vitals.countOfType("error"), 0);
        QCOMPARE(phone.vitals.socket().state(), QAbstractSocket::ConnectedState);
    }

    void endedCallIdCannotBeReused()
    {
        Phone phone(m_base, "once");
        QVERIFY(phone.connected());
        phone.initiate();
        QTRY_VERIFY(m_store->call("once"));
        phone.signal.sendJson({{"type", "call_ended"}});
        QTRY_VERIFY(!m_store->call("once")->isLive());
        TestClient again;
        again.open(wsUrl(m_base, "/ws/signal", "call_id=once"));
        QVERIFY(again.waitConnected());
        again.sendJson({{"type", "call_initiated"}});
        QCOMPARE(again.waitForType("error").value("code").toString(), QString("call_id_in_use"));
        QCOMPARE(m_store->calls().size(), 1);
    }
};

QTEST_GUILESS_MAIN(TestPhoneServer)
#include "tst_phoneserver.moc"
