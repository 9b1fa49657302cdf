#include "callwallmodel.h"

#include "callqueuemodel.h"
#include "triagecard.h"

#include <algorithm>

namespace dispatch {

CallWallModel::CallWallModel(CallStore &store, QObject *parent)
    : QAbstractListModel(parent)
    , m_store(store)
{
    m_coalesce.setSingleShot(true);
    m_coalesce.setInterval(200);
    connect(&m_coalesce, &QTimer::timeout, this, &CallWallModel::refresh);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, &CallWallModel::refresh);
    m_tick.start();
    auto dirty = [this] { markDirty(); };
    connect(&store, &CallStore::callAdded, this, dirty);
    connect(&store, &CallStore::callStateChanged, this, dirty);
    connect(&store, &CallStore::callEnded, this, dirty);
    connect(&store, &CallStore::callRemoved, this, dirty);
    connect(&store, &CallStore::callTransferred, this, dirty);
    connect(&store, &CallStore::triageUpdated, this, dirty);
    connect(&store, &CallStore::criticalFlagged, this, dirty);
    connect(&store, &CallStore::callerConnectionChanged, this, dirty);
    refresh();
}

void CallWallModel::markDirty()
{
    if (!m_coalesce.isActive())
        m_coalesce.start();
}

QList<QString> CallWallModel::wallOrder(const QList<const Call *> &calls)
{
    QList<const Call *> live;
    for (const Call *c : calls) {
        if (c->isLive())
            live.append(c);
    }
    std::stable_sort(live.begin(), live.end(), [](const Call *a, const Call *b) {
        const bool ringA = a->state == CallState::Ringing;
        const bool ringB = b->state == CallState::Ringing;
        if (ringA != ringB)
            return ringA;
        if (ringA)
            return a->ringingSince < b->ringingSince;
        const int sevA = a->triage ? a->triage->severity : 0;
        const int sevB = b->triage ? b->triage->severity : 0;
        if (sevA != sevB)
            return sevA > sevB;
        const bool critA = a->triage && a->triage->critical;
        const bool critB = b->triage && b->triage->critical;
        if (critA != critB)
            return critA;
        return a->ringingSince < b->ringingSince;
    });
    QList<QString> ids;
    ids.reserve(live.size());
    for (const Call *c : live)
        ids.append(c->id);
    return ids;
}

void CallWallModel::refresh()
{
    m_coalesce.stop();
    const QList<QString> order = wallOrder(m_store.calls());
    if (order != m_ids) {
        // One reset per coalescing period at most; the view repaints once after it.
        beginResetModel();
        m_ids = order;
        endResetModel();
    } else if (!m_ids.isEmpty()) {
        Q_EMIT dataChanged(index(0), index(rowCount() - 1));
    }
    Q_EMIT refreshed();
}

int CallWallModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : static_cast<int>(m_ids.size());
}

QVariant CallWallModel::data(const QModelIndex &index, int role) const
{
    const Call *c = index.isValid() ? m_store.call(m_ids.value(index.row())) : nullptr;
    if (!c)
        return QVariant();
    const QDateTime now = m_store.now();
    switch (role) {
    case Qt::DisplayRole:
    case CallIdRole:
        return c->id;
    case StateRole:
        return static_cast<int>(c->state);
    case SeverityRole:
        return c->triage ? c->triage->severity : 0;
    case ResponseTypeRole:
        return c->triage ? responseTypeLabel(c->triage->responseType) : QString();
    case SummaryRole:
        return c->triage ? c->triage->situationSummary : QString();
    case ElapsedMsRole:
        return c->ringingSince.msecsTo(now);
    case AnswerClockMsRole:
        return c->state == CallState::Ringing ? c->answerMilliseconds(now) : qint64(-1);
    case AnswerUrgencyRole: {
        if (c->state != CallState::Ringing)
            return 0;
        const qint64 ms = c->answerMilliseconds(now);
        return ms >= CallQueueModel::RedAfterMs ? 2 : ms >= CallQueueModel::AmberAfterMs ? 1 : 0;
    }
    case HandlerRole:
        return c->answeredBy;
    case CriticalRole:
        return c->triage && c->triage->critical;
    case CannotSpeakRole:
        return c->triage && !c->triage->canSpeak;
    case CallerConnectedRole:
        return c->callerConnected;
    case AreaRole:
        // The site address's street when one was found, else three decimals (about 100 m):
        // enough to name an area across a room; the console's card has the precise fix.
        if (c->address.found())
            return c->address.address.streetLine();
        return c->location ? QStringLiteral("%1, %2")
                                 .arg(c->location->latitude, 0, 'f', 3)
                                 .arg(c->location->longitude, 0, 'f', 3)
                           : QString();
    default:
        return QVariant();
    }
}

} // namespace dispatch
