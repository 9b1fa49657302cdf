#pragma once

#include "calls/mediabacklog.h"
#include "domain/call.h"
#include "domain/triagereport.h"

#include <QByteArray>
#include <QObject>
#include <QString>

namespace dispatch {

// A backend's call failed for good (it produces nothing more for the call until endCall, then
// finishes): what kind of failure, and an untranslated technical detail for logs.
struct TriageFailure
{
    TriageFailureKind kind = TriageFailureKind::Transient;
    QString detail;
};

// What every triage backend (Gemini Live, the local engine) does for the calls it is given.
// All methods and signals live on the thread the backend belongs to (the main thread); a
// backend that needs workers hides them. Calls are identified by the CallStore's id.
class TriageBackend : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;
    ~TriageBackend() override = default;

    // At answer. The backlog holds the audio and frames kept while the call rang.
    virtual void startCall(const QString &callId, const MediaBacklog &backlog) = 0;
    // 16 kHz mono s16le PCM, the same chunks the call receives.
    virtual void addAudio(const QString &callId, const QByteArray &pcm16k) = 0;
    virtual void addFrame(const QString &callId, const QByteArray &jpeg) = 0;
    virtual void addVitals(const QString &callId, const VitalsSample &vitals) = 0;
    // The caller typed instead of talking.
    virtual void addCallerText(const QString &callId, const QString &text) = 0;
    // No more media will come. The backend finishes what it has (it may still produce a report
    // and transcript) and then emits callFinished.
    virtual void endCall(const QString &callId) = 0;

    // Milliseconds of the call's audio that the latest report is based on, or -1 if the backend
    // cannot tell. Lets an evaluator measure latency in audio time, independent of pacing.
    virtual qint64 assessedAudioMs(const QString &callId) const
    {
        Q_UNUSED(callId);
        return -1;
    }

Q_SIGNALS:
    // A first report as soon as there is evidence, then only on meaningful change.
    void reportProduced(const QString &callId, const dispatch::TriageReport &report);
    void criticalFlagged(const QString &callId, const QString &reason, int severity);
    void transcriptProduced(const QString &callId, const dispatch::TranscriptSegment &segment);
    // The backend works with reduced capability for this call (e.g. keyword spotting instead
    // of full transcription, or no speech recognition at all); the UI should show it.
    void degradedChanged(const QString &callId, bool degraded, const QString &reason);
    // Where this call's triage comes from (Gemini connecting/live/resuming, local, failed).
    // Backends that have only one source never emit it.
    void linkChanged(const QString &callId, const dispatch::TriageLink &link);
    // Approved instructions fetched for the call (the model's get_prearrival_instructions).
    void prearrivalOffered(const QString &callId, const QString &topic, const QString &title,
                           const QStringList &steps);
    // The call's triage failed for good (retries, if any, ran out). Backends that cannot fail
    // never emit it. Whoever owns the call decides what replaces it (the TriageRouter fails
    // over to the local engine).
    void callFailed(const QString &callId, const dispatch::TriageFailure &failure);
    // After endCall: nothing more will be emitted for this call.
    void callFinished(const QString &callId);
};

} // namespace dispatch
