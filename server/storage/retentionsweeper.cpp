#include "storage/retentionsweeper.h"
#include "storage/audittrail.h"
#include "storage/batchwriter.h"
#include "storage/storagelog.h"

#include <QDir>
#include <QFileInfo>
#include <QJsonArray>
#include <QSqlError>
#include <QSqlQuery>

namespace dispatch {

namespace {

// Only directories under recordings/ are ever removed, whatever a row says.
bool isInsideRecordings(const QString &dataDir, const QString &relative)
{
    const QString root = QDir::cleanPath(QDir(dataDir).filePath(QStringLiteral("recordings")));
    const QString path = QDir::cleanPath(QDir(dataDir).filePath(relative));
    return path.startsWith(root + QLatin1Char('/'));
}

} // namespace

RetentionSweeper::RetentionSweeper(QSqlDatabase db, BatchWriter &writer, AuditTrail &audit,
                                   QString dataDir, RetentionConfig config, Clock clock,
                                   QObject *parent)
    : QObject(parent)
    , m_db(std::move(db))
    , m_writer(writer)
    , m_audit(audit)
    , m_dataDir(std::move(dataDir))
    , m_config(config)
    , m_clock(std::move(clock))
{
    m_timer.setInterval(m_config.sweepIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, [this] { sweep(); });
}

void RetentionSweeper::start()
{
    sweep();
    m_timer.start();
}

int RetentionSweeper::sweep()
{
    if (m_config.days <= 0)
        return 0;
    // Whatever is queued goes first: the sweep must see (and keep) the latest state of calls.
    m_writer.flush();
    const qint64 cutoff = m_clock().addDays(-m_config.days).toMSecsSinceEpoch();
    QSqlQuery q(m_db);
    q.prepare(QStringLiteral("SELECT id, call_id, media_dir FROM calls "
                             "WHERE ended_at IS NOT NULL AND ended_at < ? ORDER BY id"));
    q.addBindValue(cutoff);
    if (!q.exec()) {
        qCWarning(lcStorage) << "retention sweep failed:" << q.lastError().text();
        return -1;
    }
    QList<qint64> keys;
    QJsonArray callIds;
    int filesFailed = 0;
    while (q.next()) {
        const QString mediaDir = q.value(2).toString();
        if (isInsideRecordings(m_dataDir, mediaDir)) {
            QDir dir(QDir(m_dataDir).filePath(mediaDir));
            if (dir.exists() && !dir.removeRecursively()) {
                ++filesFailed; // keep the row: the next sweep tries again
                continue;
            }
            QDir().rmdir(QFileInfo(dir.absolutePath()).absolutePath()); // the day, once empty
        }
        keys.append(q.value(0).toLongLong());
        callIds.append(q.value(1).toString());
    }
    q.finish();
    if (keys.isEmpty()) {
        Q_EMIT sweepFinished(0);
        return 0;
    }
    // Rows of timeline, triage, transcript, vitals, locations, recordings and frames follow
    // through ON DELETE CASCADE.
    for (const qint64 key : std::as_const(keys))
        m_writer.enqueue(QStringLiteral("DELETE FROM calls WHERE id = ?"), {key});
    m_audit.appendAudit(QStringLiteral("system"), QStringLiteral("retention_delete"), QString(),
                        {{QStringLiteral("retention_days"), m_config.days},
                         {QStringLiteral("ended_before_ms"), cutoff},
                         {QStringLiteral("call_ids"), callIds}});
    if (!m_writer.flush()) {
        qCWarning(lcStorage) << "retention: deleting" << keys.size()
                             << "call rows is queued until the database can be written";
    }
    if (filesFailed > 0)
        qCWarning(lcStorage) << "retention: could not delete the files of" << filesFailed
                             << "call(s); will retry";
    qCInfo(lcStorage) << "retention: deleted" << keys.size() << "call(s) that ended more than"
                      << m_config.days << "days ago";
    Q_EMIT sweepFinished(static_cast<int>(keys.size()));
    return static_cast<int>(keys.size());
}

} // namespace dispatch
