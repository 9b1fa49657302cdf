#pragma once

#include "domain/call.h"
#include "calls/mediabacklog.h"
#include "common/clock.h"
#include "gemini/audioreplaybuffer.h"
#include "gemini/geminicounters.h"
#include "gemini/livesession.h"
#include "common/reconnectpolicy.h"
#include "triage/triageoutput.h"
#include "triage/triagesetup.h"
#include "triage/vitalstext.h"
#include "triage/prearrivalknowledge.h"
#include "domain/triagereport.h"

#include <QObject>
#include <QPointer>
#include <QTimer>

#include <functional>
#include <optional>

namespace dispatch::gemini {

struct SupervisorConfig
{
    // Endpoint, API version, key, setup timeout, inbound limit and drain bounds of every
    // connection. Its `setup` is ignored: each connection gets buildTriageSetup(triage, tools,
    // handle); its `counters` too: each connection gets `counters` below.
    LiveSessionConfig connection;
    TriageSetupOptions triage;
    PrearrivalKnowledge prearrival; // get_prearrival_instructions is offered when not empty
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
    int frameIntervalMs = 1000;   // camera frames: at most one per interval
    int vitalsIntervalMs = 10000; // vitals text: at most one per interval
    VitalsTextPolicy vitals;
    int endGraceMs = 1500;            // after finish(): time for the last tool calls
    int maxMidSessionRefusals = 2;    // 1007 bad request on a live connection: resume this often
    int repeatedTranscriptMs = 20000; // after a replay, identical caller lines are not repeated
    Clock clock = systemClock();
    std::function<double()> random; // [0, 1) for the backoff jitter; empty = QRandomGenerator
    GeminiCounters counters;
};

// What one call's session did, for metrics, health and the benchmark.
struct SupervisorStats
{
    qint64 audioBytesIn = 0;   // from the phone (backlog included)
    qint64 audioBytesSent = 0; // to Gemini, replays included
    qint64 replayedBytes = 0;  // sent again to a new connection
    qint64 duplicateBytes = 0; // replayed bytes an earlier connection had received already
    qint64 overflowBytes = 0;  // dropped by the replay bound
    int connections = 0;       // connection attempts
    int handovers = 0;         // goAway: make-before-break switches
    int resumes = 0;           // reconnections after a drop
    int failedAttempts = 0;    // connections that closed before setupComplete
    int reports = 0;
    int criticalFlags = 0;
    int toolCalls = 0;
    int framesSent = 0;
    int framesSkipped = 0;
    int vitalsSent = 0;
    qint64 promptTokens = 0;
    qint64 responseTokens = 0;
    qint64 totalTokens = 0;
    QDateTime startedAt;
    QDateTime firstReportAt;
};

// One answered call's Gemini Live session, kept alive across connections. Streams the pre-answer
// backlog and then every audio chunk; frames at most 1/s; vitals as realtimeInput.text on a
// meaningful change (at most every 10 s, low-confidence readings skipped); typed caller text.
// Keeps the newest resumption handle and the audio sent since it. On goAway it opens a new
// connection with the handle while the old one still works (make-before-break), replays the
// audio since the handle, switches, and closes the old one. On a retryable close it reconnects
// with backoff and jitter, replaying the same way; on a final close (or when retries run out)
// it stops and says why through failed(). Tool calls are answered with their ids on the
// connection that made them. See docs/GEMINI.md for the state machine.
class SessionSupervisor : public QObject
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

    explicit SessionSupervisor(SupervisorConfig config, QObject *parent = nullptr);
    ~SessionSupervisor() override;

    // At answer: buffers the backlog's audio (sent first) and connects.
    void start(const MediaBacklog &backlog);
    void addAudio(const QByteArray &pcm16k);
    void addFrame(const QByteArray &jpeg);
    void addVitals(const VitalsSample &vitals);
    void addCallerText(const QString &text);
    // No more media: audioStreamEnd, endGraceMs for the last tool calls, close; then finished().
    void finish();

    State state() const { return m_state; }
    const SupervisorStats &stats() const { return m_stats; }
    QString resumptionHandle() const { return m_handle; }
    const CloseClassification &lastClose() const { return m_lastClose; }
    int openConnections() const;
    const AudioReplayBuffer &replayBuffer() const { return m_audio; }

Q_SIGNALS:
    void stateChanged(dispatch::gemini::SessionSupervisor::State state, const QString &detail);
    void reportProduced(const dispatch::TriageReport &report);
    void criticalFlagged(const QString &reason, int severity);
    void transcriptProduced(const dispatch::TranscriptSegment &segment);
    void prearrivalOffered(const QString &topic, const QString &title, const QStringList &steps);
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
    };

    void setState(State state, const QString &detail = QString());
    void connectNext();
    LiveSession *openConnection(const QString &handle);
    void onSetupCompleted(LiveSession *session);
    void onClosed(LiveSession *session, const CloseClassification &classification);
    void onGoAway(LiveSession *session, qint64 timeLeftMs);
    void onHandle(LiveSession *session, const QString &handle, bool resumable);
    void onToolCall(LiveSession *session, const ToolCall &call);
    void onUsage(const UsageMetadata &usage);
    void scheduleRetry();
    void fail(const CloseClassification &classification, const QString &detail);
    void retire(LiveSession *session);
    void closeAll();
    void releaseCoveredAudio();
    bool isLive() const;
    // Sends the stream from m_sentOffset; `force` ignores maxQueuedAudioMs (the end of a call).
    void sendAudioNow(bool force = false);
    void sendVitalsIfDue();
    void flushPendingTexts();
    qint64 nowMs() const;
    qint64 bytesForMs(qint64 ms) const { return ms * 32; } // 16 kHz s16le mono

    SupervisorConfig m_config;
    TriageOutput m_output;
    State m_state = State::Idle;
    SupervisorStats m_stats;

    QPointer<LiveSession> m_active; // the connection whose input and output count
    Pending m_pending;              // a connection on its way to replace or restore m_active
    AudioReplayBuffer m_audio;
    qint64 m_sentOffset = 0;                // the stream is sent on m_active up to here
    std::optional<qint64> m_holdingSinceMs; // audio held for a slow link since then
    QString m_handle;                       // newest usable handle of the active lineage
    qint64 m_handleOffset = 0;              // the stream offset m_handle covers (margin applied)

    int m_attempt = 0; // consecutive connections that did not reach setupComplete
    int m_midSessionRefusals = 0;
    qint64 m_outageSinceMs = -1;
    CloseClassification m_lastClose;
    QTimer m_retryTimer;
    QTimer m_endTimer;
    QTimer m_vitalsTimer;

    QByteArray m_latestFrame; // newest backlog frame, sent once live
    qint64 m_lastFrameMs = -1;
    std::optional<VitalsSample> m_vitalsTold;
    std::optional<VitalsSample> m_vitalsPending;
    qint64 m_lastVitalsMs = -1;
    QStringList m_pendingTexts; // caller text and vitals typed while not live (bounded)
};

} // namespace dispatch::gemini
