// The fake's fidelity, checked with a raw QWebSocket client (no LiveSession), so that the fake can
// catch client mistakes the real server would punish.

#include "fakeclientschema.h"
#include "fakegeminiserver.h"

#include <QEventLoop>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkRequest>
#include <QSignalSpy>
#include <QTest>
#include <QTimer>
#include <QWebSocket>

#include <memory>

using namespace dispatch::fakes;

class TestFakeGeminiServer : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void init();
    void cleanup();
    void rejections_data();
    void rejections();
    void snakeCaseClientIsAccepted();
    void keyInQueryAndV1alphaAccepted();
    void vertexOnlyFieldsFollowTheBackend();
    void wrongPathIsRefusedWithHttp404();
    void everyServerMessageIsBinary();
    void audioIsCountedAndExplicitActivityWorksWithoutVad();
    void faultOnOneConnectionAndLifetimeEndWithoutGoAway();

private:
    struct Client
    {
        std::unique_ptr<QWebSocket> socket;
        std::unique_ptr<QSignalSpy> binary;
        std::unique_ptr<QSignalSpy> text;
        std::unique_ptr<QSignalSpy> disconnected;
    };
    Client connectClient(const QString &path = {}, const QByteArray &headerKey = "test-key");
    static QJsonObject lastBinary(const Client &c);

    std::unique_ptr<FakeGeminiServer> m_server;
};

#ifndef Q_MOC_RUN

namespace {

const char *Setup =
    R"({"setup":{"model":"models/gemini-2.5-flash-native-audio-preview-12-2025","generationConfig":{"responseModalities":["AUDIO"]}}})";
const char *Path = "/ws/google.ai.generativelanguage.v1beta.GenerativeService.BidiGenerateContent";

} // namespace

void TestFakeGeminiServer::init()
{
    m_server = std::make_unique<FakeGeminiServer>();
    QVERIFY(m_server->listen());
}

void TestFakeGeminiServer::cleanup()
{
    m_server.reset();
}

TestFakeGeminiServer::Client TestFakeGeminiServer::connectClient(const QString &path,
                                                                 const QByteArray &headerKey)
{
    Client c;
    c.socket = std::make_unique<QWebSocket>();
    c.binary = std::make_unique<QSignalSpy>(c.socket.get(), &QWebSocket::binaryMessageReceived);
    c.text = std::make_unique<QSignalSpy>(c.socket.get(), &QWebSocket::textMessageReceived);
    c.disconnected = std::make_unique<QSignalSpy>(c.socket.get(), &QWebSocket::disconnected);
    QNetworkRequest request(QUrl(m_server->baseUrl().toString() + (path.isEmpty() ? Path : path)));
    if (!headerKey.isEmpty())
        request.setRawHeader("x-goog-api-key", headerKey);
    QEventLoop loop;
    connect(c.socket.get(), &QWebSocket::connected, &loop, &QEventLoop::quit);
    connect(c.socket.get(), &QWebSocket::disconnected, &loop, &QEventLoop::quit);
    QTimer::singleShot(5000, &loop, &QEventLoop::quit);
    c.socket->open(request);
    loop.exec();
    return c;
}

QJsonObject TestFakeGeminiServer::lastBinary(const Client &c)
{
    return QJsonDocument::fromJson(c.binary->last().first().toByteArray()).object();
}

void TestFakeGeminiServer::rejections_data()
{
    QTest::addColumn<QStringList>("messages");
    QTest::addColumn<int>("code");
    QTest::addColumn<QString>("reason");
    const QString invalid = "Request contains an invalid argument.";
    const QString setupNoVad =
        R"({"setup":{"model":"models/gemini-2.5-flash-native-audio-preview-12-2025","realtimeInputConfig":{"automaticActivityDetection":{"disabled":true}}}})";

    QTest::newRow("two modalities")
        << QStringList{R"({"setup":{"model":"models/gemini-2.5-flash-native-audio-preview-12-2025","generationConfig":{"responseModalities":["AUDIO","TEXT"]}}})"}
        << 1007
        // Exactly the truncated text the reference quotes from the real server (PY-ERR).
        << "At most one response modality can be specified in the setup request. To enable "
           "simultaneous transcription and audio output,";
    QTest::newRow("modalities at setup level")
        << QStringList{R"({"setup":{"model":"models/gemini-2.5-flash-native-audio-preview-12-2025","responseModalities":["AUDIO"]}})"}
        << 1007
        << "Invalid JSON payload received. Unknown name \"responseModalities\" at 'setup': "
           "Cannot find field.";
    QTest::newRow("misplaced transcription (snake_case)")
        << QStringList{R"({"setup":{"model":"models/gemini-2.5-flash-native-audio-preview-12-2025","generation_config":{"input_audio_transcription":{}}}})"}
        << 1007
        << "Invalid JSON payload received. Unknown name \"input_audio_transcription\" at "
           "'setup.generation_config': Cannot find field.";
    QTest::newRow("unknown top-level") << QStringList{R"({"hello":{}})"} << 1007
                                       << "Invalid JSON payload received. Unknown name \"hello\": "
                                          "Cannot find field.";
    QTest::newRow("transparent is Vertex-only")
        << QStringList{R"({"setup":{"model":"models/gemini-2.5-flash-native-audio-latest","sessionResumption":{"transparent":true}}})"}
        << 1007
        << "Invalid JSON payload received. Unknown name \"transparent\" at "
           "'setup.session_resumption': Cannot find field.";
    QTest::newRow("not json") << QStringList{"{setup"} << 1007
                              << "Invalid JSON payload received. Unexpected token.";
    QTest::newRow("first message not setup")
        << QStringList{R"({"realtimeInput":{"text":"hi"}})"} << 1007 << invalid;
    QTest::newRow("second setup") << QStringList{Setup, Setup} << 1007 << invalid;
    QTest::newRow("two fields in realtimeInput")
        << QStringList{Setup, R"({"realtimeInput":{"text":"hi","audioStreamEnd":true}})"} << 1007
        << invalid;
    QTest::newRow("two top-level keys")
        << QStringList{Setup, R"({"realtimeInput":{"text":"hi"},"toolResponse":{}})"} << 1007
        << "Invalid JSON payload received. Oneof field 'message_type' is already set. Cannot set "
           "'tool_response'";
    QTest::newRow("activityStart with automatic VAD")
        << QStringList{Setup, R"({"realtimeInput":{"activityStart":{}}})"} << 1007
        << "Explicit activity control is not supported when automatic activity detection is "
           "enabled";
    QTest::newRow("audioStreamEnd without VAD")
        << QStringList{setupNoVad, R"({"realtimeInput":{"audioStreamEnd":true}})"} << 1007
        << invalid;
    QTest::newRow("bad base64 audio")
        << QStringList{Setup,
                       R"({"realtimeInput":{"audio":{"mimeType":"audio/pcm;rate=16000","data":"***"}}})"}
        << 1007
        << "Invalid value at 'realtime_input.audio.data' (TYPE_BYTES), Base64 decoding failed";
    QTest::newRow("tool response for an unknown id")
        << QStringList{Setup,
                       R"({"toolResponse":{"functionResponses":[{"id":"nope","name":"x","response":{}}]}})"}
        << 1007 << invalid;
    QTest::newRow("model without prefix still validated")
        << QStringList{R"({"setup":{"model":"gemini-1.0-pro"}})"} << 1008
        << QString("models/gemini-1.0-pro is not found for API version v1beta, or is not "
                   "supported for bidiGenerateContent. Call ListModels to see the list of")
               .left(123);
}

void TestFakeGeminiServer::rejections()
{
    QFETCH(QStringList, messages);
    QFETCH(int, code);
    QFETCH(QString, reason);
    Client c = connectClient();
    QVERIFY(c.socket->state() == QAbstractSocket::ConnectedState);
    for (const QString &m : std::as_const(messages))
        c.socket->sendTextMessage(m);
    QTRY_COMPARE(c.disconnected->count(), 1);
    QCOMPARE(int(c.socket->closeCode()), code);
    QCOMPARE(c.socket->closeReason(), reason);
}

void TestFakeGeminiServer::snakeCaseClientIsAccepted()
{
    QSignalSpy setups(m_server.get(), &FakeGeminiServer::setupReceived);
    QSignalSpy turns(m_server.get(), &FakeGeminiServer::modelTurnCompleted);
    Client c = connectClient();
    // The Python SDK / cookbook shape (§0): snake_case everywhere.
    c.socket->sendTextMessage(
        R"({"setup":{"model":"models/gemini-live-2.5-flash-preview","generation_config":{"response_modalities":["TEXT"]},"output_audio_transcription":{},"session_resumption":{}}})");
    QTRY_COMPARE(c.binary->count(), 1);
    QCOMPARE(lastBinary(c), (QJsonObject{{"setupComplete", QJsonObject{}}}));
    const QJsonObject setup = setups.first().at(1).toJsonObject();
    QCOMPARE(setup["generationConfig"]["responseModalities"].toArray(), QJsonArray{"TEXT"});
    QVERIFY(setup.contains("outputAudioTranscription"));

    c.socket->sendTextMessage(
        R"({"client_content":{"turns":[{"role":"user","parts":[{"text":"hello"}]}],"turn_complete":true}})");
    QTRY_COMPARE(turns.count(), 1);
    // The turn ends with turnComplete, then a resumable handle.
    QTRY_VERIFY(
        lastBinary(c).value("sessionResumptionUpdate").toObject().value("resumable").toBool());
    // TEXT modality: text parts, no audio.
    bool sawText = false;
    for (const auto &args : std::as_const(*c.binary)) {
        const QJsonObject m = QJsonDocument::fromJson(args.first().toByteArray()).object();
        const QJsonArray parts = m["serverContent"]["modelTurn"]["parts"].toArray();
        for (const auto &p : parts) {
            QVERIFY(!p.toObject().contains("inlineData"));
            sawText |= p.toObject().contains("text");
        }
    }
    QVERIFY(sawText);
}

void TestFakeGeminiServer::vertexOnlyFieldsFollowTheBackend()
{
    // sessionResumption.transparent exists only on Vertex; audioStreamEnd only off it (§1.2).
    const QJsonObject transparent{
        {"setup",
         QJsonObject{{"model", "x"}, {"sessionResumption", QJsonObject{{"transparent", true}}}}}};
    const auto developer = normalizeClientMessage(transparent, FakeApiVersion::V1beta);
    QVERIFY(!developer.ok());
    QVERIFY2(developer.error().message.contains("Unknown name \"transparent\""),
             qPrintable(developer.error().message));
    QVERIFY(normalizeClientMessage(transparent, FakeApiVersion::VertexV1beta1).ok());
    const QJsonObject end{{"realtimeInput", QJsonObject{{"audioStreamEnd", true}}}};
    QVERIFY(normalizeClientMessage(end, FakeApiVersion::V1beta).ok());
    QVERIFY(!normalizeClientMessage(end, FakeApiVersion::VertexV1beta1).ok());
}

void TestFakeGeminiServer::keyInQueryAndV1alphaAccepted()
{
    Client c = connectClient(
        "/ws/"
        "google.ai.generativelanguage.v1alpha.GenerativeService.BidiGenerateContent?key=test-key",
        {});
    QVERIFY(m_server->lastUpgrade().keyInQuery);
    QVERIFY(!m_server->lastUpgrade().keyInHeader);
    c.socket->sendTextMessage(
        R"({"setup":{"model":"models/gemini-2.5-flash-native-audio-latest","proactivity":{"proactive_audio":true}}})");
    QTRY_COMPARE(c.binary->count(), 1);
    QVERIFY(lastBinary(c).contains("setupComplete"));
}

void TestFakeGeminiServer::wrongPathIsRefusedWithHttp404()
{
    QSignalSpy refused(m_server.get(), &FakeGeminiServer::upgradeRefused);
    Client c = connectClient("/ws/google.ai.generativelanguage.v1beta.GenerativeService."
                             "BidiGenerateContentConstrained");
    QTRY_COMPARE(refused.count(), 1);
    QCOMPARE(refused.first().first().toInt(), 404);
    QVERIFY(c.socket->state() != QAbstractSocket::ConnectedState);
}

void TestFakeGeminiServer::everyServerMessageIsBinary()
{
    QSignalSpy turns(m_server.get(), &FakeGeminiServer::modelTurnCompleted);
    Client c = connectClient();
    c.socket->sendTextMessage(Setup);
    c.socket->sendTextMessage(R"({"realtimeInput":{"text":"is anyone there"}})");
    QTRY_COMPARE(turns.count(), 1);
    QTRY_VERIFY(c.binary->count() > 5);
    QCOMPARE(c.text->count(), 0);
}

void TestFakeGeminiServer::audioIsCountedAndExplicitActivityWorksWithoutVad()
{
    QSignalSpy userTurns(m_server.get(), &FakeGeminiServer::userTurnEnded);
    QSignalSpy audio(m_server.get(), &FakeGeminiServer::audioReceived);
    Client c = connectClient();
    c.socket->sendTextMessage(
        R"({"setup":{"model":"models/gemini-2.5-flash-native-audio-preview-12-2025","realtime_input_config":{"automatic_activity_detection":{"disabled":true}}}})");
    QTRY_COMPARE(c.binary->count(), 1);
    const QByteArray pcm(3200, '\x10');
    c.socket->sendTextMessage(R"({"realtimeInput":{"activityStart":{}}})");
    c.socket->sendTextMessage(
        QString(R"({"realtimeInput":{"audio":{"mimeType":"audio/pcm;rate=16000","data":"%1"}}})")
            .arg(QString::fromLatin1(pcm.toBase64())));
    c.socket->sendTextMessage(
        QString(R"({"realtime_input":{"media_chunks":[{"mime_type":"audio/pcm","data":"%1"}]}})")
            .arg(QString::fromLatin1(pcm.toBase64())));
    c.socket->sendTextMessage(R"({"realtimeInput":{"activityEnd":{}}})");
    QTRY_COMPARE(userTurns.count(), 1);
    QCOMPARE(audio.count(), 2);
    QCOMPARE(m_server->totalAudioBytes(), 6400);
    QCOMPARE(m_server->audioBytes(1), 6400);
}

#endif // Q_MOC_RUN

void TestFakeGeminiServer::faultOnOneConnectionAndLifetimeEndWithoutGoAway()
{
    QSignalSpy closed(m_server.get(), &FakeGeminiServer::connectionClosed);
    QSignalSpy samples(m_server.get(), &FakeGeminiServer::audioDataReceived);
    Client a = connectClient();
    Client b = connectClient();
    QVERIFY(a.socket->isValid() && b.socket->isValid());
    a.socket->sendTextMessage(QString::fromLatin1(Setup));
    b.socket->sendTextMessage(QString::fromLatin1(Setup));
    QTRY_COMPARE(a.binary->count(), 1); // setupComplete
    QTRY_COMPARE(b.binary->count(), 1);

    // The decoded samples of each audio message, with the connection they came on.
    const QByteArray pcm("\x01\x02\x03\x04", 4);
    a.socket->sendTextMessage(
        QStringLiteral(
            R"({"realtimeInput":{"audio":{"mimeType":"audio/pcm;rate=16000","data":"%1"}}})")
            .arg(QString::fromLatin1(pcm.toBase64())));
    QTRY_COMPARE(samples.count(), 1);
    QCOMPARE(samples.first().at(1).toByteArray(), pcm);

    // RESOURCE_EXHAUSTED on the first connection only.
    QVERIFY(m_server->injectOn(1, FakeFault::ResourceExhausted));
    QTRY_COMPARE(closed.count(), 1);
    QCOMPARE(closed.first().at(0).toInt(), 1);
    QCOMPARE(closed.first().at(1).toInt(), 1011);
    QCOMPARE(closed.first().at(2).toString(),
             QString("Resource has been exhausted (e.g. check quota)."));
    QVERIFY(!m_server->injectOn(1, FakeFault::InternalError)); // no longer open
    QVERIFY(b.socket->isValid());

    // A lifetime end with no goAway first: 1000 "The operation was cancelled."
    m_server->config().connectionLifetimeMs = 50;
    m_server->config().goAwayBeforeLifetimeEnd = false;
    Client c = connectClient();
    c.socket->sendTextMessage(QString::fromLatin1(Setup));
    QTRY_COMPARE(closed.count(), 2);
    QCOMPARE(closed.last().at(1).toInt(), 1000);
    QCOMPARE(closed.last().at(2).toString(), QString("The operation was cancelled."));
    for (const auto &message : std::as_const(*c.binary))
        QVERIFY(
            !QJsonDocument::fromJson(message.first().toByteArray()).object().contains("goAway"));
}

QTEST_GUILESS_MAIN(TestFakeGeminiServer)
#include "tst_fakegeminiserver.moc"
