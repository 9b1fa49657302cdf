// One host and several remote consoles on loopback, each remote the real client stack
// (HostLink + StoreMirror + MediaRelay + RemoteCallActions) a `--connect` console runs.
#include "auth/tokenstore.h"
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "dashboard/hostlink.h"
#include "dashboard/mediarelay.h"
#include "dashboard/remotecallactions.h"
#include "dashboard/storemirror.h"
#include "domain/disposition.h"
#include "host/phoneserver.h"
#include "tcprelay.h"
#include "testphone.h"

#include <QElapsedTimer>
#include <QScopeGuard>
#include <QSignalSpy>
#include <QSslCertificate>
#include <QSslConfiguration>
#include <QTemporaryDir>
#include <QTest>

#include <memory>

using namespace dispatch;
using namespace dispatch::test;

namespace {

// What a `dispatch-console --connect URL --token T` runs under its window.
struct Remote
{
    remote::HostClock clock;
    CallStore mirror{CallStoreConfig{}, [this] { return clock.now(); }};
    remote::HostLink link;
    remote::StoreMirror view{mirror, link, clock};
    remote::MediaRelay media{mirror, link, view};
    remote::RemoteCallActions actions{link, view};
    QStringList refusals;
    int pongs = 0;

    explicit Remote(remote::HostLinkConfig config)
        : link(std::move(config))
    {
        QObject::connect(&actions, &CallActions::refused, &actions,
                         [this](const CallRefusal &refusal) { refusals << refusal.detail; });
        QObject::connect(&link, &remote::HostLink::eventReceived, &actions,
                         [this](const dashboard::HostEvent &event) {
                             if (std::holds_alternative<dashboard::Pong>(event))
                                 ++pongs;
                         });
    }
    // A ping answered by the host: everything this console sent before it was handled, and
    // everything the host sent it before the answer has arrived.
    bool roundTrip(int timeoutMs = 5000)
    {
        const int before = pongs;
        return link.sendCommand(dashboard::Ping{}) &&
               QTest::qWaitFor([&] { return pongs > before; }, timeoutMs);
    }
    bool waitSynchronised(int timeoutMs = 5000)
    {
        QSignalSpy synced(&view, &remote::StoreMirror::synchronised);
        if (link.state() != remote::HostLink::State::Connected || !view.isSynchronised())
            synced.wait(timeoutMs);
        return link.state() == remote::HostLink::State::Connected && view.isSynchronised();
    }
};

QByteArray pcm(int samples, char fill)
{
    return QByteArray(samples * 2, fill);
}

} // namespace

class TestRemoteConsole : public QObject
{
    Q_OBJECT

private:
    std::unique_ptr<QTemporaryDir> m_dir;
    std::unique_ptr<CallStore> m_host;
    std::unique_ptr<MetricsRegistry> m_metrics;
    std::unique_ptr<PhoneServer> m_server;
    CallStoreConfig m_hostConfig; // the host's store (its site addresses)
    QUrl m_base;

    QByteArray issue(const QString &name, Role role)
    {
        TokenStore tokens(m_dir->filePath("tokens.json"));
        auto token = tokens.issue(name, role, QDateTime(), QDateTime::currentDateTimeUtc());
        return token ? token.value() : QByteArray();
    }

    void startHost(bool tls = false)
    {
        m_server.reset();
        m_host = std::make_unique<CallStore>(m_hostConfig);
        m_metrics = std::make_unique<MetricsRegistry>();
        PhoneServerConfig config;
        config.address = QHostAddress::LocalHost;
        config.port = 0;
        config.dataDir = m_dir->path();
        config.tokenStorePath = m_dir->filePath("tokens.json");
        config.forceTls = tls;
        config.dashboardRevalidationMs = 100; // a revoked token is noticed at once
        m_server = std::make_unique<PhoneServer>(config, *m_host, *m_metrics);
        auto url = m_server->start();
        QVERIFY2(url.ok(), qPrintable(url.error().message));
        m_base = url.value();
    }

    QUrl hostUrl(quint16 port = 0) const
    {
        QUrl url = m_base;
        url.setScheme(m_base.scheme() == "https" ? "wss" : "ws");
        if (port)
            url.setPort(port);
        return url;
    }

    remote::HostLinkConfig linkConfig(const QByteArray &token, quint16 port = 0,
                                      const QString &pin = QString()) const
    {
        remote::HostLinkConfig config;
        config.url = hostUrl(port);
        config.token = token;
        config.pinnedSha256 = pin;
        config.reconnectMinMs = 100;
        config.reconnectMaxMs = 400;
        return config;
    }

    std::unique_ptr<Remote> connectAs(const QByteArray &token, quint16 port = 0,
                                      const QString &pin = QString())
    {
        return connectWith(linkConfig(token, port, pin));
    }

    std::unique_ptr<Remote> connectWith(const remote::HostLinkConfig &config)
    {
        auto r = std::make_unique<Remote>(config);
        r->link.start();
        return r;
    }

    // A ringing call from a phone, seen by the host.
    std::unique_ptr<TestPhone> ring(const QString &id)
    {
        auto phone = std::make_unique<TestPhone>(m_base, id);
        if (!phone->connected())
            return nullptr;
        phone->initiate();
        if (!QTest::qWaitFor([&] { return m_host->call(id) != nullptr; }, 5000))
            return nullptr;
        return phone;
    }

    static bool sameView(const Call &host, const Call &mine)
    {
        auto texts = [](const Call &c) {
            QStringList out;
            for (const auto &s : c.transcript)
                out << s.text;
            return out;
        };
        return host.state == mine.state && host.answeredBy == mine.answeredBy &&
               host.ringingSince == mine.ringingSince && texts(host) == texts(mine) &&
               host.triageHistory.size() == mine.triageHistory.size() &&
               host.prearrival.size() == mine.prearrival.size() &&
               host.callerConnected == mine.callerConnected;
    }

private Q_SLOTS:
    void init()
    {
        m_dir = std::make_unique<QTemporaryDir>();
        startHost();
    }

    void cleanup()
    {
        m_server.reset();
        m_host.reset();
        m_hostConfig = {};
    }

    // The host looks a call's site address up; a remote console shows the host's, from the
    // first snapshot and on every move, without address data of its own.
    void remoteSeesTheHostsSiteAddress()
    {
        m_hostConfig.addressLookup = [](const GeoLocation &l) {
            geo::AddressMatch m;
            m.status = l.latitude < 49 ? geo::AddressStatus::Found : geo::AddressStatus::NoneWithin;
            m.address.number = "12";
            m.address.streetName = "Rue de Rivoli";
            m.address.community = "Paris";
            m.distanceMeters = 7.5;
            m.radiusMeters = 50;
            return m;
        };
        startHost();
        auto ana = connectAs(issue("ana", Role::Dispatcher));
        QVERIFY(ana->waitSynchronised());
        TestPhone phone(m_base, "c-where");
        QVERIFY(phone.connected());
        phone.initiate(48.85, 2.35);
        QTRY_VERIFY(ana->mirror.call("c-where"));
        QTRY_VERIFY(ana->mirror.call("c-where")->address.found());
        QVERIFY(ana->mirror.call("c-where")->address == m_host->call("c-where")->address);
        QCOMPARE(ana->mirror.call("c-where")->address.address.streetName,
                 QStringLiteral("Rue de Rivoli"));

        QVERIFY(m_host->updateLocation("c-where", GeoLocation{49.5, 2.35, 20.0, m_host->now()}) ==
                CallStore::Result::Ok);
        QTRY_COMPARE(toString(ana->mirror.call("c-where")->address.status),
                     toString(geo::AddressStatus::NoneWithin));
        QCOMPARE(ana->mirror.call("c-where")->location->latitude, 49.5);
    }

    void bothRemotesSeeANewCallWithin100ms()
    {
        auto ana = connectAs(issue("ana", Role::Dispatcher));
        auto ben = connectAs(issue("ben", Role::Dispatcher));
        QVERIFY(ana->waitSynchronised());
        QVERIFY(ben->waitSynchronised());
        QCOMPARE(ana->view.you().name, QString("ana"));
        QVERIFY(ben->view.you().role == Role::Dispatcher);

        TestPhone phone(m_base, "c-new");
        QVERIFY(phone.connected());
        QElapsedTimer clock;
        qint64 anaMs = -1;
        qint64 benMs = -1;
        connect(&ana->mirror, &CallStore::callAdded, this, [&] { anaMs = clock.elapsed(); });
        connect(&ben->mirror, &CallStore::callAdded, this, [&] { benMs = clock.elapsed(); });
        clock.start();
        phone.initiate(48.85, 2.35);
        QVERIFY(QTest::qWaitFor([&] { return anaMs >= 0 && benMs >= 0; }, 2000));
        qInfo("new call visible on the remotes after %lld ms and %lld ms", anaMs, benMs);
        QVERIFY2(anaMs <= 100 && benMs <= 100, "a new call must reach every console in 100 ms");
        const Call *mine = ana->mirror.call("c-new");
        QVERIFY(mine);
        QVERIFY(mine->state == CallState::Ringing);
        QCOMPARE(mine->ringingSince, m_host->call("c-new")->ringingSince);
        QVERIFY(mine->location);
        QCOMPARE(mine->location->latitude, 48.85);
    }

    void answerRaceGivesOneOwner()
    {
        auto ana = connectAs(issue("ana", Role::Dispatcher));
        auto ben = connectAs(issue("ben", Role::Dispatcher));
        QVERIFY(ana->waitSynchronised() && ben->waitSynchronised());
        auto phone = ring("race");
        QVERIFY(phone);
        QVERIFY(QTest::qWaitFor(
            [&] { return ana->mirror.call("race") && ben->mirror.call("race"); }, 2000));
        // Both press answer before either hears back.
        ana->actions.answer("race");
        ben->actions.answer("race");
        QVERIFY(QTest::qWaitFor([&] { return ana->refusals.size() + ben->refusals.size() == 1; },
                                3000));
        const QString owner = m_host->call("race")->answeredBy;
        QVERIFY(owner == "ana" || owner == "ben");
        const Remote &loser = owner == "ana" ? *ben : *ana;
        QVERIFY2(loser.refusals.constFirst().contains("already answered by " + owner),
                 qPrintable(loser.refusals.constFirst()));
        for (Remote *r : {ana.get(), ben.get()}) {
            QVERIFY(QTest::qWaitFor(
                [&] {
                    const Call *c = r->mirror.call("race");
                    return c && c->state == CallState::Answered && c->answeredBy == owner;
                },
                2000));
        }
        QVERIFY(ana->roundTrip() && ben->roundTrip()); // no second refusal on its way
        QCOMPARE(ana->refusals.size() + ben->refusals.size(), 1);
    }

    void ownerHearsTheCallerAndTalksBack()
    {
        auto ana = connectAs(issue("ana", Role::Dispatcher));
        auto ben = connectAs(issue("ben", Role::Dispatcher));
        auto sam = connectAs(issue("sam", Role::Supervisor));
        QVERIFY(ana->waitSynchronised() && ben->waitSynchronised() && sam->waitSynchronised());
        auto phone = ring("media");
        QVERIFY(phone);
        // Talk-back goes only to an audio socket opened with the call's secret.
        TestClient own;
        own.open(wsUrl(m_base, "/ws/audio", "call_id=media&call_secret=" + phone->credential()));
        QVERIFY(own.waitConnected());
        QVERIFY(phone->audio.waitDisconnected());
        QVERIFY(QTest::qWaitFor([&] { return ana->mirror.call("media"); }, 2000));
        ana->actions.answer("media");
        QVERIFY(QTest::qWaitFor(
            [&] { return ana->media.isSubscribed("media") && sam->media.isSubscribed("media"); },
            3000));
        QVERIFY(ana->roundTrip() && sam->roundTrip()); // the subscriptions reached the host
        qint64 anaBytes = 0;
        qint64 samBytes = 0;
        connect(&ana->mirror, &CallStore::audioReceived, this,
                [&](const QString &, const QByteArray &p) { anaBytes += p.size(); });
        connect(&sam->mirror, &CallStore::audioReceived, this,
                [&](const QString &, const QByteArray &p) { samBytes += p.size(); });
        for (int i = 0; i < 10; ++i)
            own.socket().sendBinaryMessage(pcm(320, char(i)));
        QVERIFY(QTest::qWaitFor([&] { return anaBytes == 6400 && samBytes == 6400; }, 3000));
        QVERIFY(!ben->media.isSubscribed("media"));
        QCOMPARE(ben->mirror.call("media")->audioBytes, 0); // not ben's call: no audio

        // Talk-back from the remote reaches the phone.
        const qint64 before = own.binaryBytes();
        for (int i = 0; i < 4; ++i)
            ana->mirror.sendTalkBack("media", pcm(320, 9)); // 4 x 20 ms
        QVERIFY(QTest::qWaitFor([&] { return own.binaryBytes() - before == 2560; }, 3000));
        // A lone 20 ms tail is not held over to the next utterance.
        ana->mirror.sendTalkBack("media", pcm(320, 7));
        QVERIFY(QTest::qWaitFor([&] { return own.binaryBytes() - before == 3200; }, 2000));

        // Ben cannot talk on ana's call: the host refuses (the mirror lets it out, the host
        // decides).
        ben->link.sendMedia({dashboard::MediaKind::TalkBack, "media", pcm(640, 1)});
        QVERIFY(QTest::qWaitFor([&] { return !ben->refusals.isEmpty(); }, 2000));
        QVERIFY(ben->refusals.constLast().contains("handled by ana"));
    }

    void transferMovesTheCall()
    {
        auto ana = connectAs(issue("ana", Role::Dispatcher));
        auto ben = connectAs(issue("ben", Role::Dispatcher));
        QVERIFY(ana->waitSynchronised() && ben->waitSynchronised());
        auto phone = ring("xfer");
        QVERIFY(phone);
        QVERIFY(QTest::qWaitFor([&] { return ana->mirror.call("xfer"); }, 2000));
        ana->actions.answer("xfer");
        QVERIFY(QTest::qWaitFor([&] { return ana->media.isSubscribed("xfer"); }, 3000));
        ana->actions.transfer("xfer", "ben");
        for (Remote *r : {ana.get(), ben.get()})
            QVERIFY(
                QTest::qWaitFor([&] { return r->mirror.call("xfer")->answeredBy == "ben"; }, 3000));
        QCOMPARE(m_host->call("xfer")->answeredBy, QString("ben"));
        QVERIFY(QTest::qWaitFor(
            [&] { return ben->media.isSubscribed("xfer") && !ana->media.isSubscribed("xfer"); },
            3000));
        // Ana no longer owns it: her hold is refused; ben's works.
        ana->actions.hold("xfer");
        QVERIFY(QTest::qWaitFor([&] { return !ana->refusals.isEmpty(); }, 2000));
        ben->actions.hold("xfer");
        QVERIFY(QTest::qWaitFor(
            [&] { return ana->mirror.call("xfer")->state == CallState::OnHold; }, 2000));
        const auto &timeline = ana->mirror.call("xfer")->timeline;
        QVERIFY(std::any_of(timeline.cbegin(), timeline.cend(), [](const CallEvent &e) {
            return e.kind == CallEventKind::Transferred && e.detail == "ana -> ben";
        }));
    }

    // A remote console's end carries the disposition the dispatcher chose: the host records it
    // and every console's mirror shows it.
    void remoteEndCarriesTheDisposition()
    {
        auto ana = connectAs(issue("ana", Role::Dispatcher));
        auto ben = connectAs(issue("ben", Role::Dispatcher));
        QVERIFY(ana->waitSynchronised() && ben->waitSynchronised());
        auto phone = ring("disp");
        QVERIFY(phone);
        QVERIFY(QTest::qWaitFor([&] { return ana->mirror.call("disp"); }, 2000));
        ana->actions.answer("disp");
        QTRY_VERIFY(ana->mirror.call("disp")->state == CallState::Answered);
        (void)m_host->flagCritical("disp", "not breathing", 5);
        QTRY_VERIFY(needsDisposition(*ana->mirror.call("disp")));
        ana->actions.end("disp", Disposition::TransferredToAgency);
        QTRY_VERIFY(!m_host->call("disp")->isLive());
        QVERIFY(m_host->call("disp")->disposition == Disposition::TransferredToAgency);
        QVERIFY(m_host->call("disp")->endReason == EndReason::DispatcherEnded);
        for (Remote *r : {ana.get(), ben.get()})
            QTRY_VERIFY(r->mirror.call("disp")->disposition == Disposition::TransferredToAgency);
        QVERIFY(ana->refusals.isEmpty());
    }

    // Issue 18: a caller who hangs up while it rings needs a call back. Every console sees the
    // open follow-up (one that connects later too, through hello) and the late assessment of
    // the ring-time audio; any dispatcher resolves it from its console, once.
    void remoteConsolesSeeAndResolveAFollowUp()
    {
        auto ana = connectAs(issue("ana", Role::Dispatcher));
        auto ben = connectAs(issue("ben", Role::Dispatcher));
        QVERIFY(ana->waitSynchronised() && ben->waitSynchronised());
        auto phone = ring("ab");
        QVERIFY(phone);
        QVERIFY(QTest::qWaitFor([&] { return ana->mirror.call("ab"); }, 2000));
        ana->actions.resolveFollowUp("ab", FollowUp::CalledBack); // still ringing: refused
        QTRY_COMPARE(ana->refusals.size(), 1);
        phone->signal.sendJson({{"type", "call_ended"}});
        QTRY_VERIFY(!m_host->call("ab")->isLive());
        QVERIFY(m_host->call("ab")->followUp == FollowUp::Open);
        TriageReport late;
        late.severity = 4;
        late.responseType = ResponseType::Police;
        late.situationSummary = "intruder in the house";
        late.source = TriageSource::Local;
        QVERIFY(m_host->setTriage("ab", late) == CallStore::Result::Ok);
        for (Remote *r : {ana.get(), ben.get()}) {
            QTRY_VERIFY(r->mirror.call("ab") && !r->mirror.call("ab")->isLive());
            QVERIFY(r->mirror.call("ab")->endReason == EndReason::Abandoned);
            QVERIFY(r->mirror.call("ab")->followUp == FollowUp::Open);
            QTRY_VERIFY(r->mirror.call("ab")->triage);
            QCOMPARE(r->mirror.call("ab")->triage->situationSummary,
                     QString("intruder in the house"));
        }
        auto carl = connectAs(issue("carl", Role::Dispatcher)); // after the end
        QVERIFY(carl->waitSynchronised());
        QVERIFY(carl->mirror.call("ab"));
        QVERIFY(carl->mirror.call("ab")->followUp == FollowUp::Open);
        QCOMPARE(carl->mirror.call("ab")->triage->situationSummary,
                 QString("intruder in the house"));

        ben->actions.resolveFollowUp("ab", FollowUp::NoAnswer);
        QTRY_VERIFY(m_host->call("ab")->followUp == FollowUp::NoAnswer);
        QCOMPARE(m_host->call("ab")->followUpBy, QString("ben"));
        const CallEvent &event = m_host->call("ab")->timeline.constLast();
        QVERIFY(event.kind == CallEventKind::FollowedUp);
        QVERIFY(event.actor == Actor::dispatcher("ben"));
        for (Remote *r : {ana.get(), ben.get(), carl.get()}) {
            QTRY_VERIFY(r->mirror.call("ab")->followUp == FollowUp::NoAnswer);
            QCOMPARE(r->mirror.call("ab")->followUpBy, QString("ben"));
        }
        // Too late for ana: resolved already, the host says no and nothing changes.
        ana->actions.resolveFollowUp("ab", FollowUp::Handled);
        QTRY_COMPARE(ana->refusals.size(), 2);
        QVERIFY(ana->refusals.constLast().contains("ended"));
        QVERIFY(m_host->call("ab")->followUp == FollowUp::NoAnswer);
        QVERIFY(ben->refusals.isEmpty());
    }

    // Every console learns whom calls may go to, and who of them is online, as it changes:
    // active dispatcher tokens (not supervisors), online while their console is connected;
    // a revoked one leaves the list.
    void transferTargetsFollowWhoIsOnline()
    {
        auto online = [](const Remote &r) {
            QStringList out;
            for (const TransferTarget &t : r.actions.transferTargets())
                out << t.name + (t.online ? "*" : "");
            return out;
        };
        issue("cleo", Role::Dispatcher);
        issue("sam", Role::Supervisor);
        auto ana = connectAs(issue("ana", Role::Dispatcher));
        const QByteArray benToken = issue("ben", Role::Dispatcher);
        QVERIFY(ana->waitSynchronised());
        QTRY_COMPARE(online(*ana), QStringList({"ana*", "ben", "cleo"}));
        QSignalSpy changed(&ana->actions, &CallActions::transferTargetsChanged);
        auto ben = connectAs(benToken);
        QVERIFY(ben->waitSynchronised());
        QTRY_COMPARE(online(*ana), QStringList({"ana*", "ben*", "cleo"}));
        QTRY_COMPARE(online(*ben), QStringList({"ana*", "ben*", "cleo"}));
        QCOMPARE(m_server->transferTargets(), ana->actions.transferTargets());
        QCOMPARE(changed.size(), 1);
        ben.reset(); // ben's console goes away
        QTRY_COMPARE(online(*ana), QStringList({"ana*", "ben", "cleo"}));
        TokenStore tokens(m_dir->filePath("tokens.json"));
        QVERIFY(tokens.revoke("cleo").ok());
        m_server->revalidateDashboards();
        QTRY_COMPARE(online(*ana), QStringList({"ana*", "ben"}));
        // Without its host a console knows nobody to transfer to.
        m_server.reset();
        QTRY_VERIFY(ana->actions.transferTargets().isEmpty());
    }

    void reconnectResynchronisesWithoutDuplicates()
    {
        TcpRelay relay(QHostAddress::LocalHost, m_base.port());
        auto ana = connectAs(issue("ana", Role::Dispatcher), relay.port());
        QVERIFY(ana->waitSynchronised());
        auto kept = ring("kept");
        auto gone = ring("gone");
        QVERIFY(kept && gone);
        QVERIFY(QTest::qWaitFor(
            [&] { return ana->mirror.call("kept") && ana->mirror.call("gone"); }, 2000));
        ana->actions.answer("kept");
        QVERIFY(QTest::qWaitFor(
            [&] { return ana->mirror.call("kept")->state == CallState::Answered; }, 2000));
        m_host->addTranscript("kept", {m_host->now(), Speaker::Caller, "before the cut", true});
        QVERIFY(QTest::qWaitFor([&] { return ana->mirror.call("kept")->transcript.size() == 1; },
                                2000));

        // The network drops; while ana is away the host moves on.
        QSignalSpy states(&ana->link, &remote::HostLink::stateChanged);
        relay.dropAll();
        m_host->addTranscript("kept", {m_host->now(), Speaker::Caller, "during the cut", true});
        TriageReport report;
        report.situationSummary = "Chest pain";
        report.responseType = ResponseType::Medical;
        report.severity = 4;
        report.source = TriageSource::Local;
        m_host->setTriage("kept", report);
        m_host->flagCritical("kept", "not breathing", 5);
        m_host->hold("kept", Actor::system());
        m_host->end("gone", EndReason::CallerHungUp);
        QVERIFY(QTest::qWaitFor(
            [&] { return ana->link.state() != remote::HostLink::State::Connected; }, 3000));
        auto fresh = ring("fresh");
        QVERIFY(fresh);

        QSignalSpy critical(&ana->mirror, &CallStore::criticalFlagged);
        QVERIFY(QTest::qWaitFor(
            [&] { return ana->link.state() == remote::HostLink::State::Connected; }, 5000));
        QVERIFY(ana->waitSynchronised());
        QVERIFY(QTest::qWaitFor(
            [&] {
                for (const Call *h : m_host->calls()) {
                    const Call *mine = ana->mirror.call(h->id);
                    if (!mine || !sameView(*h, *mine))
                        return false;
                }
                return true;
            },
            3000));
        const Call *kept2 = ana->mirror.call("kept");
        QCOMPARE(kept2->transcript.size(), 2); // nothing duplicated, nothing lost
        QVERIFY(kept2->state == CallState::OnHold);
        QVERIFY(kept2->triage);
        QCOMPARE(kept2->triage->situationSummary, QString("Chest pain"));
        QCOMPARE(critical.size(), 1); // the flag raised while away alarms here
        QVERIFY(ana->mirror.call("gone")->state == CallState::Ended);
        QVERIFY(ana->mirror.call("gone")->endReason ==
                EndReason::Abandoned); // rang, never answered
        QVERIFY(ana->mirror.call("fresh")->state == CallState::Ringing);

        // A second resynchronisation with nothing new changes nothing.
        relay.dropAll();
        QVERIFY(QTest::qWaitFor(
            [&] { return ana->link.state() != remote::HostLink::State::Connected; }, 3000));
        QVERIFY(QTest::qWaitFor(
            [&] { return ana->link.state() == remote::HostLink::State::Connected; }, 5000));
        QVERIFY(ana->waitSynchronised());
        QVERIFY(ana->roundTrip()); // all the host sent on resynchronising has arrived
        QCOMPARE(ana->mirror.call("kept")->transcript.size(), 2);
        QCOMPARE(ana->mirror.call("kept")->triageHistory.size(), 1);
        QCOMPARE(critical.size(), 1);
    }

    // A host that freezes (its process stopped, or every packet lost) never closes the
    // connection: the console says so within seconds, then gives the connection up and
    // reconnects, and resynchronises once the host answers again.
    void frozenHostIsShownAndTheLinkRenewed()
    {
        TcpRelay relay(QHostAddress::LocalHost, m_base.port());
        remote::HostLinkConfig config = linkConfig(issue("ana", Role::Dispatcher), relay.port());
        config.pingIntervalMs = 100;
        config.stalledAfterMs = 500;
        config.dropAfterMs = 1500;
        auto ana = connectWith(config);
        QVERIFY(ana->waitSynchronised());
        auto phone = ring("frozen");
        QVERIFY(phone);
        QVERIFY(QTest::qWaitFor([&] { return ana->mirror.call("frozen"); }, 2000));

        // A quiet host that answers its pings is alive: never Stalled.
        QSignalSpy states(&ana->link, &remote::HostLink::stateChanged);
        QVERIFY(QTest::qWaitFor([&] { return ana->pongs >= 8; }, 5000)); // 800 ms > 500 ms
        QCOMPARE(states.count(), 0);

        relay.setServerReadsPaused(true); // the host falls silent
        QElapsedTimer frozenFor;
        frozenFor.start();
        QTRY_COMPARE_WITH_TIMEOUT(ana->link.state(), remote::HostLink::State::Stalled, 3000);
        QVERIFY(frozenFor.elapsed() >= 400);
        QCOMPARE(ana->link.status().reason, remote::HostLinkReason::HostSilent);
        QVERIFY(ana->link.status().silentMs >= 500);
        // Then the connection is given up, and new ones are tried (silent too, while frozen).
        QTRY_COMPARE_WITH_TIMEOUT(ana->link.state(), remote::HostLink::State::Reconnecting, 5000);
        QCOMPARE(ana->link.status().reason, remote::HostLinkReason::HostSilent);
        QVERIFY(ana->link.status().retryInMs >= 0);

        relay.setServerReadsPaused(false); // the host is back
        QTRY_COMPARE_WITH_TIMEOUT(ana->link.state(), remote::HostLink::State::Connected, 5000);
        QVERIFY(ana->waitSynchronised());
        QVERIFY(ana->mirror.call("frozen"));
    }

    void supervisorCannotAnswerButCanTakeOver()
    {
        auto sam = connectAs(issue("sam", Role::Supervisor));
        QVERIFY(sam->waitSynchronised());
        QVERIFY(sam->view.you().role == Role::Supervisor);
        auto phone = ring("watched");
        QVERIFY(phone);
        QVERIFY(QTest::qWaitFor([&] { return sam->mirror.call("watched"); }, 2000));
        sam->actions.answer("watched");
        QVERIFY(QTest::qWaitFor([&] { return !sam->refusals.isEmpty(); }, 2000));
        QVERIFY(sam->refusals.constFirst().contains("supervisor"));
        QVERIFY(m_host->call("watched")->state == CallState::Ringing);
        sam->actions.takeOver("watched");
        QVERIFY(QTest::qWaitFor([&] { return sam->mirror.call("watched")->answeredBy == "sam"; },
                                2000));
    }

    // A remote console's acknowledgement of a critical flag reaches the host, which names who
    // acknowledged; every console (the host's own store too) then shows who and when, and a new
    // flag re-opens it everywhere. Only the owner, a supervisor or the admin may acknowledge.
    void remoteAcknowledgementIsSeenByEveryone()
    {
        auto ana = connectAs(issue("ana", Role::Dispatcher));
        auto ben = connectAs(issue("ben", Role::Dispatcher));
        auto sam = connectAs(issue("sam", Role::Supervisor));
        QVERIFY(ana->waitSynchronised() && ben->waitSynchronised() && sam->waitSynchronised());
        auto phone = ring("crit");
        QVERIFY(phone);
        QTRY_VERIFY(ana->mirror.call("crit"));
        ana->actions.answer("crit");
        QTRY_COMPARE(m_host->call("crit")->answeredBy, QString("ana"));
        QCOMPARE(m_host->flagCritical("crit", "not breathing", 5), CallStore::Result::Ok);
        for (Remote *r : {ana.get(), ben.get(), sam.get()})
            QTRY_VERIFY(r->mirror.call("crit") &&
                        r->mirror.call("crit")->hasUnacknowledgedCritical());

        // Ben does not handle the call: refused, nothing changes.
        ben->actions.acknowledgeCritical("crit");
        QTRY_COMPARE(ben->refusals.size(), 1);
        QVERIFY2(ben->refusals.constFirst().contains("handled by ana"),
                 qPrintable(ben->refusals.constFirst()));
        QVERIFY(m_host->call("crit")->hasUnacknowledgedCritical());

        QSignalSpy hostAcks(m_host.get(), &CallStore::criticalAcknowledged);
        ana->actions.acknowledgeCritical("crit");
        QTRY_COMPARE(hostAcks.count(), 1);
        const CriticalAlert hostAlert = m_host->call("crit")->criticalAlert;
        QVERIFY(hostAlert.acknowledgedBy == Actor::dispatcher("ana"));
        QVERIFY(hostAlert.acknowledgedAt.isValid());
        const auto &timeline = m_host->call("crit")->timeline;
        QVERIFY(std::any_of(timeline.cbegin(), timeline.cend(), [](const CallEvent &e) {
            return e.kind == CallEventKind::CriticalAcknowledged &&
                   e.actor == Actor::dispatcher("ana") && e.detail == "ana";
        }));
        for (Remote *r : {ana.get(), ben.get(), sam.get()}) {
            QTRY_VERIFY(!r->mirror.call("crit")->hasUnacknowledgedCritical());
            const CriticalAlert &mine = r->mirror.call("crit")->criticalAlert;
            QCOMPARE(mine.acknowledgedBy.name, QString("ana"));
            QCOMPARE(mine.acknowledgedAt, hostAlert.acknowledgedAt); // the host's time
        }

        // A console connecting later sees the same from the call's record.
        auto carl = connectAs(issue("carl", Role::Dispatcher));
        QVERIFY(carl->waitSynchronised());
        QVERIFY(carl->mirror.call("crit"));
        QVERIFY(!carl->mirror.call("crit")->hasUnacknowledgedCritical());
        QCOMPARE(carl->mirror.call("crit")->criticalAlert.acknowledgedBy.name, QString("ana"));

        // A new flag re-opens it everywhere; the supervisor may acknowledge without taking over.
        QCOMPARE(m_host->flagCritical("crit", "no pulse", 5), CallStore::Result::Ok);
        for (Remote *r : {ana.get(), ben.get(), sam.get(), carl.get()})
            QTRY_VERIFY(r->mirror.call("crit")->hasUnacknowledgedCritical());
        sam->actions.acknowledgeCritical("crit");
        for (Remote *r : {ana.get(), ben.get(), sam.get(), carl.get()}) {
            QTRY_VERIFY(!r->mirror.call("crit")->hasUnacknowledgedCritical());
            QVERIFY(r->mirror.call("crit")->criticalAlert.acknowledgedBy ==
                    Actor::supervisor("sam"));
            QCOMPARE(r->mirror.call("crit")->criticalAlert.reason, QString("no pulse"));
        }
        QVERIFY(m_host->call("crit")->criticalAlert.acknowledgedBy == Actor::supervisor("sam"));
        QCOMPARE(m_host->call("crit")->answeredBy, QString("ana")); // no take-over needed
        QVERIFY(sam->refusals.isEmpty() && ana->refusals.isEmpty());
    }

    void revokedTokenIsClosedAndRefused()
    {
        const QByteArray token = issue("rita", Role::Dispatcher);
        auto rita = connectAs(token);
        QVERIFY(rita->waitSynchronised());
        TokenStore tokens(m_dir->filePath("tokens.json"));
        QVERIFY(tokens.revoke("rita").ok());
        // The open connection is closed within the hub's revalidation period (100 ms here).
        QTRY_COMPARE(rita->link.state(), remote::HostLink::State::Refused);
        QCOMPARE(rita->link.status().reason, remote::HostLinkReason::ClosedByHost);
        QVERIFY2(rita->link.status().detail.contains("revoked"),
                 qPrintable(rita->link.status().detail));
        // A new connection with it never gets in.
        auto again = connectAs(token);
        QSignalSpy states(&again->link, &remote::HostLink::stateChanged);
        const auto refusedAttempts = [&] {
            return std::count_if(states.cbegin(), states.cend(), [](const QList<QVariant> &s) {
                return s.at(0).value<remote::HostLink::State>() ==
                       remote::HostLink::State::Reconnecting;
            });
        };
        QTRY_VERIFY(refusedAttempts() >= 2); // two attempts answered, both refused
        QVERIFY(again->link.state() != remote::HostLink::State::Connected);
        QVERIFY(std::none_of(states.cbegin(), states.cend(), [](const QList<QVariant> &s) {
            return s.at(0).value<remote::HostLink::State>() == remote::HostLink::State::Connected;
        }));
        QVERIFY(again->view.you().name.isEmpty());
    }

    void pinnedCertificateIsTheOnlyOneTrusted()
    {
        startHost(true);
        const QByteArray token = issue("ana", Role::Dispatcher);
        auto pinned = connectAs(token, 0, m_server->tlsFingerprint());
        QVERIFY(pinned->waitSynchronised());
        auto unpinned = connectAs(token);
        QVERIFY(QTest::qWaitFor(
            [&] { return unpinned->link.state() == remote::HostLink::State::Refused; }, 5000));
        QCOMPARE(unpinned->link.status().reason, remote::HostLinkReason::CertificateUntrusted);
        QCOMPARE(unpinned->link.status().fingerprint, m_server->tlsFingerprint());
        auto wrong = connectAs(token, 0, QString(64, QLatin1Char('a')));
        QVERIFY(QTest::qWaitFor(
            [&] { return wrong->link.state() == remote::HostLink::State::Refused; }, 5000));
        QCOMPARE(wrong->link.status().reason, remote::HostLinkReason::PinMismatch);
    }

    // The pin used to be checked only when the usual validation failed: a certificate a CA
    // vouched for (here: the host's own, made a trusted CA) skipped it. With a pin, the
    // certificate must match it, trusted or not.
    void pinIsCheckedEvenWhenACaTrustsTheCertificate()
    {
        startHost(true);
        const QByteArray token = issue("ana", Role::Dispatcher);
        const auto hostCertificate =
            QSslCertificate::fromPath(m_dir->filePath("tls/server.crt"), QSsl::Pem);
        QCOMPARE(hostCertificate.size(), 1);
        const QSslConfiguration saved = QSslConfiguration::defaultConfiguration();
        QSslConfiguration trusting = saved;
        trusting.addCaCertificates(hostCertificate);
        QSslConfiguration::setDefaultConfiguration(trusting);
        const auto restore =
            qScopeGuard([&] { QSslConfiguration::setDefaultConfiguration(saved); });

        auto unpinned = connectAs(token); // trusted through the CA list
        QVERIFY(unpinned->waitSynchronised());
        auto wrong = connectAs(token, 0, QString(64, QLatin1Char('b')));
        QVERIFY(QTest::qWaitFor(
            [&] { return wrong->link.state() == remote::HostLink::State::Refused; }, 5000));
        QCOMPARE(wrong->link.status().reason, remote::HostLinkReason::PinMismatch);
        QVERIFY(wrong->view.you().name.isEmpty());
        auto pinned = connectAs(token, 0, m_server->tlsFingerprint());
        QVERIFY(pinned->waitSynchronised());
    }
};

QTEST_GUILESS_MAIN(TestRemoteConsole)
#include "tst_remoteconsole.moc"
