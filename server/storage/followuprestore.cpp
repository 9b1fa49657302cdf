#include "storage/followuprestore.h"

#include "domain/followup.h"

namespace dispatch {

namespace {

ProtocolError refuse(const StoredCall &stored, const QString &why)
{
    return {QStringLiteral("follow_up_restore"),
            QStringLiteral("call %1 (%2): %3").arg(stored.callId).arg(stored.key).arg(why)};
}

} // namespace

Parsed<Call> callFromStored(const StoredCall &stored)
{
    const auto state = callStateFromString(stored.state);
    const auto endReason = endReasonFromString(stored.endReason);
    if (state != CallState::Ended || !endReason)
        return refuse(stored, QStringLiteral("not an ended call"));
    if (followUpFromString(stored.followUp) != FollowUp::Open)
        return refuse(stored, QStringLiteral("no open follow-up"));
    Call c;
    c.id = stored.callId;
    c.state = CallState::Ended;
    c.endReason = *endReason;
    c.disposition = dispositionFromString(stored.disposition).value_or(Disposition::None);
    c.followUp = FollowUp::Open;
    c.ringingSince = stored.ringingAt;
    c.answeredAt = stored.answeredAt;
    c.endedAt = stored.endedAt;
    c.firstTriageAt = stored.firstTriageAt;
    c.answeredBy = stored.answeredBy;
    c.callerConnected = false;
    c.location = stored.lastLocation;
    c.track = stored.track;
    if (c.track.isEmpty() && c.location)
        c.track.append(*c.location);
    c.address = stored.address;

    const auto acknowledgedBy = actorFromString(stored.criticalAcknowledgedBy);
    for (const StoredCall::Event &e : stored.timeline) {
        const auto kind = callEventKindFromString(e.kind);
        if (!kind)
            continue; // an event a newer build wrote: history shows it, the queue needs none
        CallEvent event{e.at, *kind, e.detail, Actor::system()};
        if (*kind == CallEventKind::CriticalAcknowledged && acknowledgedBy &&
            e.at == stored.criticalAcknowledgedAt)
            event.actor = *acknowledgedBy;
        c.locationAccepted = c.locationAccepted || *kind == CallEventKind::LocationAccepted;
        c.timeline.append(event);
    }
    for (const StoredCall::Triage &t : stored.triage) {
        if (auto report = triageReportFromWire(t.report))
            c.triageHistory.append(report.value());
    }
    if (!stored.lateTriage.isEmpty()) {
        if (auto late = triageReportFromWire(stored.lateTriage))
            c.triageHistory.append(late.value());
    }
    if (!c.triageHistory.isEmpty())
        c.triage = c.triageHistory.constLast();
    for (const QList<StoredCall::Segment> *segments :
         {&stored.transcript, &stored.lateTranscript}) {
        for (const StoredCall::Segment &s : *segments) {
            if (const auto speaker = speakerFromString(s.speaker))
                c.transcript.append({s.at, *speaker, s.text, true});
        }
    }
    return c;
}

} // namespace dispatch
