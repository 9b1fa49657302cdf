#pragma once

#include <QString>

#include <optional>

namespace dispatch {

// Who performed an action on a call, as the audit trail names it: a person with the role they
// acted in (a dispatcher, a supervisor, the admin), the caller, or the system (timeouts,
// shutdown, auto-answer). Every CallStore command a person can perform takes one, so the
// timeline and the audit record the real actor instead of guessing it from the call's owner.
struct Actor
{
    enum class Role
    {
        Dispatcher,
        Supervisor,
        Admin,
        Caller,
        System
    };

    Role role = Role::System;
    QString name; // the principal's name; empty for the caller and the system

    static Actor dispatcher(const QString &name) { return {Role::Dispatcher, name}; }
    static Actor supervisor(const QString &name) { return {Role::Supervisor, name}; }
    static Actor admin(const QString &name) { return {Role::Admin, name}; }
    static Actor caller() { return {Role::Caller, QString()}; }
    // `what` names the automation when it matters ("auto-answer", "demo").
    static Actor system(const QString &what = QString()) { return {Role::System, what}; }

    bool isPerson() const
    {
        return role == Role::Dispatcher || role == Role::Supervisor || role == Role::Admin;
    }
    bool operator==(const Actor &o) const { return role == o.role && name == o.name; }
    bool operator!=(const Actor &o) const { return !(*this == o); }
};

QString toString(Actor::Role role);
// "dispatcher:alice", "supervisor:carol", "admin:admin@10.0.0.5", "caller", "system",
// "system:auto-answer": the actor column of the audit trail.
QString toString(const Actor &actor);
std::optional<Actor> actorFromString(const QString &text);

} // namespace dispatch
