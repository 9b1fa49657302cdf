#pragma once

#include <QByteArray>
#include <QList>

namespace dispatch {

// Media kept for a call before it is answered, so the AI session and the recording get what
// the caller said while the call rang. Bounded by bytes: the oldest chunks go first, and every
// byte that goes is counted.
class MediaBacklog
{
public:
    // maxFrameBytes: the frames' bytes together (0: only maxFrames bounds them);
    // minFrameIntervalMs: a frame sooner than this after the last kept one is dropped.
    explicit MediaBacklog(qsizetype maxAudioBytes = 0, qsizetype maxFrames = 0,
                          qsizetype maxFrameBytes = 0, qint64 minFrameIntervalMs = 0);

    void appendAudio(const QByteArray &pcm);
    // atMs: a monotonic time, for minFrameIntervalMs.
    void appendFrame(const QByteArray &jpeg, qint64 atMs = 0);
    // A new bound; the oldest audio beyond it goes at once (counted as dropped).
    void setMaxAudioBytes(qsizetype maxAudioBytes);

    const QList<QByteArray> &audio() const { return m_audio; }
    const QList<QByteArray> &frames() const { return m_frames; }
    qsizetype audioBytes() const { return m_audioBytes; }
    qsizetype frameBytes() const { return m_frameBytes; }
    qint64 droppedAudioBytes() const { return m_droppedAudioBytes; }
    qint64 droppedFrames() const { return m_droppedFrames; }
    void clear();

private:
    void trimAudio();

    qsizetype m_maxAudioBytes;
    qsizetype m_maxFrames;
    qsizetype m_maxFrameBytes;
    qint64 m_minFrameIntervalMs;
    qint64 m_lastFrameMs = 0;
    QList<QByteArray> m_audio;
    QList<QByteArray> m_frames;
    qsizetype m_audioBytes = 0;
    qsizetype m_frameBytes = 0;
    qint64 m_droppedAudioBytes = 0;
    qint64 m_droppedFrames = 0;
};

} // namespace dispatch
