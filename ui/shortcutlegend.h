#pragma once

#include <QDialog>
#include <QList>

class QAbstractButton;
class QAction;
class QTableWidget;

namespace dispatch {

// A small window that lists the keyboard shortcuts of the given actions and buttons (their own
// text and shortcut, so the list cannot drift from what the keys do). Not modal: the dispatcher
// keeps working with it open. Esc or F1 closes it; it is rebuilt each time it is shown.
class ShortcutLegend : public QDialog
{
    Q_OBJECT

public:
    explicit ShortcutLegend(QWidget *parent = nullptr);

    // Lists the actions, then the buttons, that have a shortcut (not a mnemonic), in the order
    // given, each once.
    void setShortcuts(const QList<QAction *> &actions, const QList<QAbstractButton *> &buttons);
    QTableWidget *table() const { return m_table; }
    // A button worked by holding a key (push-to-talk) names the key in this property
    // (a QKeySequence), so that the legend lists it too.
    static constexpr const char *HeldKeyProperty = "heldKey";
    // An action's or button's text as shown: without the mnemonic's "&" or a trailing "...".
    static QString plainText(QString text);

protected:
    void keyPressEvent(QKeyEvent *event) override;

private:
    void addRow(const QString &text, const QKeySequence &key);

    QTableWidget *m_table;
};

} // namespace dispatch
