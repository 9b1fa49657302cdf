#pragma once

#include "calls/callstore.h"
#include "dashboard/dashboardevents.h"

#include <QObject>
#include <QSet>

#include <atomic>

namespace dispatch {}

namespace dispatch::remote {

class HostLink;

// The host's clock as seen from here: the mirror store stamps times with it, so answer clocks
// and timelines agree with the host's even when this machine's clock is off.
class HostClock
{
public:
    QDateTime now() const { return QDateTime::currentDateTimeUtc().addMSecs(m_offsetMs.load()); }
    void setHostTime(const QDateTime &hostNow)
    {
        if (hostNow.isValid())
            m_offsetMs = QDateTime::currentDateTimeUtc().msecsTo(hostNow);
    }
    qint64 offsetMs() const { return m_offsetMs.load(); }

private:
    std::atomic<qint64> m_offsetMs{0};
};

// Keeps a local CallStore an exact mirror of the host's calls, so the whole console UI runs
// unchanged on a remote console. Live events are applied as they come; after every (re)connect
// the host's hello starts a resynchronisation: each call is fetched whole (get_call) and
// reconciled: missing transcript, triage and pre-arrival entries are added once, states and
// owners are brought to the host's, calls that ended meanwhile are ended. Nothing is duplicated
// or lost across a reconnect.
class StoreMirror : public QObject
{
    Q_OBJECT

public:
    StoreMirror(CallStore &mirror, HostLink &link, HostClock &clock, QObject *parent = nullptr);

    // Who the host says this console is (from hello); empty before the first hello.
    const Principal &you() const { return m_you; }
    bool isSynchronised() const { return m_pending.isEmpty() && m_helloSeen; }

Q_SIGNALS:
    void identified(const dispatch::Principal &you);
    // Every call the host listed is mirrored (after each hello).
    void synchronised(int liveCalls);
    // The host refused a command of ours (not answered by us, race lost, forbidden...).
    void commandRefused(const QString &callId, const QString &code, const QString &message);

private:
    void apply(const dashboard::HostEvent &event);
    void onHello(const dashboard::Hello &hello);
    void onCallUpdate(const dashboard::CallUpdate &update);
    void reconcile(const Call &host, bool withHistory);
    void reconcileHistory(const Call &host);
    void requestDetail(const QString &callId);
    // A mirrored step the local store refused: resynchronises the call from the host.
    void mirrored(CallStore::Result result, const QString &callId);
    void mirroredInResync(CallStore::Result result, const QString &callId);
    void detailSettled(const QString &callId);
    // An event about a call the mirror does not know: fetch it whole instead.
    bool known(const QString &callId);

    CallStore &m_store;
    HostLink &m_link;
    HostClock &m_clock;
    Principal m_you;
    QSet<QString> m_pending; // get_call sent, call_detail not yet received
    bool m_helloSeen = false;
    int m_helloCalls = 0;
};

} // namespace dispatch::remote
