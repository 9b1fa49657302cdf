#pragma once

#include "audiotools/wavfile.h"
#include "triage/localtriagebackend.h"

#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QTimer>

namespace dispatch {

struct EvalCase
{
    QString file;
    WavAudio audio;
    QJsonObject expected; // the labels.json entry
    qint64 firstSpeechMs = 0;
};

struct EvalResult
{
    QString file;
    QJsonObject expected;
    TriageReport report;
    bool produced = false;
    double firstReportLatency = -1; // audio seconds after the first speech
    double criticalLatency = -1;
    double audioSeconds = 0;
    double answerAfterSeconds = 0;
    RecognizerStats stats;
    QString degradedReason; // the backend's last degradedChanged reason while degraded
    QStringList transcript;
    // Each final recognized utterance: text, audio times, posterior per frame, low-confidence
    // flag and N-best alternatives (for calibrating the confidence floor).
    QJsonArray utterances;
};

// Plays each case through the backend as a live call would: 20 ms chunks at real-time pacing,
// or (fast) as fast as the recognizer's queue accepts. Latency is always measured in audio
// time: how much of the call the backend had heard when it produced its first report.
class EvalRunner : public QObject
{
    Q_OBJECT

public:
    // answerAfterMs > 0 simulates a late answer as the console does it: the first answerAfterMs
    // of the call (padded with silence when the call is shorter: the line stays open while it
    // rings) is handed over at startCall as the ring-time backlog, the rest follows in real
    // time, then silence until the recognizer has drained its queue.
    EvalRunner(LocalTriageBackend *backend, QList<EvalCase> cases, bool fast,
               qint64 answerAfterMs = 0, QObject *parent = nullptr);
    void start();
    const QList<EvalResult> &results() const { return m_results; }

Q_SIGNALS:
    void caseFinished(const dispatch::EvalResult &result);
    void allFinished();

private:
    void startNext();
    void feed();

    LocalTriageBackend *m_backend;
    QList<EvalCase> m_cases;
    bool m_fast;
    qint64 m_answerAfterMs = 0;
    qsizetype m_index = -1;
    qsizetype m_offset = 0;
    qsizetype m_answerOffset = 0; // bytes of the call handed over as the backlog
    bool m_draining = false;
    QString m_callId;
    QTimer m_timer;
    QElapsedTimer m_clock;
    EvalResult m_current;
    QList<EvalResult> m_results;
};

// First 20 ms frame whose peak exceeds the threshold (synthetic calls have digital silence).
qint64 firstSpeechMs(const QByteArray &pcm16, int threshold = 500);

// One line per call and the summary, as JSON.
QJsonObject resultToJson(const EvalResult &r);
QJsonObject summaryToJson(const QList<EvalResult> &results, bool fast);

} // namespace dispatch
