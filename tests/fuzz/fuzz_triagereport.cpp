// Triage reports from the model: JSON objects pulled out of streamed text (JsonReportExtractor,
// TEXT modality) and the arguments of the report_triage / flag_critical tool calls, both through
// TriageOutput as the Gemini backend wires them, plus triageReportFromJson on every object.
//
// Input layout: byte 0 picks the chunk length the text is streamed in, byte 1 the extractor's
// object bound, the rest is the model's text (and, if it is a JSON object, the tool arguments).

#include "domain/triagereport.h"
#include "fuzztarget.h"
#include "triage/jsonreportextractor.h"
#include "triage/triageoutput.h"

#include <QJsonDocument>

#include <cmath>

using namespace dispatch;
using namespace dispatch::gemini;

namespace {

// What a report's severity must be for this input: the number rounded, then limited to 1-5.
std::optional<int> expectedSeverity(const QJsonObject &o)
{
    const QJsonValue v = o.value(QLatin1String("severity"));
    bool ok = v.isDouble();
    double d = 0;
    if (v.isDouble())
        d = v.toDouble();
    else if (v.isString())
        d = v.toString().toDouble(&ok);
    else
        return std::nullopt;
    if (!ok || !std::isfinite(d))
        return std::nullopt;
    if (d <= TriageReport::MinSeverity)
        return TriageReport::MinSeverity;
    if (d >= TriageReport::MaxSeverity)
        return TriageReport::MaxSeverity;
    return static_cast<int>(std::lround(d));
}

void checkReport(const TriageReport &r)
{
    FUZZ_CHECK(r.severity >= TriageReport::MinSeverity && r.severity <= TriageReport::MaxSeverity,
               "severity outside 1-5");
    FUZZ_CHECK(r.situationSummary.size() <= TriageReport::MaxSummaryChars, "summary too long");
    FUZZ_CHECK(r.criticalReason.size() <= TriageReport::MaxSummaryChars, "reason too long");
    FUZZ_CHECK(r.detectedKeywords.size() <= TriageReport::MaxKeywords, "too many keywords");
    for (const QString &k : r.detectedKeywords)
        FUZZ_CHECK(!k.isEmpty() && k.size() <= TriageReport::MaxKeywordChars, "keyword");
}

void checkObject(const QJsonObject &o)
{
    const auto report = triageReportFromJson(o, TriageSource::Gemini);
    if (!report)
        return;
    checkReport(report.value());
    if (const auto expected = expectedSeverity(o))
        FUZZ_CHECK(report->severity == *expected, "severity is not the clamped input");
}

QList<QJsonObject> extract(const QString &text, qsizetype chunk, qsizetype maxChars, int *dropped)
{
    JsonReportExtractor extractor(maxChars);
    QList<QJsonObject> out;
    for (qsizetype at = 0; at < text.size(); at += chunk) {
        out += extractor.feed(text.mid(at, chunk));
        FUZZ_CHECK(extractor.bufferedChars() <= maxChars, "extractor buffer above its bound");
    }
    // Linear time: rescans inside invalid candidates are bounded by the characters fed.
    FUZZ_CHECK(extractor.scannedChars() <=
                   (JsonReportExtractor::RescanBudgetFactor + 2) * extractor.fedChars() + maxChars,
               "extractor work is not linear in its input");
    *dropped = extractor.droppedObjects() + extractor.abandonedCandidates();
    return out;
}

} // namespace

DISPATCH_FUZZ_TARGET(triagereport)
{
    if (size < 2)
        return 0;
    const qsizetype chunk = data[0] % 64 + 1;
    const qsizetype maxChars = qsizetype(64) << (data[1] % 8); // 64 .. 8192
    const QByteArray body = fuzz::bytes(data + 2, size - 2);
    const QString text = QString::fromUtf8(body);

    // Chunk boundaries must not change what is found, as long as nothing hit a bound (size, or
    // the rescan budget, which is spent sooner when less has been fed).
    int droppedChunked = 0;
    int droppedWhole = 0;
    const QList<QJsonObject> chunked = extract(text, chunk, maxChars, &droppedChunked);
    const QList<QJsonObject> whole = extract(text, text.size() + 1, maxChars, &droppedWhole);
    if (droppedChunked == 0 && droppedWhole == 0)
        FUZZ_CHECK(chunked == whole, "chunking changed the extracted objects");
    for (const QJsonObject &o : chunked)
        checkObject(o);

    // The backend path: text parts and tool calls through TriageOutput.
    TriageOutputConfig config;
    config.textReports = true;
    TriageOutput output(config);
    int reports = 0;
    QObject::connect(&output, &TriageOutput::reportProduced, [&reports](const TriageReport &r) {
        checkReport(r);
        ++reports;
    });
    QObject::connect(&output, &TriageOutput::criticalFlagged,
                     [](const QString &reason, int severity) {
                         FUZZ_CHECK(!reason.trimmed().isEmpty(), "critical flag without reason");
                         FUZZ_CHECK(severity >= 1 && severity <= 5, "critical severity");
                     });
    for (qsizetype at = 0; at < text.size(); at += chunk) {
        ServerContent content;
        Part part;
        part.text = text.mid(at, chunk);
        content.parts.append(part);
        output.addContent(content);
    }

    const QJsonDocument doc = QJsonDocument::fromJson(body);
    if (doc.isObject()) {
        ToolCall call;
        call.functionCalls = {{QStringLiteral("1"), QStringLiteral("report_triage"), doc.object()},
                              {QStringLiteral("2"), QStringLiteral("flag_critical"), doc.object()}};
        const int before = reports;
        // As the LiveSupervisor answers a toolCall: one dispatch per function call.
        QList<FunctionResponse> responses;
        for (const FunctionCall &f : call.functionCalls)
            responses.append(output.tools().dispatch(f).response);
        FUZZ_CHECK(responses.size() == 2, "one response per function call");
        for (qsizetype i = 0; i < responses.size(); ++i) {
            const FunctionResponse &r = responses.at(i);
            FUZZ_CHECK(r.id == call.functionCalls.at(i).id &&
                           r.name == call.functionCalls.at(i).name,
                       "response does not echo the call");
            FUZZ_CHECK(r.response.contains(QLatin1String("output")) !=
                           r.response.contains(QLatin1String("error")),
                       "response needs exactly one of output and error");
        }
        FUZZ_CHECK(reports - before <= 1, "one tool call produced several reports");
    }
    return 0;
}
