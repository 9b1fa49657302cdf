#include "dialogs/transferpicker.h"

#include <QCoreApplication>
#include <QDialogButtonBox>
#include <QKeyEvent>
#include <QLabel>
#include <QLineEdit>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace dispatch {

namespace {

constexpr int NameRole = Qt::UserRole;

} // namespace

TransferPicker::TransferPicker(const QString &callId, QWidget *parent)
    : QDialog(parent)
    , m_callId(callId)
    , m_filter(new QLineEdit(this))
    , m_list(new QListWidget(this))
    , m_empty(new QLabel(this))
{
    setWindowTitle(tr("Transfer call"));
    auto *layout = new QVBoxLayout(this);
    auto *question = new QLabel(tr("Transfer call %1 to:").arg(callId), this);
    question->setWordWrap(true);
    layout->addWidget(question);
    m_filter->setObjectName(QStringLiteral("transferFilter"));
    m_filter->setPlaceholderText(tr("Type to filter"));
    m_filter->setAccessibleName(tr("Filter dispatchers"));
    m_filter->setClearButtonEnabled(true);
    m_filter->installEventFilter(this);
    layout->addWidget(m_filter);
    m_list->setObjectName(QStringLiteral("transferTargets"));
    m_list->setAccessibleName(tr("Dispatchers"));
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    layout->addWidget(m_list);
    m_empty->setWordWrap(true);
    m_empty->hide();
    layout->addWidget(m_empty);
    auto *buttons = new QDialogButtonBox(this);
    m_transfer = buttons->addButton(tr("&Transfer"), QDialogButtonBox::AcceptRole);
    buttons->addButton(QDialogButtonBox::Cancel);
    m_transfer->setDefault(true);
    m_transfer->setEnabled(false);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_filter, &QLineEdit::textChanged, this, &TransferPicker::applyFilter);
    connect(m_list, &QListWidget::currentRowChanged, this, &TransferPicker::updateButton);
    connect(m_list, &QListWidget::itemDoubleClicked, this, &QDialog::accept);
    layout->addWidget(buttons);
    m_filter->setFocus();
}

void TransferPicker::setTargets(const QList<TransferTarget> &targets, const QString &owner)
{
    const QString picked = chosenName();
    m_list->clear();
    for (const TransferTarget &t : targets) {
        if (t.name == owner)
            continue;
        auto *item = new QListWidgetItem(t.online ? tr("%1 (online)").arg(t.name) : t.name, m_list);
        item->setData(NameRole, t.name);
        item->setToolTip(t.online ? tr("Connected now") : tr("Not connected now"));
        if (t.online) {
            QFont bold = item->font();
            bold.setBold(true);
            item->setFont(bold);
        }
        if (t.name == picked)
            m_list->setCurrentItem(item);
    }
    applyFilter();
}

void TransferPicker::applyFilter()
{
    const QString text = m_filter->text().trimmed();
    int visible = 0;
    for (int row = 0; row < m_list->count(); ++row) {
        QListWidgetItem *item = m_list->item(row);
        const bool shown =
            text.isEmpty() || item->data(NameRole).toString().contains(text, Qt::CaseInsensitive);
        item->setHidden(!shown);
        visible += shown ? 1 : 0;
    }
    m_empty->setText(m_list->count() == 0 ? tr("No other dispatcher can take this call now.")
                                          : tr("No dispatcher matches \"%1\".").arg(text));
    m_empty->setVisible(visible == 0);
    if (!m_list->currentItem() || m_list->currentItem()->isHidden())
        pickFirstVisible();
    updateButton();
}

void TransferPicker::pickFirstVisible()
{
    for (int row = 0; row < m_list->count(); ++row) {
        if (!m_list->item(row)->isHidden()) {
            m_list->setCurrentRow(row);
            return;
        }
    }
    m_list->setCurrentRow(-1);
}

void TransferPicker::updateButton()
{
    m_transfer->setEnabled(!chosenName().isEmpty());
}

QStringList TransferPicker::listedNames() const
{
    QStringList names;
    for (int row = 0; row < m_list->count(); ++row) {
        if (!m_list->item(row)->isHidden())
            names << m_list->item(row)->data(NameRole).toString();
    }
    return names;
}

QString TransferPicker::chosenName() const
{
    const QListWidgetItem *item = m_list->currentItem();
    return item && !item->isHidden() ? item->data(NameRole).toString() : QString();
}

bool TransferPicker::eventFilter(QObject *watched, QEvent *event)
{
    // The arrows move in the list while the typing stays in the filter.
    if (watched == m_filter && event->type() == QEvent::KeyPress) {
        const int key = static_cast<QKeyEvent *>(event)->key();
        if (key == Qt::Key_Up || key == Qt::Key_Down || key == Qt::Key_PageUp ||
            key == Qt::Key_PageDown) {
            QKeyEvent copy(QEvent::KeyPress, key, static_cast<QKeyEvent *>(event)->modifiers());
            QCoreApplication::sendEvent(m_list, &copy);
            return true;
        }
    }
    return QDialog::eventFilter(watched, event);
}

} // namespace dispatch
