#pragma once

#include <QObject>
#include <QSet>
#include <QString>
#include <QTimer>

#include <functional>

namespace dispatch {

struct StorageHealthConfig
{
    qint64 minFreeBytes = 1024LL * 1024 * 1024; // below this the console alarms (~9 h of audio)
    int checkIntervalMs = 10'000;
    // Free bytes on the data dir's filesystem; QStorageInfo by default, injectable for tests.
    std::function<qint64(const QString &dir)> freeBytesProbe;
};

// Whether the console can keep its records: the database opened, writes succeed, and the disk
// has room. The UI alarms on stateChanged; GET /health reports it as the "storage" readiness
// check. Nothing here stops the console: calls are answered whatever the disk does.
class StorageHealth : public QObject
{
    Q_OBJECT

public:
    enum class State
    {
        Ok,
        LowSpace,     // still writing, but free space is under the threshold
        WriteFailing, // database or recording writes fail (disk full, I/O error)
        Unavailable,  // the database could not be opened: nothing is recorded
        AuditAlarm    // recording works, but the audit trail was found cut or rewritten
    };
    Q_ENUM(State)

    StorageHealth(QString dataDir, StorageHealthConfig config, QObject *parent = nullptr);

    void start(); // checks now and then periodically
    void check(); // re-reads free space

    void setUnavailable(const QString &why);
    // The audit trail does not match its anchor (truncated, rewritten, emptied): raised until
    // the console restarts, which compares again.
    void setAuditAlarm(const QString &why);
    // source: "database", "recording"; each failing source is tracked until it recovers.
    void noteWriteFailed(const QString &source, const QString &error);
    void noteWriteRecovered(const QString &source);

    State state() const { return m_state; }
    bool isOk() const { return m_state == State::Ok; }
    QString detail() const { return m_detail; }
    qint64 freeBytes() const { return m_freeBytes; }

Q_SIGNALS:
    void stateChanged(dispatch::StorageHealth::State state, const QString &detail);

private:
    void update();

    QString m_dataDir;
    StorageHealthConfig m_config;
    QTimer m_timer;
    State m_state = State::Ok;
    QString m_detail;
    QString m_unavailable;
    QString m_auditAlarm;
    QSet<QString> m_failing;
    QString m_lastError;
    qint64 m_freeBytes = -1;
};

QString toString(StorageHealth::State state);

} // namespace dispatch
