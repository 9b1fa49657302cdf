#pragma once

#include <QList>
#include <QObject>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QTimer>
#include <QVariantList>

#include <functional>
#include <map>
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

    BatchWriter(QSqlDatabase db, BatchWriterConfig config = {}, QObject *parent = nullptr);
    ~BatchWriter() override; // commits what is left

    void enqueue(const QString &sql, const QVariantList &binds,
                 Priority priority = Priority::Essential);
    // Commits everything queued now. False when the rows could not be written (they stay).
    bool flush();
    // Called at the start of every flush, so a producer can add coalesced rows (a call's latest
    // state, a recording's byte count) once per batch instead of once per event.
    void setBeforeFlush(std::function<void()> hook) { m_beforeFlush = std::move(hook); }
    // Asks for a flush within the flush interval even when no row is queued (so the
    // before-flush hook runs): a producer with coalesced state calls this when it has some.
    void requestFlush();

    qsizetype pendingRows() const { return m_queue.size(); }
    bool isFailing() const { return m_failing; }
    const Stats &stats() const { return m_stats; }

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
    enum class Outcome
    {
        Committed,
        Transient, // retry later
        Rejected   // the row at *failedRow is bad
    };
    Outcome commitQueue(qsizetype *failedRow, QString *error);
    QSqlQuery *prepared(const QString &sql, QSqlError *error);
    void shedDroppable();
    void schedule();

    QSqlDatabase m_db;
    BatchWriterConfig m_config;
    QList<Row> m_queue;
    std::map<QString, std::unique_ptr<QSqlQuery>> m_statements; // prepared once, reused
    QTimer m_timer;
    std::function<void()> m_beforeFlush;
    Stats m_stats;
    bool m_failing = false;
    bool m_flushing = false;
    bool m_flushRequested = false;
};

} // namespace dispatch
