// LiveSupervisor: closing the connections it no longer uses, in the background.
#include "gemini/livesupervisor.h"

#include <algorithm>

namespace dispatch::gemini {

namespace {

constexpr int ClosingSocketTimeoutMs = 5000;

} // namespace

// Closes a connection we no longer use, letting its queue drain and its close handshake finish
// in the background. It deletes itself once closed, or at the deadline (aborting and counting
// whatever is still queued).
void LiveSupervisor::retire(LiveSession *session)
{
    if (!session)
        return;
    session->disconnect(this);
    if (session->state() == LiveSession::State::Closed) {
        session->deleteLater();
        return;
    }
    session->close();
    if (session->state() == LiveSession::State::Closed)
        return; // closed() already scheduled its deletion
    int deadlineMs = ClosingSocketTimeoutMs;
    if (session->isDraining()) {
        // The supervisor is deleted right after finished(), and its children with it: a draining
        // connection must outlive it. Nothing waits for it at shutdown (no event loop then).
        session->setParent(nullptr);
        deadlineMs += std::max(0, session->config().drainTimeoutMs);
    }
    QTimer::singleShot(deadlineMs, session, &QObject::deleteLater);
}

void LiveSupervisor::closeAll()
{
    LiveSession *active = m_active;
    LiveSession *pending = m_pending.session;
    m_active = nullptr;
    m_pending = {};
    retire(active);
    retire(pending);
}

} // namespace dispatch::gemini
