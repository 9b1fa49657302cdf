#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace dispatch {

// A red bar across the call detail while a critical flag is unacknowledged.
class CriticalBanner : public QFrame
{
    Q_OBJECT

public:
    explicit CriticalBanner(QWidget *parent = nullptr);

    void showAlert(const QString &reason, int severity);

Q_SIGNALS:
    void acknowledged();

private:
    QLabel *m_text;
    QPushButton *m_ack;
};

} // namespace dispatch
