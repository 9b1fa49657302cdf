#pragma once

#include "geo/siteaddress.h"

#include <QFrame>
#include <QTimer>

namespace dispatch {

class CallStore;
class ElidedLabel;
struct Call;

// Who is calling and where, for the selected call: the caller's short label and how to call
// them back (the phone page or app, over the network: there is no phone number), the location
// at a precision that means something, its uncertainty, the age of the fix, whether a person
// verified it, and the site address nearest to it when the site has address points. Every
// field is one elided line with the whole text in its tooltip, so the card's size never
// follows its text.
class CallerCard : public QFrame
{
    Q_OBJECT

public:
    explicit CallerCard(CallStore &store, QWidget *parent = nullptr);

    void setCall(const QString &callId);

    // The full text of each field (for tests and accessibility).
    QString callerText() const;
    QString callbackText() const;
    QString locationText() const;
    QString verificationText() const;
    QString addressText() const;

    // "fix 12 s ago", "fix 3 min ago", "fix 2 h ago".
    static QString fixAgeText(qint64 seconds);

private:
    void refresh();
    void refreshLocation(const Call &call);

    CallStore &m_store;
    QString m_callId;
    ElidedLabel *m_caller;
    ElidedLabel *m_callback;
    ElidedLabel *m_location;
    ElidedLabel *m_verification;
    ElidedLabel *m_address;
    QTimer m_tick; // the fix's age
};

} // namespace dispatch
