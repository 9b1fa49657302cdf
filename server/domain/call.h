#pragma once

#include "domain/actor.h"
#include "domain/disposition.h"
#include "domain/followup.h"
#include "domain/triagelink.h"
#include "domain/triagereport.h"
#include "geo/siteaddress.h"

#include <QDateTime>
#include <QList>
#include <QString>
#include <QStringList>

#include <optional>

namespace dispatch {

enum class CallState
{
    Ringing,
    Answered,
    OnHold,
    Ended
};

enum class EndReason
{
    None,
    CallerHungUp,    // the phone sent call_ended
    DispatcherEnded, // a dispatcher ended it
    CallerLost,      // the phone vanished and did not come back within the grace period
    Abandoned,       // the caller hung up before anyone answered
    AdminTerminated, // DELETE /sessions/{id}
    ServerShutdown,
};

struct GeoLocation
{
    double latitude = 0;
    double longitude = 0;
    std::optional<double> accuracyMeters;
    QDateTime receivedAt;

    bool operator==(const GeoLocation &o) const
    {
        return latitude == o.latitude && longitude == o.longitude &&
               accuracyMeters == o.accuracyMeters;
    }
};

// Camera-derived vitals from the phone; each value comes with the phone's confidence (0-1).
struct VitalsSample
{
    std::optional<double> heartRate;
    std::optional<double> heartRateConfidence;
    std::optional<double> breathingRate;
    std::optional<double> breathingConfidence;
    qint64 phoneTimestampMs = 0;
    QDateTime receivedAt;
};

enum class Speaker
{
    Caller,
    CallerText,
    Dispatcher,
    Ai
};

struct TranscriptSegment
{
    QDateTime at;
    Speaker speaker = Speaker::Caller;
    QString text;
    bool final = true;
};

enum class CallEventKind
{
    Rang,
    Answered,
    Held,
    Resumed,
    Ended,
    FirstTriage,
    CriticalFlagged,
    CallerDisconnected,
    CallerReconnected,
    LocationUpdated,
    LocationAccepted,
    CallerText,
    Transferred,          // detail: "from -> to"
    TriageOverridden,     // a person replaced the AI's assessment
    CriticalAcknowledged, // a person acknowledged the critical flag; detail: their name
    FollowedUp,           // an abandoned or lost call's follow-up resolved; detail: the code
};

// Pre-arrival instructions fetched for a call (by the model), for the dispatcher to read out.
struct PrearrivalOffer
{
    QDateTime at;
    QString topic;
    QString title;
    QStringList steps;
};

struct CallEvent
{
    QDateTime at;
    CallEventKind kind = CallEventKind::Rang;
    QString detail;
    // Who caused it: the person for answer, hold, resume, end, transfer, location and triage
    // overrides; the caller or the system otherwise. Known on the host (not sent on the wire).
    Actor actor;
};

// The latest critical flag on a call and whether a person has acknowledged it. A new flag
// re-opens it: the acknowledgement is cleared until someone acknowledges again.
struct CriticalAlert
{
    QString reason;
    int severity = 0;
    QDateTime raisedAt;       // invalid: the call was never flagged
    Actor acknowledgedBy;     // a person, when acknowledged
    QDateTime acknowledgedAt; // invalid: not acknowledged

    bool isRaised() const { return raisedAt.isValid(); }
    bool isAcknowledged() const { return isRaised() && acknowledgedAt.isValid(); }
    bool isOpen() const { return isRaised() && !acknowledgedAt.isValid(); }
};

// A call as the single source of truth sees it. Values only: the store owns the live ones.
struct Call
{
    static constexpr qsizetype MaxTrackPoints = 500;
    static constexpr qsizetype MaxTranscriptSegments = 2000;
    static constexpr qsizetype MaxTriageHistory = 200;
    static constexpr qsizetype MaxPrearrivalOffers = 20;

    QString id;
    CallState state = CallState::Ringing;
    EndReason endReason = EndReason::None;
    Disposition disposition = Disposition::None; // how the dispatcher who ended it closed it
    // An abandoned or lost call waits for a dispatcher (domain/followup.h): Open from its end
    // until resolved, then the resolution, who resolved it (a principal's name) and when.
    FollowUp followUp = FollowUp::None;
    QString followUpBy;
    QDateTime followUpAt;
    std::optional<GeoLocation> location;
    QList<GeoLocation> track; // bounded, newest last
    // Phone-supplied location is supplemental until a dispatcher has verified and accepted it.
    bool locationAccepted = false;
    // The site address nearest the location, from the site's address points (geo/): NoData
    // when the site has none or there is no location yet. The host looks it up (CallStore);
    // a remote console takes the host's.
    geo::AddressMatch address;
    QDateTime ringingSince;
    QDateTime answeredAt;
    QDateTime endedAt;
    QDateTime firstTriageAt;
    QString answeredBy;
    bool callerConnected = true;
    std::optional<TriageReport> triage; // the current assessment (AI or dispatcher)
    QList<TriageReport> triageHistory;  // bounded, oldest first; includes overrides
    TriageLink triageLink;
    QList<PrearrivalOffer> prearrival;   // bounded, oldest first
    QList<TranscriptSegment> transcript; // bounded, oldest first
    std::optional<VitalsSample> vitals;
    QList<CallEvent> timeline;
    CriticalAlert criticalAlert;
    qint64 audioBytes = 0;
    qint64 frames = 0;

    bool isLive() const { return state != CallState::Ended; }
    // A live call whose latest critical flag nobody has acknowledged: it alarms every console.
    bool hasUnacknowledgedCritical() const { return isLive() && criticalAlert.isOpen(); }
    // Seconds from ring to answer (or to now/end while unanswered).
    qint64 answerMilliseconds(const QDateTime &now) const;
};

QString toString(CallState s);
QString toString(EndReason r);
QString toString(CallEventKind k);
QString toString(Speaker s);

// The inverses, for names read off the wire (a remote console's view of its host):
// nullopt for anything that is not one of the names above.
std::optional<CallState> callStateFromString(const QString &s);
std::optional<EndReason> endReasonFromString(const QString &s);
std::optional<CallEventKind> callEventKindFromString(const QString &s);
std::optional<Speaker> speakerFromString(const QString &s);

// Valid moves of the call state machine.
bool isValidTransition(CallState from, CallState to);

} // namespace dispatch
