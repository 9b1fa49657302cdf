#pragma once

#include "recallplayer.h"
#include "timelinebar.h"

#include <QWidget>

class QComboBox;
class QLabel;
class QListWidget;
class QPushButton;
class QToolButton;
class QTreeWidget;

namespace dispatch {

// One recorded call, opened: who answered and how it ended, the triage history (AI and the
// dispatcher's overrides), playback with a timeline of bookmarks, the transcript following the
// playback position, and the camera frame nearest to it. Times are ms since the call rang.
class RecallView : public QWidget
{
    Q_OBJECT

public:
    static constexpr qint64 SeekStepMs = 5000;

    explicit RecallView(QWidget *parent = nullptr);

    void setCall(const StoredCall &call);
    void clear();
    bool hasCall() const { return m_call.key != 0; }
    const StoredCall &call() const { return m_call; }

    RecallPlayer *player() { return &m_player; }
    TimelineBar *timeline() const { return m_timeline; }
    QListWidget *transcriptView() const { return m_transcript; }
    QTreeWidget *triageView() const { return m_triage; }
    QPushButton *exportButton() const { return m_export; }
    // The transcript segment at the playback position (-1 before the first one).
    int currentSegment() const { return m_currentSegment; }
    int currentFrame() const { return m_currentFrame; }
    qint64 offsetMs(const QDateTime &at) const;

    void seekBy(qint64 deltaMs);

Q_SIGNALS:
    // Once per opened call, when its playback first starts (for the audit trail).
    void playbackStarted(const dispatch::StoredCall &call);
    void exportRequested(const dispatch::StoredCall &call);

private:
    void showPosition(qint64 ms);
    void fillHeader();
    void fillTriage();
    void fillTranscript();
    void fillBookmarks();

    StoredCall m_call;
    RecallPlayer m_player;
    bool m_playbackAudited = false;
    int m_currentSegment = -1;
    int m_currentFrame = -1;
    QList<qint64> m_segmentMs;
    QList<qint64> m_frameMs;
    QLabel *m_header;
    QToolButton *m_play;
    QLabel *m_position;
    QComboBox *m_tracks;
    QPushButton *m_export;
    TimelineBar *m_timeline;
    QLabel *m_audioStatus;
    QListWidget *m_transcript;
    QTreeWidget *m_triage;
    QLabel *m_frame;
};

} // namespace dispatch
