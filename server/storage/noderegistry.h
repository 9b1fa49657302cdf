#pragma once

#include "common/parseresult.h"

#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QSqlDatabase>
#include <QStringList>
#include <QTimer>

namespace dispatch {

class BatchWriter;

// This engine node on a database that several nodes share (issue 20, docs/CLUSTER.md).
struct NodeConfig
{
    QString name;     // --node-name; empty: defaultNodeName()
    QStringList urls; // where phones and consoles reach this node (--node-url)
    int heartbeatIntervalMs = 2000;
    int deadAfterMs = 10'000; // a peer without a heartbeat for this long is dead
    // The audit trail is still one hash chain per database, numbered by the writer from the head
    // it read at start: a second writing node would collide with it and lose audit entries. So
    // one node per database holds the sole-writer lock and a second is refused, until the trail
    // is per node (docs/CLUSTER.md). Only the tests of the node groundwork turn it off.
    bool soleWriter = true;
};

// 1-63 of [A-Za-z0-9._-].
bool isValidNodeName(const QString &name);
// The host name, with what a node name cannot hold replaced by '-' and cut to 63.
QString defaultNodeName();

// Another node, as the database last showed it. The age is the database's clock minus the
// heartbeat the database stamped: neither host's clock takes part.
struct PeerNode
{
    QString name;
    QStringList urls;
    qint64 heartbeatAgeMs = 0;
    bool alive = false;
    qint64 pid = 0;
    QString version;
};

// The node's row in `nodes`: claimed at start under a session lock keyed on the name (a second
// process with the same name is refused; different names run together), then a heartbeat
// every heartbeatIntervalMs and a read of every other node's, both on the storage thread
// through the BatchWriter's connection (never SQL on the main thread per heartbeat). The
// peers come back here as values. On SQLite (one console per file) the row is claimed and
// kept, without heartbeats.
class NodeRegistry : public QObject
{
    Q_OBJECT

public:
    explicit NodeRegistry(NodeConfig config, QObject *parent = nullptr);
    ~NodeRegistry() override;

    // At start, on the main connection, before crash recovery: takes the name's lock (held as
    // long as `db`'s session), registers or refreshes the row and returns the node's number.
    // Error code "in_use": another process runs under this name, or (soleWriter) another node
    // writes to the database.
    Parsed<qint64> claim(QSqlDatabase &db);
    // The main connection came back after the server dropped it: takes the locks again.
    bool reclaim(QSqlDatabase &db);
    // Logs (and returns) the live calls of nodes seen dead: failover is not built, they stay.
    int reportDeadNodesCalls(QSqlDatabase &db);
    // Heartbeats and peer reads from now on, through `writer` (which must outlive this).
    void start(BatchWriter &writer);

    const NodeConfig &config() const { return m_config; }
    qint64 number() const { return m_number; }
    // The addresses the next heartbeat writes (the default ones are known once listening).
    void setUrls(const QStringList &urls) { m_config.urls = urls; }

    // The other nodes, as last read (empty before the first read).
    QList<PeerNode> peers() const { return m_peers; }
    int alivePeers() const;
    // Milliseconds since this node's heartbeat last reached the database; -1 before the first.
    qint64 heartbeatAgeMs() const;
    // The last heartbeat's failure (empty after a success).
    QString lastError() const { return m_lastError; }

Q_SIGNALS:
    // A heartbeat round finished (peers() is fresh, or lastError() says why not).
    void heartbeatDone();

private:
    struct Beat;
    void beat();
    void apply(const Beat &beat);
    bool takeNodeLock(QSqlDatabase &db);
    bool takeWriterLock(QSqlDatabase &db);
    static bool tryLock(QSqlDatabase &db, const QString &sql);

    NodeConfig m_config;
    qint64 m_number = 0;
    bool m_shared = false; // a database several nodes share (PostgreSQL)
    BatchWriter *m_writer = nullptr;
    QTimer m_timer;
    bool m_beating = false; // a heartbeat job is on the storage thread
    QElapsedTimer m_sinceBeat;
    QList<PeerNode> m_peers;
    QString m_lastError;
};

} // namespace dispatch
