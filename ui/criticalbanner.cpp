#include "criticalbanner.h"

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
    layout->addWidget(m_text, 1);
    layout->addWidget(m_ack);
    connect(m_ack, &QPushButton::clicked, this, &CriticalBanner::acknowledged);
    hide();
}

void CriticalBanner::showAlert(const QString &reason, int severity, bool unconfirmed)
{
    m_unconfirmed = unconfirmed;
    setStyleSheet(QStringLiteral("#criticalBanner { background: %1; border-radius: 6px; }"
                                 "#criticalBanner QLabel { color: %2; font-weight: bold; }")
                      .arg(unconfirmed ? QStringLiteral("#5d4a1f") : QStringLiteral("#b71c1c"),
                           unconfirmed ? QStringLiteral("#ffe0a3") : QStringLiteral("white")));
    m_text->setText(unconfirmed ? tr("POSSIBLE critical, unconfirmed — listen to the caller "
                                     "(severity %1): %2")
                                      .arg(severity)
                                      .arg(reason)
                                : tr("CRITICAL (severity %1): %2").arg(severity).arg(reason));
    show();
}

} // namespace dispatch
