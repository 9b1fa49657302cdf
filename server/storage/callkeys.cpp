#include "storage/callkeys.h"
#include "storage/batchwriter.h"
#include "storage/preparedquery.h"
#include "storage/sqldialect.h"
#include "storage/storagelog.h"

#include <QSqlError>
#include <QSqlQuery>

namespace dispatch {

namespace {

Parsed<qint64> oneNumber(QSqlDatabase &db, const QString &sql, const QVariantList &binds = {})
{
    QSqlQuery q(db);
    QString error;
    if (!runPrepared(q, sql, binds, &error) || !q.next())
        return ProtocolError{QStringLiteral("db"),
                             QStringLiteral("cannot reserve call keys: %1")
                                 .arg(error.isEmpty() ? q.lastError().text() : error)};
    return q.value(0).toLongLong();
}

} // namespace

Parsed<CallKeyBlock> reserveCallKeyBlock(QSqlDatabase &db)
{
    const QString sql = SqlDialect::of(db).reserveCallKeyBlock();
    if (sql.isEmpty())
        return ProtocolError{QStringLiteral("db"), QStringLiteral("no shared call keys here")};
    const auto value = oneNumber(db, sql);
    if (!value)
        return value.error();
    const qint64 first = value.value() * SqlDialect::CallKeyBlockSize;
    return CallKeyBlock{first, first + SqlDialect::CallKeyBlockSize};
}

Parsed<CallKeyBlock> reserveFirstCallKeys(QSqlDatabase &db)
{
    if (SqlDialect::of(db).isPostgres())
        return reserveCallKeyBlock(db);
    const auto next = oneNumber(db,
                                QStringLiteral("SELECT COALESCE(MAX(id), 0) + 1 FROM calls "
                                               "WHERE id < ?"),
                                {OfflineCallKeyBase});
    if (!next)
        return next.error();
    return CallKeyBlock{next.value(), OfflineCallKeyBase};
}

Parsed<CallKeyBlock> offlineCallKeys(QSqlDatabase &db, qint64 nodeNumber)
{
    const qint64 first = OfflineCallKeyBase + nodeNumber * OfflineCallKeysPerNode;
    const qint64 end = first + OfflineCallKeysPerNode;
    const auto next = oneNumber(db,
                                QStringLiteral("SELECT COALESCE(MAX(id) + 1, ?) FROM calls "
                                               "WHERE id >= ? AND id < ?"),
                                {first, first, end});
    if (!next)
        return next.error();
    return CallKeyBlock{next.value(), end};
}

CallKeys::CallKeys(CallKeyBlock reserved, CallKeyBlock offline, BatchWriter *writer,
                   QObject *parent)
    : QObject(parent)
    , m_offline(offline)
    , m_writer(writer)
{
    if (reserved.size() > 0)
        m_blocks.append(reserved);
    reserveIfLow();
}

qint64 CallKeys::available() const
{
    qint64 n = 0;
    for (const CallKeyBlock &b : m_blocks)
        n += b.size();
    return n;
}

qint64 CallKeys::take()
{
    qint64 key = 0;
    if (!m_blocks.isEmpty()) {
        CallKeyBlock &block = m_blocks.first();
        key = block.first++;
        if (block.size() == 0)
            m_blocks.removeFirst();
    } else {
        if (m_offline.size() == 0)
            qFatal("call keys: this node's offline range is spent"); // 2^32 calls, unreachable
        key = m_offline.first++;
        ++m_stats.offlineKeys;
        if (!m_offlineLogged)
            qCCritical(lcStorage) << "the call keys reserved ahead are spent and no more came in "
                                     "time (the database is away, or the storage thread far "
                                     "behind): taking keys from this node's own range, from"
                                  << key;
        m_offlineLogged = true;
    }
    reserveIfLow();
    return key;
}

void CallKeys::reserveIfLow()
{
    if (!m_writer || m_reserving || available() >= SqlDialect::CallKeyBlockSize)
        return;
    m_reserving = true;
    m_writer->postRead(this, [this](QSqlDatabase &db) {
        const Parsed<CallKeyBlock> block =
            db.isValid() && db.isOpen()
                ? reserveCallKeyBlock(db)
                : Parsed<CallKeyBlock>(
                      ProtocolError{QStringLiteral("db"), QStringLiteral("the database is away")});
        return StorageThread::Completion([this, block] { added(block); });
    });
}

void CallKeys::added(const Parsed<CallKeyBlock> &block)
{
    m_reserving = false;
    if (!block) {
        // Tried again with the next call: a call is never kept waiting for it.
        ++m_stats.reserveFailures;
        if (!m_reserveFailing)
            qCWarning(lcStorage).noquote()
                << "cannot reserve call keys ahead:" << block.error().message << "(" << available()
                << "reserved keys left)";
        m_reserveFailing = true;
        return;
    }
    if (m_reserveFailing)
        qCInfo(lcStorage) << "call keys reserved again from" << block->first;
    m_reserveFailing = false;
    m_blocks.append(block.value());
    ++m_stats.blocksReserved;
    m_offlineLogged = false;
}

} // namespace dispatch
