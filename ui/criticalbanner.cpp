#include "criticalbanner.h"

#include <QAccessible>
#include <QHBoxLayout>
#include <QLabel>
#include <QPushButton>

namespace dispatch {

CriticalBanner::CriticalBanner(QWidget *parent)
    : QFrame(parent)
    , m_text(new QLabel(this))
    , m_ack(new QPushButton(tr("&Acknowledge"), this))
{
    setObjectName(QStringLiteral("criticalBanner"));
    setAccessibleName(tr("Critical alert"));
    auto *layout = new QHBoxLayout(this);
    m_text->setWordWrap(true);
    m_ack->setToolTip(tr("Acknowledge the critical alert (Ctrl+K)"));
    m_ack->setAccessibleName(tr("Acknowledge the critical alert"));
    layout->addWidget(m_text, 1);
    layout->addWidget(m_ack);
    connect(m_ack, &QPushButton::clicked, this, &CriticalBanner::acknowledged);
    hide();
}

void CriticalBanner::showAlert(const QString &reason, int severity, bool unconfirmed)
{
    m_unconfirmed = unconfirmed;
    m_alerting = true;
    setStyleSheet(QStringLiteral("#criticalBanner { background: %1; border-radius: 6px; }"
                                 "#criticalBanner QLabel { color: %2; font-weight: bold; }")
                      .arg(unconfirmed ? QStringLiteral("#5d4a1f") : QStringLiteral("#b71c1c"),
                           unconfirmed ? QStringLiteral("#ffe0a3") : QStringLiteral("white")));
    setText(unconfirmed ? tr("POSSIBLE critical, unconfirmed — listen to the caller "
                             "(severity %1): %2")
                              .arg(severity)
                              .arg(reason)
                        : tr("CRITICAL (severity %1): %2").arg(severity).arg(reason));
    m_ack->show();
    show();
}

void CriticalBanner::showAcknowledged(const QString &reason, const QString &by, const QDateTime &at)
{
    m_unconfirmed = false;
    m_alerting = false;
    setStyleSheet(QStringLiteral("#criticalBanner { background: #424242; border-radius: 6px; }"
                                 "#criticalBanner QLabel { color: #eeeeee; }"));
    setText(tr("Acknowledged by %1 at %2 — critical: %3")
                .arg(by, at.toLocalTime().toString(QStringLiteral("HH:mm:ss")), reason));
    m_ack->hide();
    show();
}

void CriticalBanner::setText(const QString &text)
{
    m_text->setText(text);
    setAccessibleDescription(text);
}

QString CriticalBanner::text() const
{
    return m_text->text();
}

void CriticalBanner::announce()
{
    QAccessibleEvent event(this, QAccessible::Alert);
    QAccessible::updateAccessibility(&event);
    Q_EMIT announced(accessibleDescription());
}

} // namespace dispatch
