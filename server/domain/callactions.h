#pragma once

#include "domain/triagereport.h"

#include <QObject>

namespace dispatch {

// What a dispatcher does to calls, wherever the calls live: in this console's own store
// (LocalCallActions) or on the host a remote console is connected to (RemoteCallActions, whose
// results arrive later). The console's views read the CallStore; they change calls only through
// this. A refused action comes back as `refused` with a message for the dispatcher.
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
    virtual void end(const QString &callId) = 0;
    virtual void acceptLocation(const QString &callId) = 0;
    virtual void overrideTriage(const QString &callId, const TriageReport &report) = 0;
    virtual void transfer(const QString &callId, const QString &to) = 0;
    virtual void takeOver(const QString &callId) = 0;

Q_SIGNALS:
    void refused(const QString &callId, const QString &message);
};

} // namespace dispatch
