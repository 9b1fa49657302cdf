#include "shortcutlegend.h"

#include <QAbstractButton>
#include <QAction>
#include <QHeaderView>
#include <QKeyEvent>
#include <QLabel>
#include <QRegularExpression>
#include <QSet>
#include <QTableWidget>
#include <QVBoxLayout>

namespace dispatch {

ShortcutLegend::ShortcutLegend(QWidget *parent)
    : QDialog(parent)
    , m_table(new QTableWidget(0, 2, this))
{
    setWindowTitle(tr("Keyboard shortcuts"));
    setModal(false);
    m_table->setHorizontalHeaderLabels({tr("Action"), tr("Key")});
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->verticalHeader()->hide();
    m_table->horizontalHeader()->setSectionResizeMode(0, QHeaderView::Stretch);
    m_table->horizontalHeader()->setSectionResizeMode(1, QHeaderView::ResizeToContents);
    m_table->setAccessibleName(tr("Keyboard shortcuts"));
    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table, 1);
    layout->addWidget(new QLabel(tr("Esc or F1 closes this window."), this));
    setMinimumWidth(420);
}

QString ShortcutLegend::plainText(QString text)
{
    static const QRegularExpression mnemonic(QStringLiteral("&(.)"));
    text.replace(mnemonic, QStringLiteral("\\1"));
    if (text.endsWith(QStringLiteral("...")))
        text.chop(3);
    else if (text.endsWith(QChar(0x2026)))
        text.chop(1);
    return text;
}

void ShortcutLegend::setShortcuts(const QList<QAction *> &actions,
                                  const QList<QAbstractButton *> &buttons)
{
    m_table->setRowCount(0);
    QSet<const QObject *> listed;
    for (const QAction *action : actions) {
        if (action && !action->isSeparator() && !action->shortcut().isEmpty() &&
            !listed.contains(action)) {
            listed.insert(action);
            addRow(action->text(), action->shortcut());
        }
    }
    for (const QAbstractButton *button : buttons) {
        // A key held down rather than pressed (push-to-talk) is no QShortcut: the widget that
        // watches it names it in the button's HeldKeyProperty.
        const auto held =
            button ? button->property(HeldKeyProperty).value<QKeySequence>() : QKeySequence();
        if (!held.isEmpty() && !listed.contains(button)) {
            listed.insert(button);
            addRow(button->text(), held);
            continue;
        }
        // A button's "&" mnemonic (Alt+letter) is left out, as the menus' are.
        if (button && !button->shortcut().isEmpty() && !listed.contains(button) &&
            button->shortcut() != QKeySequence::mnemonic(button->text())) {
            listed.insert(button);
            addRow(button->text(), button->shortcut());
        }
    }
    // Tall enough for every row, up to a limit (then it scrolls).
    const int rows = m_table->verticalHeader()->length() +
                     m_table->horizontalHeader()->sizeHint().height() + 2 * m_table->frameWidth();
    m_table->setMinimumHeight(std::min(rows, 640));
    adjustSize();
}

void ShortcutLegend::addRow(const QString &text, const QKeySequence &key)
{
    const int row = m_table->rowCount();
    m_table->insertRow(row);
    m_table->setItem(row, 0, new QTableWidgetItem(plainText(text)));
    m_table->setItem(row, 1, new QTableWidgetItem(key.toString(QKeySequence::NativeText)));
}

void ShortcutLegend::keyPressEvent(QKeyEvent *event)
{
    if (event->key() == Qt::Key_F1 && event->modifiers() == Qt::NoModifier) {
        close();
        return;
    }
    QDialog::keyPressEvent(event); // Esc rejects, which closes
}

} // namespace dispatch
