#include "calls/callstore.h"

#include "geo/geodesy.h"

#include <QLoggingCategory>

#include <cmath>

#include <utility>

Q_LOGGING_CATEGORY(lcCalls, "dispatch.calls")

namespace dispatch {

struct CallStore::Entry
{
    Call call;
    MediaBacklog backlog;
    std::optional<GeoLocation> addressedAt; // the fix the address was last looked up for
};

namespace {

// The last critical flag in a timeline and the acknowledgement after it, if any.
CriticalAlert alertFromTimeline(const Call &call)
{
    CriticalAlert alert;
    for (const CallEvent &e : call.timeline) {
        if (e.kind == CallEventKind::CriticalFlagged) {
            alert = {e.detail,
                     call.triage ? call.triage->severity : TriageReport::MaxSeverity,
                     e.at,
                     {},
                     {}};
        } else if (e.kind == CallEventKind::CriticalAcknowledged && alert.isRaised()) {
            alert.acknowledgedBy = e.actor.isPerson() ? e.actor : Actor::dispatcher(e.detail);
            alert.acknowledgedAt = e.at;
        }
    }
    return alert;
}

} // namespace

CallStore::CallStore(CallStoreConfig config, Clock clock, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_clock(std::move(clock))
{
    if (!m_config.monotonic)
        m_config.monotonic = steadyClock();
}

CallStore::~CallStore() = default;

CallStore::Entry *CallStore::liveEntry(const QString &id, Result *result)
{
    const auto it = m_entries.constFind(id);
    if (it == m_entries.constEnd()) {
        *result = Result::UnknownCall;
        return nullptr;
    }
    if (!(*it)->call.isLive()) {
        *result = Result::CallEnded;
        return nullptr;
    }
    *result = Result::Ok;
    return it->get();
}

CallStore::Entry *CallStore::assessableEntry(const QString &id, Result *result)
{
    Entry *entry = liveEntry(id, result);
    if (entry || *result != Result::CallEnded)
        return entry;
    Entry *ended = m_entries.value(id).get();
    if (ended->call.answeredAt.isValid() || ended->call.followUp == FollowUp::None)
        return nullptr;
    *result = Result::Ok;
    return ended;
}

void CallStore::appendEvent(Entry &entry, CallEventKind kind, const QString &detail,
                            const Actor &actor)
{
    CallEvent event{m_clock(), kind, detail, actor};
    entry.call.timeline.append(event);
    Q_EMIT timelineAppended(entry.call.id, event);
}

CallStore::Result CallStore::addCall(const QString &id, const std::optional<GeoLocation> &location)
{
    if (const auto it = m_entries.constFind(id); it != m_entries.constEnd()) {
        // An ended call's id may not be reused while we still hold it: the phone must pick a
        // new id for a new call.
        return Result::AlreadyExists;
    }
    auto entry = std::make_shared<Entry>();
    entry->backlog = MediaBacklog(m_config.backlogAudioBytes, m_config.backlogFrames,
                                  m_config.backlogFrameBytes, m_config.backlogFrameIntervalMs);
    entry->call.id = id;
    entry->call.ringingSince = m_clock();
    if (location) {
        entry->call.location = location;
        entry->call.track.append(*location);
        lookUpAddress(*entry, *location);
    }
    m_entries.insert(id, entry);
    m_order.append(id);
    qCInfo(lcCalls) << "call" << id << "ringing";
    appendEvent(*entry, CallEventKind::Rang);
    Q_EMIT callAdded(id);
    return Result::Ok;
}

CallStore::Result CallStore::restore(const Call &call)
{
    if (call.id.isEmpty())
        return Result::UnknownCall;
    if (m_entries.contains(call.id))
        return Result::AlreadyExists;
    auto entry = std::make_shared<Entry>();
    entry->backlog = MediaBacklog(m_config.backlogAudioBytes, m_config.backlogFrames,
                                  m_config.backlogFrameBytes, m_config.backlogFrameIntervalMs);
    entry->call = call;
    auto bound = [](auto &list, qsizetype max) {
        if (list.size() > max)
            list.remove(0, list.size() - max);
    };
    bound(entry->call.track, Call::MaxTrackPoints);
    bound(entry->call.transcript, Call::MaxTranscriptSegments);
    bound(entry->call.triageHistory, Call::MaxTriageHistory);
    bound(entry->call.prearrival, Call::MaxPrearrivalOffers);
    if (!entry->call.ringingSince.isValid())
        entry->call.ringingSince = m_clock();
    m_entries.insert(call.id, entry);
    m_order.append(call.id);
    qCInfo(lcCalls) << "call" << call.id << "restored as" << toString(call.state);
    Q_EMIT callAdded(call.id);
    if (entry->call.triage)
        Q_EMIT triageUpdated(call.id, *entry->call.triage);
    CriticalAlert &alert = entry->call.criticalAlert;
    if (!alert.isRaised())
        alert = alertFromTimeline(entry->call);
    if (alert.isOpen() && entry->call.isLive())
        Q_EMIT criticalFlagged(call.id, alert.reason, alert.severity);
    pruneEnded();
    return Result::Ok;
}

CallStore::Result CallStore::transition(const QString &id, CallState to, CallEventKind event,
                                        const Actor &by)
{
    Result result;
    Entry *entry = liveEntry(id, &result);
    if (!entry)
        return result;
    if (!isValidTransition(entry->call.state, to))
        return Result::InvalidTransition;
    entry->call.state = to;
    appendEvent(*entry, event, QString(), by);
    Q_EMIT callStateChanged(id, to);
    return Result::Ok;
}

CallStore::Result CallStore::answer(const QString &id, const Actor &by)
{
    Result result;
    Entry *entry = liveEntry(id, &result);
    if (!entry)
        return result;
    if (!isValidTransition(entry->call.state, CallState::Answered) ||
        entry->call.answeredAt.isValid())
        return Result::InvalidTransition;
    entry->call.answeredAt = m_clock();
    entry->call.answeredBy = by.name;
    entry->call.state = CallState::Answered;
    qCInfo(lcCalls) << "call" << id << "answered by" << toString(by) << "after"
                    << entry->call.answerMilliseconds(entry->call.answeredAt) << "ms";
    appendEvent(*entry, CallEventKind::Answered, by.name, by);
    Q_EMIT callStateChanged(id, CallState::Answered);
    Q_EMIT callAnswered(id, entry->backlog);
    entry->backlog = MediaBacklog(); // handed over: nothing more is kept
    return Result::Ok;
}

CallStore::Result CallStore::hold(const QString &id, const Actor &by)
{
    return transition(id, CallState::OnHold, CallEventKind::Held, by);
}

CallStore::Result CallStore::resume(const QString &id, const Actor &by)
{
    Result result;
    Entry *entry = liveEntry(id, &result);
    if (!entry)
        return result;
    if (entry->call.state != CallState::OnHold)
        return Result::InvalidTransition;
    return transition(id, CallState::Answered, CallEventKind::Resumed, by);
}

CallStore::Result CallStore::transfer(const QString &id, const QString &to, const Actor &by)
{
    Result result;
    Entry *entry = liveEntry(id, &result);
    if (!entry)
        return result;
    if ((entry->call.state != CallState::Answered && entry->call.state != CallState::OnHold) ||
        to.isEmpty() || to == entry->call.answeredBy)
        return Result::InvalidTransition;
    const QString from = entry->call.answeredBy;
    entry->call.answeredBy = to;
    qCInfo(lcCalls) << "call" << id << "transferred from" << from << "to" << to << "by"
                    << toString(by);
    appendEvent(*entry, CallEventKind::Transferred, from + QStringLiteral(" -> ") + to, by);
    Q_EMIT callTransferred(id, from, to);
    return Result::Ok;
}

CallStore::Result CallStore::end(const QString &id, EndReason reason)
{
    const bool byCaller = reason == EndReason::CallerHungUp || reason == EndReason::Abandoned ||
                          reason == EndReason::CallerLost;
    if (reason == EndReason::DispatcherEnded || reason == EndReason::AdminTerminated)
        qCWarning(lcCalls) << "call" << id << "ended as" << toString(reason)
                           << "without naming who ended it";
    return end(id, reason, byCaller ? Actor::caller() : Actor::system());
}

CallStore::Result CallStore::end(const QString &id, EndReason reason, const Actor &by,
                                 Disposition disposition)
{
    Result result;
    Entry *entry = liveEntry(id, &result);
    if (!entry)
        return result;
    if (reason == EndReason::CallerHungUp && entry->call.state == CallState::Ringing)
        reason = EndReason::Abandoned;
    entry->call.state = CallState::Ended;
    entry->call.endReason = reason;
    entry->call.disposition = disposition;
    entry->call.endedAt = m_clock();
    if (needsFollowUp(reason))
        entry->call.followUp = FollowUp::Open;
    const bool unanswered = !entry->call.answeredAt.isValid();
    const MediaBacklog ringing = std::exchange(entry->backlog, MediaBacklog());
    qCInfo(lcCalls) << "call" << id << "ended:" << toString(reason) << "by" << toString(by);
    if (disposition != Disposition::None)
        qCInfo(lcCalls) << "call" << id << "disposition:" << toString(disposition);
    appendEvent(*entry, CallEventKind::Ended, toString(reason), by);
    Q_EMIT callStateChanged(id, CallState::Ended);
    Q_EMIT callEnded(id, reason);
    if (unanswered && needsFollowUp(reason) && m_entries.contains(id))
        Q_EMIT unansweredCallEnded(id, ringing);
    pruneEnded();
    return Result::Ok;
}

CallStore::Result CallStore::resolveFollowUp(const QString &id, FollowUp resolution,
                                             const Actor &by)
{
    const auto it = m_entries.constFind(id);
    if (it == m_entries.constEnd())
        return Result::UnknownCall;
    Call &call = (*it)->call;
    if (call.isLive() || call.followUp != FollowUp::Open || !isFollowUpResolution(resolution))
        return Result::InvalidTransition;
    call.followUp = resolution;
    call.followUpBy = by.name;
    call.followUpAt = m_clock();
    qCInfo(lcCalls) << "call" << id << "follow-up:" << toString(resolution) << "by" << toString(by);
    appendEvent(**it, CallEventKind::FollowedUp, toString(resolution), by);
    Q_EMIT followUpResolved(id, resolution, by.name);
    pruneEnded();
    return Result::Ok;
}

CallStore::Result CallStore::setCallerConnected(const QString &id, bool connected)
{
    Result result;
    Entry *entry = liveEntry(id, &result);
    if (!entry)
        return result;
    if (entry->call.callerConnected == connected)
        return Result::Ok;
    entry->call.callerConnected = connected;
    appendEvent(*entry,
                connected ? CallEventKind::CallerReconnected : CallEventKind::CallerDisconnected);
    Q_EMIT callerConnectionChanged(id, connected);
    return Result::Ok;
}

CallStore::Result CallStore::updateLocation(const QString &id, const GeoLocation &location)
{
    return storeLocation(id, location, nullptr);
}

CallStore::Result CallStore::mirrorLocation(const QString &id, const GeoLocation &location,
                                            const geo::AddressMatch &address)
{
    return storeLocation(id, location, &address);
}

CallStore::Result CallStore::storeLocation(const QString &id, const GeoLocation &location,
                                           const geo::AddressMatch *hostAddress)
{
    Result result;
    Entry *entry = liveEntry(id, &result);
    if (!entry)
        return result;
    if (entry->call.location && *entry->call.location == location) {
        if (!hostAddress || *hostAddress == entry->call.address)
            return Result::Ok;
        entry->call.address = *hostAddress; // the host looked it up again (or now has data)
        Q_EMIT locationUpdated(id, location);
        return Result::Ok;
    }
    const bool first = !entry->call.location.has_value();
    entry->call.location = location;
    entry->call.track.append(location);
    if (entry->call.track.size() > Call::MaxTrackPoints)
        entry->call.track.removeFirst();
    if (hostAddress)
        entry->call.address = *hostAddress;
    else
        lookUpAddress(*entry, location);
    if (first)
        appendEvent(*entry, CallEventKind::LocationUpdated);
    Q_EMIT locationUpdated(id, location);
    return Result::Ok;
}

void CallStore::lookUpAddress(Entry &entry, const GeoLocation &location)
{
    if (!m_config.addressLookup)
        return;
    // GPS jitter costs no lookup: again only when the fix moved, or its accuracy changed, enough.
    const std::optional<GeoLocation> &last = entry.addressedAt;
    constexpr double enough = CallStoreConfig::AddressRecomputeMeters;
    if (last &&
        geo::distanceMeters(last->latitude, last->longitude, location.latitude,
                            location.longitude) <= enough &&
        std::abs(last->accuracyMeters.value_or(0) - location.accuracyMeters.value_or(0)) <= enough)
        return;
    entry.addressedAt = location;
    entry.call.address = m_config.addressLookup(location);
}

CallStore::Result CallStore::acceptLocation(const QString &id, const Actor &by)
{
    Result result;
    Entry *entry = liveEntry(id, &result);
    if (!entry)
        return result;
    if (!entry->call.location)
        return Result::InvalidTransition;
    if (entry->call.locationAccepted)
        return Result::Ok;
    entry->call.locationAccepted = true;
    appendEvent(*entry, CallEventKind::LocationAccepted, by.name, by);
    Q_EMIT locationAccepted(id);
    return Result::Ok;
}

CallStore::Result CallStore::addAudio(const QString &id, const QByteArray &pcm)
{
    Result result;
    Entry *entry = liveEntry(id, &result);
    if (!entry)
        return result;
    entry->call.audioBytes += pcm.size();
    if (entry->call.state == CallState::Ringing)
        entry->backlog.appendAudio(pcm);
    Q_EMIT audioReceived(id, pcm);
    return Result::Ok;
}

CallStore::Result CallStore::addFrame(const QString &id, const QByteArray &jpeg)
{
    Result result;
    Entry *entry = liveEntry(id, &result);
    if (!entry)
        return result;
    ++entry->call.frames;
    if (entry->call.state == CallState::Ringing)
        entry->backlog.appendFrame(jpeg, m_config.monotonic());
    Q_EMIT frameReceived(id, jpeg);
    return Result::Ok;
}

CallStore::Result CallStore::addVitals(const QString &id, const VitalsSample &vitals)
{
    Result result;
    Entry *entry = liveEntry(id, &result);
    if (!entry)
        return result;
    entry->call.vitals = vitals;
    Q_EMIT vitalsUpdated(id, vitals);
    return Result::Ok;
}

CallStore::Result CallStore::addTranscript(const QString &id, const TranscriptSegment &segment)
{
    Result result;
    Entry *entry = assessableEntry(id, &result);
    if (!entry)
        return result;
    auto &transcript = entry->call.transcript;
    // A partial segment is replaced by the next partial or final of the same speaker.
    if (!transcript.isEmpty() && !transcript.constLast().final &&
        transcript.constLast().speaker == segment.speaker)
        transcript.removeLast();
    transcript.append(segment);
    if (transcript.size() > Call::MaxTranscriptSegments)
        transcript.removeFirst();
    if (segment.speaker == Speaker::CallerText)
        appendEvent(*entry, CallEventKind::CallerText);
    Q_EMIT transcriptUpdated(id, segment);
    return Result::Ok;
}

CallStore::Result CallStore::setTriage(const QString &id, const TriageReport &report)
{
    return storeTriage(id, report, nullptr);
}

CallStore::Result CallStore::overrideTriage(const QString &id, const TriageReport &report,
                                            const Actor &by)
{
    TriageReport human = report;
    human.source = TriageSource::Dispatcher;
    const Result result = storeTriage(id, human, &by);
    const Call *c = call(id);
    if (result == Result::Ok && !human.critical && c && c->criticalAlert.isOpen())
        (void)acknowledgeCritical(id, by); // live and open: cannot fail
    return result;
}

CallStore::Result CallStore::storeTriage(const QString &id, const TriageReport &incoming,
                                         const Actor *overriddenBy)
{
    Result result;
    Entry *entry = overriddenBy ? liveEntry(id, &result) : assessableEntry(id, &result);
    if (!entry)
        return result;
    TriageReport report = incoming;
    if (!report.producedAt.isValid())
        report.producedAt = m_clock();
    // Once a dispatcher has overridden the assessment, AI reports are kept in the history but
    // do not replace the dispatcher's values.
    const bool dispatcherOwns = entry->call.triage &&
                                entry->call.triage->source == TriageSource::Dispatcher &&
                                report.source != TriageSource::Dispatcher;
    if (!dispatcherOwns)
        entry->call.triage = report;
    entry->call.triageHistory.append(report);
    if (entry->call.triageHistory.size() > Call::MaxTriageHistory)
        entry->call.triageHistory.removeFirst();
    if (!entry->call.firstTriageAt.isValid() && report.source != TriageSource::Dispatcher) {
        entry->call.firstTriageAt = m_clock();
        appendEvent(*entry, CallEventKind::FirstTriage, toString(report.source));
    }
    if (overriddenBy)
        appendEvent(*entry, CallEventKind::TriageOverridden, overriddenBy->name, *overriddenBy);
    Q_EMIT triageUpdated(id, report);
    return Result::Ok;
}

CallStore::Result CallStore::flagCritical(const QString &id, const QString &reason, int severity)
{
    Result result;
    Entry *entry = liveEntry(id, &result);
    if (!entry)
        return result;
    entry->call.criticalAlert = {reason, severity, m_clock(), {}, {}};
    appendEvent(*entry, CallEventKind::CriticalFlagged, reason);
    Q_EMIT criticalFlagged(id, reason, severity);
    return Result::Ok;
}

CallStore::Result CallStore::acknowledgeCritical(const QString &id, const Actor &by,
                                                 const QDateTime &at)
{
    Result result;
    Entry *entry = liveEntry(id, &result);
    if (!entry)
        return result;
    CriticalAlert &alert = entry->call.criticalAlert;
    if (!alert.isRaised())
        return Result::InvalidTransition;
    if (alert.isAcknowledged())
        return Result::Ok; // someone was quicker: it stays theirs
    alert.acknowledgedBy = by;
    alert.acknowledgedAt = at.isValid() ? at : m_clock();
    qCInfo(lcCalls) << "call" << id << "critical flag acknowledged by" << toString(by);
    CallEvent event{alert.acknowledgedAt, CallEventKind::CriticalAcknowledged, by.name, by};
    entry->call.timeline.append(event);
    Q_EMIT timelineAppended(id, event);
    Q_EMIT criticalAcknowledged(id, by, alert.acknowledgedAt);
    return Result::Ok;
}

CallStore::Result CallStore::setTriageLink(const QString &id, const TriageLink &link)
{
    Result result;
    Entry *entry = liveEntry(id, &result);
    if (!entry)
        return result;
    if (entry->call.triageLink == link)
        return Result::Ok;
    entry->call.triageLink = link;
    Q_EMIT triageLinkChanged(id, link);
    return Result::Ok;
}

CallStore::Result CallStore::addPrearrival(const QString &id, const PrearrivalOffer &incoming)
{
    Result result;
    Entry *entry = liveEntry(id, &result);
    if (!entry)
        return result;
    PrearrivalOffer offer = incoming;
    if (!offer.at.isValid())
        offer.at = m_clock();
    entry->call.prearrival.append(offer);
    if (entry->call.prearrival.size() > Call::MaxPrearrivalOffers)
        entry->call.prearrival.removeFirst();
    Q_EMIT prearrivalOffered(id, offer);
    return Result::Ok;
}

CallStore::Result CallStore::sendTalkBack(const QString &id, const QByteArray &pcm)
{
    Result result;
    Entry *entry = liveEntry(id, &result);
    if (!entry)
        return result;
    if (entry->call.state != CallState::Answered)
        return Result::InvalidTransition;
    Q_EMIT talkBackRequested(id, pcm);
    return Result::Ok;
}

const Call *CallStore::call(const QString &id) const
{
    const auto it = m_entries.constFind(id);
    return it == m_entries.constEnd() ? nullptr : &(*it)->call;
}

int CallStore::endAllLive(EndReason reason)
{
    QStringList live;
    for (const auto &id : m_order) {
        if (m_entries.value(id)->call.isLive())
            live << id;
    }
    for (const QString &id : live)
        (void)end(id, reason); // each is live: Ok, unless a slot ended it meanwhile
    return int(live.size());
}

QList<const Call *> CallStore::calls() const
{
    QList<const Call *> out;
    out.reserve(m_order.size());
    for (const auto &id : m_order)
        out.append(&m_entries.value(id)->call);
    return out;
}

int CallStore::countInState(CallState state) const
{
    int n = 0;
    for (const auto &e : m_entries)
        n += e->call.state == state ? 1 : 0;
    return n;
}

void CallStore::pruneEnded()
{
    // A call waiting for its follow-up stays, however many ended since.
    auto kept = [](const Call &c) { return c.isLive() || c.followUp == FollowUp::Open; };
    qsizetype ended = 0;
    for (const auto &e : m_entries)
        ended += kept(e->call) ? 0 : 1;
    for (auto it = m_order.begin(); ended > m_config.maxEndedCallsKept && it != m_order.end();) {
        if (kept(m_entries.value(*it)->call)) {
            ++it;
            continue;
        }
        const QString id = *it;
        it = m_order.erase(it);
        m_entries.remove(id);
        --ended;
        Q_EMIT callRemoved(id);
    }
}

} // namespace dispatch
