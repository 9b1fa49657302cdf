#include "scriptedbackend.h"

namespace dispatch::test {

ScriptedBackend::ScriptedBackend(TriageSource source, QObject *parent)
    : TriageBackend(parent)
    , m_source(source)
{}

void ScriptedBackend::startCall(const QString &callId, const MediaBacklog &backlog)
{
    started << callId;
    startedWith.insert(callId, backlog.audioBytes());
    if (!m_open.contains(callId))
        m_open << callId;
}

void ScriptedBackend::addAudio(const QString &callId, const QByteArray &pcm16k)
{
    audio[callId] += pcm16k.size();
}

void ScriptedBackend::addFrame(const QString &, const QByteArray &) {}

void ScriptedBackend::addVitals(const QString &, const VitalsSample &) {}

void ScriptedBackend::addCallerText(const QString &callId, const QString &text)
{
    texts[callId] << text;
}

void ScriptedBackend::endCall(const QString &callId)
{
    ended << callId;
    if (finishMode == Finish::AtOnce)
        finish(callId);
}

void ScriptedBackend::report(const QString &callId, int severity, const QString &summary)
{
    TriageReport r;
    r.severity = severity;
    r.situationSummary = summary.isEmpty() ? toString(m_source) : summary;
    r.responseType = ResponseType::Medical;
    r.source = m_source;
    Q_EMIT reportProduced(callId, r);
}

void ScriptedBackend::flag(const QString &callId, const QString &reason, int severity)
{
    Q_EMIT criticalFlagged(callId, reason, severity);
}

void ScriptedBackend::say(const QString &callId, const QString &text)
{
    TranscriptSegment s;
    s.speaker = Speaker::Caller;
    s.text = text;
    s.final = true;
    Q_EMIT transcriptProduced(callId, s);
}

void ScriptedBackend::link(const QString &callId, TriageLinkState state, const QString &detail)
{
    TriageLink l;
    l.state = state;
    l.detail = detail;
    Q_EMIT linkChanged(callId, l);
}

void ScriptedBackend::fail(const QString &callId, TriageFailureKind kind, const QString &detail)
{
    Q_EMIT callFailed(callId, TriageFailure{kind, detail});
}

void ScriptedBackend::finish(const QString &callId)
{
    m_open.removeAll(callId);
    Q_EMIT callFinished(callId);
}

} // namespace dispatch::test
