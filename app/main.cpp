#include "aitriage.h"
#include "appoptions.h"
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "phone/phoneserver.h"
#include "triage/localtriagebackend.h"
#include "triage/triagecoordinator.h"
#include "triage/triagerouter.h"
#include "triage/triagerules.h"

#include <QCoreApplication>
#include <QDir>
#include <QLoggingCategory>
#include <QProcessEnvironment>
#include <QTextStream>

#include <csignal>
#include <memory>

#ifdef DISPATCH_HAVE_UI
#include "mainwindow.h"
#include "theme.h"
#include <QApplication>
#include <QTimer>
#endif

Q_LOGGING_CATEGORY(lcApp, "dispatch.app")

using namespace dispatch;

namespace {

bool wantsHeadless(int argc, char *argv[])
{
    for (int i = 1; i < argc; ++i) {
        const QByteArray a(argv[i]);
        if (a == "--headless" || a == "--version" || a == "--help" || a == "-h")
            return true;
    }
    return false;
}

void quitOnSignal(int)
{
    QCoreApplication::quit();
}

} // namespace

int main(int argc, char *argv[])
{
    // The same engine runs with or without a GUI; only a GUI run needs a display.
    std::unique_ptr<QCoreApplication> app;
#ifdef DISPATCH_HAVE_UI
    if (wantsHeadless(argc, argv))
        app = std::make_unique<QCoreApplication>(argc, argv);
    else
        app = std::make_unique<QApplication>(argc, argv);
#else
    Q_UNUSED(wantsHeadless)
    app = std::make_unique<QCoreApplication>(argc, argv);
#endif
    QCoreApplication::setOrganizationName(QStringLiteral("dispatch-console"));
    QCoreApplication::setApplicationName(QStringLiteral("dispatch-console"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DISPATCH_VERSION));

    QTextStream out(stdout);
    QTextStream err(stderr);
    const AppOptionsResult parsed = parseAppOptions(
        QCoreApplication::arguments(), QProcessEnvironment::systemEnvironment().toStringList());
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
    if (!QDir().mkpath(options.dataDir)) {
        err << QCoreApplication::translate("main", "Cannot create data dir %1").arg(options.dataDir)
            << "\n";
        return 1;
    }

    // Composition root: every long-lived object is built and wired here.
    CallStore store;
    MetricsRegistry metrics;
    PhoneServer server(options.server, store, metrics);

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
    LocalTriageBackend localTriage(localConfig);
    // Gemini Live per call when a key is set (--triage), the local engine as fallback.
    QString aiNotice;
    AiTriage ai = buildAiTriage(options.ai, localTriage, metrics, server.httpApi(), &aiNotice);
    if (!aiNotice.isEmpty())
        err << aiNotice << Qt::endl;
    TriageCoordinator triage(store, *ai.router);
    if (options.autoAnswer) {
        QObject::connect(&store, &CallStore::callAdded, &store, [&store](const QString &id) {
            store.answer(id, QStringLiteral("auto-answer"));
        });
    }
    const Parsed<QUrl> url = server.start();
    if (!url) {
        err << QCoreApplication::translate("main", "Cannot start the server: %1")
                   .arg(url.error().message)
            << "\n";
        return 1;
    }
    std::signal(SIGINT, quitOnSignal);
    std::signal(SIGTERM, quitOnSignal);

    if (options.headless) {
        out << "listening on " << url->toString() << Qt::endl;
        const int rc = app->exec();
        for (const Call *c : store.calls()) {
            if (c->isLive())
                store.end(c->id, EndReason::ServerShutdown);
        }
        return rc;
    }
#ifdef DISPATCH_HAVE_UI
    applyTheme(*qobject_cast<QApplication *>(app.get()), themeFromString(options.theme));
    MainWindow window(store, server);
    window.show();
    if (!options.screenshotPath.isEmpty()) {
        QTimer::singleShot(options.screenshotAfterMs, &window, [&] {
            const bool saved = window.grab().save(options.screenshotPath, "PNG");
            if (!saved)
                err << QCoreApplication::translate("main", "Cannot write %1")
                           .arg(options.screenshotPath)
                    << Qt::endl;
            QCoreApplication::exit(saved ? 0 : 1);
        });
    }
    return app->exec();
#else
    err << "built without the UI: use --headless\n";
    return 2;
#endif
}
