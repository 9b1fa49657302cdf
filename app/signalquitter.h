#pragma once

#include <QObject>

class QSocketNotifier;

namespace dispatch {

// SIGINT and SIGTERM end the event loop cleanly (calls ended, storage flushed). The handler
// only writes one byte to a socket pair, which is async-signal-safe; the event loop reads it
// and quits. (Calling into Qt from a signal handler is not safe.)
class SignalQuitter : public QObject
{
    Q_OBJECT

public:
    explicit SignalQuitter(QObject *parent = nullptr);
    ~SignalQuitter() override;
    // False when the socket pair or the handlers cannot be set up.
    bool install();

private:
    static void onSignal(int);
    static int s_fds[2];
    QSocketNotifier *m_notifier = nullptr;
};

} // namespace dispatch
