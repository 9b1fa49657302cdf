#include "storage/batchwriter.h"
#include "storage/storagelog.h"

#include <QElapsedTimer>
#include <QSqlError>

namespace dispatch {

namespace {

// SQLite primary result codes that mean "the database cannot take writes right now" rather
// than "this row is wrong": keep the rows and try again.
bool isTransient(const QSqlError &error)
{
    bool ok = false;
    const int code = error.nativeErrorCode().toInt(&ok) & 0xff;
    if (!ok)
        return true; // a driver-level failure (e.g. BEGIN refused): assume the disk
    switch (code) {
    case 5:  // SQLITE_BUSY
    case 6:  // SQLITE_LOCKED
    case 7:  // SQLITE_NOMEM
    case 8:  // SQLITE_READONLY
    case 10: // SQLITE_IOERR
    case 11: // SQLITE_CORRUPT
    case 13: // SQLITE_FULL
    case 14: // SQLITE_CANTOPEN
    case 15: // SQLITE_PROTOCOL
        return true;
    default:
        return false;
    }
}

} // namespace

BatchWriter::BatchWriter(QSqlDatabase db, BatchWriterConfig config, QObject *parent)
    : QObject(parent)
    , m_db(std::move(db))
    , m_config(config)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] { flush(); });
}

BatchWriter::~BatchWriter()
{
    flush();
    if (!m_queue.isEmpty())
        qCWarning(lcStorage) << m_queue.size() << "rows could not be written before shutdown";
}

void BatchWriter::enqueue(const QString &sql, const QVariantList &binds, Priority priority)
{
    m_queue.append({sql, binds, priority});
    if (m_queue.size() >= m_config.maxBatchRows && !m_failing && !m_flushing)
        flush();
    else
        schedule();
}

void BatchWriter::requestFlush()
{
    m_flushRequested = true;
    schedule();
}

void BatchWriter::schedule()
{
    if (!m_timer.isActive() && (!m_queue.isEmpty() || m_flushRequested))
        m_timer.start(m_failing ? m_config.retryIntervalMs : m_config.flushIntervalMs);
}

QSqlQuery *BatchWriter::prepared(const QString &sql, QSqlError *error)
{
    auto it = m_statements.find(sql);
    if (it == m_statements.end()) {
        auto q = std::make_unique<QSqlQuery>(m_db);
        if (!q->prepare(sql)) {
            *error = q->lastError();
            return nullptr;
        }
        it = m_statements.emplace(sql, std::move(q)).first;
    }
    return it->second.get();
}

BatchWriter::Outcome BatchWriter::commitQueue(qsizetype *failedRow, QString *error)
{
    if (!m_db.transaction()) {
        *error = m_db.lastError().text();
        return Outcome::Transient;
    }
    for (qsizetype i = 0; i < m_queue.size(); ++i) {
        const Row &row = m_queue.at(i);
        QSqlError e;
        QSqlQuery *q = prepared(row.sql, &e);
        bool ok = q != nullptr;
        if (ok) {
            for (int b = 0; b < row.binds.size(); ++b)
                q->bindValue(b, row.binds.at(b));
            ok = q->exec();
            if (!ok)
                e = q->lastError();
            q->finish();
        }
        if (!ok) {
            *error = e.text();
            m_db.rollback();
            *failedRow = i;
            return isTransient(e) ? Outcome::Transient : Outcome::Rejected;
        }
    }
    if (!m_db.commit()) {
        *error = m_db.lastError().text();
        m_db.rollback();
        return Outcome::Transient;
    }
    return Outcome::Committed;
}

bool BatchWriter::flush()
{
    if (m_flushing)
        return false;
    m_flushing = true;
    m_timer.stop();
    m_flushRequested = false;
    if (m_beforeFlush)
        m_beforeFlush();
    bool written = true;
    while (!m_queue.isEmpty()) {
        QElapsedTimer timer;
        timer.start();
        qsizetype failedRow = -1;
        QString error;
        const Outcome outcome = commitQueue(&failedRow, &error);
        if (outcome == Outcome::Committed) {
            const int rows = static_cast<int>(m_queue.size());
            m_queue.clear();
            m_stats.rowsWritten += rows;
            ++m_stats.transactions;
            m_stats.lastCommitMicros = timer.nsecsElapsed() / 1000;
            if (m_failing)
                qCInfo(lcStorage) << "database writes recovered;" << rows << "queued rows written";
            m_failing = false;
            Q_EMIT batchCommitted(rows);
            break;
        }
        if (outcome == Outcome::Rejected) {
            qCWarning(lcStorage) << "database refused a row, skipping it:" << error << "-"
                                 << m_queue.at(failedRow).sql.left(60);
            m_queue.removeAt(failedRow);
            ++m_stats.rejectedRows;
            continue; // the rest goes in again at once
        }
        ++m_stats.failedTransactions;
        if (!m_failing)
            qCCritical(lcStorage) << "database write failed; keeping" << m_queue.size()
                                  << "rows queued and retrying:" << error;
        m_failing = true;
        shedDroppable();
        Q_EMIT batchFailed(error);
        written = false;
        break;
    }
    m_flushing = false;
    schedule();
    return written;
}

void BatchWriter::shedDroppable()
{
    qsizetype excess = m_queue.size() - m_config.maxPendingRows;
    if (excess <= 0)
        return;
    quint64 dropped = 0;
    for (qsizetype i = 0; i < m_queue.size() && excess > 0;) {
        if (m_queue.at(i).priority == Priority::Droppable) {
            m_queue.removeAt(i);
            --excess;
            ++dropped;
        } else {
            ++i;
        }
    }
    m_stats.droppedRows += dropped;
    qCWarning(lcStorage) << "dropped" << dropped << "queued vitals/location/frame rows while the "
                         << "database cannot be written";
}

} // namespace dispatch
