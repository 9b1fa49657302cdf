#include "calls/mediabacklog.h"

namespace dispatch {

MediaBacklog::MediaBacklog(qsizetype maxAudioBytes, qsizetype maxFrames, qsizetype maxFrameBytes,
                           qint64 minFrameIntervalMs)
    : m_maxAudioBytes(maxAudioBytes)
    , m_maxFrames(maxFrames)
    , m_maxFrameBytes(maxFrameBytes)
    , m_minFrameIntervalMs(minFrameIntervalMs)
{}

void MediaBacklog::appendAudio(const QByteArray &pcm)
{
    if (pcm.isEmpty())
        return;
    m_audio.append(pcm);
    m_audioBytes += pcm.size();
    trimAudio();
}

void MediaBacklog::setMaxAudioBytes(qsizetype maxAudioBytes)
{
    m_maxAudioBytes = maxAudioBytes;
    trimAudio();
}

void MediaBacklog::trimAudio()
{
    while (m_audioBytes > m_maxAudioBytes && !m_audio.isEmpty()) {
        m_audioBytes -= m_audio.constFirst().size();
        m_droppedAudioBytes += m_audio.constFirst().size();
        m_audio.removeFirst();
    }
}

void MediaBacklog::appendFrame(const QByteArray &jpeg, qint64 atMs)
{
    if (m_minFrameIntervalMs > 0 && !m_frames.isEmpty() &&
        atMs - m_lastFrameMs < m_minFrameIntervalMs) {
        ++m_droppedFrames;
        return;
    }
    m_lastFrameMs = atMs;
    m_frames.append(jpeg);
    m_frameBytes += jpeg.size();
    while (!m_frames.isEmpty() && (m_frames.size() > m_maxFrames ||
                                   (m_maxFrameBytes > 0 && m_frameBytes > m_maxFrameBytes))) {
        m_frameBytes -= m_frames.constFirst().size();
        m_frames.removeFirst();
        ++m_droppedFrames;
    }
}

void MediaBacklog::clear()
{
    m_audio.clear();
    m_frames.clear();
    m_audioBytes = 0;
    m_frameBytes = 0;
}

} // namespace dispatch
