// The model list of a process (--gemini-model a,b) against the faithful fake: a model the
// service does not find, or whose setup it rejects, is left for the next one, for the following
// attempts of the session and for new calls; a shut-down model never connects.
#include "fakegeminiserver.h"
#include "faketokenendpoint.h"
#include "fastliveconfig.h"
#include "scriptedbackend.h"
#include "triage/geminitriagebackend.h"
#include "triage/sessionsupervisor.h"
#include "triage/triagerouter.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>

#include <memory>

using namespace dispatch;
using namespace dispatch::gemini;
using namespace dispatch::fakes;

class TestModelFallback : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();

    void notFoundModelFallsBackToTheNext();
    void rejectedSetupFallsBackToTheNext();
    void lastModelRefusedFails();
    void shutDownModelNeverConnects();
    void everyModelShutDownNeverConnects();
    void modelRetiredMidDeploymentAtRouterLevel_data();
    void modelRetiredMidDeploymentAtRouterLevel();

private:
    SupervisorConfig configFor() const;

    std::unique_ptr<FakeGeminiServer> m_server;
};

namespace {

const QString Live38 = QStringLiteral("gemini-3.8-live");
const QString Live31 = QStringLiteral("gemini-3.1-flash-live-preview");

QString modelOf(const QSignalSpy &setups, int i)
{
    return setups.at(i).at(1).toJsonObject().value("model").toString();
}

} // namespace

SupervisorConfig TestModelFallback::configFor() const
{
    SupervisorConfig c;
    static_cast<LiveSupervisorConfig &>(c) = test::fastLiveConfig(m_server->baseUrl());
    return c;
}

void TestModelFallback::init()
{
    m_server = std::make_unique<FakeGeminiServer>();
    QVERIFY(m_server->listen());
}

void TestModelFallback::cleanup()
{
    m_server.reset();
}

void TestModelFallback::notFoundModelFallsBackToTheNext()
{
    // This key's project does not have 3.8: 1008 "models/gemini-3.8-live is not found ...".
    m_server->config().models.removeAll(Live38);
    SupervisorConfig c = configFor();
    c.models = std::make_shared<ModelChoice>(QStringList{Live38, Live31});
    QSignalSpy setups(m_server.get(), &FakeGeminiServer::setupReceived);

    QTest::ignoreMessage(QtWarningMsg, "model gemini-3.8-live refused ( model_not_found ): trying "
                                       "gemini-3.1-flash-live-preview");
    QTest::ignoreMessage(QtInfoMsg,
                         "model gemini-3.1-flash-live-preview (gemini-3.8-live: model not found)");
    SessionSupervisor first(c);
    QSignalSpy failed(&first, &SessionSupervisor::failed);
    first.start(MediaBacklog());
    QTRY_COMPARE(first.state(), SessionSupervisor::State::Live);
    QCOMPARE(setups.count(), 2);
    QCOMPARE(modelOf(setups, 0), "models/" + Live38);
    QCOMPARE(modelOf(setups, 1), "models/" + Live31);
    // The second setup is built for 3.1 from the table: blocking tools (no `behavior`).
    const QJsonObject setup31 = setups.at(1).at(1).toJsonObject();
    for (const QJsonValue &d : setup31["tools"][0]["functionDeclarations"].toArray())
        QVERIFY(!d.toObject().contains("behavior"));
    QCOMPARE(failed.count(), 0);
    QCOMPARE(c.models->current(), Live31);
    QCOMPARE(c.models->confirmed(), Live31);
    QCOMPARE(c.models->reasonCode(), "fallback");
    QCOMPARE(c.models->skipped().size(), 1);
    QCOMPARE(c.models->skipped().first().reason, "model_not_found");

    // A new call goes to 3.1 at once, and the choice is not logged again.
    SessionSupervisor second(c);
    second.start(MediaBacklog());
    QTRY_COMPARE(second.state(), SessionSupervisor::State::Live);
    QCOMPARE(setups.count(), 3);
    QCOMPARE(modelOf(setups, 2), "models/" + Live31);
    QCOMPARE(second.stats().failedAttempts, 0);
}

void TestModelFallback::rejectedSetupFallsBackToTheNext()
{
    // TEXT reports on a native-audio model: 1007 "Cannot extract voices from a non-audio
    // request." at setup. The next model of the list accepts TEXT.
    const QString textModel = QStringLiteral("gemini-text-live-test");
    m_server->config().models.append(textModel);
    SupervisorConfig c = configFor();
    c.triage.textReports = true;
    c.models = std::make_shared<ModelChoice>(
        QStringList{QStringLiteral("gemini-2.5-flash-native-audio-preview-12-2025"), textModel});
    QSignalSpy setups(m_server.get(), &FakeGeminiServer::setupReceived);
    SessionSupervisor s(c);
    s.start(MediaBacklog());
    QTRY_COMPARE(s.state(), SessionSupervisor::State::Live);
    QCOMPARE(setups.count(), 2);
    QCOMPARE(modelOf(setups, 1), "models/" + textModel);
    QCOMPARE(c.models->skipped().first().reason, "bad_request");
}

void TestModelFallback::lastModelRefusedFails()
{
    m_server->config().models.removeAll(Live38);
    SupervisorConfig c = configFor();
    c.models = std::make_shared<ModelChoice>(QStringList{Live38});
    SessionSupervisor s(c);
    QSignalSpy failed(&s, &SessionSupervisor::failed);
    s.start(MediaBacklog());
    QTRY_COMPARE(failed.count(), 1);
    const auto cls = failed.first().first().value<CloseClassification>();
    QCOMPARE(toString(cls.category), "modelNotFound");
    QCOMPARE(m_server->connectionCount(), 1); // final: no retry
    QCOMPARE(c.models->current(), Live38);    // kept: the next call tries it again
}

void TestModelFallback::shutDownModelNeverConnects()
{
    SupervisorConfig c = configFor();
    c.triage.model = QStringLiteral("gemini-2.0-flash-live-001");
    SessionSupervisor s(c);
    QSignalSpy causes(&s.live(), &LiveSupervisor::stateChanged);
    QSignalSpy failed(&s, &SessionSupervisor::failed);
    s.start(MediaBacklog());
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(toString(failed.first().first().value<CloseClassification>().category),
             "modelNotFound");
    QCOMPARE(failed.first().at(1).toString(),
             "model gemini-2.0-flash-live-001 was shut down on 2025-12-09");
    QCOMPARE(causes.constLast().at(1).value<LiveSupervisor::Cause>(),
             LiveSupervisor::Cause::ModelShutDown);
    QCOMPARE(LiveSupervisor::code(LiveSupervisor::Cause::ModelShutDown), "model_shut_down");
    QCOMPARE(m_server->connectionCount(), 0);
}

void TestModelFallback::everyModelShutDownNeverConnects()
{
    QTest::ignoreMessage(QtWarningMsg, "model gemini-live-2.5-flash-preview skipped: shut down "
                                       "on 2025-12-09");
    SupervisorConfig c = configFor();
    c.models = std::make_shared<ModelChoice>(QStringList{"gemini-live-2.5-flash-preview"});
    SessionSupervisor s(c);
    QSignalSpy failed(&s, &SessionSupervisor::failed);
    s.start(MediaBacklog());
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(failed.first().at(1).toString(),
             "every configured model is shut down: gemini-live-2.5-flash-preview");
    QCOMPARE(m_server->connectionCount(), 0);
}

void TestModelFallback::modelRetiredMidDeploymentAtRouterLevel_data()
{
    QTest::addColumn<bool>("vertex");
    QTest::newRow("gemini api") << false;
    QTest::newRow("vertex") << true;
}

// Several calls live on the first model when the service retires it: every session moves to the
// next configured model (a handle of the retired model is not tried on the new one), new calls
// start there, nobody fails over to local triage and the router's breaker stays closed.
void TestModelFallback::modelRetiredMidDeploymentAtRouterLevel()
{
    QFETCH(bool, vertex);
    const LiveBackend backend = vertex ? LiveBackend::Vertex : LiveBackend::GeminiApi;
    const QString next = vertex ? QStringLiteral("gemini-live-2.5-flash-native-audio") : Live31;
    m_server->config().resumptionUpdateIntervalMs = 20; // the live calls hold 3.8 handles
    SupervisorConfig c = configFor();
    c.reconnect.maxAttempts = 6;
    std::unique_ptr<FakeTokenEndpoint> endpoint;
    if (vertex) {
        const FakeServiceAccountKey key = generateFakeServiceAccountKey();
        FakeTokenEndpointConfig tc;
        tc.publicKeyPem = key.publicKeyPem;
        endpoint = std::make_unique<FakeTokenEndpoint>(tc);
        QVERIFY(endpoint->listen());
        connect(endpoint.get(), &FakeTokenEndpoint::tokenIssued, m_server.get(),
                [this](const QString &token) { m_server->acceptBearerToken(token); });
        const auto account = parseServiceAccount(
            fakeServiceAccountJson(key, endpoint->tokenUri(), QStringLiteral("test-project")));
        QVERIFY(account.ok());
        AccessTokenConfig t;
        t.account = account.value();
        c.tokens = std::make_shared<AccessTokenProvider>(t);
        c.connection.apiKey.clear();
        c.connection.backend = LiveBackend::Vertex;
        c.connection.apiVersion = LiveSession::defaultApiVersion(LiveBackend::Vertex);
        c.connection.vertexProject = QStringLiteral("test-project");
        c.connection.vertexLocation = QStringLiteral("us-central1");
        c.triage.backend = LiveBackend::Vertex;
    }
    c.models = std::make_shared<ModelChoice>(QStringList{Live38, next}, backend);
    GeminiTriageBackend gemini(c);
    test::ScriptedBackend local(TriageSource::Local);
    TriageRouterConfig rc;
    rc.maxPrimarySessions = 4;
    TriageRouter router(rc, gemini, local);
    QSignalSpy failedOver(&router, &TriageRouter::failedOver);
    QSignalSpy setups(m_server.get(), &FakeGeminiServer::setupReceived);
    const auto live = [&gemini](const QString &id) {
        const SessionSupervisor *s = gemini.supervisor(id);
        return s && s->state() == SessionSupervisor::State::Live;
    };

    router.startCall(QStringLiteral("c1"), MediaBacklog());
    router.startCall(QStringLiteral("c2"), MediaBacklog());
    QTRY_VERIFY(live("c1") && live("c2"));
    QTRY_VERIFY(!gemini.supervisor("c1")->resumptionHandle().isEmpty() &&
                !gemini.supervisor("c2")->resumptionHandle().isEmpty());
    QCOMPARE(setups.count(), 2);

    // Retired mid-deployment: setups naming it now close 1008, and the connections drop.
    (vertex ? m_server->config().vertexModels : m_server->config().models).removeAll(Live38);
    m_server->injectNow(FakeFault::AbruptDrop);
    QTRY_COMPARE(c.models->current(), next);
    QTRY_VERIFY(live("c1") && live("c2"));
    router.startCall(QStringLiteral("c3"), MediaBacklog());
    QTRY_VERIFY(live("c3"));

    QCOMPARE(failedOver.count(), 0);
    QVERIFY(!router.isBreakerOpen());
    QCOMPARE(router.primaryInUse(), 3);
    QCOMPARE(c.models->confirmed(), next);
    // No storm: after the drop each live call tried the retired model at most once, and every
    // later setup named the next model as a fresh session.
    int retiredTries = 0;
    for (qsizetype i = 2; i < setups.count(); ++i) {
        const QJsonObject setup = setups.at(i).at(1).toJsonObject();
        const QString model = setup.value("model").toString();
        if (model.endsWith("/" + Live38)) {
            ++retiredTries;
            continue;
        }
        QVERIFY2(model.endsWith("/" + next), qPrintable(model));
        QVERIFY(setup["sessionResumption"]["handle"].toString().isEmpty());
    }
    QVERIFY(retiredTries >= 1 && retiredTries <= 2);
    QCOMPARE(setups.count(), 2 + retiredTries + 3);

    for (const QString id : {"c1", "c2", "c3"})
        router.endCall(id);
}

QTEST_GUILESS_MAIN(TestModelFallback)
#include "tst_modelfallback.moc"
