#include "storage/callseal.h"
#include "storage/storagelog.h"

#include <QDir>
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSet>
#include <QSqlError>
#include <QSqlQuery>
#include <QSqlRecord>

namespace dispatch {

namespace {

QJsonObject parseDetails(const QString &text)
{
    return QJsonDocument::fromJson(text.toUtf8()).object();
}

// A path a seal names, resolved inside the data dir's recordings (never outside it).
QString recordingPath(const QString &dataDir, const QString &relative)
{
    const QString root = QDir::cleanPath(QDir(dataDir).filePath(QStringLiteral("recordings")));
    const QString path = QDir::cleanPath(QDir(dataDir).filePath(relative));
    return path.startsWith(root + QLatin1Char('/')) ? path : QString();
}

QString digestOf(QSqlDatabase &db, const QString &columns, const QString &table, qint64 key,
                 qint64 *rows, QString *error)
{
    QSqlQuery q(db);
    q.setForwardOnly(true);
    q.prepare(QStringLiteral("SELECT %1 FROM %2 WHERE call = ? ORDER BY id").arg(columns, table));
    q.addBindValue(key);
    if (!q.exec()) {
        *error = q.lastError().text();
        return QString();
    }
    RowDigest digest;
    const int n = q.record().count();
    while (q.next()) {
        QVariantList row;
        for (int i = 0; i < n; ++i)
            row.append(q.value(i));
        digest.add(row);
    }
    *rows = digest.rows();
    return digest.hex();
}

} // namespace

void RowDigest::add(const QVariantList &row)
{
    QByteArray bytes = "row " + QByteArray::number(row.size()) + '\n';
    for (const QVariant &v : row) {
        if (!v.isValid() || v.isNull()) {
            bytes += "~\n";
            continue;
        }
        const QByteArray text = v.toString().toUtf8();
        bytes += QByteArray::number(text.size()) + ':' + text + '\n';
    }
    m_hash.addData(bytes);
    ++m_rows;
}

QString RowDigest::hex() const
{
    return QString::fromLatin1(m_hash.resultView().toByteArray().toHex());
}

QJsonObject RowDigest::toJson() const
{
    return {{QStringLiteral("rows"), m_rows}, {QStringLiteral("sha256"), hex()}};
}

QString transcriptDigestColumns()
{
    return QStringLiteral("at, speaker, text");
}

QString triageDigestColumns()
{
    return QStringLiteral(
        "at, source, origin, severity, response_type, report_json, replaced_ai_json");
}

QString fileSha256(const QString &path, qint64 *bytes, QString *error)
{
    QFile file(path);
    if (!file.open(QIODevice::ReadOnly)) {
        if (error)
            *error = file.errorString();
        return QString();
    }
    QCryptographicHash hash(QCryptographicHash::Sha256);
    if (!hash.addData(&file)) {
        if (error)
            *error = file.errorString();
        return QString();
    }
    if (bytes)
        *bytes = file.size();
    return QString::fromLatin1(hash.result().toHex());
}

SealCheck verifyCallSeals(QSqlDatabase &db, const QString &dataDir)
{
    SealCheck check;
    QSqlQuery q(db);
    q.setForwardOnly(true);
    if (!q.exec(QStringLiteral("SELECT seq, action, call_id, details FROM audit_log WHERE action "
                               "IN ('call_sealed', 'retention_delete') ORDER BY seq"))) {
        check.problems << QStringLiteral("cannot read the seals: %1").arg(q.lastError().text());
        return check;
    }
    struct Seal
    {
        qint64 seq;
        QString callId;
        QJsonObject details;
    };
    QList<Seal> seals;
    QHash<QString, qint64> retainedUntil; // call id -> last retention_delete naming it
    while (q.next()) {
        const QJsonObject details = parseDetails(q.value(3).toString());
        if (q.value(1).toString() == QLatin1String("call_sealed")) {
            seals.append({q.value(0).toLongLong(), q.value(2).toString(), details});
        } else {
            for (const QJsonValue id : details.value(QLatin1String("call_ids")).toArray())
                retainedUntil.insert(id.toString(), q.value(0).toLongLong());
        }
    }
    q.finish();
    for (const Seal &seal : std::as_const(seals)) {
        const qint64 key = seal.details.value(QLatin1String("call_key")).toInteger();
        const QString who = QStringLiteral("call %1 (key %2, sealed at entry %3)")
                                .arg(seal.callId)
                                .arg(key)
                                .arg(seal.seq);
        QSqlQuery row(db);
        row.prepare(QStringLiteral("SELECT call_id FROM calls WHERE id = ?"));
        row.addBindValue(key);
        if (!row.exec()) {
            check.problems << who + QStringLiteral(": ") + row.lastError().text();
            continue;
        }
        if (!row.next()) {
            if (retainedUntil.value(seal.callId) > seal.seq)
                ++check.purged;
            else
                check.problems << who + QStringLiteral(": its records were deleted, and no "
                                                       "retention sweep did it");
            continue;
        }
        if (row.value(0).toString() != seal.callId) {
            check.problems << who + QStringLiteral(": the call row now belongs to %1")
                                        .arg(row.value(0).toString());
            continue;
        }
        row.finish();
        ++check.sealed;
        struct Part
        {
            const char *name;
            QString columns;
            QString table;
        };
        const Part parts[] = {
            {"transcript", transcriptDigestColumns(), QStringLiteral("transcript_segments")},
            {"triage", triageDigestColumns(), QStringLiteral("triage_reports")}};
        for (const Part &part : parts) {
            const QJsonObject sealed = seal.details.value(QLatin1String(part.name)).toObject();
            qint64 rows = 0;
            QString error;
            const QString digest = digestOf(db, part.columns, part.table, key, &rows, &error);
            if (!error.isEmpty())
                check.problems << who + QStringLiteral(": ") + error;
            else if (digest != sealed.value(QLatin1String("sha256")).toString())
                check.problems << who + QStringLiteral(": its %1 was modified (%2 rows now, %3 "
                                                       "sealed)")
                                            .arg(QLatin1String(part.name))
                                            .arg(rows)
                                            .arg(sealed.value(QLatin1String("rows")).toInteger());
        }
        for (const QJsonValue v : seal.details.value(QLatin1String("recordings")).toArray()) {
            const QJsonObject file = v.toObject();
            const QString relative = file.value(QLatin1String("path")).toString();
            const QString path = recordingPath(dataDir, relative);
            QString error;
            const QString digest = path.isEmpty() ? QString() : fileSha256(path, nullptr, &error);
            if (digest.isEmpty())
                check.problems << who + QStringLiteral(": recording %1 cannot be read (%2)")
                                            .arg(relative, path.isEmpty()
                                                               ? QStringLiteral("outside the "
                                                                                "recordings")
                                                               : error);
            else if (digest != file.value(QLatin1String("sha256")).toString())
                check.problems << who + QStringLiteral(": recording %1 was modified").arg(relative);
        }
    }
    return check;
}

} // namespace dispatch
