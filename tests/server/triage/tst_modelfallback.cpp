// The model list of a process (--gemini-model a,b) against the faithful fake: a model the
// service does not find, or whose setup it rejects, is left for the next one, for the following
// attempts of the session and for new calls; a shut-down model never connects.
#include "fakegeminiserver.h"
#include "fastliveconfig.h"
#include "triage/sessionsupervisor.h"

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

QTEST_GUILESS_MAIN(TestModelFallback)
#include "tst_modelfallback.moc"
