#pragma once

#include "triage/triagereport.h"

#include <QWidget>

class QLabel;
class QListWidget;
class QPushButton;

namespace dispatch {

// The current assessment of a call (severity badge, response type, summary, keywords, caller
// state, can speak) and how it got there: every report with its time, source and provenance.
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
    QLabel *m_type;
    QLabel *m_summary;
    QLabel *m_details;
    QListWidget *m_history;
    QPushButton *m_override;
};

QColor severityColor(int severity);
QString responseTypeLabel(ResponseType type);
QString emotionalStateLabel(EmotionalState state);
QString sourceLabel(TriageSource source);

} // namespace dispatch
