#include "storage/storagethread.h"

#include <QThread>

namespace dispatch {

StorageThread::StorageThread(Mode mode, QObject *parent, const QString &name)
    : QObject(parent)
    , m_mode(mode)
{
    if (m_mode == Mode::Inline)
        return;
    m_thread.reset(QThread::create([this] { run(); }));
    m_thread->setObjectName(name);
    m_thread->start();
}

StorageThread::~StorageThread()
{
    if (!m_thread)
        return;
    {
        const std::lock_guard lock(m_mutex);
        m_stopping = true;
    }
    m_wake.notify_all();
    m_thread->wait();
}

void StorageThread::post(QObject *context, Work work, qint64 bytes)
{
    if (m_mode == Mode::Inline) {
        const QPointer<QObject> guard(context);
        if (Completion done = work(); done && guard)
            done();
        return;
    }
    {
        const std::lock_guard lock(m_mutex);
        m_jobs.push_back({context, std::move(work), bytes});
        m_pendingBytes += bytes;
        ++m_posted;
    }
    m_wake.notify_one();
}

void StorageThread::run()
{
    {
        const std::lock_guard lock(m_mutex);
        m_threadId = std::this_thread::get_id();
    }
    std::unique_lock lock(m_mutex);
    for (;;) {
        m_wake.wait(lock, [this] { return m_stopping || !m_jobs.empty(); });
        if (m_jobs.empty())
            return; // stopping, nothing left
        Job job = std::move(m_jobs.front());
        m_jobs.pop_front();
        lock.unlock();
        Completion done = job.work();
        job.work = nullptr; // release what it captured here, not on the main thread
        lock.lock();
        m_pendingBytes -= job.bytes;
        ++m_finished;
        if (done) {
            m_done.push_back({job.context, std::move(done)});
            if (!m_deliveryQueued && !m_stopping) {
                m_deliveryQueued = true;
                QMetaObject::invokeMethod(
                    this, [this] { deliver(); }, Qt::QueuedConnection);
            }
        }
        m_idle.notify_all();
    }
}

void StorageThread::deliver()
{
    std::deque<Done> ready;
    {
        const std::lock_guard lock(m_mutex);
        ready.swap(m_done);
        m_deliveryQueued = false;
    }
    for (Done &d : ready) {
        if (d.context)
            d.completion();
    }
}

void StorageThread::drain()
{
    if (m_mode == Mode::Inline)
        return;
    {
        std::unique_lock lock(m_mutex);
        const quint64 target = m_posted;
        m_idle.wait(lock, [&] { return m_finished >= target; });
    }
    deliver();
}

qint64 StorageThread::pendingBytes() const
{
    const std::lock_guard lock(m_mutex);
    return m_pendingBytes;
}

qint64 StorageThread::pendingJobs() const
{
    const std::lock_guard lock(m_mutex);
    return static_cast<qint64>(m_posted - m_finished);
}

bool StorageThread::isStorageThread() const
{
    if (m_mode == Mode::Inline)
        return true;
    const std::lock_guard lock(m_mutex);
    return std::this_thread::get_id() == m_threadId;
}

} // namespace dispatch
