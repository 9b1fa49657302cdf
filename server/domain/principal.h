#pragma once

#include "domain/actor.h"

#include <QByteArray>
#include <QString>

#include <optional>

namespace dispatch {

// What a dashboard principal may do. Admin is the bootstrap token (--dashboard-token): a
// supervisor that may also act on calls without taking them over.
enum class Role
{
    Dispatcher,
    Supervisor,
    Admin
};

QString toString(Role role);
std::optional<Role> roleFromString(const QString &text);

// Who is behind a dashboard connection (or an HTTP request).
struct Principal
{
    QString name;
    Role role = Role::Dispatcher;
    // SHA-256 (hex) of the issued token it authenticated with; empty for the bootstrap admin.
    // A name can be revoked and issued again: what stays authorized is this exact token.
    QByteArray tokenHash;
};

// The principal as the actor of what it does to calls (the audit trail's "supervisor:carol").
Actor actorOf(const Principal &principal);

} // namespace dispatch
