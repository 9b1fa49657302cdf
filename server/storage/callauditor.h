#pragma once

#include "calls/callstore.h"

#include <QObject>

namespace dispatch {

class AuditTrail;

// Turns what the CallStore reports into audit entries: every AI output (triage reports,
// critical flags) and every change a person made to a call (answer, hold, resume, override,
// end). Actions the store does not see (transfer, playback, export, AI tool calls) are audited
// by whoever performs them through AuditTrail::appendAudit().
class CallAuditor : public QObject
{
    Q_OBJECT

public:
    CallAuditor(CallStore &store, AuditTrail &audit, QObject *parent = nullptr);

private:
    void onTimeline(const QString &callId, const CallEvent &event);
    void onTriage(const QString &callId, const TriageReport &report);

    CallStore &m_store;
    AuditTrail &m_audit;
};

} // namespace dispatch
