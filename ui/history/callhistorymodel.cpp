#include "callhistorymodel.h"
#include "placetext.h"

#include "dialogs/dispositiondialog.h"
#include "dialogs/followupdialog.h"
#include "transcriptmodel.h"
#include "triagecard.h"

#include <QLocale>

namespace dispatch {

QString endReasonLabel(const QString &stored)
{
    if (stored == QLatin1String("caller_hung_up"))
        return CallHistoryModel::tr("caller hung up");
    if (stored == QLatin1String("dispatcher_ended"))
        return CallHistoryModel::tr("dispatcher ended");
    if (stored == QLatin1String("caller_lost"))
        return CallHistoryModel::tr("caller lost");
    if (stored == QLatin1String("abandoned"))
        return CallHistoryModel::tr("abandoned");
    if (stored == QLatin1String("admin_terminated"))
        return CallHistoryModel::tr("terminated by admin");
    if (stored == QLatin1String("server_shutdown"))
        return CallHistoryModel::tr("console shut down");
    return stored;
}

QString eventLabel(const QString &stored)
{
    static const QList<std::pair<QLatin1String, const char *>> labels{
        {QLatin1String("rang"), QT_TRANSLATE_NOOP("dispatch::CallHistoryModel", "rang")},
        {QLatin1String("answered"), QT_TRANSLATE_NOOP("dispatch::CallHistoryModel", "answered")},
        {QLatin1String("held"), QT_TRANSLATE_NOOP("dispatch::CallHistoryModel", "put on hold")},
        {QLatin1String("resumed"), QT_TRANSLATE_NOOP("dispatch::CallHistoryModel", "resumed")},
        {QLatin1String("ended"), QT_TRANSLATE_NOOP("dispatch::CallHistoryModel", "ended")},
        {QLatin1String("first_triage"),
         QT_TRANSLATE_NOOP("dispatch::CallHistoryModel", "first triage")},
        {QLatin1String("critical_flagged"),
         QT_TRANSLATE_NOOP("dispatch::CallHistoryModel", "critical flagged")},
        {QLatin1String("critical_acknowledged"),
         QT_TRANSLATE_NOOP("dispatch::CallHistoryModel", "critical acknowledged")},
        {QLatin1String("caller_disconnected"),
         QT_TRANSLATE_NOOP("dispatch::CallHistoryModel", "caller disconnected")},
        {QLatin1String("caller_reconnected"),
         QT_TRANSLATE_NOOP("dispatch::CallHistoryModel", "caller reconnected")},
        {QLatin1String("location_updated"),
         QT_TRANSLATE_NOOP("dispatch::CallHistoryModel", "location updated")},
        {QLatin1String("location_accepted"),
         QT_TRANSLATE_NOOP("dispatch::CallHistoryModel", "location accepted")},
        {QLatin1String("caller_text"),
         QT_TRANSLATE_NOOP("dispatch::CallHistoryModel", "caller texted")},
        {QLatin1String("transferred"),
         QT_TRANSLATE_NOOP("dispatch::CallHistoryModel", "transferred")},
        {QLatin1String("followed_up"),
         QT_TRANSLATE_NOOP("dispatch::CallHistoryModel", "followed up")},
    };
    for (const auto &[key, label] : labels) {
        if (stored == key)
            return CallHistoryModel::tr(label);
    }
    return stored;
}

QString storedSpeakerLabel(const QString &stored)
{
    if (stored == QLatin1String("caller"))
        return speakerLabel(Speaker::Caller);
    if (stored == QLatin1String("caller_text"))
        return speakerLabel(Speaker::CallerText);
    if (stored == QLatin1String("dispatcher"))
        return speakerLabel(Speaker::Dispatcher);
    if (stored == QLatin1String("ai"))
        return speakerLabel(Speaker::Ai);
    return stored;
}

QString storedResponseTypeLabel(const QString &stored)
{
    if (stored.isEmpty())
        return QString();
    const auto type = responseTypeFromString(stored);
    return type ? responseTypeLabel(*type) : stored;
}

QString durationLabel(qint64 ms)
{
    const qint64 s = std::max<qint64>(0, ms) / 1000;
    if (s >= 3600)
        return QStringLiteral("%1:%2:%3")
            .arg(s / 3600)
            .arg(s / 60 % 60, 2, 10, QLatin1Char('0'))
            .arg(s % 60, 2, 10, QLatin1Char('0'));
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

CallHistoryModel::CallHistoryModel(QObject *parent)
    : QAbstractTableModel(parent)
{}

void CallHistoryModel::setCalls(const QList<StoredCall> &calls)
{
    beginResetModel();
    m_calls = calls;
    endResetModel();
}

const StoredCall *CallHistoryModel::callAt(int row) const
{
    return row >= 0 && row < m_calls.size() ? &m_calls.at(row) : nullptr;
}

int CallHistoryModel::rowOfKey(qint64 key) const
{
    for (int i = 0; i < m_calls.size(); ++i) {
        if (m_calls.at(i).key == key)
            return i;
    }
    return -1;
}

int CallHistoryModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : int(m_calls.size());
}

int CallHistoryModel::columnCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : ColumnCount;
}

QVariant CallHistoryModel::data(const QModelIndex &index, int role) const
{
    const StoredCall *c = callAt(index.row());
    if (!c)
        return {};
    if (role == Qt::UserRole)
        return c->key;
    if (role == Qt::ToolTipRole && c->interrupted)
        return tr("The console stopped during this call: the record may be incomplete.");
    if (role != Qt::DisplayRole)
        return {};
    switch (index.column()) {
    case Rang:
        return QLocale().toString(c->ringingAt.toLocalTime(), QLocale::ShortFormat);
    case Duration:
        return c->endedAt.isValid() ? durationLabel(c->ringingAt.msecsTo(c->endedAt)) : QString();
    case CallId:
        return c->callId;
    case Type:
        return storedResponseTypeLabel(c->responseType);
    case Severity:
        return c->severity ? QVariant(*c->severity) : QVariant();
    case Location:
        return PlaceText::place(c->lastLocation, c->address, 4);
    case AnsweredBy:
        return c->answeredBy;
    case Ended:
        if (c->interrupted)
            return tr("interrupted");
        if (!c->followUp.isEmpty()) // abandoned or lost: what came of the follow-up
            return tr("%1: %2").arg(endReasonLabel(c->endReason), storedFollowUpLabel(c->followUp));
        return c->disposition.isEmpty() ? endReasonLabel(c->endReason)
                                        : tr("%1: %2").arg(endReasonLabel(c->endReason),
                                                           storedDispositionLabel(c->disposition));
    default:
        return {};
    }
}

QVariant CallHistoryModel::headerData(int section, Qt::Orientation orientation, int role) const
{
    if (orientation != Qt::Horizontal || role != Qt::DisplayRole)
        return {};
    switch (section) {
    case Rang:
        return tr("Rang");
    case Duration:
        return tr("Length");
    case CallId:
        return tr("Call");
    case Type:
        return tr("Type");
    case Severity:
        return tr("Severity");
    case Location:
        return tr("Last location");
    case AnsweredBy:
        return tr("Answered by");
    case Ended:
        return tr("End");
    default:
        return {};
    }
}

} // namespace dispatch
