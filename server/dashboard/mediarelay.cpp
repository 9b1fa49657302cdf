#include "dashboard/mediarelay.h"

#include "calls/callstore.h"
#include "dashboard/dashboardcommands.h"
#include "dashboard/hostlink.h"
#include "dashboard/storemirror.h"

namespace dispatch::remote {

MediaRelay::MediaRelay(CallStore &mirror, HostLink &link, StoreMirror &view, QObject *parent)
    : QObject(parent)
    , m_store(mirror)
    , m_link(link)
    , m_view(view)
{
    connect(&link, &HostLink::mediaReceived, this, &MediaRelay::onMedia);
    connect(&link, &HostLink::stateChanged, this, [this](HostLink::State state) {
        if (state != HostLink::State::Connected) {
            m_subscribed.clear(); // subscriptions die with the connection
            m_talkBack.clear();
        }
    });
    connect(&view, &StoreMirror::identified, this, &MediaRelay::refreshAll);
    connect(&view, &StoreMirror::synchronised, this, &MediaRelay::refreshAll);
    connect(&mirror, &CallStore::callAdded, this, &MediaRelay::refresh);
    connect(&mirror, &CallStore::callStateChanged, this,
            [this](const QString &id) { refresh(id); });
    connect(&mirror, &CallStore::callTransferred, this, [this](const QString &id) { refresh(id); });
    connect(&mirror, &CallStore::callRemoved, this, [this](const QString &id) {
        m_subscribed.remove(id);
        m_talkBack.remove(id);
    });
    connect(&mirror, &CallStore::talkBackRequested, this, &MediaRelay::onTalkBack);
    m_flush.setSingleShot(true);
    m_flush.setInterval(MinTalkBackMs);
    connect(&m_flush, &QTimer::timeout, this, &MediaRelay::flushTalkBack);
}

void MediaRelay::refreshAll()
{
    for (const Call *c : m_store.calls())
        refresh(c->id);
}

void MediaRelay::refresh(const QString &callId)
{
    const Call *c = m_store.call(callId);
    const Principal &you = m_view.you();
    const bool want = c && c->isLive() && !you.name.isEmpty() &&
                      (you.role != Role::Dispatcher || c->answeredBy == you.name);
    const bool have = m_subscribed.contains(callId);
    if (want && !have) {
        if (m_link.sendCommand(dashboard::SubscribeMedia{callId, true}))
            m_subscribed.insert(callId);
    } else if (!want && have) {
        m_subscribed.remove(callId);
        if (c && c->isLive())
            m_link.sendCommand(dashboard::SubscribeMedia{callId, false});
    }
}

void MediaRelay::onMedia(const dashboard::MediaFrame &frame)
{
    switch (frame.kind) {
    case dashboard::MediaKind::CallerAudio:
        // Media of a call that ended here, or that this console does not know yet, is dropped.
        (void)m_store.addAudio(frame.callId, frame.payload);
        return;
    case dashboard::MediaKind::CameraFrame:
        (void)m_store.addFrame(frame.callId, frame.payload);
        return;
    case dashboard::MediaKind::TalkBack:
        return; // another console's voice: not played here (the caller hears it)
    }
}

void MediaRelay::onTalkBack(const QString &callId, const QByteArray &pcm)
{
    QByteArray &pending = m_talkBack[callId];
    pending.append(pcm);
    if (pending.size() < MinTalkBackBytes) {
        // The tail of an utterance goes out after at most one chunk time, never held over to
        // the dispatcher's next sentence.
        m_flush.start();
        return;
    }
    m_link.sendMedia({dashboard::MediaKind::TalkBack, callId, pending});
    pending.clear();
}

void MediaRelay::flushTalkBack()
{
    for (auto it = m_talkBack.begin(); it != m_talkBack.end(); ++it) {
        if (!it->isEmpty())
            m_link.sendMedia({dashboard::MediaKind::TalkBack, it.key(), *it});
        it->clear();
    }
}

} // namespace dispatch::remote
