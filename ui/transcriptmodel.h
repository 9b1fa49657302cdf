#pragma once

#include "domain/call.h"

#include <QAbstractListModel>

namespace dispatch {

class CallStore;

// The transcript of one call (caller, typed text, dispatcher, AI), following the store.
class TranscriptModel : public QAbstractListModel
{
    Q_OBJECT

public:
    enum Role
    {
        SpeakerRole = Qt::UserRole + 1,
        FinalRole
    };

    explicit TranscriptModel(CallStore &store, QObject *parent = nullptr);

    void setCall(const QString &callId);
    QString callId() const { return m_callId; }
    int rowCount(const QModelIndex &parent = QModelIndex()) const override;
    QVariant data(const QModelIndex &index, int role = Qt::DisplayRole) const override;

private:
    const QList<TranscriptSegment> *segments() const;

    CallStore &m_store;
    QString m_callId;
    int m_rows = 0;
};

QString speakerLabel(Speaker speaker);

} // namespace dispatch
