#pragma once

#include "storage/databasetarget.h"
#include "storage/storagethread.h"

#include <QList>
#include <QObject>
#include <QSqlDatabase>
#include <QTimer>
#include <QVariantList>

#include <functional>
#include <memory>

namespace dispatch {

struct BatchWriterConfig
{
    int flushIntervalMs = 250;   // rows wait at most this long before they are committed
    int retryIntervalMs = 1000;  // while writes fail (disk full), retry this often
    int maxBatchRows = 500;      // a queue this long is committed at once
    int maxPendingRows = 20'000; // while writes fail, droppable rows beyond this go first
};

// Queues INSERT/UPDATE rows and commits them together, in one transaction, on a short timer.
// A busy night (dozens of calls, each with frames, vitals and locations every second) thus costs
// a few commits a second instead of one per row. A failed commit (disk full, I/O error) rolls
// back whole, so the database is never half-written; the rows stay queued and are retried, and
// only rows marked Droppable (vitals, locations, frames) are shed when the queue outgrows its
// bound. A row the database refuses for a reason that will not go away (a constraint) is logged,
// counted and skipped, so one bad row never blocks the others.
//
// Rows are queued on the owner's thread; the commits run on the StorageThread, with the
// writer's own connection to the database (a QSqlDatabase connection belongs to one thread).
// Results (stats, batchCommitted/batchFailed) come back on the owner's thread.
class BatchWriter : public QObject
{
    Q_OBJECT

public:
    enum class Priority
    {
        Essential, // calls, timeline, triage, transcript, recordings, audit: never dropped
        Droppable
    };
    struct Stats
    {
        quint64 rowsWritten = 0;
        quint64 transactions = 0;
        quint64 failedTransactions = 0;
        quint64 droppedRows = 0;  // shed while failing
        quint64 rejectedRows = 0; // refused by the database for good
        qint64 lastCommitMicros = 0;
    };

    // Commits on the caller's thread through `db` (unit tests, short-lived tools).
    BatchWriter(QSqlDatabase db, BatchWriterConfig config = {}, QObject *parent = nullptr);
    // Commits on `thread` through a connection of its own to the database at `target`
    // (already created and migrated by the owner's Database).
    BatchWriter(StorageThread &thread, DatabaseTarget target, BatchWriterConfig config = {},
                QObject *parent = nullptr);
    ~BatchWriter() override; // commits what is left

    void enqueue(const QString &sql, const QVariantList &binds,
                 Priority priority = Priority::Essential);
    // Commits everything queued now and waits for it (and for what it caused: rows queued by
    // completions of earlier storage jobs). False when the rows could not be written (they
    // stay). Blocks the caller: shutdown, export, retention, tests.
    bool flush();
    // Hands everything queued to the storage thread now, without waiting. Jobs run in order,
    // so a row handed over before a file job is committed before the file is written.
    void commitSoon();
    // Called at the start of every flush, so a producer can add coalesced rows (a call's latest
    // state, a recording's byte count) once per batch instead of once per event.
    void setBeforeFlush(std::function<void()> hook) { m_beforeFlush = std::move(hook); }
    // Asks for a flush within the flush interval even when no row is queued (so the
    // before-flush hook runs): a producer with coalesced state calls this when it has some.
    void requestFlush();

    // Rows not committed yet: queued here, or handed over and waiting for a retry.
    qsizetype pendingRows() const { return m_queue.size() + m_heldRows; }
    bool isFailing() const { return m_failing; }
    const Stats &stats() const { return m_stats; }
    StorageThread &jobs() { return *m_jobs; }
    // Runs `read` on the storage thread with the writer's own connection, after every job
    // posted before it (so it sees the rows of the batches committed so far); its completion
    // runs back here while `context` lives. `db` is invalid when the database cannot be reached.
    using Read = std::function<StorageThread::Completion(QSqlDatabase &db)>;
    void postRead(QObject *context, Read read);

Q_SIGNALS:
    void batchCommitted(int rows);
    void batchFailed(const QString &error);

private:
    struct Row
    {
        QString sql;
        QVariantList binds;
        Priority priority;
    };
    class Committer;
    struct Outcome;
    void submit(bool fromTimer);
    void apply(const Outcome &outcome);
    void schedule();

    std::unique_ptr<StorageThread> m_ownJobs; // inline, for the QSqlDatabase constructor
    StorageThread *m_jobs;
    std::shared_ptr<Committer> m_committer; // touched only by storage jobs
    BatchWriterConfig m_config;
    QList<Row> m_queue;
    QTimer m_timer;
    std::function<void()> m_beforeFlush;
    Stats m_stats;
    qsizetype m_heldRows = 0; // handed over, not committed (failing disk)
    int m_inFlight = 0;       // commit jobs posted and not yet applied
    bool m_failing = false;
    bool m_flushing = false;
    bool m_flushRequested = false;
};

} // namespace dispatch
