#include "storage/auditchain.h"
#include "storage/callseal.h"
#include "storage/database.h"

#include <QCryptographicHash>
#include <QDateTime>
#include <QDir>
#include <QFileInfo>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace dispatch {

namespace {

void appendField(QByteArray &out, const QByteArray &value)
{
    out += QByteArray::number(value.size());
    out += ':';
    out += value;
    out += '\n';
}

} // namespace

QString auditGenesisHash()
{
    return QString(64, QLatin1Char('0'));
}

QString canonicalAuditDetails(const QJsonObject &details)
{
    const QByteArray json = QJsonDocument(details).toJson(QJsonDocument::Compact);
    if (json.size() <= AuditEntry::MaxDetailsBytes)
        return QString::fromUtf8(json);
    const QJsonObject stub{
        {QStringLiteral("truncated"), true},
        {QStringLiteral("bytes"), json.size()},
        {QStringLiteral("sha256"),
         QString::fromLatin1(QCryptographicHash::hash(json, QCryptographicHash::Sha256).toHex())},
    };
    return QString::fromUtf8(QJsonDocument(stub).toJson(QJsonDocument::Compact));
}

QByteArray canonicalAuditBytes(const AuditEntry &e)
{
    QByteArray out("dispatch-audit-v" + QByteArray::number(e.version) + '\n');
    appendField(out, QByteArray::number(e.seq));
    appendField(out, QByteArray::number(e.atMs));
    appendField(out, e.actor.toUtf8());
    appendField(out, e.action.toUtf8());
    appendField(out, e.callId.toUtf8());
    appendField(out, e.details.toUtf8());
    appendField(out, e.prevHash.toLatin1());
    return out;
}

QString auditEntryHash(const AuditEntry &entry)
{
    return QString::fromLatin1(
        QCryptographicHash::hash(canonicalAuditBytes(entry), QCryptographicHash::Sha256).toHex());
}

QString auditEntryHash(const AuditEntry &entry, const AuditKey &key)
{
    if (entry.version == AuditEntry::KeyedVersion)
        return key.mac(canonicalAuditBytes(entry));
    return auditEntryHash(entry);
}

QString statusName(AuditVerification::Status status)
{
    switch (status) {
    case AuditVerification::Status::Valid:
        return QStringLiteral("intact");
    case AuditVerification::Status::Broken:
        return QStringLiteral("broken");
    case AuditVerification::Status::Truncated:
        return QStringLiteral("truncated");
    case AuditVerification::Status::Rewritten:
        return QStringLiteral("rewritten");
    case AuditVerification::Status::Emptied:
        return QStringLiteral("emptied");
    case AuditVerification::Status::Unanchored:
        return QStringLiteral("unanchored");
    case AuditVerification::Status::Modified:
        return QStringLiteral("modified");
    case AuditVerification::Status::CannotOpen:
        return QStringLiteral("unreadable");
    }
    return QString();
}

QString auditEntryColumns()
{
    return QStringLiteral("seq, at, actor, action, call_id, details, prev_hash, hash, version");
}

AuditEntry auditEntryFromRow(const QSqlQuery &q)
{
    AuditEntry e;
    e.seq = q.value(0).toLongLong();
    e.atMs = q.value(1).toLongLong();
    e.actor = q.value(2).toString();
    e.action = q.value(3).toString();
    e.callId = q.value(4).toString();
    e.details = q.value(5).toString();
    e.prevHash = q.value(6).toString();
    e.hash = q.value(7).toString();
    e.version = q.value(8).toInt();
    return e;
}

AuditVerification verifyAuditChain(QSqlDatabase &db, const AuditKey &key,
                                   const std::optional<AuditAnchor> &anchor)
{
    AuditVerification result;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT %1 FROM audit_log ORDER BY seq").arg(auditEntryColumns()))) {
        result.reason = q.lastError().text();
        return result;
    }
    result.status = AuditVerification::Status::Valid;
    QString previous = auditGenesisHash();
    QString hashAtAnchor;
    qint64 expectedSeq = 1;
    auto broken = [&](qint64 seq, const QString &why) {
        result.status = AuditVerification::Status::Broken;
        result.firstBrokenSeq = seq;
        result.reason = why;
        result.headHash.clear();
        return result;
    };
    while (q.next()) {
        const AuditEntry e = auditEntryFromRow(q);
        if (e.seq != expectedSeq)
            return broken(
                expectedSeq,
                e.seq > expectedSeq
                    ? QStringLiteral("entries %1 to %2 are missing").arg(expectedSeq).arg(e.seq - 1)
                    : QStringLiteral("sequence number %1 out of order").arg(e.seq));
        if (e.prevHash != previous)
            return broken(
                e.seq, QStringLiteral("its previous-hash does not match entry %1").arg(e.seq - 1));
        if (e.version == AuditEntry::KeyedVersion) {
            if (key.isNull()) {
                result.status = AuditVerification::Status::CannotOpen;
                result.reason = QStringLiteral("the chain is keyed from entry %1 on: its audit "
                                               "key is needed (--audit-key)")
                                    .arg(e.seq);
                return result;
            }
            if (result.keyedFrom == 0)
                result.keyedFrom = e.seq;
            if (auditEntryHash(e, key) != e.hash)
                return broken(e.seq, QStringLiteral("its contents do not match its keyed hash "
                                                    "(the entry was altered, or this is not the "
                                                    "chain's key)"));
        } else if (e.version == AuditEntry::LegacyVersion) {
            // Anyone can recompute an unkeyed entry: after the first keyed one, it can only be
            // a forgery.
            if (result.keyedFrom != 0)
                return broken(e.seq, QStringLiteral("an unkeyed entry after keyed entries (the "
                                                    "chain was recomputed without the key)"));
            if (auditEntryHash(e) != e.hash)
                return broken(e.seq, QStringLiteral("its contents do not match its hash (the "
                                                    "entry was altered)"));
        } else {
            return broken(e.seq, QStringLiteral("unknown entry version %1").arg(e.version));
        }
        previous = e.hash;
        if (anchor && e.seq == anchor->entries)
            hashAtAnchor = e.hash;
        ++expectedSeq;
        ++result.entries;
    }
    if (q.lastError().isValid()) {
        result.status = AuditVerification::Status::CannotOpen;
        result.reason = q.lastError().text();
        return result;
    }
    result.headHash = previous;
    if (!anchor)
        return result;
    if (!anchor->keyId.isEmpty() && anchor->keyId != key.id()) {
        result.status = AuditVerification::Status::CannotOpen;
        result.reason = QStringLiteral("the anchor was written with another audit key (%1, not "
                                       "%2)")
                            .arg(anchor->keyId, key.id());
        return result;
    }
    const AnchorComparison c =
        compareWithAnchor(result.entries, hashAtAnchor, result.keyedFrom, *anchor);
    switch (c.finding) {
    case AnchorComparison::Finding::Consistent:
        return result;
    case AnchorComparison::Finding::Truncated:
        result.status = AuditVerification::Status::Truncated;
        break;
    case AnchorComparison::Finding::Rewritten:
        result.status = AuditVerification::Status::Rewritten;
        break;
    case AnchorComparison::Finding::Emptied:
        result.status = AuditVerification::Status::Emptied;
        break;
    }
    result.reason = c.reason;
    return result;
}

AuditVerification verifyAuditLog(const QString &dataDir, const AuditVerifyOptions &options)
{
    auto cannot = [](const QString &why) {
        AuditVerification result;
        result.reason = why;
        return result;
    };
    AuditKey key;
    QString anchorPath = options.anchorPath;
    if (!options.keyPath.isEmpty()) {
        const auto loaded = AuditKey::load(options.keyPath);
        if (loaded)
            key = loaded.value();
        else if (QFileInfo::exists(options.keyPath))
            return cannot(loaded.error().message);
        if (anchorPath.isEmpty())
            anchorPath = defaultAuditAnchorPath(options.keyPath, dataDir);
    }
    std::optional<AuditAnchor> anchor;
    if (!anchorPath.isEmpty()) {
        const auto read = readAuditAnchor(anchorPath, key);
        if (!read)
            return cannot(read.error().message);
        anchor = read.value();
    }
    Database db(options.database.value_or(
        DatabaseTarget::sqlite(QDir(dataDir).filePath(Database::fileName()))));
    const auto opened = db.open(Database::Mode::ReadOnly);
    if (!opened)
        return cannot(opened.error().message);
    if (!db.handle().tables().contains(QStringLiteral("audit_log")))
        return cannot(QStringLiteral("the database has no audit trail (schema version %1)")
                          .arg(opened.value()));
    if (!db.handle().record(QStringLiteral("audit_log")).contains(QStringLiteral("version")))
        return cannot(QStringLiteral("the database is at schema version %1: open it once with "
                                     "this version of the console to migrate it")
                          .arg(opened.value()));
    AuditVerification result = verifyAuditChain(db.handle(), key, anchor);
    if (result.status != AuditVerification::Status::Valid)
        return result;
    // What the console itself found at a start: the anchor has moved on since, but the finding
    // stays in the chain, and a reader of the verification must see it.
    QSqlQuery findings(db.handle());
    if (findings.exec(QStringLiteral("SELECT seq, at, details FROM audit_log WHERE action = "
                                     "'audit_anchor_mismatch' ORDER BY seq"))) {
        while (findings.next()) {
            const QJsonObject d =
                QJsonDocument::fromJson(findings.value(2).toString().toUtf8()).object();
            result.warnings << QStringLiteral("entry %1: on %2 the console found the audit trail "
                                              "%3: %4")
                                   .arg(findings.value(0).toLongLong())
                                   .arg(QDateTime::fromMSecsSinceEpoch(
                                            findings.value(1).toLongLong(), Qt::UTC)
                                            .toString(Qt::ISODate))
                                   .arg(d.value(QLatin1String("finding")).toString(),
                                        d.value(QLatin1String("reason")).toString());
        }
    }
    if (!anchor) {
        if (result.keyedFrom > 0) {
            result.status = AuditVerification::Status::Unanchored;
            result.reason = anchorPath.isEmpty()
                                ? QStringLiteral("the chain is keyed but no anchor was given")
                                : QStringLiteral("the chain is keyed but its anchor %1 is "
                                                 "missing: entries cut from its end would not "
                                                 "show")
                                      .arg(anchorPath);
            return result;
        }
        result.warnings << QStringLiteral("unkeyed chain without an anchor: it verifies, but "
                                          "anyone who can write the database could have "
                                          "recomputed or shortened it");
    }
    if (options.contents) {
        const SealCheck seals = verifyCallSeals(db.handle(), dataDir);
        result.sealedCalls = seals.sealed;
        result.purgedCalls = seals.purged;
        if (!seals.problems.isEmpty()) {
            result.status = AuditVerification::Status::Modified;
            result.modified = seals.problems;
            result.reason = QStringLiteral("%1 sealed call(s) no longer match their seal")
                                .arg(seals.problems.size());
        }
    }
    return result;
}

} // namespace dispatch
