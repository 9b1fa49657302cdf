#include "storage/storagehealth.h"
#include "storage/storagelog.h"

#include <QStorageInfo>

namespace dispatch {

QString toString(StorageHealth::State state)
{
    switch (state) {
    case StorageHealth::State::Ok:
        return QStringLiteral("ok");
    case StorageHealth::State::LowSpace:
        return QStringLiteral("low_space");
    case StorageHealth::State::WriteFailing:
        return QStringLiteral("write_failing");
    case StorageHealth::State::Unavailable:
        return QStringLiteral("unavailable");
    case StorageHealth::State::AuditAlarm:
        return QStringLiteral("audit_alarm");
    }
    return QString();
}

StorageHealth::StorageHealth(QString dataDir, StorageHealthConfig config, QObject *parent)
    : QObject(parent)
    , m_dataDir(std::move(dataDir))
    , m_config(std::move(config))
{
    if (!m_config.freeBytesProbe) {
        m_config.freeBytesProbe = [](const QString &dir) {
            QStorageInfo info(dir);
            return info.isValid() ? info.bytesAvailable() : qint64(-1);
        };
    }
    m_timer.setInterval(m_config.checkIntervalMs);
    connect(&m_timer, &QTimer::timeout, this, &StorageHealth::check);
}

void StorageHealth::start()
{
    check();
    m_timer.start();
}

void StorageHealth::check()
{
    m_freeBytes = m_config.freeBytesProbe(m_dataDir);
    update();
}

void StorageHealth::setUnavailable(const QString &why)
{
    m_unavailable = why;
    update();
}

void StorageHealth::setAuditAlarm(const QString &why)
{
    m_auditAlarm = why;
    update();
}

void StorageHealth::noteWriteFailed(const QString &source, const QString &error)
{
    m_failing.insert(source);
    m_lastError = error;
    m_freeBytes = m_config.freeBytesProbe(m_dataDir);
    update();
}

void StorageHealth::noteWriteRecovered(const QString &source)
{
    if (m_failing.remove(source))
        check();
}

void StorageHealth::update()
{
    State state = State::Ok;
    QString detail;
    const QString free = m_freeBytes < 0
                             ? QStringLiteral("free space unknown")
                             : QStringLiteral("%1 MiB free").arg(m_freeBytes / (1024 * 1024));
    if (!m_unavailable.isEmpty()) {
        state = State::Unavailable;
        detail = QStringLiteral("not recording: %1").arg(m_unavailable);
    } else if (!m_failing.isEmpty()) {
        QStringList sources = m_failing.values();
        sources.sort();
        state = State::WriteFailing;
        detail = QStringLiteral("%1 writes failing (%2); %3")
                     .arg(sources.join(QStringLiteral(" and ")), m_lastError, free);
    } else if (!m_auditAlarm.isEmpty()) {
        state = State::AuditAlarm;
        detail = QStringLiteral("audit alarm: %1; %2").arg(m_auditAlarm, free);
    } else if (m_freeBytes >= 0 && m_freeBytes < m_config.minFreeBytes) {
        state = State::LowSpace;
        detail = QStringLiteral("low disk space: %1 (alarm below %2 MiB)")
                     .arg(free)
                     .arg(m_config.minFreeBytes / (1024 * 1024));
    } else {
        detail = free;
    }
    const bool changed = state != m_state;
    m_state = state;
    m_detail = detail;
    if (!changed)
        return;
    if (state == State::Ok)
        qCInfo(lcStorage).noquote() << "storage ok again:" << detail;
    else
        qCCritical(lcStorage).noquote() << "STORAGE" << toString(state) << "-" << detail;
    Q_EMIT stateChanged(state, detail);
}

} // namespace dispatch
