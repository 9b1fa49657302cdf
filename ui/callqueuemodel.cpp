#include "callqueuemodel.h"

#include <QBrush>
#include <QColor>

namespace dispatch {

QString stateLabel(CallState state)
{
    switch (state) {
    case CallState::Ringing:
        return CallQueueModel::tr("Ringing");
    case CallState::Answered:
        return CallQueueModel::tr("Active");
    case CallState::OnHold:
        return CallQueueModel::tr("On hold");
    case CallState::Ended:
        return CallQueueModel::tr("Ended");
    }
    return QString();
}

QString triageLinkLabel(TriageLinkState state)
{
    switch (state) {
    case TriageLinkState::None:
        break;
    case TriageLinkState::Connecting:
        return CallQueueModel::tr("AI connecting");
    case TriageLinkState::Live:
        return CallQueueModel::tr("AI (Gemini) listening");
    case TriageLinkState::Resuming:
        return CallQueueModel::tr("AI reconnecting");
    case TriageLinkState::Local:
        return CallQueueModel::tr("local triage");
    case TriageLinkState::Failed:
        return CallQueueModel::tr("AI failed");
    }
    return QString();
}

CallQueueModel::CallQueueModel(CallStore &store, QObject *parent)
    : QAbstractTableModel(parent)
    , m_store(store)
{
    rebuild();
    connect(&store, &CallStore::callAdded, this, [this](const QString &id) {
        beginInsertRows(QModelIndex(), static_cast<int>(m_ids.size()),
                        static_cast<int>(m_ids.size()));
        m_ids.append(id);
        endInsertRows();
    });
    connect(&store, &CallStore::callRemoved, this, [this](const QString &id) {
        const int row = rowOf(id);
        if (row < 0)
            return;
        beginRemoveRows(QModelIndex(), row, row);
        m_ids.removeAt(row);
        endRemoveRows();
    });
    connect(&store, &CallStore::callStateChanged, this, &CallQueueModel::refreshRow);
    connect(&store, &CallStore::callTransferred, this, &CallQueueModel::refreshRow);
    connect(&store, &CallStore::triageUpdated, this, &CallQueueModel::refreshRow);
    connect(&store, &CallStore::locationUpdated, this, &CallQueueModel::refreshRow);
    connect(&store, &CallStore::callerConnectionChanged, this, &CallQueueModel::refreshRow);
    connect(&store, &CallStore::triageLinkChanged, this, &CallQueueModel::refreshRow);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        if (!m_ids.isEmpty())
            Q_EMIT dataChanged(index(0, Elapsed), index(rowCount() - 1, Elapsed));
    });
    m_tick.start();
}

void CallQueueModel::rebuild()
{
    beginResetModel();
    m_ids.clear();
    for (const Call *c : m_store.calls())
        m_ids.append(c->id);
    endResetModel();
}

void CallQueueModel::refreshRow(const QString &callId)
{
    const int row = rowOf(callId);
    if (row >= 0)
        Q_EMIT dataChanged(index(row, 0), index(row, ColumnCount - 1));
}

int CallQueueModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_ids.size());
}

int CallQueueModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QString CallQueueModel::callIdAt(int row) const
{
    return m_ids.value(row);
}

int CallQueueModel::rowOf(const QString &callId) const
{
    return static_cast<int>(m_ids.indexOf(callId));
}

QString CallQueueModel::nextRingingCall() const
{
    for (const QString &id : m_ids) {
        const Call *c = m_store.call(id);
        if (c && c->state == CallState::Ringing)
            return id;
    }
    return QString();
}

QVariant CallQueueModel::data(const QModelIndex &index, int role) const
{
    const Call *c = index.isValid() ? m_store.call(m_ids.value(index.row())) : nullptr;
    if (!c)
        return {};
    const QDateTime now = m_store.now();
    if (role == CallIdRole)
        return c->id;
    if (role == AnswerUrgencyRole) {
        if (c->state != CallState::Ringing)
            return 0;
        const qint64 ms = c->answerMilliseconds(now);
        return ms >= RedAfterMs ? 2 : ms >= AmberAfterMs ? 1 : 0;
    }
    if (role == Qt::BackgroundRole && index.column() == Elapsed && c->state == CallState::Ringing) {
        const qint64 ms = c->answerMilliseconds(now);
        if (ms >= RedAfterMs)
            return QBrush(QColor(0xc6, 0x28, 0x28));
        if (ms >= AmberAfterMs)
            return QBrush(QColor(0xf9, 0xa8, 0x25));
        return {};
    }
    if (role != Qt::DisplayRole && role != Qt::AccessibleTextRole)
        return {};
    switch (index.column()) {
    case State: {
        QString state = c->callerConnected || !c->isLive()
                            ? stateLabel(c->state)
                            : tr("%1 (caller lost)").arg(stateLabel(c->state));
        if (c->isLive() && !c->answeredBy.isEmpty())
            state = tr("%1 · %2").arg(state, c->answeredBy); // who handles it
        return state;
    }
    case CallId:
        return c->id;
    case Location:
        return c->location ? QStringLiteral("%1, %2")
                                 .arg(c->location->latitude, 0, 'f', 5)
                                 .arg(c->location->longitude, 0, 'f', 5)
                           : tr("unknown");
    case Elapsed: {
        const QDateTime from = c->answeredAt.isValid() ? c->answeredAt : c->ringingSince;
        const qint64 s = from.secsTo(c->endedAt.isValid() ? c->endedAt : now);
        return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
    }
    case Severity:
        return c->triage ? QVariant(c->triage->severity) : QVariant(QStringLiteral("-"));
    case ResponseType:
        return c->triage ? toString(c->triage->responseType) : QStringLiteral("-");
    case AiLink:
        return triageLinkLabel(c->triageLink.state);
    default:
        return {};
    }
}

QVariant CallQueueModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case State:
        return tr("State");
    case CallId:
        return tr("Call");
    case Location:
        return tr("Location");
    case Elapsed:
        return tr("Time");
    case Severity:
        return tr("Severity");
    case ResponseType:
        return tr("Response");
    case AiLink:
        return tr("AI");
    default:
        return {};
    }
}

} // namespace dispatch
