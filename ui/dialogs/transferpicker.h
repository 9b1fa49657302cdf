#pragma once

#include "domain/transfertarget.h"

#include <QDialog>

class QLabel;
class QLineEdit;
class QListWidget;
class QPushButton;

namespace dispatch {

// Whom to hand a call to: the dispatchers the host knows, online ones first and marked, the
// call's owner left out. Typing filters the list, the arrows move in it, Enter transfers, Esc
// cancels.
class TransferPicker : public QDialog
{
    Q_OBJECT

public:
    TransferPicker(const QString &callId, QWidget *parent = nullptr);

    QString callId() const { return m_callId; }
    // The list to pick from, without `owner`; the pick stays on the same name when it is still
    // listed (the list changes as dispatchers come and go).
    void setTargets(const QList<TransferTarget> &targets, const QString &owner);
    // The names listed now (filtered or not), in their order.
    QStringList listedNames() const;
    // The picked name; empty when nothing visible is picked.
    QString chosenName() const;
    QLineEdit *filter() const { return m_filter; }
    QListWidget *list() const { return m_list; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void applyFilter();
    void pickFirstVisible();
    void updateButton();

    QString m_callId;
    QLineEdit *m_filter;
    QListWidget *m_list;
    QLabel *m_empty;
    QPushButton *m_transfer;
};

} // namespace dispatch
