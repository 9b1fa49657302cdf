#pragma once

#include <QList>
#include <QString>

#include <optional>

namespace dispatch {

// Where a call's AI triage comes from right now (dashboard message `ai_link`).
enum class TriageLinkState
{
    None,       // no triage running (not answered yet, or ended)
    Connecting, // the Gemini session is connecting
    Live,       // Gemini is listening
    Resuming,   // Gemini connection lost: reconnecting
    Local,      // the local engine triages (no key, over budget, or fallback)
    Failed      // the Gemini session failed for good (`failure` says why)
};

// Why an AI (primary) triage session failed for good, independent of the backend. The router
// decides from it how long new calls stay local (the breaker); the UI names it.
enum class TriageFailureKind
{
    None,
    Transient,     // retries ran out on network or server errors: other calls may get through
    Quota,         // the plan's quota or rate limit
    ApiKey,        // the key was refused
    Credentials,   // Vertex AI: the service account's credentials or access token were refused
    ModelNotFound, // the configured model does not exist (for this key)
    BadRequest     // the service refused the request (setup, configuration)
};

// Why the link is what it is: a code the engine emits and each console translates.
enum class TriageLinkReason
{
    None,           // nothing to add to the state
    LocalSelected,  // local triage chosen (--triage local)
    NoApiKey,       // no GEMINI_API_KEY
    WaitingForSlot, // every AI slot is in use: args {in use, budget}; upgraded when one frees
    BreakerOpen,    // AI paused after a failure: `failure`, args {seconds until it is retried}
    Fallback,       // the call's AI session failed for good (`failure`): local from now on
    LocalMeanwhile  // the AI is connecting or resuming: local reports are published meanwhile
};

// A code with its numbers, and an untranslated technical detail for logs and /health only
// (the supervisor's state detail, the service's close reason): never shown translated.
struct TriageLink
{
    TriageLink() = default;
    TriageLink(TriageLinkState s, TriageLinkReason r = TriageLinkReason::None,
               TriageFailureKind f = TriageFailureKind::None, QList<int> a = {},
               QString technical = {});

    TriageLinkState state = TriageLinkState::None;
    TriageLinkReason reason = TriageLinkReason::None;
    TriageFailureKind failure = TriageFailureKind::None;
    QList<int> args; // by reason, see TriageLinkReason
    QString detail;  // technical, English, untranslated

    int arg(qsizetype i) const { return args.value(i); }
    bool operator==(const TriageLink &o) const
    {
        return state == o.state && reason == o.reason && failure == o.failure && args == o.args &&
               detail == o.detail;
    }
    bool operator!=(const TriageLink &o) const { return !(*this == o); }
};

// Defined in call.cpp with the other wire names.
QString toString(TriageLinkState s);
std::optional<TriageLinkState> triageLinkStateFromString(const QString &s);
QString toString(TriageLinkReason reason);
QString toString(TriageFailureKind kind);
// The inverses for names read off the wire: nullopt for anything unknown.
std::optional<TriageLinkReason> triageLinkReasonFromString(const QString &s);
std::optional<TriageFailureKind> triageFailureKindFromString(const QString &s);

// The link's reason and detail in English, as a log line, /health and an old console (the wire's
// `detail`) read it: "waiting for an AI slot (2 of 2 in use)", "fallback: <detail>", ...
// Not for display in a console: ui/ translates the codes.
QString englishDetail(const TriageLink &link);

} // namespace dispatch
