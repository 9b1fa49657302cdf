#include "recentcalls.h"

#include "callqueuemodel.h"
#include "calls/callstore.h"

#include <algorithm>
#include <functional>

namespace dispatch {

RecentCalls::RecentCalls(CallQueueModel &queue, const CallStore &store, int limit, QObject *parent)
    : QSortFilterProxyModel(parent)
    , m_queue(queue)
    , m_store(store)
    , m_limit(limit)
{
    setSourceModel(&queue);
    setDynamicSortFilter(true);
    // A call that ends may push the oldest one out: only the ending row's data changed, so the
    // others are filtered again here. (A remote console may also add calls that ended.)
    connect(&store, &CallStore::callEnded, this, &RecentCalls::refilter);
    connect(&store, &CallStore::callAdded, this, &RecentCalls::refilter);
    connect(&store, &CallStore::callRemoved, this, &RecentCalls::refilter);
    connect(&store, &CallStore::followUpResolved, this, &RecentCalls::refilter);
    refilter();
    sort(0);
}

namespace {

std::pair<QDateTime, QString> endOf(const Call &c)
{
    return {c.endedAt, c.id};
}

// Ended, and not waiting in the queue for its follow-up.
bool isRecent(const Call &c)
{
    return !c.isLive() && c.followUp != FollowUp::Open;
}

} // namespace

void RecentCalls::refilter()
{
    QList<std::pair<QDateTime, QString>> ends;
    for (const Call *c : m_store.calls()) {
        if (isRecent(*c))
            ends.append(endOf(*c));
    }
    m_oldestListed.reset();
    if (ends.size() > m_limit) {
        std::nth_element(ends.begin(), ends.begin() + (m_limit - 1), ends.end(), std::greater<>());
        m_oldestListed = ends.at(m_limit - 1);
    }
    invalidateFilter();
}

const Call *RecentCalls::callAt(int sourceRow) const
{
    return m_store.call(m_queue.callIdAt(sourceRow));
}

bool RecentCalls::filterAcceptsRow(int sourceRow, const QModelIndex &) const
{
    const Call *c = callAt(sourceRow);
    return c && isRecent(*c) && (!m_oldestListed || endOf(*c) >= *m_oldestListed);
}

bool RecentCalls::lessThan(const QModelIndex &left, const QModelIndex &right) const
{
    const Call *a = callAt(left.row());
    const Call *b = callAt(right.row());
    if (!a || !b)
        return a != nullptr;
    return endOf(*a) > endOf(*b); // the most recent end first
}

QString RecentCalls::callIdAt(int row) const
{
    return index(row, 0).data(CallQueueModel::CallIdRole).toString();
}

int RecentCalls::rowOf(const QString &callId) const
{
    const int sourceRow = m_queue.rowOf(callId);
    return sourceRow < 0 ? -1 : mapFromSource(m_queue.index(sourceRow, 0)).row();
}

} // namespace dispatch
