#pragma once

#include <QHash>
#include <QHostAddress>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QSet>
#include <QStringList>
#include <QUrl>

#include <optional>

QT_BEGIN_NAMESPACE
class QTcpServer;
class QTcpSocket;
class QWebSocketServer;
QT_END_NAMESPACE

namespace dispatch::fakes {

class FakeGeminiConnection;

struct FakeToolCall
{
    QString name;
    QJsonObject args;
};

// Failures the fake can produce (reference §6 and "What a faithful fake server must do" item 11).
enum class FakeFault
{
    InternalError,    // 1011 "Internal error encountered."
    QuotaExceeded,    // 1011 "You exceeded your current quota, ..."
    NotImplemented,   // 1008 "Operation is not implemented, or supported, or enabled."
    BadApiKey,        // 1007 "API key not valid. Please pass a valid API key."
    AbruptDrop,       // TCP abort without a close frame: the client sees 1006
    ResourceExhausted // 1011 "Resource has been exhausted (e.g. check quota)." (RESOURCE_EXHAUSTED)
};

struct FakeGeminiConfig
{
    QString expectedApiKey = QStringLiteral("test-key"); // empty: any key (or none) is accepted
    // A setup naming any other model closes 1008 "models/<x> is not found for API version
    // v1beta, or is not supported for bidiGenerateContent" (§6): remove a model from this list
    // to have it refused. The half-cascade gemini-live-2.5-flash-preview (shut down 2025-12-09)
    // stays for tests of the TEXT path, which the console refuses before connecting.
    QStringList models{QStringLiteral("gemini-3.8-live"),
                       QStringLiteral("gemini-3.8-live-extended-thinking"),
                       QStringLiteral("gemini-2.5-flash-native-audio-preview-12-2025"),
                       QStringLiteral("gemini-2.5-flash-native-audio-preview-09-2025"),
                       QStringLiteral("gemini-2.5-flash-native-audio-latest"),
                       QStringLiteral("gemini-3.1-flash-live-preview"),
                       QStringLiteral("gemini-live-2.5-flash-preview")};
    // Vertex AI (/ws/google.cloud.aiplatform.v1beta1.LlmBidiService/BidiGenerateContent): the
    // models found under projects/P/locations/L/publishers/google/models/<id>.
    QStringList vertexModels{QStringLiteral("gemini-live-2.5-flash-native-audio"),
                             QStringLiteral("gemini-3.8-live")};
    // ["TEXT"] on these closes 1007 "Cannot extract voices from a non-audio request." (§8).
    QStringList nativeAudioModels{QStringLiteral("gemini-2.5-flash-native-audio-preview-12-2025"),
                                  QStringLiteral("gemini-2.5-flash-native-audio-preview-09-2025"),
                                  QStringLiteral("gemini-2.5-flash-native-audio-latest")};
    // ["TEXT"] on these closes 1011 "Internal error encountered." (§8, python-genai#2238).
    QStringList textFailsInternallyModels{QStringLiteral("gemini-3.1-flash-live-preview")};

    bool answerSetup = true; // false: accept the setup and never reply (setup-timeout tests)

    // Energy VAD on the caller's s16le audio, measured in audio time (not wall time).
    int vadThreshold = 500;       // RMS of a 10 ms frame that counts as speech
    int minSpeechMs = 60;         // speech shorter than this is ignored
    int endOfTurnSilenceMs = 700; // silence after speech that ends the user's turn
    // The server VAD failure reported in 2026 (python-genai #2903, phone audio): with automatic
    // detection on, an utterance shorter than shortAnswerMaxMs that starts within
    // shortAnswerWindowMs (audio time) after the model's own turn completed is ignored: no
    // transcript, no turn (utteranceIgnored says so). Turns delimited by activityStart /
    // activityEnd are never dropped.
    bool dropShortAnswersAfterModelTurn = false;
    int shortAnswerMaxMs = 400;
    int shortAnswerWindowMs = 1000;

    // The model's reply to each user turn.
    QString defaultInputTranscript = QStringLiteral("(caller speech)");
    QString defaultReply = QStringLiteral("Help is on the way. Stay on the line with me.");
    int replyAudioMs = 240; // 24 kHz s16le tone
    int replyChunkMs = 40;
    int stepIntervalMs = 0; // delay between the reply's messages (0 = next event-loop pass)

    qint64 connectionLifetimeMs = 0; // 0 = unlimited; then goAway, then 1008 after timeLeft
    qint64 goAwayTimeLeftMs = 50000; // sent as "50s"
    // false: at the lifetime the connection closes 1000 "The operation was cancelled." with no
    // goAway first (what Vertex does at 10 min, pipecat-ai/pipecat#3112).
    bool goAwayBeforeLifetimeEnd = true;
    int resumptionUpdateIntervalMs = 0; // 0 = an update only after each turn
    qsizetype maxClientMessageBytes = 4 * 1024 * 1024;
};

// What the HTTP front saw in the last upgrade request (tests check that the key never travels
// in the URL).
struct FakeUpgradeRequest
{
    QString path;
    QString query;
    bool keyInHeader = false;
    bool keyInQuery = false;
    bool authorized = false;
    bool vertex = false;         // the Vertex path
    QString authorizationScheme; // "Bearer", "Token" or empty
};

// A faithful local stand-in for the Gemini Live endpoint: plain WebSocket on 127.0.0.1, an HTTP
// front that can refuse the upgrade with a status, proto3-JSON validation with the real server's
// close codes and reasons, binary server frames, energy VAD, scripted transcripts, replies and
// blocking tool calls, session resumption handles, connection lifetime with goAway, and fault
// injection. Everything is driven by the event loop: no threads, no sleeps.
class FakeGeminiServer : public QObject
{
    Q_OBJECT

public:
    explicit FakeGeminiServer(FakeGeminiConfig config = {}, QObject *parent = nullptr);
    ~FakeGeminiServer() override;

    bool listen(const QHostAddress &address = QHostAddress::LocalHost, quint16 port = 0);
    quint16 port() const;
    QUrl baseUrl() const; // ws://127.0.0.1:<port>

    // Read live by every connection: tests may change it between steps.
    FakeGeminiConfig &config() { return m_config; }

    // Scripting, shared by all connections (a resumed session continues the same queues).
    void queueInputTranscripts(const QStringList &texts);
    void queueReplies(const QStringList &texts);
    // The reply to the session's user turn `userTurn` (1-based, counted across resumptions)
    // starts with this toolCall and blocks until every id is answered.
    void scriptToolCall(int userTurn, const QList<FakeToolCall> &calls);
    // A toolCall now on every live connection (after the current reply step, if generating).
    void triggerToolCall(const QList<FakeToolCall> &calls);
    // The same on one connection (false if it is not open).
    bool triggerToolCallOn(int connectionId, const QList<FakeToolCall> &calls);

    // Faults.
    void injectOnNextConnection(FakeFault fault);     // applied when that connection sends setup
    void injectNow(FakeFault fault);                  // applied to every open connection
    bool injectOn(int connectionId, FakeFault fault); // one open connection; false if not open
    void refuseNextUpgrade(int httpStatus = 429); // HTTP error instead of 101 Switching Protocols
    void sendToAll(const QByteArray &payload, bool binary = true); // raw frames (hostile tests)
    // Forgets every issued handle, as the real service does when they expire (§7: stored for up
    // to 24 h): a later resumption with one is refused like an unknown handle.
    void expireHandles() { m_handles.clear(); }
    // Vertex: an upgrade needs `Authorization: Bearer <token>` with a token accepted here
    // (e.g. issued by FakeTokenEndpoint); anything else is refused with HTTP 401.
    void acceptBearerToken(const QString &token) { m_bearerTokens.insert(token); }
    void revokeBearerTokens() { m_bearerTokens.clear(); }
    // Vertex with sessionResumption.transparent: the audio the session's state holds as seen by
    // this connection: what the handle it resumed from covered (exactly up to the
    // lastConsumedClientMessageIndex sent with it), then what it received itself.
    QByteArray sessionAudio(int connectionId) const { return m_sessionAudio.value(connectionId); }
    // Of that, the bytes the newest resumable update of the connection covered.
    qint64 consumedAudioBytes(int connectionId) const
    {
        return m_consumedAudio.value(connectionId);
    }

    int connectionCount() const { return m_connectionsAccepted; }
    int liveConnectionCount() const;
    qint64 totalAudioBytes() const { return m_totalAudioBytes; }
    qint64 audioBytes(int connectionId) const { return m_audioBytes.value(connectionId); }
    FakeUpgradeRequest lastUpgrade() const { return m_lastUpgrade; }
    QStringList issuedHandles() const { return m_handles.keys(); }

Q_SIGNALS:
    void upgradeRefused(int httpStatus);
    void connectionOpened(int connectionId);
    void setupReceived(int connectionId, const QJsonObject &setup);    // normalised to camelCase
    void clientMessageReceived(int connectionId, const QString &kind); // setup, realtimeInput, ...
    void audioReceived(int connectionId, qint64 bytes);
    void audioDataReceived(int connectionId, const QByteArray &pcm); // the decoded samples
    void userTurnEnded(int connectionId, int userTurn, const QString &transcript);
    // dropShortAnswersAfterModelTurn: the automatic VAD lost an utterance of `speechMs`.
    void utteranceIgnored(int connectionId, qint64 speechMs);
    void activityReceived(int connectionId, bool start); // activityStart / activityEnd
    void modelTurnCompleted(int connectionId, int userTurn);
    void modelTurnInterrupted(int connectionId);
    void toolCallSent(int connectionId, const QStringList &ids);
    void toolResponseReceived(int connectionId, const QStringList &ids,
                              const QJsonArray &responses);
    void sessionResumed(int connectionId, const QString &handle, int userTurns);
    void goAwaySent(int connectionId);
    void connectionClosed(int connectionId, int code, const QString &reason);

private:
    friend class FakeGeminiConnection;

    // Resumable state of one session, stored under each handle issued for it.
    struct SessionSnapshot
    {
        int userTurns = 0;
        QString model;
        QByteArray audio; // transparent resumption only: the consumed audio
    };

    void onFrontConnection();
    void onFrontData(QTcpSocket *socket);
    void onWebSocketConnection();
    void refuse(QTcpSocket *socket, int status);

    // Used by connections.
    QString nextInputTranscript();
    QString nextReply();
    QString nextCallId();
    QString issueHandle(const SessionSnapshot &snapshot);
    std::optional<SessionSnapshot> snapshot(const QString &handle) const;
    QList<FakeToolCall> scriptedCalls(int userTurn) const;
    void countAudio(int connectionId, qint64 bytes);

    struct UpgradeInfo
    {
        QString apiVersion;
        bool authorized = false;
        bool vertex = false;
    };

    FakeGeminiConfig m_config;
    QTcpServer *m_front = nullptr;
    QWebSocketServer *m_webSockets = nullptr;
    QHash<quint16, UpgradeInfo> m_pendingUpgrades; // by client port
    QHash<int, QPointer<FakeGeminiConnection>> m_connections;
    QList<FakeFault> m_faultsForNextConnections;
    QList<int> m_refuseStatuses;
    QStringList m_inputTranscripts;
    QStringList m_replies;
    QHash<int, QList<FakeToolCall>> m_toolScript;
    QHash<QString, SessionSnapshot> m_handles;
    QHash<int, qint64> m_audioBytes;
    QHash<int, QByteArray> m_sessionAudio;
    QHash<int, qint64> m_consumedAudio;
    QSet<QString> m_bearerTokens;
    FakeUpgradeRequest m_lastUpgrade;
    qint64 m_totalAudioBytes = 0;
    int m_connectionsAccepted = 0;
    int m_nextCallId = 0;
    int m_nextHandle = 0;
};

} // namespace dispatch::fakes
