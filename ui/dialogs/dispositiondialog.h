#pragma once

#include "domain/disposition.h"

#include <QDialog>

class QListWidget;
class QPushButton;

namespace dispatch {

// The dispatcher's words for a disposition code (stored ones too: an unknown code is shown as
// it is).
QString dispositionLabel(Disposition disposition);
QString storedDispositionLabel(const QString &code);

// Asked before a serious call ends: how was it closed? A list to work by keyboard: the arrows or
// the digits 1-5 pick, Enter ends the call with the picked disposition, Esc keeps it live.
// Nothing is picked at first, so a hurried Enter cannot record a disposition nobody chose.
class DispositionDialog : public QDialog
{
    Q_OBJECT

public:
    DispositionDialog(const QString &callId, QWidget *parent = nullptr);

    QString callId() const { return m_callId; }
    // None until one is picked.
    Disposition disposition() const;
    QListWidget *choices() const { return m_list; }

protected:
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    QString m_callId;
    QListWidget *m_list;
    QPushButton *m_end;
};

} // namespace dispatch
