#include "triage/sessionsupervisor.h"

#include <algorithm>

namespace dispatch::gemini {

namespace {

constexpr qsizetype MaxCallerTextChars = 2000;

TriageOutputConfig outputConfig(const SupervisorConfig &c)
{
    return {c.triage.textReports, c.prearrival, c.repeatedTranscriptMs, c.clock, c.monotonic};
}

LiveSupervisorConfig liveConfig(const SupervisorConfig &c)
{
    LiveSupervisorConfig live = c;
    // Never speak up. The LiveSupervisor sends it only where the model honours `scheduling`.
    if (!live.toolResponseScheduling)
        live.toolResponseScheduling = FunctionResponseScheduling::Silent;
    return live;
}

// The options of one connection's setup: for the model the process-wide list has come to.
TriageSetupOptions setupOptions(const SupervisorConfig &c)
{
    TriageSetupOptions options = c.triage;
    if (c.models && !c.models->current().isEmpty())
        options.model = c.models->current();
    return options;
}

} // namespace

SessionSupervisor::SessionSupervisor(SupervisorConfig config, QObject *parent)
    : QObject(parent)
    , m_config(std::move(config))
    , m_output(outputConfig(m_config))
    , m_live(
          liveConfig(m_config),
          [this](const QString &handle) {
              return buildTriageSetup(setupOptions(m_config), m_output.tools(), handle);
          },
          m_output.tools())
{
    connect(&m_output, &TriageOutput::reportProduced, this, [this](const TriageReport &r) {
        if (!m_triageStats.firstReportAt.isValid())
            m_triageStats.firstReportAt = r.producedAt;
        ++m_triageStats.reports;
        m_config.counters.report();
        Q_EMIT reportProduced(r);
    });
    connect(&m_output, &TriageOutput::criticalFlagged, this,
            [this](const QString &reason, int severity) {
                ++m_triageStats.criticalFlags;
                m_config.counters.criticalFlag();
                Q_EMIT criticalFlagged(reason, severity);
            });
    connect(&m_output, &TriageOutput::transcriptProduced, this,
            &SessionSupervisor::transcriptProduced);
    connect(&m_output, &TriageOutput::prearrivalOffered, this,
            &SessionSupervisor::prearrivalOffered);

    connect(&m_live, &LiveSupervisor::serverContentReceived, &m_output, &TriageOutput::addContent);
    connect(&m_live, &LiveSupervisor::connectionSwitched, &m_output,
            &TriageOutput::connectionSwitched);
    connect(&m_live, &LiveSupervisor::stateChanged, this,
            [this](State state, LiveSupervisor::Cause, const QString &detail) {
                Q_EMIT stateChanged(state, detail);
                onLiveState(state);
            });
    connect(&m_live, &LiveSupervisor::failed, this, &SessionSupervisor::failed);
    connect(&m_live, &LiveSupervisor::finished, this, &SessionSupervisor::finished);

    m_vitalsTimer.setSingleShot(true);
    connect(&m_vitalsTimer, &QTimer::timeout, this, &SessionSupervisor::sendVitalsIfDue);
}

SessionSupervisor::~SessionSupervisor() = default;

qint64 SessionSupervisor::nowMs() const
{
    return m_config.monotonic();
}

SupervisorStats SessionSupervisor::stats() const
{
    SupervisorStats s = m_triageStats;
    static_cast<LiveSupervisorStats &>(s) = m_live.stats();
    return s;
}

void SessionSupervisor::start(const MediaBacklog &backlog)
{
    if (m_live.state() != State::Idle)
        return;
    if (!backlog.frames().isEmpty())
        m_latestFrame = backlog.frames().constLast();
    m_live.start(backlog.audio());
}

void SessionSupervisor::onLiveState(State state)
{
    switch (state) {
    case State::Live:
        // A connection (new, handed over or resumed) is live: what waited goes now.
        sendLatestFrame();
        sendVitalsIfDue();
        return;
    case State::Ending:
    case State::Failed:
    case State::Finished:
        m_vitalsTimer.stop();
        return;
    case State::Idle:
    case State::Connecting:
    case State::HandingOver:
    case State::Resuming:
        return;
    }
}

void SessionSupervisor::addAudio(const QByteArray &pcm16k)
{
    m_live.addAudio(pcm16k);
}

void SessionSupervisor::sendLatestFrame()
{
    if (m_latestFrame.isEmpty())
        return;
    if (m_live.sendFrame(m_latestFrame)) {
        m_lastFrameMs = nowMs();
        ++m_triageStats.framesSent;
        m_config.counters.frame(true);
    }
    m_latestFrame.clear();
}

void SessionSupervisor::addFrame(const QByteArray &jpeg)
{
    const qint64 now = nowMs();
    const bool due = m_lastFrameMs < 0 || now - m_lastFrameMs >= m_config.frameIntervalMs;
    if (!m_live.isLive()) {
        m_latestFrame = jpeg; // the newest one goes first when a connection is live
        return;
    }
    if (!due || !m_live.sendFrame(jpeg)) {
        ++m_triageStats.framesSkipped;
        m_config.counters.frame(false);
        return;
    }
    m_lastFrameMs = now;
    ++m_triageStats.framesSent;
    m_config.counters.frame(true);
}

void SessionSupervisor::addVitals(const VitalsSample &vitals)
{
    const auto confident = confidentVitals(vitals, m_config.vitals);
    if (!confident)
        return; // low-confidence readings are not evidence
    if (!vitalsChangedMeaningfully(*confident, m_vitalsTold, m_config.vitals)) {
        m_vitalsPending.reset();
        return;
    }
    m_vitalsPending = confident;
    sendVitalsIfDue();
}

void SessionSupervisor::sendVitalsIfDue()
{
    if (!m_vitalsPending || !m_live.isLive())
        return;
    const qint64 now = nowMs();
    const qint64 wait = m_lastVitalsMs < 0 ? 0 : m_lastVitalsMs + m_config.vitalsIntervalMs - now;
    if (wait > 0) {
        if (!m_vitalsTimer.isActive())
            m_vitalsTimer.start(static_cast<int>(std::min<qint64>(wait, 3600000)));
        return;
    }
    if (!m_live.sendText(vitalsText(*m_vitalsPending)))
        return;
    m_vitalsTold = m_vitalsPending;
    m_vitalsPending.reset();
    m_lastVitalsMs = now;
    ++m_triageStats.vitalsSent;
    m_config.counters.vitalsSent();
}

void SessionSupervisor::addCallerText(const QString &text)
{
    const QString t = text.trimmed().left(MaxCallerTextChars);
    if (!t.isEmpty())
        m_live.sendText(QStringLiteral("[caller typed] ") + t);
}

void SessionSupervisor::finish()
{
    m_vitalsTimer.stop();
    m_live.finish();
}

} // namespace dispatch::gemini
