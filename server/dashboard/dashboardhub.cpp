#include "dashboard/dashboardhub.h"

#include "dashboard/dashboardcommands.h"
#include "dashboard/dashboardevents.h"
#include "net/guardedsocket.h"
#include "phone/callerhub.h"
#include "phone/phonemessages.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcDashboard, "dispatch.server.dashboard")

namespace dispatch {

DashboardHub::DashboardHub(CallStore &store, CallerHub &callers, int revalidationMs,
                           QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_callers(callers)
{
    connect(&store, &CallStore::callAdded, this, [this](const QString &id) {
        if (const Call *c = m_store.call(id))
            broadcast(dashboard::encodeCallUpdate(*c, dashboard::CallUpdateKind::Incoming, {}),
                      Kind::Control);
    });
    connect(&store, &CallStore::callStateChanged, this, [this](const QString &id, CallState s) {
        if (s == CallState::Ended)
            return; // call_ended carries it, in the seed's shape
        if (const Call *c = m_store.call(id))
            broadcast(encodeCallState(*c), Kind::Control);
    });
    connect(&store, &CallStore::callEnded, this, [this](const QString &id, EndReason reason) {
        const Call *c = m_store.call(id);
        broadcast(dashboard::encodeEvent(dashboard::CallEndedUpdate{
                      id, reason, c ? c->disposition : Disposition::None}),
                  Kind::Control);
        m_answeredVia.remove(id);
    });
    connect(&store, &CallStore::followUpResolved, this,
            [this](const QString &id, FollowUp resolution, const QString &by) {
                broadcast(dashboard::encodeEvent(dashboard::FollowUpUpdate{id, resolution, by}),
                          Kind::Control);
            });
    connect(&store, &CallStore::callTransferred, this,
            [this](const QString &id, const QString &, const QString &to) {
                // Relayed SDP/ICE follows the call to its new owner, when connected.
                if (GuardedSocket *owner = socketOf(to))
                    m_answeredVia.insert(id, owner);
                else
                    m_answeredVia.remove(id);
                if (const Call *c = m_store.call(id))
                    broadcast(encodeCallState(*c), Kind::Control);
            });
    connect(
        &store, &CallStore::triageUpdated, this,
        [this](const QString &id, const TriageReport &report) {
            broadcast(dashboard::encodeEvent(dashboard::TriageUpdate{id, report}), Kind::Control);
        });
    connect(&store, &CallStore::criticalFlagged, this,
            [this](const QString &id, const QString &reason, int severity) {
                broadcast(dashboard::encodeEvent(dashboard::CriticalFlag{id, reason, severity}),
                          Kind::Control);
            });
    connect(&store, &CallStore::criticalAcknowledged, this,
            [this](const QString &id, const Actor &by, const QDateTime &at) {
                broadcast(dashboard::encodeEvent(dashboard::CriticalAcknowledgement{id, by, at}),
                          Kind::Control);
            });
    connect(&store, &CallStore::triageLinkChanged, this,
            [this](const QString &id, const TriageLink &link) {
                broadcast(dashboard::encodeEvent(dashboard::AiLinkUpdate{id, link}), Kind::Control);
            });
    connect(&store, &CallStore::prearrivalOffered, this,
            [this](const QString &id, const PrearrivalOffer &offer) {
                broadcast(dashboard::encodeEvent(dashboard::PrearrivalUpdate{id, offer}),
                          Kind::Control);
            });
    connect(&store, &CallStore::vitalsUpdated, this,
            [this](const QString &id, const VitalsSample &v) {
                broadcast(dashboard::encodeEvent(dashboard::VitalsUpdate{id, v}), Kind::Stream);
            });
    connect(&store, &CallStore::locationUpdated, this,
            [this](const QString &id, const GeoLocation &l) {
                const Call *c = m_store.call(id);
                const geo::AddressMatch address = c ? c->address : geo::AddressMatch();
                broadcast(dashboard::encodeEvent(dashboard::LocationUpdate{id, l, address}),
                          Kind::Control);
            });
    connect(&store, &CallStore::transcriptUpdated, this,
            [this](const QString &id, const TranscriptSegment &s) {
                broadcast(dashboard::encodeEvent(dashboard::TranscriptUpdate{id, s}),
                          s.final ? Kind::Control : Kind::Stream);
            });
    connect(&store, &CallStore::callerConnectionChanged, this,
            [this](const QString &id, bool connected) {
                broadcast(dashboard::encodeEvent(dashboard::CallerConnection{id, connected}),
                          Kind::Control);
            });
    connect(&store, &CallStore::audioReceived, this,
            [this](const QString &id, const QByteArray &pcm) {
                deliverMedia(id, dashboard::MediaKind::CallerAudio, pcm);
            });
    connect(&store, &CallStore::frameReceived, this,
            [this](const QString &id, const QByteArray &jpeg) {
                deliverMedia(id, dashboard::MediaKind::CameraFrame, jpeg);
            });
    connect(&store, &CallStore::talkBackRequested, this,
            [this](const QString &id, const QByteArray &pcm) {
                deliverMedia(id, dashboard::MediaKind::TalkBack, pcm);
            });
    connect(&store, &CallStore::callRemoved, this,
            [this](const QString &id) { m_mediaSubscribers.remove(id); });
    m_revalidation.setInterval(revalidationMs);
    connect(&m_revalidation, &QTimer::timeout, this, &DashboardHub::revalidateClients);
    m_revalidation.start();
    connect(&callers, &CallerHub::callerMessageRelayed, this,
            [this](const QString &id, const QJsonObject &message) {
                // Data inside an envelope, to the answering client only: a caller can never make
                // a dashboard see a host event.
                if (GuardedSocket *target = m_answeredVia.value(id))
                    target->sendText(dashboard::encodeEvent(dashboard::CallerSignal{id, message}));
            });
}

QByteArray DashboardHub::encodeCallState(const Call &call) const
{
    return dashboard::encodeCallUpdate(call, dashboard::CallUpdateKind::State, m_store.now());
}

void DashboardHub::broadcast(const QByteArray &message, Kind kind)
{
    const auto delivery = kind == Kind::Stream ? GuardedSocket::Delivery::Droppable
                                               : GuardedSocket::Delivery::Reliable;
    m_clients.removeIf([](const QPointer<GuardedSocket> &p) { return p.isNull(); });
    for (const auto &client : std::as_const(m_clients))
        client->sendText(message, delivery);
}

void DashboardHub::adopt(GuardedSocket *socket, const Principal &principal)
{
    socket->setParent(this);
    m_clients.append(socket);
    m_principals.insert(socket, principal);
    qCInfo(lcDashboard).noquote() << "dashboard client" << principal.name
                                  << QStringLiteral("(%1)").arg(toString(principal.role))
                                  << "connected from" << socket->peerAddress().toString();
    socket->sendText(dashboard::encodeHello(m_store.calls(), m_store.now(), principal));
    // A change (this client may be a dispatcher coming online) reaches every client, this one
    // included; otherwise this one alone gets the list as it stands.
    if (!refreshTransferTargets())
        socket->sendText(dashboard::encodeEvent(dashboard::TransferTargets{m_targets}));
    connect(socket, &GuardedSocket::textReceived, this,
            [this, socket, principal](const QByteArray &m) { onText(socket, principal, m); });
    connect(socket, &GuardedSocket::binaryReceived, this,
            [this, socket, principal](const QByteArray &m) { onBinary(socket, principal, m); });
    connect(socket, &GuardedSocket::disconnected, this, [this, socket] {
        m_principals.remove(socket);
        for (auto &subscribers : m_mediaSubscribers)
            subscribers.remove(socket);
        socket->deleteLater();
        refreshTransferTargets();
    });
}

void DashboardHub::revalidateClients()
{
    const auto principals = m_principals; // closing a socket edits m_principals
    for (auto it = principals.cbegin(); m_isStillAuthorized && it != principals.cend(); ++it) {
        if (m_isStillAuthorized(it.value()))
            continue;
        qCWarning(lcDashboard).noquote() << "closing dashboard client" << it.value().name
                                         << QStringLiteral("(%1):").arg(toString(it.value().role))
                                         << "its token was revoked or has expired";
        it.key()->close(QWebSocketProtocol::CloseCodePolicyViolated,
                        QStringLiteral("token revoked or expired"));
    }
    refreshTransferTargets();
}

bool DashboardHub::refreshTransferTargets()
{
    QList<TransferTarget> targets;
    for (const Principal &p : std::as_const(m_principals)) {
        if (p.role == Role::Dispatcher)
            targets.append({p.name, true});
    }
    if (m_listTransferTargets) {
        for (const QString &name : m_listTransferTargets())
            targets.append({name, false});
    }
    targets = sortedTransferTargets(std::move(targets));
    if (targets == m_targets)
        return false;
    m_targets = std::move(targets);
    qCInfo(lcDashboard) << "transfer targets:" << m_targets.size() << "dispatchers,"
                        << std::count_if(m_targets.cbegin(), m_targets.cend(),
                                         [](const TransferTarget &t) { return t.online; })
                        << "online";
    broadcast(dashboard::encodeEvent(dashboard::TransferTargets{m_targets}), Kind::Control);
    Q_EMIT transferTargetsChanged(m_targets);
    return true;
}

bool DashboardHub::mayReceiveMedia(const Principal &principal, const QString &callId) const
{
    if (principal.role != Role::Dispatcher)
        return true; // supervisors listen in; the admin sees everything
    const Call *c = m_store.call(callId);
    return c && c->answeredBy == principal.name;
}

void DashboardHub::deliverMedia(const QString &callId, dashboard::MediaKind kind,
                                const QByteArray &payload)
{
    const auto it = m_mediaSubscribers.constFind(callId);
    if (it == m_mediaSubscribers.constEnd() || it->isEmpty())
        return;
    const QByteArray frame = dashboard::encodeMediaFrame({kind, callId, payload});
    for (GuardedSocket *socket : *it) {
        const auto principal = m_principals.constFind(socket);
        if (principal != m_principals.constEnd() && mayReceiveMedia(*principal, callId))
            socket->sendBinary(frame, GuardedSocket::Delivery::Droppable);
    }
}

void DashboardHub::onBinary(GuardedSocket *socket, const Principal &principal,
                            const QByteArray &data)
{
    auto frame = dashboard::parseMediaFrame(data);
    if (!frame) {
        qCWarning(lcDashboard).noquote()
            << "bad media frame from" << principal.name << ":" << frame.error().message;
        socket->rejectMessage(frame.error());
        return;
    }
    if (frame->kind != dashboard::MediaKind::TalkBack) {
        socket->rejectMessage({QStringLiteral("bad_media_frame"),
                               QStringLiteral("a dashboard may only send talk-back audio")},
                              frame->callId);
        return;
    }
    if (auto invalid = phone::validateAudioChunk(frame->payload)) {
        socket->rejectMessage(*invalid, frame->callId);
        return;
    }
    if (!mayAct(socket, principal, frame->callId, QStringLiteral("talk to")))
        return;
    reportResult(socket, frame->callId, m_store.sendTalkBack(frame->callId, frame->payload),
                 QStringLiteral("talk to"));
}

void DashboardHub::reportResult(GuardedSocket *socket, const QString &callId,
                                CallStore::Result result, const QString &action)
{
    switch (result) {
    case CallStore::Result::Ok:
        return;
    case CallStore::Result::UnknownCall:
        socket->rejectMessage(
            {QStringLiteral("unknown_call"), QStringLiteral("no call with this id")}, callId);
        return;
    case CallStore::Result::CallEnded:
        socket->rejectMessage({QStringLiteral("call_ended"), QStringLiteral("the call has ended")},
                              callId);
        return;
    case CallStore::Result::AlreadyExists:
    case CallStore::Result::InvalidTransition: {
        const Call *c = m_store.call(callId);
        QString message = QStringLiteral("cannot %1 a call that is %2")
                              .arg(action, c ? toString(c->state) : QString());
        if (c && action == QLatin1String("answer") && !c->answeredBy.isEmpty())
            message = QStringLiteral("already answered by %1").arg(c->answeredBy);
        socket->rejectMessage({QStringLiteral("invalid_state"), message}, callId);
        return;
    }
    }
}

GuardedSocket *DashboardHub::socketOf(const QString &principalName) const
{
    for (auto it = m_principals.cbegin(); it != m_principals.cend(); ++it) {
        if (it.value().name == principalName)
            return it.key();
    }
    return nullptr;
}

bool DashboardHub::isTransferTarget(const QString &name) const
{
    for (const Principal &p : m_principals) {
        if (p.name == name && p.role == Role::Dispatcher)
            return true;
    }
    return m_isTransferTarget && m_isTransferTarget(name);
}

void DashboardHub::forbid(GuardedSocket *socket, const Principal &principal, const QString &callId,
                          const QString &why)
{
    qCWarning(lcDashboard).noquote()
        << "forbidden:" << principal.name << QStringLiteral("(%1)").arg(toString(principal.role))
        << "call" << callId << why;
    socket->rejectMessage({QStringLiteral("forbidden"), why}, callId);
}

bool DashboardHub::mayAct(GuardedSocket *socket, const Principal &principal, const QString &callId,
                          const QString &action)
{
    const Call *c = m_store.call(callId);
    if (!c || !c->isLive() || principal.role == Role::Admin || c->answeredBy == principal.name)
        return true; // unknown and ended calls get their own errors from the store
    if (principal.role == Role::Supervisor) {
        forbid(socket, principal, callId,
               QStringLiteral("a supervisor cannot %1 a call without take_over first").arg(action));
        return false;
    }
    forbid(socket, principal, callId,
           c->answeredBy.isEmpty()
               ? QStringLiteral("cannot %1 a call nobody has answered").arg(action)
               : QStringLiteral("cannot %1 a call handled by %2").arg(action, c->answeredBy));
    return false;
}

void DashboardHub::onText(GuardedSocket *socket, const Principal &principal, const QByteArray &utf8)
{
    auto parsed = dashboard::parseCommand(utf8);
    if (!parsed) {
        socket->rejectMessage(parsed.error());
        return;
    }
    const auto &message = parsed.value();
    if (std::holds_alternative<dashboard::Ping>(message)) {
        socket->sendText(dashboard::encodeEvent(dashboard::Pong{}));
    } else if (const auto *answer = std::get_if<dashboard::AnswerCall>(&message)) {
        if (principal.role == Role::Supervisor) {
            forbid(socket, principal, answer->callId,
                   QStringLiteral("a supervisor cannot answer a call without take_over"));
            return;
        }
        const auto result = m_store.answer(answer->callId, actorOf(principal));
        if (result == CallStore::Result::Ok)
            m_answeredVia.insert(answer->callId, socket);
        reportResult(socket, answer->callId, result, QStringLiteral("answer"));
    } else if (const auto *take = std::get_if<dashboard::TakeOver>(&message)) {
        if (principal.role == Role::Dispatcher) {
            forbid(socket, principal, take->callId,
                   QStringLiteral("only a supervisor can take a call over"));
            return;
        }
        const Call *c = m_store.call(take->callId);
        const bool ringing = c && c->state == CallState::Ringing;
        const auto result =
            ringing ? m_store.answer(take->callId, actorOf(principal))
                    : m_store.transfer(take->callId, principal.name, actorOf(principal));
        if (result == CallStore::Result::Ok) {
            m_answeredVia.insert(take->callId, socket);
            qCInfo(lcDashboard).noquote() << principal.name << "took over call" << take->callId;
        }
        reportResult(socket, take->callId, result, QStringLiteral("take over"));
    } else if (const auto *transfer = std::get_if<dashboard::TransferCall>(&message)) {
        if (!mayAct(socket, principal, transfer->callId, QStringLiteral("transfer")))
            return;
        if (m_store.call(transfer->callId) && !isTransferTarget(transfer->to)) {
            socket->rejectMessage({QStringLiteral("unknown_principal"),
                                   QStringLiteral("%1 is not a dispatcher").arg(transfer->to)},
                                  transfer->callId);
            return;
        }
        reportResult(socket, transfer->callId,
                     m_store.transfer(transfer->callId, transfer->to, actorOf(principal)),
                     QStringLiteral("transfer"));
    } else if (const auto *end = std::get_if<dashboard::EndCall>(&message)) {
        if (!mayAct(socket, principal, end->callId, QStringLiteral("end")))
            return;
        reportResult(socket, end->callId,
                     m_store.end(end->callId, EndReason::DispatcherEnded, actorOf(principal),
                                 end->disposition),
                     QStringLiteral("end"));
    } else if (const auto *hold = std::get_if<dashboard::HoldCall>(&message)) {
        if (!mayAct(socket, principal, hold->callId, QStringLiteral("hold")))
            return;
        reportResult(socket, hold->callId, m_store.hold(hold->callId, actorOf(principal)),
                     QStringLiteral("hold"));
    } else if (const auto *resume = std::get_if<dashboard::ResumeCall>(&message)) {
        if (!mayAct(socket, principal, resume->callId, QStringLiteral("resume")))
            return;
        reportResult(socket, resume->callId, m_store.resume(resume->callId, actorOf(principal)),
                     QStringLiteral("resume"));
    } else if (const auto *get = std::get_if<dashboard::GetCall>(&message)) {
        if (const Call *c = m_store.call(get->callId))
            socket->sendText(
                dashboard::encodeCallUpdate(*c, dashboard::CallUpdateKind::Detail, m_store.now()));
        else
            reportResult(socket, get->callId, CallStore::Result::UnknownCall, QString());
    } else if (const auto *sub = std::get_if<dashboard::SubscribeMedia>(&message)) {
        if (!sub->subscribe) {
            m_mediaSubscribers[sub->callId].remove(socket);
            return;
        }
        if (!m_store.call(sub->callId)) {
            reportResult(socket, sub->callId, CallStore::Result::UnknownCall, QString());
            return;
        }
        if (!mayReceiveMedia(principal, sub->callId)) {
            forbid(socket, principal, sub->callId,
                   QStringLiteral("a dispatcher receives media only for the calls it handles"));
            return;
        }
        m_mediaSubscribers[sub->callId].insert(socket);
    } else if (const auto *accept = std::get_if<dashboard::AcceptLocation>(&message)) {
        if (!mayAct(socket, principal, accept->callId, QStringLiteral("accept the location of")))
            return;
        reportResult(socket, accept->callId,
                     m_store.acceptLocation(accept->callId, actorOf(principal)),
                     QStringLiteral("accept the location of"));
    } else if (const auto *overrideTriage = std::get_if<dashboard::OverrideTriage>(&message)) {
        if (!mayAct(socket, principal, overrideTriage->callId, QStringLiteral("override")))
            return;
        TriageReport report = overrideTriage->report;
        report.producedAt = m_store.now();
        qCInfo(lcDashboard).noquote()
            << principal.name << "overrode the triage of call" << overrideTriage->callId;
        reportResult(socket, overrideTriage->callId,
                     m_store.overrideTriage(overrideTriage->callId, report, actorOf(principal)),
                     QStringLiteral("override"));
    } else if (const auto *ack = std::get_if<dashboard::AcknowledgeCritical>(&message)) {
        // A supervisor watching the floor may acknowledge without taking the call over.
        if (principal.role != Role::Supervisor &&
            !mayAct(socket, principal, ack->callId, QStringLiteral("acknowledge")))
            return;
        reportResult(socket, ack->callId,
                     m_store.acknowledgeCritical(ack->callId, actorOf(principal)),
                     QStringLiteral("acknowledge the critical flag of"));
    } else if (const auto *followUp = std::get_if<dashboard::ResolveFollowUp>(&message)) {
        // An abandoned or lost call belongs to nobody: whoever calls back resolves it.
        reportResult(
            socket, followUp->callId,
            m_store.resolveFollowUp(followUp->callId, followUp->resolution, actorOf(principal)),
            QStringLiteral("resolve the follow-up of"));
    } else if (const auto *relay = std::get_if<dashboard::Relay>(&message)) {
        if (!mayAct(socket, principal, relay->callId, QStringLiteral("signal")))
            return;
        if (!m_callers.relayToCaller(relay->callId, relay->message))
            socket->rejectMessage({QStringLiteral("caller_unreachable"),
                                   QStringLiteral("the caller is not connected")},
                                  relay->callId);
    }
}

} // namespace dispatch
