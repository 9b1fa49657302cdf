#include "triagecard.h"

#include "elidedlabel.h"

#include <QColor>
#include <QGridLayout>
#include <QLabel>
#include <QListWidget>
#include <QPushButton>

namespace dispatch {

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

QString confidenceReasonText(const QString &reason)
{
    // The engine's codes; older hosts and the recognizer's budget messages send text as it is.
    if (reason == QLatin1String("low_recognition_confidence"))
        return TriageCard::tr("speech not clearly recognized");
    if (reason == QLatin1String("keyword spotting only") || reason == QLatin1String("keywords"))
        return TriageCard::tr("keyword spotting only");
    if (reason == QLatin1String("failed"))
        return TriageCard::tr("speech recognition failed");
    return reason;
}

QString confidenceHeadline(const TriageReport &report)
{
    switch (report.confidence) {
    case TriageConfidence::KeywordsOnly:
        return TriageCard::tr("Keywords only — listen to the caller");
    case TriageConfidence::Low:
        return TriageCard::tr("Low confidence — listen to the caller");
    case TriageConfidence::Normal:
        break;
    }
    return QString();
}

TriageCard::TriageCard(QWidget *parent)
    : QWidget(parent)
    , m_severity(new QLabel(this))
    , m_type(new ElidedLabel(this))
    , m_summary(new QLabel(this))
    , m_details(new QLabel(this))
    , m_history(new QListWidget(this))
    , m_override(new QPushButton(tr("&Override..."), this))
{
    auto *layout = new QGridLayout(this);
    m_severity->setAlignment(Qt::AlignCenter);
    m_severity->setMinimumSize(72, 72);
    m_severity->setAccessibleName(tr("Severity"));
    m_severity->setObjectName(QStringLiteral("severityBadge"));
    m_type->setObjectName(QStringLiteral("headline"));
    m_summary->setObjectName(QStringLiteral("summary"));
    QFont big = font();
    big.setPointSizeF(big.pointSizeF() * 2.4);
    big.setBold(true);
    m_severity->setFont(big);
    QFont typeFont = font();
    typeFont.setPointSizeF(typeFont.pointSizeF() * 1.5);
    typeFont.setBold(true);
    m_type->setFont(typeFont);
    m_type->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Fixed);
    m_summary->setWordWrap(true);
    m_summary->setTextFormat(Qt::PlainText);
    m_summary->setSizePolicy(QSizePolicy::Ignored, QSizePolicy::Preferred);
    m_details->setWordWrap(true);
    m_details->setTextFormat(Qt::PlainText);
    m_history->setAccessibleName(tr("Triage history"));
    m_override->setToolTip(
        tr("Set severity, response type, critical and summary yourself (Ctrl+O)"));
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
    m_severity->setStyleSheet(
        QStringLiteral("QLabel { background: %1; color: white; border-radius: 8px; }")
            .arg(untriagedColor().name()));
    m_type->setFullText(tr("No assessment yet"));
    m_type->setStyleSheet(QString());
    m_summary->setText(tr("Triage appears here as soon as there is evidence."));
    m_summary->setStyleSheet(QString());
    m_summary->setToolTip(QString());
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
    const QString headline = confidenceHeadline(r);
    const bool lowConfidence = !headline.isEmpty();
    // A low-confidence report gets no colour of its own: keyword hits alone are a lead to
    // listen for, never a confident type, severity or critical.
    m_severity->setText(lowConfidence ? tr("%1?").arg(r.severity) : QString::number(r.severity));
    m_severity->setStyleSheet(
        QStringLiteral("QLabel { background: %1; color: %2; border-radius: 8px; }")
            .arg(lowConfidence ? lowConfidenceColor().name() : severityColor(r.severity).name(),
                 lowConfidence ? lowConfidenceTextColor().name()
                               : textColorOn(severityColor(r.severity)).name()));
    m_severity->setToolTip(lowConfidence
                               ? tr("Severity %1 from keywords only: not confirmed").arg(r.severity)
                               : tr("Severity %1").arg(r.severity));
    const QString muted = QStringLiteral("color: %1;").arg(mutedTextColor().name());
    if (lowConfidence) {
        m_type->setFullText(
            headline, r.confidenceReason.isEmpty()
                          ? headline
                          : tr("%1\n(%2)").arg(headline, confidenceReasonText(r.confidenceReason)));
        m_type->setStyleSheet(QStringLiteral("color: %1;").arg(cautionTextColor().name()));
    } else {
        m_type->setFullText(responseTypeLabel(r.responseType) +
                            (r.critical ? QStringLiteral("  ⚠ ") + tr("critical") : QString()));
        m_type->setStyleSheet(QString());
    }
    QString summary = r.situationSummary.isEmpty() ? tr("(no summary)") : r.situationSummary;
    if (lowConfidence) {
        summary = tr("Unconfirmed lead: %1, severity %2%3. %4")
                      .arg(responseTypeLabel(r.responseType))
                      .arg(r.severity)
                      .arg(r.critical ? tr(", possibly critical") : QString(), summary);
    }
    m_summary->setText(summary);
    m_summary->setToolTip(summary);
    m_summary->setStyleSheet(lowConfidence ? muted + QStringLiteral(" font-style: italic;")
                                           : QString());
    m_details->setText(
        tr("Keywords: %1\nCaller: %2, %3\nSource: %4")
            .arg(r.detectedKeywords.isEmpty() ? tr("none")
                                              : r.detectedKeywords.join(QStringLiteral(", ")),
                 emotionalStateLabel(r.emotionalState),
                 r.canSpeak ? tr("can speak") : tr("CANNOT SPEAK"), sourceLabel(r.source)) +
        (r.note.isEmpty() ? QString()
                          : QString(QLatin1Char('\n') + tr("Dispatcher's note: %1").arg(r.note))));
    m_details->setStyleSheet(lowConfidence ? muted : QString());

    m_history->clear();
    // Newest first; consecutive reports that say the same (source, severity, type, critical,
    // can speak) are one line with a count: engines re-report often, the dispatcher needs the
    // changes. Every report stays in the store and the audit trail.
    auto same = [](const TriageReport &a, const TriageReport &b) {
        return a.source == b.source && a.severity == b.severity &&
               a.responseType == b.responseType && a.critical == b.critical &&
               a.canSpeak == b.canSpeak && a.confidence == b.confidence;
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
        if (it->isLowConfidence())
            line += it->confidence == TriageConfidence::KeywordsOnly ? tr("  (keywords only)")
                                                                     : tr("  (low confidence)");
        else if (it->critical)
            line += QStringLiteral("  ⚠");
        if (repeats > 1)
            line += tr("  (%n report(s))", nullptr, repeats);
        QStringList why;
        if (!it->situationSummary.isEmpty())
            why << it->situationSummary;
        if (!it->note.isEmpty())
            why << tr("Dispatcher's note: %1").arg(it->note);
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
