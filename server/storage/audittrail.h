#pragma once

#include "common/clock.h"
#include "common/parseresult.h"
#include "storage/auditchain.h"

#include <QJsonObject>
#include <QSqlDatabase>

namespace dispatch {

class BatchWriter;

// The append-only, hash-chained record of every AI output and every human action on calls
// (answer, hold, override, transfer, end, playback, export). Any subsystem that acts on a call
// calls appendAudit(); entries are chained in memory at once and committed with the next batch,
// so the chain on disk is always a prefix of the chain in memory.
class AuditTrail
{
public:
    // writer may be null (storage unavailable): entries are then counted and logged only.
    // With a key, new entries are keyed (version 2, HMAC-SHA256); without one they are plain
    // SHA-256 (version 1), which only tests and benchmarks should do.
    AuditTrail(BatchWriter *writer, Clock clock, AuditKey key = {});

    // Continues the chain found in the database.
    Parsed<bool> load(QSqlDatabase &db);
    // Whether the chain loaded already holds keyed entries.
    bool chainIsKeyed() const { return m_chainKeyed; }
    bool isKeyed() const { return !m_key.isNull(); }

    // actor: "ai:gemini", "dispatcher:alice", "system", ...; action: a stable snake_case verb.
    // Returns the entry's sequence number (0 when it could not be recorded).
    qint64 appendAudit(const QString &actor, const QString &action, const QString &callId,
                       const QJsonObject &details = {});

    qint64 lastSeq() const { return m_lastSeq; }
    QString headHash() const { return m_headHash; }
    quint64 unrecorded() const { return m_unrecorded; }

private:
    BatchWriter *m_writer;
    Clock m_clock;
    AuditKey m_key;
    bool m_chainKeyed = false;
    qint64 m_lastSeq = 0;
    QString m_headHash;
    quint64 m_unrecorded = 0;
};

} // namespace dispatch
