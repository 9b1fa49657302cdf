#pragma once

#include "common/clock.h"
#include "common/monotonicclock.h"
#include "domain/call.h"
#include "domain/triagereport.h"
#include "gemini/livemessages.h"
#include "gemini/toolregistry.h"
#include "triage/jsonreportextractor.h"
#include "triage/prearrivalknowledge.h"

#include <QObject>

#include <optional>

namespace dispatch::gemini {

struct TriageOutputConfig
{
    bool textReports = false; // read JSON reports from text parts (TEXT modality)
    PrearrivalKnowledge prearrival;
    int repeatedTranscriptMs = 20000; // after a replay, identical caller lines are not repeated
    Clock clock = systemClock();      // timestamps of transcripts and reports
    MonotonicClock monotonic = steadyClock(); // times repeatedTranscriptMs
};

// Turns what a triage session's model produces into triage events, across all its connections:
// the tools' calls (the registry's handlers; the LiveSupervisor answers them), transcriptions
// (joined per turn), JSON reports in TEXT mode. Repeats that a resumed connection produces (the
// same assessment, the same critical reason, the same pre-arrival topic, the caller's last lines
// heard again) are not re-emitted.
class TriageOutput : public QObject
{
    Q_OBJECT

public:
    explicit TriageOutput(TriageOutputConfig config, QObject *parent = nullptr);

    // The tools offered in every connection's setup; their handlers emit the events below.
    const ToolRegistry &tools() const { return m_tools; }
    void addContent(const ServerContent &content);
    // A new connection is live: partial turns are dropped; after a replay the audio it carried is
    // transcribed again.
    void connectionSwitched(bool replayedHeardAudio);

Q_SIGNALS:
    void reportProduced(const dispatch::TriageReport &report);
    void criticalFlagged(const QString &reason, int severity);
    void transcriptProduced(const dispatch::TranscriptSegment &segment);
    void prearrivalOffered(const QString &topic, const QString &title, const QStringList &steps);

private:
    void publishReport(const TriageReport &report);
    void publishCritical(const QString &reason, int severity);
    void flushTranscript(Speaker speaker, bool final);

    TriageOutputConfig m_config;
    ToolRegistry m_tools;
    QString m_inputText;  // caller transcription of the current turn
    QString m_outputText; // model transcription of the current turn
    QStringList m_recentCallerLines;
    qint64 m_lastReplayMs = -1;
    JsonReportExtractor m_extractor;
    std::optional<TriageReport> m_lastReport;
    QStringList m_flaggedReasons;
    QStringList m_offeredTopics;
};

} // namespace dispatch::gemini
