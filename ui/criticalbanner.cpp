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
    setStyleSheet(QStringLiteral("#criticalBanner { background: #b71c1c; border-radius: 6px; }"
                                 "#criticalBanner QLabel { color: white; font-weight: bold; }"));
    setAccessibleName(tr("Critical alert"));
    auto *layout = new QHBoxLayout(this);
    m_text->setWordWrap(true);
    m_ack->setToolTip(tr("Acknowledge the critical alert (Ctrl+K)"));
    layout->addWidget(m_text, 1);
    layout->addWidget(m_ack);
    connect(m_ack, &QPushButton::clicked, this, &CriticalBanner::acknowledged);
    hide();
}

void CriticalBanner::showAlert(const QString &reason, int severity)
{
    m_text->setText(tr("CRITICAL (severity %1): %2").arg(severity).arg(reason));
    show();
}

} // namespace dispatch
