#include "callerhub.h"

#include "common/metricsregistry.h"
#include "common/relaylatency.h"
#include "guardedsocket.h"
#include "phonemessages.h"

#include <QLoggingCategory>
#include <QTimer>

#include <algorithm>
#include <optional>

Q_LOGGING_CATEGORY(lcCaller, "dispatch.server.phone")

namespace dispatch {

struct CallerHub::Link
{
    QPointer<GuardedSocket> signal;
    QList<QPointer<GuardedSocket>> audio;
    QList<QPointer<GuardedSocket>> vitals;
    QTimer grace;
    QTimer orphan;
    QTimer hangUp; // running: the caller hung up, the audio socket still drains
    MediaBacklog orphanMedia;
    // Vitals that beat call_initiated (another socket, read first under load): the newest
    // one is kept and delivered when the call starts, as the audio and frames are.
    std::optional<VitalsSample> orphanVitals;
};

namespace {

template<typename T> void prune(QList<QPointer<T>> &list)
{
    list.removeIf([](const QPointer<T> &p) { return p.isNull(); });
}

} // namespace

CallerHub::CallerHub(CallStore &store, MetricsRegistry &metrics, CallerHubConfig config,
                     QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_metrics(metrics)
    , m_config(config)
{
    m_reattached = metrics.counter(QStringLiteral("dispatch_caller_reconnects_total"),
                                   QStringLiteral("Phones that re-attached to a live call"));
    m_callersLost = metrics.counter(QStringLiteral("dispatch_callers_lost_total"),
                                    QStringLiteral("Calls ended because the phone did not return"));
    m_orphanDrops =
        metrics.counter(QStringLiteral("dispatch_orphan_media_dropped_bytes_total"),
                        QStringLiteral("Media bytes for calls that never started, dropped"));

    connect(&store, &CallStore::callAnswered, this, [this](const QString &id) {
        const auto it = m_links.constFind(id);
        if (it != m_links.constEnd() && (*it)->signal)
            (*it)->signal->sendText(phone::encodeDispatcherReady(id));
    });
    // Hold and resume are news to the phone; the first answer is told by dispatcher_ready.
    connect(&store, &CallStore::timelineAppended, this,
            [this](const QString &id, const CallEvent &event) {
                if (event.kind != CallEventKind::Held && event.kind != CallEventKind::Resumed)
                    return;
                const auto it = m_links.constFind(id);
                if (it != m_links.constEnd() && (*it)->signal)
                    (*it)->signal->sendText(phone::encodeCallStateForCaller(
                        id, event.kind == CallEventKind::Held ? CallState::OnHold
                                                              : CallState::Answered));
            });
    connect(&store, &CallStore::callEnded, this, &CallerHub::onCallEnded);
    connect(&store, &CallStore::talkBackRequested, this,
            [this](const QString &id, const QByteArray &pcm) {
                const auto it = m_links.constFind(id);
                if (it == m_links.constEnd())
                    return;
                prune((*it)->audio);
                if (!(*it)->audio.isEmpty())
                    (*it)->audio.constLast()->sendBinary(pcm, GuardedSocket::Delivery::Droppable);
            });
}

CallerHub::~CallerHub()
{
    qDeleteAll(m_links);
}

CallerHub::Link &CallerHub::link(const QString &callId)
{
    auto it = m_links.find(callId);
    if (it != m_links.end())
        return **it;
    auto *l = new Link;
    l->orphanMedia = MediaBacklog(m_config.orphanAudioBytes, 2);
    l->grace.setSingleShot(true);
    l->grace.setInterval(m_config.reconnectGraceMs);
    connect(&l->grace, &QTimer::timeout, this, [this, callId] {
        qCWarning(lcCaller) << "call" << callId << "phone did not come back: caller lost";
        ++*m_callersLost;
        m_store.end(callId, EndReason::CallerLost);
    });
    l->hangUp.setSingleShot(true);
    l->hangUp.setInterval(m_config.hangUpDrainMs);
    connect(&l->hangUp, &QTimer::timeout, this, [this, callId] { endHungUpCall(callId); });
    l->orphan.setSingleShot(true);
    l->orphan.setInterval(m_config.orphanTimeoutMs);
    connect(&l->orphan, &QTimer::timeout, this, [this, callId] {
        if (m_store.call(callId))
            return;
        Link &stale = link(callId);
        *m_orphanDrops += static_cast<quint64>(stale.orphanMedia.audioBytes());
        stale.orphanMedia.clear();
        stale.orphanVitals.reset();
        const ProtocolError error{QStringLiteral("unknown_call"),
                                  QStringLiteral("no call_initiated for this call_id")};
        for (auto &sockets : {stale.audio, stale.vitals}) {
            for (const auto &s : sockets) {
                if (s) {
                    s->rejectMessage(error, callId);
                    s->close(QWebSocketProtocol::CloseCodePolicyViolated, error.message);
                }
            }
        }
    });
    m_links.insert(callId, l);
    return *l;
}

bool CallerHub::openAudio(const Link &l)
{
    return std::any_of(l.audio.cbegin(), l.audio.cend(),
                       [](const QPointer<GuardedSocket> &s) { return s && s->isOpen(); });
}

void CallerHub::endHungUpCall(const QString &callId)
{
    if (const auto it = m_links.constFind(callId); it != m_links.constEnd())
        (*it)->hangUp.stop();
    m_store.end(callId, EndReason::CallerHungUp); // no-op if the dispatcher ended it meanwhile
}

void CallerHub::dropLinkIfUnused(const QString &callId)
{
    const auto it = m_links.find(callId);
    if (it == m_links.end())
        return;
    Link *l = *it;
    prune(l->audio);
    prune(l->vitals);
    const Call *call = m_store.call(callId);
    if (!l->signal && l->audio.isEmpty() && l->vitals.isEmpty() && (!call || !call->isLive())) {
        m_links.erase(it);
        delete l;
    }
}

int CallerHub::connectedPhones() const
{
    int n = 0;
    for (const Link *l : m_links)
        n += (l->signal && l->signal->isOpen()) ? 1 : 0;
    return n;
}

bool CallerHub::relayToCaller(const QString &callId, const QJsonObject &message)
{
    const auto it = m_links.constFind(callId);
    if (it == m_links.constEnd() || !(*it)->signal)
        return false;
    return (*it)->signal->sendText(phone::encode(message));
}

bool CallerHub::refuseIfNotLive(GuardedSocket *socket, const QString &callId)
{
    const Call *call = m_store.call(callId);
    if (call && !call->isLive()) {
        socket->rejectMessage({QStringLiteral("call_ended"), QStringLiteral("the call has ended")},
                              callId);
        socket->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("call ended"));
        return true;
    }
    return false;
}

void CallerHub::adoptSignal(GuardedSocket *socket, const QString &callId)
{
    socket->setParent(this);
    connect(socket, &GuardedSocket::textReceived, this,
            [this, socket, callId](const QByteArray &m) { onSignalText(socket, callId, m); });
    socket->setTextOnly(true);
    connect(socket, &GuardedSocket::disconnected, this,
            [this, socket, callId] { onSignalClosed(socket, callId); });
}

bool CallerHub::attachMediaSocket(GuardedSocket *socket, const QString &callId, bool audio)
{
    socket->setParent(this);
    if (refuseIfNotLive(socket, callId))
        return false;
    Link &l = link(callId);
    (audio ? l.audio : l.vitals).append(socket);
    if (!m_store.call(callId))
        l.orphan.start();
    connect(socket, &GuardedSocket::disconnected, this, [this, socket, callId] {
        socket->deleteLater();
        // The phone closing its audio socket after hanging up: everything it sent has arrived
        // (a socket's messages come before its disconnection).
        if (const auto it = m_links.constFind(callId);
            it != m_links.constEnd() && (*it)->hangUp.isActive()) {
            prune((*it)->audio);
            if (!openAudio(**it))
                endHungUpCall(callId);
        }
        dropLinkIfUnused(callId);
    });
    return true;
}

void CallerHub::adoptAudio(GuardedSocket *socket, const QString &callId)
{
    if (!attachMediaSocket(socket, callId, true))
        return;
    connect(socket, &GuardedSocket::binaryReceived, this,
            [this, socket, callId](const QByteArray &pcm) { onAudioBinary(socket, callId, pcm); });
    connect(socket, &GuardedSocket::textReceived, this,
            [this, socket, callId](const QByteArray &m) { onAudioText(socket, callId, m); });
    // A phone back from a blip learns where the call's audio stopped: what it wrote into the
    // dead socket never arrived, and it can send that again (no loss, no duplicate).
    if (const Call *call = m_store.call(callId); call && call->isLive())
        socket->sendText(phone::encodeAudioReceived(callId, call->audioBytes));
}

void CallerHub::adoptVitals(GuardedSocket *socket, const QString &callId)
{
    if (!attachMediaSocket(socket, callId, false))
        return;
    socket->setTextOnly(true);
    connect(socket, &GuardedSocket::textReceived, this,
            [this, socket, callId](const QByteArray &m) { onVitalsText(socket, callId, m); });
}

void CallerHub::onSignalText(GuardedSocket *socket, const QString &callId, const QByteArray &utf8)
{
    auto parsed = phone::parseSignalMessage(utf8, m_store.now());
    if (!parsed) {
        socket->rejectMessage(parsed.error(), callId);
        return;
    }
    const auto &message = parsed.value();
    if (const auto *m = std::get_if<phone::CallInitiated>(&message)) {
        attachCall(socket, callId, m->location);
        return;
    }
    if (std::holds_alternative<phone::Ping>(message)) {
        socket->sendText(phone::encodePong());
        return;
    }
    // Everything else needs this socket to be the call's current signal socket.
    const auto it = m_links.constFind(callId);
    const Call *call = m_store.call(callId);
    if (it == m_links.constEnd() || (*it)->signal != socket || !call || !call->isLive()) {
        socket->rejectMessage({QStringLiteral("no_call"),
                               QStringLiteral("send call_initiated before other messages")},
                              callId);
        return;
    }
    if (std::holds_alternative<phone::CallerHangUp>(message)) {
        // The phone's last audio may still be unread on its audio socket (under load the
        // server reads the signal socket first): take it before the call ends.
        // A ringing call ends at once: nobody may answer a caller who has gone.
        Link &l = link(callId);
        if (l.hangUp.isActive())
            return;
        prune(l.audio);
        if (openAudio(l) && call->state != CallState::Ringing)
            l.hangUp.start();
        else
            endHungUpCall(callId);
    } else if (const auto *loc = std::get_if<phone::LocationUpdate>(&message)) {
        m_store.updateLocation(callId, loc->location);
    } else if (const auto *text = std::get_if<phone::CallerText>(&message)) {
        if (!text->text.isEmpty())
            m_store.addTranscript(callId, {m_store.now(), Speaker::CallerText, text->text, true});
    } else if (const auto *relay = std::get_if<phone::Relay>(&message)) {
        Q_EMIT callerMessageRelayed(callId, relay->message);
    }
}

void CallerHub::attachCall(GuardedSocket *socket, const QString &callId,
                           const std::optional<GeoLocation> &location)
{
    const Call *existing = m_store.call(callId);
    if (existing && !existing->isLive()) {
        socket->rejectMessage({QStringLiteral("call_id_in_use"),
                               QStringLiteral("this call has ended; start a new call with a "
                                              "new call_id")},
                              callId);
        return;
    }
    Link &l = link(callId);
    if (l.signal && l.signal != socket) {
        // A reconnecting phone: the new socket replaces the old one, which may be half-open.
        QPointer<GuardedSocket> old = l.signal;
        l.signal = socket;
        old->close(QWebSocketProtocol::CloseCodeNormal,
                   QStringLiteral("superseded by a new connection"));
    }
    l.signal = socket;
    l.grace.stop();
    l.orphan.stop();

    if (!existing) {
        m_store.addCall(callId, location);
        flushOrphanMedia(callId);
        return;
    }
    // Duplicate call_initiated for a live call: re-attach, never create a second call.
    qCInfo(lcCaller) << "call" << callId << "phone re-attached";
    ++*m_reattached;
    m_store.setCallerConnected(callId, true);
    if (location)
        m_store.updateLocation(callId, *location);
    if (existing->state == CallState::Answered || existing->state == CallState::OnHold)
        socket->sendText(phone::encodeDispatcherReady(callId));
    if (existing->state == CallState::OnHold)
        socket->sendText(phone::encodeCallStateForCaller(callId, existing->state));
}

void CallerHub::flushOrphanMedia(const QString &callId)
{
    Link &l = link(callId);
    const MediaBacklog pending = l.orphanMedia;
    const std::optional<VitalsSample> vitals = l.orphanVitals;
    l.orphanMedia.clear();
    l.orphanVitals.reset();
    for (const auto &pcm : pending.audio())
        m_store.addAudio(callId, pcm);
    for (const auto &jpeg : pending.frames())
        m_store.addFrame(callId, jpeg);
    if (vitals)
        m_store.addVitals(callId, *vitals);
}

void CallerHub::onSignalClosed(GuardedSocket *socket, const QString &callId)
{
    socket->deleteLater();
    const auto it = m_links.constFind(callId);
    if (it == m_links.constEnd() || (*it)->signal != socket)
        return; // superseded by a newer connection, or never attached
    (*it)->signal = nullptr;
    if ((*it)->hangUp.isActive())
        return; // hung up: the call ends when its audio has drained
    const Call *call = m_store.call(callId);
    if (call && call->isLive()) {
        qCWarning(lcCaller) << "call" << callId << "phone disconnected; waiting"
                            << m_config.reconnectGraceMs << "ms for it to return";
        m_store.setCallerConnected(callId, false);
        (*it)->grace.start();
        return;
    }
    dropLinkIfUnused(callId);
}

void CallerHub::onAudioBinary(GuardedSocket *socket, const QString &callId, const QByteArray &pcm)
{
    const AudioArrival arrival; // relay latency is measured from here (common/relaylatency.h)
    if (const auto error = phone::validateAudioChunk(pcm)) {
        socket->rejectMessage(*error, callId);
        return;
    }
    const Call *call = m_store.call(callId);
    if (!call) {
        link(callId).orphanMedia.appendAudio(pcm);
        return;
    }
    if (m_store.addAudio(callId, pcm) != CallStore::Result::Ok)
        refuseIfNotLive(socket, callId);
}

void CallerHub::onAudioText(GuardedSocket *socket, const QString &callId, const QByteArray &utf8)
{
    auto frame = phone::parseAudioChannelText(utf8);
    if (!frame) {
        socket->rejectMessage(frame.error(), callId);
        return;
    }
    if (!m_store.call(callId)) {
        link(callId).orphanMedia.appendFrame(frame->jpeg);
        return;
    }
    if (m_store.addFrame(callId, frame->jpeg) != CallStore::Result::Ok)
        refuseIfNotLive(socket, callId);
}

void CallerHub::onVitalsText(GuardedSocket *socket, const QString &callId, const QByteArray &utf8)
{
    auto vitals = phone::parseVitals(utf8, m_store.now());
    if (!vitals) {
        socket->rejectMessage(vitals.error(), callId);
        return;
    }
    if (!m_store.call(callId)) {
        link(callId).orphanVitals = vitals.value(); // the orphan timeout still applies
        return;
    }
    if (m_store.addVitals(callId, vitals.value()) != CallStore::Result::Ok)
        refuseIfNotLive(socket, callId);
}

void CallerHub::onCallEnded(const QString &callId, EndReason reason)
{
    const auto it = m_links.constFind(callId);
    if (it == m_links.constEnd())
        return;
    Link *l = *it;
    l->grace.stop();
    l->orphan.stop();
    if (l->signal)
        l->signal->sendText(phone::encodeCallEnded(callId, reason));
    QList<QPointer<GuardedSocket>> all = l->audio + l->vitals;
    all.append(l->signal);
    for (const auto &s : all) {
        if (s)
            s->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("call ended"));
    }
}

} // namespace dispatch
