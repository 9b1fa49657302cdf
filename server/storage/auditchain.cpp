#include "auditchain.h"
#include "database.h"

#include <QCryptographicHash>
#include <QDir>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

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
    QByteArray out("dispatch-audit-v1\n");
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

AuditVerification verifyAuditChain(QSqlDatabase &db)
{
    AuditVerification result;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT seq, at, actor, action, call_id, details, prev_hash, hash "
                               "FROM audit_log ORDER BY seq"))) {
        result.reason = q.lastError().text();
        return result;
    }
    result.status = AuditVerification::Status::Valid;
    QString previous = auditGenesisHash();
    qint64 expectedSeq = 1;
    auto broken = [&](qint64 seq, const QString &why) {
        result.status = AuditVerification::Status::Broken;
        result.firstBrokenSeq = seq;
        result.reason = why;
        result.headHash.clear();
        return result;
    };
    while (q.next()) {
        AuditEntry e;
        e.seq = q.value(0).toLongLong();
        e.atMs = q.value(1).toLongLong();
        e.actor = q.value(2).toString();
        e.action = q.value(3).toString();
        e.callId = q.value(4).toString();
        e.details = q.value(5).toString();
        e.prevHash = q.value(6).toString();
        e.hash = q.value(7).toString();
        if (e.seq != expectedSeq)
            return broken(
                expectedSeq,
                e.seq > expectedSeq
                    ? QStringLiteral("entries %1 to %2 are missing").arg(expectedSeq).arg(e.seq - 1)
                    : QStringLiteral("sequence number %1 out of order").arg(e.seq));
        if (e.prevHash != previous)
            return broken(
                e.seq, QStringLiteral("its previous-hash does not match entry %1").arg(e.seq - 1));
        if (auditEntryHash(e) != e.hash)
            return broken(e.seq, QStringLiteral("its contents do not match its hash (the entry "
                                                "was altered)"));
        previous = e.hash;
        ++expectedSeq;
        ++result.entries;
    }
    if (q.lastError().isValid()) {
        result.status = AuditVerification::Status::CannotOpen;
        result.reason = q.lastError().text();
        return result;
    }
    result.headHash = previous;
    return result;
}

AuditVerification verifyAuditLog(const QString &dataDir)
{
    Database db(QDir(dataDir).filePath(Database::fileName()));
    const auto opened = db.open(Database::Mode::ReadOnly);
    if (!opened) {
        AuditVerification result;
        result.reason = opened.error().message;
        return result;
    }
    if (!db.handle().tables().contains(QStringLiteral("audit_log"))) {
        AuditVerification result;
        result.reason = QStringLiteral("the database has no audit trail (schema version %1)")
                            .arg(opened.value());
        return result;
    }
    return verifyAuditChain(db.handle());
}

} // namespace dispatch
