#include "triagecard.h"

#include <QColor>
#include <QGridLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>

namespace dispatch {

QColor severityColor(int severity)
{
    switch (severity) {
    case 5:
        return QColor(0xc6, 0x28, 0x28);
    case 4:
        return QColor(0xef, 0x6c, 0x00);
    case 3:
        return QColor(0xf9, 0xa8, 0x25);
    case 2:
        return QColor(0x7c, 0xb3, 0x42);
    default:
        return QColor(0x43, 0xa0, 0x47);
    }
}

QString responseTypeLabel(ResponseType type)
{
    switch (type) {
    case ResponseType::Medical:
        return TriageCard::tr("Medical");
    case ResponseType::Police:
        return TriageCard::tr("Police");
    case ResponseType::Fire:
        return TriageCard::tr("Fire");
    case ResponseType::Unknown:
        break;
    }
    return TriageCard::tr("Unknown");
}

QString emotionalStateLabel(EmotionalState state)
{
    switch (state) {
    case EmotionalState::Calm:
        return TriageCard::tr("calm");
    case EmotionalState::Distressed:
        return TriageCard::tr("distressed");
    case EmotionalState::Panicked:
        return TriageCard::tr("panicked");
    case EmotionalState::Unresponsive:
        return TriageCard::tr("unresponsive");
    case EmotionalState::Unknown:
        break;
    }
    return TriageCard::tr("unknown");
}

QString sourceLabel(TriageSource source)
{
    switch (source) {
    case TriageSource::Gemini:
        return TriageCard::tr("AI (Gemini)");
    case TriageSource::Dispatcher:
        return TriageCard::tr("Dispatcher");
    case TriageSource::Local:
        break;
    }
    return TriageCard::tr("AI (local)");
}

TriageCard::TriageCard(QWidget *parent)
    : QWidget(parent)
    , m_severity(new QLabel(this))
    , m_type(new QLabel(this))
    , m_summary(new QLabel(this))
    , m_details(new QLabel(this))
    , m_history(new QListWidget(this))
    , m_override(new QPushButton(tr("&Override..."), this))
{
    auto *layout = new QGridLayout(this);
    m_severity->setAlignment(Qt::AlignCenter);
    m_severity->setMinimumSize(72, 72);
    m_severity->setAccessibleName(tr("Severity"));
    QFont big = font();
    big.setPointSizeF(big.pointSizeF() * 2.4);
    big.setBold(true);
    m_severity->setFont(big);
    QFont typeFont = font();
    typeFont.setPointSizeF(typeFont.pointSizeF() * 1.5);
    typeFont.setBold(true);
    m_type->setFont(typeFont);
    m_summary->setWordWrap(true);
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::PlainText);
    m_history->setAccessibleName(tr("Triage history"));
    m_override->setToolTip(tr("Set severity and response type yourself (Ctrl+O)"));
    connect(m_override, &QPushButton::clicked, this, &TriageCard::overrideRequested);

    layout->addWidget(m_severity, 0, 0, 2, 1);
    layout->addWidget(m_type, 0, 1);
    layout->addWidget(m_override, 0, 2, Qt::AlignRight);
    layout->addWidget(m_summary, 1, 1, 1, 2);
    layout->addWidget(m_details, 2, 0, 1, 3);
    layout->addWidget(m_history, 3, 0, 1, 3);
    layout->setColumnStretch(1, 1);
    clear();
}

void TriageCard::clear()
{
    m_severity->setText(QStringLiteral("–"));
    m_severity->setStyleSheet(QString());
    m_type->setText(tr("No assessment yet"));
    m_summary->setText(tr("Triage appears here as soon as there is evidence."));
    m_details->clear();
    m_history->clear();
    m_override->setEnabled(false);
}

void TriageCard::showReports(const std::optional<TriageReport> &current,
                             const QList<TriageReport> &history)
{
    m_override->setEnabled(true);
    if (!current) {
        clear();
        m_override->setEnabled(true);
        return;
    }
    const TriageReport &r = *current;
    m_severity->setText(QString::number(r.severity));
    m_severity->setStyleSheet(
        QStringLiteral("QLabel { background: %1; color: white; border-radius: 8px; }")
            .arg(severityColor(r.severity).name()));
    m_type->setText(responseTypeLabel(r.responseType) +
                    (r.critical ? QStringLiteral("  ⚠ ") + tr("critical") : QString()));
    m_summary->setText(r.situationSummary.isEmpty() ? tr("(no summary)") : r.situationSummary);
    m_details->setText(
        tr("Keywords: %1\nCaller: %2, %3\nSource: %4")
            .arg(r.detectedKeywords.isEmpty() ? tr("none")
                                              : r.detectedKeywords.join(QStringLiteral(", ")),
                 emotionalStateLabel(r.emotionalState),
                 r.canSpeak ? tr("can speak") : tr("CANNOT SPEAK"), sourceLabel(r.source)));

    m_history->clear();
    // Newest first; consecutive reports that say the same (source, severity, type, critical,
    // can speak) are one line with a count: engines re-report often, the dispatcher needs the
    // changes. Every report stays in the store and the audit trail.
    auto same = [](const TriageReport &a, const TriageReport &b) {
        return a.source == b.source && a.severity == b.severity &&
               a.responseType == b.responseType && a.critical == b.critical &&
               a.canSpeak == b.canSpeak;
    };
    for (auto it = history.crbegin(); it != history.crend();) {
        auto last = it + 1;
        while (last != history.crend() && same(*last, *it))
            ++last;
        const auto repeats = static_cast<int>(std::distance(it, last));
        QString line = tr("%1  %2  severity %3, %4")
                           .arg(it->producedAt.toLocalTime().toString(QStringLiteral("HH:mm:ss")),
                                sourceLabel(it->source))
                           .arg(it->severity)
                           .arg(responseTypeLabel(it->responseType));
        if (it->critical)
            line += QStringLiteral("  ⚠");
        if (repeats > 1)
            line += tr("  (%n report(s))", nullptr, repeats);
        QStringList why;
        if (!it->situationSummary.isEmpty())
            why << it->situationSummary;
        for (const TriageEvidence &e : it->provenance)
            why << QStringLiteral("%1 ← %2").arg(e.field, e.evidence);
        auto *item = new QListWidgetItem(line, m_history);
        if (!why.isEmpty())
            item->setToolTip(why.join(QLatin1Char('\n')));
        item->setData(Qt::AccessibleDescriptionRole, why.join(QStringLiteral("; ")));
        it = last;
    }
}

} // namespace dispatch
