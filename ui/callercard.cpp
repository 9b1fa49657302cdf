#include "callercard.h"
#include "placetext.h"

#include "callqueuemodel.h"
#include "calls/callstore.h"
#include "elidedlabel.h"
#include "theme.h"

#include <QGridLayout>

namespace dispatch {

namespace {

QString colored(const QColor &color)
{
    return QStringLiteral("color: %1;").arg(color.name());
}

// Who accepted the location: the person on its timeline event (empty when not known).
QString acceptedBy(const Call &call)
{
    for (auto it = call.timeline.crbegin(); it != call.timeline.crend(); ++it) {
        if (it->kind == CallEventKind::LocationAccepted)
            return it->actor.isPerson() && !it->actor.name.isEmpty() ? it->actor.name : it->detail;
    }
    return QString();
}

} // namespace

CallerCard::CallerCard(CallStore &store, QWidget *parent)
    : QFrame(parent)
    , m_store(store)
    , m_caller(new ElidedLabel(this))
    , m_callback(new ElidedLabel(this))
    , m_location(new ElidedLabel(this))
    , m_verification(new ElidedLabel(this))
    , m_address(new ElidedLabel(this))
{
    setObjectName(QStringLiteral("callerCard"));
    setFrameShape(QFrame::StyledPanel);
    setAccessibleName(tr("Caller and location"));
    QFont bold = font();
    bold.setBold(true);
    m_caller->setFont(bold);
    m_caller->setObjectName(QStringLiteral("callerLabel"));
    m_callback->setObjectName(QStringLiteral("callbackMethod"));
    m_location->setObjectName(QStringLiteral("callerLocation"));
    m_verification->setObjectName(QStringLiteral("locationVerification"));
    m_callback->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_verification->setAlignment(Qt::AlignRight | Qt::AlignVCenter);
    m_address->setObjectName(QStringLiteral("siteAddress"));

    auto *layout = new QGridLayout(this);
    layout->setContentsMargins(6, 3, 6, 3);
    layout->setVerticalSpacing(1);
    for (ElidedLabel *l : {m_caller, m_callback, m_location, m_verification, m_address})
        l->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    layout->addWidget(m_caller, 0, 0);
    layout->addWidget(m_callback, 0, 1);
    layout->addWidget(m_location, 1, 0);
    layout->addWidget(m_verification, 1, 1);
    layout->addWidget(m_address, 2, 0, 1, 2);
    layout->setColumnStretch(0, 3);
    layout->setColumnStretch(1, 2);

    auto ifShown = [this](const QString &id) {
        if (id == m_callId)
            refresh();
    };
    connect(&store, &CallStore::locationUpdated, this, ifShown);
    connect(&store, &CallStore::locationAccepted, this, ifShown);
    connect(&store, &CallStore::callStateChanged, this, ifShown);
    connect(&store, &CallStore::callRemoved, this, ifShown);
    m_tick.setInterval(1000);
    connect(&m_tick, &QTimer::timeout, this, [this] {
        if (const Call *c = m_store.call(m_callId); c && c->location)
            refreshLocation(*c);
    });
    m_tick.start();
    refresh();
}

void CallerCard::setCall(const QString &callId)
{
    m_callId = callId;
    refresh();
}

void CallerCard::refresh()
{
    const Call *c = m_store.call(m_callId);
    if (!c) {
        for (ElidedLabel *l : {m_caller, m_callback, m_location, m_verification, m_address})
            l->setFullText(QString());
        m_caller->setFullText(tr("No call selected"));
        return;
    }
    m_caller->setFullText(tr("Caller %1").arg(callerLabel(c->id)), tr("Caller %1").arg(c->id));
    m_callback->setFullText(
        tr("Callback: phone page/app (no phone number)"),
        tr("No phone number: to call back, the caller's phone page or app reconnects over the "
           "network with its call credential."));
    m_callback->setStyleSheet(colored(mutedTextColor()));
    refreshLocation(*c);

    if (!c->location) {
        m_verification->setFullText(QString());
        m_address->setFullText(QString());
        return;
    }
    if (c->locationAccepted) {
        const QString by = acceptedBy(*c);
        m_verification->setFullText(by.isEmpty() ? tr("Verified") : tr("Verified by %1").arg(by));
        m_verification->setStyleSheet(QString());
    } else {
        m_verification->setFullText(tr("Unverified (phone GPS) · Ctrl+L accepts"));
        m_verification->setStyleSheet(colored(cautionTextColor()));
    }
    const geo::AddressMatch &a = c->address;
    if (a.status == geo::AddressStatus::NoData)
        m_address->setFullText(PlaceText::match(a),
                               tr("This site has no address points: the console cannot name an "
                                  "address for a location."));
    else
        m_address->setFullText(PlaceText::match(a));
    m_address->setStyleSheet(a.found() ? QString() : colored(mutedTextColor()));
}

void CallerCard::refreshLocation(const Call &c)
{
    if (!c.location) {
        m_location->setFullText(tr("No location yet"));
        m_location->setStyleSheet(colored(mutedTextColor()));
        return;
    }
    const GeoLocation &l = *c.location;
    // 4 decimals is ~11 m, as fine as a phone's fix means; the address says more.
    QString text = PlaceText::coordinates(l, 4);
    if (l.accuracyMeters)
        text = tr("%1 ± %2 m").arg(text).arg(qRound(*l.accuracyMeters));
    if (l.receivedAt.isValid())
        text = tr("%1 · %2").arg(text, fixAgeText(l.receivedAt.secsTo(m_store.now())));
    m_location->setFullText(
        text, tr("%1, %2 (WGS 84)").arg(l.latitude, 0, 'f', 6).arg(l.longitude, 0, 'f', 6));
    m_location->setStyleSheet(QString());
}

QString CallerCard::fixAgeText(qint64 seconds)
{
    seconds = std::max<qint64>(0, seconds);
    if (seconds < 60)
        return tr("fix %1 s ago").arg(seconds);
    if (seconds < 3600)
        return tr("fix %1 min ago").arg(seconds / 60);
    return tr("fix %1 h ago").arg(seconds / 3600);
}

QString CallerCard::callerText() const
{
    return m_caller->text();
}

QString CallerCard::callbackText() const
{
    return m_callback->text();
}

QString CallerCard::locationText() const
{
    return m_location->text();
}

QString CallerCard::verificationText() const
{
    return m_verification->text();
}

QString CallerCard::addressText() const
{
    return m_address->text();
}

} // namespace dispatch
