#include "domain/actor.h"

namespace dispatch {

QString toString(Actor::Role role)
{
    switch (role) {
    case Actor::Role::Dispatcher:
        return QStringLiteral("dispatcher");
    case Actor::Role::Supervisor:
        return QStringLiteral("supervisor");
    case Actor::Role::Admin:
        return QStringLiteral("admin");
    case Actor::Role::Caller:
        return QStringLiteral("caller");
    case Actor::Role::System:
        return QStringLiteral("system");
    }
    return QString();
}

QString toString(const Actor &actor)
{
    const QString role = toString(actor.role);
    return actor.name.isEmpty() ? role : role + QLatin1Char(':') + actor.name;
}

std::optional<Actor> actorFromString(const QString &text)
{
    const qsizetype colon = text.indexOf(QLatin1Char(':'));
    const QString role = colon < 0 ? text : text.left(colon);
    const QString name = colon < 0 ? QString() : text.mid(colon + 1);
    for (Actor::Role r : {Actor::Role::Dispatcher, Actor::Role::Supervisor, Actor::Role::Admin,
                          Actor::Role::Caller, Actor::Role::System}) {
        if (role == toString(r))
            return Actor{r, name};
    }
    return std::nullopt;
}

} // namespace dispatch
