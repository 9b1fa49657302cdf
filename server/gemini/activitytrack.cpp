#include "gemini/activitytrack.h"

#include <algorithm>
#include <cstring>

namespace dispatch::gemini {

namespace {

constexpr qint64 FrameBytes = VoiceActivityDetector::FrameBytes;

} // namespace

ActivityTrack::ActivityTrack(VoiceActivitySettings settings)
    : m_detector(settings)
{}

void ActivityTrack::add(qint64 offset, bool start)
{
    if (!m_boundaries.empty())
        offset = std::max(offset, m_boundaries.back().offset); // keep them in stream order
    m_boundaries.push_back({std::max<qint64>(0, offset), start});
}

void ActivityTrack::feed(const QByteArray &pcm, qint64 offset)
{
    const char *data = pcm.constData();
    qsizetype left = pcm.size();
    if (m_carryBytes > 0 && m_carryOffset + m_carryBytes != offset)
        m_carryBytes = 0; // a gap in the stream (cannot happen with one writer): start afresh
    const int onsetBytes =
        std::max(1, m_detector.settings().onsetMs / 20) * VoiceActivityDetector::FrameBytes;
    while (left > 0) {
        if (m_carryBytes == 0)
            m_carryOffset = offset + (pcm.size() - left);
        const int take = int(std::min<qsizetype>(left, FrameBytes - m_carryBytes));
        const char *frame = nullptr;
        if (m_carryBytes == 0 && take == FrameBytes) {
            frame = data; // a whole frame in place: no copy
        } else {
            std::memcpy(m_carry.data() + m_carryBytes, data, size_t(take));
            m_carryBytes += take;
            if (m_carryBytes == FrameBytes)
                frame = m_carry.data();
        }
        data += take;
        left -= take;
        if (!frame)
            break; // a partial frame waits for the next chunk
        const qint64 frameEnd = m_carryOffset + FrameBytes;
        m_carryBytes = 0;
        switch (m_detector.pushFrame(frame)) {
        case VoiceActivityDetector::Change::Started:
            add(frameEnd - onsetBytes, true); // where the onset began
            break;
        case VoiceActivityDetector::Change::Ended:
            add(frameEnd, false);
            break;
        case VoiceActivityDetector::Change::None:
            break;
        }
    }
}

bool ActivityTrack::due(const Boundary &b, qint64 chunkStart, qint64 chunkEnd)
{
    return b.start ? b.offset < chunkEnd || b.offset <= chunkStart : b.offset <= chunkStart;
}

qint64 ActivityTrack::seqFor(qint64 offset) const
{
    // Behind a connection whose audio starts at `offset`: starts before it (the activity is open
    // there) and ends at or before it (its audio all came before).
    qint64 seq = m_firstSeq;
    while (seq < endSeq() && (at(seq).start ? at(seq).offset < offset : at(seq).offset <= offset))
        ++seq;
    return seq;
}

bool ActivityTrack::openBefore(qint64 seq) const
{
    if (seq <= m_firstSeq)
        return m_openAtHead;
    if (seq > endSeq())
        seq = endSeq();
    return at(seq - 1).start;
}

void ActivityTrack::releaseBefore(qint64 offset, qint64 seq)
{
    while (!m_boundaries.empty() && m_firstSeq < seq && m_boundaries.front().offset < offset) {
        m_openAtHead = m_boundaries.front().start;
        m_boundaries.pop_front();
        ++m_firstSeq;
    }
}

} // namespace dispatch::gemini
