#pragma once

#include <QByteArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>

namespace dispatch {

// One row of the audit trail. `details` is kept as the exact text that was hashed, so a
// verification never depends on how a later Qt formats JSON.
struct AuditEntry
{
    static constexpr qsizetype MaxDetailsBytes = 64 * 1024;

    qint64 seq = 0; // 1, 2, 3, ... without gaps
    qint64 atMs = 0;
    QString actor;   // "ai:gemini", "ai:local", "dispatcher:alice", "caller", "system", ...
    QString action;  // "triage_report", "answer", "override", "export", "playback", ...
    QString callId;  // the phone's call id, empty when not about a call
    QString details; // canonical JSON text
    QString prevHash;
    QString hash;
};

// Hash of the entry before the first one.
QString auditGenesisHash();

// Compact JSON with sorted keys (QJsonObject keeps keys sorted), bounded: oversized details are
// replaced by their size and SHA-256 so an entry never carries an unbounded payload.
QString canonicalAuditDetails(const QJsonObject &details);

// The bytes that are hashed: a version tag and every field but `hash`, each length-prefixed so
// that no choice of field contents can make two different entries serialize alike.
QByteArray canonicalAuditBytes(const AuditEntry &entry);

// Lower-case hex SHA-256 of canonicalAuditBytes(entry).
QString auditEntryHash(const AuditEntry &entry);

struct AuditVerification
{
    enum class Status
    {
        Valid,
        Broken,
        CannotOpen
    };
    Status status = Status::CannotOpen;
    qint64 entries = 0;        // entries checked
    qint64 firstBrokenSeq = 0; // the first entry that does not verify (Broken)
    QString reason;
    QString headHash; // hash of the last entry (Valid)
};

// Walks the whole chain in order: sequence numbers without gaps, each prev_hash equal to the
// previous entry's hash, each hash equal to the recomputed one. Stops at the first break.
AuditVerification verifyAuditChain(QSqlDatabase &db);

// Opens <dataDir>/dispatch.sqlite read-only and verifies it (what --verify-audit runs).
AuditVerification verifyAuditLog(const QString &dataDir);

} // namespace dispatch
