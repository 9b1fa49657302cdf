#pragma once

#include <QObject>
#include <QPointer>

#include <condition_variable>
#include <deque>
#include <functional>
#include <memory>
#include <mutex>
#include <thread>

class QThread;

namespace dispatch {

// Where storage does its disk work: SQLite commits, recording writes, fdatasync, call seals.
// One thread, jobs in the order they were posted, so a database row queued before a file is
// created is committed before the file exists (the invariant crash recovery relies on). Each
// job's work runs on the storage thread and may return a completion, which runs back on the
// thread that owns this object (the main thread), in the same order, and only while the job's
// context object still lives. A slow disk therefore delays recordings and commits, never a
// call's audio to the AI or the UI (issue 19; the measured cause was fdatasync of every
// recording on the main thread, ~160 ms stalls at 100 calls).
//
// Inline mode runs work and completion at once on the caller's thread: unit tests of the
// storage classes, and tools that open a database briefly.
class StorageThread : public QObject
{
    Q_OBJECT

public:
    using Completion = std::function<void()>;
    using Work = std::function<Completion()>;

    enum class Mode
    {
        Threaded,
        Inline
    };

    // `name`: the OS thread's name (top -H, perf, /proc/PID/task/*/comm).
    explicit StorageThread(Mode mode = Mode::Threaded, QObject *parent = nullptr,
                           const QString &name = QStringLiteral("storage"));
    // Runs what is queued, delivers nothing more, joins the thread.
    ~StorageThread() override;
    StorageThread(const StorageThread &) = delete;
    StorageThread &operator=(const StorageThread &) = delete;

    bool isThreaded() const { return m_mode == Mode::Threaded; }

    // Queues `work` after everything posted before; `bytes` is what it carries (audio, rows)
    // for the bound below. The completion is dropped if `context` is gone by then.
    void post(QObject *context, Work work, qint64 bytes = 0);
    // Blocks until every job posted so far has run, then runs their completions here. For
    // shutdown, an export, a retention sweep, and tests: never on the hot path.
    void drain();
    // Bytes carried by jobs not yet run: a disk slower than the calls fills this, and producers
    // shed (and count) rather than grow without bound.
    qint64 pendingBytes() const;
    qint64 pendingJobs() const;
    // True on the storage thread itself (or always, inline).
    bool isStorageThread() const;

private:
    struct Job
    {
        QPointer<QObject> context;
        Work work;
        qint64 bytes = 0;
    };
    struct Done
    {
        QPointer<QObject> context;
        Completion completion;
    };
    void run();
    void deliver();

    Mode m_mode;
    mutable std::mutex m_mutex;
    std::condition_variable m_wake;
    std::condition_variable m_idle;
    std::deque<Job> m_jobs;
    std::deque<Done> m_done;
    qint64 m_pendingBytes = 0;
    quint64 m_posted = 0;
    quint64 m_finished = 0;
    bool m_stopping = false;
    bool m_deliveryQueued = false;
    std::thread::id m_threadId;
    std::unique_ptr<QThread> m_thread;
};

} // namespace dispatch
