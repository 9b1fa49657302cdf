#include "callqueuemodel.h"
#include "placetext.h"

#include "dialogs/followupdialog.h"
#include "theme.h"
#include "triagecard.h"

#include <QBrush>
#include <QColor>
#include <QLocale>
#include <QRegularExpression>

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

QString callerLabel(const QString &callId)
{
    constexpr qsizetype MaxChars = 14;
    static const QRegularExpression uuidLike(
        QStringLiteral("^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?"
                       "[0-9a-fA-F]{12}$"));
    if (uuidLike.match(callId).hasMatch())
        return callId.left(8);
    if (callId.size() > MaxChars)
        return callId.left(MaxChars - 1) + QChar(0x2026);
    return callId;
}

namespace {

QString clock(qint64 ms)
{
    const qint64 s = std::max<qint64>(0, ms / 1000);
    return QStringLiteral("%1:%2").arg(s / 60).arg(s % 60, 2, 10, QLatin1Char('0'));
}

} // namespace

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
    connect(&store, &CallStore::criticalFlagged, this, &CallQueueModel::refreshRow);
    connect(&store, &CallStore::criticalAcknowledged, this, &CallQueueModel::refreshRow);
    connect(&store, &CallStore::followUpResolved, this, &CallQueueModel::refreshRow);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        if (!m_ids.isEmpty())
            Q_EMIT dataChanged(index(0, RingTime), index(rowCount() - 1, TalkTime));
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

void CallQueueModel::setFrozen(bool frozen)
{
    if (frozen == isFrozen())
        return;
    m_frozenAt = frozen ? m_store.now() : QDateTime();
    if (!m_ids.isEmpty())
        Q_EMIT dataChanged(index(0, RingTime), index(rowCount() - 1, TalkTime));
}

QString CallQueueModel::callIdAt(int row) const
{
    return m_ids.value(row);
}

int CallQueueModel::rowOf(const QString &callId) const
{
    return static_cast<int>(m_ids.indexOf(callId));
}

QVariant CallQueueModel::data(const QModelIndex &index, int role) const
{
    const Call *c = index.isValid() ? m_store.call(m_ids.value(index.row())) : nullptr;
    if (!c)
        return {};
    const QDateTime now = m_frozenAt.isValid() ? m_frozenAt : m_store.now();
    if (role == CallIdRole)
        return c->id;
    if (role == AnswerUrgencyRole) {
        if (c->state != CallState::Ringing)
            return 0;
        const qint64 ms = c->answerMilliseconds(now);
        return ms >= RedAfterMs ? 2 : ms >= AmberAfterMs ? 1 : 0;
    }
    const std::optional<TriageReport> &triage = c->triage;
    const bool lowConfidence = triage && triage->isLowConfidence();
    const bool followUpOpen = c->followUp == FollowUp::Open;
    const bool alerting = c->hasUnacknowledgedCritical();
    if (role == UnacknowledgedCriticalRole)
        return alerting;
    if (alerting && index.column() == CallId) {
        // The badge: on every row whose flag nobody has acknowledged, selected or not; amber
        // like the banner while the assessment is a lead (keywords only), not a confirmed one.
        switch (role) {
        case Qt::BackgroundRole:
            return QBrush(lowConfidence ? QColor(0x5d, 0x4a, 0x1f) : redAlarmColor());
        case Qt::ForegroundRole:
            return QBrush(lowConfidence ? QColor(0xff, 0xe0, 0xa3) : textColorOn(redAlarmColor()));
        case Qt::DisplayRole:
            return QString(QStringLiteral("⚠ ") + callerLabel(c->id));
        case Qt::ToolTipRole:
            return tr("Unacknowledged critical alert on %1: %2")
                .arg(c->id, c->criticalAlert.reason);
        case Qt::AccessibleTextRole:
            return tr("%1, unacknowledged critical alert").arg(c->id);
        default:
            break;
        }
    }
    if (role == Qt::BackgroundRole || role == Qt::ForegroundRole) {
        if (isFrozen() && role == Qt::ForegroundRole &&
            (index.column() == RingTime || index.column() == TalkTime))
            return QBrush(QColor(0x9e, 0x9e, 0x9e));
        QColor fill;
        if (index.column() == State && followUpOpen) { // someone must call back
            fill = amberAlarmColor();
        } else if (index.column() == RingTime && c->state == CallState::Ringing) {
            const qint64 ms = c->answerMilliseconds(now);
            if (ms >= RedAfterMs)
                fill = redAlarmColor();
            else if (ms >= AmberAfterMs)
                fill = amberAlarmColor();
        } else if (index.column() == Severity) {
            fill = !triage         ? untriagedColor()
                   : lowConfidence ? lowConfidenceColor()
                                   : severityColor(triage->severity);
        }
        if (role == Qt::BackgroundRole)
            return fill.isValid() ? QVariant(QBrush(fill)) : QVariant();
        if (index.column() == Severity && lowConfidence)
            return QBrush(lowConfidenceTextColor());
        if (fill.isValid())
            return QBrush(textColorOn(fill));
        if (index.column() == ResponseType && lowConfidence)
            return QBrush(cautionTextColor());
        return {};
    }
    if (role == Qt::TextAlignmentRole) {
        if (index.column() == Severity || index.column() == RingTime || index.column() == TalkTime)
            return int(Qt::AlignCenter);
        return {};
    }
    if (role == Qt::ToolTipRole) {
        switch (index.column()) {
        case CallId:
            return c->id;
        case Severity:
        case ResponseType:
            if (!triage)
                return tr("Not triaged yet");
            if (lowConfidence)
                return tr("%1\nUnconfirmed lead: %2, severity %3 (%4)")
                    .arg(confidenceHeadline(*triage), responseTypeLabel(triage->responseType))
                    .arg(triage->severity)
                    .arg(confidenceReasonText(triage->confidenceReason));
            return triage->situationSummary;
        case RingTime:
        case TalkTime:
            if (isFrozen())
                return tr("Stopped at %1: the host cannot be reached, so whether this call still "
                          "rings or was answered is not known")
                    .arg(QLocale().toString(m_frozenAt.toLocalTime().time(), QLocale::ShortFormat));
            return index.column() == RingTime ? tr("Ringing time until answered")
                                              : tr("Time since answered");
        default:
            return data(index, Qt::DisplayRole);
        }
    }
    if (role != Qt::DisplayRole && role != Qt::AccessibleTextRole)
        return {};
    switch (index.column()) {
    case State: {
        if (c->followUp == FollowUp::Open)
            return followUpStateText(*c);
        if (c->followUp != FollowUp::None)
            return tr("%1 · %2").arg(stateLabel(c->state), followUpLabel(c->followUp));
        QString state = c->callerConnected || !c->isLive()
                            ? stateLabel(c->state)
                            : tr("%1 (caller lost)").arg(stateLabel(c->state));
        if (c->isLive() && !c->answeredBy.isEmpty())
            state = tr("%1 · %2").arg(state, c->answeredBy); // who handles it
        return state;
    }
    case CallId:
        return role == Qt::AccessibleTextRole ? c->id : callerLabel(c->id);
    case Location:
        return c->location ? PlaceText::place(c->location, c->address, 4) : tr("unknown");
    case RingTime:
        return clock(c->answerMilliseconds(now));
    case TalkTime: {
        if (!c->answeredAt.isValid())
            return QString();
        return clock(c->answeredAt.msecsTo(c->endedAt.isValid() ? c->endedAt : now));
    }
    case Severity:
        if (!triage)
            return QStringLiteral("–");
        if (lowConfidence)
            return tr("%1?").arg(triage->severity);
        if (triage->critical)
            return QStringLiteral("%1 ⚠").arg(triage->severity);
        return triage->severity;
    case ResponseType:
        if (!triage)
            return QStringLiteral("-");
        return lowConfidence ? tr("keywords only") : toString(triage->responseType);
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
        return tr("Caller");
    case Location:
        return tr("Location");
    case RingTime:
        return tr("Ring");
    case TalkTime:
        return tr("Talk");
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
