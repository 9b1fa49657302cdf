#pragma once

#include "domain/disposition.h"
#include "domain/followup.h"
#include "domain/transfertarget.h"
#include "domain/triagereport.h"

#include <QObject>

namespace dispatch {

// Why an action on a call was not done: a code for ui/ to word in the dispatcher's language,
// with what the wording needs. The engine never words it itself.
struct CallRefusal
{
    enum class Reason
    {
        UnknownCall,     // no such call
        CallEnded,       // the call has ended
        AnsweredByOther, // `who` answered it first
        NotNow,          // not allowed in the call's present state
        NoLocation,      // accepting a location the call does not have
        NotConnected,    // a remote console without its host; `detail`: the link's state
        RefusedByHost,   // the host said no; `detail`: its message (English), `code` its code
    };
    enum class Action
    {
        Answer,
        Hold,
        Resume,
        End,
        AcceptLocation,
        OverrideTriage,
        Transfer,
        TakeOver,
        AcknowledgeCritical,
        FollowUp,
        Other,
    };

    QString callId;
    Reason reason = Reason::NotNow;
    Action action = Action::Other;
    QString who;    // AnsweredByOther: the owner's name
    QString code;   // RefusedByHost: the host's error code
    QString detail; // technical English, for logs and as the host's own words
};

// What a dispatcher does to calls, wherever the calls live: in this console's own store
// (LocalCallActions) or on the host a remote console is connected to (RemoteCallActions, whose
// results arrive later). The console's views read the CallStore; they change calls only through
// this. A refused action comes back as `refused`, a code the UI words.
class CallActions : public QObject
{
    Q_OBJECT

public:
    using QObject::QObject;

    // Who acts: the name calls are answered in.
    virtual QString operatorName() const = 0;
    // Whether only the owner, a supervisor's take-over or the admin may act (a shared host).
    virtual bool isShared() const = 0;

    virtual void answer(const QString &callId) = 0;
    virtual void hold(const QString &callId) = 0;
    virtual void resume(const QString &callId) = 0;
    // `disposition`: how the dispatcher closed the call (None when not asked: a routine call).
    virtual void end(const QString &callId, Disposition disposition) = 0;
    virtual void acceptLocation(const QString &callId) = 0;
    virtual void overrideTriage(const QString &callId, const TriageReport &report) = 0;
    virtual void transfer(const QString &callId, const QString &to) = 0;
    virtual void takeOver(const QString &callId) = 0;
    // The dispatcher has seen the call's critical flag: every console shows who and when.
    virtual void acknowledgeCritical(const QString &callId) = 0;
    // Closes the follow-up of an abandoned or lost call (called back, no answer, handled).
    virtual void resolveFollowUp(const QString &callId, FollowUp resolution) = 0;
    // Who calls may be transferred to now, online ones first (the current owner included: a
    // picker leaves out whoever owns the call it transfers).
    virtual QList<TransferTarget> transferTargets() const = 0;

Q_SIGNALS:
    void refused(const dispatch::CallRefusal &refusal);
    void transferTargetsChanged();
};

} // namespace dispatch
