#include "mediabacklog.h"

namespace dispatch {

MediaBacklog::MediaBacklog(qsizetype maxAudioBytes, qsizetype maxFrames)
    : m_maxAudioBytes(maxAudioBytes)
    , m_maxFrames(maxFrames)
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

void MediaBacklog::appendFrame(const QByteArray &jpeg)
{
    m_frames.append(jpeg);
    while (m_frames.size() > m_maxFrames && !m_frames.isEmpty()) {
        m_frames.removeFirst();
        ++m_droppedFrames;
    }
}

void MediaBacklog::clear()
{
    m_audio.clear();
    m_frames.clear();
    m_audioBytes = 0;
}

} // namespace dispatch
