#pragma once

#include <QList>
#include <QObject>
#include <QUrl>

class QProcess;

namespace dispatch {

class CallStore;

// --demo: simulated callers from the demo calls (resources/demo) placed against this console by
// the real dispatch-caller over the phone protocol, so a newcomer sees calls ring, get answered,
// triaged and mapped with no phone at hand. In a console window the newcomer answers (F2), as
// on a real shift; a call nobody answers rings on and is abandoned when its caller gives up.
// Without a dispatcher (headless, the wall, a scripted screenshot) a demo call is answered
// for the room after a few seconds.
class DemoDriver : public QObject
{
    Q_OBJECT

public:
    enum class Answering
    {
        ByDispatcher,
        Assisted
    };

    struct Call
    {
        QString id;
        QString wav;
        QString location; // "lat,lng,accuracy"
        bool move = false;
        bool vitals = false;
        QString typed;
    };

    DemoDriver(CallStore &store, QUrl server, Answering answering, QObject *parent = nullptr);
    ~DemoDriver() override;

    // Finds dispatch-caller and the demo calls and starts placing them; false with a reason when
    // either is missing.
    bool start(QString *error);
    int callsPlaced() const { return m_placed; }

    static QList<Call> loadCalls(const QString &demoDir, QString *error);

private:
    void placeNext();

    CallStore &m_store;
    QUrl m_server;
    QString m_callerBinary;
    QList<Call> m_calls;
    QList<QProcess *> m_processes;
    int m_placed = 0;
};

} // namespace dispatch
