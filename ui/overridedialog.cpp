#include "overridedialog.h"

#include "triagecard.h"

#include <QCheckBox>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QPlainTextEdit>
#include <QSpinBox>

namespace dispatch {

OverrideDialog::OverrideDialog(const std::optional<TriageReport> &current, QWidget *parent)
    : QDialog(parent)
    , m_current(current)
    , m_severity(new QSpinBox(this))
    , m_type(new QComboBox(this))
    , m_critical(new QCheckBox(tr("&Critical (life-threatening)"), this))
    , m_summary(new QPlainTextEdit(this))
    , m_note(new QLineEdit(this))
{
    setWindowTitle(tr("Override triage"));
    auto *form = new QFormLayout(this);
    m_severity->setRange(TriageReport::MinSeverity, TriageReport::MaxSeverity);
    m_severity->setValue(current ? current->severity : 3);
    m_severity->setAccessibleName(tr("Severity"));
    for (auto t :
         {ResponseType::Medical, ResponseType::Police, ResponseType::Fire, ResponseType::Unknown})
        m_type->addItem(responseTypeLabel(t), static_cast<int>(t));
    if (current)
        m_type->setCurrentIndex(m_type->findData(static_cast<int>(current->responseType)));
    m_type->setAccessibleName(tr("Response type"));
    m_critical->setChecked(current && current->critical);
    m_critical->setAccessibleName(tr("Critical"));
    m_summary->setPlainText(current ? current->situationSummary : QString());
    m_summary->setTabChangesFocus(true); // Tab leaves the field: the form stays keyboard-driven
    m_summary->setAccessibleName(tr("Summary"));
    m_summary->setFixedHeight(m_summary->fontMetrics().lineSpacing() * 4 + 12);
    m_note->setPlaceholderText(tr("Why (optional)"));
    m_note->setMaxLength(int(TriageReport::MaxSummaryChars));
    m_note->setAccessibleName(tr("Note"));
    m_note->setObjectName(QStringLiteral("note"));
    form->addRow(tr("&Severity (1-5):"), m_severity);
    form->addRow(tr("&Response:"), m_type);
    form->addRow(QString(), m_critical);
    form->addRow(tr("S&ummary:"), m_summary);
    form->addRow(tr("&Note:"), m_note);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
    m_severity->setFocus();
}

TriageReport OverrideDialog::report() const
{
    TriageReport r = m_current.value_or(TriageReport{});
    r.source = TriageSource::Dispatcher;
    r.severity = m_severity->value();
    r.responseType = static_cast<ResponseType>(m_type->currentData().toInt());
    r.situationSummary = m_summary->toPlainText().trimmed().left(TriageReport::MaxSummaryChars);
    r.critical = m_critical->isChecked();
    if (!r.critical)
        r.criticalReason.clear();
    r.note = m_note->text().trimmed();
    // A person's judgement: no engine's confidence or evidence applies to it.
    r.confidence = TriageConfidence::Normal;
    r.confidenceReason.clear();
    r.provenance.clear();
    r.producedAt = QDateTime();
    return r;
}

} // namespace dispatch
