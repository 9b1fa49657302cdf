#pragma once

#include "databaseoptions.h"
#include "host/phoneserver.h"
#include "triage/triagemode.h"
#include "vertexoptions.h"

#include <QString>
#include <QStringList>
#include <QUrl>

#include <optional>

namespace dispatch {

// AI triage: Gemini Live per call (when a key is set) with the local engine as fallback.
struct AiOptions
{
    TriageMode mode = TriageMode::Auto; // --triage (Auto: Gemini when a key is set)
    QString apiKey;                     // GEMINI_API_KEY only; never logged
    QUrl endpoint;                      // scheme://host:port; empty = the Google endpoint
    QString model;                      // empty = the default triage model
    int maxSessions = 3;                // live Gemini sessions at once
    // Calls whose local engine runs beside Gemini (--local-shadows), budgeted by CPU headroom
    // within a cap: -1 auto (at most 4 x cores), N at most N, 0 none.
    int localShadows = -1;
    bool textReports = false;     // TEXT modality + JSON reports in the text
    GeminiBackendOptions backend; // Developer API (the key) or Vertex AI (a service account)

    bool hasCredentials() const
    {
        return backend.isVertex() ? backend.account.has_value() : !apiKey.isEmpty();
    }
    bool wantsGemini() const { return mode != TriageMode::Local && hasCredentials(); }
};

// A remote console: the full UI on another console's (or a --headless server's) calls.
struct RemoteOptions
{
    QUrl url;            // ws(s)://host:port of the host; empty: this console is the host
    QByteArray token;    // --token or DISPATCH_REMOTE_TOKEN; never logged
    QString fingerprint; // the host certificate's SHA-256 to pin (--fingerprint)

    bool enabled() const { return !url.isEmpty(); }
};

// Everything the command line and the environment decide, parsed in one place.
struct AppOptions
{
    bool headless = false;
    // Without a window the engine's thread waits on epoll (--event-loop epoll, the default)
    // or on Qt's own dispatcher (qt). Read again in main() before the application exists.
    bool epollEventLoop = true;
    bool autoAnswer = false;
    bool showVersion = false;
    bool demo = false; // simulated callers from the demo calls
    bool wall = false; // open only the supervisor's call wall
    QString theme = QStringLiteral("dark");
    QString tileUrl;
    QString addressPointsPath; // the site's address points (GeoJSON); empty: none
    QString screenshotPath;    // render the main window to this PNG and exit
    int screenshotAfterMs = 1500;
    bool verifyAudit = false; // check the audit trail's hash chain and exit
    // Token management on the host, then exit (see TokenStore).
    enum class TokenCommand
    {
        None,
        Issue,
        Revoke,
        List
    };
    TokenCommand tokenCommand = TokenCommand::None;
    QString tokenName;
    QString tokenRole;        // dispatcher or supervisor
    int tokenExpiresDays = 0; // 0: never
    QString dataDir;
    DatabaseOptions storage; // the database, retention, disk alarm and this engine node
    // The audit trail's HMAC key, outside the data dir; its anchor is kept beside it.
    QString auditKeyPath;
    PhoneServerConfig server;
    AiOptions ai;
    RemoteOptions remote;
};

struct AppOptionsResult
{
    std::optional<AppOptions> options;
    QString error;    // set when parsing failed
    QString helpText; // set when --help was asked for
    bool exitNow() const { return !options; }
};

// Parses arguments (argv[0] first) and the environment (DISPATCH_DASHBOARD_TOKEN,
// GEMINI_API_KEY, DISPATCH_GEMINI_ENDPOINT).
AppOptionsResult parseAppOptions(const QStringList &arguments, const QStringList &environment);

// Whether a run with these arguments opens windows (the console, or a remote console) rather
// than running on the terminal (--headless, --help, --version, --verify-audit, the token
// commands, or arguments in error, which are reported there). Decided by parseAppOptions itself,
// so the choice of application object can never disagree with what the run then does.
bool runNeedsGui(const QStringList &arguments, const QStringList &environment);

// The environment variables that hold secrets (the Gemini API key, dashboard tokens).
inline constexpr const char *SecretEnvironmentVariables[] = {
    "GEMINI_API_KEY", "DISPATCH_DASHBOARD_TOKEN", "DISPATCH_REMOTE_TOKEN", "PGPASSWORD"};
// The process environment as "NAME=value" for parseAppOptions(), with the secrets then removed
// from the process environment: child processes (QtWebEngine's renderers and helpers, anything
// a QProcess starts) inherit it, and they have no business with them. Call it once, early in
// main(), before any thread or child process starts (qunsetenv is not thread-safe).
QStringList takeSecretsFromEnvironment();

// "localhost" or a loopback address (127.0.0.0/8, ::1).
bool isLoopbackHost(const QString &host);

// "0.0.0.0:8443", "127.0.0.1:0", "[::1]:9000", ":8443"
bool parseListenAddress(const QString &text, QHostAddress *address, quint16 *port);

QString defaultDataDir();
// <user config dir>/audit.key (~/.config/dispatch-console/dispatch-console/audit.key): outside
// the data dir, so a copy of the data dir cannot re-key the audit trail.
QString defaultAuditKeyPath();

} // namespace dispatch
