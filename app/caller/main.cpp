// dispatch-caller: a command-line phone for dispatch-console (see --help).
#include "calleroptions.h"
#include "callerrun.h"

#include <QCoreApplication>
#include <QTimer>

#include <csignal>

using namespace dispatch::caller;

namespace {

volatile std::sig_atomic_t g_interrupted = 0;

void onSignal(int)
{
    g_interrupted = 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QCoreApplication::setApplicationName(QStringLiteral("dispatch-caller"));
    QCoreApplication::setApplicationVersion(QStringLiteral(DISPATCH_VERSION));
    QTextStream out(stdout);
    QTextStream err(stderr);

    const CallerOptionsResult parsed = parseCallerOptions(QCoreApplication::arguments());
    if (!parsed.helpText.isEmpty()) {
        out << parsed.helpText;
        return 0;
    }
    if (!parsed.options) {
        err << "dispatch-caller: " << parsed.error << "\nTry --help.\n";
        return int(ExitCode::Usage);
    }

    CallerRun run(*parsed.options, out, err);
    if (run.prepare() != ExitCode::Ok)
        return int(ExitCode::BadInput);
    QObject::connect(&run, &CallerRun::finished, &app, &QCoreApplication::exit);

    // Ctrl-C or SIGTERM: hang up every call cleanly, then exit with their status.
    std::signal(SIGINT, onSignal);
    std::signal(SIGTERM, onSignal);
    QTimer interrupt;
    QObject::connect(&interrupt, &QTimer::timeout, &run, [&run, &interrupt] {
        if (g_interrupted) {
            interrupt.stop();
            run.hangUpAll();
        }
    });
    interrupt.start(100);

    run.start();
    return app.exec();
}
