#include "calllists.h"

#include "alertstate.h"
#include "callqueuemodel.h"
#include "calls/callstore.h"
#include "calltableview.h"
#include "callurgencyorder.h"
#include "dialogs/followupdialog.h"
#include "recentcalls.h"

#include <QAccessible>
#include <QHeaderView>
#include <QLabel>
#include <QSplitter>
#include <QVBoxLayout>

namespace dispatch {

CallLists::CallLists(CallStore &store, const AlertState &alerts, QWidget *parent)
    : QWidget(parent)
    , m_store(store)
    , m_model(new CallQueueModel(store, this))
    , m_order(new CallUrgencyOrder(*m_model, store, alerts, this))
    , m_recent(new RecentCalls(*m_model, store, RecentCalls::DefaultLimit, this))
    , m_queueView(new CallTableView(this))
    , m_recentView(new CallTableView(this))
    , m_recentTitle(new QLabel(tr("Recent calls (ended)"), this))
{
    m_queueView->setModel(m_order);
    m_recentView->setModel(m_recent);
    setUpView(m_queueView, tr("Call queue"));
    setUpView(m_recentView, tr("Recent calls"));
    // No AI after the end; the place is in the detail. What is left fits without scrolling.
    m_recentView->hideColumn(CallQueueModel::AiLink);
    m_recentView->hideColumn(CallQueueModel::Location);
    m_recentTitle->setBuddy(m_recentView);
    QFont bold = m_recentTitle->font();
    bold.setBold(true);
    m_recentTitle->setFont(bold);
    // After the queue's rows have moved (connected after the view's own handlers).
    connect(m_recent, &QAbstractItemModel::rowsInserted, this, &CallLists::followEndedCall);
    // A flag on a call the detail does not show is told where its badge is: the queue (the
    // detail's banner tells of the selected call).
    connect(&alerts, &AlertState::criticalRaised, this,
            [this](const QString &id, const QString &reason, int severity) {
                if (id != m_selected)
                    announceCritical(id, reason, severity);
            });

    auto *recentBox = new QWidget(this);
    auto *recentLayout = new QVBoxLayout(recentBox);
    recentLayout->setContentsMargins(0, 2, 0, 0);
    recentLayout->setSpacing(2);
    recentLayout->addWidget(m_recentTitle);
    recentLayout->addWidget(m_recentView, 1);
    auto *split = new QSplitter(Qt::Vertical, this);
    split->addWidget(m_queueView);
    split->addWidget(recentBox);
    split->setStretchFactor(0, 3);
    split->setStretchFactor(1, 1);
    split->setSizes({280, 150});
    split->setChildrenCollapsible(false);
    auto *layout = new QVBoxLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->addWidget(split);
}

void CallLists::announceCritical(const QString &callId, const QString &reason, int severity)
{
    m_queueView->setAccessibleDescription(tr("Critical alert on call %1 (severity %2): %3")
                                              .arg(callerLabel(callId))
                                              .arg(severity)
                                              .arg(reason));
    QAccessibleEvent event(m_queueView, QAccessible::Alert);
    QAccessible::updateAccessibility(&event);
    Q_EMIT criticalAnnounced(callId, m_queueView->accessibleDescription());
}

QTableView *CallLists::queueView() const
{
    return m_queueView;
}

QTableView *CallLists::recentView() const
{
    return m_recentView;
}

void CallLists::setUpView(CallTableView *view, const QString &name)
{
    view->setAccessibleName(name);
    sizeColumns(view);
    connect(view->selectionModel(), &QItemSelectionModel::currentRowChanged, this,
            [this, view](const QModelIndex &current) { currentChanged(view, current); });
}

void CallLists::sizeColumns(QTableView *view)
{
    QHeaderView *header = view->horizontalHeader();
    const QFontMetrics fm = view->fontMetrics();
    const QFontMetrics headerFm = header->fontMetrics();
    const int pad = 2 * style()->pixelMetric(QStyle::PM_HeaderMargin, nullptr, header) +
                    style()->pixelMetric(QStyle::PM_HeaderMarkSize, nullptr, header) + 6;
    // The widest a column's content gets (its header may be wider, in any language).
    const QHash<int, QString> widest{{CallQueueModel::CallId, QStringLiteral("MMMMMMMM")},
                                     {CallQueueModel::Severity, QStringLiteral("5 ⚠")},
                                     {CallQueueModel::RingTime, QStringLiteral("00:00")},
                                     {CallQueueModel::TalkTime, QStringLiteral("000:00")},
                                     {CallQueueModel::State, QStringLiteral("MMMMMMMMMMMM")},
                                     {CallQueueModel::ResponseType, QStringLiteral("MMMMMMMM")},
                                     {CallQueueModel::AiLink, QStringLiteral("MMMMMMMMMM")}};
    for (auto it = widest.cbegin(); it != widest.cend(); ++it) {
        const QString title = m_model->headerData(it.key(), Qt::Horizontal).toString();
        const int width = std::max(fm.horizontalAdvance(it.value()) + 12,
                                   headerFm.horizontalAdvance(title) + pad);
        header->resizeSection(it.key(), width);
    }
    // A call waiting for its follow-up says so in full ("ABANDONED - call back").
    for (const QString &text : followUpStateTexts())
        header->resizeSection(
            CallQueueModel::State,
            std::max(header->sectionSize(CallQueueModel::State), fm.horizontalAdvance(text) + 12));
}

void CallLists::currentChanged(CallTableView *view, const QModelIndex &current)
{
    // A list losing its current row (the call left it) never changes the dispatcher's call.
    if (!current.isValid())
        return;
    // One row is selected across both lists.
    CallTableView *other = view == m_queueView ? m_recentView : m_queueView;
    other->selectionModel()->clear();
    const QString id = current.data(CallQueueModel::CallIdRole).toString();
    if (id == m_selected)
        return;
    m_selected = id;
    Q_EMIT callSelected(id);
}

void CallLists::followEndedCall(const QModelIndex &, int first, int last)
{
    for (int row = first; row <= last; ++row) {
        if (!m_selected.isEmpty() && m_recent->callIdAt(row) == m_selected) {
            m_recentView->selectionModel()->setCurrentIndex(m_recent->index(row, 0),
                                                            QItemSelectionModel::ClearAndSelect |
                                                                QItemSelectionModel::Rows);
            return;
        }
    }
}

void CallLists::setClocksFrozen(bool frozen)
{
    m_model->setFrozen(frozen);
}

bool CallLists::clocksFrozen() const
{
    return m_model->isFrozen();
}

void CallLists::selectCall(const QString &callId)
{
    if (const int row = m_order->rowOf(callId); row >= 0)
        m_queueView->selectRow(row);
    else if (const int ended = m_recent->rowOf(callId); ended >= 0)
        m_recentView->selectRow(ended);
}

void CallLists::switchFocus()
{
    CallTableView *to = m_queueView->hasFocus() ? m_recentView : m_queueView;
    to->setFocus(Qt::ShortcutFocusReason);
    QModelIndex current = to->currentIndex();
    if (!current.isValid())
        current = to->model()->index(0, 0);
    if (current.isValid())
        to->selectionModel()->setCurrentIndex(current, QItemSelectionModel::ClearAndSelect |
                                                           QItemSelectionModel::Rows);
}

} // namespace dispatch
