#include "callwallmodel.h"
#include "placetext.h"

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
    connect(&store, &CallStore::followUpResolved, this, dirty);
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
    QList<QString> followUps; // in the order they rang (oldest first)
    for (const Call *c : calls) {
        if (c->isLive())
            live.append(c);
        else if (c->followUp == FollowUp::Open)
            followUps.append(c->id);
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
    // As in the queue: the open follow-ups right after the ringing calls (a caller who hung up
    // may be in danger, and someone must call back).
    QList<QString> ids;
    ids.reserve(live.size() + followUps.size());
    for (const Call *c : live) {
        if (c->state != CallState::Ringing && !followUps.isEmpty()) {
            ids.append(followUps);
            followUps.clear();
        }
        ids.append(c->id);
    }
    ids.append(followUps);
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
        // A follow-up's clock is how long the caller has waited for a callback.
        return c->isLive() || !c->endedAt.isValid() ? c->ringingSince.msecsTo(now)
                                                    : c->endedAt.msecsTo(now);
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
    case FollowUpRole:
        // Short: a tile's headline shares its line with the clock.
        if (c->followUp != FollowUp::Open)
            return QString();
        return c->endReason == EndReason::CallerLost ? tr("Caller lost") : tr("Abandoned");
    case AreaRole:
        // The site address's street when one was found, else three decimals (about 100 m):
        // enough to name an area across a room; the console's card has the precise fix.
        return PlaceText::place(c->location, c->address, 3);
    default:
        return QVariant();
    }
}

} // namespace dispatch
