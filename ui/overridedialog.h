#pragma once

#include "domain/triagereport.h"

#include <QDialog>

class QCheckBox;
class QComboBox;
class QLineEdit;
class QPlainTextEdit;
class QSpinBox;

namespace dispatch {

// The dispatcher replaces the assessment: response type, severity, critical (set or cleared)
// and summary, with a note saying why; the AI's reports stay in the history. Every field is
// reached by Tab or its Alt shortcut; Enter in a one-line field accepts.
class OverrideDialog : public QDialog
{
    Q_OBJECT

public:
    OverrideDialog(const std::optional<TriageReport> &current, QWidget *parent = nullptr);
    TriageReport report() const;

private:
    std::optional<TriageReport> m_current;
    QSpinBox *m_severity;
    QComboBox *m_type;
    QCheckBox *m_critical;
    QPlainTextEdit *m_summary;
    QLineEdit *m_note;
};

} // namespace dispatch
