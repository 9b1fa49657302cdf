#include "phone/callerhub.h"
#include "phone/callerlink.h"

#include "net/guardedsocket.h"
#include "phone/callsecret.h"
#include "phone/phonemessages.h"

#include <QLoggingCategory>

Q_DECLARE_LOGGING_CATEGORY(lcCaller)

namespace dispatch {

// Who may start a call and who may join one: the per-address limits and the call credential
// (server/PROTOCOL.md, "Call credential"). The rest of CallerHub is in callerhub.cpp.

void CallerHub::refuseCredential(GuardedSocket *socket, const QString &callId, const QString &code,
                                 const QString &message)
{
    ++*m_credentialRefused;
    qCWarning(lcCaller).noquote() << "call" << callId << "refused a socket from"
                                  << socket->peerAddress().toString() << ":" << code;
    socket->rejectMessage({code, message}, callId);
    socket->close(QWebSocketProtocol::CloseCodePolicyViolated, code);
}

bool CallerHub::mayAttachMedia(const Link &l, MediaKind kind, GuardedSocket *socket,
                               const CallerEndpoint &endpoint, QString *code, QString *why) const
{
    const bool started = !l.secret.isEmpty();
    if (!endpoint.secret.isEmpty()) {
        if (started && callSecretMatches(l.secret, endpoint.secret))
            return true;
        *code = QStringLiteral("bad_call_secret");
        *why = QStringLiteral("call_secret does not match this call");
        return false;
    }
    if (!started) {
        // Before call_initiated (the seed phone opens its sockets together): kept as orphans,
        // and dropped at call_initiated unless they come from the address that starts the call.
        if (m_store.call(endpoint.callId)) {
            *code = QStringLiteral("call_credential_required");
            *why = QStringLiteral("this call takes no phone connections");
            return false;
        }
        return true;
    }
    const bool taken = kind == MediaKind::Audio ? l.audioAttached : l.vitalsAttached;
    const bool late = nowMs() - l.startedMs > m_config.firstMediaWindowMs;
    if (taken || late || socket->peerAddress() != l.origin) {
        *code = QStringLiteral("call_credential_required");
        *why = QStringLiteral("this call is live: connecting to it needs its call_secret");
        return false;
    }
    return true;
}

int CallerHub::ringingFrom(const QHostAddress &address) const
{
    int n = 0;
    for (const auto &[callId, l] : m_links) {
        const Call *call = l->origin == address ? m_store.call(callId) : nullptr;
        n += call && call->state == CallState::Ringing ? 1 : 0;
    }
    return n;
}

bool CallerHub::startCall(GuardedSocket *socket, const QString &callId,
                          const std::optional<GeoLocation> &location)
{
    const QHostAddress peer = socket->peerAddress();
    const auto verdict = m_newCalls.admit(peer.toString(), ringingFrom(peer), nowMs());
    if (verdict != NewCallLimiter::Verdict::Admit) {
        ++*m_callsRefused;
        const bool ringing = verdict == NewCallLimiter::Verdict::TooManyRinging;
        socket->rejectMessage(
            ringing ? ProtocolError{QStringLiteral("too_many_calls"),
                                    QStringLiteral("too many unanswered calls from this address; "
                                                   "wait for a dispatcher or hang up another")}
                    : ProtocolError{QStringLiteral("call_rate_limited"),
                                    QStringLiteral("too many new calls from this address; try "
                                                   "again in a minute")},
            callId);
        socket->close(QWebSocketProtocol::CloseCodePolicyViolated,
                      ringing ? QStringLiteral("too_many_calls")
                              : QStringLiteral("call_rate_limited"));
        dropLinkIfUnused(callId);
        return false;
    }
    Link &l = link(callId);
    l.signal = socket;
    l.secret = newCallSecret();
    l.origin = peer;
    l.startedMs = nowMs();
    l.orphan.stop();
    // Sockets that came before call_initiated from another address are not this phone's.
    const bool strangers =
        l.orphanFromOtherAddress || (!l.orphanPeer.isNull() && l.orphanPeer != peer);
    if (strangers) {
        qCWarning(lcCaller) << "call" << callId
                            << "media sockets from another address than the caller's: dropped";
        *m_orphanDrops += static_cast<quint64>(l.orphanMedia.audioBytes());
        l.orphanMedia.clear();
        l.orphanVitals.reset();
    }
    for (QPointer<GuardedSocket> *slot : {&l.audio, &l.vitals}) {
        if (*slot && (strangers || (*slot)->peerAddress() != peer)) {
            ++*m_credentialRefused;
            (*slot)->rejectMessage({QStringLiteral("call_credential_required"),
                                    QStringLiteral("not the caller's connection")},
                                   callId);
            (*slot)->close(QWebSocketProtocol::CloseCodePolicyViolated,
                           QStringLiteral("call_credential_required"));
            *slot = nullptr;
        }
    }
    l.audioAttached = bool(l.audio);
    l.vitalsAttached = bool(l.vitals);
    l.orphanPeer.clear();
    l.orphanFromOtherAddress = false;
    socket->sendText(phone::encodeCallCredential(callId, l.secret));
    if (m_store.addCall(callId, location) != CallStore::Result::Ok) {
        // Checked above (a live call re-attaches, an ended one is refused): a bug if seen.
        qCWarning(lcCaller) << "call" << callId << "could not be created";
        socket->rejectMessage(
            {QStringLiteral("internal_error"), QStringLiteral("the call could not be created")},
            callId);
        return false;
    }
    flushOrphanMedia(callId);
    return true;
}

} // namespace dispatch
