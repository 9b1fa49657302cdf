#pragma once

#include "domain/call.h"

#include <QDateTime>
#include <QList>

#include <optional>

namespace dispatch {

// The numbers a supervisor watches on the call wall, computed from calls alone (no clock of
// its own, no signals): pass CallStore::calls() and CallStore::now().
//
// "Today" is the local calendar day of `now`. Only calls the CallStore still holds count
// (it keeps every live call and the most recent ended ones).
struct RoomStats
{
    static constexpr qint64 FastAnswerMs = 15'000; // the answer target
    static constexpr qint64 SlowAnswerMs = 20'000; // the hard limit

    int ringing = 0;
    int active = 0; // answered, not on hold
    int onHold = 0;

    int callsToday = 0;
    int answeredToday = 0;
    int abandonedToday = 0;
    int callbacksDue = 0; // ended calls whose follow-up is open (any day: nobody called back)
    // Shares of today's calls answered within 15 s and 20 s, among the calls whose outcome
    // is known: answered, ended unanswered, or still ringing past the limit. nullopt: none yet.
    std::optional<double> answeredWithin15Share;
    std::optional<double> answeredWithin20Share;
    std::optional<qint64> meanAnswerMs;
    std::optional<qint64> meanAnswerToTriageMs; // from answer to the first triage

    static RoomStats compute(const QList<const Call *> &calls, const QDateTime &now);
};

} // namespace dispatch
