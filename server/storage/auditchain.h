#pragma once

#include "storage/auditanchor.h"
#include "storage/auditkey.h"
#include "storage/databasetarget.h"

#include <QByteArray>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QSqlQuery>
#include <QString>
#include <QStringList>

#include <optional>

namespace dispatch {

// One row of the audit trail. `details` is kept as the exact text that was hashed, so a
// verification never depends on how a later Qt formats JSON.
//
// Versions (the audit_log.version column, schema 4):
//   1  hash = SHA-256 of the canonical bytes. Entries written before the chain was keyed;
//      anyone can recompute them, so they only count as a prefix sealed by the first keyed
//      entry (whose MAC covers their head hash).
//   2  hash = HMAC-SHA256 of the canonical bytes with the audit key (AuditKey), kept outside
//      the data dir. A v1 entry after a v2 entry breaks the chain.
struct AuditEntry
{
    static constexpr qsizetype MaxDetailsBytes = 64 * 1024;
    static constexpr int LegacyVersion = 1;
    static constexpr int KeyedVersion = 2;

    qint64 seq = 0; // 1, 2, 3, ... without gaps
    qint64 atMs = 0;
    QString actor;   // "ai:gemini", "ai:local", "dispatcher:alice", "caller", "system", ...
    QString action;  // "triage_report", "answer", "override", "export", "playback", ...
    QString callId;  // the phone's call id, empty when not about a call
    QString details; // canonical JSON text
    QString prevHash;
    QString hash;
    int version = LegacyVersion;
};

// Hash of the entry before the first one.
QString auditGenesisHash();

// Compact JSON with sorted keys (QJsonObject keeps keys sorted), bounded: oversized details are
// replaced by their size and SHA-256 so an entry never carries an unbounded payload.
QString canonicalAuditDetails(const QJsonObject &details);

// The bytes that are hashed: a version tag and every field but `hash`, each length-prefixed so
// that no choice of field contents can make two different entries serialize alike.
QByteArray canonicalAuditBytes(const AuditEntry &entry);

// Lower-case hex SHA-256 of canonicalAuditBytes(entry): the hash of a version 1 entry.
QString auditEntryHash(const AuditEntry &entry);
// The hash the entry's version calls for: SHA-256 (v1) or HMAC-SHA256 with `key` (v2; empty
// when the key is null).
QString auditEntryHash(const AuditEntry &entry, const AuditKey &key);

// The audit_log columns in the order auditEntryFromRow() reads them.
QString auditEntryColumns();
// One audit_log row selected with auditEntryColumns().
AuditEntry auditEntryFromRow(const QSqlQuery &query);

struct AuditVerification
{
    enum class Status
    {
        Valid,
        Broken,     // an entry does not verify, or one is missing in the middle
        Truncated,  // the newest entries are gone (the chain is shorter than its anchor)
        Rewritten,  // the chain verifies but is not the one anchored (recomputed, or a copy)
        Emptied,    // no entries, but the anchor saw some
        Unanchored, // a keyed chain without its anchor file: truncation cannot be ruled out
        Modified,   // the chain is intact, but a sealed call's recording, transcript or triage
                    // history no longer matches the digests the chain holds
        CannotOpen
    };
    Status status = Status::CannotOpen;
    qint64 entries = 0;        // entries checked
    qint64 firstBrokenSeq = 0; // the first entry that does not verify (Broken)
    qint64 keyedFrom = 0;      // the first keyed (v2) entry, 0 if none
    QString reason;
    QString headHash;       // hash of the last entry (Valid)
    QStringList warnings;   // what does not fail the check but a reader should know
    QStringList modified;   // Modified: one line per sealed call that no longer matches
    qint64 sealedCalls = 0; // calls whose contents were checked against their seal
    qint64 purgedCalls = 0; // sealed calls deleted since by retention

    bool isIntact() const { return status == Status::Valid; }
};

QString statusName(AuditVerification::Status status);

// Walks the whole chain in order: sequence numbers without gaps, each prev_hash equal to the
// previous entry's hash, each hash equal to the recomputed one (keyed entries need `key`).
// Stops at the first break. With an anchor, then compares the chain with it (Truncated,
// Emptied, Rewritten).
AuditVerification verifyAuditChain(QSqlDatabase &db, const AuditKey &key = {},
                                   const std::optional<AuditAnchor> &anchor = std::nullopt);

struct AuditVerifyOptions
{
    QString keyPath;      // the audit key; empty: an unkeyed chain only
    QString anchorPath;   // empty: beside the key (defaultAuditAnchorPath)
    bool contents = true; // also check sealed calls' recordings, transcripts and triage
    // The database; unset: <dataDir>/dispatch.sqlite. Recordings are read from the data dir.
    std::optional<DatabaseTarget> database;
};

// Opens the database (<dataDir>/dispatch.sqlite by default) read-only and verifies it (what
// --verify-audit runs): the chain, its anchor, then the contents of every sealed call (CallSeal).
AuditVerification verifyAuditLog(const QString &dataDir, const AuditVerifyOptions &options = {});

} // namespace dispatch
