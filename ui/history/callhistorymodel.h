#pragma once

#include "storage/callhistory.h"

#include <QAbstractTableModel>

namespace dispatch {

// One history search result per row, newest first.
class CallHistoryModel : public QAbstractTableModel
{
    Q_OBJECT

public:
    enum Column
    {
        Rang,
        Duration,
        CallId,
        Type,
        Severity,
        Location,
        AnsweredBy,
        Ended,
        ColumnCount
    };

    explicit CallHistoryModel(QObject *parent = nullptr);

    void setCalls(const QList<StoredCall> &calls);
    const StoredCall *callAt(int row) const;
    int rowOfKey(qint64 key) const;

    int rowCount(const QModelIndex &parent = {}) const override;
    int columnCount(const QModelIndex &parent = {}) const override;
    QVariant data(const QModelIndex &index, int role) const override;
    QVariant headerData(int section, Qt::Orientation orientation, int role) const override;

private:
    QList<StoredCall> m_calls;
};

// Labels for the strings the database keeps ("caller_hung_up", "held", "caller_text", ...).
QString endReasonLabel(const QString &stored);
QString eventLabel(const QString &stored);
QString storedSpeakerLabel(const QString &stored);
QString storedResponseTypeLabel(const QString &stored);
QString durationLabel(qint64 ms);

} // namespace dispatch
