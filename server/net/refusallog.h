#pragma once

#include <QHash>
#include <QString>

namespace dispatch {

// Keeps a flood of refused connections from one address from flooding the log too: the first
// few refusals per address in each window are logged, the rest are only counted, and the next
// logged line says how many were left out. (Every refusal is still counted in /metrics.)
class RefusalLog
{
public:
    static constexpr int LinesPerWindow = 5;
    static constexpr qint64 WindowMs = 10'000;

    // Whether to log this refusal from `peer` at `nowMs` (monotonic). `*leftOut` is how many
    // refusals from it were not logged since the last line that was.
    bool shouldLog(const QString &peer, qint64 nowMs, int *leftOut);
    qsizetype trackedAddresses() const { return m_windows.size(); }

private:
    struct Window
    {
        qint64 startMs = 0;
        int logged = 0;
        int leftOut = 0;
    };
    void prune(qint64 nowMs);

    QHash<QString, Window> m_windows;
};

} // namespace dispatch
