#include "callauditor.h"
#include "audittrail.h"

namespace dispatch {

namespace {

QString aiActor(TriageSource source)
{
    return QStringLiteral("ai:") + toString(source);
}

// Who ended a call, from the end reason the store recorded.
QString enderOf(const QString &reason, const QString &dispatcher)
{
    if (reason == toString(EndReason::DispatcherEnded))
        return dispatcher;
    if (reason == toString(EndReason::CallerHungUp) || reason == toString(EndReason::Abandoned))
        return QStringLiteral("caller");
    if (reason == toString(EndReason::AdminTerminated))
        return QStringLiteral("admin");
    return QStringLiteral("system");
}

} // namespace

CallAuditor::CallAuditor(CallStore &store, AuditTrail &audit, QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_audit(audit)
{
    connect(&store, &CallStore::timelineAppended, this, &CallAuditor::onTimeline);
    connect(&store, &CallStore::triageUpdated, this, &CallAuditor::onTriage);
    connect(&store, &CallStore::criticalFlagged, this,
            [this](const QString &id, const QString &reason, int severity) {
                m_audit.appendAudit(
                    QStringLiteral("ai"), QStringLiteral("critical_flag"), id,
                    {{QStringLiteral("reason"), reason}, {QStringLiteral("severity"), severity}});
            });
}

QString CallAuditor::dispatcherOf(const QString &callId) const
{
    const Call *c = m_store.call(callId);
    return c && !c->answeredBy.isEmpty() ? QStringLiteral("dispatcher:") + c->answeredBy
                                         : QStringLiteral("dispatcher");
}

void CallAuditor::onTimeline(const QString &callId, const CallEvent &event)
{
    switch (event.kind) {
    case CallEventKind::Answered:
        m_audit.appendAudit(QStringLiteral("dispatcher:") + event.detail, QStringLiteral("answer"),
                            callId);
        break;
    case CallEventKind::Held:
        m_audit.appendAudit(dispatcherOf(callId), QStringLiteral("hold"), callId);
        break;
    case CallEventKind::Resumed:
        m_audit.appendAudit(dispatcherOf(callId), QStringLiteral("resume"), callId);
        break;
    case CallEventKind::Ended:
        m_audit.appendAudit(enderOf(event.detail, dispatcherOf(callId)), QStringLiteral("end"),
                            callId, {{QStringLiteral("reason"), event.detail}});
        break;
    case CallEventKind::Transferred: {
        // detail: "from -> to"; the one handing the call over acts.
        const QStringList parties = event.detail.split(QStringLiteral(" -> "));
        m_audit.appendAudit(
            QStringLiteral("dispatcher:") + parties.value(0), QStringLiteral("transfer"), callId,
            {{QStringLiteral("from"), parties.value(0)}, {QStringLiteral("to"), parties.value(1)}});
        break;
    }
    case CallEventKind::LocationAccepted:
        m_audit.appendAudit(QStringLiteral("dispatcher:") + event.detail,
                            QStringLiteral("accept_location"), callId);
        break;
    default:
        break; // caller-side and informational events live in the timeline only
    }
}

void CallAuditor::onTriage(const QString &callId, const TriageReport &report)
{
    if (report.source == TriageSource::Dispatcher)
        m_audit.appendAudit(dispatcherOf(callId), QStringLiteral("triage_override"), callId,
                            toJson(report));
    else
        m_audit.appendAudit(aiActor(report.source), QStringLiteral("triage_report"), callId,
                            toJson(report));
}

} // namespace dispatch
