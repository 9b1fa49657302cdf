#include "domain/principal.h"

namespace dispatch {

QString toString(Role role)
{
    switch (role) {
    case Role::Dispatcher:
        return QStringLiteral("dispatcher");
    case Role::Supervisor:
        return QStringLiteral("supervisor");
    case Role::Admin:
        return QStringLiteral("admin");
    }
    return QString();
}

std::optional<Role> roleFromString(const QString &text)
{
    for (Role r : {Role::Dispatcher, Role::Supervisor, Role::Admin}) {
        if (text == toString(r))
            return r;
    }
    return std::nullopt;
}

Actor actorOf(const Principal &principal)
{
    switch (principal.role) {
    case Role::Dispatcher:
        return Actor::dispatcher(principal.name);
    case Role::Supervisor:
        return Actor::supervisor(principal.name);
    case Role::Admin:
        return Actor::admin(principal.name);
    }
    return Actor::dispatcher(principal.name);
}

} // namespace dispatch
