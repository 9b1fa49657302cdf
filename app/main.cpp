#include "appoptions.h"
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "phone/httpapi.h"
#include "phone/phoneserver.h"
#include "storage/auditchain.h"
#include "storage/storage.h"

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
        if (a == "--headless" || a == "--version" || a == "--help" || a == "-h" ||
            a == "--verify-audit")
            return true;
    }
    return false;
}

void quitOnSignal(int)
{
    QCoreApplication::quit();
}

// --verify-audit: 0 the chain is intact, 1 it is broken (the first bad entry is named),
// 2 the audit trail cannot be read.
int verifyAudit(const QString &dataDir, QTextStream &out, QTextStream &err)
{
    const AuditVerification v = verifyAuditLog(dataDir);
    switch (v.status) {
    case AuditVerification::Status::Valid:
        out << QCoreApplication::translate("main", "audit trail intact: %1 entries, head %2")
                   .arg(v.entries)
                   .arg(v.headHash)
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
    case AuditVerification::Status::CannotOpen:
        break;
    }
    err << QCoreApplication::translate("main", "cannot read the audit trail: %1").arg(v.reason)
        << Qt::endl;
    return 2;
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
    if (options.verifyAudit)
        return verifyAudit(options.dataDir, out, err);
    if (!QDir().mkpath(options.dataDir)) {
        err << QCoreApplication::translate("main", "Cannot create data dir %1").arg(options.dataDir)
            << "\n";
        return 1;
    }

    // Composition root: every long-lived object is built and wired here.
    CallStore store;
    MetricsRegistry metrics;
    PhoneServer server(options.server, store, metrics);
    // Storage trouble never stops the console: an emergency call must be answered even when it
    // cannot be recorded. A database that will not open is logged loudly, the "storage" check
    // makes /health not ready, and the console runs on without records.
    StorageConfig storageConfig;
    storageConfig.dataDir = options.dataDir;
    storageConfig.retention.days = options.retentionDays;
    storageConfig.health.minFreeBytes = options.minFreeBytes;
    Storage storage(storageConfig, store, metrics);
    if (const auto opened = storage.open(); !opened) {
        err << QCoreApplication::translate("main",
                                           "WARNING: storage unavailable, calls will NOT be "
                                           "recorded: %1")
                   .arg(opened.error().message)
            << Qt::endl;
    }
    server.httpApi().addReadinessCheck(QStringLiteral("storage"), [&storage] {
        return HttpApi::CheckResult{storage.health().isOk(), storage.health().detail()};
    });
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
    MainWindow window(store, server);
    window.show();
    return app->exec();
#else
    err << "built without the UI: use --headless\n";
    return 2;
#endif
}
