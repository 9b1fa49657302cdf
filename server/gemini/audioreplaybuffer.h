#pragma once

#include <QByteArray>
#include <QList>

#include <deque>

namespace dispatch::gemini {

// A call's audio as one stream of byte offsets (0 = the first byte of the call), keeping what a
// resumed or replacement connection may need again: everything after the point the newest
// resumption handle covers. The owner releases what a handle covers; the bound is a safety net
// (a server that never sends a handle): the oldest chunks then go, and every byte is counted.
class AudioReplayBuffer
{
public:
    explicit AudioReplayBuffer(qsizetype maxBytes);

    // Returns the offset of the chunk's first byte.
    qint64 append(const QByteArray &pcm);
    // The held audio from `from` (clamped to what is held) to the end, as the original chunks
    // (the first one cut at `from`).
    QList<QByteArray> since(qint64 from) const;
    // Forgets whole chunks that end at or before `offset`.
    void releaseBefore(qint64 offset);

    qint64 startOffset() const { return m_start; } // oldest byte held
    qint64 endOffset() const { return m_end; }     // total bytes appended
    qsizetype heldBytes() const { return static_cast<qsizetype>(m_end - m_start); }
    qsizetype maxBytes() const { return m_maxBytes; }
    qint64 overflowBytes() const { return m_overflow; } // dropped by the bound, not released

private:
    struct Chunk
    {
        qint64 offset;
        QByteArray pcm;
    };

    qsizetype m_maxBytes;
    std::deque<Chunk> m_chunks;
    qint64 m_start = 0;
    qint64 m_end = 0;
    qint64 m_overflow = 0;
};

} // namespace dispatch::gemini
