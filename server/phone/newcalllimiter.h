#pragma once

#include <QHash>
#include <QList>
#include <QString>

namespace dispatch {

// Who may start a new call: a cap on one address's live unanswered calls and on the rate at
// which it starts calls. Pure: the caller gives the time and the count of ringing calls.
class NewCallLimiter
{
public:
    struct Limits
    {
        int maxRingingPerAddress = 6; // 0: no cap
        int maxCallsPerWindow = 20;   // new calls from one address per window; 0: no cap
        int windowMs = 60'000;
    };
    enum class Verdict
    {
        Admit,
        TooManyRinging,
        TooFast
    };

    explicit NewCallLimiter(Limits limits);

    // Counts an admitted call against the address.
    Verdict admit(const QString &address, int ringingFromAddress, qint64 nowMs);

private:
    Limits m_limits;
    QHash<QString, QList<qint64>> m_starts; // per address, admitted starts inside the window
};

} // namespace dispatch
