#include "triage/triageoutput.h"

#include "triage/tools/flagcriticaltool.h"
#include "triage/tools/prearrivaltool.h"
#include "triage/tools/reporttriagetool.h"

#include <QJsonArray>

#include <algorithm>

namespace dispatch::gemini {

namespace {

constexpr int MaxRecentCallerLines = 8;

QString normalizedLine(const QString &text)
{
    return text.simplified().toLower();
}

} // namespace

TriageOutput::TriageOutput(TriageOutputConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
{
    m_tools.add(makeReportTriageTool([this](const TriageReport &r) { publishReport(r); }));
    m_tools.add(makeFlagCriticalTool(
        [this](const CriticalFlag &f) { publishCritical(f.reason, f.severity); }));
    if (m_config.prearrival.isEmpty())
        return;
    Tool tool = makePrearrivalTool(m_config.prearrival);
    // The dispatcher sees what the model fetched (once per topic).
    tool.handler = [this, inner = tool.handler](const QJsonObject &args) {
        const QJsonObject response = inner(args);
        const QJsonObject out = response.value(QLatin1String("output")).toObject();
        const QString topic = out.value(QLatin1String("topic")).toString();
        if (!topic.isEmpty() && !m_offeredTopics.contains(topic)) {
            m_offeredTopics.append(topic);
            QStringList steps;
            for (const QJsonValue &s : out.value(QLatin1String("steps")).toArray())
                steps.append(s.toString());
            Q_EMIT prearrivalOffered(topic, out.value(QLatin1String("title")).toString(), steps);
        }
        return response;
    };
    m_tools.add(std::move(tool));
}

void TriageOutput::connectionSwitched(bool replayedHeardAudio)
{
    m_inputText.clear();
    m_outputText.clear();
    m_extractor.reset();
    if (replayedHeardAudio)
        m_lastReplayMs = m_config.monotonic();
}

void TriageOutput::addContent(const ServerContent &content)
{
    if (content.inputTranscription) {
        m_inputText += content.inputTranscription->text;
        flushTranscript(Speaker::Caller, content.inputTranscription->finished);
    }
    if (content.outputTranscription) {
        m_outputText += content.outputTranscription->text;
        flushTranscript(Speaker::Ai, content.outputTranscription->finished);
    }
    if (m_config.textReports) {
        for (const Part &p : content.parts) {
            if (p.thought || p.text.isEmpty())
                continue;
            for (const QJsonObject &o : m_extractor.feed(p.text)) {
                auto report = triageReportFromJson(o, TriageSource::Gemini);
                if (!report)
                    continue;
                publishReport(report.value());
                if (report->critical)
                    publishCritical(report->criticalReason.isEmpty() ? report->situationSummary
                                                                     : report->criticalReason,
                                    report->severity);
            }
        }
    }
    // The model's audio is discarded: it is never played to the caller.
    if (content.turnComplete || content.generationComplete || content.interrupted) {
        flushTranscript(Speaker::Caller, true);
        flushTranscript(Speaker::Ai, true);
        if (content.turnComplete || content.interrupted)
            m_extractor.reset();
    }
}

void TriageOutput::flushTranscript(Speaker speaker, bool final)
{
    QString &text = speaker == Speaker::Ai ? m_outputText : m_inputText;
    const QString line = text.trimmed();
    if (line.isEmpty())
        return;
    if (final) {
        text.clear();
        if (speaker == Speaker::Caller) {
            // Replayed audio is transcribed again: do not show the same line twice.
            const QString key = normalizedLine(line);
            const bool recentReplay =
                m_lastReplayMs >= 0 &&
                m_config.monotonic() - m_lastReplayMs <= m_config.repeatedTranscriptMs;
            if (recentReplay && m_recentCallerLines.contains(key))
                return;
            m_recentCallerLines.append(key);
            while (m_recentCallerLines.size() > MaxRecentCallerLines)
                m_recentCallerLines.removeFirst();
        }
    }
    Q_EMIT transcriptProduced(TranscriptSegment{m_config.clock(), speaker, line, final});
}

void TriageOutput::publishReport(const TriageReport &report)
{
    if (m_lastReport && m_lastReport->sameAssessment(report))
        return; // a resumed session often repeats itself
    m_lastReport = report;
    TriageReport r = report;
    r.source = TriageSource::Gemini;
    if (!r.producedAt.isValid())
        r.producedAt = m_config.clock();
    Q_EMIT reportProduced(r);
}

void TriageOutput::publishCritical(const QString &reason, int severity)
{
    const QString key = normalizedLine(reason);
    if (key.isEmpty() || m_flaggedReasons.contains(key))
        return;
    m_flaggedReasons.append(key);
    Q_EMIT criticalFlagged(reason, std::clamp(severity, 1, 5));
}

} // namespace dispatch::gemini
