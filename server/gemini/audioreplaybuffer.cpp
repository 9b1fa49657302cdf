#include "gemini/audioreplaybuffer.h"

#include <algorithm>
#include <iterator>

namespace dispatch::gemini {

AudioReplayBuffer::AudioReplayBuffer(qsizetype maxBytes)
    : m_maxBytes(std::max<qsizetype>(maxBytes, 0))
{}

qint64 AudioReplayBuffer::append(const QByteArray &pcm)
{
    const qint64 offset = m_end;
    if (pcm.isEmpty())
        return offset;
    m_chunks.push_back({offset, pcm});
    m_end += pcm.size();
    while (heldBytes() > m_maxBytes && !m_chunks.empty()) {
        const qint64 size = m_chunks.front().pcm.size();
        m_overflow += size;
        m_chunks.pop_front();
        m_start = m_chunks.empty() ? m_end : m_chunks.front().offset;
    }
    return offset;
}

QList<QByteArray> AudioReplayBuffer::since(qint64 from) const
{
    // Called for every chunk sent (usually for just the newest one): find the first chunk that
    // ends after `from` by bisection, not by walking up to two minutes of chunks.
    const auto first =
        std::partition_point(m_chunks.cbegin(), m_chunks.cend(),
                             [from](const Chunk &c) { return c.offset + c.pcm.size() <= from; });
    QList<QByteArray> out;
    out.reserve(static_cast<qsizetype>(std::distance(first, m_chunks.cend())));
    for (auto it = first; it != m_chunks.cend(); ++it) {
        const Chunk &c = *it;
        if (c.offset >= from) {
            out.append(c.pcm);
        } else {
            // Cut on a whole 16-bit sample.
            qint64 skip = from - c.offset;
            skip -= skip % 2;
            out.append(c.pcm.mid(static_cast<qsizetype>(skip)));
        }
    }
    return out;
}

void AudioReplayBuffer::releaseBefore(qint64 offset)
{
    while (!m_chunks.empty() && m_chunks.front().offset + m_chunks.front().pcm.size() <= offset)
        m_chunks.pop_front();
    m_start = m_chunks.empty() ? m_end : m_chunks.front().offset;
}

} // namespace dispatch::gemini
