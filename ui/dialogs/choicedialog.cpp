#include "dialogs/choicedialog.h"

#include <QDialogButtonBox>
#include <QKeyEvent>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>
#include <QVBoxLayout>

namespace dispatch {

ChoiceDialog::ChoiceDialog(const QString &callId, const Texts &texts,
                           const QList<std::pair<QString, int>> &choices, QWidget *parent)
    : QDialog(parent)
    , m_callId(callId)
    , m_details(new QLabel(this))
    , m_list(new QListWidget(this))
{
    setWindowTitle(texts.title);
    auto *layout = new QVBoxLayout(this);
    auto *question = new QLabel(texts.question, this);
    question->setWordWrap(true);
    layout->addWidget(question);
    m_details->setObjectName(QStringLiteral("details"));
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::RichText);
    m_details->hide();
    layout->addWidget(m_details);
    int n = 0;
    for (const auto &[label, value] : choices) {
        auto *item = new QListWidgetItem(QStringLiteral("%1   %2").arg(++n).arg(label), m_list);
        item->setData(Qt::UserRole, value);
    }
    m_list->setObjectName(texts.listObject);
    m_list->setAccessibleName(texts.listName);
    m_list->setSelectionMode(QAbstractItemView::SingleSelection);
    m_list->setCurrentRow(-1);
    m_list->installEventFilter(this);
    layout->addWidget(m_list);
    auto *hint = new QLabel(texts.hint, this);
    hint->setWordWrap(true);
    layout->addWidget(hint);
    auto *buttons = new QDialogButtonBox(this);
    m_confirm = buttons->addButton(texts.confirm, QDialogButtonBox::AcceptRole);
    buttons->addButton(texts.cancel, QDialogButtonBox::RejectRole);
    m_confirm->setDefault(true);
    m_confirm->setEnabled(false);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    connect(m_list, &QListWidget::itemSelectionChanged, this,
            [this] { m_confirm->setEnabled(pickedValue() >= 0); });
    connect(m_list, &QListWidget::itemDoubleClicked, this, &QDialog::accept);
    layout->addWidget(buttons);
    m_list->setFocus();
}

void ChoiceDialog::setDetails(const QString &richText)
{
    m_details->setText(richText);
    m_details->setVisible(!richText.isEmpty());
}

QString ChoiceDialog::details() const
{
    return m_details->text();
}

int ChoiceDialog::pickedValue() const
{
    // The selection, not the current item: the list makes its first row current (unselected)
    // as soon as it has the focus, and that is no choice.
    const QList<QListWidgetItem *> picked = m_list->selectedItems();
    return picked.isEmpty() ? -1 : picked.constFirst()->data(Qt::UserRole).toInt();
}

bool ChoiceDialog::eventFilter(QObject *watched, QEvent *event)
{
    if (watched == m_list && event->type() == QEvent::KeyPress) {
        const auto *key = static_cast<QKeyEvent *>(event);
        const int digit = key->key() - Qt::Key_1;
        if ((key->modifiers() & ~Qt::KeypadModifier) == Qt::NoModifier && digit >= 0 &&
            digit < std::min(9, m_list->count())) {
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
