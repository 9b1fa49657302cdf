#pragma once

#include "storage/storagethread.h"

#include <condition_variable>
#include <memory>
#include <mutex>

namespace dispatch::test {

// A disk that stops answering, as tests and benchmarks make one: hold() posts a job that keeps
// the storage thread until release() (or the DiskHold's end) lets it go. Jobs posted after it
// wait behind it, exactly as behind a stuck write.
class DiskHold
{
public:
    DiskHold() = default;
    DiskHold(const DiskHold &) = delete;
    DiskHold &operator=(const DiskHold &) = delete;
    ~DiskHold() { release(); } // a failed check must not leave the thread held at teardown

    void hold(StorageThread &jobs)
    {
        {
            const std::lock_guard lock(m_state->mutex);
            m_state->held = true;
        }
        jobs.post(nullptr, [state = m_state] {
            std::unique_lock lock(state->mutex);
            state->released.wait(lock, [&] { return !state->held; });
            return StorageThread::Completion();
        });
    }
    void release()
    {
        {
            const std::lock_guard lock(m_state->mutex);
            m_state->held = false;
        }
        m_state->released.notify_all();
    }

private:
    struct State
    {
        std::mutex mutex;
        std::condition_variable released;
        bool held = false;
    };
    std::shared_ptr<State> m_state = std::make_shared<State>();
};

} // namespace dispatch::test
