#include "triage/geminitriagebackend.h"

#include <QLoggingCategory>

namespace dispatch {

namespace {

Q_LOGGING_CATEGORY(lcGeminiBackend, "dispatch.gemini")

using State = gemini::SessionSupervisor::State;

// The supervisor's detail is technical (English, for logs): the link carries it untranslated.
TriageLink linkOf(TriageLinkState state, const QString &detail)
{
    TriageLink link;
    link.state = state;
    link.detail = detail;
    return link;
}

} // namespace

TriageFailureKind failureKind(gemini::CloseCategory category)
{
    switch (category) {
    case gemini::CloseCategory::Quota:
        return TriageFailureKind::Quota;
    case gemini::CloseCategory::ApiKey:
        return TriageFailureKind::ApiKey;
    case gemini::CloseCategory::Credentials: // Vertex: a refused or unobtainable token
        return TriageFailureKind::Credentials;
    case gemini::CloseCategory::ModelNotFound:
        return TriageFailureKind::ModelNotFound;
    case gemini::CloseCategory::BadRequest:
        return TriageFailureKind::BadRequest;
    case gemini::CloseCategory::ClosedByClient:
    case gemini::CloseCategory::Cancelled:
    case gemini::CloseCategory::NetworkDrop:
    case gemini::CloseCategory::GoAwayExpired:
    case gemini::CloseCategory::Internal:
    case gemini::CloseCategory::NotImplemented:
    case gemini::CloseCategory::SetupTimeout:
    case gemini::CloseCategory::MessageTooBig:
    case gemini::CloseCategory::Unknown:
        break;
    }
    return TriageFailureKind::Transient;
}

GeminiTriageBackend::GeminiTriageBackend(gemini::SupervisorConfig config, QObject *parent)
    : TriageBackend(parent)
    , m_config(std::move(config))
{}

GeminiTriageBackend::~GeminiTriageBackend() = default;

gemini::SessionSupervisor *GeminiTriageBackend::find(const QString &callId) const
{
    return m_calls.value(callId);
}

const gemini::SessionSupervisor *GeminiTriageBackend::supervisor(const QString &callId) const
{
    return find(callId);
}

int GeminiTriageBackend::activeSessions() const
{
    int n = 0;
    for (const auto &s : m_calls) {
        if (s && s->state() != State::Failed && s->state() != State::Finished)
            ++n;
    }
    return n;
}

void GeminiTriageBackend::startCall(const QString &callId, const MediaBacklog &backlog)
{
    if (m_calls.contains(callId)) {
        qCWarning(lcGeminiBackend) << "call already started:" << callId;
        return;
    }
    gemini::SupervisorConfig config = m_config;
    config.connection.callId = callId; // for the connection's log lines
    auto *s = new gemini::SessionSupervisor(config, this);
    m_calls.insert(callId, s);
    connect(s, &gemini::SessionSupervisor::stateChanged, this,
            [this, callId](State state, const QString &detail) {
                switch (state) {
                case State::Connecting:
                    Q_EMIT linkChanged(callId, linkOf(TriageLinkState::Connecting, detail));
                    return;
                case State::Live:
                case State::HandingOver:
                    Q_EMIT linkChanged(callId, linkOf(TriageLinkState::Live, detail));
                    return;
                case State::Resuming:
                    Q_EMIT linkChanged(callId, linkOf(TriageLinkState::Resuming, detail));
                    return;
                case State::Failed:
                    Q_EMIT linkChanged(callId, linkOf(TriageLinkState::Failed, detail));
                    return;
                case State::Idle:
                case State::Ending:
                case State::Finished:
                    return;
                }
            });
    connect(s, &gemini::SessionSupervisor::reportProduced, this,
            [this, callId](const TriageReport &r) { Q_EMIT reportProduced(callId, r); });
    connect(s, &gemini::SessionSupervisor::criticalFlagged, this,
            [this, callId](const QString &reason, int severity) {
                Q_EMIT criticalFlagged(callId, reason, severity);
            });
    connect(s, &gemini::SessionSupervisor::transcriptProduced, this,
            [this, callId](const TranscriptSegment &t) { Q_EMIT transcriptProduced(callId, t); });
    connect(s, &gemini::SessionSupervisor::prearrivalOffered, this,
            [this, callId](const QString &topic, const QString &title, const QStringList &steps) {
                Q_EMIT prearrivalOffered(callId, topic, title, steps);
            });
    connect(s, &gemini::SessionSupervisor::failed, this,
            [this, callId](const gemini::CloseClassification &c, const QString &detail) {
                Q_EMIT callFailed(callId, TriageFailure{failureKind(c.category), detail});
            });
    connect(s, &gemini::SessionSupervisor::finished, this, [this, callId, s] {
        if (m_calls.value(callId) == s)
            m_calls.remove(callId);
        s->deleteLater();
        Q_EMIT callFinished(callId);
    });
    s->start(backlog);
}

void GeminiTriageBackend::addAudio(const QString &callId, const QByteArray &pcm16k)
{
    if (auto *s = find(callId))
        s->addAudio(pcm16k);
}

void GeminiTriageBackend::addFrame(const QString &callId, const QByteArray &jpeg)
{
    if (auto *s = find(callId))
        s->addFrame(jpeg);
}

void GeminiTriageBackend::addVitals(const QString &callId, const VitalsSample &vitals)
{
    if (auto *s = find(callId))
        s->addVitals(vitals);
}

void GeminiTriageBackend::addCallerText(const QString &callId, const QString &text)
{
    if (auto *s = find(callId))
        s->addCallerText(text);
}

void GeminiTriageBackend::endCall(const QString &callId)
{
    if (auto *s = find(callId)) {
        s->finish();
        return;
    }
    Q_EMIT callFinished(callId); // nothing was running for it
}

} // namespace dispatch
