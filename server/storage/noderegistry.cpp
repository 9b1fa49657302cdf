#include "storage/noderegistry.h"
#include "storage/batchwriter.h"
#include "storage/preparedquery.h"
#include "storage/sqldialect.h"
#include "storage/storagelog.h"

#include <QCoreApplication>
#include <QRegularExpression>
#include <QSqlError>
#include <QSqlQuery>
#include <QSysInfo>

#include <algorithm>

namespace dispatch {

namespace {

const QRegularExpression &nodeNamePattern()
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9._-]{1,63}$"));
    return re;
}

// The addresses as the nodes table keeps them: space-separated, '' (not NULL) for none.
QString urlsColumn(const QStringList &urls)
{
    return urls.isEmpty() ? QString::fromLatin1("") : urls.join(QLatin1Char(' '));
}

} // namespace

bool isValidNodeName(const QString &name)
{
    return nodeNamePattern().match(name).hasMatch();
}

QString defaultNodeName()
{
    QString name = QSysInfo::machineHostName().left(63);
    static const QRegularExpression invalid(QStringLiteral("[^A-Za-z0-9._-]"));
    name.replace(invalid, QStringLiteral("-"));
    return name.isEmpty() ? QStringLiteral("node") : name;
}

// One heartbeat round, as the storage thread saw it.
struct NodeRegistry::Beat
{
    bool ok = false;
    QString error;
    QList<PeerNode> peers;
};

NodeRegistry::NodeRegistry(NodeConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    if (m_config.name.isEmpty())
        m_config.name = defaultNodeName();
    connect(&m_timer, &QTimer::timeout, this, &NodeRegistry::beat);
}

NodeRegistry::~NodeRegistry() = default;

Parsed<qint64> NodeRegistry::claim(QSqlDatabase &db)
{
    const SqlDialect &dialect = SqlDialect::of(db);
    QSqlQuery q(db);
    QString error;
    auto failed = [&] {
        return ProtocolError{
            QStringLiteral("db"),
            QStringLiteral("cannot register node %1: %2").arg(m_config.name, error)};
    };
    // The row first, for its number (given once per name, by the database).
    if (!runPrepared(
            q,
            QStringLiteral("INSERT INTO nodes (name, number, urls, pid, version, started_at, "
                           "heartbeat_at) VALUES (?, %1, '', 0, '', 0, 0) "
                           "ON CONFLICT (name) DO NOTHING")
                .arg(dialect.nextNodeNumber()),
            {m_config.name}, &error))
        return failed();
    if (!runPrepared(
            q,
            QStringLiteral("SELECT number, pid, %1 - heartbeat_at FROM nodes WHERE name = ?")
                .arg(dialect.nowMs()),
            {m_config.name}, &error) ||
        !q.next())
        return failed();
    m_number = q.value(0).toLongLong();
    m_shared = dialect.isPostgres();
    const qint64 pid = q.value(1).toLongLong();
    const qint64 ageMs = q.value(2).toLongLong();
    q.finish();
    if (!takeNodeLock(db)) {
        return ProtocolError{
            QStringLiteral("in_use"),
            QStringLiteral("node name %1 is in use on this database by another process (pid %2, "
                           "last heartbeat %3 s ago): give each node its own --node-name")
                .arg(m_config.name)
                .arg(pid)
                .arg(ageMs / 1000)};
    }
    if (!takeWriterLock(db)) {
        return ProtocolError{
            QStringLiteral("in_use"),
            QStringLiteral("another node writes to this database: several writing nodes need an "
                           "audit trail per node, which is not built yet (docs/CLUSTER.md)")};
    }
    if (!runPrepared(
            q,
            QStringLiteral("UPDATE nodes SET urls = ?, pid = ?, version = ?, started_at = %1, "
                           "heartbeat_at = %1 WHERE name = ?")
                .arg(dialect.nowMs()),
            {urlsColumn(m_config.urls), QCoreApplication::applicationPid(),
             QStringLiteral(DISPATCH_VERSION), m_config.name},
            &error))
        return failed();
    m_sinceBeat.start();
    qCInfo(lcStorage).noquote() << "node" << m_config.name << "(number" << m_number
                                << ") registered, reached at"
                                << (m_config.urls.isEmpty() ? QStringLiteral("(not yet known)")
                                                            : m_config.urls.join(QLatin1Char(' ')));
    return m_number;
}

bool NodeRegistry::reclaim(QSqlDatabase &db)
{
    return takeNodeLock(db) && takeWriterLock(db);
}

bool NodeRegistry::takeNodeLock(QSqlDatabase &db)
{
    return tryLock(db, SqlDialect::of(db).tryNodeLock(m_number));
}

bool NodeRegistry::takeWriterLock(QSqlDatabase &db)
{
    return !m_config.soleWriter || tryLock(db, SqlDialect::of(db).trySoleWriterLock());
}

bool NodeRegistry::tryLock(QSqlDatabase &db, const QString &sql)
{
    if (sql.isEmpty())
        return true; // SQLite: the data dir's lock file admits one console
    QSqlQuery lock(db);
    return lock.exec(sql) && lock.next() && lock.value(0).toBool();
}

int NodeRegistry::reportDeadNodesCalls(QSqlDatabase &db)
{
    QSqlQuery q(db);
    QString error;
    if (!runPrepared(
            q,
            QStringLiteral("SELECT c.node, COUNT(*), MIN(%1 - n.heartbeat_at) FROM calls c "
                           "JOIN nodes n ON n.name = c.node WHERE c.ended_at IS NULL AND "
                           "c.node <> ? AND %1 - n.heartbeat_at > ? GROUP BY c.node")
                .arg(SqlDialect::of(db).nowMs()),
            {m_config.name, m_config.deadAfterMs}, &error)) {
        qCWarning(lcStorage).noquote() << "cannot read dead nodes' calls:" << error;
        return 0;
    }
    int total = 0;
    while (q.next()) {
        total += q.value(1).toInt();
        qCWarning(lcStorage).noquote()
            << "node" << q.value(0).toString() << "is dead (no heartbeat for"
            << q.value(2).toLongLong() / 1000 << "s) with" << q.value(1).toInt()
            << "live call(s) in the database: left as they are (moving a dead node's calls is "
               "not built yet)";
    }
    return total;
}

void NodeRegistry::start(BatchWriter &writer)
{
    if (!m_shared)
        return; // SQLite: one console per file, no peers to tell
    m_writer = &writer;
    m_timer.start(m_config.heartbeatIntervalMs);
    beat();
}

int NodeRegistry::alivePeers() const
{
    int n = 0;
    for (const PeerNode &p : m_peers)
        n += p.alive ? 1 : 0;
    return n;
}

qint64 NodeRegistry::heartbeatAgeMs() const
{
    return m_sinceBeat.isValid() ? m_sinceBeat.elapsed() : -1;
}

void NodeRegistry::beat()
{
    if (!m_writer || m_beating)
        return; // the last one still waits on the database: no pile-up
    m_beating = true;
    m_writer->postRead(this, [this, name = m_config.name, urls = urlsColumn(m_config.urls),
                              deadAfterMs = m_config.deadAfterMs](QSqlDatabase &db) {
        Beat b;
        if (!db.isValid() || !db.isOpen()) {
            b.error = QStringLiteral("the database cannot be reached");
            return StorageThread::Completion([this, b] { apply(b); });
        }
        const QString now = SqlDialect::of(db).nowMs();
        QSqlQuery q(db);
        if (!runPrepared(
                q,
                QStringLiteral("UPDATE nodes SET heartbeat_at = %1, urls = ? WHERE name = ?")
                    .arg(now),
                {urls, name}, &b.error))
            return StorageThread::Completion([this, b] { apply(b); });
        if (q.numRowsAffected() == 0) {
            b.error = QStringLiteral("this node's row is gone from the nodes table");
            return StorageThread::Completion([this, b] { apply(b); });
        }
        q.finish();
        if (runPrepared(
                q,
                QStringLiteral("SELECT name, urls, %1 - heartbeat_at, pid, version FROM nodes "
                               "WHERE name <> ? ORDER BY name")
                    .arg(now),
                {name}, &b.error)) {
            while (q.next()) {
                PeerNode p;
                p.name = q.value(0).toString();
                p.urls = q.value(1).toString().split(QLatin1Char(' '), Qt::SkipEmptyParts);
                p.heartbeatAgeMs = q.value(2).toLongLong();
                p.alive = p.heartbeatAgeMs <= deadAfterMs;
                p.pid = q.value(3).toLongLong();
                p.version = q.value(4).toString();
                b.peers.append(p);
            }
            b.ok = true;
        }
        return StorageThread::Completion([this, b] { apply(b); });
    });
}

void NodeRegistry::apply(const Beat &beat)
{
    m_beating = false;
    if (!beat.ok) {
        if (m_lastError.isEmpty())
            qCWarning(lcStorage).noquote() << "node heartbeat failed:" << beat.error;
        m_lastError = beat.error;
        Q_EMIT heartbeatDone();
        return;
    }
    if (!m_lastError.isEmpty())
        qCInfo(lcStorage) << "node heartbeats reach the database again";
    m_lastError.clear();
    m_sinceBeat.restart();
    for (const PeerNode &p : beat.peers) {
        const auto before = std::find_if(m_peers.cbegin(), m_peers.cend(),
                                         [&](const PeerNode &o) { return o.name == p.name; });
        const bool wasAlive = before != m_peers.cend() && before->alive;
        if (p.alive && !wasAlive)
            qCInfo(lcStorage).noquote() << "peer node" << p.name << "is alive";
        else if (!p.alive && wasAlive)
            qCWarning(lcStorage).noquote()
                << "peer node" << p.name << "is dead: no heartbeat for" << p.heartbeatAgeMs << "ms";
    }
    m_peers = beat.peers;
    Q_EMIT heartbeatDone();
}

} // namespace dispatch
