#pragma once

#include <QFrame>

class QLabel;
class QPushButton;

namespace dispatch {

// A red bar across the call detail while a critical flag is unacknowledged. When the call's
// assessment is low confidence (keywords only) the flag is a possible one: the bar is amber and
// says to listen to the caller, it is not styled as a confirmed critical.
class CriticalBanner : public QFrame
{
    Q_OBJECT

public:
    explicit CriticalBanner(QWidget *parent = nullptr);

    void showAlert(const QString &reason, int severity, bool unconfirmed = false);
    bool isUnconfirmed() const { return m_unconfirmed; }

Q_SIGNALS:
    void acknowledged();

private:
    QLabel *m_text;
    QPushButton *m_ack;
    bool m_unconfirmed = false;
};

} // namespace dispatch
