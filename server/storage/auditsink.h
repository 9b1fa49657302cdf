#pragma once

#include <QJsonObject>
#include <QString>

namespace dispatch {

// The one thing other subsystems need from storage: recording what they did in the audit trail
// (an AI tool call, a transfer, a playback). A narrow seam, so they depend on this and tests can
// hand them a fake.
class AuditSink
{
public:
    virtual ~AuditSink() = default;
    // actor: "ai:gemini", "dispatcher:alice", "system"; action: a stable snake_case verb.
    // Returns the entry's sequence number, 0 when it could not be recorded.
    virtual qint64 appendAudit(const QString &actor, const QString &action, const QString &callId,
                               const QJsonObject &details = {}) = 0;
};

} // namespace dispatch
