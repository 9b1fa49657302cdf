#pragma once

#include "calls/mediabacklog.h"
#include "domain/call.h"
#include "domain/triagereport.h"
#include "gemini/livesupervisor.h"
#include "triage/prearrivalknowledge.h"
#include "triage/triageoutput.h"
#include "triage/triagesetup.h"
#include "triage/vitalstext.h"

#include <QObject>
#include <QTimer>

#include <optional>

namespace dispatch::gemini {

// The generic part (connection, reconnect policy, replay, queued audio, end grace, clock, RNG,
// counters) is the base, handed to the LiveSupervisor as is; what follows is triage's.
// toolResponseScheduling, when left empty, follows the model (SILENT where NON_BLOCKING works).
struct SupervisorConfig : LiveSupervisorConfig
{
    TriageSetupOptions triage;
    PrearrivalKnowledge prearrival; // get_prearrival_instructions is offered when not empty
    int frameIntervalMs = 1000;     // camera frames: at most one per interval
    int vitalsIntervalMs = 10000;   // vitals text: at most one per interval
    VitalsTextPolicy vitals;
    int repeatedTranscriptMs = 20000; // after a replay, identical caller lines are not repeated
};

// What one call's session did: the connections' figures (the base) and triage's.
struct SupervisorStats : LiveSupervisorStats
{
    int reports = 0;
    int criticalFlags = 0;
    int framesSent = 0;
    int framesSkipped = 0;
    int vitalsSent = 0;
    QDateTime firstReportAt;
};

// One answered call's triage by Gemini Live: a LiveSupervisor (the session across connections,
// see docs/GEMINI.md) set up as a silent listener with the triage tools, whose output becomes
// triage events (TriageOutput). Streams the pre-answer backlog and then every audio chunk;
// frames at most 1/s (the newest one waits while no connection is live); vitals as
// realtimeInput.text on a meaningful change (at most every 10 s, low-confidence readings
// skipped); typed caller text. State details are untranslated English for logs.
class SessionSupervisor : public QObject
{
    Q_OBJECT

public:
    using State = LiveSupervisor::State;

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

    State state() const { return m_live.state(); }
    SupervisorStats stats() const;
    QString resumptionHandle() const { return m_live.resumptionHandle(); }
    const CloseClassification &lastClose() const { return m_live.lastClose(); }
    int openConnections() const { return m_live.openConnections(); }
    const AudioReplayBuffer &replayBuffer() const { return m_live.replayBuffer(); }
    const LiveSupervisor &live() const { return m_live; }

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
    void onLiveState(State state);
    void sendLatestFrame();
    void sendVitalsIfDue();
    qint64 nowMs() const;

    SupervisorConfig m_config;
    TriageOutput m_output;
    LiveSupervisor m_live;
    SupervisorStats m_triageStats; // only triage's fields are kept here
    QTimer m_vitalsTimer;

    QByteArray m_latestFrame; // the newest frame while no connection was live
    qint64 m_lastFrameMs = -1;
    std::optional<VitalsSample> m_vitalsTold;
    std::optional<VitalsSample> m_vitalsPending;
    qint64 m_lastVitalsMs = -1;
};

} // namespace dispatch::gemini
