#pragma once

#include "common/clock.h"
#include "storage/callhistory.h"

#include <QWidget>

#include <optional>

class QComboBox;
class QDateTimeEdit;
class QDoubleSpinBox;
class QLabel;
class QLineEdit;
class QPushButton;
class QSpinBox;

namespace dispatch {

// The history filters as a form: a time range (this shift, last 24 h, last 7 days, custom),
// a place with a radius and/or a box, a response type, a minimum severity and free text.
// Turns them into a HistoryQuery, or says what is wrong with them.
class HistorySearch : public QWidget
{
    Q_OBJECT

public:
    enum class Range
    {
        ThisShift,
        Last24Hours,
        Last7Days,
        Custom
    };
    static constexpr int ShiftHours = 12;

    explicit HistorySearch(Clock clock, QDateTime consoleStartedAt, QWidget *parent = nullptr);

    // A shift is the longer of "since this console started" and "the last 12 hours".
    static QDateTime shiftStart(const QDateTime &consoleStartedAt, const QDateTime &now);

    void setRange(Range range);
    Range range() const;
    void setCustomRange(const QDateTime &from, const QDateTime &to);
    void setNear(double latitude, double longitude, double radiusKm);
    void setBox(double south, double west, double north, double east);
    void setResponseType(const QString &stored); // "" for any
    void setMinSeverity(int severity);           // 0 for any
    void setText(const QString &text);
    void clearFilters(); // everything but the time range
    void focusText();

    // The query the form describes, or nothing with `error` set.
    std::optional<HistoryQuery> query(QString *error) const;

Q_SIGNALS:
    void searchRequested();

private:
    void updateRangeEditors();
    QDateTime presetStart(const QDateTime &now) const;

    Clock m_clock;
    QDateTime m_consoleStartedAt;
    QComboBox *m_range;
    QDateTimeEdit *m_from;
    QDateTimeEdit *m_to;
    QLineEdit *m_place;
    QDoubleSpinBox *m_radius;
    QLineEdit *m_box;
    QComboBox *m_type;
    QSpinBox *m_severity;
    QLineEdit *m_text;
    QPushButton *m_search;
};

} // namespace dispatch
