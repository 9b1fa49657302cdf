#pragma once

#include "dashboard/dashboardmessages.h"

#include <QHash>
#include <QObject>
#include <QSet>
#include <QTimer>

namespace dispatch {
class CallStore;
}

namespace dispatch::remote {

class HostLink;
class StoreMirror;

// Media for a remote console: subscribes to the caller audio and camera frames of the calls
// this console may hear (its own calls; every live call for a supervisor listening in) and
// feeds them into the mirror store, where the console's audio and camera views pick them up;
// sends the dispatcher's talk-back to the host in chunks of at least 40 ms (a shorter
// tail within 40 ms).
class MediaRelay : public QObject
{
    Q_OBJECT

public:
    MediaRelay(CallStore &mirror, HostLink &link, StoreMirror &view, QObject *parent = nullptr);

    bool isSubscribed(const QString &callId) const { return m_subscribed.contains(callId); }

private:
    void refresh(const QString &callId);
    void refreshAll();
    void onMedia(const dashboard::MediaFrame &frame);
    void onTalkBack(const QString &callId, const QByteArray &pcm);
    void flushTalkBack();

    static constexpr int MinTalkBackMs = 40;
    static constexpr qsizetype MinTalkBackBytes = 16000 * 2 * MinTalkBackMs / 1000;

    CallStore &m_store;
    HostLink &m_link;
    StoreMirror &m_view;
    QSet<QString> m_subscribed;
    QHash<QString, QByteArray> m_talkBack; // not yet sent, by call
    QTimer m_flush;                        // sends a short tail within MinTalkBackMs
};

} // namespace dispatch::remote
