// StorageThread: jobs in order on one other thread, completions back in order on the owner's
// thread, nothing delivered to a context that is gone, and drain() as the one blocking wait.
#include "storage/batchwriter.h"
#include "storage/database.h"
#include "storage/storagethread.h"

#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>
#include <QThread>

#include <condition_variable>
#include <mutex>

using namespace dispatch;

class TestStorageThread : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void jobsRunInOrderOffThisThreadAndCompleteHere()
    {
        StorageThread jobs;
        QVERIFY(jobs.isThreaded());
        QVERIFY(!jobs.isStorageThread());
        std::mutex mutex;
        QList<int> ran;
        QList<int> completed;
        QList<QThread *> workThreads;
        QObject context;
        for (int i = 0; i < 50; ++i) {
            jobs.post(&context, [&, i] {
                const std::lock_guard lock(mutex);
                ran.append(i);
                workThreads.append(QThread::currentThread());
                return StorageThread::Completion([&, i] {
                    QCOMPARE(QThread::currentThread(), QCoreApplication::instance()->thread());
                    completed.append(i);
                });
            });
        }
        // Completions arrive through the event loop without anyone waiting...
        QTRY_COMPARE(completed.size(), 50);
        QList<int> expected;
        for (int i = 0; i < 50; ++i)
            expected.append(i);
        QCOMPARE(ran, expected);
        QCOMPARE(completed, expected);
        for (QThread *t : workThreads) {
            QVERIFY(t != QThread::currentThread());
            QCOMPARE(t, workThreads.first()); // one storage thread
        }
    }

    void drainWaitsAndDelivers()
    {
        StorageThread jobs;
        QObject context;
        std::mutex mutex;
        std::condition_variable cv;
        bool release = false;
        bool completed = false;
        jobs.post(
            &context,
            [&] {
                std::unique_lock lock(mutex);
                cv.wait(lock, [&] { return release; });
                return StorageThread::Completion([&] { completed = true; });
            },
            4096);
        QCOMPARE(jobs.pendingBytes(), 4096);
        QCOMPARE(jobs.pendingJobs(), 1);
        {
            const std::lock_guard lock(mutex);
            release = true;
        }
        cv.notify_all();
        jobs.drain(); // ...and drain() delivers them at once
        QVERIFY(completed);
        QCOMPARE(jobs.pendingBytes(), 0);
        QCOMPARE(jobs.pendingJobs(), 0);
    }

    void completionForADestroyedContextIsDropped()
    {
        StorageThread jobs;
        bool ran = false;
        bool completed = false;
        {
            QObject context;
            jobs.post(&context, [&] {
                ran = true;
                return StorageThread::Completion([&] { completed = true; });
            });
        }
        jobs.drain();
        QVERIFY(ran); // the disk work itself is never skipped
        QVERIFY(!completed);
    }

    void inlineModeRunsAtOnce()
    {
        StorageThread jobs(StorageThread::Mode::Inline);
        QObject context;
        QList<QString> order;
        jobs.post(&context, [&] {
            order.append(QStringLiteral("work"));
            return StorageThread::Completion([&] { order.append(QStringLiteral("done")); });
        });
        QCOMPARE(order, (QList<QString>{QStringLiteral("work"), QStringLiteral("done")}));
        QVERIFY(jobs.isStorageThread());
    }

    void writerCommitsThroughItsOwnConnectionOnTheStorageThread()
    {
        QTemporaryDir dir;
        Database db(QDir(dir.path()).filePath(Database::fileName()));
        QVERIFY(db.open());
        StorageThread jobs;
        int committed = 0;
        {
            BatchWriter writer(jobs, db.target());
            connect(&writer, &BatchWriter::batchCommitted, this,
                    [&](int rows) { committed += rows; });
            for (int i = 0; i < 10; ++i)
                writer.enqueue(
                    QStringLiteral("INSERT INTO calls (call_id, state, ringing_at, media_dir) "
                                   "VALUES (?, 'ringing', 0, 'm')"),
                    {QStringLiteral("c%1").arg(i)});
            QCOMPARE(writer.pendingRows(), 10);
            // The timer hands the rows over; the result comes back through the event loop.
            QTRY_COMPARE(committed, 10);
            QCOMPARE(writer.pendingRows(), 0);
            QCOMPARE(writer.stats().rowsWritten, quint64(10));
            QCOMPARE(writer.stats().transactions, quint64(1));
            // A synchronous flush waits for the commit.
            writer.enqueue(
                QStringLiteral("INSERT INTO calls (call_id, state, ringing_at, media_dir) "
                               "VALUES (?, 'ringing', 0, 'm')"),
                {QStringLiteral("last")});
            QVERIFY(writer.flush());
            QCOMPARE(committed, 11);
        }
        QSqlQuery q(db.handle());
        QVERIFY(q.exec(QStringLiteral("SELECT COUNT(*) FROM calls")) && q.next());
        QCOMPARE(q.value(0).toInt(), 11); // visible to this thread's connection
    }
};

QTEST_GUILESS_MAIN(TestStorageThread)
#include "tst_storagethread.moc"
