// bench-gemini-longcall: a long call against the fake Gemini Live server with a short connection
// lifetime, faster than real time. Checks that triage keeps flowing across every goAway
// hand-over and that no audio is lost; prints the figures for docs/GEMINI.md.
//
//   build/tests/benchmarks/bench-gemini-longcall --minutes 30 --speed 10 --lifetime-s 60
//
// Everything the fake and the supervisor time is scaled by --speed (connection lifetime,
// goAway time left, handle period); the supervisor itself is the production code, unchanged.

#include "audiotools/wavfile.h"
#include "fakegeminiserver.h"
#include "triage/sessionsupervisor.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QTextStream>
#include <QTimer>

#include <cmath>

using namespace dispatch;
using namespace dispatch::fakes;
using namespace dispatch::gemini;

namespace {

// Speech-like audio: the corpus call if it is there, else tone bursts with pauses.
QByteArray callAudio(const QString &sharedDir)
{
    auto wav = readWavFile(sharedDir + QStringLiteral("/corpus/cardiac_arrest.wav"));
    if (wav)
        return wav->pcm16 + QByteArray(2 * 16000 * 2, 0); // 2 s of silence before it repeats
    QByteArray pcm;
    for (int burst = 0; burst < 6; ++burst) {
        for (int i = 0; i < 16 * 1500; ++i) {
            const auto v = static_cast<qint16>(3000 * std::sin(2 * M_PI * 220.0 * i / 16000));
            pcm.append(reinterpret_cast<const char *>(&v), 2);
        }
        pcm.append(QByteArray(16 * 1500 * 2, 0));
    }
    return pcm;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption minutesOpt(QStringLiteral("minutes"), QStringLiteral("Call length."),
                                        QStringLiteral("min"), QStringLiteral("30"));
    const QCommandLineOption speedOpt(QStringLiteral("speed"),
                                      QStringLiteral("Times faster than real time."),
                                      QStringLiteral("x"), QStringLiteral("10"));
    const QCommandLineOption lifetimeOpt(QStringLiteral("lifetime-s"),
                                         QStringLiteral("Connection lifetime (call time)."),
                                         QStringLiteral("s"), QStringLiteral("60"));
    const QCommandLineOption goAwayOpt(QStringLiteral("go-away-s"),
                                       QStringLiteral("goAway time left (within the lifetime)."),
                                       QStringLiteral("s"), QStringLiteral("10"));
    parser.addOptions({minutesOpt, speedOpt, lifetimeOpt, goAwayOpt});
    parser.process(app);
    const double minutes = parser.value(minutesOpt).toDouble();
    const double speed = std::max(1.0, parser.value(speedOpt).toDouble());
    const double lifetimeS = parser.value(lifetimeOpt).toDouble();
    const double goAwayS = std::min(parser.value(goAwayOpt).toDouble(), lifetimeS / 2);
    const auto scaled = [speed](double seconds) {
        return static_cast<qint64>(std::llround(seconds * 1000 / speed));
    };

    FakeGeminiConfig fakeConfig;
    fakeConfig.connectionLifetimeMs = scaled(lifetimeS - goAwayS);
    fakeConfig.goAwayTimeLeftMs = scaled(goAwayS);
    fakeConfig.resumptionUpdateIntervalMs = static_cast<int>(scaled(5));
    FakeGeminiServer fake(fakeConfig);
    if (!fake.listen())
        return 2;
    for (int turn = 1; turn <= 5000; ++turn) {
        fake.scriptToolCall(
            turn,
            {{QStringLiteral("report_triage"),
              QJsonObject{{QStringLiteral("situation_summary"),
                           QStringLiteral("Adult collapsed, turn %1").arg(turn)},
                          {QStringLiteral("recommended_response_type"), QStringLiteral("medical")},
                          {QStringLiteral("severity"), 1 + turn % 5}}}});
    }

    SupervisorConfig config;
    config.connection.endpoint = fake.baseUrl();
    config.connection.apiKey = QStringLiteral("test-key");
    SessionSupervisor supervisor(config);

    int reports = 0;
    QList<int> reportsPerConnection{0}; // index = hand-overs so far
    QObject::connect(&supervisor, &SessionSupervisor::reportProduced, &app,
                     [&](const TriageReport &) {
                         ++reports;
                         ++reportsPerConnection.last();
                     });
    QObject::connect(&supervisor, &SessionSupervisor::stateChanged, &app,
                     [&](SessionSupervisor::State state, const QString &) {
                         const int switches =
                             supervisor.stats().handovers + supervisor.stats().resumes;
                         if (state == SessionSupervisor::State::Live)
                             while (reportsPerConnection.size() <= switches)
                                 reportsPerConnection.append(0);
                     });
    bool failed = false;
    QObject::connect(&supervisor, &SessionSupervisor::failed, &app,
                     [&](const CloseClassification &, const QString &detail) {
                         QTextStream(stderr) << "session failed: " << detail << '\n';
                         failed = true;
                         app.exit(1);
                     });

    const QByteArray audio =
        callAudio(qEnvironmentVariable("DISPATCH_SHARED_DIR", QStringLiteral("../shared")));
    const qint64 totalBytes = static_cast<qint64>(minutes * 60 * 32000) / 640 * 640;
    qint64 sent = 0;
    QElapsedTimer wall;
    wall.start();
    supervisor.start(MediaBacklog());
    QTimer pacer;
    QObject::connect(&pacer, &QTimer::timeout, &app, [&] {
        // Catch up to speed x wall time, in 20 ms phone chunks.
        const qint64 due = std::min(totalBytes, static_cast<qint64>(wall.elapsed() * speed * 32));
        while (sent + 640 <= due) {
            const qsizetype at = static_cast<qsizetype>(sent % audio.size()) / 2 * 2;
            QByteArray chunk = audio.mid(at, 640);
            if (chunk.size() < 640)
                chunk += audio.left(640 - chunk.size());
            supervisor.addAudio(chunk);
            sent += chunk.size();
        }
        if (sent >= totalBytes) {
            pacer.stop();
            // Let the last messages arrive, then stop.
            QTimer::singleShot(2000, &app, [&] { app.exit(0); });
        }
    });
    pacer.start(5);
    const int rc = app.exec();
    const qint64 wallMs = wall.elapsed();
    const SupervisorStats &s = supervisor.stats();

    // The connection that was cut by the end of the run may not have reported yet.
    int dryConnections = 0;
    for (qsizetype i = 0; i + 1 < reportsPerConnection.size(); ++i)
        dryConnections += reportsPerConnection.at(i) == 0 ? 1 : 0;
    const qint64 received = fake.totalAudioBytes();
    const qint64 missing = sent + s.duplicateBytes - received;
    QTextStream out(stdout);
    out << "call " << minutes << " min at " << speed << "x, connection lifetime " << lifetimeS
        << " s (goAway " << goAwayS << " s before the end)\n"
        << "wall time            " << wallMs / 1000.0 << " s\n"
        << "connections          " << s.connections << " (hand-overs " << s.handovers
        << ", resumes " << s.resumes << ", failed attempts " << s.failedAttempts << ")\n"
        << "audio sent by phone  " << sent << " bytes (" << sent / 32000.0 << " s)\n"
        << "audio received (fake)" << ' ' << received << " bytes\n"
        << "replayed / duplicate " << s.replayedBytes << " / " << s.duplicateBytes << " bytes ("
        << (s.handovers ? s.duplicateBytes / 32.0 / s.handovers : 0) << " ms per hand-over)\n"
        << "missing              " << missing << " bytes\n"
        << "replay overflow      " << s.overflowBytes << " bytes\n"
        << "reports              " << reports << " (connections without one: " << dryConnections
        << ")\n"
        << "tokens               " << s.totalTokens << '\n';
    const bool ok = rc == 0 && !failed && missing == 0 && received >= sent && dryConnections == 0 &&
                    s.handovers > 0 && s.overflowBytes == 0;
    out << (ok ? "PASS" : "FAIL") << Qt::endl;
    return ok ? 0 : 1;
}
