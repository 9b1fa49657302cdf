#pragma once

#include "calls/mediabacklog.h"
#include "common/clock.h"
#include "common/monotonicclock.h"
#include "domain/call.h"

#include <QHash>
#include <QObject>

#include <functional>
#include <memory>

namespace dispatch {

struct CallStoreConfig
{
    qsizetype backlogAudioBytes = 30 * 16000 * 2; // 30 s of 16 kHz s16le mono
    // Camera frames kept while a call rings: at most one a second, this many, this many bytes
    // (a hostile caller's 2 MiB frames must not make a ringing call cost 60 MiB).
    qsizetype backlogFrames = 30;
    qsizetype backlogFrameBytes = 4 * 1024 * 1024;
    qint64 backlogFrameIntervalMs = 1000;
    qsizetype maxEndedCallsKept = 200; // ended calls stay in memory for the UI; storage keeps all
    // Times the backlog's frame interval (a duration: a wall clock stepped back must not drop
    // every frame until it catches up); empty: steadyClock(). Timestamps use the wall clock.
    MonotonicClock monotonic;
    // Reverse geocoding of a call's location from the site's address points (app/ wires
    // geo::AddressPoints in); empty: the site has none and every call's address is NoData.
    // Called again only when the location moved (or its accuracy changed) by more than
    // AddressRecomputeMeters, not on every GPS tick.
    std::function<geo::AddressMatch(const GeoLocation &)> addressLookup;
    static constexpr double AddressRecomputeMeters = 10;
};

// The single source of truth for calls: state machine, timeline, latest media facts. Every
// producer (phone server, AI backends, dispatcher UI, remote consoles) changes calls through its
// commands; every consumer (UI models, AI backends, storage, dashboards) follows its signals.
class CallStore : public QObject
{
    Q_OBJECT

public:
    enum class [[nodiscard]] Result{Ok, UnknownCall, AlreadyExists, InvalidTransition, CallEnded};
    Q_ENUM(Result)

    explicit CallStore(CallStoreConfig config = {}, Clock clock = systemClock(),
                       QObject *parent = nullptr);
    ~CallStore() override;

    // Commands.
    Result addCall(const QString &id, const std::optional<GeoLocation> &location);
    // Adds a call that lives elsewhere, with its times and history as the other store has them:
    // a remote console mirroring its host. Emits callAdded, then the current triage and the
    // last critical flag unless acknowledged, so every view catches up at once. Without a
    // criticalAlert the call's timeline says what it is.
    Result restore(const Call &call);
    // The commands people perform name who acts (`by`): the timeline event carries it and the
    // audit trail records it. answeredBy becomes by.name.
    Result answer(const QString &id, const Actor &by);
    Result hold(const QString &id, const Actor &by);
    Result resume(const QString &id, const Actor &by);
    // Hands an answered (or held) call to another dispatcher: answeredBy becomes `to`.
    Result transfer(const QString &id, const QString &to, const Actor &by);
    // `disposition`: how the person closed it (recorded with the end; None when not given).
    Result end(const QString &id, EndReason reason, const Actor &by,
               Disposition disposition = Disposition::None);
    // Ends a call for a reason no person gave: the caller hung up or vanished (actor `caller`),
    // the server shuts down (actor `system`). A person ending a call uses the overload above.
    Result end(const QString &id, EndReason reason);
    // Ends every live call for a reason no person gave (a server shutdown); returns how many.
    int endAllLive(EndReason reason);
    // A person closes the follow-up of an abandoned or lost call (domain/followup.h): the call
    // must have ended with its follow-up open and `resolution` be one of followUpResolutions();
    // else InvalidTransition (a live call: CallEnded's opposite, also InvalidTransition).
    Result resolveFollowUp(const QString &id, FollowUp resolution, const Actor &by);
    Result setCallerConnected(const QString &id, bool connected);
    // A new fix: its site address is looked up (CallStoreConfig::addressLookup) before
    // locationUpdated, so every consumer sees the location and its address together.
    Result updateLocation(const QString &id, const GeoLocation &location);
    // A fix with the address the host found for it (a remote console mirroring its host).
    Result mirrorLocation(const QString &id, const GeoLocation &location,
                          const geo::AddressMatch &address);
    Result acceptLocation(const QString &id, const Actor &by);
    Result addAudio(const QString &id, const QByteArray &pcm);
    Result addFrame(const QString &id, const QByteArray &jpeg);
    Result addVitals(const QString &id, const VitalsSample &vitals);
    Result addTranscript(const QString &id, const TranscriptSegment &segment);
    // An assessment from the AI (or mirrored from a host). Reports from a dispatcher go
    // through overrideTriage, which names who overrode. Also taken (like addTranscript) by a
    // call that ended unanswered and needs a follow-up: its ring-time audio is assessed late.
    Result setTriage(const QString &id, const TriageReport &report);
    // A person replaces the current assessment: the report's source becomes Dispatcher and the
    // timeline gets triage_overridden with the actor. A report that is not critical clears an
    // unacknowledged critical flag: the person has seen it (acknowledged by them).
    Result overrideTriage(const QString &id, const TriageReport &report, const Actor &by);
    // A (new) critical flag: the call's criticalAlert is raised again, unacknowledged.
    Result flagCritical(const QString &id, const QString &reason, int severity);
    // A person has seen the call's critical flag: who and when are kept with the call and the
    // alarm clears on every console until a new flag re-opens it. `at`: when, as the host
    // stamped it (a remote console mirroring it); empty: now. Acknowledging an acknowledged
    // flag is Ok and changes nothing; a call never flagged refuses (InvalidTransition).
    Result acknowledgeCritical(const QString &id, const Actor &by,
                               const QDateTime &at = QDateTime());
    Result setTriageLink(const QString &id, const TriageLink &link);
    Result addPrearrival(const QString &id, const PrearrivalOffer &offer);
    Result sendTalkBack(const QString &id, const QByteArray &pcm);

    // Queries.
    const Call *call(const QString &id) const;
    QList<const Call *> calls() const; // live and recently ended, oldest ring first
    int countInState(CallState state) const;
    QDateTime now() const { return m_clock(); }

Q_SIGNALS:
    void callAdded(const QString &id);
    void callStateChanged(const QString &id, dispatch::CallState state);
    // Emitted once, at answer, with what the caller sent while the call rang.
    void callAnswered(const QString &id, const dispatch::MediaBacklog &backlog);
    void callEnded(const QString &id, dispatch::EndReason reason);
    // Emitted after callEnded when a call ended unanswered and needs a follow-up (abandoned
    // while it rang, or lost), with what the caller sent while it rang: the one chance to
    // assess it before the dispatcher calls back.
    void unansweredCallEnded(const QString &id, const dispatch::MediaBacklog &backlog);
    void followUpResolved(const QString &id, dispatch::FollowUp resolution, const QString &by);
    void callTransferred(const QString &id, const QString &from, const QString &to);
    void callRemoved(const QString &id); // pruned from memory long after it ended
    void callerConnectionChanged(const QString &id, bool connected);
    // The call's location and its address (call(id)->address) changed.
    void locationUpdated(const QString &id, const dispatch::GeoLocation &location);
    void locationAccepted(const QString &id);
    void audioReceived(const QString &id, const QByteArray &pcm);
    void frameReceived(const QString &id, const QByteArray &jpeg);
    void vitalsUpdated(const QString &id, const dispatch::VitalsSample &vitals);
    void transcriptUpdated(const QString &id, const dispatch::TranscriptSegment &segment);
    void triageUpdated(const QString &id, const dispatch::TriageReport &report);
    void criticalFlagged(const QString &id, const QString &reason, int severity);
    void criticalAcknowledged(const QString &id, const dispatch::Actor &by, const QDateTime &at);
    void triageLinkChanged(const QString &id, const dispatch::TriageLink &link);
    void prearrivalOffered(const QString &id, const dispatch::PrearrivalOffer &offer);
    void talkBackRequested(const QString &id, const QByteArray &pcm);
    void timelineAppended(const QString &id, const dispatch::CallEvent &event);

private:
    struct Entry;
    Entry *liveEntry(const QString &id, Result *result);
    // A live call, or one that ended unanswered and needs a follow-up: its ring-time audio is
    // assessed after the end, so it still takes AI reports and the caller's transcript.
    Entry *assessableEntry(const QString &id, Result *result);
    void appendEvent(Entry &entry, CallEventKind kind, const QString &detail = QString(),
                     const Actor &actor = Actor::system());
    Result transition(const QString &id, CallState to, CallEventKind event, const Actor &by);
    Result storeLocation(const QString &id, const GeoLocation &location,
                         const geo::AddressMatch *hostAddress);
    void lookUpAddress(Entry &entry, const GeoLocation &location);
    Result storeTriage(const QString &id, const TriageReport &report, const Actor *overriddenBy);
    void pruneEnded();

    CallStoreConfig m_config;
    Clock m_clock;
    QHash<QString, std::shared_ptr<Entry>> m_entries;
    QList<QString> m_order; // insertion order
};

} // namespace dispatch
