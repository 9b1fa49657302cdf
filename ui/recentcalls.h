#pragma once

#include <QDateTime>
#include <QSortFilterProxyModel>

#include <optional>
#include <utility>

namespace dispatch {

class CallQueueModel;
class CallStore;
struct Call;

// The calls that have ended (and wait for no follow-up), most recent end first, at most `limit` of
// them: what just left the live queue, still at hand to open again. (History, F9, has every call.)
class RecentCalls : public QSortFilterProxyModel
{
    Q_OBJECT

public:
    static constexpr int DefaultLimit = 50;

    RecentCalls(CallQueueModel &queue, const CallStore &store, int limit = DefaultLimit,
                QObject *parent = nullptr);

    QString callIdAt(int row) const;
    int rowOf(const QString &callId) const;

protected:
    bool filterAcceptsRow(int sourceRow, const QModelIndex &sourceParent) const override;
    bool lessThan(const QModelIndex &left, const QModelIndex &right) const override;

private:
    const Call *callAt(int sourceRow) const;
    // Finds the oldest end still listed (filtering a row is then one comparison: the queue's
    // clock touches every row every second) and filters again.
    void refilter();

    CallQueueModel &m_queue;
    const CallStore &m_store;
    int m_limit;
    // The end (time, call id) of the oldest call listed, when there are more than `m_limit`.
    std::optional<std::pair<QDateTime, QString>> m_oldestListed;
};

} // namespace dispatch
