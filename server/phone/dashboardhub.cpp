#include "dashboardhub.h"

#include "callerhub.h"
#include "guardedsocket.h"
#include "phonemessages.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcDashboard, "dispatch.server.dashboard")

namespace dispatch {

DashboardHub::DashboardHub(CallStore &store, CallerHub &callers, MetricsRegistry &metrics,
                           QObject *parent)
    : QObject(parent)
    , m_store(store)
    , m_callers(callers)
{
    Q_UNUSED(metrics)
    connect(&store, &CallStore::callAdded, this, [this](const QString &id) {
        if (const Call *c = m_store.call(id))
            broadcast(phone::encodeIncomingCall(*c), Kind::Control);
    });
    connect(&store, &CallStore::callStateChanged, this, [this](const QString &id, CallState s) {
        if (s == CallState::Ended)
            return; // call_ended carries it, in the seed's shape
        if (const Call *c = m_store.call(id))
            broadcast(phone::encodeCallState(*c, m_store.now()), Kind::Control);
    });
    connect(&store, &CallStore::callEnded, this, [this](const QString &id, EndReason reason) {
        broadcast(phone::encodeCallEnded(id, reason), Kind::Control);
        m_answeredVia.remove(id);
    });
    connect(&store, &CallStore::triageUpdated, this,
            [this](const QString &id, const TriageReport &report) {
                broadcast(phone::encodeTriageUpdate(id, report), Kind::Control);
            });
    connect(&store, &CallStore::criticalFlagged, this,
            [this](const QString &id, const QString &reason, int severity) {
                broadcast(phone::encodeCriticalFlag(id, reason, severity), Kind::Control);
            });
    connect(&store, &CallStore::triageLinkChanged, this,
            [this](const QString &id, const TriageLink &link) {
                broadcast(phone::encodeAiLink(id, link), Kind::Control);
            });
    connect(&store, &CallStore::prearrivalOffered, this,
            [this](const QString &id, const PrearrivalOffer &offer) {
                broadcast(phone::encodePrearrival(id, offer), Kind::Control);
            });
    connect(&store, &CallStore::vitalsUpdated, this,
            [this](const QString &id, const VitalsSample &v) {
                broadcast(phone::encodeVitals(id, v), Kind::Stream);
            });
    connect(&store, &CallStore::locationUpdated, this,
            [this](const QString &id, const GeoLocation &l) {
                broadcast(phone::encodeLocation(id, l), Kind::Control);
            });
    connect(&store, &CallStore::transcriptUpdated, this,
            [this](const QString &id, const TranscriptSegment &s) {
                broadcast(phone::encodeTranscript(id, s), s.final ? Kind::Control : Kind::Stream);
            });
    connect(&store, &CallStore::callerConnectionChanged, this,
            [this](const QString &id, bool connected) {
                broadcast(phone::encodeCallerConnection(id, connected), Kind::Control);
            });
    connect(&callers, &CallerHub::callerMessageRelayed, this,
            [this](const QString &id, const QJsonObject &message) {
                GuardedSocket *target = m_answeredVia.value(id);
                if (!target)
                    return;
                QJsonObject withId = message;
                withId.insert(QStringLiteral("call_id"), id);
                target->sendText(phone::encode(withId));
            });
}

void DashboardHub::broadcast(const QByteArray &message, Kind kind)
{
    const auto delivery = kind == Kind::Stream ? GuardedSocket::Delivery::Droppable
                                               : GuardedSocket::Delivery::Reliable;
    m_clients.removeIf([](const QPointer<GuardedSocket> &p) { return p.isNull(); });
    for (const auto &client : std::as_const(m_clients))
        client->sendText(message, delivery);
}

void DashboardHub::adopt(GuardedSocket *socket, const QString &principal)
{
    socket->setParent(this);
    m_clients.append(socket);
    qCInfo(lcDashboard) << "dashboard client" << principal << "connected from"
                        << socket->peerAddress().toString();
    socket->sendText(phone::encodeHello(m_store.calls(), m_store.now()));
    connect(socket, &GuardedSocket::textReceived, this,
            [this, socket, principal](const QByteArray &m) { onText(socket, principal, m); });
    socket->setTextOnly(true);
    connect(socket, &GuardedSocket::disconnected, this, [socket] { socket->deleteLater(); });
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

void DashboardHub::onText(GuardedSocket *socket, const QString &principal, const QByteArray &utf8)
{
    auto parsed = phone::parseDashboardMessage(utf8);
    if (!parsed) {
        socket->rejectMessage(parsed.error());
        return;
    }
    const auto &message = parsed.value();
    if (std::holds_alternative<phone::DashboardPing>(message)) {
        socket->sendText(phone::encodePong());
    } else if (const auto *answer = std::get_if<phone::AnswerCall>(&message)) {
        const auto result = m_store.answer(answer->callId, principal);
        if (result == CallStore::Result::Ok)
            m_answeredVia.insert(answer->callId, socket);
        reportResult(socket, answer->callId, result, QStringLiteral("answer"));
    } else if (const auto *end = std::get_if<phone::EndCall>(&message)) {
        reportResult(socket, end->callId, m_store.end(end->callId, EndReason::DispatcherEnded),
                     QStringLiteral("end"));
    } else if (const auto *hold = std::get_if<phone::HoldCall>(&message)) {
        reportResult(socket, hold->callId, m_store.hold(hold->callId), QStringLiteral("hold"));
    } else if (const auto *resume = std::get_if<phone::ResumeCall>(&message)) {
        reportResult(socket, resume->callId, m_store.resume(resume->callId),
                     QStringLiteral("resume"));
    } else if (const auto *relay = std::get_if<phone::DashboardRelay>(&message)) {
        if (!m_callers.relayToCaller(relay->callId, relay->message))
            socket->rejectMessage({QStringLiteral("caller_unreachable"),
                                   QStringLiteral("the caller is not connected")},
                                  relay->callId);
    }
}

} // namespace dispatch
