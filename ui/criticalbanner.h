#pragma once

#include <QDateTime>
#include <QFrame>

class QLabel;
class QPushButton;

namespace dispatch {

// A red bar across the call detail while a critical flag is unacknowledged. When the call's
// assessment is low confidence (keywords only) the flag is a possible one: the bar is amber and
// says to listen to the caller, it is not styled as a confirmed critical. Once acknowledged it
// turns quiet and says by whom and when, until a new flag raises it again.
class CriticalBanner : public QFrame
{
    Q_OBJECT

public:
    explicit CriticalBanner(QWidget *parent = nullptr);

    void showAlert(const QString &reason, int severity, bool unconfirmed = false);
    void showAcknowledged(const QString &reason, const QString &by, const QDateTime &at);
    // Tells screen readers what the bar says now (an Alert accessibility event): for a flag
    // just raised, not for one merely shown again.
    void announce();
    bool isUnconfirmed() const { return m_unconfirmed; }
    bool isAlerting() const { return isVisible() && m_alerting; }
    QString text() const;

Q_SIGNALS:
    void acknowledged();
    // An Alert was sent for screen readers with this text (the bar's accessible description).
    void announced(const QString &text);

private:
    void setText(const QString &text);

    QLabel *m_text;
    QPushButton *m_ack;
    bool m_unconfirmed = false;
    bool m_alerting = false;
};

} // namespace dispatch
