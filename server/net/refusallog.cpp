#include "net/refusallog.h"

namespace dispatch {

bool RefusalLog::shouldLog(const QString &peer, qint64 nowMs, int *leftOut)
{
    if (m_windows.size() > 4096)
        prune(nowMs); // many addresses: forget the quiet ones
    Window &w = m_windows[peer];
    if (nowMs - w.startMs >= WindowMs) {
        w.startMs = nowMs;
        w.logged = 0;
    }
    if (w.logged >= LinesPerWindow) {
        ++w.leftOut;
        *leftOut = 0;
        return false;
    }
    ++w.logged;
    *leftOut = w.leftOut;
    w.leftOut = 0;
    return true;
}

void RefusalLog::prune(qint64 nowMs)
{
    for (auto it = m_windows.begin(); it != m_windows.end();) {
        if (nowMs - it->startMs >= WindowMs && it->leftOut == 0)
            it = m_windows.erase(it);
        else
            ++it;
    }
}

} // namespace dispatch
