#pragma once

#include <QtGlobal>

#include <cstddef>
#include <deque>

namespace dispatch::gemini {

// Transparent resumption (Vertex): which part of the audio stream the server's state includes,
// from sessionResumptionUpdate.lastConsumedClientMessageIndex. Every audio message sent on the
// live connection is noted with its message index (0 = setup) and the stream offset just after
// its last byte; a consumed index then names the exact offset a handle covers, so that a resumed
// connection replays exactly the audio after it (no margin, no duplicate, no gap). One
// connection at a time: reset() when a new connection goes live (indices restart at 0).
class ConsumedAudioTracker
{
public:
    // A new connection: the state it resumed (or started) covers the stream up to `offset`.
    void reset(qint64 offset);
    // An audio message with index `messageIndex` ended at stream offset `endOffset`.
    void sent(qint64 messageIndex, qint64 endOffset);
    // The server's state includes every client message up to `lastConsumedIndex`: returns the
    // stream offset it covers (never less than before).
    qint64 consumed(qint64 lastConsumedIndex);
    qint64 covered() const { return m_covered; }
    qsizetype pending() const { return static_cast<qsizetype>(m_sent.size()); }

    static constexpr size_t MaxPending = 16384;

private:
    struct Sent
    {
        qint64 index;
        qint64 endOffset;
    };
    std::deque<Sent> m_sent;
    qint64 m_covered = 0;
};

} // namespace dispatch::gemini
