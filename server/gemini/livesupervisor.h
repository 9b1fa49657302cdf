#pragma once

#include "common/clock.h"
#include "common/monotonicclock.h"
#include "common/reconnectpolicy.h"
#include "gemini/accesstokenprovider.h"
#include "gemini/activitytrack.h"
#include "gemini/audioreplaybuffer.h"
#include "gemini/consumedaudiotracker.h"
#include "gemini/geminicounters.h"
#include "gemini/livesession.h"
#include "gemini/modelchoice.h"
#include "gemini/toolregistry.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <memory>
#include <optional>

namespace dispatch::gemini {

// The `setup` of every connection of a session. `resumptionHandle` is empty for a fresh session
// and the newest usable handle when resuming; the supervisor sets LiveSetup::resumptionHandle to
// it whatever the builder returns.
using LiveSetupBuilder = std::function<LiveSetup(const QString &resumptionHandle)>;

// How one Live session is kept alive across connections. Nothing in it knows what the session
// is for.
struct LiveSupervisorConfig
{
    // Endpoint, API version, key (or, on Vertex, backend, project and location), setup timeout,
    // inbound limit and drain bounds of every connection. Its `setup` is ignored: each connection
    // gets the setup builder's; its `counters` too: each connection gets `counters` below.
    LiveSessionConfig connection;
    ReconnectPolicy reconnect;
    int replayBufferMs = 120000; // audio kept for replay (bounded; overflow is counted)
    // Audio queued on the live socket beyond this much (a link, or a console, that cannot keep
    // real time) waits in the replay buffer instead, as plain PCM, and goes when the queue
    // drains: the socket's queue stays bounded, and the replay bound counts what overflows.
    // 0: no bound.
    int maxQueuedAudioMs = 3000;
    // A handle covers the audio sent up to its arrival minus this margin: what was still in
    // flight when the server issued it is replayed too (a little duplication, no loss).
    int replayMarginMs = 1000;
    int endGraceMs = 1500;         // after finish(): time for the last tool calls
    int maxMidSessionRefusals = 2; // 1007 bad request on a live connection: resume this often
    int maxQueuedTexts = 20;       // text sent while no connection is live waits (the oldest go)
    // Set on every tool response (SILENT: a NON_BLOCKING tool's answer never makes the model
    // speak) where the connection's model honours `scheduling` (ModelCapabilities). Empty: no
    // `scheduling` field.
    std::optional<FunctionResponseScheduling> toolResponseScheduling;
    // The process-wide model list (see ModelChoice): every connection's setup.model is its
    // current() (the setup builder should build for that model), and a refused model is left
    // for the next. Empty: each connection uses the builder's model. Either way a model the
    // table marks shut down fails the session before connecting (Cause::ModelShutDown).
    std::shared_ptr<ModelChoice> models;
    // Vertex (connection.backend): the process-wide access token. A connection opens only with
    // a valid token: without one the session waits for the provider; a failed exchange counts
    // as a failed attempt, a refused account fails the session (CloseCategory::Credentials).
    // Where the model's row says Transparent, the setup asks for transparent resumption and a
    // resumed connection replays exactly the audio after lastConsumedClientMessageIndex.
    std::shared_ptr<AccessTokenProvider> tokens;
    // Our voice-activity detector on the caller's audio. On a connection whose setup turns the
    // server's detection off (realtimeInputConfig.automaticActivityDetection false: the model's
    // row says manualActivity), its activities go as activityStart / activityEnd, in place in the
    // stream, live and replayed alike; the audio between them is sent too (the setup asks for
    // turnCoverage TURN_INCLUDES_ALL_INPUT, so nothing the caller says is outside a turn).
    VoiceActivitySettings voiceActivity;
    Clock clock = systemClock();              // timestamps (stats().startedAt)
    MonotonicClock monotonic = steadyClock(); // durations: outage limit, holding, pacing
    std::function<double()> random; // [0, 1) for the backoff jitter; empty = QRandomGenerator
    GeminiCounters counters;
};

// What one session's connections did, for metrics, health and the benchmark.
struct LiveSupervisorStats
{
    qint64 audioBytesIn = 0;   // given to the supervisor (start's backlog included)
    qint64 audioBytesSent = 0; // to Gemini, replays included
    qint64 replayedBytes = 0;  // sent again to a new connection
    qint64 duplicateBytes = 0; // replayed bytes an earlier connection had received already
    qint64 overflowBytes = 0;  // dropped by the replay bound
    int connections = 0;       // connection attempts
    int handovers = 0;         // goAway: make-before-break switches
    int resumes = 0;           // reconnections after a drop
    int failedAttempts = 0;    // connections that closed before setupComplete
    int toolCalls = 0;         // function calls answered
    qint64 promptTokens = 0;
    qint64 responseTokens = 0;
    qint64 totalTokens = 0;
    QDateTime startedAt;
};

// One Gemini Live session kept alive across connections. Streams audio (from start's backlog
// on), video frames and text; keeps the newest resumption handle and the audio sent since it. On
// goAway it opens a new connection with the handle while the old one still works
// (make-before-break), replays the audio since the handle, switches, and closes the old one. On a
// retryable close it reconnects with backoff and jitter, replaying the same way; on a final close
// (or when retries run out) it stops and says why through failed(). Tool calls are answered
// through the registry, with their ids, on the connection that made them. See docs/GEMINI.md for
// the state machine. Every string it emits is untranslated English for logs: callers show codes.
class LiveSupervisor : public QObject
{
    Q_OBJECT

public:
    enum class State
    {
        Idle,
        Connecting,  // first connection, not yet live
        Live,        // one live connection
        HandingOver, // goAway: the old connection is live, the new one connects
        Resuming,    // no live connection: backing off or reconnecting
        Ending,      // finish(): waiting for the last tool calls
        Failed,      // final error or retries exhausted
        Finished
    };
    Q_ENUM(State)

    // Why the state changed (the machine-readable half of stateChanged; code() spells it).
    enum class Cause
    {
        Started,          // Connecting
        Connected,        // Live: the first connection
        HandedOver,       // Live: after a goAway hand-over
        Resumed,          // Live: after a drop
        GoAway,           // HandingOver
        ConnectionLost,   // Resuming: the live connection closed
        FinalClose,       // Failed: a close that reconnecting cannot fix
        RetriesExhausted, // Failed: too many attempts, or too long without a live connection
        Misconfigured,    // Failed: the endpoint or setup is invalid (or no Vertex credentials)
        ModelShutDown,    // Failed: the model (every model of the list) is shut down
        Ending,           // Ending
        Finished          // Finished
    };
    Q_ENUM(Cause)

    LiveSupervisor(LiveSupervisorConfig config, LiveSetupBuilder setup, ToolRegistry tools,
                   QObject *parent = nullptr);
    ~LiveSupervisor() override;

    // Buffers `backlogPcm` (16 kHz s16le mono, sent first) and connects.
    void start(const QList<QByteArray> &backlogPcm = {});
    void addAudio(const QByteArray &pcm16k);
    // Sent only while a connection is live and the session is not ending; false otherwise (the
    // caller decides what to keep).
    bool sendFrame(const QByteArray &jpeg);
    // realtimeInput.text. Queued (bounded) while no connection is live; false once the session
    // is over or before start().
    bool sendText(const QString &text);
    // No more media: audioStreamEnd, endGraceMs for the last tool calls, close; then finished().
    void finish();

    State state() const { return m_state; }
    bool isLive() const;
    const LiveSupervisorStats &stats() const { return m_stats; }
    QString resumptionHandle() const { return m_handle; }
    const CloseClassification &lastClose() const { return m_lastClose; }
    int openConnections() const;
    const AudioReplayBuffer &replayBuffer() const { return m_audio; }
    const LiveSupervisorConfig &config() const { return m_config; }

    // Codes for logs and wire formats: "handing_over", "handed_over", "retries_exhausted", ...
    static QString code(State state);
    static QString code(Cause cause);

Q_SIGNALS:
    // `detail`: untranslated English for logs (empty when there is nothing to add).
    void stateChanged(dispatch::gemini::LiveSupervisor::State state,
                      dispatch::gemini::LiveSupervisor::Cause cause, const QString &detail);
    // A connection went live and switched in: `replayedHeardAudio` when some of the audio
    // replayed to it had been sent to an earlier connection (it may be transcribed again).
    void connectionSwitched(bool replayedHeardAudio);
    // From the connections of this session (not those already retired).
    void serverContentReceived(const dispatch::gemini::ServerContent &content);
    // One per function call, after its handler ran, before the response is sent.
    void toolCallAnswered(const dispatch::gemini::ToolInvocation &invocation);
    void usageReported(const dispatch::gemini::UsageMetadata &usage);
    // Once; the session is over (final error, or reconnecting gave up). `detail` says why.
    void failed(const dispatch::gemini::CloseClassification &classification, const QString &detail);
    // Once, after finish() (or at once if the session had already failed).
    void finished();

private:
    struct Pending
    {
        QPointer<LiveSession> session;
        qint64 replayFrom = 0;
        QString handle;
        QString model;
        QString token; // Vertex: the access token it was opened with
    };

    void setState(State state, Cause cause, const QString &detail = QString());
    void connectNext();
    LiveSession *openConnection(const QString &handle);
    bool tryNextModel(const QString &refusedModel, const CloseClassification &classification);
    LiveBackend backend() const;
    bool haveToken();
    void onTokenReady();
    void onTokenFailed(const CloseClassification &classification, const QString &detail);
    bool retryWithFreshToken(const QString &refusedToken);
    void onSetupCompleted(LiveSession *session);
    void onClosed(LiveSession *session, const CloseClassification &classification);
    void onGoAway(LiveSession *session, qint64 timeLeftMs);
    void onHandle(LiveSession *session, const QString &handle, bool resumable);
    void onToolCall(LiveSession *session, const ToolCall &call);
    void onUsage(const UsageMetadata &usage);
    void scheduleRetry();
    void fail(const CloseClassification &classification, Cause cause, const QString &detail);
    void end();
    void retire(LiveSession *session);
    void closeAll();
    void releaseCoveredAudio();
    bool isOver() const;
    // Sends the stream from m_sentOffset; `force` ignores maxQueuedAudioMs (the end of a call).
    void sendAudioNow(bool force = false);
    void flushPendingTexts();
    // Manual activity (livesupervisoractivity.cpp).
    static bool manualActivity(const LiveSession *session);
    void beginActivity(LiveSession *session, qint64 replayFrom);
    bool sendDueActivity(qint64 chunkStart, qint64 chunkEnd);
    void endActivity();
    void releaseActivity();
    qint64 nowMs() const;
    static qint64 bytesForMs(qint64 ms) { return ms * 32; } // 16 kHz s16le mono

    LiveSupervisorConfig m_config;
    LiveSetupBuilder m_setup;
    ToolRegistry m_tools;
    State m_state = State::Idle;
    LiveSupervisorStats m_stats;

    QPointer<LiveSession> m_active; // the connection whose input and output count
    Pending m_pending;              // a connection on its way to replace or restore m_active
    AudioReplayBuffer m_audio;
    qint64 m_sentOffset = 0;                // the stream is sent on m_active up to here
    std::optional<qint64> m_holdingSinceMs; // audio held for a slow link since then
    QString m_handle;                       // newest usable handle of the active lineage
    QString m_handleModel;                  // the model whose session m_handle resumes
    qint64 m_handleOffset = 0;              // the stream offset m_handle covers (margin applied)
    bool m_transparent = false;             // the active connection resumes transparently
    ConsumedAudioTracker m_consumed;        // its audio messages, by index (transparent only)
    bool m_waitingForToken = false;
    bool m_refreshedForRefusal = false; // a refused upgrade forced a token refresh (once)
    ActivityTrack m_activity;           // our VAD's activities on the stream
    bool m_activeManual = false;        // m_active takes activityStart / activityEnd from us
    qint64 m_activityNext = 0;          // the next boundary of m_activity to send on m_active
    bool m_activityOpen = false;        // an activityStart without its activityEnd on m_active

    int m_attempt = 0; // consecutive connections that did not reach setupComplete
    int m_midSessionRefusals = 0;
    qint64 m_outageSinceMs = -1;
    CloseClassification m_lastClose;
    QTimer m_retryTimer;
    QTimer m_endTimer;
    QStringList m_pendingTexts; // text given while not live (bounded)
};

} // namespace dispatch::gemini
