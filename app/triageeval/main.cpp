// dispatch-triage-eval: measures a triage backend on a folder of calls (WAVs + labels.json).
#include "evalrunner.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QDir>
#include <QFile>
#include <QJsonDocument>

#include <algorithm>
#include <cstdio>

using namespace dispatch;

namespace {

void printLine(const QJsonObject &o)
{
    std::fputs(QJsonDocument(o).toJson(QJsonDocument::Compact).constData(), stdout);
    std::fputc('\n', stdout);
    std::fflush(stdout);
}

int fail(const QString &message)
{
    std::fprintf(stderr, "dispatch-triage-eval: %s\n", qPrintable(message));
    return 2;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("dispatch-triage-eval"));
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral(
        "Runs every WAV of DIR (16 kHz mono 16-bit, with labels.json) through a triage backend "
        "as a live call and prints one JSON line per call and a summary line."));
    parser.addHelpOption();
    const QCommandLineOption backendOpt(QStringLiteral("backend"),
                                        QStringLiteral("Triage backend (local)."),
                                        QStringLiteral("name"), QStringLiteral("local"));
    const QCommandLineOption fastOpt(QStringLiteral("fast"),
                                     QStringLiteral("Feed as fast as the backend accepts instead "
                                                    "of real time (latency stays in audio time)."));
    const QCommandLineOption rulesOpt(QStringLiteral("rules"), QStringLiteral("Rules file."),
                                      QStringLiteral("file"), defaultTriageRulesPath());
    const QCommandLineOption modelOpt(QStringLiteral("model-dir"),
                                      QStringLiteral("pocketsphinx model directory."),
                                      QStringLiteral("dir"), defaultSpeechModelDir());
    const QCommandLineOption kwsOpt(QStringLiteral("keywords"),
                                    QStringLiteral("Force keyword spotting (the degraded mode)."));
    const QCommandLineOption kwsPerPhoneOpt(
        QStringLiteral("kws-per-phone"),
        QStringLiteral("Keyword threshold exponent per phone (tuning the degraded mode)."),
        QStringLiteral("k"));
    const QCommandLineOption kwsMinPhonesOpt(
        QStringLiteral("kws-min-phones"),
        QStringLiteral("Shortest keyphrase (in phones) the degraded mode listens for."),
        QStringLiteral("n"));
    const QCommandLineOption answerOpt(
        QStringLiteral("answer-after"),
        QStringLiteral("Simulate a late answer: the first S seconds of each call (padded with "
                       "silence) reach the backend as the ring-time backlog at answer, as the "
                       "console delivers it; the rest follows in real time (implies real-time "
                       "recognizer behaviour, --fast is ignored)."),
        QStringLiteral("S"));
    const QCommandLineOption noiseOpt(
        QStringLiteral("noise-suppression"),
        QStringLiteral("speexdsp noise front end: on (default) or off."), QStringLiteral("on|off"),
        QStringLiteral("on"));
    const QCommandLineOption domainOpt(
        QStringLiteral("domain-lm-weight"),
        QStringLiteral("Weight of the emergency-domain language model (0: general model only)."),
        QStringLiteral("w"));
    const QCommandLineOption niceOpt(
        QStringLiteral("worker-nice"),
        QStringLiteral("Nice value of the recognizer threads (default 10, as the console). On a "
                       "machine shared with other work, 0 gives offline measurements their "
                       "share of the cores."),
        QStringLiteral("n"));
    const QCommandLineOption nbestOpt(
        QStringLiteral("nbest"),
        QStringLiteral("Hypotheses per utterance from the N-best list (1: the best only)."),
        QStringLiteral("n"));
    const QCommandLineOption floorOpt(
        QStringLiteral("min-log-posterior"),
        QStringLiteral("Low-confidence floor: posterior per frame (natural log) below which an "
                       "utterance is low confidence."),
        QStringLiteral("x"));
    parser.addOptions({backendOpt, fastOpt, rulesOpt, modelOpt, kwsOpt, kwsPerPhoneOpt,
                       kwsMinPhonesOpt, answerOpt, noiseOpt, domainOpt, niceOpt, nbestOpt,
                       floorOpt});
    parser.addPositionalArgument(QStringLiteral("DIR"), QStringLiteral("Folder of calls."));
    parser.process(app);
    if (parser.positionalArguments().size() != 1)
        parser.showHelp(2);
    if (parser.value(backendOpt) != QLatin1String("local"))
        return fail(QStringLiteral("unknown backend \"%1\" (available: local)")
                        .arg(parser.value(backendOpt)));

    const QDir dir(parser.positionalArguments().constFirst());
    QFile labelsFile(dir.filePath(QStringLiteral("labels.json")));
    if (!labelsFile.open(QIODevice::ReadOnly))
        return fail(QStringLiteral("%1: %2").arg(labelsFile.fileName(), labelsFile.errorString()));
    QJsonParseError err;
    const QJsonObject labels = QJsonDocument::fromJson(labelsFile.readAll(), &err).object();
    if (err.error != QJsonParseError::NoError)
        return fail(QStringLiteral("labels.json: %1").arg(err.errorString()));

    QList<EvalCase> cases;
    const QStringList wavs = dir.entryList({QStringLiteral("*.wav")}, QDir::Files, QDir::Name);
    for (const QString &name : wavs) {
        if (!labels.contains(name)) {
            std::fprintf(stderr, "skipping %s: no label\n", qPrintable(name));
            continue;
        }
        auto wav = readWavFile(dir.filePath(name));
        if (!wav)
            return fail(wav.error().message);
        EvalCase c{name, wav.value(), labels.value(name).toObject(), 0};
        c.firstSpeechMs = firstSpeechMs(c.audio.pcm16);
        cases.append(c);
    }
    if (cases.isEmpty())
        return fail(QStringLiteral("no labelled WAV files in %1").arg(dir.path()));

    auto rules = loadTriageRules(parser.value(rulesOpt));
    if (!rules)
        return fail(rules.error().message);
    LocalTriageConfig config;
    config.rules = rules.value();
    config.decoders.modelDir = parser.value(modelOpt);
    const qint64 answerAfterMs =
        parser.isSet(answerOpt) ? qRound64(parser.value(answerOpt).toDouble() * 1000) : 0;
    if (answerAfterMs < 0 || answerAfterMs > 30000)
        return fail(QStringLiteral("--answer-after must be 0-30 s (the console keeps 30 s)"));
    const bool fast = parser.isSet(fastOpt) && answerAfterMs == 0;
    config.recognizer.realtime = !fast;
    config.recognizer.forceKeywordSpotting = parser.isSet(kwsOpt);
    config.recognizer.noiseSuppression = parser.value(noiseOpt) != QLatin1String("off");
    if (parser.isSet(niceOpt))
        config.recognizer.workerNice = parser.value(niceOpt).toInt();
    if (parser.isSet(nbestOpt))
        config.recognizer.nbest = std::max(1, parser.value(nbestOpt).toInt());
    if (parser.isSet(floorOpt))
        config.recognizer.minLogPosteriorPerFrame = parser.value(floorOpt).toDouble();
    if (parser.isSet(domainOpt))
        config.decoders.domainLmWeight = parser.value(domainOpt).toDouble();
    if (parser.isSet(kwsPerPhoneOpt))
        config.decoders.kwsExponentPerPhone = parser.value(kwsPerPhoneOpt).toDouble();
    if (parser.isSet(kwsMinPhonesOpt))
        config.decoders.kwsMinPhones = parser.value(kwsMinPhonesOpt).toInt();
    LocalTriageBackend backend(config);

    EvalRunner runner(&backend, cases, fast, answerAfterMs);
    QObject::connect(&runner, &EvalRunner::caseFinished, &app,
                     [](const EvalResult &r) { printLine(resultToJson(r)); });
    QObject::connect(&runner, &EvalRunner::allFinished, &app, [&] {
        printLine(QJsonObject{{QStringLiteral("summary"), summaryToJson(runner.results(), fast)}});
        QCoreApplication::quit();
    });
    runner.start();
    return app.exec();
}
