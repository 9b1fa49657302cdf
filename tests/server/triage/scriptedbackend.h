#pragma once

#include "triage/triagebackend.h"

#include <QHash>
#include <QStringList>

namespace dispatch::test {

// A TriageBackend played by the test: it records what it is told and says what the test makes
// it say. endCall finishes at once (synchronously, as a backend with nothing in flight does) or
// only when the test calls finish(), to hold a call in its draining state.
class ScriptedBackend : public TriageBackend
{
    Q_OBJECT

public:
    enum class Finish
    {
        AtOnce,
        OnDemand
    };

    explicit ScriptedBackend(TriageSource source, QObject *parent = nullptr);

    void startCall(const QString &callId, const MediaBacklog &backlog) override;
    void addAudio(const QString &callId, const QByteArray &pcm16k) override;
    void addFrame(const QString &callId, const QByteArray &jpeg) override;
    void addVitals(const QString &callId, const VitalsSample &vitals) override;
    void addCallerText(const QString &callId, const QString &text) override;
    void endCall(const QString &callId) override;

    // What it was told.
    QStringList started;                // call ids, once per startCall
    QHash<QString, qint64> startedWith; // backlog bytes at the latest start
    QHash<QString, qint64> audio;       // bytes since the first start
    QHash<QString, QStringList> texts;  // caller texts
    QStringList ended;                  // call ids, once per endCall
    bool has(const QString &callId) const { return m_open.contains(callId); }

    // What it says.
    void report(const QString &callId, int severity, const QString &summary = QString());
    void flag(const QString &callId, const QString &reason, int severity);
    void say(const QString &callId, const QString &text); // a transcript segment
    void link(const QString &callId, TriageLinkState state, const QString &detail = QString());
    void fail(const QString &callId, TriageFailureKind kind, const QString &detail = QString());
    void finish(const QString &callId); // callFinished for an ended call

    Finish finishMode = Finish::AtOnce;

private:
    TriageSource m_source;
    QStringList m_open; // started and not finished
};

} // namespace dispatch::test
