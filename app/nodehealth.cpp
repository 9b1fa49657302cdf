#include "nodehealth.h"

#include "host/httpapi.h"
#include "storage/storage.h"

#include <QJsonArray>
#include <QJsonObject>

namespace dispatch {

void addNodeHealth(HttpApi &api, const Storage &storage)
{
    using Audience = HttpApi::Audience;
    api.addInfo(QStringLiteral("node"), HttpApi::InfoSource([&storage](Audience a) -> QJsonValue {
                    const NodeRegistry *node = storage.node();
                    if (!node)
                        return QJsonValue::Null; // storage unavailable: no node registered
                    QJsonObject o{{QStringLiteral("name"), node->config().name}};
                    if (a == Audience::Authenticated) {
                        o.insert(QStringLiteral("urls"),
                                 QJsonArray::fromStringList(node->config().urls));
                        o.insert(QStringLiteral("heartbeat_age_ms"), node->heartbeatAgeMs());
                    }
                    return o;
                }));
    // Who else runs on the database and where: for a token holder only.
    api.addInfo(QStringLiteral("peers"), HttpApi::InfoSource([&storage](Audience a) -> QJsonValue {
                    if (a != Audience::Authenticated)
                        return QJsonValue::Undefined;
                    QJsonArray peers;
                    if (const NodeRegistry *node = storage.node()) {
                        for (const PeerNode &p : node->peers())
                            peers.append(QJsonObject{
                                {QStringLiteral("name"), p.name},
                                {QStringLiteral("urls"), QJsonArray::fromStringList(p.urls)},
                                {QStringLiteral("alive"), p.alive},
                                {QStringLiteral("heartbeat_age_ms"), p.heartbeatAgeMs},
                                {QStringLiteral("version"), p.version}});
                    }
                    return peers;
                }));
    // Which database and whether the link works (the storage check says whether writes land);
    // the details only for a token holder.
    api.addInfo(QStringLiteral("database"),
                HttpApi::InfoSource([&storage](Audience a) -> QJsonValue {
                    const QString kind = storage.usesPostgres() ? QStringLiteral("postgresql")
                                                                : QStringLiteral("sqlite");
                    QJsonObject o{{QStringLiteral("kind"), kind},
                                  {QStringLiteral("connected"), storage.databaseConnected()}};
                    if (a == Audience::Authenticated) {
                        o.insert(QStringLiteral("where"), storage.databaseDescription());
                        o.insert(QStringLiteral("last_error"),
                                 storage.lastDatabaseError().isEmpty()
                                     ? QJsonValue(QJsonValue::Null)
                                     : QJsonValue(storage.lastDatabaseError()));
                        const BatchWriter *writer = storage.writer();
                        o.insert(QStringLiteral("queued_rows"),
                                 writer ? static_cast<qint64>(writer->pendingRows()) : 0);
                        o.insert(QStringLiteral("last_commit_ms"),
                                 writer ? writer->stats().lastCommitMicros / 1000.0 : 0.0);
                    }
                    return o;
                }));
}

} // namespace dispatch
