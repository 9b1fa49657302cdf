#include "storage/callauditor.h"
#include "storage/audittrail.h"

namespace dispatch {

namespace {

QString aiActor(TriageSource source)
{
    return QStringLiteral("ai:") + toString(source);
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

void CallAuditor::onTimeline(const QString &callId, const CallEvent &event)
{
    // The store names who acted on every event a person can cause: record that, never the
    // call's owner (an admin or a supervisor acts on calls others answered).
    const QString actor = toString(event.actor);
    switch (event.kind) {
    case CallEventKind::Answered:
        m_audit.appendAudit(actor, QStringLiteral("answer"), callId);
        break;
    case CallEventKind::Held:
        m_audit.appendAudit(actor, QStringLiteral("hold"), callId);
        break;
    case CallEventKind::Resumed:
        m_audit.appendAudit(actor, QStringLiteral("resume"), callId);
        break;
    case CallEventKind::Ended: {
        QJsonObject details{{QStringLiteral("reason"), event.detail}};
        // The store sets the disposition before it appends the event.
        const Call *c = m_store.call(callId);
        if (c && c->disposition != Disposition::None)
            details.insert(QStringLiteral("disposition"), toString(c->disposition));
        m_audit.appendAudit(actor, QStringLiteral("end"), callId, details);
        break;
    }
    case CallEventKind::Transferred: {
        // detail: "from -> to"
        const QStringList parties = event.detail.split(QStringLiteral(" -> "));
        m_audit.appendAudit(
            actor, QStringLiteral("transfer"), callId,
            {{QStringLiteral("from"), parties.value(0)}, {QStringLiteral("to"), parties.value(1)}});
        break;
    }
    case CallEventKind::CriticalAcknowledged: {
        const Call *c = m_store.call(callId);
        m_audit.appendAudit(actor, QStringLiteral("acknowledge_critical"), callId,
                            {{QStringLiteral("reason"), c ? c->criticalAlert.reason : QString()}});
        break;
    }
    case CallEventKind::FollowedUp:
        m_audit.appendAudit(actor, QStringLiteral("follow_up"), callId,
                            {{QStringLiteral("resolution"), event.detail}});
        break;
    case CallEventKind::LocationAccepted:
        m_audit.appendAudit(actor, QStringLiteral("accept_location"), callId);
        break;
    case CallEventKind::TriageOverridden: {
        const Call *c = m_store.call(callId);
        m_audit.appendAudit(actor, QStringLiteral("triage_override"), callId,
                            c && c->triage ? toJson(*c->triage) : QJsonObject());
        break;
    }
    default:
        break; // caller-side and informational events live in the timeline only
    }
}

void CallAuditor::onTriage(const QString &callId, const TriageReport &report)
{
    // Overrides are audited from their timeline event, which names who overrode.
    if (report.source != TriageSource::Dispatcher)
        m_audit.appendAudit(aiActor(report.source), QStringLiteral("triage_report"), callId,
                            toJson(report));
}

} // namespace dispatch
