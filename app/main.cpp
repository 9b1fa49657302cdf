#include "aitriage.h"
#include "appoptions.h"
#include "calls/callstore.h"
#include "common/epolleventdispatcher.h"
#include "common/metricsregistry.h"
#include "demodriver.h"
#include "host/httpapi.h"
#include "host/phoneserver.h"
#include "nodehealth.h"
#include "signalquitter.h"
#include "siteaddresses.h"
#include "storage/auditchain.h"
#include "storage/privatefiles.h"
#include "storage/storage.h"
#include "tokencommands.h"
#include "triage/localtriagebackend.h"
#include "triage/triagecoordinator.h"
#include "triage/triagerouter.h"
#include "triage/triagerules.h"

#include <QCoreApplication>
#include <QDir>
#include <QFileInfo>
#include <QJsonObject>
#include <QLoggingCategory>
#include <QRegularExpression>
#include <QTextStream>
#include <QTimer>

#include <cstdio>
#include <memory>
#include <unistd.h>

#ifdef DISPATCH_HAVE_UI
#include "calllists.h"
#include "callurgencyorder.h"
#include "callwall.h"
#include "consolesettings.h"
#include "mainwindow.h"
#include "remoteconsole.h"
#include "screenshot.h"
#include "theme.h"
#include <QApplication>
#include <QIcon>
#include <QLocale>
#include <QScreen>
#include <QSettings>
#include <QTranslator>
#endif

Q_LOGGING_CATEGORY(lcApp, "dispatch.app")

using namespace dispatch;

namespace {

// The console is going away (quit, SIGTERM): every live call ends as a server shutdown, so the
// recordings and the audit trail say so, and each phone is told before its socket closes.
void shutDownCalls(CallStore &store, PhoneServer &server)
{
    if (const int ended = store.endAllLive(EndReason::ServerShutdown); ended > 0)
        qCWarning(lcApp) << "shutdown ended" << ended << "live call(s)";
    server.drainPhones(2000);
}

// The value of --NAME in the raw arguments, read before parsing (e.g. so --help is translated).
QString argumentValue(const QStringList &arguments, const QString &name)
{
    const qsizetype i = arguments.indexOf(name);
    return i >= 0 && i + 1 < arguments.size() ? arguments.at(i + 1) : QString();
}

#ifdef DISPATCH_HAVE_UI
// What the Settings dialog saved, as default arguments: the command line still wins.
QStringList withSavedSettings(QStringList arguments, const ConsoleSettings &saved)
{
    const QList<QPair<QString, QString>> defaults{
        {QStringLiteral("--listen"), saved.listen},
        {QStringLiteral("--tls-cert"), saved.tlsCertPath},
        {QStringLiteral("--tls-key"), saved.tlsKeyPath},
        {QStringLiteral("--tile-url"), saved.tileUrl},
        {QStringLiteral("--address-points"), saved.addressPoints},
        {QStringLiteral("--gemini-model"), saved.geminiModel},
        {QStringLiteral("--theme"), saved.theme},
        {QStringLiteral("--language"), saved.language}};
    const bool certGiven = arguments.contains(QStringLiteral("--tls-cert")) ||
                           arguments.contains(QStringLiteral("--tls-key"));
    for (const auto &[option, value] : defaults) {
        const bool tlsPair =
            option == QLatin1String("--tls-cert") || option == QLatin1String("--tls-key");
        if (value.isEmpty() || arguments.contains(option) || (tlsPair && certGiven))
            continue;
        if (tlsPair && (saved.tlsCertPath.isEmpty() || saved.tlsKeyPath.isEmpty()))
            continue;
        arguments << option << value;
    }
    return arguments;
}
#endif

// --verify-audit: 0 the chain is intact (and every sealed call matches its seal), 1 it is not
// (broken, truncated, rewritten, emptied, unanchored or modified: each said in words), 2 the
// audit trail cannot be read.
int verifyAudit(const QString &dataDir, const DatabaseTarget &database, const QString &keyPath,
                QTextStream &out, QTextStream &err)
{
    AuditVerifyOptions options;
    options.keyPath = keyPath;
    options.database = database;
    const AuditVerification v = verifyAuditLog(dataDir, options);
    for (const QString &warning : v.warnings)
        err << QCoreApplication::translate("main", "warning: %1").arg(warning) << Qt::endl;
    switch (v.status) {
    case AuditVerification::Status::Valid:
        out << QCoreApplication::translate("main", "audit trail intact: %1 entries, head %2")
                   .arg(v.entries)
                   .arg(v.headHash)
            << Qt::endl;
        out << QCoreApplication::translate("main", "sealed calls intact: %1 checked, %2 deleted "
                                                   "by retention")
                   .arg(v.sealedCalls)
                   .arg(v.purgedCalls)
            << Qt::endl;
        return 0;
    case AuditVerification::Status::Broken:
        out << QCoreApplication::translate("main", "audit trail BROKEN at entry %1: %2 (%3 entries "
                                                   "before it verify)")
                   .arg(v.firstBrokenSeq)
                   .arg(v.reason)
                   .arg(v.entries)
            << Qt::endl;
        return 1;
    case AuditVerification::Status::Truncated:
        out << QCoreApplication::translate("main", "audit trail TRUNCATED: %1").arg(v.reason)
            << Qt::endl;
        return 1;
    case AuditVerification::Status::Rewritten:
        out << QCoreApplication::translate("main", "audit trail REWRITTEN: %1").arg(v.reason)
            << Qt::endl;
        return 1;
    case AuditVerification::Status::Emptied:
        out << QCoreApplication::translate("main", "audit trail EMPTIED: %1").arg(v.reason)
            << Qt::endl;
        return 1;
    case AuditVerification::Status::Unanchored:
        out << QCoreApplication::translate("main", "audit trail NOT ANCHORED: %1").arg(v.reason)
            << Qt::endl;
        return 1;
    case AuditVerification::Status::Modified:
        out << QCoreApplication::translate("main", "audit trail intact, but call records "
                                                   "MODIFIED: %1")
                   .arg(v.reason)
            << Qt::endl;
        for (const QString &line : v.modified)
            out << "  " << line << Qt::endl;
        return 1;
    case AuditVerification::Status::CannotOpen:
        break;
    }
    err << QCoreApplication::translate("main", "cannot read the audit trail: %1").arg(v.reason)
        << Qt::endl;
    return 2;
}

} // namespace

static int runConsole(int argc, char *argv[])
{
    // Secrets are read from the environment once and removed from it, before anything can start
    // a thread or a child process (QtWebEngine's helpers would inherit them).
    QStringList environment = takeSecretsFromEnvironment();
    // The same engine runs with or without a GUI; only a GUI run needs a display. The options
    // parser decides which, before any application object exists.
    QStringList rawArguments;
    for (int i = 0; i < argc; ++i)
        rawArguments << QString::fromLocal8Bit(argv[i]);
    const bool gui = runNeedsGui(rawArguments, environment);
    std::unique_ptr<QCoreApplication> app;
    // Without a window, the engine's thread waits on epoll: with hundreds of phone sockets a
    // wake-up then costs what is ready, not what is open (docs/PERFORMANCE.md). A window needs
    // the platform's own dispatcher.
    if (!gui &&
        argumentValue(rawArguments, QStringLiteral("--event-loop")) != QLatin1String("qt")) {
        auto *dispatcher = new EpollEventDispatcher;
        if (dispatcher->isValid())
            QCoreApplication::setEventDispatcher(dispatcher);
        else
            delete dispatcher; // logged; Qt's dispatcher serves
    }
#ifdef DISPATCH_HAVE_UI
    if (!gui) {
        app = std::make_unique<QCoreApplication>(argc, argv);
    } else {
        // Chromium (inside QtWebEngine, for the map) refuses to start as root with its sandbox.
        if (::geteuid() == 0 && !qEnvironmentVariableIsSet("QTWEBENGINE_DISABLE_SANDBOX")) {
            qputenv("QTWEBENGINE_DISABLE_SANDBOX", "1");
            qCWarning(lcApp) << "running as root: the map's web engine runs without its sandbox";
        }
        QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
        app = std::make_unique<QApplication>(argc, argv);
    }
#else
    Q_UNUSED(gui)
    app = std::make_unique<QCoreApplication>(argc, argv);
#endif
    QCoreApplication::setOrganizationName(QStringLiteral("dispatch-console"));
    QCoreApplication::setApplicationName(QStringLiteral("dispatch-console"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DISPATCH_VERSION));
    QStringList arguments = QCoreApplication::arguments();
#ifdef DISPATCH_HAVE_UI
    if (gui) {
        QSettings settings;
        arguments = withSavedSettings(arguments, ConsoleSettings::load(settings));
        // A key stored from the Settings dialog (a 0600 file), unless the environment gives
        // one: handed to the options parser only, never put in the process environment.
        if (environment.filter(QRegularExpression(QStringLiteral("^GEMINI_API_KEY="))).isEmpty()) {
            const QString dir = argumentValue(arguments, QStringLiteral("--data-dir"));
            const QByteArray key = ApiKeyFile(dir.isEmpty() ? defaultDataDir() : dir).read();
            if (!key.isEmpty())
                environment << QStringLiteral("GEMINI_API_KEY=") + QString::fromUtf8(key);
        }
    }
    QTranslator translator;
    const QString language = argumentValue(arguments, QStringLiteral("--language"));
    if (translator.load(QLocale(language.isEmpty() ? QLocale::system().name() : language),
                        QStringLiteral("dispatch"), QStringLiteral("_"), QStringLiteral(":/i18n")))
        QCoreApplication::installTranslator(&translator);
#endif

    QTextStream out(stdout);
    QTextStream err(stderr);
    const AppOptionsResult parsed = parseAppOptions(arguments, environment);
    if (!parsed.helpText.isEmpty()) {
        out << parsed.helpText;
        return 0;
    }
    if (!parsed.error.isEmpty()) {
        err << parsed.error << "\n" << QCoreApplication::translate("main", "Try --help.") << "\n";
        return 2;
    }
    const AppOptions &options = *parsed.options;
    if (options.showVersion) {
        out << "dispatch-console " << QCoreApplication::applicationVersion() << "\n";
        return 0;
    }
    if (options.verifyAudit)
        return verifyAudit(options.dataDir, options.storage.database, options.auditKeyPath, out,
                           err);
    if (options.tokenCommand != AppOptions::TokenCommand::None)
        return runTokenCommand(options, out, err);
    SignalQuitter quitter;
    if (!quitter.install())
        qCWarning(lcApp) << "cannot catch SIGINT/SIGTERM: they will end the console abruptly";
    if (options.remote.enabled()) {
#ifdef DISPATCH_HAVE_UI
        applyTheme(*qobject_cast<QApplication *>(app.get()), themeFromString(options.theme));
        return runRemoteConsole(options, err);
#else
        err << "built without the UI: --connect needs it\n";
        return 2;
#endif
    }
    // Owner-only (0700): recordings, the database and the TLS key live here.
    if (!ensurePrivateDir(options.dataDir) && !QFileInfo(options.dataDir).isDir()) {
        err << QCoreApplication::translate("main", "Cannot create data dir %1").arg(options.dataDir)
            << "\n";
        return 1;
    }

    // Composition root: every long-lived object is built and wired here.
    // The site's address points give each call's location its address. A file that will not
    // load is said loudly (and in /health); the console runs on without addresses.
    const SiteAddresses addresses = loadSiteAddresses(options.addressPointsPath);
    if (!addresses.path.isEmpty() && !addresses.available())
        err << QCoreApplication::translate("main", "WARNING: no site addresses: %1")
                   .arg(addresses.error.message)
            << Qt::endl;
    CallStoreConfig storeConfig;
    storeConfig.addressLookup = addresses.lookup();
    CallStore store(storeConfig);
    MetricsRegistry metrics;
    PhoneServer server(options.server, store, metrics);
    // Storage trouble never stops the console: an emergency call must be answered even when it
    // cannot be recorded. A database that will not open is logged loudly, the "storage" check
    // makes /health not ready, and the console runs on without records.
    StorageConfig storageConfig;
    storageConfig.dataDir = options.dataDir;
    storageConfig.database = options.storage.database;
    storageConfig.auditKeyPath = options.auditKeyPath;
    storageConfig.retention.days = options.storage.retentionDays;
    storageConfig.health.minFreeBytes = options.storage.minFreeBytes;
    storageConfig.node = options.storage.node;
    Storage storage(storageConfig, store, metrics);
    if (const auto opened = storage.open(); !opened) {
        err << QCoreApplication::translate("main",
                                           "WARNING: storage unavailable, calls will NOT be "
                                           "recorded: %1")
                   .arg(opened.error().message)
            << Qt::endl;
    }
    server.httpApi().addInfo(
        QStringLiteral("addresses"),
        HttpApi::InfoSource([&addresses](HttpApi::Audience a) { return addresses.healthInfo(a); }));
    addNodeHealth(server.httpApi(), storage);
    server.httpApi().addReadinessCheck(QStringLiteral("storage"), [&storage] {
        return HttpApi::CheckResult{storage.health().isOk(), storage.health().detail()};
    });

    // Offline triage: the embedded default, no key and no network needed.
    const Parsed<TriageRules> rules = loadTriageRules(defaultTriageRulesPath());
    if (!rules) {
        err << QCoreApplication::translate("main", "Cannot load the triage rules: %1")
                   .arg(rules.error().message)
            << "\n";
        return 1;
    }
    LocalTriageConfig localConfig;
    localConfig.rules = rules.value();
    // With Gemini the local engine only backs it up: no decoder is loaded before the first
    // shadow, failover or abandoned call needs one (~57 MiB and 0.4 s of CPU each).
    if (options.ai.wantsGemini())
        localConfig.decoders.prewarm = 0;
    LocalTriageBackend localTriage(localConfig);
    // Gemini Live per call when a key is set (--triage), the local engine as fallback.
    QString aiNotice;
    AiTriage ai = buildAiTriage(options.ai, localTriage, metrics, server.httpApi(), &aiNotice);
    if (!aiNotice.isEmpty())
        err << aiNotice << Qt::endl;
    TriageCoordinator triage(store, *ai.router);
    // What an abandoned (or lost) caller said while the call rang: assessed offline at its end.
    triage.setRingAudioBackend(&localTriage);
    if (options.autoAnswer) {
        QObject::connect(&store, &CallStore::callAdded, &store, [&store](const QString &id) {
            if (store.answer(id, Actor::system(QStringLiteral("auto-answer"))) !=
                CallStore::Result::Ok)
                qCWarning(lcApp) << "auto-answer: call" << id << "could not be answered";
        });
    }
    const Parsed<QUrl> url = server.start();
    if (!url) {
        err << QCoreApplication::translate("main", "Cannot start the server: %1")
                   .arg(url.error().message)
            << "\n";
        return 1;
    }
    // Where the other nodes find this one, unless --node-url said: known once listening.
    if (options.storage.node.urls.isEmpty() && storage.node())
        storage.node()->setUrls(defaultNodeUrls(url.value(), options.server.address));
    std::unique_ptr<DemoDriver> demo;
    if (options.demo) {
        // A window with a dispatcher in front of it: the dispatcher answers (F2).
        const bool dispatcherAnswers =
            !options.headless && !options.wall && options.screenshotPath.isEmpty();
        demo = std::make_unique<DemoDriver>(store, url.value(),
                                            dispatcherAnswers ? DemoDriver::Answering::ByDispatcher
                                                              : DemoDriver::Answering::Assisted);
        QString why;
        if (!demo->start(&why))
            err << QCoreApplication::translate("main", "--demo: %1").arg(why) << Qt::endl;
    }

    if (options.headless) {
        out << "listening on " << url->toString() << Qt::endl;
        const JoinInfo join = server.joinInfo();
        for (const QUrl &page : join.urls)
            out << "phones can call: " << page.toString() << Qt::endl;
        if (!join.tlsFingerprint.isEmpty())
            out << "certificate SHA-256: " << join.tlsFingerprint << Qt::endl;
        const int rc = app->exec();
        shutDownCalls(store, server);
        return rc;
    }
#ifdef DISPATCH_HAVE_UI
    applyTheme(*qobject_cast<QApplication *>(app.get()), themeFromString(options.theme));
    // Ties the window to the installed desktop entry and icon (packaging/).
    QGuiApplication::setDesktopFileName(QStringLiteral(DISPATCH_APP_ID));
    QApplication::setWindowIcon(QIcon::fromTheme(QStringLiteral(DISPATCH_APP_ID)));
    MapConfig mapConfig;
    mapConfig.tileUrl = options.tileUrl;
    std::unique_ptr<QWidget> window;
    MainWindow *mainWindow = nullptr;
    if (options.wall) {
        window = std::make_unique<CallWall>(store);
    } else {
        auto console = std::make_unique<MainWindow>(store, server, mapConfig);
        console->setDataDir(options.dataDir);
        console->setStorage(&storage);
        if (ai.router && ai.router->hasPrimary())
            console->setGeminiBudget(ai.router->budget());
        console->setGeminiModels(ai.models);
        if (ai.router && ai.router->hasPrimary()) {
            const TriageRouter *router = ai.router.get();
            console->setShadowStatus([router] { return router->shadowStatus(); });
        }
        console->setDemoHint(demo != nullptr && options.screenshotPath.isEmpty());
        mainWindow = console.get();
        window = std::move(console);
    }
    QSettings settings;
    if (mainWindow)
        mainWindow->showWhereLeft(settings); // maximised on the first start
    else { // the wall has its screen to itself (the geometry too, for a window manager-less X)
        if (const QScreen *screen = QGuiApplication::primaryScreen())
            window->setGeometry(screen->availableGeometry());
        window->showMaximized();
    }
    if (mainWindow && !options.screenshotPath.isEmpty()) {
        // A scripted render shows a call as a dispatcher would have it: the top of the queue
        // selected, a second before the picture.
        QTimer::singleShot(std::max(0, options.screenshotAfterMs - 1000), mainWindow, [mainWindow] {
            if (mainWindow->selectedCallId().isEmpty())
                mainWindow->selectCall(mainWindow->callLists()->queue().callIdAt(0));
        });
    }
    scheduleScreenshot(window.get(), options.screenshotPath, options.screenshotAfterMs, err);
    const int rc = app->exec();
    if (mainWindow && options.screenshotPath.isEmpty()) // a scripted render is not a layout
        mainWindow->rememberGeometry(settings);
    window.reset();
    shutDownCalls(store, server);
    return rc;
#else
    err << "built without the UI: use --headless\n";
    return 2;
#endif
}

int main(int argc, char *argv[])
{
    const int rc = runConsole(argc, argv);
    // Everything the console owns is closed and written by now: calls ended, storage and the
    // audit anchor flushed, settings synced, windows and the application object gone. Qt
    // 6.4.2's PulseAudio engine then disconnects from a static destructor without libpulse's
    // lock, racing libpulse's own thread: a rare crash after a clean shutdown
    // (docs/RELIABILITY.md). No static destructor holds anything of ours, so they are skipped.
    std::fflush(nullptr);
    ::_exit(rc);
}
