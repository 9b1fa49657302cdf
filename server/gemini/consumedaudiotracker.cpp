#include "gemini/consumedaudiotracker.h"

#include <algorithm>

namespace dispatch::gemini {

void ConsumedAudioTracker::reset(qint64 offset)
{
    m_sent.clear();
    m_covered = offset;
}

void ConsumedAudioTracker::sent(qint64 messageIndex, qint64 endOffset)
{
    // A server that never says what it consumed must not grow this without bound: beyond
    // MaxPending (~5 min of 20 ms chunks, more than the replay buffer holds) the oldest are
    // forgotten. covered() does not move for them: at worst a replay repeats, never skips.
    if (m_sent.size() >= MaxPending)
        m_sent.pop_front();
    m_sent.push_back({messageIndex, endOffset});
}

qint64 ConsumedAudioTracker::consumed(qint64 lastConsumedIndex)
{
    while (!m_sent.empty() && m_sent.front().index <= lastConsumedIndex) {
        m_covered = std::max(m_covered, m_sent.front().endOffset);
        m_sent.pop_front();
    }
    return m_covered;
}

} // namespace dispatch::gemini
