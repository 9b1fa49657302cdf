#include "appoptions.h"
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "phone/phoneserver.h"

#include <QCoreApplication>
#include <QDir>
#include <QLoggingCategory>
#include <QProcessEnvironment>
#include <QTextStream>

#include <csignal>
#include <memory>

#ifdef DISPATCH_HAVE_UI
#include "mainwindow.h"
#include <QApplication>
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
        const JoinInfo join = server.joinInfo();
        for (const QUrl &page : join.urls)
            out << "phones can call: " << page.toString() << Qt::endl;
        if (!join.tlsFingerprint.isEmpty())
            out << "certificate SHA-256: " << join.tlsFingerprint << Qt::endl;
        const int rc = app->exec();
        for (const Call *c : store.calls()) {
            if (c->isLive())
                store.end(c->id, EndReason::ServerShutdown);
        }
        return rc;
    }
#ifdef DISPATCH_HAVE_UI
    MainWindow window(store, server);
    window.show();
    return app->exec();
#else
    err << "built without the UI: use --headless\n";
    return 2;
#endif
}
