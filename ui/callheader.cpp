#include "callheader.h"

#include "callqueuemodel.h"
#include "dialogs/followupdialog.h"
#include "domain/call.h"
#include "elidedlabel.h"
#include "theme.h"

#include <QGridLayout>

namespace dispatch {

CallHeader::CallHeader(QWidget *parent)
    : QWidget(parent)
    , m_title(new ElidedLabel(this))
    , m_connection(new ElidedLabel(this))
    , m_handler(new ElidedLabel(this))
    , m_aiLink(new ElidedLabel(this))
{
    QFont titleFont = font();
    titleFont.setPointSizeF(titleFont.pointSizeF() * 1.3);
    titleFont.setBold(true);
    m_title->setFont(titleFont);
    m_title->setObjectName(QStringLiteral("callTitle"));
    m_connection->setFont(titleFont);
    m_connection->setObjectName(QStringLiteral("callerConnection"));
    m_connection->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_connection->setStyleSheet(QStringLiteral("color: #ff5252;"));
    m_aiLink->setAlignment(Qt::AlignRight | Qt::AlignVCenter);

    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(0, 0, 0, 0);
    layout->setVerticalSpacing(2);
    // Every field's width comes from its column's share, never from its text.
    for (ElidedLabel *l : {m_title, m_connection, m_handler, m_aiLink})
        l->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    layout->addWidget(m_title, 0, 0, 1, 2);
    layout->addWidget(m_connection, 0, 2);
    layout->addWidget(m_handler, 1, 0);
    layout->addWidget(m_aiLink, 1, 1, 1, 2);
    layout->setColumnStretch(0, 3);
    layout->setColumnStretch(1, 1);
    layout->setColumnStretch(2, 2);
    showCall(nullptr);
}

void CallHeader::showCall(const Call *c)
{
    if (!c) {
        m_title->setFullText(tr("No call selected"));
        m_handler->setFullText(tr("F2 answers the next ringing call"));
        for (ElidedLabel *l : {m_connection, m_aiLink})
            l->setFullText(QString());
        return;
    }
    const QString state =
        c->followUp == FollowUp::Open ? followUpStateText(*c) : stateLabel(c->state);
    m_title->setFullText(tr("Call %1 · %2").arg(callerLabel(c->id), state),
                         tr("Call %1 · %2").arg(c->id, state));
    m_connection->setFullText(c->callerConnected || !c->isLive() ? QString()
                                                                 : tr("Caller connection lost"));
    if (c->followUp == FollowUp::Open)
        m_connection->setFullText(tr("F7 follows up"), callbackText(*c));
    else if (c->followUp != FollowUp::None)
        m_connection->setFullText(tr("%1 (%2)").arg(followUpLabel(c->followUp), c->followUpBy));
    m_handler->setFullText(c->answeredBy.isEmpty() ? QString()
                                                   : tr("Handled by %1").arg(c->answeredBy));
    m_aiLink->setFullText(aiLinkText(c->triageLink));
}

QString CallHeader::failureText(TriageFailureKind kind)
{
    switch (kind) {
    case TriageFailureKind::None:
        return QString();
    case TriageFailureKind::Transient:
        return tr("connection failed");
    case TriageFailureKind::Quota:
        return tr("quota exceeded");
    case TriageFailureKind::ApiKey:
        return tr("API key refused");
    case TriageFailureKind::Credentials:
        return tr("Vertex AI refused the service-account credentials");
    case TriageFailureKind::ModelNotFound:
        return tr("model not found");
    case TriageFailureKind::BadRequest:
        return tr("request refused");
    }
    return QString();
}

// The engine sends codes (and an English technical detail for logs only): the words are ours.
QString CallHeader::aiLinkReasonText(const TriageLink &link)
{
    const QString failure = failureText(link.failure);
    switch (link.reason) {
    case TriageLinkReason::None:
        return failure;
    case TriageLinkReason::LocalSelected:
        return tr("local triage selected");
    case TriageLinkReason::NoApiKey:
        return tr("no API key");
    case TriageLinkReason::WaitingForSlot:
        return tr("waiting for an AI slot (%1 of %2 in use)").arg(link.arg(0)).arg(link.arg(1));
    case TriageLinkReason::BreakerOpen:
        return tr("AI unavailable (%1); retrying in %2 s").arg(failure).arg(link.arg(0));
    case TriageLinkReason::Fallback:
        return tr("fallback: %1").arg(failure);
    case TriageLinkReason::LocalMeanwhile:
        return tr("local triage meanwhile");
    }
    return QString();
}

QString CallHeader::aiLinkText(const TriageLink &link)
{
    const QString state = triageLinkLabel(link.state);
    const QString reason = aiLinkReasonText(link);
    if (state.isEmpty() || reason.isEmpty())
        return state;
    return tr("%1 (%2)").arg(state, reason);
}

QString CallHeader::text() const
{
    QStringList parts;
    for (const ElidedLabel *l : {m_title, m_connection, m_handler, m_aiLink}) {
        if (!l->text().isEmpty())
            parts << l->toolTip();
    }
    return parts.join(QStringLiteral(" — "));
}

} // namespace dispatch
