#pragma once

// Where the caller's voice activities begin and end on a call's audio stream (the byte offsets of
// AudioReplayBuffer), as our VoiceActivityDetector finds them. The supervisor sends each boundary
// as activityStart / activityEnd at its place in the stream on every connection whose setup turned
// the server's detection off: live audio and a replay to a new connection alike, so a resumed or
// handed-over connection gets the same turns (an activity open where its replay starts is opened
// first). Pure: no sockets.

#include "gemini/voiceactivitydetector.h"

#include <QByteArray>

#include <array>
#include <deque>

namespace dispatch::gemini {

class ActivityTrack
{
public:
    struct Boundary
    {
        qint64 offset = 0; // stream offset: a start is due before the chunk holding it, an end
                           // once the audio before it has been sent
        bool start = false;
    };

    explicit ActivityTrack(VoiceActivitySettings settings = {});

    // The chunk appended to the stream at `offset` (16 kHz s16le mono). Keeps a partial frame
    // for the next chunk; no allocation except when a boundary is added.
    void feed(const QByteArray &pcm, qint64 offset);

    // Boundaries have increasing sequence numbers; [firstSeq(), endSeq()) are held.
    qint64 firstSeq() const { return m_firstSeq; }
    qint64 endSeq() const { return m_firstSeq + qint64(m_boundaries.size()); }
    const Boundary &at(qint64 seq) const { return m_boundaries[size_t(seq - m_firstSeq)]; }
    // Whether boundary `b` must be sent before the chunk [chunkStart, chunkEnd) (after the last
    // chunk: chunkStart == chunkEnd == the position reached).
    static bool due(const Boundary &b, qint64 chunkStart, qint64 chunkEnd);
    // A connection whose audio starts at `offset`: the first boundary it still needs, and whether
    // an activity is open there (then it gets activityStart before its first audio).
    qint64 seqFor(qint64 offset) const;
    bool openBefore(qint64 seq) const;
    bool active() const { return m_detector.active(); }

    // Forgets boundaries before `offset` that come before `seq` too (what no connection needs).
    void releaseBefore(qint64 offset, qint64 seq);

private:
    void add(qint64 offset, bool start);

    VoiceActivityDetector m_detector;
    std::array<char, VoiceActivityDetector::FrameBytes> m_carry{};
    int m_carryBytes = 0;
    qint64 m_carryOffset = 0; // stream offset of m_carry's first byte
    std::deque<Boundary> m_boundaries;
    qint64 m_firstSeq = 0;
    bool m_openAtHead = false; // an activity is open before the first held boundary
};

} // namespace dispatch::gemini
