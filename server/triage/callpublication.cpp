#include "triage/callpublication.h"

#include <algorithm>
#include <utility>

namespace dispatch {

void CallPublication::published(const TriageReport &report, bool primaryHoldsSlot,
                                qint64 sinceStartMs)
{
    m_lastPublished = report;
    m_severity = report.severity;
    ++m_reports;
    if (m_firstReportMs < 0)
        m_firstReportMs = std::max<qint64>(0, sinceStartMs);
    if (primaryHoldsSlot && report.source == TriageSource::Local)
        m_localPublishedMeanwhile = true;
}

void CallPublication::keepLocalCritical(const QString &reason, int severity)
{
    m_shadowCritical = Critical{reason, severity};
}

void CallPublication::forgetLocal()
{
    m_shadowReport.reset();
    m_shadowCritical.reset();
}

std::optional<TriageReport> CallPublication::localToShow() const
{
    if (!m_shadowReport || (m_lastPublished && m_lastPublished->source == TriageSource::Local &&
                            m_lastPublished->sameAssessment(*m_shadowReport)))
        return std::nullopt;
    return m_shadowReport;
}

std::optional<CallPublication::Critical> CallPublication::takeLocalCritical()
{
    auto critical = std::exchange(m_shadowCritical, std::nullopt);
    return m_primaryFlagged ? std::nullopt : critical;
}

std::optional<TriageReport> CallPublication::takePrimaryToShowAgain()
{
    if (!std::exchange(m_localPublishedMeanwhile, false))
        return std::nullopt;
    return m_lastPrimary;
}

} // namespace dispatch
