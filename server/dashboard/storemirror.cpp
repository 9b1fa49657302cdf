#include "dashboard/storemirror.h"

#include "calls/callstore.h"
#include "dashboard/dashboardcommands.h"
#include "dashboard/hostlink.h"

#include <QLoggingCategory>

Q_LOGGING_CATEGORY(lcMirror, "dispatch.remote.mirror")

namespace dispatch::remote {

using namespace dispatch::dashboard;

namespace {

template<class... Ts> struct Overloaded : Ts...
{
    using Ts::operator()...;
};
template<class... Ts> Overloaded(Ts...) -> Overloaded<Ts...>;

bool sameSegment(const TranscriptSegment &a, const TranscriptSegment &b)
{
    return a.at == b.at && a.speaker == b.speaker && a.text == b.text && a.final == b.final;
}

bool sameReport(const TriageReport &a, const TriageReport &b)
{
    return a.source == b.source && a.producedAt == b.producedAt && a.sameAssessment(b);
}

bool sameOffer(const PrearrivalOffer &a, const PrearrivalOffer &b)
{
    return a.at == b.at && a.topic == b.topic;
}

// Entries of `host` that `mine` lacks, in the host's order.
template<typename T, typename Same>
QList<T> missing(const QList<T> &host, const QList<T> &mine, Same same)
{
    QList<T> out;
    for (const T &h : host) {
        if (std::none_of(mine.cbegin(), mine.cend(), [&](const T &m) { return same(h, m); }))
            out.append(h);
    }
    return out;
}

} // namespace

StoreMirror::StoreMirror(CallStore &mirror, HostLink &link, HostClock &clock, QObject *parent)
    : QObject(parent)
    , m_store(mirror)
    , m_link(link)
    , m_clock(clock)
{
    connect(&link, &HostLink::eventReceived, this, &StoreMirror::apply);
    connect(&link, &HostLink::stateChanged, this, [this](HostLink::State state) {
        if (state != HostLink::State::Connected) {
            m_helloSeen = false;
            m_pending.clear(); // answers to requests on a dead connection never come
        }
    });
}

bool StoreMirror::known(const QString &callId)
{
    if (m_store.call(callId))
        return true;
    requestDetail(callId);
    return false;
}

void StoreMirror::mirrored(CallStore::Result result, const QString &callId)
{
    if (result == CallStore::Result::Ok)
        return;
    // This copy is out of step with the host (an event missed or out of order): the host's
    // whole record of the call puts it right. A call that ended here needs nothing more.
    const Call *c = m_store.call(callId);
    qCInfo(lcMirror) << "call" << callId << "mirrored step refused:" << int(result)
                     << (c && c->isLive() ? "resynchronising" : "(ended here)");
    if (c && c->isLive())
        requestDetail(callId);
}

void StoreMirror::mirroredInResync(CallStore::Result result, const QString &callId)
{
    // Applying the host's whole record: a step refused here (already so, or not allowed from
    // this state) is logged, never answered by asking for the record again (no resync loop).
    if (result != CallStore::Result::Ok)
        qCDebug(lcMirror) << "call" << callId << "resync step refused:" << int(result);
}

void StoreMirror::requestDetail(const QString &callId)
{
    if (m_pending.contains(callId))
        return;
    if (m_link.sendCommand(GetCall{callId}))
        m_pending.insert(callId);
}

void StoreMirror::detailSettled(const QString &callId)
{
    if (!m_pending.remove(callId) || !m_pending.isEmpty() || !m_helloSeen)
        return;
    qCInfo(lcMirror) << "synchronised with the host:" << m_helloCalls << "live calls";
    Q_EMIT synchronised(m_helloCalls);
}

void StoreMirror::apply(const HostEvent &event)
{
    std::visit(
        Overloaded{
            [this](const Hello &hello) { onHello(hello); },
            [this](const CallUpdate &update) { onCallUpdate(update); },
            [this](const TriageUpdate &e) {
                if (known(e.callId))
                    mirrored(m_store.setTriage(e.callId, e.report), e.callId);
            },
            [this](const CriticalFlag &e) {
                if (known(e.callId))
                    mirrored(m_store.flagCritical(e.callId, e.reason, e.severity), e.callId);
            },
            [this](const CriticalAcknowledgement &e) {
                if (known(e.callId))
                    mirrored(m_store.acknowledgeCritical(e.callId, e.by, e.at), e.callId);
            },
            [this](const VitalsUpdate &e) {
                if (known(e.callId))
                    mirrored(m_store.addVitals(e.callId, e.vitals), e.callId);
            },
            [this](const LocationUpdate &e) {
                if (known(e.callId))
                    mirrored(m_store.mirrorLocation(e.callId, e.location, e.address), e.callId);
            },
            [this](const TranscriptUpdate &e) {
                if (known(e.callId))
                    mirrored(m_store.addTranscript(e.callId, e.segment), e.callId);
            },
            [this](const CallerConnection &e) {
                if (known(e.callId))
                    mirrored(m_store.setCallerConnected(e.callId, e.connected), e.callId);
            },
            [this](const AiLinkUpdate &e) {
                if (known(e.callId))
                    mirrored(m_store.setTriageLink(e.callId, e.link), e.callId);
            },
            [this](const PrearrivalUpdate &e) {
                if (known(e.callId))
                    mirrored(m_store.addPrearrival(e.callId, e.offer), e.callId);
            },
            [this](const CallEndedUpdate &e) {
                if (m_store.call(e.callId)) // refused when it had ended here already: nothing to do
                    (void)m_store.end(e.callId, e.reason, Actor::system(QStringLiteral("host")),
                                      e.disposition);
            },
            [this](const FollowUpUpdate &e) {
                // Refused when resolved here already (our own command echoed): nothing to do.
                if (known(e.callId))
                    (void)m_store.resolveFollowUp(e.callId, e.resolution, Actor::dispatcher(e.by));
            },
            [this](const HostError &e) {
                if (m_pending.contains(e.callId) && e.code == QLatin1String("unknown_call")) {
                    // The host no longer knows a call we show (it restarted): end it here.
                    const Call *c = m_store.call(e.callId);
                    if (c && c->isLive())
                        (void)m_store.end(e.callId, EndReason::ServerShutdown); // live: cannot fail
                    detailSettled(e.callId);
                    return;
                }
                qCInfo(lcMirror).noquote() << "host refused:" << e.code << e.message << e.callId;
                Q_EMIT commandRefused(e.callId, e.code, e.message);
            },
            [](const CallerSignal &) {},    // data for a WebRTC client: nothing to apply here
            [](const TransferTargets &) {}, // RemoteCallActions keeps them
            [](const Pong &) {},
        },
        event);
}

void StoreMirror::onHello(const Hello &hello)
{
    m_clock.setHostTime(hello.serverTime);
    const bool newIdentity = hello.you.name != m_you.name || hello.you.role != m_you.role;
    m_you = hello.you;
    if (newIdentity)
        Q_EMIT identified(m_you);
    m_helloSeen = true;
    m_helloCalls = static_cast<int>(hello.calls.size());
    QSet<QString> listed;
    for (const Call &c : hello.calls) {
        listed.insert(c.id);
        requestDetail(c.id);
    }
    // Calls we show as live that the host no longer lists ended while we were away: their
    // detail says how (or the host does not know them any more).
    // So do follow-ups open here that the host no longer lists: resolved meanwhile.
    for (const Call *c : m_store.calls()) {
        if ((c->isLive() || c->followUp == FollowUp::Open) && !listed.contains(c->id))
            requestDetail(c->id);
    }
    qCInfo(lcMirror) << "hello from the host as" << m_you.name << "-" << hello.calls.size()
                     << "live calls, clock offset" << m_clock.offsetMs() << "ms";
    if (m_pending.isEmpty())
        Q_EMIT synchronised(m_helloCalls);
}

void StoreMirror::onCallUpdate(const CallUpdate &update)
{
    const QString &id = update.call.id;
    if (!m_store.call(id)) {
        // A new call (incoming_call), or a whole call we asked for. A bare snapshot of a call we
        // never saw lacks its history: fetch it whole.
        const bool isNew =
            update.call.state == CallState::Ringing && update.call.timeline.isEmpty();
        if (update.withHistory() || isNew) {
            Call call = update.call;
            if (call.timeline.isEmpty())
                call.timeline.append({call.ringingSince, CallEventKind::Rang, QString(),
                                      Actor::system(QStringLiteral("host"))});
            mirroredInResync(m_store.restore(call), call.id);
        } else {
            requestDetail(id);
        }
    } else {
        reconcile(update.call, update.withHistory());
    }
    if (update.withHistory())
        detailSettled(id);
}

void StoreMirror::reconcile(const Call &host, bool withHistory)
{
    const QString &id = host.id;
    const Call *mine = m_store.call(id);
    if (mine && !mine->isLive()) {
        // An abandoned call's ring-time assessment comes after its end, its follow-up later.
        if (withHistory && !mine->answeredAt.isValid())
            reconcileHistory(host);
        if ((mine = m_store.call(id)) && mine->followUp == FollowUp::Open &&
            isFollowUpResolution(host.followUp))
            mirroredInResync(
                m_store.resolveFollowUp(id, host.followUp, Actor::dispatcher(host.followUpBy)), id);
        return;
    }
    if (!mine)
        return;
    if (withHistory)
        reconcileHistory(host);
    if (host.state == CallState::Ended) {
        (void)m_store.end(id, // live here (checked above): cannot fail
                          host.endReason == EndReason::None ? EndReason::ServerShutdown
                                                            : host.endReason,
                          Actor::system(QStringLiteral("host")), host.disposition);
        return;
    }
    // The host has audited who did what; here the moves are mirrored, done by "system:host"
    // (answer and location keep the owner's name, which the views show).
    if (mine->state == CallState::Ringing && host.state != CallState::Ringing)
        mirroredInResync(m_store.answer(id, Actor::dispatcher(host.answeredBy)), id);
    if ((mine = m_store.call(id)) && !host.answeredBy.isEmpty() &&
        mine->answeredBy != host.answeredBy && mine->state != CallState::Ringing)
        mirroredInResync(
            m_store.transfer(id, host.answeredBy, Actor::system(QStringLiteral("host"))), id);
    if ((mine = m_store.call(id)) && mine->state == CallState::Answered &&
        host.state == CallState::OnHold)
        mirroredInResync(m_store.hold(id, Actor::system(QStringLiteral("host"))), id);
    else if (mine && mine->state == CallState::OnHold && host.state == CallState::Answered)
        mirroredInResync(m_store.resume(id, Actor::system(QStringLiteral("host"))), id);
    mirroredInResync(m_store.setCallerConnected(id, host.callerConnected), id);
    if (host.location)
        mirroredInResync(m_store.mirrorLocation(id, *host.location, host.address), id);
    if (host.locationAccepted)
        mirroredInResync(m_store.acceptLocation(id, Actor::dispatcher(host.answeredBy)), id);
    mirroredInResync(m_store.setTriageLink(id, host.triageLink), id);
    mine = m_store.call(id);
    if (host.vitals && mine &&
        (!mine->vitals || mine->vitals->phoneTimestampMs != host.vitals->phoneTimestampMs))
        mirroredInResync(m_store.addVitals(id, *host.vitals), id);
    if (!withHistory && host.triage && mine &&
        (!mine->triage || !sameReport(*mine->triage, *host.triage)))
        mirroredInResync(m_store.setTriage(id, *host.triage), id);
}

void StoreMirror::reconcileHistory(const Call &host)
{
    const QString &id = host.id;
    const Call *mine = m_store.call(id);
    if (!mine)
        return;
    const auto segments = missing(host.transcript, mine->transcript, sameSegment);
    const auto reports = missing(host.triageHistory, mine->triageHistory, sameReport);
    const auto offers = missing(host.prearrival, mine->prearrival, sameOffer);
    for (const auto &s : segments)
        mirroredInResync(m_store.addTranscript(id, s), id);
    for (const auto &r : reports)
        mirroredInResync(m_store.setTriage(id, r), id);
    for (const auto &o : offers)
        mirroredInResync(m_store.addPrearrival(id, o), id);
    // A critical flag raised while we were away must still alarm here.
    auto flags = [](const Call &c) {
        return std::count_if(c.timeline.cbegin(), c.timeline.cend(), [](const CallEvent &e) {
            return e.kind == CallEventKind::CriticalFlagged;
        });
    };
    if (flags(host) > flags(*m_store.call(id))) {
        const auto last =
            std::find_if(host.timeline.crbegin(), host.timeline.crend(), [](const CallEvent &e) {
                return e.kind == CallEventKind::CriticalFlagged;
            });
        mirroredInResync(
            m_store.flagCritical(id, last->detail,
                                 host.triage ? host.triage->severity : TriageReport::MaxSeverity),
            id);
    }
    // ... and one acknowledged meanwhile must stop alarming, naming who acknowledged it.
    const CriticalAlert &hostAlert = host.criticalAlert;
    if (hostAlert.isAcknowledged() && m_store.call(id)->criticalAlert.isOpen())
        mirroredInResync(
            m_store.acknowledgeCritical(id, hostAlert.acknowledgedBy, hostAlert.acknowledgedAt),
            id);
    if (!segments.isEmpty() || !reports.isEmpty() || !offers.isEmpty())
        qCInfo(lcMirror) << "call" << id << "caught up:" << segments.size() << "transcript,"
                         << reports.size() << "triage," << offers.size() << "pre-arrival";
}

} // namespace dispatch::remote
