#pragma once

#include "common/parseresult.h"

#include <QList>
#include <QObject>
#include <QSqlDatabase>

namespace dispatch {

class BatchWriter;

// Keys [first, end) of the calls table.
struct CallKeyBlock
{
    qint64 first = 0;
    qint64 end = 0;
    qint64 size() const { return end > first ? end - first : 0; }
};

// Where each node's own keys start: above every block the sequence will ever hand out.
inline constexpr qint64 OfflineCallKeyBase = qint64(1) << 62;
inline constexpr qint64 OfflineCallKeysPerNode = qint64(1) << 32;

// At start, on the main connection. PostgreSQL: one block from the shared sequence (see
// SqlDialect::clusterSequences). SQLite (one console per file): every key above the highest
// in use, up to the offline range.
Parsed<CallKeyBlock> reserveFirstCallKeys(QSqlDatabase &db);
// One more block from the shared sequence (PostgreSQL), on the storage thread.
Parsed<CallKeyBlock> reserveCallKeyBlock(QSqlDatabase &db);
// Node `nodeNumber`'s own range, for calls created while the database is away and the blocks
// reserved ahead are spent: disjoint from the blocks and from every other node's range, and
// starting above the highest key this node already took from it (only the process holding the
// node's name writes there, so MAX + 1 is safe). At start, on the main connection.
Parsed<CallKeyBlock> offlineCallKeys(QSqlDatabase &db, qint64 nodeNumber);

// Hands out calls.id keys on the main thread without ever waiting on the database. Keys come
// from blocks reserved ahead: whenever fewer than a block's worth is left, the next block is
// reserved on the storage thread (through the BatchWriter's connection), so creating a call
// finds its key in memory. Should the database stay away until every reserved key is spent,
// keys come from this node's offline range: the call is still answered and recorded (its rows
// wait in the writer's queue), and no other node can ever take the same key.
class CallKeys : public QObject
{
    Q_OBJECT

public:
    struct Stats
    {
        quint64 blocksReserved = 0;  // in the background, after the first
        quint64 reserveFailures = 0; // the database could not be asked
        quint64 offlineKeys = 0;     // keys taken from the offline range
    };

    // `writer`: where more blocks are reserved; null: `reserved` is all there is (SQLite).
    CallKeys(CallKeyBlock reserved, CallKeyBlock offline, BatchWriter *writer,
             QObject *parent = nullptr);

    qint64 take();
    // Reserved keys not yet taken (the offline range not counted).
    qint64 available() const;
    const Stats &stats() const { return m_stats; }

private:
    void reserveIfLow();
    void added(const Parsed<CallKeyBlock> &block);

    QList<CallKeyBlock> m_blocks;
    CallKeyBlock m_offline;
    BatchWriter *m_writer;
    bool m_reserving = false;
    bool m_offlineLogged = false;
    bool m_reserveFailing = false;
    Stats m_stats;
};

} // namespace dispatch
