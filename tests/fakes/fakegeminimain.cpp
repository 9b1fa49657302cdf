// fake-gemini: runs the fake Gemini Live server on a port, for manual runs and benchmarks.
//   fake-gemini --port 9100 --key test-key --lifetime-ms 540000 --go-away-ms 50000
// Then point the console at ws://127.0.0.1:9100 (the key goes in x-goog-api-key).

#include "fakegeminiserver.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

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
    parser.addOptions({port, key, lifetime, goAway, step});
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
    return app.exec();
}
