#include "storage/batchwriter.h"
#include "storage/database.h"
#include "storage/sqldialect.h"
#include "storage/storagelog.h"
#include "storage/storagethread.h"

#include <QElapsedTimer>
#include <QSqlError>
#include <QSqlQuery>

#include <map>

namespace dispatch {

namespace {

// Drops Droppable rows, oldest first, until at most `limit` rows are left (or none is
// droppable). Returns how many went.
template<typename Rows> quint64 shedDroppable(Rows &rows, qsizetype limit)
{
    qsizetype excess = rows.size() - limit;
    quint64 dropped = 0;
    for (qsizetype i = 0; i < rows.size() && excess > 0;) {
        if (rows.at(i).priority == BatchWriter::Priority::Droppable) {
            rows.removeAt(i);
            --excess;
            ++dropped;
        } else {
            ++i;
        }
    }
    if (dropped > 0)
        qCWarning(lcStorage) << "dropped" << dropped
                             << "queued vitals/location/frame rows while the database cannot "
                                "be written";
    return dropped;
}

} // namespace

// What one commit job did, applied on the owner's thread.
struct BatchWriter::Outcome
{
    int committedRows = 0;
    quint64 transactions = 0;
    quint64 failedTransactions = 0;
    quint64 droppedRows = 0;
    quint64 rejectedRows = 0;
    qint64 lastCommitMicros = -1; // -1: no commit
    bool failing = false;
    QString error;
    qsizetype heldRows = 0;
};

// The database side, used only by storage jobs: the connection, prepared statements, and the
// rows a failed commit keeps for the next attempt.
class BatchWriter::Committer
{
public:
    Committer(QSqlDatabase db, BatchWriterConfig config)
        : m_db(std::move(db))
        , m_config(config)
    {}
    Committer(DatabaseTarget target, BatchWriterConfig config)
        : m_target(std::move(target))
        , m_ownConnection(true)
        , m_config(config)
    {}
    ~Committer()
    {
        m_statements.clear();
        if (!m_held.isEmpty())
            qCWarning(lcStorage) << m_held.size() << "rows could not be written before shutdown";
    }

    Outcome commit(QList<Row> rows)
    {
        m_held.append(std::move(rows));
        Outcome out;
        QString openError;
        if (!m_held.isEmpty() && !ensureOpen(&openError))
            return failed(out, openError);
        while (!m_held.isEmpty()) {
            QElapsedTimer timer;
            timer.start();
            qsizetype failedRow = -1;
            QString error;
            const Result result = commitHeld(&failedRow, &error);
            if (result == Result::Committed) {
                out.committedRows += static_cast<int>(m_held.size());
                ++out.transactions;
                out.lastCommitMicros = timer.nsecsElapsed() / 1000;
                if (m_failing)
                    qCInfo(lcStorage)
                        << "database writes recovered;" << m_held.size() << "queued rows written";
                m_failing = false;
                m_held.clear();
                break;
            }
            if (result == Result::Rejected) {
                qCWarning(lcStorage) << "database refused a row, skipping it:" << error << "-"
                                     << m_held.at(failedRow).sql.left(60);
                m_held.removeAt(failedRow);
                ++out.rejectedRows;
                continue; // the rest goes in again at once
            }
            return failed(out, error);
        }
        out.failing = m_failing;
        out.heldRows = m_held.size();
        return out;
    }

    // The writer's connection for a read, opened again if it broke; invalid if that fails.
    QSqlDatabase connection()
    {
        QString error;
        return ensureOpen(&error) ? m_db : QSqlDatabase();
    }

private:
    enum class Result
    {
        Committed,
        Transient, // retry later
        Rejected   // the row at *failedRow is bad
    };

    Outcome &failed(Outcome &out, const QString &error)
    {
        ++out.failedTransactions;
        if (!m_failing)
            qCCritical(lcStorage) << "database write failed; keeping" << m_held.size()
                                  << "rows queued and retrying:" << error;
        m_failing = true;
        out.droppedRows += shedDroppable(m_held, m_config.maxPendingRows);
        out.failing = true;
        out.error = error;
        out.heldRows = m_held.size();
        return out;
    }

    // A PostgreSQL connection that broke (server restarted, a standby promoted) is no longer
    // open: the next attempt connects afresh, through the host list.
    bool ensureOpen(QString *error)
    {
        if (!m_ownConnection || (m_own && m_own->isOpen()))
            return true;
        m_statements.clear();
        m_db = QSqlDatabase(); // let go of the broken connection before it is removed
        m_own.reset();
        m_own = std::make_unique<Database>(m_target);
        if (const auto opened = m_own->open(); !opened) {
            *error = opened.error().message;
            m_own.reset();
            return false;
        }
        m_db = m_own->handle();
        return true;
    }

    QSqlQuery *prepared(const QString &sql, QSqlError *error)
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

    Result commitHeld(qsizetype *failedRow, QString *error)
    {
        if (!m_db.transaction()) {
            *error = m_db.lastError().text();
            return Result::Transient;
        }
        for (qsizetype i = 0; i < m_held.size(); ++i) {
            const Row &row = m_held.at(i);
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
                return SqlDialect::of(m_db).isTransient(e) ? Result::Transient : Result::Rejected;
            }
        }
        if (!m_db.commit()) {
            *error = m_db.lastError().text();
            m_db.rollback();
            return Result::Transient;
        }
        return Result::Committed;
    }

    DatabaseTarget m_target;
    bool m_ownConnection = false; // false: m_db was given
    std::unique_ptr<Database> m_own;
    QSqlDatabase m_db;
    BatchWriterConfig m_config;
    QList<Row> m_held;
    std::map<QString, std::unique_ptr<QSqlQuery>> m_statements; // prepared once, reused
    bool m_failing = false;
};

void BatchWriter::postRead(QObject *context, Read read)
{
    m_jobs->post(context, [committer = m_committer, read = std::move(read)]() {
        QSqlDatabase db = committer->connection();
        return read(db);
    });
}

BatchWriter::BatchWriter(QSqlDatabase db, BatchWriterConfig config, QObject *parent)
    : QObject(parent)
    , m_ownJobs(std::make_unique<StorageThread>(StorageThread::Mode::Inline))
    , m_jobs(m_ownJobs.get())
    , m_committer(std::make_shared<Committer>(std::move(db), config))
    , m_config(config)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] { submit(true); });
}

BatchWriter::BatchWriter(StorageThread &thread, DatabaseTarget target, BatchWriterConfig config,
                         QObject *parent)
    : QObject(parent)
    , m_jobs(&thread)
    , m_committer(std::make_shared<Committer>(std::move(target), config))
    , m_config(config)
{
    m_timer.setSingleShot(true);
    connect(&m_timer, &QTimer::timeout, this, [this] { submit(true); });
}

BatchWriter::~BatchWriter()
{
    flush();
    // The connection belongs to the storage thread: it is closed there.
    m_jobs->post(nullptr, [committer = std::move(m_committer)]() mutable {
        committer.reset();
        return StorageThread::Completion();
    });
    m_jobs->drain();
}

void BatchWriter::enqueue(const QString &sql, const QVariantList &binds, Priority priority)
{
    m_queue.append({sql, binds, priority});
    if (m_queue.size() > m_config.maxPendingRows)
        m_stats.droppedRows += shedDroppable(m_queue, m_config.maxPendingRows);
    if (m_queue.size() >= m_config.maxBatchRows && !m_failing)
        commitSoon();
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
    if (!m_timer.isActive() && (!m_queue.isEmpty() || m_flushRequested || m_heldRows > 0))
        m_timer.start(m_failing ? m_config.retryIntervalMs : m_config.flushIntervalMs);
}

void BatchWriter::commitSoon()
{
    m_flushRequested = false;
    if (m_beforeFlush && !m_flushing) {
        m_flushing = true;
        m_beforeFlush();
        m_flushing = false;
    }
    if (m_queue.isEmpty() && m_heldRows == 0)
        return;
    QList<Row> rows;
    rows.swap(m_queue);
    ++m_inFlight;
    const qint64 bytes = rows.size() * 64; // a row's order of magnitude, for the queue's bound
    m_jobs->post(
        this,
        [committer = m_committer, rows = std::move(rows), this]() mutable {
            const Outcome outcome = committer->commit(std::move(rows));
            return StorageThread::Completion([this, outcome] { apply(outcome); });
        },
        bytes);
}

void BatchWriter::submit(bool fromTimer)
{
    m_timer.stop();
    if (fromTimer && m_inFlight > 0) {
        // The disk is still busy with the last batch: let rows gather rather than pile up jobs.
        m_timer.start(m_config.flushIntervalMs);
        return;
    }
    commitSoon();
    schedule();
}

void BatchWriter::apply(const Outcome &outcome)
{
    --m_inFlight;
    m_stats.rowsWritten += outcome.committedRows;
    m_stats.transactions += outcome.transactions;
    m_stats.failedTransactions += outcome.failedTransactions;
    m_stats.droppedRows += outcome.droppedRows;
    m_stats.rejectedRows += outcome.rejectedRows;
    if (outcome.lastCommitMicros >= 0)
        m_stats.lastCommitMicros = outcome.lastCommitMicros;
    m_heldRows = outcome.heldRows;
    m_failing = outcome.failing;
    if (outcome.transactions > 0)
        Q_EMIT batchCommitted(outcome.committedRows);
    if (outcome.failedTransactions > 0)
        Q_EMIT batchFailed(outcome.error);
    schedule();
}

bool BatchWriter::flush()
{
    // Rounds: completions delivered by the drain (a closed recording's final rows, a seal) may
    // queue rows of their own.
    for (int round = 0; round < 4; ++round) {
        submit(false);
        m_jobs->drain();
        if (m_queue.isEmpty())
            break;
    }
    return m_queue.isEmpty() && m_heldRows == 0 && !m_failing;
}

} // namespace dispatch
