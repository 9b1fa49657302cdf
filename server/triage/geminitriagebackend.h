#pragma once

#include "triage/sessionsupervisor.h"
#include "triage/triagebackend.h"

#include <QHash>
#include <QPointer>

namespace dispatch {

// Triage by Gemini Live: one SessionSupervisor per call (resumption, goAway hand-over, retries).
// A session that fails for good reports callFailed() (its close category mapped to a
// TriageFailureKind) and produces nothing more; whoever owns the call decides what replaces it
// (the TriageRouter falls back to the local engine).
// The backend-neutral kind of a final close.
TriageFailureKind failureKind(gemini::CloseCategory category);

class GeminiTriageBackend : public TriageBackend
{
    Q_OBJECT

public:
    // `config` is the template of every call's supervisor.
    explicit GeminiTriageBackend(gemini::SupervisorConfig config, QObject *parent = nullptr);
    ~GeminiTriageBackend() override;

    void startCall(const QString &callId, const MediaBacklog &backlog) override;
    void addAudio(const QString &callId, const QByteArray &pcm16k) override;
    void addFrame(const QString &callId, const QByteArray &jpeg) override;
    void addVitals(const QString &callId, const VitalsSample &vitals) override;
    void addCallerText(const QString &callId, const QString &text) override;
    void endCall(const QString &callId) override;

    // Calls whose session is running (connecting, live, handing over, resuming, ending).
    int activeSessions() const;
    bool hasCall(const QString &callId) const { return m_calls.contains(callId); }
    QStringList callIds() const { return m_calls.keys(); }
    const gemini::SessionSupervisor *supervisor(const QString &callId) const;
    const gemini::SupervisorConfig &config() const { return m_config; }

private:
    gemini::SessionSupervisor *find(const QString &callId) const;

    gemini::SupervisorConfig m_config;
    QHash<QString, QPointer<gemini::SessionSupervisor>> m_calls;
};

} // namespace dispatch
