#include "historysearch.h"

#include "triagecard.h"

#include <QComboBox>
#include <QDateTimeEdit>
#include <QDoubleSpinBox>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QLocale>
#include <QPushButton>
#include <QRegularExpression>
#include <QSpinBox>

namespace dispatch {

namespace {

// "52.52, 13.405" or "52.52 13.405" -> numbers; nothing if the count or a number is wrong.
std::optional<QList<double>> numbers(const QString &text, int count)
{
    const QStringList parts =
        text.split(QRegularExpression(QStringLiteral("[,;\\s]+")), Qt::SkipEmptyParts);
    if (parts.size() != count)
        return std::nullopt;
    QList<double> out;
    for (const QString &p : parts) {
        bool ok = false;
        const double v = QLocale::c().toDouble(p, &ok);
        if (!ok)
            return std::nullopt;
        out << v;
    }
    return out;
}

} // namespace

HistorySearch::HistorySearch(Clock clock, QDateTime consoleStartedAt, QWidget *parent)
    : QWidget(parent)
    , m_clock(std::move(clock))
    , m_consoleStartedAt(std::move(consoleStartedAt))
    , m_range(new QComboBox(this))
    , m_from(new QDateTimeEdit(this))
    , m_to(new QDateTimeEdit(this))
    , m_place(new QLineEdit(this))
    , m_radius(new QDoubleSpinBox(this))
    , m_box(new QLineEdit(this))
    , m_type(new QComboBox(this))
    , m_severity(new QSpinBox(this))
    , m_text(new QLineEdit(this))
    , m_search(new QPushButton(tr("&Search"), this))
{
    m_range->addItem(tr("This shift"), int(Range::ThisShift));
    m_range->addItem(tr("Last 24 hours"), int(Range::Last24Hours));
    m_range->addItem(tr("Last 7 days"), int(Range::Last7Days));
    m_range->addItem(tr("Custom"), int(Range::Custom));
    m_range->setAccessibleName(tr("Time range"));
    for (QDateTimeEdit *edit : {m_from, m_to}) {
        edit->setCalendarPopup(true);
        edit->setDisplayFormat(QStringLiteral("yyyy-MM-dd HH:mm"));
    }
    m_from->setAccessibleName(tr("From"));
    m_to->setAccessibleName(tr("To"));
    m_place->setPlaceholderText(tr("lat, lon"));
    m_place->setAccessibleName(tr("Near place (latitude, longitude)"));
    m_radius->setRange(0.1, 500);
    m_radius->setValue(2);
    m_radius->setSuffix(tr(" km"));
    m_radius->setAccessibleName(tr("Radius"));
    m_box->setPlaceholderText(tr("south, west, north, east"));
    m_box->setAccessibleName(tr("Inside box"));
    m_type->addItem(tr("Any type"), QString());
    for (ResponseType t :
         {ResponseType::Medical, ResponseType::Police, ResponseType::Fire, ResponseType::Unknown})
        m_type->addItem(responseTypeLabel(t), toString(t));
    m_type->setAccessibleName(tr("Response type"));
    m_severity->setRange(0, 5);
    m_severity->setSpecialValueText(tr("any"));
    m_severity->setAccessibleName(tr("Minimum severity"));
    m_text->setPlaceholderText(tr("words in the transcript or triage summary"));
    m_text->setAccessibleName(tr("Text"));
    m_text->setClearButtonEnabled(true);

    auto *form = new QFormLayout(this);
    form->setContentsMargins(0, 0, 0, 0);
    auto *when = new QHBoxLayout;
    when->addWidget(m_range);
    when->addWidget(m_from, 1);
    when->addWidget(m_to, 1);
    form->addRow(tr("When"), when);
    auto *where = new QHBoxLayout;
    where->addWidget(m_place, 2);
    where->addWidget(m_radius, 1);
    where->addWidget(m_box, 3);
    form->addRow(tr("Where"), where);
    auto *what = new QHBoxLayout;
    what->addWidget(m_type, 1);
    what->addWidget(new QLabel(tr("Severity at least"), this));
    what->addWidget(m_severity);
    form->addRow(tr("What"), what);
    auto *text = new QHBoxLayout;
    text->addWidget(m_text, 1);
    text->addWidget(m_search);
    form->addRow(tr("Text"), text);

    connect(m_range, &QComboBox::currentIndexChanged, this, &HistorySearch::updateRangeEditors);
    connect(m_search, &QPushButton::clicked, this, &HistorySearch::searchRequested);
    for (QLineEdit *edit : {m_place, m_box, m_text})
        connect(edit, &QLineEdit::returnPressed, this, &HistorySearch::searchRequested);
    updateRangeEditors();
}

QDateTime HistorySearch::shiftStart(const QDateTime &consoleStartedAt, const QDateTime &now)
{
    const QDateTime twelveHoursAgo = now.addSecs(-3600LL * ShiftHours);
    return consoleStartedAt.isValid() ? std::min(consoleStartedAt, twelveHoursAgo) : twelveHoursAgo;
}

void HistorySearch::setRange(Range range)
{
    m_range->setCurrentIndex(m_range->findData(int(range)));
}

HistorySearch::Range HistorySearch::range() const
{
    return Range(m_range->currentData().toInt());
}

void HistorySearch::setCustomRange(const QDateTime &from, const QDateTime &to)
{
    setRange(Range::Custom);
    m_from->setDateTime(from.toLocalTime());
    m_to->setDateTime(to.toLocalTime());
}

void HistorySearch::setNear(double latitude, double longitude, double radiusKm)
{
    m_place->setText(QStringLiteral("%1, %2").arg(latitude, 0, 'f', 6).arg(longitude, 0, 'f', 6));
    m_radius->setValue(radiusKm);
}

void HistorySearch::setBox(double south, double west, double north, double east)
{
    m_box->setText(QStringLiteral("%1, %2, %3, %4").arg(south).arg(west).arg(north).arg(east));
}

void HistorySearch::setResponseType(const QString &stored)
{
    m_type->setCurrentIndex(std::max(0, m_type->findData(stored)));
}

void HistorySearch::setMinSeverity(int severity)
{
    m_severity->setValue(severity);
}

void HistorySearch::setText(const QString &text)
{
    m_text->setText(text);
}

void HistorySearch::clearFilters()
{
    m_place->clear();
    m_box->clear();
    m_type->setCurrentIndex(0);
    m_severity->setValue(0);
    m_text->clear();
}

void HistorySearch::focusText()
{
    m_text->setFocus(Qt::ShortcutFocusReason);
    m_text->selectAll();
}

QDateTime HistorySearch::presetStart(const QDateTime &now) const
{
    switch (range()) {
    case Range::ThisShift:
        return shiftStart(m_consoleStartedAt, now);
    case Range::Last24Hours:
        return now.addSecs(-24 * 3600);
    case Range::Last7Days:
        return now.addDays(-7);
    case Range::Custom:
        break;
    }
    return m_from->dateTime().toUTC();
}

void HistorySearch::updateRangeEditors()
{
    const bool custom = range() == Range::Custom;
    m_from->setEnabled(custom);
    m_to->setEnabled(custom);
    if (custom)
        return;
    const QDateTime now = m_clock();
    const QDateTime from = presetStart(now);
    m_from->setDateTime(from.toLocalTime());
    m_to->setDateTime(now.toLocalTime());
}

std::optional<HistoryQuery> HistorySearch::query(QString *error) const
{
    HistoryQuery q;
    const QDateTime now = m_clock();
    q.from = range() == Range::Custom ? m_from->dateTime().toUTC() : presetStart(now);
    // Presets run to now (plus a minute for a call that rang while typing).
    q.to = range() == Range::Custom ? m_to->dateTime().toUTC() : now.addSecs(60);
    if (!m_place->text().trimmed().isEmpty()) {
        const auto v = numbers(m_place->text(), 2);
        if (!v) {
            *error = tr("Write the place as latitude, longitude (for example 52.52, 13.405).");
            return std::nullopt;
        }
        q.near = HistoryQuery::Near{v->at(0), v->at(1), m_radius->value()};
    }
    if (!m_box->text().trimmed().isEmpty()) {
        const auto v = numbers(m_box->text(), 4);
        if (!v) {
            *error = tr("Write the box as south, west, north, east in degrees.");
            return std::nullopt;
        }
        q.box = HistoryQuery::Box{v->at(0), v->at(1), v->at(2), v->at(3)};
    }
    q.responseType = m_type->currentData().toString();
    q.minSeverity = m_severity->value();
    q.text = m_text->text().trimmed();
    if (const QString why = q.validate(); !why.isEmpty()) {
        if (q.from >= q.to)
            *error = tr("The time range is empty: 'from' must be before 'to'.");
        else if (q.near && !(q.near->latitude >= -90 && q.near->latitude <= 90 &&
                             q.near->longitude >= -180 && q.near->longitude <= 180))
            *error = tr("The place is not a valid latitude/longitude.");
        else
            *error = tr("The box must be south, west, north, east with south <= north and "
                        "west <= east.");
        return std::nullopt;
    }
    return q;
}

} // namespace dispatch
