#include "storage/audittrail.h"
#include "storage/batchwriter.h"
#include "storage/storagelog.h"

#include <QSqlError>
#include <QSqlQuery>

namespace dispatch {

AuditTrail::AuditTrail(BatchWriter *writer, Clock clock, AuditKey key)
    : m_writer(writer)
    , m_clock(std::move(clock))
    , m_key(std::move(key))
    , m_headHash(auditGenesisHash())
{}

Parsed<bool> AuditTrail::load(QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")))
        return ProtocolError{QStringLiteral("db"), q.lastError().text()};
    if (q.next()) {
        m_lastSeq = q.value(0).toLongLong();
        m_headHash = q.value(1).toString();
    }
    q.finish();
    if (q.exec(QStringLiteral("SELECT COUNT(*) FROM audit_log WHERE version = 2")) && q.next())
        m_chainKeyed = q.value(0).toLongLong() > 0;
    q.finish();
    qCInfo(lcStorage).noquote() << "audit trail at entry" << m_lastSeq << "head" << m_headHash
                                << (m_key.isNull() ? "(unkeyed)" : "(keyed)");
    if (m_chainKeyed && m_key.isNull())
        qCCritical(lcStorage) << "the audit trail is keyed but no audit key was given: new "
                                 "entries will not verify as part of it";
    return true;
}

qint64 AuditTrail::appendAudit(const QString &actor, const QString &action, const QString &callId,
                               const QJsonObject &details)
{
    if (!m_writer) {
        ++m_unrecorded;
        qCWarning(lcStorage) << "audit entry NOT recorded (storage unavailable):" << actor << action
                             << callId;
        return 0;
    }
    AuditEntry e;
    e.seq = m_lastSeq + 1;
    e.atMs = m_clock().toMSecsSinceEpoch();
    e.actor = actor.left(200);
    e.action = action.left(100);
    e.callId = callId.isNull() ? QString::fromLatin1("") : callId.left(200); // '' not NULL
    e.details = canonicalAuditDetails(details);
    e.prevHash = m_headHash;
    e.version = m_key.isNull() ? AuditEntry::LegacyVersion : AuditEntry::KeyedVersion;
    e.hash = auditEntryHash(e, m_key);
    m_writer->enqueue(
        QStringLiteral("INSERT INTO audit_log (seq, at, actor, action, call_id, "
                       "details, prev_hash, hash, version) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"),
        {e.seq, e.atMs, e.actor, e.action, e.callId, e.details, e.prevHash, e.hash, e.version});
    m_lastSeq = e.seq;
    m_headHash = e.hash;
    return e.seq;
}

} // namespace dispatch
