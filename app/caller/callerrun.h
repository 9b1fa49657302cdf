#pragma once

#include "calleroptions.h"
#include "simulatedcall.h"

#include <QElapsedTimer>
#include <QObject>
#include <QTextStream>

#include <memory>
#include <vector>

namespace dispatch::caller {

// A run of dispatch-caller: loads the script once, places --count calls with staggered starts
// (all on this thread, event-driven), prints their events, a summary line per call and a
// total, and emits finished() with the process exit code.
class CallerRun : public QObject
{
    Q_OBJECT

public:
    CallerRun(CallerOptions options, QTextStream &out, QTextStream &err, QObject *parent = nullptr);
    ~CallerRun() override;

    // Loads the input files; returns ExitCode::Ok or BadInput (with the error printed).
    ExitCode prepare();
    void start();
    void hangUpAll();
    int exitCode() const { return m_exitCode; }

Q_SIGNALS:
    void finished(int exitCode);

private:
    void onEvent(const QString &callId, const QString &event, const QJsonObject &details);
    void onCallFinished(SimulatedCall *call);
    void printTotal();

    CallerOptions m_options;
    QTextStream &m_out;
    QTextStream &m_err;
    CallScript m_script;
    QSslConfiguration m_ssl;
    std::vector<std::unique_ptr<SimulatedCall>> m_calls;
    QElapsedTimer m_clock;
    int m_finished = 0;
    int m_exitCode = 0;
};

} // namespace dispatch::caller
