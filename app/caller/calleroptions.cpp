#include "calleroptions.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QRegularExpression>

#include <cmath>

namespace dispatch::caller {

namespace {

QString tr(const char *text)
{
    return QCoreApplication::translate("dispatch-caller", text);
}

const char *const ExitCodesHelp = "\nExit status:\n"
                                  "  0  every call went as expected\n"
                                  "  1  an input file (WAV, JSON, image) could not be used\n"
                                  "  2  bad command line\n"
                                  "  3  could not connect to the server\n"
                                  "  4  not answered in time (--expect-answer)\n"
                                  "  5  the server sent an error message\n"
                                  "  6  the call ended or the connection dropped unexpectedly\n"
                                  "With --count, the lowest non-zero status of all calls.\n";

std::optional<int> seconds(const QString &text, double max)
{
    bool ok = false;
    const double s = text.toDouble(&ok);
    if (!ok || s < 0 || s > max)
        return std::nullopt;
    return static_cast<int>(std::lround(s * 1000));
}

} // namespace

bool isValidCallId(const QString &id)
{
    static const QRegularExpression re(QStringLiteral("^[A-Za-z0-9._:-]{1,128}$"));
    return re.match(id).hasMatch();
}

QUrl webSocketBase(const QString &server)
{
    QUrl url(server, QUrl::StrictMode);
    const QString scheme = url.scheme().toLower();
    if (!url.isValid() || url.host().isEmpty())
        return {};
    if (scheme == QLatin1String("http") || scheme == QLatin1String("ws"))
        url.setScheme(QStringLiteral("ws"));
    else if (scheme == QLatin1String("https") || scheme == QLatin1String("wss"))
        url.setScheme(QStringLiteral("wss"));
    else
        return {};
    url.setPath(QString());
    url.setQuery(QString());
    url.setFragment(QString());
    return url;
}

CallerOptionsResult parseCallerOptions(const QStringList &arguments)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(
        tr("A command-line phone for dispatch-console: places calls over the phone protocol, "
           "streams a WAV as the caller's voice, sends location, vitals, camera frames and "
           "text, and reports what the console answered."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption server(QStringLiteral("server"),
                                    tr("Console address, e.g. https://192.168.1.20:8443."),
                                    QStringLiteral("URL"));
    const QCommandLineOption callId(QStringLiteral("call-id"),
                                    tr("Call id (default: a random UUID; with --count, ID-1...)."),
                                    QStringLiteral("ID"));
    const QCommandLineOption wav(QStringLiteral("wav"),
                                 tr("The caller's voice: a 16-bit PCM WAV (resampled to 16 kHz)."),
                                 QStringLiteral("FILE"));
    const QCommandLineOption fast(QStringLiteral("fast"),
                                  tr("Send the WAV about 100 times faster than real time."));
    const QCommandLineOption location(QStringLiteral("location"),
                                      tr("Position sent with the call, in degrees and metres."),
                                      QStringLiteral("LAT,LNG[,ACC]"));
    const QCommandLineOption track(
        QStringLiteral("track"),
        tr("Positions to send as the caller moves: JSON [{lat,lng,accuracy?,t?}]."),
        QStringLiteral("FILE.json"));
    const QCommandLineOption move(QStringLiteral("move"),
                                  tr("Walk away from --location, a position every 2 s."));
    const QCommandLineOption vitals(
        QStringLiteral("vitals"),
        tr("Vitals to send: JSON [{hr?,hrConfidence?,breathing?,breathingConfidence?,t?}]."),
        QStringLiteral("FILE.json"));
    const QCommandLineOption vitalsDemo(QStringLiteral("vitals-demo"),
                                        tr("Send made-up vitals once a second."));
    const QCommandLineOption frames(QStringLiteral("frames"),
                                    tr("Camera frames: the images in DIR, one a second."),
                                    QStringLiteral("DIR"));
    const QCommandLineOption frame(QStringLiteral("frame"),
                                   tr("Camera frame: this image once a second."),
                                   QStringLiteral("FILE"));
    const QCommandLineOption text(QStringLiteral("text"),
                                  tr("A typed message for the dispatcher (caller_text)."),
                                  QStringLiteral("TEXT"));
    const QCommandLineOption hangupAfter(
        QStringLiteral("hangup-after"),
        tr("Hang up this many seconds after the call starts (default: when the WAV, track, "
           "vitals and frames are done; without any, wait for the console to end the call)."),
        QStringLiteral("S"));
    const QCommandLineOption expectAnswer(QStringLiteral("expect-answer"),
                                          tr("Fail (status 4) unless a dispatcher answers."));
    const QCommandLineOption answerTimeout(QStringLiteral("answer-timeout"),
                                           tr("Seconds to wait for the answer (default 30)."),
                                           QStringLiteral("S"));
    const QCommandLineOption connectTimeout(QStringLiteral("connect-timeout"),
                                            tr("Seconds to wait for the connection (default 10)."),
                                            QStringLiteral("S"));
    const QCommandLineOption count(QStringLiteral("count"), tr("Place N calls at once."),
                                   QStringLiteral("N"));
    const QCommandLineOption stagger(QStringLiteral("stagger-ms"),
                                     tr("Milliseconds between the starts of the calls."),
                                     QStringLiteral("M"));
    const QCommandLineOption insecure(QStringLiteral("insecure"),
                                      tr("Accept any TLS certificate (testing only)."));
    const QCommandLineOption ca(QStringLiteral("ca"),
                                tr("Trust this certificate (PEM), e.g. the console's own."),
                                QStringLiteral("FILE"));
    const QCommandLineOption json(QStringLiteral("json"),
                                  tr("Print events and summaries as JSON lines."));
    for (const auto &o :
         {server,        callId,         wav,    fast,    location, track,       move,
          vitals,        vitalsDemo,     frames, frame,   text,     hangupAfter, expectAnswer,
          answerTimeout, connectTimeout, count,  stagger, insecure, ca,          json})
        parser.addOption(o);

    CallerOptionsResult result;
    auto fail = [&result](const QString &why) {
        result.error = why;
        return result;
    };
    if (!parser.parse(arguments))
        return fail(parser.errorText());
    if (parser.isSet(help)) {
        result.helpText = parser.helpText() + QLatin1String(ExitCodesHelp);
        return result;
    }
    if (!parser.positionalArguments().isEmpty())
        return fail(tr("Unexpected argument: %1").arg(parser.positionalArguments().constFirst()));

    CallerOptions o;
    if (!parser.isSet(server))
        return fail(tr("--server is required"));
    o.server = webSocketBase(parser.value(server));
    if (!o.server.isValid())
        return fail(tr("--server needs an http(s):// or ws(s):// URL with a host: %1")
                        .arg(parser.value(server)));
    o.callId = parser.value(callId);
    if (parser.isSet(callId) && !isValidCallId(o.callId))
        return fail(tr("--call-id must be 1-128 characters of [A-Za-z0-9._:-]"));
    o.wavPath = parser.value(wav);
    o.fast = parser.isSet(fast);
    if (parser.isSet(location)) {
        o.location = parsePosition(parser.value(location));
        if (!o.location)
            return fail(
                tr("--location needs LAT,LNG or LAT,LNG,ACCURACY: %1").arg(parser.value(location)));
    }
    o.trackPath = parser.value(track);
    o.move = parser.isSet(move);
    if (o.move && !o.trackPath.isEmpty())
        return fail(tr("--track and --move exclude each other"));
    if (o.move && !o.location)
        return fail(tr("--move needs --location to start from"));
    o.vitalsPath = parser.value(vitals);
    o.vitalsDemo = parser.isSet(vitalsDemo);
    if (o.vitalsDemo && !o.vitalsPath.isEmpty())
        return fail(tr("--vitals and --vitals-demo exclude each other"));
    if (parser.isSet(frames) && parser.isSet(frame))
        return fail(tr("--frames and --frame exclude each other"));
    o.framesPath = parser.isSet(frame) ? parser.value(frame) : parser.value(frames);
    o.repeatFrame = parser.isSet(frame);
    o.text = parser.value(text);
    if (o.text.size() > 2000)
        return fail(tr("--text is limited to 2000 characters"));
    if (parser.isSet(hangupAfter)) {
        const auto ms = seconds(parser.value(hangupAfter), 24 * 3600);
        if (!ms)
            return fail(tr("--hangup-after needs seconds"));
        o.hangupAfterMs = *ms;
    }
    o.expectAnswer = parser.isSet(expectAnswer);
    if (parser.isSet(answerTimeout)) {
        const auto ms = seconds(parser.value(answerTimeout), 3600);
        if (!ms)
            return fail(tr("--answer-timeout needs seconds"));
        o.answerTimeoutMs = *ms;
    }
    if (parser.isSet(connectTimeout)) {
        const auto ms = seconds(parser.value(connectTimeout), 600);
        if (!ms || *ms == 0)
            return fail(tr("--connect-timeout needs seconds"));
        o.connectTimeoutMs = *ms;
    }
    if (parser.isSet(count)) {
        bool ok = false;
        o.count = parser.value(count).toInt(&ok);
        if (!ok || o.count < 1 || o.count > 1000)
            return fail(tr("--count must be 1 to 1000"));
    }
    if (parser.isSet(stagger)) {
        bool ok = false;
        o.staggerMs = parser.value(stagger).toInt(&ok);
        if (!ok || o.staggerMs < 0 || o.staggerMs > 3'600'000)
            return fail(tr("--stagger-ms must be 0 or more milliseconds"));
    }
    if (o.count > 1 && !o.callId.isEmpty() && !isValidCallId(o.callId + QStringLiteral("-1000")))
        return fail(tr("--call-id is too long to number the calls"));
    o.insecure = parser.isSet(insecure);
    o.caPath = parser.value(ca);
    if (o.insecure && !o.caPath.isEmpty())
        return fail(tr("--insecure and --ca exclude each other"));
    o.json = parser.isSet(json);
    result.options = o;
    return result;
}

} // namespace dispatch::caller
