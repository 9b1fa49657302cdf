#pragma once

#include "domain/triagereport.h"

#include <QHash>
#include <QObject>
#include <QSet>

namespace dispatch {

class CallStore;
class TriageBackend;

// Feeds a TriageBackend from the CallStore and writes what it produces back: at answer it starts
// the call with the media kept while it rang, then forwards audio, frames, vitals and typed
// caller text; reports, critical flags and transcript segments go into the store. One job: the
// wiring; the backend decides what to do with the media. A report the backend produced while it
// said it was degraded for the call goes into the store marked as low confidence. An unanswered
// call that needs a follow-up gets its ring-time media assessed after its end
// (setRingAudioBackend).
class TriageCoordinator : public QObject
{
    Q_OBJECT

public:
    TriageCoordinator(CallStore &store, TriageBackend &backend, QObject *parent = nullptr);

    bool isTriaging(const QString &callId) const { return m_active.contains(callId); }
    // The backend that assesses what an unanswered call that needs a follow-up (abandoned,
    // lost) said while it rang, after its end: given its ring-time backlog at once, so the
    // dispatcher who calls back knows what was said. The local engine: offline, and nobody
    // opens an AI session for a call nobody answered. Unset: such calls are not assessed.
    void setRingAudioBackend(TriageBackend *backend);
    bool isAssessingRingAudio(const QString &callId) const { return m_ringAudio.contains(callId); }

    // The report as it goes into the store: marked KeywordsOnly or Low when the backend made it
    // with reduced capability (`degradedReason` set: the backend said so for the call; or the
    // rules' own provenance says the transcript was keyword spotting only).
    static TriageReport withConfidence(TriageReport report, const QString *degradedReason);

Q_SIGNALS:
    void degradedChanged(const QString &callId, bool degraded, const QString &reason);

private:
    // withConfidence() with what the backend said of the call.
    TriageReport stamped(const QString &callId, const TriageReport &report) const;

    CallStore &m_store;
    TriageBackend &m_backend;
    QSet<QString> m_active;
    TriageBackend *m_ringAudioBackend = nullptr;
    QSet<QString> m_ringAudio;          // calls whose ring-time audio m_ringAudioBackend assesses
    QHash<QString, QString> m_degraded; // call id -> why the backend is degraded for it
};

} // namespace dispatch
