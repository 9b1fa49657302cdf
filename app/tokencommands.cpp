#include "tokencommands.h"

#include "auth/tokenstore.h"

#include <QCoreApplication>
#include <QDateTime>

namespace dispatch {

int runTokenCommand(const AppOptions &options, QTextStream &out, QTextStream &err)
{
    TokenStore store(options.server.tokenStorePath);
    const QDateTime now = QDateTime::currentDateTimeUtc();
    switch (options.tokenCommand) {
    case AppOptions::TokenCommand::None:
        return 0;
    case AppOptions::TokenCommand::Issue: {
        const QDateTime expires =
            options.tokenExpiresDays > 0 ? now.addDays(options.tokenExpiresDays) : QDateTime();
        const auto token =
            store.issue(options.tokenName, *roleFromString(options.tokenRole), expires, now);
        if (!token) {
            err << QCoreApplication::translate("main", "Cannot issue the token: %1")
                       .arg(token.error().message)
                << Qt::endl;
            return 1;
        }
        // The only time the token is shown: the store keeps its hash.
        out << token.value() << Qt::endl;
        err << QCoreApplication::translate("main",
                                           "Token for %1 (%2) issued; it is not shown again.")
                   .arg(options.tokenName, options.tokenRole)
            << Qt::endl;
        return 0;
    }
    case AppOptions::TokenCommand::Revoke: {
        const auto revoked = store.revoke(options.tokenName);
        if (!revoked) {
            err << QCoreApplication::translate("main", "Cannot revoke the token: %1")
                       .arg(revoked.error().message)
                << Qt::endl;
            return 1;
        }
        out << QCoreApplication::translate("main", "Token of %1 revoked.").arg(options.tokenName)
            << Qt::endl;
        return 0;
    }
    case AppOptions::TokenCommand::List: {
        const auto records = store.list();
        if (!records) {
            err << records.error().message << Qt::endl;
            return 1;
        }
        for (const TokenRecord &r : records.value()) {
            const QString status = r.revoked         ? QStringLiteral("revoked")
                                   : r.isActive(now) ? QStringLiteral("active")
                                                     : QStringLiteral("expired");
            out << r.name << '\t' << toString(r.role) << '\t' << status << '\t'
                << r.created.toString(Qt::ISODate) << '\t'
                << (r.expires.isValid() ? r.expires.toString(Qt::ISODate) : QStringLiteral("-"))
                << Qt::endl;
        }
        return 0;
    }
    }
    return 0;
}

} // namespace dispatch
