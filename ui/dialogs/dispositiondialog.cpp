#include "dialogs/dispositiondialog.h"

#include <QDialogButtonBox>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace dispatch {

QString dispositionLabel(Disposition disposition)
{
    switch (disposition) {
    case Disposition::None:
        return DispositionDialog::tr("none given");
    case Disposition::UnitsDispatched:
        return DispositionDialog::tr("Units dispatched");
    case Disposition::TransferredToAgency:
        return DispositionDialog::tr("Transferred to another agency");
    case Disposition::CallerDisconnected:
        return DispositionDialog::tr("Caller disconnected");
    case Disposition::HandledWithoutDispatch:
        return DispositionDialog::tr("Handled without dispatch");
    case Disposition::FalseAlarm:
        return DispositionDialog::tr("False alarm / no emergency");
    }
    return QString();
}

QString storedDispositionLabel(const QString &code)
{
    const auto disposition = dispositionFromString(code);
    return disposition ? dispositionLabel(*disposition) : code;
}

DispositionDialog::DispositionDialog(const QString &callId, QWidget *parent)
    : QDialog(parent)
    , m_callId(callId)
    , m_list(new QListWidget(this))
{
    setWindowTitle(tr("End call"));
    auto *layout = new QVBoxLayout(this);
    auto *question = new QLabel(tr("How was call %1 closed?").arg(callId), this);
    question->setWordWrap(true);
    layout->addWidget(question);
    int n = 0;
    for (Disposition d : dispositionChoices()) {
        auto *item = new QListWidgetItem(
            QStringLiteral("%1   %2").arg(++n).arg(dispositionLabel(d)), m_list);
        item->setData(Qt::UserRole, static_cast<int>(d));
    }
    m_list->setObjectName(QStringLiteral("dispositions"));
    m_list->setAccessibleName(tr("Disposition"));
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setCurrentRow(-1);
    m_list->installEventFilter(this);
    layout->addWidget(m_list);
    auto *hint = new QLabel(
        tr("Pick with the arrows or 1-%1, Enter ends the call, Esc keeps it live.").arg(n), this);
    hint->setWordWrap(true);
    layout->addWidget(hint);
    auto *buttons = new QDialogButtonBox(this);
    m_end = buttons->addButton(tr("&End call"), QDialogButtonBox::AcceptRole);
    buttons->addButton(tr("&Keep the call"), QDialogButtonBox::RejectRole);
    m_end->setDefault(true);
    m_end->setEnabled(false);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QListWidget::itemSelectionChanged, this,
            [this] { m_end->setEnabled(disposition() != Disposition::None); });
    connect(m_list, &QListWidget::itemDoubleClicked, this, &QDialog::accept);
    layout->addWidget(buttons);
    m_list->setFocus();
}

Disposition DispositionDialog::disposition() const
{
    // The selection, not the current item: the list makes its first row current (unselected)
    // as soon as it has the focus, and that is no choice.
    const QList<QListWidgetItem *> picked = m_list->selectedItems();
    return picked.isEmpty()
               ? Disposition::None
               : static_cast<Disposition>(picked.constFirst()->data(Qt::UserRole).toInt());
}

bool DispositionDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_list && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        const int digit = key->key() - Qt::Key_1;
        if ((key->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier && digit >= 0 &&
            digit < m_list->count()) {
            m_list->setCurrentRow(digit);
            return true;
        }
        // The first arrow picks the first (or last) row, not the one after the unpicked
        // current row.
        if (m_list->selectedItems().isEmpty() &&
            (key->key() == Qt::Key_Down || key->key() == Qt::Key_Up)) {
            m_list->setCurrentRow(key->key() == Qt::Key_Down ? 0 : m_list->count() - 1);
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

} // namespace dispatch
