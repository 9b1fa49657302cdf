#include "appoptions.h"
#include "intoption.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QProcessEnvironment>
#include <QStandardPaths>

namespace dispatch {

bool parseListenAddress(const QString &text, QHostAddress *address, quint16 *port)
{
    const int colon = text.lastIndexOf(QLatin1Char(':'));
    if (colon < 0)
        return false;
    QString host = text.left(colon);
    if (host.startsWith(QLatin1Char('[')) && host.endsWith(QLatin1Char(']')))
        host = host.mid(1, host.size() - 2);
    bool ok = false;
    const uint p = text.mid(colon + 1).toUInt(&ok);
    if (!ok || p > 65535)
        return false;
    QHostAddress a = host.isEmpty() ? QHostAddress(QHostAddress::Any) : QHostAddress(host);
    if (a.isNull())
        return false;
    *address = a;
    *port = static_cast<quint16>(p);
    return true;
}

bool isLoopbackHost(const QString &host)
{
    const QHostAddress address(host);
    return host.compare(QLatin1String("localhost"), Qt::CaseInsensitive) == 0 ||
           (!address.isNull() && address.isLoopback());
}

QStringList takeSecretsFromEnvironment()
{
    QStringList environment = QProcessEnvironment::systemEnvironment().toStringList();
    for (const char *name : SecretEnvironmentVariables)
        qunsetenv(name);
    return environment;
}

QString defaultDataDir()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppDataLocation);
    return dir.isEmpty() ? QStringLiteral("./dispatch-data") : dir;
}

QString defaultAuditKeyPath()
{
    const QString dir = QStandardPaths::writableLocation(QStandardPaths::AppConfigLocation);
    return (dir.isEmpty() ? QStringLiteral("./dispatch-config") : dir) +
           QStringLiteral("/audit.key");
}

AppOptionsResult parseAppOptions(const QStringList &arguments, const QStringList &environment)
{
    QCommandLineParser parser;
    parser.setApplicationDescription(QCoreApplication::translate(
        "main", "Emergency-call dispatcher console with an embedded server for caller phones."));
    const QCommandLineOption help = parser.addHelpOption();
    const QCommandLineOption version(QStringLiteral("version"),
                                     QCoreApplication::translate("main", "Print the version."));
    const QCommandLineOption headless(
        QStringLiteral("headless"),
        QCoreApplication::translate("main", "Run the engine as a server, without a window."));
    const QCommandLineOption listen(
        QStringLiteral("listen"),
        QCoreApplication::translate("main", "Address and port for phones and consoles."),
        QStringLiteral("ADDR:PORT"), QStringLiteral("0.0.0.0:8443"));
    const QCommandLineOption dataDir(
        QStringLiteral("data-dir"),
        QCoreApplication::translate("main", "Where recordings, the database and keys are kept."),
        QStringLiteral("DIR"));
    const QCommandLineOption token(
        QStringLiteral("dashboard-token"),
        QCoreApplication::translate("main",
                                    "Bearer token for remote consoles and admin endpoints "
                                    "(prefer the DISPATCH_DASHBOARD_TOKEN environment variable)."),
        QStringLiteral("TOKEN"));
    const QCommandLineOption autoAnswer(
        QStringLiteral("auto-answer"),
        QCoreApplication::translate("main", "Answer every call on arrival (demos and tests)."));
    const QCommandLineOption tlsCert(
        QStringLiteral("tls-cert"),
        QCoreApplication::translate("main", "PEM certificate for HTTPS/WSS."),
        QStringLiteral("FILE"));
    const QCommandLineOption tlsKey(QStringLiteral("tls-key"),
                                    QCoreApplication::translate("main", "PEM private key."),
                                    QStringLiteral("FILE"));
    const QCommandLineOption tls(
        QStringLiteral("tls"), QCoreApplication::translate(
                                   "main", "Serve TLS even on loopback (a certificate is generated "
                                           "in the data dir when none is given)."));
    const QCommandLineOption plaintext(
        QStringLiteral("allow-plaintext"),
        QCoreApplication::translate("main",
                                    "Allow plain ws:// on a non-loopback address (unsafe)."));
    const QCommandLineOption origin(
        QStringLiteral("allowed-origin"),
        QCoreApplication::translate("main", "Extra browser origin allowed to connect."),
        QStringLiteral("ORIGIN"));
    const QCommandLineOption theme(QStringLiteral("theme"),
                                   QCoreApplication::translate("main", "dark or light."),
                                   QStringLiteral("NAME"), QStringLiteral("dark"));
    const QCommandLineOption screenshot(
        QStringLiteral("screenshot"),
        QCoreApplication::translate("main", "Render the main window to a PNG file and exit."),
        QStringLiteral("FILE"));
    const QCommandLineOption after(
        QStringLiteral("after"),
        QCoreApplication::translate("main", "Seconds to wait before --screenshot."),
        QStringLiteral("SECONDS"), QStringLiteral("1.5"));
    const QCommandLineOption tileUrl(
        QStringLiteral("tile-url"),
        QCoreApplication::translate("main", "Street map tile server, e.g. "
                                            "https://tiles.example/{z}/{x}/{y}.png "
                                            "(default: the offline basemap)."),
        QStringLiteral("URL"));
    const QCommandLineOption addressPoints(
        QStringLiteral("address-points"),
        QCoreApplication::translate("main", "The site's address points, a GeoJSON "
                                            "FeatureCollection with NENA field names, for the "
                                            "address of a caller's location "
                                            "(docs/ADDRESS-POINTS.md)."),
        QStringLiteral("FILE"));
    const QCommandLineOption demo(
        QStringLiteral("demo"),
        QCoreApplication::translate("main", "Place simulated demo calls against this console."));
    const QCommandLineOption language(
        QStringLiteral("language"),
        QCoreApplication::translate("main", "User interface language: en or es (default: the "
                                            "system's)."),
        QStringLiteral("LANG"));
    const QCommandLineOption verifyAudit(
        QStringLiteral("verify-audit"),
        QCoreApplication::translate("main",
                                    "Check the audit trail in the data dir against its key and "
                                    "anchor, and the sealed calls' recordings, transcripts and "
                                    "triage, then exit (0 intact; 1 broken, truncated, "
                                    "rewritten, emptied, unanchored or modified; 2 cannot be "
                                    "read)."));
    const QCommandLineOption auditKey(
        QStringLiteral("audit-key"),
        QCoreApplication::translate("main", "HMAC key of the audit trail, kept outside the data "
                                            "dir (created 0600 on first start); its anchor is "
                                            "kept beside it. Default: %1")
            .arg(defaultAuditKeyPath()),
        QStringLiteral("FILE"));
    const QCommandLineOption triageMode(
        QStringLiteral("triage"),
        QCoreApplication::translate("main", "AI triage: gemini, local or auto (Gemini when "
                                            "GEMINI_API_KEY is set)."),
        QStringLiteral("MODE"), QStringLiteral("auto"));
    const QCommandLineOption geminiEndpoint(
        QStringLiteral("gemini-endpoint"),
        QCoreApplication::translate("main", "Gemini Live base URL (scheme, host, port; also "
                                            "DISPATCH_GEMINI_ENDPOINT)."),
        QStringLiteral("URL"));
    const QCommandLineOption geminiModel(
        QStringLiteral("gemini-model"),
        QCoreApplication::translate("main", "Gemini Live model for triage (default: the current "
                                            "stable one), or a comma-separated list tried in "
                                            "order when the service refuses a model."),
        QStringLiteral("MODELS"));
    const QCommandLineOption geminiMax(
        QStringLiteral("gemini-max-sessions"),
        QCoreApplication::translate("main", "Live Gemini sessions at once; other calls get "
                                            "local triage until a slot frees."),
        QStringLiteral("N"), QStringLiteral("3"));
    const QCommandLineOption localShadows(
        QStringLiteral("local-shadows"),
        QCoreApplication::translate("main", "Calls on Gemini whose offline engine runs beside it, "
                                            "ready for a failover: auto (as many as the "
                                            "CPU headroom allows, at most 4 per core) or a "
                                            "number, a cap within that headroom (0: none)."),
        QStringLiteral("N"), QStringLiteral("auto"));
    const QCommandLineOption eventLoop(
        QStringLiteral("event-loop"),
        QCoreApplication::translate("main", "Without a window: epoll (the default: a wake-up "
                                            "costs what is ready, not what is open) or qt "
                                            "(Qt's own event dispatcher)."),
        QStringLiteral("KIND"), QStringLiteral("epoll"));
    const QCommandLineOption perAddress(
        QStringLiteral("max-connections-per-address"),
        QCoreApplication::translate("main", "WebSocket connections allowed from one IP address "
                                            "(a phone uses three; raise it for callers behind "
                                            "one NAT, or for load tests)."),
        QStringLiteral("N"), QStringLiteral("64"));
    const QCommandLineOption ringingPerAddress(
        QStringLiteral("max-ringing-per-address"),
        QCoreApplication::translate("main", "Unanswered calls one IP address may have at once "
                                            "(0: no cap; raise it for many callers behind one "
                                            "carrier NAT)."),
        QStringLiteral("N"), QStringLiteral("6"));
    const QCommandLineOption newCallsPerMinute(
        QStringLiteral("max-new-calls-per-minute"),
        QCoreApplication::translate("main", "New calls one IP address may start a minute (0: "
                                            "no cap)."),
        QStringLiteral("N"), QStringLiteral("20"));
    const QCommandLineOption audioRate(
        QStringLiteral("max-caller-audio-rate"),
        QCoreApplication::translate("main", "Caller audio accepted per call, as a multiple of "
                                            "real time (0: no limit, for load tests)."),
        QStringLiteral("X"), QStringLiteral("2"));
    const QCommandLineOption pageTestOptions(
        QStringLiteral("phone-page-test-options"),
        QCoreApplication::translate("main", "Let the phone page take its test options from its "
                                            "URL (autostart, lat/lng, text, camera): for "
                                            "automated tests only, never in service."));
    const QCommandLineOption geminiText(
        QStringLiteral("gemini-text-reports"),
        QCoreApplication::translate("main", "Ask for TEXT and read JSON reports from it (only "
                                            "for models that still accept TEXT)."));
    const QCommandLineOption wall(
        QStringLiteral("wall"),
        QCoreApplication::translate("main", "Show only the supervisor's call wall (big screen)."));
    const QCommandLineOption issueToken(
        QStringLiteral("issue-token"),
        QCoreApplication::translate("main", "Issue a dashboard token for NAME (needs --role), "
                                            "print it once and exit."),
        QStringLiteral("NAME"));
    const QCommandLineOption role(
        QStringLiteral("role"),
        QCoreApplication::translate("main", "Role of an issued token: dispatcher or supervisor."),
        QStringLiteral("ROLE"));
    const QCommandLineOption expiresDays(
        QStringLiteral("expires-days"),
        QCoreApplication::translate("main", "An issued token expires after this many days."),
        QStringLiteral("DAYS"));
    const QCommandLineOption revokeToken(
        QStringLiteral("revoke-token"),
        QCoreApplication::translate("main", "Revoke the dashboard token of NAME and exit."),
        QStringLiteral("NAME"));
    const QCommandLineOption connectTo(
        QStringLiteral("connect"),
        QCoreApplication::translate("main", "Run as a remote console of the host at URL "
                                            "(wss://host:port; needs --token)."),
        QStringLiteral("URL"));
    const QCommandLineOption remoteToken(
        QStringLiteral("token"),
        QCoreApplication::translate("main", "Dashboard token issued by the host, for --connect "
                                            "(also DISPATCH_REMOTE_TOKEN, which keeps it out of "
                                            "the process list)."),
        QStringLiteral("TOKEN"));
    const QCommandLineOption fingerprint(
        QStringLiteral("fingerprint"),
        QCoreApplication::translate("main", "SHA-256 fingerprint of the host's certificate, as "
                                            "its status bar shows it: trusts that certificate "
                                            "only."),
        QStringLiteral("SHA256"));
    const QCommandLineOption listTokens(
        QStringLiteral("list-tokens"),
        QCoreApplication::translate("main", "List the issued dashboard tokens and exit."));
    for (const auto &o : {version,
                          headless,
                          listen,
                          dataDir,
                          token,
                          autoAnswer,
                          tlsCert,
                          tlsKey,
                          tls,
                          plaintext,
                          origin,
                          theme,
                          screenshot,
                          after,
                          tileUrl,
                          addressPoints,
                          language,
                          verifyAudit,
                          demo,
                          triageMode,
                          geminiEndpoint,
                          geminiModel,
                          geminiMax,
                          localShadows,
                          eventLoop,
                          geminiText,
                          wall,
                          issueToken,
                          role,
                          expiresDays,
                          revokeToken,
                          listTokens,
                          connectTo,
                          remoteToken,
                          fingerprint,
                          perAddress,
                          ringingPerAddress,
                          newCallsPerMinute,
                          audioRate,
                          pageTestOptions,
                          auditKey})
        parser.addOption(o);
    const GeminiBackendCommandLine backendLine;
    for (const auto &o : backendLine.options())
        parser.addOption(o);
    const DatabaseCommandLine databaseLine;
    for (const auto &o : databaseLine.options())
        parser.addOption(o);

    AppOptionsResult result;
    if (!parser.parse(arguments)) {
        result.error = parser.errorText();
        return result;
    }
    if (parser.isSet(help)) {
        result.helpText = parser.helpText();
        return result;
    }
    if (!parser.positionalArguments().isEmpty()) {
        result.error = QCoreApplication::translate("main", "Unexpected argument: %1")
                           .arg(parser.positionalArguments().constFirst());
        return result;
    }

    AppOptions o;
    o.showVersion = parser.isSet(version);
    o.headless = parser.isSet(headless);
    o.autoAnswer = parser.isSet(autoAnswer);
    o.verifyAudit = parser.isSet(verifyAudit);
    o.dataDir = parser.isSet(dataDir) ? parser.value(dataDir) : defaultDataDir();
    o.auditKeyPath = parser.isSet(auditKey) ? parser.value(auditKey) : defaultAuditKeyPath();
    result.error = applyDatabaseOptions(parser, databaseLine, environment, o.dataDir, &o.storage);
    if (!result.error.isEmpty())
        return result;
    // Every integer option: within its range, or the same error wording.
    const auto intIn = [&](const QCommandLineOption &option, int min, int max, int *out) {
        const auto value = intOption(parser, option, min, max, &result.error);
        if (value)
            *out = static_cast<int>(*value);
        return value.has_value();
    };
    if (!parseListenAddress(parser.value(listen), &o.server.address, &o.server.port)) {
        result.error = QCoreApplication::translate("main", "Invalid --listen address: %1")
                           .arg(parser.value(listen));
        return result;
    }
    QString endpoint;
    for (const QString &entry : environment) {
        if (entry.startsWith(QLatin1String("DISPATCH_DASHBOARD_TOKEN=")))
            o.server.dashboardToken = entry.mid(25).toUtf8();
        else if (entry.startsWith(QLatin1String("GEMINI_API_KEY=")))
            o.ai.apiKey = entry.mid(15).trimmed();
        else if (entry.startsWith(QLatin1String("DISPATCH_GEMINI_ENDPOINT=")))
            endpoint = entry.mid(25).trimmed();
        else if (entry.startsWith(QLatin1String("DISPATCH_REMOTE_TOKEN=")))
            o.remote.token = entry.mid(22).trimmed().toUtf8();
    }
    result.error = applyGeminiBackendOptions(parser, backendLine, environment, &o.ai.backend);
    if (!result.error.isEmpty())
        return result;
    if (parser.isSet(geminiEndpoint))
        endpoint = parser.value(geminiEndpoint).trimmed();
    if (!endpoint.isEmpty()) {
        o.ai.endpoint = QUrl(endpoint, QUrl::StrictMode);
        const QString scheme = o.ai.endpoint.scheme().toLower();
        const bool known = scheme == QLatin1String("ws") || scheme == QLatin1String("wss") ||
                           scheme == QLatin1String("http") || scheme == QLatin1String("https");
        if (!o.ai.endpoint.isValid() || !known || o.ai.endpoint.host().isEmpty()) {
            result.error =
                QCoreApplication::translate("main", "Invalid Gemini endpoint: %1 (expected "
                                                    "wss://host[:port])")
                    .arg(endpoint);
            return result;
        }
        // The API key goes in the upgrade request's header: in clear only to this machine
        // (a local fake or gateway), never across a network. No --allow-plaintext for this.
        const bool clear = scheme == QLatin1String("ws") || scheme == QLatin1String("http");
        if (clear && !isLoopbackHost(o.ai.endpoint.host())) {
            result.error = QCoreApplication::translate(
                               "main", "--gemini-endpoint %1 would send the API key in clear off "
                                       "this machine: use wss:// (ws:// is for loopback only)")
                               .arg(endpoint);
            return result;
        }
    }
    const auto mode = triageModeFromString(parser.value(triageMode));
    if (!mode) {
        result.error = QCoreApplication::translate("main", "--triage is gemini, local or auto");
        return result;
    }
    o.ai.mode = *mode;
    o.ai.model = parser.value(geminiModel).trimmed();
    if (!intIn(geminiMax, 0, 1000, &o.ai.maxSessions))
        return result;
    if (parser.value(localShadows) != QLatin1String("auto") &&
        !intIn(localShadows, 0, 10000, &o.ai.localShadows)) {
        result.error = QCoreApplication::translate("main", "--local-shadows takes auto or 0-10000");
        return result;
    }
    if (const QString loop = parser.value(eventLoop);
        loop != QLatin1String("epoll") && loop != QLatin1String("qt")) {
        result.error = QCoreApplication::translate("main", "--event-loop takes epoll or qt");
        return result;
    }
    o.epollEventLoop = parser.value(eventLoop) == QLatin1String("epoll");
    if (!intIn(perAddress, 1, 100000, &o.server.maxConnectionsPerAddress) ||
        !intIn(ringingPerAddress, 0, 100000, &o.server.callers.newCalls.maxRingingPerAddress) ||
        !intIn(newCallsPerMinute, 0, 1000000, &o.server.callers.newCalls.maxCallsPerWindow))
        return result;
    o.server.callers.newCalls.windowMs = 60'000;
    bool rateOk = false;
    o.server.callers.maxAudioRealTime = parser.value(audioRate).toDouble(&rateOk);
    if (!rateOk || o.server.callers.maxAudioRealTime < 0 ||
        o.server.callers.maxAudioRealTime > 1000) {
        result.error = QCoreApplication::translate("main", "--max-caller-audio-rate takes 0-1000");
        return result;
    }
    o.server.phonePageTestOptions = parser.isSet(pageTestOptions);
    o.ai.textReports = parser.isSet(geminiText);
    if (parser.isSet(token))
        o.server.dashboardToken = parser.value(token).toUtf8();
    if (parser.isSet(tlsCert) != parser.isSet(tlsKey)) {
        result.error = QCoreApplication::translate("main", "--tls-cert and --tls-key go together");
        return result;
    }
    o.server.tlsCertPath = parser.value(tlsCert);
    o.server.tlsKeyPath = parser.value(tlsKey);
    o.server.allowPlaintext = parser.isSet(plaintext);
    o.server.forceTls = parser.isSet(tls);
    o.theme = parser.value(theme).toLower();
    if (o.theme != QLatin1String("dark") && o.theme != QLatin1String("light")) {
        result.error = QCoreApplication::translate("main", "--theme is dark or light");
        return result;
    }
    o.screenshotPath = parser.value(screenshot);
    o.tileUrl = parser.value(tileUrl);
    o.addressPointsPath = parser.value(addressPoints);
    o.demo = parser.isSet(demo);
    o.wall = parser.isSet(wall);
    if (parser.isSet(remoteToken))
        o.remote.token = parser.value(remoteToken).toUtf8();
    o.remote.fingerprint = parser.value(fingerprint).trimmed();
    if (parser.isSet(connectTo)) {
        o.remote.url = QUrl(parser.value(connectTo).trimmed(), QUrl::StrictMode);
        const QString scheme = o.remote.url.scheme().toLower();
        if (!o.remote.url.isValid() || o.remote.url.host().isEmpty() ||
            (scheme != QLatin1String("ws") && scheme != QLatin1String("wss"))) {
            result.error = QCoreApplication::translate("main", "Invalid --connect URL: %1 "
                                                               "(expected wss://host:port)")
                               .arg(parser.value(connectTo));
            return result;
        }
        if (o.remote.token.isEmpty()) {
            result.error = QCoreApplication::translate(
                "main", "--connect needs the token the host issued (--token or "
                        "DISPATCH_REMOTE_TOKEN)");
            return result;
        }
        if (scheme == QLatin1String("ws") && !isLoopbackHost(o.remote.url.host()) &&
            !o.server.allowPlaintext) {
            result.error = QCoreApplication::translate(
                "main", "--connect with ws:// would send the token in clear off this machine: "
                        "use wss:// (or --allow-plaintext)");
            return result;
        }
        if (o.headless) {
            result.error = QCoreApplication::translate(
                "main", "--connect runs the console's UI; it cannot be --headless");
            return result;
        }
    }
    bool afterOk = false;
    const double seconds = parser.value(after).toDouble(&afterOk);
    if (!afterOk || seconds < 0 || seconds > 3600) {
        result.error = QCoreApplication::translate("main", "--after takes seconds (0-3600)");
        return result;
    }
    o.screenshotAfterMs = static_cast<int>(seconds * 1000);
    o.server.allowedOrigins = parser.values(origin);
    o.server.dataDir = o.dataDir;
    o.server.tokenStorePath = o.dataDir + QStringLiteral("/tokens.json");
    const int tokenCommands = (parser.isSet(issueToken) ? 1 : 0) +
                              (parser.isSet(revokeToken) ? 1 : 0) +
                              (parser.isSet(listTokens) ? 1 : 0);
    if (tokenCommands > 1) {
        result.error = QCoreApplication::translate(
            "main", "--issue-token, --revoke-token and --list-tokens are used one at a time");
        return result;
    }
    if (parser.isSet(issueToken)) {
        o.tokenCommand = AppOptions::TokenCommand::Issue;
        o.tokenName = parser.value(issueToken);
        o.tokenRole = parser.value(role);
        if (o.tokenRole != QLatin1String("dispatcher") &&
            o.tokenRole != QLatin1String("supervisor")) {
            result.error = QCoreApplication::translate(
                "main", "--issue-token needs --role dispatcher or --role supervisor");
            return result;
        }
        if (parser.isSet(expiresDays) && !intIn(expiresDays, 1, 3650, &o.tokenExpiresDays))
            return result;
    } else if (parser.isSet(revokeToken)) {
        o.tokenCommand = AppOptions::TokenCommand::Revoke;
        o.tokenName = parser.value(revokeToken);
    } else if (parser.isSet(listTokens)) {
        o.tokenCommand = AppOptions::TokenCommand::List;
    }
    result.options = o;
    return result;
}

bool runNeedsGui(const QStringList &arguments, const QStringList &environment)
{
    const AppOptionsResult parsed = parseAppOptions(arguments, environment);
    if (!parsed.options)
        return false;
    const AppOptions &o = *parsed.options;
    return !o.headless && !o.showVersion && !o.verifyAudit &&
           o.tokenCommand == AppOptions::TokenCommand::None;
}

} // namespace dispatch
