#include "triage/tools/reporttriagetool.h"

#include <QJsonObject>

namespace dispatch::gemini {

Tool makeReportTriageTool(TriageReportSink sink)
{
    ToolDeclaration d;
    d.name = QStringLiteral("report_triage");
    d.description = QStringLiteral(
        "Report your current assessment of the emergency call. Call it as soon as you understand "
        "the situation and again whenever the assessment changes.");
    d.parameters = {
        stringParameter(QStringLiteral("situation_summary"),
                        QStringLiteral("One or two sentences: what is happening, to whom, where."),
                        true, TriageReport::MaxSummaryChars),
        stringArrayParameter(QStringLiteral("detected_keywords"),
                             QStringLiteral("Short key phrases heard, e.g. 'not breathing'."),
                             TriageReport::MaxKeywords, TriageReport::MaxKeywordChars),
        enumParameter(QStringLiteral("caller_emotional_state"),
                      QStringLiteral("The caller's emotional state."),
                      {QStringLiteral("calm"), QStringLiteral("distressed"),
                       QStringLiteral("panicked"), QStringLiteral("unresponsive"),
                       QStringLiteral("unknown")}),
        enumParameter(QStringLiteral("recommended_response_type"),
                      QStringLiteral("Which service should respond."),
                      {QStringLiteral("medical"), QStringLiteral("police"), QStringLiteral("fire"),
                       QStringLiteral("unknown")},
                      true),
        // Clamped, not refused: a "7" still means "very severe" and must never be lost.
        integerParameter(QStringLiteral("severity"),
                         QStringLiteral("1 = minor, 5 = immediately life-threatening."),
                         TriageReport::MinSeverity, TriageReport::MaxSeverity, RangePolicy::Clamp,
                         true),
        booleanParameter(QStringLiteral("can_speak"),
                         QStringLiteral("False if the caller cannot talk freely.")),
    };

    return Tool{d, [sink = std::move(sink)](const QJsonObject &args) {
                    auto report = triageReportFromJson(args, TriageSource::Gemini);
                    if (!report)
                        return toolError(report.error().message);
                    if (sink)
                        sink(report.value());
                    return toolOutput(QJsonObject{{QStringLiteral("recorded"), true},
                                                  {QStringLiteral("severity"), report->severity}});
                }};
}

} // namespace dispatch::gemini
