#pragma once

#include "domain/triagereport.h"
#include "theme.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace dispatch {

class ElidedLabel;

// The current assessment of a call (severity badge, response type, summary, keywords, caller
// state, can speak) and how it got there: every report with its time, source and provenance.
// A low-confidence report (keywords only) is shown as a lead, not an assessment: muted badge,
// "Keywords only — listen to the caller" instead of a response-type headline, and no critical
// styling of its own.
class TriageCard : public QWidget
{
    Q_OBJECT

public:
    explicit TriageCard(QWidget *parent = nullptr);

    void showReports(const std::optional<TriageReport> &current,
                     const QList<TriageReport> &history);
    void clear();

Q_SIGNALS:
    void overrideRequested();

private:
    QLabel *m_severity;
    ElidedLabel *m_type;
    QLabel *m_summary;
    QLabel *m_details;
    QListWidget *m_history;
    QPushButton *m_override;
};

QString responseTypeLabel(ResponseType type);
QString emotionalStateLabel(EmotionalState state);
QString sourceLabel(TriageSource source);
// "Keywords only — listen to the caller", ...; empty for a normal report.
QString confidenceHeadline(const TriageReport &report);
// A report's confidence reason (an engine code) for the dispatcher, translated.
QString confidenceReasonText(const QString &reason);

} // namespace dispatch
