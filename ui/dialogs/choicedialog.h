#pragma once

#include <QDialog>
#include <QList>
#include <utility>

class QLabel;
class QListWidget;
class QPushButton;

namespace dispatch {

// A question about one call answered by picking from a short list, worked by keyboard: the
// arrows or the digits 1-9 pick, Enter confirms, Esc cancels. Nothing is picked at first, so a
// hurried Enter cannot record a choice nobody made. The disposition asked at the end of a
// serious call and the follow-up of an abandoned call are such questions.
class ChoiceDialog : public QDialog
{
    Q_OBJECT

public:
    struct Texts
    {
        QString title;
        QString question;
        QString listName;   // the list's accessible name
        QString listObject; // the list's object name (for tests)
        QString hint;       // how to work it (keys)
        QString confirm;    // the confirming button, with its mnemonic
        QString cancel;
    };
    // `choices`: each choice's words and the value it stands for (an enum's value, >= 0).
    ChoiceDialog(const QString &callId, const Texts &texts,
                 const QList<std::pair<QString, int>> &choices, QWidget *parent = nullptr);

    QString callId() const { return m_callId; }
    QListWidget *choices() const { return m_list; }
    // Rich text between the question and the list (what to know before choosing); hidden when
    // empty.
    void setDetails(const QString &richText);
    QString details() const;

protected:
    // The value of the picked choice; -1 until one is picked.
    int pickedValue() const;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QString m_callId;
    QLabel *m_details;
    QListWidget *m_list;
    QPushButton *m_confirm;
};

} // namespace dispatch
