#include "callurgencyorder.h"

#include "alertstate.h"
#include "callqueuemodel.h"
#include "calls/callstore.h"

#include <algorithm>
#include <tuple>

namespace dispatch {

namespace {

// Twice the severity a handled call ranks by (so "unknown" fits between 2 and 3). An
// unconfirmed lead errs high, as protocols do when a sign is uncertain: it ranks just below a
// confirmed call of its severity and above a confirmed call one lower ("5?" above a confirmed
// 4), and never below "unknown" (a low lead is no reassurance).
int handledRank(const Call &c)
{
    if (!c.triage)
        return 5;
    if (c.triage->isLowConfidence())
        return std::max(5, 2 * c.triage->severity - 1);
    return 2 * c.triage->severity;
}

int tier(const Call &c, bool critical)
{
    if (critical)
        return 0;
    if (c.state == CallState::Ringing)
        return 1;
    return c.followUp == FollowUp::Open ? 2 : 3;
}

constexpr int HandledTier = 3;

} // namespace

CallUrgencyOrder::CallUrgencyOrder(CallQueueModel &queue, const CallStore &store,
                                   const AlertState &alerts, QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_queue(queue)
    , m_store(store)
    , m_alerts(alerts)
{
    setSourceModel(&queue);
    setDynamicSortFilter(true);
    // Alerts are not the model's data: a raised or acknowledged one re-sorts the whole queue.
    connect(&alerts, &AlertState::criticalRaised, this, &CallUrgencyOrder::invalidate);
    connect(&alerts, &AlertState::criticalAcknowledged, this, &CallUrgencyOrder::invalidate);
    sort(0);
}

bool CallUrgencyOrder::moreUrgent(const Call &a, bool aCritical, const Call &b, bool bCritical)
{
    const int ta = tier(a, aCritical);
    const int tb = tier(b, bCritical);
    if (ta != tb)
        return ta < tb;
    if (ta == HandledTier) {
        const int ra = handledRank(a);
        const int rb = handledRank(b);
        if (ra != rb)
            return ra > rb;
    }
    return std::tie(a.ringingSince, a.id) < std::tie(b.ringingSince, b.id);
}

const Call *CallUrgencyOrder::callAt(int sourceRow) const
{
    return m_store.call(m_queue.callIdAt(sourceRow));
}

bool CallUrgencyOrder::filterAcceptsRow(int sourceRow, const QModelIndex &) const
{
    const Call *c = callAt(sourceRow);
    return c && (c->isLive() || c->followUp == FollowUp::Open);
}

bool CallUrgencyOrder::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const Call *a = callAt(left.row());
    const Call *b = callAt(right.row());
    if (!a || !b)
        return a != nullptr;
    return moreUrgent(*a, m_alerts.hasUnacknowledgedCritical(a->id), *b,
                      m_alerts.hasUnacknowledgedCritical(b->id));
}

QString CallUrgencyOrder::callIdAt(int row) const
{
    return index(row, 0).data(CallQueueModel::CallIdRole).toString();
}

int CallUrgencyOrder::rowOf(const QString &callId) const
{
    const int sourceRow = m_queue.rowOf(callId);
    return sourceRow < 0 ? -1 : mapFromSource(m_queue.index(sourceRow, 0)).row();
}

QString CallUrgencyOrder::topRingingCall() const
{
    for (int row = 0; row < rowCount(); ++row) {
        const Call *c = m_store.call(callIdAt(row));
        if (c && c->state == CallState::Ringing)
            return c->id;
    }
    return QString();
}

} // namespace dispatch
