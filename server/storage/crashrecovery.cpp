#include "storage/crashrecovery.h"
#include "storage/preparedquery.h"
#include "storage/storagelog.h"
#include "storage/wavwriter.h"

#include <QDir>
#include <QFileInfo>
#include <QSqlError>
#include <QSqlQuery>

namespace dispatch {

namespace {

// Runs a statement; the first failure is kept in *error and makes every later call a no-op.
bool exec(QSqlQuery &q, const QString &sql, const QVariantList &binds, QString *error)
{
    return error->isEmpty() && runPrepared(q, sql, binds, error);
}

// The calls of `node` (and those that hold none), or every call when `node` is empty.
QString ofNode(const QString &node, const QString &alias)
{
    return node.isEmpty() ? QStringLiteral("1 = 1")
                          : QStringLiteral("(%1.node = ? OR %1.node IS NULL)").arg(alias);
}

QVariantList nodeBinds(const QString &node)
{
    return node.isEmpty() ? QVariantList() : QVariantList{node};
}

void repairRecordings(QSqlDatabase &db, const QString &dataDir, const QString &node,
                      RecoveryReport &report, QString *error)
{
    QSqlQuery select(db);
    exec(select,
         QStringLiteral("SELECT r.id, r.path FROM recordings r JOIN calls c ON c.id = r.call "
                        "WHERE (r.finalized = 0 OR c.ended_at IS NULL) AND %1")
             .arg(ofNode(node, QStringLiteral("c"))),
         nodeBinds(node), error);
    QList<QPair<qint64, QString>> rows;
    while (select.next())
        rows.append({select.value(0).toLongLong(), select.value(1).toString()});
    QSqlQuery update(db);
    for (const auto &[id, relPath] : rows) {
        const QString path = QDir(dataDir).filePath(relPath);
        qint64 bytes = 0;
        qint64 durationMs = 0;
        if (!QFileInfo::exists(path)) {
            report.problems.append(QStringLiteral("recording %1 is missing").arg(relPath));
        } else if (const auto info = repairWavFile(path); !info) {
            report.problems.append(
                QStringLiteral("recording %1: %2").arg(relPath, info.error().message));
        } else {
            bytes = info->availableDataBytes();
            durationMs = info->durationMs(bytes);
            ++report.repairedRecordings;
            report.recoveredAudioBytes += bytes;
        }
        exec(update,
             QStringLiteral("UPDATE recordings SET bytes = ?, duration_ms = ?, finalized = 1 "
                            "WHERE id = ?"),
             {bytes, durationMs, id}, error);
    }
}

void endInterruptedCalls(QSqlDatabase &db, const QString &node, RecoveryReport &report,
                         QString *error)
{
    QSqlQuery select(db);
    exec(select,
         QStringLiteral("SELECT id, call_id, ringing_at FROM calls c WHERE ended_at IS NULL AND %1")
             .arg(ofNode(node, QStringLiteral("c"))),
         nodeBinds(node), error);
    QList<std::tuple<qint64, QString, qint64>> calls;
    while (select.next())
        calls.append({select.value(0).toLongLong(), select.value(1).toString(),
                      select.value(2).toLongLong()});
    QSqlQuery q(db);
    for (const auto &[key, callId, ringingAt] : calls) {
        // The call ended, as far as anyone can tell, at the last thing we know happened in it.
        exec(q,
             QStringLiteral("SELECT MAX(t) FROM ("
                            " SELECT MAX(at) AS t FROM timeline_events WHERE call = ?"
                            " UNION ALL SELECT MAX(at) FROM transcript_segments WHERE call = ?"
                            " UNION ALL SELECT MAX(at) FROM triage_reports WHERE call = ?"
                            " UNION ALL SELECT MAX(at) FROM vitals_samples WHERE call = ?"
                            " UNION ALL SELECT MAX(at) FROM locations WHERE call = ?"
                            " UNION ALL SELECT MAX(at) FROM frames WHERE call = ?"
                            " UNION ALL SELECT MAX(started_at + duration_ms) FROM recordings"
                            "  WHERE call = ?) AS seen"),
             QVariantList(7, key), error);
        const qint64 lastSeen =
            q.next() && !q.value(0).isNull() ? qMax(ringingAt, q.value(0).toLongLong()) : ringingAt;
        exec(q,
             QStringLiteral("UPDATE calls SET state = 'ended', end_reason = 'interrupted', "
                            "interrupted = 1, ended_at = ? WHERE id = ?"),
             {lastSeen, key}, error);
        exec(q,
             QStringLiteral("INSERT INTO timeline_events (call, at, kind, detail) "
                            "VALUES (?, ?, 'ended', 'interrupted')"),
             {key, lastSeen}, error);
        report.interruptedCalls.append(callId);
    }
}

} // namespace

Parsed<RecoveryReport> recoverAfterCrash(QSqlDatabase &db, const QString &dataDir,
                                         const QString &node)
{
    RecoveryReport report;
    if (!db.transaction())
        return ProtocolError{QStringLiteral("db"), db.lastError().text()};
    QString error;
    repairRecordings(db, dataDir, node, report, &error);
    endInterruptedCalls(db, node, report, &error);
    if (!error.isEmpty()) {
        db.rollback();
        return ProtocolError{QStringLiteral("db"), error};
    }
    if (!db.commit()) {
        error = db.lastError().text();
        db.rollback();
        return ProtocolError{QStringLiteral("db"), error};
    }
    for (const QString &p : std::as_const(report.problems))
        qCWarning(lcStorage).noquote() << "recovery:" << p;
    if (!report.interruptedCalls.isEmpty() || report.repairedRecordings > 0)
        qCWarning(lcStorage).noquote()
            << "recovered after a crash:" << report.interruptedCalls.size() << "interrupted call(s)"
            << report.interruptedCalls.join(QStringLiteral(", ")) << ";"
            << report.repairedRecordings << "recording(s) repaired," << report.recoveredAudioBytes
            << "audio bytes kept";
    return report;
}

} // namespace dispatch
