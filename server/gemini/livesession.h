#pragma once

#include "common/parseresult.h"
#include "gemini/geminicounters.h"
#include "gemini/livemessages.h"
#include "gemini/modelcapabilities.h"

#include <QAbstractSocket>
#include <QObject>
#include <QSet>
#include <QTimer>
#include <QUrl>

QT_BEGIN_NAMESPACE
class QWebSocket;
QT_END_NAMESPACE

namespace dispatch::gemini {

struct LiveSessionConfig
{
    // Scheme + host + port only; the BidiGenerateContent path is appended. Tests point this at
    // ws://127.0.0.1:<port>. Any path or query here is ignored (the key never goes in the URL).
    QUrl endpoint = QUrl(QStringLiteral("wss://generativelanguage.googleapis.com"));
    QString apiVersion = QStringLiteral("v1beta");
    QString apiKey; // sent only as the x-goog-api-key header of the upgrade request
    // Vertex AI: the regional host (https://L-aiplatform.googleapis.com), apiVersion v1beta1
    // (defaultApiVersion), `Authorization: Bearer <bearerToken>` instead of the key, and the
    // model as projects/P/locations/L/publishers/google/models/M. Never logged.
    LiveBackend backend = LiveBackend::GeminiApi;
    QString bearerToken;
    QString vertexProject;
    QString vertexLocation;
    LiveSetup setup;
    int setupTimeoutMs = 15000; // from open() until setupComplete
    qsizetype maxInboundMessageBytes = 8 * 1024 * 1024;
    // close() on a live connection first lets what is still queued on the socket leave: at most
    // drainTimeoutMs in all, and no longer than drainStallMs without a byte leaving. What is
    // left then is aborted and counted (GeminiCounters::unsent). 0 = close at once.
    int drainTimeoutMs = 10000;
    int drainStallMs = 3000;
    QString callId;          // for log lines only
    GeminiCounters counters; // unsent bytes, and the live sockets behind the queued-bytes gauge
};

struct LiveSessionCounters
{
    qint64 messagesSent = 0; // including setup
    qint64 audioBytesSent = 0;
    qint64 sendsRefused = 0; // sends attempted before setupComplete or after the end
    qint64 messagesReceived = 0;
    qint64 bytesReceived = 0;
    qint64 audioBytesReceived = 0;
    qint64 messagesRejected = 0; // undecodable or oversized server messages
    qint64 fieldsIgnored = 0;    // known fields with unreadable values, the rest kept
};

// One WebSocket to the Gemini Live API = one connection of a session. It sends the setup first,
// refuses every other send until setupComplete, decodes every server frame (text or binary) and
// reports the end exactly once through closed(). It never reconnects: a supervisor opens a new
// LiveSession (setup.resumptionHandle = lastResumptionHandle()), replays its buffered audio after
// setupCompleted(), and swaps sessions.
class LiveSession : public QObject
{
    Q_OBJECT

public:
    enum class State
    {
        Idle,
        Connecting,
        AwaitingSetupComplete,
        Live,
        Closing,
        Closed
    };
    Q_ENUM(State)

    explicit LiveSession(LiveSessionConfig config, QObject *parent = nullptr);
    ~LiveSession() override;

    // Developer API: /ws/google.ai.generativelanguage.V.GenerativeService.BidiGenerateContent;
    // Vertex: /ws/google.cloud.aiplatform.V.LlmBidiService/BidiGenerateContent (reference §1.2).
    static QUrl endpointUrl(const QUrl &base, const QString &apiVersion,
                            LiveBackend backend = LiveBackend::GeminiApi);
    static QString defaultApiVersion(LiveBackend backend); // v1beta; v1beta1 on Vertex
    // Vertex: "m" -> "projects/P/locations/L/publishers/google/models/m" (a full path is kept).
    static QString vertexModelPath(const QString &model, const QString &project,
                                   const QString &location);

    // Idle -> Connecting. False (and stays Idle) if already opened, or if the endpoint or setup
    // is invalid.
    bool open();
    // Client-initiated end: closed(1000, "", ClosedByClient) follows. No-op once Closed. A live
    // connection with bytes still queued drains them first (bounded, see LiveSessionConfig).
    void close();

    // All return false (and count a refusal) unless the state is Live.
    bool sendAudio(const QByteArray &pcm16le, int sampleRate = 16000);
    bool sendVideoFrame(const QByteArray &jpeg);
    bool sendText(const QString &text);
    bool sendAudioStreamEnd();
    bool sendActivityStart();
    bool sendActivityEnd();
    bool sendToolResponse(const QList<FunctionResponse> &responses);

    State state() const { return m_state; }
    // Bytes handed to the socket that have not reached the kernel yet (QWebSocket::bytesToWrite).
    qint64 bytesQueued() const;
    bool isDraining() const { return m_drainTimer.isActive(); }
    const LiveSessionConfig &config() const { return m_config; }
    const LiveSessionCounters &counters() const { return m_counters; }
    // The index of the newest client message sent on this connection, counting from 0 = setup
    // (what lastConsumedClientMessageIndex refers to, docs/GEMINI.md); -1 before the setup.
    qint64 lastSentIndex() const { return m_counters.messagesSent - 1; }
    // The last non-empty handle received with resumable:true; empty if none yet.
    QString lastResumptionHandle() const { return m_resumptionHandle; }
    // lastConsumedClientMessageIndex of the newest sessionResumptionUpdate (transparent
    // resumption, Vertex); empty when the server did not send one.
    std::optional<qint64> lastConsumedIndex() const { return m_lastConsumedIndex; }
    bool isGoAwayReceived() const { return m_goAwayReceived; }
    // Valid once Closed.
    int closeCode() const { return m_closeCode; }
    QString closeReason() const { return m_closeReason; }
    CloseClassification closeClassification() const { return m_classification; }

Q_SIGNALS:
    void stateChanged(dispatch::gemini::LiveSession::State state);
    void setupCompleted();
    void serverContentReceived(const dispatch::gemini::ServerContent &content);
    void toolCallReceived(const dispatch::gemini::ToolCall &call);
    void toolCallCancelled(const QStringList &ids);
    void goAwayReceived(qint64 timeLeftMs);
    // Every sessionResumptionUpdate; store `handle` only when resumable and non-empty.
    void resumptionHandleUpdated(const QString &handle, bool resumable);
    void usageReported(const dispatch::gemini::UsageMetadata &usage);
    void serverErrorReceived(const dispatch::gemini::ServerError &error);
    void messageRejected(const dispatch::ProtocolError &error);
    // Exactly once. `code`/`reason` are the close frame verbatim; 1006 with the socket's error
    // text when there was no close frame (drop, refused upgrade, setup timeout).
    void closed(int code, const QString &reason,
                const dispatch::gemini::CloseClassification &classification);

private:
    void setState(State state);
    bool send(const QByteArray &json, qint64 audioBytes = 0);
    void onConnected();
    void onFrame(const QByteArray &bytes);
    void noteLeniency(const ServerMessage &m);
    void onSocketError(QAbstractSocket::SocketError error);
    void onSetupTimeout();
    void finish();
    void onDrainProgress();
    void endDrain(bool drained);
    void abortSocket();
    void countUnsent();

    LiveSessionConfig m_config;
    QWebSocket *m_socket = nullptr;
    QTimer m_setupTimer;
    QTimer m_drainTimer; // the whole drain
    QTimer m_stallTimer; // no byte left the queue for drainStallMs
    bool m_unsentCounted = false;
    State m_state = State::Idle;
    LiveSessionCounters m_counters;
    QSet<QString> m_loggedFields; // ignored fields and turn-end reasons already logged
    QByteArray m_setupJson;
    QString m_resumptionHandle;
    std::optional<qint64> m_lastConsumedIndex;
    bool m_goAwayReceived = false;
    bool m_closeRequested = false;     // close() was called
    bool m_closeFrameReceived = false; // the peer started or answered a close handshake
    bool m_setupTimedOut = false;
    bool m_aborting = false; // we are aborting the socket ourselves
    int m_httpStatus = 0;    // of a refused upgrade
    QString m_socketError;
    int m_closeCode = 0;
    QString m_closeReason;
    CloseClassification m_classification;
};

} // namespace dispatch::gemini
