#pragma once

#include <QList>
#include <QString>
#include <QStringList>

namespace dispatch::bench {

// Fault injection against the real dispatch-console binary (--headless --auto-answer) with
// simulated phones and the fake Gemini Live server as the AI. Used by bench-faults (long runs,
// measured) and tst_faults_e2e (short, time-compressed runs that fail on any loss).
struct FaultOptions
{
    QString consoleBinary;
    int calls = 3;
    double seconds = 90;       // audio each phone streams
    double lifetimeS = 60;     // ai-lifetime*: connection lifetime of the fake AI
    double faultEveryS = 15;   // ai-1011, ai-tcp-drop: mean interval between faults
    double vanishS = 3;        // phone-vanish: how long the phones stay away (grace is 30 s)
    double maxReportGapS = 20; // verdict of the measured runs (tests never check timing)
    int floodConnections = 2000;
    quint32 seed = 9;
    bool phoneResends = true; // phones resend what a dead socket swallowed (audio_received)
    // Measured runs: reports must still arrive in the last third of each call. Off in the short
    // ctest runs, which check correctness only (no timing).
    bool requireLateReports = true;
    bool verbose = false;
};

struct FaultResult
{
    QString scenario;
    int calls = 0;
    double seconds = 0;             // wall time of the run
    qint64 audioSent = 0;           // bytes the phones handed to an open audio socket
    qint64 audioRecorded = 0;       // bytes in the caller WAV recordings (database rows)
    qint64 audioMarkedLost = 0;     // lost_bytes the recordings admit (disk full)
    qint64 audioToAi = 0;           // distinct phone bytes the fake AI received
    qint64 aiDuplicates = 0;        // bytes the fake AI received twice (replays)
    qint64 aiDuplicatesCounted = 0; // what the console says it replayed to an earlier listener
    qint64 lostRecording = 0;       // sent but neither recorded nor marked lost
    qint64 lostAi = 0;              // sent but never received by the AI (calls still on Gemini)
    int reports = 0;                // triage_update messages on the dashboard
    double maxReportGapS = 0;       // longest silence between a call's reports (answer .. end)
    int dbCalls = 0;
    int dbEvents = 0;
    bool healthy = false; // /health answered live at the end and the exit code was 0
    QStringList notes;    // measured facts worth printing
    QStringList problems; // broken expectations: the verdict is FAIL when not empty

    bool passed() const { return problems.isEmpty(); }
};

QStringList faultScenarios();
FaultResult runFaultScenario(const QString &scenario, const FaultOptions &options);
QString faultTable(const QList<FaultResult> &results);

} // namespace dispatch::bench
