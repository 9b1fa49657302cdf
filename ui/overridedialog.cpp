#include "overridedialog.h"

#include "triagecard.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QLineEdit>
#include <QSpinBox>

namespace dispatch {

OverrideDialog::OverrideDialog(const std::optional<TriageReport> &current, QWidget *parent)
    : QDialog(parent)
    , m_current(current)
    , m_severity(new QSpinBox(this))
    , m_type(new QComboBox(this))
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
    m_note->setPlaceholderText(tr("Why (optional)"));
    form->addRow(tr("&Severity (1-5):"), m_severity);
    form->addRow(tr("&Response:"), m_type);
    form->addRow(tr("&Note:"), m_note);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

TriageReport OverrideDialog::report() const
{
    TriageReport r = m_current.value_or(TriageReport{});
    r.source = TriageSource::Dispatcher;
    r.severity = m_severity->value();
    r.responseType = static_cast<ResponseType>(m_type->currentData().toInt());
    r.producedAt = QDateTime();
    r.provenance = {{QStringLiteral("severity"), tr("dispatcher override"), m_note->text()}};
    return r;
}

} // namespace dispatch
