// On-demand benchmark (not in ctest): N concurrent calls through LocalTriageBackend at
// real-time pacing on this machine. Reports the recognizers' real-time factor, the worst
// backlog, drops, how many calls degraded to keyword spotting, and the drain time after the
// last chunk (how far behind real time the call ended).
//
//   bench-triage-concurrency [--calls 1,2,4,6] [--seconds 20] [--no-budget] WAV...
#include "audiotools/wavfile.h"
#include "triage/localtriagebackend.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QJsonDocument>
#include <QJsonObject>
#include <QTimer>

#include <algorithm>
#include <cstdio>

using namespace dispatch;

namespace {

struct CallRun
{
    QString id;
    QByteArray pcm;
    qsizetype offset = 0;
    qint64 maxBacklogMs = 0;
    qint64 endedAtMs = -1;
    qint64 finishedAtMs = -1;
    bool degraded = false;
    RecognizerStats stats;
};

QJsonObject runOnce(const TriageRules &rules, const QList<QByteArray> &audio, int calls,
                    qint64 seconds, bool budget, int nbest)
{
    LocalTriageConfig config;
    config.rules = rules;
    config.recognizer.nbest = nbest;
    config.decoders.prewarm = calls;
    config.decoders.maxIdleDecoders = calls;
    if (!budget) {
        config.decoders.maxFullDecoders = 1000;
        config.recognizer.degradeBacklogMs = 1'000'000;
        config.recognizer.hardBacklogMs = 1'000'000;
        config.recognizer.maxQueuedMs = 1'000'000;
    }
    LocalTriageBackend backend(config);
    // Let the pool initialize its decoders before the clock starts, as a running console would.
    {
        QEventLoop wait;
        QTimer::singleShot(std::max(1000, calls * 700), &wait, &QEventLoop::quit);
        wait.exec();
    }

    QList<CallRun> runs;
    for (int i = 0; i < calls; ++i) {
        CallRun r;
        r.id = QStringLiteral("bench-%1").arg(i);
        const QByteArray &src = audio.at(i % audio.size());
        while (r.pcm.size() < seconds * 32000)
            r.pcm += src;
        r.pcm.truncate(seconds * 32000);
        runs.append(r);
    }
    QElapsedTimer clock;
    QEventLoop loop;
    int finished = 0;
    QObject::connect(&backend, &TriageBackend::degradedChanged, &loop,
                     [&](const QString &id, bool degraded, const QString &) {
                         for (CallRun &r : runs)
                             if (r.id == id && degraded)
                                 r.degraded = true;
                     });
    QObject::connect(&backend, &LocalTriageBackend::recognitionFinished, &loop,
                     [&](const QString &id, const RecognizerStats &s) {
                         for (CallRun &r : runs)
                             if (r.id == id) {
                                 r.stats = s;
                                 r.finishedAtMs = clock.elapsed();
                             }
                         if (++finished == calls)
                             loop.quit();
                     });
    for (const CallRun &r : std::as_const(runs))
        backend.startCall(r.id, MediaBacklog{});
    QTimer pace;
    pace.setTimerType(Qt::PreciseTimer);
    pace.setInterval(20);
    QObject::connect(&pace, &QTimer::timeout, &loop, [&] {
        const qsizetype due = (clock.elapsed() / 20 + 1) * 640;
        for (CallRun &r : runs) {
            while (r.offset < std::min(due, r.pcm.size())) {
                backend.addAudio(r.id, r.pcm.mid(r.offset, 640));
                r.offset += 640;
            }
            r.maxBacklogMs = std::max(r.maxBacklogMs, backend.queuedAudioMs(r.id));
            if (r.offset >= r.pcm.size() && r.endedAtMs < 0) {
                r.endedAtMs = clock.elapsed();
                backend.endCall(r.id);
            }
        }
    });
    clock.start();
    pace.start();
    loop.exec();

    double rtfSum = 0, rtfMax = 0, cpuSum = 0, drainMax = 0;
    qint64 backlogMax = 0, dropped = 0;
    int degraded = 0;
    for (const CallRun &r : std::as_const(runs)) {
        rtfSum += r.stats.realTimeFactor();
        rtfMax = std::max(rtfMax, r.stats.realTimeFactor());
        cpuSum += r.stats.cpuRealTimeFactor();
        backlogMax = std::max(backlogMax, r.maxBacklogMs);
        dropped += r.stats.droppedMs;
        degraded += r.degraded;
        drainMax = std::max(drainMax, (r.finishedAtMs - r.endedAtMs) / 1000.0);
    }
    return QJsonObject{
        {QStringLiteral("calls"), calls},
        {QStringLiteral("budget_and_degradation"), budget},
        {QStringLiteral("audio_s_per_call"), seconds},
        {QStringLiteral("rtf_mean"), rtfSum / calls},
        {QStringLiteral("rtf_max"), rtfMax},
        {QStringLiteral("cpu_rtf_mean"), cpuSum / calls},
        {QStringLiteral("max_backlog_ms"), backlogMax},
        {QStringLiteral("dropped_ms"), dropped},
        {QStringLiteral("degraded_calls"), degraded},
        {QStringLiteral("max_drain_s"), drainMax},
        {QStringLiteral("real_time"), backlogMax < 1000 && dropped == 0},
    };
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addHelpOption();
    const QCommandLineOption callsOpt(QStringLiteral("calls"),
                                      QStringLiteral("Concurrency levels."), QStringLiteral("list"),
                                      QStringLiteral("1,2,4,6"));
    const QCommandLineOption secondsOpt(QStringLiteral("seconds"),
                                        QStringLiteral("Audio seconds per call."),
                                        QStringLiteral("s"), QStringLiteral("20"));
    const QCommandLineOption noBudgetOpt(
        QStringLiteral("no-budget"),
        QStringLiteral("Every call gets full recognition and never degrades (raw capacity)."));
    const QCommandLineOption nbestOpt(
        QStringLiteral("nbest"),
        QStringLiteral("Hypotheses per utterance from the N-best list (default 1: off)."),
        QStringLiteral("n"), QStringLiteral("1"));
    parser.addOptions({callsOpt, secondsOpt, noBudgetOpt, nbestOpt});
    parser.addPositionalArgument(QStringLiteral("WAV"), QStringLiteral("Call recordings."));
    parser.process(app);

    QList<QByteArray> audio;
    for (const QString &path : parser.positionalArguments()) {
        auto wav = readWavFile(path);
        if (!wav) {
            std::fprintf(stderr, "%s\n", qPrintable(wav.error().message));
            return 2;
        }
        audio.append(wav->pcm16);
    }
    if (audio.isEmpty())
        parser.showHelp(2);
    auto rules = loadTriageRules(defaultTriageRulesPath());
    if (!rules)
        return 2;
    for (const QString &n : parser.value(callsOpt).split(u',')) {
        const QJsonObject row =
            runOnce(rules.value(), audio, n.toInt(), parser.value(secondsOpt).toLongLong(),
                    !parser.isSet(noBudgetOpt), std::max(1, parser.value(nbestOpt).toInt()));
        std::puts(QJsonDocument(row).toJson(QJsonDocument::Compact).constData());
        std::fflush(stdout);
    }
    return 0;
}
