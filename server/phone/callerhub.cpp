#include "phone/callerhub.h"
#include "phone/callerlink.h"

#include "common/metricsregistry.h"
#include "common/relaylatency.h"
#include "net/guardedsocket.h"
#include "phone/callsecret.h"
#include "phone/phonemessages.h"

#include <QLoggingCategory>
#include <QTimer>

#include <algorithm>
#include <optional>

Q_LOGGING_CATEGORY(lcCaller, "dispatch.server.phone")

namespace dispatch {

qint64 CallerHub::nowMs() const
{
    return m_config.clock();
}

namespace {

bool isOpen(const QPointer<GuardedSocket> &socket)
{
    return socket && socket->isOpen();
}

} // namespace

CallerHub::CallerHub(CallStore &store, MetricsRegistry &metrics, CallerHubConfig config,
                     QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_metrics(metrics)
    , m_config(config)
    , m_newCalls(config.newCalls)
{
    if (!m_config.clock)
        m_config.clock = steadyClock();
    m_reattached = metrics.counter(QStringLiteral("dispatch_caller_reconnects_total"),
                                   QStringLiteral("Phones that re-attached to a live call"));
    m_callersLost = metrics.counter(QStringLiteral("dispatch_callers_lost_total"),
                                    QStringLiteral("Calls ended because the phone did not return"));
    m_orphanDrops =
        metrics.counter(QStringLiteral("dispatch_orphan_media_dropped_bytes_total"),
                        QStringLiteral("Media bytes for calls that never started, dropped"));
    m_credentialRefused = metrics.counter(
        QStringLiteral("dispatch_caller_credential_refusals_total"),
        QStringLiteral("Phone sockets refused for a live call without its secret (re-attach, "
                       "late or second media socket, another address, wrong secret)"));
    m_callsRefused = metrics.counter(
        QStringLiteral("dispatch_calls_refused_total"),
        QStringLiteral("New calls refused: too many unanswered calls or new calls from one "
                       "address"));
    m_audioOverRate = metrics.counter(
        QStringLiteral("dispatch_caller_audio_over_rate_bytes_total"),
        QStringLiteral("Caller audio dropped for arriving faster than the per-call limit"));

    connect(&store, &CallStore::callAnswered, this, [this](const QString &id) {
        Link *found = findLink(id);
        if (found && found->signal)
            found->signal->sendText(phone::encodeDispatcherReady(id));
    });
    // Hold and resume are news to the phone; the first answer is told by dispatcher_ready.
    connect(&store, &CallStore::timelineAppended, this,
            [this](const QString &id, const CallEvent &event) {
                if (event.kind != CallEventKind::Held && event.kind != CallEventKind::Resumed)
                    return;
                Link *found = findLink(id);
                if (found && found->signal)
                    found->signal->sendText(phone::encodeCallStateForCaller(
                        id, event.kind == CallEventKind::Held ? CallState::OnHold
                                                              : CallState::Answered));
            });
    connect(&store, &CallStore::callEnded, this, &CallerHub::onCallEnded);
    connect(&store, &CallStore::talkBackRequested, this,
            [this](const QString &id, const QByteArray &pcm) {
                // Only a socket that proved it is the caller's own hears the dispatcher.
                Link *found = findLink(id);
                if (found && found->audio && found->audioHasSecret)
                    found->audio->sendBinary(pcm, GuardedSocket::Delivery::Droppable);
            });
}

CallerHub::~CallerHub() = default;

CallerHub::Link *CallerHub::findLink(const QString &callId) const
{
    const auto it = m_links.find(callId);
    return it == m_links.end() ? nullptr : it->second.get();
}

CallerHub::Link &CallerHub::link(const QString &callId)
{
    if (Link *existing = findLink(callId))
        return *existing;
    auto owned = std::make_unique<Link>();
    Link *l = owned.get();
    l->orphanMedia = MediaBacklog(m_config.orphanAudioBytes, 2, 4 * 1024 * 1024, 1000);
    if (m_config.maxAudioRealTime > 0)
        l->audioRate =
            TokenBucket(m_config.maxAudioRealTime * 32000.0, m_config.audioBurstSeconds * 32000.0);
    l->grace.setSingleShot(true);
    l->grace.setInterval(m_config.reconnectGraceMs);
    connect(&l->grace, &QTimer::timeout, this, [this, callId] {
        qCWarning(lcCaller) << "call" << callId << "phone did not come back: caller lost";
        ++*m_callersLost;
        (void)m_store.end(callId, EndReason::CallerLost); // the timer runs only while it is live
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
        for (const auto &s : {stale.audio, stale.vitals}) {
            if (s) {
                s->rejectMessage(error, callId);
                s->close(QWebSocketProtocol::CloseCodePolicyViolated, error.message);
            }
        }
    });
    m_links.emplace(callId, std::move(owned));
    return *l;
}

void CallerHub::endHungUpCall(const QString &callId)
{
    if (Link *found = findLink(callId); found)
        found->hangUp.stop();
    // Refused (harmlessly) when the dispatcher ended it meanwhile.
    (void)m_store.end(callId, EndReason::CallerHungUp);
}

void CallerHub::dropLinkIfUnused(const QString &callId)
{
    const auto it = m_links.find(callId);
    if (it == m_links.end())
        return;
    const Link *l = it->second.get();
    const Call *call = m_store.call(callId);
    if (!l->signal && !l->audio && !l->vitals && (!call || !call->isLive())) {
        m_links.erase(it);
    }
}

int CallerHub::connectedPhones() const
{
    int n = 0;
    for (const auto &entry : m_links)
        n += (entry.second->signal && entry.second->signal->isOpen()) ? 1 : 0;
    return n;
}

bool CallerHub::relayToCaller(const QString &callId, const QJsonObject &message)
{
    Link *found = findLink(callId);
    if (!found || !found->signal)
        return false;
    return found->signal->sendText(phone::encode(message));
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

void CallerHub::adoptSignal(GuardedSocket *socket, const CallerEndpoint &endpoint)
{
    socket->setParent(this);
    connect(socket, &GuardedSocket::textReceived, this,
            [this, socket, endpoint](const QByteArray &m) { onSignalText(socket, endpoint, m); });
    socket->setTextOnly(true);
    const QString callId = endpoint.callId;
    connect(socket, &GuardedSocket::disconnected, this,
            [this, socket, callId] { onSignalClosed(socket, callId); });
}

bool CallerHub::attachMediaSocket(GuardedSocket *socket, const CallerEndpoint &endpoint,
                                  MediaKind kind)
{
    socket->setParent(this);
    const QString callId = endpoint.callId;
    connect(socket, &GuardedSocket::disconnected, this, [this, socket, callId] {
        socket->deleteLater();
        // The phone closing its audio socket after hanging up: everything it sent has arrived
        // (a socket's messages come before its disconnection).
        if (Link *found = findLink(callId);
            found && found->hangUp.isActive() && !isOpen(found->audio))
            endHungUpCall(callId);
        dropLinkIfUnused(callId);
    });
    if (refuseIfNotLive(socket, callId))
        return false;
    const bool known = m_links.count(callId) > 0;
    Link &l = link(callId);
    QString code;
    QString why;
    if (!mayAttachMedia(l, kind, socket, endpoint, &code, &why)) {
        refuseCredential(socket, callId, code, why);
        if (!known)
            dropLinkIfUnused(callId);
        return false;
    }
    QPointer<GuardedSocket> &slot = kind == MediaKind::Audio ? l.audio : l.vitals;
    if (slot && slot != socket) {
        // One live socket of a kind per call: the newer (a phone back from a blip) replaces it.
        slot->close(QWebSocketProtocol::CloseCodeNormal,
                    QStringLiteral("superseded by a new connection"));
    }
    slot = socket;
    const bool started = !l.secret.isEmpty();
    if (kind == MediaKind::Audio) {
        l.audioHasSecret = started && !endpoint.secret.isEmpty();
        l.audioAttached = l.audioAttached || started;
    } else {
        l.vitalsAttached = l.vitalsAttached || started;
    }
    if (!started) {
        if (!l.orphanPeer.isNull() && l.orphanPeer != socket->peerAddress())
            l.orphanFromOtherAddress = true;
        l.orphanPeer = socket->peerAddress();
        l.orphan.start();
    }
    return true;
}

void CallerHub::adoptAudio(GuardedSocket *socket, const CallerEndpoint &endpoint)
{
    if (!attachMediaSocket(socket, endpoint, MediaKind::Audio))
        return;
    const QString callId = endpoint.callId;
    connect(socket, &GuardedSocket::binaryReceived, this,
            [this, socket, callId](const QByteArray &pcm) { onAudioBinary(socket, callId, pcm); });
    connect(socket, &GuardedSocket::textReceived, this,
            [this, socket, callId](const QByteArray &m) { onAudioText(socket, callId, m); });
    // A phone back from a blip learns where the call's audio stopped: what it wrote into the
    // dead socket never arrived, and it can send that again (no loss, no duplicate).
    if (const Call *call = m_store.call(callId); call && call->isLive())
        socket->sendText(phone::encodeAudioReceived(callId, call->audioBytes));
}

void CallerHub::adoptVitals(GuardedSocket *socket, const CallerEndpoint &endpoint)
{
    if (!attachMediaSocket(socket, endpoint, MediaKind::Vitals))
        return;
    socket->setTextOnly(true);
    const QString callId = endpoint.callId;
    connect(socket, &GuardedSocket::textReceived, this,
            [this, socket, callId](const QByteArray &m) { onVitalsText(socket, callId, m); });
}

void CallerHub::onSignalText(GuardedSocket *socket, const CallerEndpoint &endpoint,
                             const QByteArray &utf8)
{
    const QString &callId = endpoint.callId;
    auto parsed = phone::parseSignalMessage(utf8, m_store.now());
    if (!parsed) {
        socket->rejectMessage(parsed.error(), callId);
        return;
    }
    const auto &message = parsed.value();
    if (const auto *m = std::get_if<phone::CallInitiated>(&message)) {
        attachCall(socket, endpoint, m->location,
                   m->secret.isEmpty() ? endpoint.secret : m->secret);
        return;
    }
    if (std::holds_alternative<phone::Ping>(message)) {
        socket->sendText(phone::encodePong());
        return;
    }
    // Everything else needs this socket to be the call's current signal socket.
    Link *found = findLink(callId);
    const Call *call = m_store.call(callId);
    if (!found || found->signal != socket || !call || !call->isLive()) {
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
        if (isOpen(l.audio) && call->state != CallState::Ringing)
            l.hangUp.start();
        else
            endHungUpCall(callId);
    } else if (const auto *loc = std::get_if<phone::LocationUpdate>(&message)) {
        if (m_store.updateLocation(callId, loc->location) != CallStore::Result::Ok)
            refuseIfNotLive(socket, callId);
    } else if (const auto *text = std::get_if<phone::CallerText>(&message)) {
        if (!text->text.isEmpty() &&
            m_store.addTranscript(callId, {m_store.now(), Speaker::CallerText, text->text, true}) !=
                CallStore::Result::Ok)
            refuseIfNotLive(socket, callId);
    } else if (const auto *relay = std::get_if<phone::Relay>(&message)) {
        Q_EMIT callerMessageRelayed(callId, relay->message);
    }
}

void CallerHub::attachCall(GuardedSocket *socket, const CallerEndpoint &endpoint,
                           const std::optional<GeoLocation> &location,
                           const QString &presentedSecret)
{
    const QString &callId = endpoint.callId;
    const Call *existing = m_store.call(callId);
    if (existing && !existing->isLive()) {
        socket->rejectMessage({QStringLiteral("call_id_in_use"),
                               QStringLiteral("this call has ended; start a new call with a "
                                              "new call_id")},
                              callId);
        return;
    }
    if (!existing) {
        startCall(socket, callId, location);
        return;
    }
    Link &l = link(callId);
    // Re-attaching to a live call: the socket already attached may repeat itself (the seed's
    // duplicate call_initiated); any other socket must prove it is the caller's own.
    if (l.signal != socket) {
        if (presentedSecret.isEmpty() || !callSecretMatches(l.secret, presentedSecret)) {
            refuseCredential(socket, callId,
                             presentedSecret.isEmpty() ? QStringLiteral("call_credential_required")
                                                       : QStringLiteral("bad_call_secret"),
                             QStringLiteral("this call is live: re-attaching needs its "
                                            "call_secret"));
            return;
        }
        if (l.signal) {
            // A reconnecting phone: the new socket replaces the old one, which may be half-open.
            QPointer<GuardedSocket> old = l.signal;
            l.signal = socket;
            old->close(QWebSocketProtocol::CloseCodeNormal,
                       QStringLiteral("superseded by a new connection"));
        }
    }
    l.signal = socket;
    l.grace.stop();
    l.orphan.stop();
    qCInfo(lcCaller) << "call" << callId << "phone re-attached";
    ++*m_reattached;
    // The call is live (checked above): these cannot be refused.
    (void)m_store.setCallerConnected(callId, true);
    if (location)
        (void)m_store.updateLocation(callId, *location);
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
    // Media that came before call_initiated joins the call it now belongs to; a call that ended
    // in between takes none of it.
    qsizetype refused = 0;
    for (const auto &pcm : pending.audio())
        refused += m_store.addAudio(callId, pcm) == CallStore::Result::Ok ? 0 : pcm.size();
    for (const auto &jpeg : pending.frames())
        refused += m_store.addFrame(callId, jpeg) == CallStore::Result::Ok ? 0 : jpeg.size();
    if (vitals)
        (void)m_store.addVitals(callId, *vitals);
    if (refused > 0)
        qCInfo(lcCaller) << "call" << callId << "ended before" << refused
                         << "bytes of early media joined it";
}

void CallerHub::onSignalClosed(GuardedSocket *socket, const QString &callId)
{
    socket->deleteLater();
    Link *found = findLink(callId);
    if (!found || found->signal != socket)
        return; // superseded by a newer connection, or never attached
    found->signal = nullptr;
    if (found->hangUp.isActive())
        return; // hung up: the call ends when its audio has drained
    const Call *call = m_store.call(callId);
    if (call && call->isLive()) {
        qCWarning(lcCaller) << "call" << callId << "phone disconnected; waiting"
                            << m_config.reconnectGraceMs << "ms for it to return";
        (void)m_store.setCallerConnected(callId, false); // live: checked above
        found->grace.start();
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
    if (!admitAudio(socket, callId, pcm.size()))
        return;
    const Call *call = m_store.call(callId);
    if (!call) {
        link(callId).orphanMedia.appendAudio(pcm);
        return;
    }
    if (m_store.addAudio(callId, pcm) != CallStore::Result::Ok)
        refuseIfNotLive(socket, callId);
}

bool CallerHub::admitAudio(GuardedSocket *socket, const QString &callId, qsizetype bytes)
{
    Link &l = link(callId);
    if (l.audioRate.take(static_cast<double>(bytes), nowMs())) {
        l.audioThrottled = false;
        return true;
    }
    *m_audioOverRate += static_cast<quint64>(bytes);
    if (!l.audioThrottled) { // one error reply per burst, not one per chunk
        l.audioThrottled = true;
        socket->rejectMessage({QStringLiteral("audio_rate_limited"),
                               QStringLiteral("audio arrives faster than %1x real time; the "
                                              "excess is dropped")
                                   .arg(m_config.maxAudioRealTime)},
                              callId);
    }
    return false;
}

void CallerHub::onAudioText(GuardedSocket *socket, const QString &callId, const QByteArray &utf8)
{
    auto frame = phone::parseAudioChannelText(utf8);
    if (!frame) {
        socket->rejectMessage(frame.error(), callId);
        return;
    }
    if (!m_store.call(callId)) {
        link(callId).orphanMedia.appendFrame(frame->jpeg, nowMs());
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
    Link *found = findLink(callId);
    if (!found)
        return;
    Link *l = found;
    l->grace.stop();
    l->orphan.stop();
    if (l->signal)
        l->signal->sendText(phone::encodeCallEnded(callId, reason));
    for (const auto &s : {l->audio, l->vitals, l->signal}) {
        if (s)
            s->close(QWebSocketProtocol::CloseCodeNormal, QStringLiteral("call ended"));
    }
}

} // namespace dispatch
