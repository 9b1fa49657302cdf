// bench-faults: fault injection against the real console (see docs/RELIABILITY.md).
//   bench-faults --scenario NAME|all [--calls N] [--seconds S] [--lifetime-s S] [--verbose]
#include "faultharness.h"

#include <QCommandLineParser>
#include <QCoreApplication>
#include <QTextStream>

#include <cstdio>

using namespace dispatch::bench;

int main(int argc, char **argv)
{
    QCoreApplication app(argc, argv);
    QCommandLineParser parser;
    parser.setApplicationDescription(QStringLiteral("Fault injection against dispatch-console"));
    parser.addHelpOption();
    const QCommandLineOption scenario(
        QStringLiteral("scenario"),
        QStringLiteral("One of: %1, all").arg(faultScenarios().join(QStringLiteral(", "))),
        QStringLiteral("name"), QStringLiteral("all"));
    const QCommandLineOption calls(QStringLiteral("calls"), QStringLiteral("Concurrent calls"),
                                   QStringLiteral("n"), QStringLiteral("3"));
    const QCommandLineOption seconds(QStringLiteral("seconds"),
                                     QStringLiteral("Audio per call in seconds"),
                                     QStringLiteral("s"), QStringLiteral("90"));
    const QCommandLineOption lifetime(QStringLiteral("lifetime-s"),
                                      QStringLiteral("AI connection lifetime (ai-lifetime*)"),
                                      QStringLiteral("s"), QStringLiteral("60"));
    const QCommandLineOption every(QStringLiteral("fault-every-s"),
                                   QStringLiteral("Mean interval between AI faults"),
                                   QStringLiteral("s"), QStringLiteral("15"));
    const QCommandLineOption flood(QStringLiteral("flood-connections"),
                                   QStringLiteral("Connection attempts of the flood"),
                                   QStringLiteral("n"), QStringLiteral("2000"));
    const QCommandLineOption gap(QStringLiteral("max-report-gap-s"),
                                 QStringLiteral("Verdict: longest allowed silence between reports"),
                                 QStringLiteral("s"), QStringLiteral("20"));
    const QCommandLineOption console(QStringLiteral("console"),
                                     QStringLiteral("The dispatch-console binary"),
                                     QStringLiteral("path"), QStringLiteral(DISPATCH_CONSOLE_BIN));
    const QCommandLineOption noResend(QStringLiteral("no-resend"),
                                      QStringLiteral("Phones ignore audio_received (old phones)"));
    const QCommandLineOption verbose(QStringLiteral("verbose"), QStringLiteral("Log each fault"));
    parser.addOptions(
        {scenario, calls, seconds, lifetime, every, flood, gap, console, noResend, verbose});
    parser.process(app);

    FaultOptions o;
    o.consoleBinary = parser.value(console);
    o.calls = parser.value(calls).toInt();
    o.seconds = parser.value(seconds).toDouble();
    o.lifetimeS = parser.value(lifetime).toDouble();
    o.faultEveryS = parser.value(every).toDouble();
    o.floodConnections = parser.value(flood).toInt();
    o.maxReportGapS = parser.value(gap).toDouble();
    o.verbose = parser.isSet(verbose);
    o.phoneResends = !parser.isSet(noResend);
    const QStringList names = parser.value(scenario) == QLatin1String("all")
                                  ? faultScenarios()
                                  : QStringList{parser.value(scenario)};
    QTextStream out(stdout);
    QList<FaultResult> results;
    for (const QString &name : names) {
        if (!faultScenarios().contains(name)) {
            std::fprintf(stderr, "unknown scenario %s\n", qPrintable(name));
            return 2;
        }
        out << "== " << name << Qt::endl;
        FaultResult r = runFaultScenario(name, o);
        if (r.maxReportGapS > o.maxReportGapS)
            r.problems << QStringLiteral("a report gap of %1 s (allowed %2 s)")
                              .arg(r.maxReportGapS, 0, 'f', 1)
                              .arg(o.maxReportGapS);
        for (const QString &n : std::as_const(r.notes))
            out << "  note: " << n << Qt::endl;
        for (const QString &p : std::as_const(r.problems))
            out << "  PROBLEM: " << p << Qt::endl;
        out << "  " << r.seconds << " s wall" << Qt::endl;
        results.append(r);
    }
    out << Qt::endl << faultTable(results);
    const bool ok = std::all_of(results.cbegin(), results.cend(),
                                [](const FaultResult &r) { return r.passed(); });
    return ok ? 0 : 1;
}
