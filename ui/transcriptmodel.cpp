#include "transcriptmodel.h"

#include "calls/callstore.h"

#include <QColor>
#include <QFont>

namespace dispatch {

QString speakerLabel(Speaker speaker)
{
    switch (speaker) {
    case Speaker::Caller:
        return TranscriptModel::tr("Caller");
    case Speaker::CallerText:
        return TranscriptModel::tr("Caller (typed)");
    case Speaker::Dispatcher:
        return TranscriptModel::tr("Dispatcher");
    case Speaker::Ai:
        return TranscriptModel::tr("AI");
    }
    return QString();
}

TranscriptModel::TranscriptModel(CallStore &store, QObject *parent)
    : QAbstractListModel(parent)
    , m_store(store)
{
    connect(&store, &CallStore::transcriptUpdated, this, [this](const QString &id) {
        if (id != m_callId)
            return;
        // Partial segments are replaced in place by the store, so rows are appended or refreshed.
        const int now = segments() ? static_cast<int>(segments()->size()) : 0;
        if (now > m_rows) {
            beginInsertRows(QModelIndex(), m_rows, now - 1);
            m_rows = now;
            endInsertRows();
        } else if (now < m_rows) { // the bounded transcript dropped its oldest lines
            beginResetModel();
            m_rows = now;
            endResetModel();
        }
        if (m_rows > 0)
            Q_EMIT dataChanged(index(m_rows - 1), index(m_rows - 1));
    });
}

const QList<TranscriptSegment> *TranscriptModel::segments() const
{
    const Call *c = m_store.call(m_callId);
    return c ? &c->transcript : nullptr;
}

void TranscriptModel::setCall(const QString &callId)
{
    beginResetModel();
    m_callId = callId;
    m_rows = segments() ? static_cast<int>(segments()->size()) : 0;
    endResetModel();
}

int TranscriptModel::rowCount(const QModelIndex &parent) const
{
    return parent.isValid() ? 0 : m_rows;
}

QVariant TranscriptModel::data(const QModelIndex &index, int role) const
{
    const auto *list = segments();
    if (!list || index.row() < 0 || index.row() >= list->size())
        return {};
    const TranscriptSegment &s = list->at(index.row());
    switch (role) {
    case Qt::DisplayRole:
    case Qt::AccessibleTextRole:
        return QStringLiteral("%1  %2: %3")
            .arg(s.at.toLocalTime().toString(QStringLiteral("HH:mm:ss")), speakerLabel(s.speaker),
                 s.final ? s.text : s.text + QStringLiteral(" …"));
    case Qt::ForegroundRole:
        if (!s.final)
            return QColor(Qt::gray);
        return s.speaker == Speaker::Ai ? QColor(0x42, 0xa5, 0xf5) : QVariant();
    case Qt::FontRole:
        if (s.speaker == Speaker::CallerText) {
            QFont f;
            f.setBold(true);
            return f;
        }
        return {};
    case SpeakerRole:
        return static_cast<int>(s.speaker);
    case FinalRole:
        return s.final;
    default:
        return {};
    }
}

} // namespace dispatch
