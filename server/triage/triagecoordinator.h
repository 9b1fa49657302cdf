#pragma once

#include <QObject>
#include <QSet>

namespace dispatch {

class CallStore;
class TriageBackend;

// Feeds a TriageBackend from the CallStore and writes what it produces back: at answer it starts
// the call with the media kept while it rang, then forwards audio, frames, vitals and typed
// caller text; reports, critical flags and transcript segments go into the store. One job: the
// wiring; the backend decides what to do with the media.
class TriageCoordinator : public QObject
{
    Q_OBJECT

public:
    TriageCoordinator(CallStore &store, TriageBackend &backend, QObject *parent = nullptr);

    bool isTriaging(const QString &callId) const { return m_active.contains(callId); }

Q_SIGNALS:
    void degradedChanged(const QString &callId, bool degraded, const QString &reason);

private:
    CallStore &m_store;
    TriageBackend &m_backend;
    QSet<QString> m_active;
};

} // namespace dispatch
