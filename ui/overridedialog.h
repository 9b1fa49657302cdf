#pragma once

#include "domain/triagereport.h"

#include <QDialog>

class QComboBox;
class QLineEdit;
class QSpinBox;

namespace dispatch {

// The dispatcher sets severity and response type; the AI's values stay in the history.
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
    QLineEdit *m_note;
};

} // namespace dispatch
