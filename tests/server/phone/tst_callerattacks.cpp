// The caller endpoints tried as an attacker would: someone who learned a live call's id (it can
// leak: a shoulder, a log, a screenshot) and can reach the console's port, from this host or
// from another one (127.0.0.2, through a relay that binds its source address), and a hostile
// caller. Each test fails on the code before the per-call credential (6c8deed).

#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "host/phoneserver.h"
#include "tcprelay.h"
#include "testclient.h"
#include "testphone.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace dispatch;
using namespace dispatch::test;

namespace {

const QByteArray Token = "attack-test-token";

QByteArray pcm(int samples, char fill = 1)
{
    return QByteArray(samples * 2, fill);
}

// A phone that speaks this console's protocol: signal first, then audio and vitals with the
// call's secret, as the phone page and dispatch-caller do.
struct SecurePhone
{
    QUrl base;
    QString id;
    QString secret;
    TestClient signal;
    std::unique_ptr<TestClient> audio;
    std::unique_ptr<TestClient> vitals;

    SecurePhone(QUrl b, QString callId)
        : base(std::move(b))
        , id(std::move(callId))
    {}
    bool call()
    {
        signal.open(wsUrl(base, "/ws/signal", "call_id=" + id + "&role=caller"));
        if (!signal.waitConnected())
            return false;
        signal.sendJson(
            {{"type", "call_initiated"}, {"location", QJsonObject{{"lat", 40.0}, {"lng", -3.0}}}});
        secret = signal.waitForType("call_credential").value("call_secret").toString();
        if (secret.isEmpty())
            return false;
        audio = openMedia("/ws/audio");
        vitals = openMedia("/ws/vitals");
        return audio->waitConnected() && vitals->waitConnected();
    }
    std::unique_ptr<TestClient> openMedia(const QString &path)
    {
        auto c = std::make_unique<TestClient>();
        c->open(wsUrl(base, path, "call_id=" + id + "&call_secret=" + secret));
        return c;
    }
};

} // namespace

class TestCallerAttacks : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<CallStore> m_store;
    std::unique_ptr<MetricsRegistry> m_metrics;
    std::unique_ptr<PhoneServer> m_server;
    std::unique_ptr<TcpRelay> m_otherHost; // connections through it come from 127.0.0.2
    QUrl m_base;
    QUrl m_attackerBase;    // m_base as seen from 127.0.0.2
    qint64 m_fakeNowMs = 0; // the hub's clock where a test injects one

    void startServer(PhoneServerConfig config = {})
    {
        m_otherHost.reset();
        m_server.reset();
        m_store = std::make_unique<CallStore>();
        m_metrics = std::make_unique<MetricsRegistry>();
        config.address = QHostAddress::LocalHost;
        config.port = 0;
        config.dashboardToken = Token;
        m_server = std::make_unique<PhoneServer>(config, *m_store, *m_metrics);
        auto url = m_server->start();
        QVERIFY2(url.ok(), qPrintable(url.error().message));
        m_base = url.value();
        m_otherHost = std::make_unique<TcpRelay>(QHostAddress::LocalHost, quint16(m_base.port()));
        m_otherHost->setSourceAddress(QHostAddress(QStringLiteral("127.0.0.2")));
        m_attackerBase = m_base;
        m_attackerBase.setPort(m_otherHost->port());
    }

    std::unique_ptr<TestClient> dashboard()
    {
        auto d = std::make_unique<TestClient>();
        d->open(wsUrl(m_base, "/ws/dashboard"), {{"Authorization", "Bearer " + Token}});
        if (!d->waitConnected() || d->waitForType("hello").isEmpty())
            return nullptr;
        return d;
    }

    quint64 metric(const QString &name) const
    {
        const QString text = m_metrics->renderPrometheus();
        for (const QString &line : text.split('\n')) {
            if (line.startsWith(name + ' '))
                return line.section(' ', 1, 1).toULongLong();
        }
        return 0;
    }

    // An answered call from a phone on 127.0.0.1 with its three sockets.
    std::unique_ptr<SecurePhone> answeredCall(const QString &id)
    {
        auto phone = std::make_unique<SecurePhone>(m_base, id);
        if (!phone->call())
            return nullptr;
        if (!QTest::qWaitFor([&] { return m_store->call(id) != nullptr; }, 5000) ||
            m_store->answer(id, Actor::dispatcher("alice")) != CallStore::Result::Ok)
            return nullptr;
        if (phone->signal.waitForType("dispatcher_ready").isEmpty())
            return nullptr;
        return phone;
    }

private Q_SLOTS:
    void init() { startServer(); }
    void cleanup()
    {
        m_otherHost.reset();
        m_server.reset();
        m_store.reset();
    }

    void aKnownCallIdDoesNotSupersedeThePhone_data()
    {
        QTest::addColumn<bool>("fromOtherHost");
        QTest::addColumn<QString>("secret");
        QTest::newRow("other host, no secret") << true << QString();
        QTest::newRow("same host, no secret") << false << QString();
        QTest::newRow("guessed secret")
            << true << QString("AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA");
    }
    void aKnownCallIdDoesNotSupersedeThePhone()
    {
        QFETCH(bool, fromOtherHost);
        QFETCH(QString, secret);
        auto phone = answeredCall("victim");
        QVERIFY(phone);

        TestClient attacker;
        attacker.open(wsUrl(fromOtherHost ? m_attackerBase : m_base, "/ws/signal",
                            "call_id=victim&role=caller"));
        QVERIFY(attacker.waitConnected());
        QJsonObject initiated{{"type", "call_initiated"},
                              {"location", QJsonObject{{"lat", 1.0}, {"lng", 1.0}}}};
        if (!secret.isEmpty())
            initiated.insert("call_secret", secret);
        attacker.sendJson(initiated);
        const QJsonObject error = attacker.waitForType("error");
        QCOMPARE(error.value("code").toString(), secret.isEmpty()
                                                     ? QString("call_credential_required")
                                                     : QString("bad_call_secret"));
        QVERIFY(attacker.waitDisconnected());
        QVERIFY(attacker.waitForType("dispatcher_ready", 100).isEmpty());

        // The phone was never cut off, its location never moved, and it still ends its call.
        QCOMPARE(phone->signal.socket().state(), QAbstractSocket::ConnectedState);
        QVERIFY(m_store->call("victim")->callerConnected);
        QCOMPARE(m_store->call("victim")->location->latitude, 40.0);
        attacker.open(wsUrl(m_attackerBase, "/ws/signal", "call_id=victim&role=caller"));
        QVERIFY(attacker.waitConnected());
        attacker.sendJson({{"type", "call_ended"}});
        attacker.sendJson(
            {{"type", "location_update"}, {"location", QJsonObject{{"lat", 2.0}, {"lng", 2.0}}}});
        attacker.sendJson({{"type", "caller_text"}, {"text", "prank, ignore this call"}});
        // One refusal each (the first error is the refused re-attach above).
        QTRY_COMPARE(attacker.countOfType("error"), 4);
        QVERIFY(m_store->call("victim")->isLive());
        QCOMPARE(m_store->call("victim")->location->latitude, 40.0);
        QVERIFY(m_store->call("victim")->transcript.isEmpty());
        QVERIFY(metric("dispatch_caller_credential_refusals_total") >= 1);
    }

    void theOwnerWithItsSecretReattaches()
    {
        auto phone = answeredCall("blip");
        QVERIFY(phone);
        TestClient again;
        again.open(wsUrl(m_base, "/ws/signal", "call_id=blip&role=caller"));
        QVERIFY(again.waitConnected());
        again.sendJson({{"type", "call_initiated"}, {"call_secret", phone->secret}});
        QVERIFY(!again.waitForType("dispatcher_ready").isEmpty());
        QVERIFY(phone->signal.waitDisconnected()); // the old, maybe half-open, socket goes
        QCOMPARE(m_store->calls().size(), 1);
        // The secret in the URL works as well (a page that cannot put it in the message).
        TestClient third;
        third.open(
            wsUrl(m_base, "/ws/signal", "call_id=blip&role=caller&call_secret=" + phone->secret));
        QVERIFY(third.waitConnected());
        third.sendJson({{"type", "call_initiated"}});
        QVERIFY(!third.waitForType("dispatcher_ready").isEmpty());
    }

    void mediaSocketsForALiveCallNeedTheSecret_data()
    {
        QTest::addColumn<QString>("path");
        QTest::addColumn<bool>("fromOtherHost");
        QTest::newRow("audio, other host") << "/ws/audio" << true;
        QTest::newRow("audio, same host") << "/ws/audio" << false;
        QTest::newRow("vitals, other host") << "/ws/vitals" << true;
        QTest::newRow("vitals, same host") << "/ws/vitals" << false;
    }
    void mediaSocketsForALiveCallNeedTheSecret()
    {
        QFETCH(QString, path);
        QFETCH(bool, fromOtherHost);
        auto phone = answeredCall("quiet");
        QVERIFY(phone);
        phone->audio->socket().sendBinaryMessage(pcm(320));
        QTRY_COMPARE(m_store->call("quiet")->audioBytes, qint64(640));

        TestClient attacker;
        attacker.open(wsUrl(fromOtherHost ? m_attackerBase : m_base, path, "call_id=quiet"));
        QCOMPARE(attacker.waitForType("error").value("code").toString(),
                 QString("call_credential_required"));
        QVERIFY(attacker.waitDisconnected());
        // Nothing it sends counts; the phone's own sockets are untouched.
        QCOMPARE(m_store->call("quiet")->audioBytes, qint64(640));
        QVERIFY(!m_store->call("quiet")->vitals);
        QCOMPARE(phone->audio->socket().state(), QAbstractSocket::ConnectedState);
        QCOMPARE(phone->vitals->socket().state(), QAbstractSocket::ConnectedState);
        phone->audio->socket().sendBinaryMessage(pcm(320));
        QTRY_COMPARE(m_store->call("quiet")->audioBytes, qint64(1280));
    }

    void onlyTheCallersOwnSocketHearsTheDispatcher()
    {
        auto phone = answeredCall("listen");
        QVERIFY(phone);
        // A seed-style socket of the attacker's, from the phone's own address, with no secret:
        // refused (the call's first audio socket is taken).
        TestClient eavesdropper;
        eavesdropper.open(wsUrl(m_base, "/ws/audio", "call_id=listen"));
        QCOMPARE(eavesdropper.waitForType("error").value("code").toString(),
                 QString("call_credential_required"));
        QVERIFY(eavesdropper.waitDisconnected());
        QCOMPARE(m_store->sendTalkBack("listen", pcm(160, 9)), CallStore::Result::Ok);
        QTRY_COMPARE(phone->audio->binaryBytes(), qint64(320));
        QCOMPARE(eavesdropper.binaryBytes(), 0);
    }

    void aSeedPhonesSecretlessAudioNeverHearsTheDispatcher()
    {
        // A seed-000 phone opens its three sockets together and never learns the secret: it
        // works as before (its audio is taken) but talk-back needs the secret, so a socket
        // that might not be the caller's never hears the dispatcher.
        TestPhone seed(m_base, "seed");
        QVERIFY(seed.connected());
        seed.initiate();
        QTRY_VERIFY(m_store->call("seed"));
        QCOMPARE(m_store->answer("seed", Actor::dispatcher("alice")), CallStore::Result::Ok);
        seed.audio.socket().sendBinaryMessage(pcm(320));
        QTRY_COMPARE(m_store->call("seed")->audioBytes, qint64(640));
        QCOMPARE(m_store->sendTalkBack("seed", pcm(160, 9)), CallStore::Result::Ok);
        // A ping answered on the same socket: anything sent before it has arrived.
        QSignalSpy pong(&seed.audio.socket(), &QWebSocket::pong);
        seed.audio.socket().ping();
        QVERIFY(pong.wait());
        QCOMPARE(seed.audio.binaryBytes(), 0);
    }

    void secretlessMediaIsOnlyTheCallersFirstSocket()
    {
        PhoneServerConfig config;
        config.callers.firstMediaWindowMs = 300;
        config.callers.clock = [this] { return m_fakeNowMs; };
        startServer(config);
        TestClient signal;
        signal.open(wsUrl(m_base, "/ws/signal", "call_id=late&role=caller"));
        QVERIFY(signal.waitConnected());
        signal.sendJson({{"type", "call_initiated"}});
        const QString secret =
            signal.waitForType("call_credential").value("call_secret").toString();
        QVERIFY(!secret.isEmpty());
        // From another address, even at once: refused.
        TestClient stranger;
        stranger.open(wsUrl(m_attackerBase, "/ws/vitals", "call_id=late"));
        QCOMPARE(stranger.waitForType("error").value("code").toString(),
                 QString("call_credential_required"));
        // After the window, the caller's own address without the secret: refused.
        m_fakeNowMs += 400;
        TestClient late;
        late.open(wsUrl(m_base, "/ws/audio", "call_id=late"));
        QCOMPARE(late.waitForType("error").value("code").toString(),
                 QString("call_credential_required"));
        // With the secret, any time: taken.
        TestClient owner;
        owner.open(wsUrl(m_base, "/ws/audio", "call_id=late&call_secret=" + secret));
        QVERIFY(owner.waitConnected());
        owner.socket().sendBinaryMessage(pcm(320));
        QTRY_COMPARE(m_store->call("late")->audioBytes, qint64(640));
        // A wrong secret: refused with its own code.
        TestClient wrong;
        wrong.open(wsUrl(m_base, "/ws/audio", "call_id=late&call_secret=x" + secret.mid(1)));
        QCOMPARE(wrong.waitForType("error").value("code").toString(), QString("bad_call_secret"));
    }

    void socketsOpenedBeforeTheCallFromAnotherAddressAreDropped()
    {
        // Someone who guesses a call id before the phone uses it gets nothing in: at
        // call_initiated, sockets and media from another address than the caller's go.
        TestClient early;
        early.open(wsUrl(m_attackerBase, "/ws/audio", "call_id=future"));
        QVERIFY(early.waitConnected());
        early.socket().sendBinaryMessage(pcm(8000, 7));
        QTRY_VERIFY(metric("dispatch_bytes_received_total{channel=\"audio\"}") >= 16000);
        SecurePhone phone(m_base, "future");
        QVERIFY(phone.call());
        QVERIFY(early.waitDisconnected());
        QCOMPARE(m_store->call("future")->audioBytes, qint64(0));
        phone.audio->socket().sendBinaryMessage(pcm(320));
        QTRY_COMPARE(m_store->call("future")->audioBytes, qint64(640));
    }

    void oneAudioSocketPerCall()
    {
        auto phone = answeredCall("one-socket");
        QVERIFY(phone);
        auto second = phone->openMedia("/ws/audio");
        QVERIFY(second->waitConnected());
        QVERIFY(phone->audio->waitDisconnected()); // the newer replaces the older
        second->socket().sendBinaryMessage(pcm(320));
        QTRY_COMPARE(m_store->call("one-socket")->audioBytes, qint64(640));
        QCOMPARE(m_store->sendTalkBack("one-socket", pcm(160, 9)), CallStore::Result::Ok);
        QTRY_COMPARE(second->binaryBytes(), qint64(320));
    }

    void audioFasterThanTwiceRealTimeIsDropped()
    {
        auto phone = answeredCall("flood-audio");
        QVERIFY(phone);
        // 30 s of audio in a burst: about 6 s of allowance plus 2x real time is taken.
        const QByteArray second = pcm(16000, 3);
        QElapsedTimer sent;
        sent.start();
        for (int i = 0; i < 30; ++i)
            phone->audio->socket().sendBinaryMessage(second.left(32000));
        QTRY_VERIFY(metric("dispatch_caller_audio_over_rate_bytes_total") > 0);
        QTRY_COMPARE(qint64(metric("dispatch_caller_audio_over_rate_bytes_total")) +
                         m_store->call("flood-audio")->audioBytes,
                     qint64(30 * 32000));
        const qint64 kept = m_store->call("flood-audio")->audioBytes;
        const double allowed = 6.0 * 32000 + 2.0 * 32000 * (sent.elapsed() / 1000.0 + 0.5);
        QVERIFY2(kept <= allowed, qPrintable(QString::number(kept)));
        QCOMPARE(phone->audio->waitForType("error").value("code").toString(),
                 QString("audio_rate_limited"));
        QCOMPARE(phone->audio->countOfType("error"), 1); // once per burst, not per chunk
    }

    void oneAddressCannotFloodTheQueue()
    {
        PhoneServerConfig config;
        config.callers.newCalls.maxRingingPerAddress = 3;
        config.callers.newCalls.maxCallsPerWindow = 100;
        startServer(config);
        std::vector<std::unique_ptr<TestClient>> flood;
        for (int i = 0; i < 5; ++i) {
            auto c = std::make_unique<TestClient>();
            c->open(wsUrl(m_attackerBase, "/ws/signal",
                          QStringLiteral("call_id=flood-%1&role=caller").arg(i)));
            QVERIFY(c->waitConnected());
            c->sendJson({{"type", "call_initiated"}});
            if (i < 3)
                QVERIFY(!c->waitForType("call_credential").isEmpty());
            else
                QCOMPARE(c->waitForType("error").value("code").toString(),
                         QString("too_many_calls"));
            flood.push_back(std::move(c));
        }
        QCOMPARE(m_store->countInState(CallState::Ringing), 3);
        QVERIFY(flood.back()->waitDisconnected());
        // A real caller elsewhere is not affected.
        SecurePhone real(m_base, "real");
        QVERIFY(real.call());
        QCOMPARE(m_store->countInState(CallState::Ringing), 4);
        // Once one of the address's calls is answered, it may place another.
        QCOMPARE(m_store->answer("flood-0", Actor::dispatcher("alice")), CallStore::Result::Ok);
        TestClient next;
        next.open(wsUrl(m_attackerBase, "/ws/signal", "call_id=flood-next&role=caller"));
        QVERIFY(next.waitConnected());
        next.sendJson({{"type", "call_initiated"}});
        QVERIFY(!next.waitForType("call_credential").isEmpty());
        QCOMPARE(metric("dispatch_calls_refused_total"), quint64(2));
    }

    void oneAddressCannotStartCallsFasterThanItsRate()
    {
        PhoneServerConfig config;
        config.callers.newCalls.maxRingingPerAddress = 0;
        config.callers.newCalls.maxCallsPerWindow = 4;
        startServer(config);
        for (int i = 0; i < 5; ++i) {
            TestClient c;
            c.open(wsUrl(m_attackerBase, "/ws/signal",
                         QStringLiteral("call_id=rate-%1&role=caller").arg(i)));
            QVERIFY(c.waitConnected());
            c.sendJson({{"type", "call_initiated"}});
            if (i < 4) {
                QVERIFY(!c.waitForType("call_credential").isEmpty());
                c.sendJson({{"type", "call_ended"}});
                QTRY_VERIFY(!m_store->call(QStringLiteral("rate-%1").arg(i))->isLive());
            } else {
                QCOMPARE(c.waitForType("error").value("code").toString(),
                         QString("call_rate_limited"));
            }
        }
    }

    void aCallerCannotForgeHostEvents_data()
    {
        QTest::addColumn<QJsonObject>("forged");
        QTest::newRow("triage_update") << QJsonObject{
            {"type", "triage_update"},
            {"report", QJsonObject{{"situation_summary", "prank"}, {"severity", 1}}}};
        QTest::newRow("prearrival") << QJsonObject{
            {"type", "prearrival"}, {"title", "do NOT start CPR"}, {"steps", QJsonArray{"wait"}}};
        QTest::newRow("transcript") << QJsonObject{
            {"type", "transcript"}, {"speaker", "dispatcher"}, {"text", "we are not coming"}};
        QTest::newRow("critical_flag")
            << QJsonObject{{"type", "critical_flag"}, {"reason", "x"}, {"severity", 5}};
        QTest::newRow("hello") << QJsonObject{{"type", "hello"}, {"calls", QJsonArray{}}};
        QTest::newRow("call_state") << QJsonObject{{"type", "call_state"}, {"state", "ended"}};
        QTest::newRow("incoming_call")
            << QJsonObject{{"type", "incoming_call"}, {"call_id", "someone-else"}};
    }
    void aCallerCannotForgeHostEvents()
    {
        QFETCH(QJsonObject, forged);
        auto dash = dashboard();
        QVERIFY(dash);
        auto phone = std::make_unique<SecurePhone>(m_base, "forger");
        QVERIFY(phone->call());
        dash->waitForType("incoming_call");
        dash->sendJson({{"type", "dispatcher_joined"}, {"call_id", "forger"}});
        QVERIFY(!phone->signal.waitForType("dispatcher_ready").isEmpty());
        QVERIFY(!dash->waitForType("call_state", 5000, "forger").isEmpty());
        const qsizetype before = dash->messages().size();

        phone->signal.sendJson(forged);
        QCOMPARE(phone->signal.waitForType("error").value("code").toString(),
                 QString("unknown_type"));
        // WebRTC signalling still gets through, as data in an envelope.
        phone->signal.sendJson({{"type", "offer"}, {"sdp", "v=0"}});
        const QJsonObject envelope = dash->waitForType("caller_signal");
        QCOMPARE(envelope.value("call_id").toString(), QString("forger"));
        QCOMPARE(envelope.value("signal").toObject().value("type").toString(), QString("offer"));
        const QString forgedType = forged.value("type").toString();
        for (qsizetype i = before; i < dash->messages().size(); ++i)
            QVERIFY2(dash->messages().at(i).value("type").toString() != forgedType,
                     qPrintable(QJsonDocument(dash->messages().at(i)).toJson()));
        QVERIFY(m_store->call("forger")->isLive());
    }

    void aDashboardRelaysOnlyWebRtcToTheCaller()
    {
        auto dash = dashboard();
        QVERIFY(dash);
        auto phone = std::make_unique<SecurePhone>(m_base, "relay");
        QVERIFY(phone->call());
        dash->sendJson({{"type", "dispatcher_joined"}, {"call_id", "relay"}});
        QVERIFY(!phone->signal.waitForType("dispatcher_ready").isEmpty());
        // Before: any type with a call_id went to the phone (a dashboard could make the page
        // show "dispatcher ready" or a state it is not in).
        dash->sendJson({{"type", "dispatcher_ready"}, {"call_id", "relay"}});
        QCOMPARE(dash->waitForType("error").value("code").toString(), QString("unknown_type"));
        dash->sendJson({{"type", "answer"}, {"call_id", "relay"}, {"sdp", "v=0 answer"}});
        QCOMPARE(phone->signal.waitForType("answer").value("sdp").toString(),
                 QString("v=0 answer"));
    }

    void callerTextLosesInvisibleControls()
    {
        auto phone = answeredCall("text");
        QVERIFY(phone);
        // NUL, an escape sequence and a right-to-left override around "help".
        const QString text =
            QString::fromUtf8("he\u202Eplh\u202C\x1b[2J") + QChar(0) + QStringLiteral(" now");
        phone->signal.sendJson({{"type", "caller_text"}, {"text", text}});
        QTRY_COMPARE(m_store->call("text")->transcript.size(), 1);
        QCOMPARE(m_store->call("text")->transcript.constFirst().text, QString("heplh[2J now"));
    }
};

QTEST_GUILESS_MAIN(TestCallerAttacks)
#include "tst_callerattacks.moc"
