// fake-gemini: runs the fake Gemini Live server on a port, for manual runs and benchmarks.
//   fake-gemini --port 9100 --key test-key --lifetime-ms 540000 --go-away-ms 50000
// Then point the console at ws://127.0.0.1:9100 (the key goes in x-goog-api-key).

#include "fakegeminiserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>
#include <QTimer>

using dispatch::fakes::FakeGeminiConfig;
using dispatch::fakes::FakeGeminiServer;

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("fake-gemini"));

    QCommandLineParser parser;
    parser.setApplicationDescription(
        QStringLiteral("Local fake of the Gemini Live API (BidiGenerateContent) for tests."));
    parser.addHelpOption();
    const QCommandLineOption port(QStringLiteral("port"),
                                  QStringLiteral("TCP port on 127.0.0.1 (0 = any)."),
                                  QStringLiteral("port"), QStringLiteral("0"));
    const QCommandLineOption key(QStringLiteral("key"),
                                 QStringLiteral("Expected API key (empty = accept any)."),
                                 QStringLiteral("key"), QStringLiteral("test-key"));
    const QCommandLineOption lifetime(
        QStringLiteral("lifetime-ms"),
        QStringLiteral("Connection lifetime before goAway (0 = none)."), QStringLiteral("ms"),
        QStringLiteral("0"));
    const QCommandLineOption goAway(QStringLiteral("go-away-ms"),
                                    QStringLiteral("goAway timeLeft before the 1008 close."),
                                    QStringLiteral("ms"), QStringLiteral("50000"));
    const QCommandLineOption step(QStringLiteral("step-ms"),
                                  QStringLiteral("Delay between reply messages."),
                                  QStringLiteral("ms"), QStringLiteral("40"));
    const QCommandLineOption stats(
        QStringLiteral("stats-ms"),
        QStringLiteral("Print \"stats connections=N live=N audio_bytes=N\" every ms (0 = never)."),
        QStringLiteral("ms"), QStringLiteral("0"));
    parser.addOptions({port, key, lifetime, goAway, step, stats});
    parser.process(app);

    FakeGeminiConfig config;
    config.expectedApiKey = parser.value(key);
    config.connectionLifetimeMs = parser.value(lifetime).toLongLong();
    config.goAwayTimeLeftMs = parser.value(goAway).toLongLong();
    config.stepIntervalMs = parser.value(step).toInt();
    config.resumptionUpdateIntervalMs = 5000;

    FakeGeminiServer server(config);
    if (!server.listen(QHostAddress::LocalHost,
                       static_cast<quint16>(parser.value(port).toUInt()))) {
        QTextStream(stderr) << "fake-gemini: cannot listen on port " << parser.value(port) << '\n';
        return 1;
    }
    QTextStream(stdout) << "fake-gemini listening on " << server.baseUrl().toString() << Qt::endl;
    // For load runs: what the AI side received, read by bench-load from stdout.
    QTimer statsTimer;
    QObject::connect(&statsTimer, &QTimer::timeout, &app, [&server] {
        QTextStream(stdout) << "stats connections=" << server.connectionCount()
                            << " live=" << server.liveConnectionCount()
                            << " audio_bytes=" << server.totalAudioBytes() << Qt::endl;
    });
    if (const int ms = parser.value(stats).toInt(); ms > 0)
        statsTimer.start(ms);
    return app.exec();
}
