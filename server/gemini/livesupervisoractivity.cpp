// LiveSupervisor: our voice activities as activityStart / activityEnd on connections whose setup
// turned the server's detection off (docs/GEMINI.md "Our endpointing").
#include "gemini/livesupervisor.h"

#include <QLoggingCategory>

namespace dispatch::gemini {

namespace {

Q_LOGGING_CATEGORY(lcActivity, "dispatch.gemini.activity")

} // namespace

bool LiveSupervisor::manualActivity(const LiveSession *session)
{
    const std::optional<RealtimeInputConfig> &realtime =
        session->config().setup.realtimeInputConfig;
    return realtime && !realtime->automaticActivityDetection;
}

// A connection went live; its audio starts at `replayFrom`. A new connection has no activity
// open (the state a handle restores holds finished turns only: UNCONFIRMED for an activity that
// was open when the handle was issued), so one that is open at the replay point is opened first:
// the replayed audio then falls inside it.
void LiveSupervisor::beginActivity(LiveSession *session, qint64 replayFrom)
{
    m_activeManual = manualActivity(session);
    m_activityNext = m_activity.seqFor(replayFrom);
    m_activityOpen = false;
    if (m_activeManual && m_activity.openBefore(m_activityNext) && session->sendActivityStart()) {
        m_activityOpen = true;
        qCDebug(lcActivity).noquote()
            << "call" << m_config.connection.callId << "activity reopened on a new connection";
    }
}

// Sends, on the active connection, the boundaries due before the chunk [chunkStart, chunkEnd).
// False when the connection refused a message (its audio would be refused too).
bool LiveSupervisor::sendDueActivity(qint64 chunkStart, qint64 chunkEnd)
{
    if (m_activityNext < m_activity.firstSeq())
        m_activityNext = m_activity.firstSeq(); // dropped by the replay bound, never sent
    while (m_activityNext < m_activity.endSeq() &&
           ActivityTrack::due(m_activity.at(m_activityNext), chunkStart, chunkEnd)) {
        const bool start = m_activity.at(m_activityNext).start;
        if (m_activeManual && start != m_activityOpen) {
            if (!(start ? m_active->sendActivityStart() : m_active->sendActivityEnd()))
                return false;
            m_activityOpen = start;
            qCDebug(lcActivity).noquote() << "call" << m_config.connection.callId
                                          << (start ? "activityStart at" : "activityEnd at")
                                          << m_activity.at(m_activityNext).offset;
        }
        ++m_activityNext;
    }
    return true;
}

// The end of the call: an activity still open is closed, so the last words make a turn.
void LiveSupervisor::endActivity()
{
    if (m_activeManual && m_activityOpen && m_active->sendActivityEnd())
        m_activityOpen = false;
}

// Forgets the boundaries before the held audio that the active connection has sent.
void LiveSupervisor::releaseActivity()
{
    const qint64 sentUpTo = m_active && m_activeManual ? m_activityNext : m_activity.endSeq();
    m_activity.releaseBefore(m_audio.startOffset(), sentUpTo);
}

} // namespace dispatch::gemini
