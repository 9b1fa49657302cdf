// A Live session on Vertex AI against the fake: an access token from the fake token endpoint,
// the bearer token on the upgrade (401 without it), the regional path and model resource name,
// transparent resumption replaying exactly the audio after lastConsumedClientMessageIndex, and
// a model retired mid-deployment failing over to the next one.
#include "fakegeminiserver.h"
#include "faketokenendpoint.h"
#include "fastliveconfig.h"
#include "gemini/livesupervisor.h"
#include "testaudio.h"

#include <QJsonArray>
#include <QSignalSpy>
#include <QTest>
#include <QtEndian>

#include <memory>

using namespace dispatch;
using namespace dispatch::gemini;
using namespace dispatch::fakes;

namespace {

using State = LiveSupervisor::State;
using Cause = LiveSupervisor::Cause;

const QString Model = QStringLiteral("gemini-live-2.5-flash-native-audio");
using test::ChunkBytes;
using test::numberedChunk;

// A phone: a numbered chunk every `everyMs` of wall time; keeps what it sent.
class Phone : public QObject
{
public:
    Phone(LiveSupervisor &target, int everyMs)
        : m_target(target)
    {
        QObject::connect(&m_timer, &QTimer::timeout, this, [this] {
            const QByteArray pcm = numberedChunk(m_chunks++);
            m_sent += pcm;
            m_target.addAudio(pcm);
        });
        m_timer.start(everyMs);
    }
    void stop() { m_timer.stop(); }
    const QByteArray &sent() const { return m_sent; }

private:
    LiveSupervisor &m_target;
    QTimer m_timer;
    int m_chunks = 0;
    QByteArray m_sent;
};

} // namespace

class TestVertexSession : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void initTestCase();
    void init();
    void cleanup();

    void goesLiveWithABearerTokenOnTheRegionalPath();
    void anUpgradeWithoutAValidTokenIsRefused();
    void aRefusedAccountFailsWithoutConnecting();
    void aDropResumesFromTheConsumedIndexExactly();
    void aGoAwayHandOverReplaysFromTheConsumedIndexExactly();
    void aRetiredModelFailsOverToTheNext();
    void aTokenRevokedMidLifeIsRefreshedOnce();

private:
    LiveSupervisorConfig config() const;
    std::unique_ptr<LiveSupervisor> supervisor(const LiveSupervisorConfig &config) const;

    FakeServiceAccountKey m_key;
    std::unique_ptr<FakeGeminiServer> m_server;
    std::unique_ptr<FakeTokenEndpoint> m_endpoint;
    std::shared_ptr<AccessTokenProvider> m_tokens;
};

void TestVertexSession::initTestCase()
{
    m_key = generateFakeServiceAccountKey();
    QVERIFY(!m_key.publicKeyPem.isEmpty());
}

void TestVertexSession::init()
{
    m_server = std::make_unique<FakeGeminiServer>();
    QVERIFY(m_server->listen());
    FakeTokenEndpointConfig c;
    c.publicKeyPem = m_key.publicKeyPem;
    m_endpoint = std::make_unique<FakeTokenEndpoint>(c);
    QVERIFY(m_endpoint->listen());
    // What Google's token endpoint issues, Vertex accepts.
    connect(m_endpoint.get(), &FakeTokenEndpoint::tokenIssued, m_server.get(),
            [this](const QString &token) { m_server->acceptBearerToken(token); });
    const auto account =
        parseServiceAccount(fakeServiceAccountJson(m_key, m_endpoint->tokenUri(), "test-project"));
    QVERIFY(account.ok());
    AccessTokenConfig t;
    t.account = account.value();
    t.retry.initialDelayMs = 20;
    t.retry.maxDelayMs = 80;
    t.random = [] { return 0.5; };
    m_tokens = std::make_shared<AccessTokenProvider>(t);
}

void TestVertexSession::cleanup()
{
    m_tokens.reset();
    m_endpoint.reset();
    m_server.reset();
}

LiveSupervisorConfig TestVertexSession::config() const
{
    LiveSupervisorConfig c = test::fastLiveConfig(m_server->baseUrl());
    c.connection.apiKey.clear();
    c.connection.backend = LiveBackend::Vertex;
    c.connection.apiVersion = LiveSession::defaultApiVersion(LiveBackend::Vertex);
    c.connection.vertexProject = QStringLiteral("test-project");
    c.connection.vertexLocation = QStringLiteral("us-central1");
    c.tokens = m_tokens;
    return c;
}

std::unique_ptr<LiveSupervisor>
TestVertexSession::supervisor(const LiveSupervisorConfig &config) const
{
    const auto build = [](const QString &) {
        LiveSetup setup;
        setup.model = Model;
        setup.systemInstruction = QStringLiteral("Listen.");
        return setup;
    };
    return std::make_unique<LiveSupervisor>(config, build, ToolRegistry{});
}

void TestVertexSession::goesLiveWithABearerTokenOnTheRegionalPath()
{
    QSignalSpy setups(m_server.get(), &FakeGeminiServer::setupReceived);
    QSignalSpy kinds(m_server.get(), &FakeGeminiServer::clientMessageReceived);
    auto s = supervisor(config());
    s->start({numberedChunk(0)});
    QCOMPARE(m_server->connectionCount(), 0); // no connection before the token
    QTRY_COMPARE(s->state(), State::Live);
    QCOMPARE(m_endpoint->issued(), 1);
    const FakeUpgradeRequest upgrade = m_server->lastUpgrade();
    QVERIFY(upgrade.vertex);
    QCOMPARE(upgrade.path, QStringLiteral("/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/"
                                          "BidiGenerateContent"));
    QCOMPARE(upgrade.authorizationScheme, QStringLiteral("Bearer"));
    QVERIFY(!upgrade.keyInHeader && !upgrade.keyInQuery);
    QCOMPARE(setups.count(), 1);
    const QJsonObject setup = setups.first().at(1).toJsonObject();
    QCOMPARE(setup["model"].toString(),
             "projects/test-project/locations/us-central1/publishers/google/models/" + Model);
    QCOMPARE(setup["sessionResumption"].toObject()["transparent"].toBool(), true);
    QTRY_COMPARE(m_server->audioBytes(1), ChunkBytes);
    s->finish();
    QTRY_COMPARE(s->state(), State::Finished);
    for (const auto &args : kinds) // audioStreamEnd is Developer-API-only: the fake closes 1007
        QVERIFY(args.at(1).toString() != QLatin1String("audioStreamEnd"));
}

void TestVertexSession::anUpgradeWithoutAValidTokenIsRefused()
{
    // The endpoint issues tokens, but the service does not take them (revoked, wrong project).
    disconnect(m_endpoint.get(), nullptr, m_server.get(), nullptr);
    QSignalSpy refused(m_server.get(), &FakeGeminiServer::upgradeRefused);
    auto s = supervisor(config());
    QSignalSpy failed(s.get(), &LiveSupervisor::failed);
    s->start();
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(refused.first().at(0).toInt(), 401);
    const auto c = failed.first().at(0).value<CloseClassification>();
    QCOMPARE(toString(c.kind), toString(CloseKind::Final));
    QCOMPARE(toString(c.category), QStringLiteral("credentials"));
    QCOMPARE(m_server->connectionCount(), 0);
    // One forced refresh and one retry, then final: the fresh token was refused too.
    QCOMPARE(refused.count(), 2);
    QCOMPARE(m_endpoint->issued(), 2);
}

void TestVertexSession::aRefusedAccountFailsWithoutConnecting()
{
    m_endpoint->failNext(400, 100); // invalid_grant
    auto s = supervisor(config());
    QSignalSpy failed(s.get(), &LiveSupervisor::failed);
    QSignalSpy states(s.get(), &LiveSupervisor::stateChanged);
    s->start();
    QTRY_COMPARE(failed.count(), 1);
    QCOMPARE(toString(failed.first().at(0).value<CloseClassification>().category),
             QStringLiteral("credentials"));
    QCOMPARE(states.constLast().at(1).value<Cause>(), Cause::FinalClose);
    QCOMPARE(m_server->connectionCount(), 0);
    // A second session does not wait while the refusal stands: it fails at once.
    auto again = supervisor(config());
    QSignalSpy failedAgain(again.get(), &LiveSupervisor::failed);
    again->start();
    QTRY_COMPARE(failedAgain.count(), 1);
    QCOMPARE(m_server->connectionCount(), 0);
}

void TestVertexSession::aDropResumesFromTheConsumedIndexExactly()
{
    m_server->config().resumptionUpdateIntervalMs = 40;
    QSignalSpy resumed(m_server.get(), &FakeGeminiServer::sessionResumed);
    auto s = supervisor(config());
    s->start();
    Phone phone(*s, 5);
    QTRY_COMPARE(s->state(), State::Live);
    QTRY_VERIFY(m_server->totalAudioBytes() > 2 * 32000);
    QTRY_VERIFY(!s->resumptionHandle().isEmpty());
    // Drop while audio received after the newest update is not in the state its handle covers
    // (no event is processed between the check and the drop).
    QTRY_VERIFY(m_server->audioBytes(1) > 3 * 32000 &&
                m_server->audioBytes(1) > m_server->consumedAudioBytes(1));
    m_server->injectNow(FakeFault::AbruptDrop);
    QTRY_COMPARE(s->state(), State::Resuming);
    QTRY_COMPARE(s->state(), State::Live);
    QCOMPARE(resumed.count(), 1);
    const int second = resumed.first().at(0).toInt();
    QTRY_VERIFY(m_server->audioBytes(second) > 32000);
    phone.stop();
    // The state of the resumed session holds exactly what the phone sent: what the handle
    // covered (up to the consumed index), then the replay and the live audio, no duplicate and
    // no gap.
    QTRY_COMPARE(m_server->sessionAudio(second).size(), phone.sent().size());
    QVERIFY(m_server->sessionAudio(second) == phone.sent());
    QCOMPARE(s->stats().resumes, 1);
    // The replay included audio the first connection had received but not consumed.
    QVERIFY(s->stats().duplicateBytes > 0);
    QVERIFY(s->stats().replayedBytes >= s->stats().duplicateBytes);
}

void TestVertexSession::aGoAwayHandOverReplaysFromTheConsumedIndexExactly()
{
    // Connections live 400 ms, then goAway with 300 ms left: make-before-break, twice.
    m_server->config().connectionLifetimeMs = 400;
    m_server->config().goAwayTimeLeftMs = 300;
    m_server->config().resumptionUpdateIntervalMs = 40;
    QSignalSpy resumed(m_server.get(), &FakeGeminiServer::sessionResumed);
    auto s = supervisor(config());
    QSignalSpy failed(s.get(), &LiveSupervisor::failed);
    s->start();
    Phone phone(*s, 5);
    QTRY_VERIFY_WITH_TIMEOUT(s->stats().handovers >= 2, 20000);
    phone.stop();
    const int last = resumed.constLast().at(0).toInt();
    QTRY_COMPARE(m_server->sessionAudio(last).size(), phone.sent().size());
    QVERIFY(m_server->sessionAudio(last) == phone.sent());
    QCOMPARE(failed.count(), 0);
}

void TestVertexSession::aRetiredModelFailsOverToTheNext()
{
    // gemini-3.8-live is configured first but the service retired it: 1008 "not found".
    m_server->config().vertexModels.removeAll(QStringLiteral("gemini-3.8-live"));
    LiveSupervisorConfig c = config();
    c.models = std::make_shared<ModelChoice>(QStringList{QStringLiteral("gemini-3.8-live"), Model},
                                             LiveBackend::Vertex);
    QSignalSpy closed(m_server.get(), &FakeGeminiServer::connectionClosed);
    auto s = supervisor(c);
    QSignalSpy failed(s.get(), &LiveSupervisor::failed);
    s->start({numberedChunk(0)});
    QTRY_COMPARE(s->state(), State::Live);
    QCOMPARE(failed.count(), 0);
    QCOMPARE(closed.first().at(1).toInt(), 1008);
    QCOMPARE(c.models->current(), Model);
    QCOMPARE(c.models->confirmed(), Model);
    QCOMPARE(m_server->connectionCount(), 2);
    QTRY_COMPARE(m_server->audioBytes(2), ChunkBytes); // everything held went to the new model
    // A new call does not try the retired model again.
    auto next = supervisor(c);
    next->start();
    QTRY_COMPARE(next->state(), State::Live);
    QCOMPARE(m_server->connectionCount(), 3);
}

// The service revokes the access token while the provider still thinks it valid: the next
// upgrade is refused (401). That forces one refresh and one retry with the fresh token, which the
// service takes: the session resumes instead of failing with a credentials error.
void TestVertexSession::aTokenRevokedMidLifeIsRefreshedOnce()
{
    m_server->config().resumptionUpdateIntervalMs = 20;
    QSignalSpy refused(m_server.get(), &FakeGeminiServer::upgradeRefused);
    auto s = supervisor(config());
    QSignalSpy failed(s.get(), &LiveSupervisor::failed);
    s->start({numberedChunk(0)});
    QTRY_COMPARE(s->state(), State::Live);
    QCOMPARE(m_endpoint->issued(), 1);
    const QString revoked = m_tokens->token();
    QVERIFY(!revoked.isEmpty());

    m_server->revokeBearerTokens(); // Vertex no longer takes it; the provider does not know
    m_server->injectOn(1, FakeFault::AbruptDrop);
    QTRY_COMPARE(s->stats().resumes, 1);
    QCOMPARE(s->state(), State::Live);
    QCOMPARE(refused.count(), 1);
    QCOMPARE(refused.first().at(0).toInt(), 401);
    QCOMPARE(m_endpoint->issued(), 2);
    QVERIFY(m_tokens->token() != revoked);
    QVERIFY(failed.isEmpty());
    QCOMPARE(m_server->lastUpgrade().authorized, true);

    // Revoked again later in the session: one more refresh is allowed (a connection went live
    // in between), not a loop.
    m_server->revokeBearerTokens();
    m_server->injectNow(FakeFault::AbruptDrop);
    QTRY_COMPARE(s->stats().resumes, 2);
    QCOMPARE(refused.count(), 2);
    QCOMPARE(m_endpoint->issued(), 3);
    QVERIFY(failed.isEmpty());
}

QTEST_GUILESS_MAIN(TestVertexSession)
#include "tst_vertexsession.moc"
