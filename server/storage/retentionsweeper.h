#pragma once

#include "common/clock.h"

#include <QObject>
#include <QSqlDatabase>
#include <QTimer>

namespace dispatch {

class AuditTrail;
class BatchWriter;

struct RetentionConfig
{
    int days = 30;                             // CALEA 6.5.4: at least 30 days; 0 keeps all
    int sweepIntervalMs = 24 * 60 * 60 * 1000; // daily, and once at start
};

// Deletes calls that ended more than `days` ago, with their recordings and frames, and nothing
// else: live calls, calls with no end time, and the audit trail are never touched (the audit
// trail records each sweep). Files go first, then the rows, so a crash in between leaves rows
// whose files are gone, which the next sweep deletes, never files no row points to.
class RetentionSweeper : public QObject
{
    Q_OBJECT

public:
    RetentionSweeper(QSqlDatabase db, BatchWriter &writer, AuditTrail &audit, QString dataDir,
                     RetentionConfig config, Clock clock, QObject *parent = nullptr);

    void start(); // sweeps now and then every interval
    // Returns the number of calls deleted (-1 on a database error).
    int sweep();

Q_SIGNALS:
    void sweepFinished(int deletedCalls);

private:
    QSqlDatabase m_db;
    BatchWriter &m_writer;
    AuditTrail &m_audit;
    QString m_dataDir;
    RetentionConfig m_config;
    Clock m_clock;
    QTimer m_timer;
};

} // namespace dispatch
