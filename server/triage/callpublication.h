#pragma once

#include "domain/triagereport.h"

#include <algorithm>

#include <QString>

#include <optional>

namespace dispatch {

// What the router has published for one call, and what the local engine said while it was not
// shown (the shadow), so that a switch of source shows the right assessment at once: the
// shadow's latest on failover or after the grace, the primary's again when it is live again.
// Plain bookkeeping: the router decides when, and emits.
class CallPublication
{
public:
    struct Critical
    {
        QString reason;
        int severity = 0;
    };

    // A report went out; `primaryHoldsSlot`: the call has a primary session at the time.
    void published(const TriageReport &report, bool primaryHoldsSlot, qint64 sinceStartMs);
    void flagged(int severity) { m_severity = std::max(m_severity, severity); }
    void primaryReported(const TriageReport &report) { m_lastPrimary = report; }
    void primaryFlagged() { m_primaryFlagged = true; }
    // The local engine's output while it is not shown.
    void keepLocal(const TriageReport &report) { m_shadowReport = report; }
    void keepLocalCritical(const QString &reason, int severity);
    // A stopped engine's conclusions must not come back on a failover.
    void forgetLocal();

    // Local takes over: its latest report (unless it is what is shown), its critical flag
    // (unless the primary flagged; taken once).
    std::optional<TriageReport> localToShow() const;
    std::optional<Critical> takeLocalCritical();
    // The primary is live again after local spoke meanwhile: its latest report (taken once).
    std::optional<TriageReport> takePrimaryToShowAgain();

    int severity() const { return m_severity; }
    int reports() const { return m_reports; }
    qint64 firstReportMs() const { return m_firstReportMs; } // -1: none yet

private:
    int m_severity = 0;
    int m_reports = 0;
    qint64 m_firstReportMs = -1;
    std::optional<TriageReport> m_lastPublished;
    std::optional<TriageReport> m_lastPrimary;
    std::optional<TriageReport> m_shadowReport;
    std::optional<Critical> m_shadowCritical;
    bool m_primaryFlagged = false;
    bool m_localPublishedMeanwhile = false;
};

} // namespace dispatch
