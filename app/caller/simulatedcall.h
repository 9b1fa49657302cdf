#pragma once

#include "calleroptions.h"
#include "callscript.h"

#include <QElapsedTimer>
#include <QJsonObject>
#include <QObject>
#include <QSslConfiguration>
#include <QTimer>
#include <QUrl>
#include <QWebSocket>

namespace dispatch::caller {

// What one call sends, loaded once and shared by every call of a run.
struct CallScript
{
    QByteArray pcm; // 16 kHz s16le mono
    bool fast = false;
    double speed = 1.0; // real-time mode: call time runs this many times faster (load soaks)
    std::optional<Position> location;
    QList<TrackPoint> track;
    bool move = false;
    QList<VitalsPoint> vitals;
    bool vitalsDemo = false;
    QList<QByteArray> frames;
    bool repeatFrame = false;
    QString text;
    int hangupAfterMs = -1;
    bool expectAnswer = false;
    int answerTimeoutMs = 30'000;
    int connectTimeoutMs = 10'000;

    // The script decides when to hang up (else the call waits for the console to end it).
    bool hasPlannedEnd() const;
};

// What happened in one call.
struct CallReport
{
    QString callId;
    ExitCode outcome = ExitCode::Ok;
    QString detail;
    qint64 answerMs = -1;
    qint64 durationMs = 0;
    qint64 audioBytesSent = 0;
    int framesSent = 0;
    int vitalsSent = 0;
    int locationsSent = 0;
    int textsSent = 0;
    qint64 talkBackBytes = 0;
    int talkBackChunks = 0;
    QString endReason;
    QStringList errors;

    QJsonObject toJson() const;
    QString toText() const;
};

// One phone: the signal, audio and vitals WebSockets of the protocol (server/PROTOCOL.md),
// driven by a CallScript on a timer. Event-driven: many of them share one thread.
class SimulatedCall : public QObject
{
    Q_OBJECT

public:
    SimulatedCall(const QUrl &server, const QString &callId, const CallScript &script,
                  const QSslConfiguration &ssl, bool insecure, QObject *parent = nullptr);
    ~SimulatedCall() override;

    void start();
    // Hangs up now (Ctrl-C); the call then ends as expected.
    void hangUp();
    bool isDone() const { return m_state == State::Done; }
    const CallReport &report() const { return m_report; }

Q_SIGNALS:
    void eventOccurred(const QString &callId, const QString &event, const QJsonObject &details);
    void finished();

private:
    enum class State
    {
        Idle,
        Connecting,
        Live,
        HangingUp,
        Done
    };

    QWebSocket *makeSocket(const QString &channel, const QString &path);
    void onConnected();
    void onSignalText(const QString &text);
    void sendCallInitiated();
    void onCredential(const QString &secret);
    void onServerError(const QString &channel, const QJsonObject &message);
    void onDisconnected(const QString &channel, QWebSocket *socket);
    void tick();
    void sendAudio(qint64 elapsedMs);
    void sendScheduled(qint64 elapsedMs);
    void sendLocation(const Position &p);
    void sendJson(QWebSocket *socket, const QJsonObject &message);
    bool scriptDone() const;
    void maybeHangUpAtScriptEnd();
    void sendHangUp();
    void finish(ExitCode outcome, const QString &detail);
    void emitEvent(const QString &event, const QJsonObject &details = {});

    QUrl m_server;
    const CallScript &m_script;
    QSslConfiguration m_ssl;
    bool m_insecure;
    State m_state = State::Idle;
    CallReport m_report;

    QWebSocket *m_signal = nullptr;
    QWebSocket *m_audio = nullptr;
    QWebSocket *m_vitals = nullptr;
    QString m_secret; // the call's secret (call_credential)
    int m_connected = 0;
    QTimer m_connectTimer;
    QTimer m_answerTimer;
    QTimer m_hangupTimer;
    QTimer m_ticker;
    QTimer m_endTimer;     // waiting for pongs, then for the console's call_ended
    QElapsedTimer m_clock; // since start()
    QElapsedTimer m_media; // since call_initiated
    qsizetype m_audioOffset = 0;
    qsizetype m_trackIndex = 0;
    qsizetype m_vitalsIndex = 0;
    qsizetype m_frameIndex = 0;
    qint64 m_nextMoveMs = 2000;
    qint64 m_nextDemoVitalsMs = 0;
    qint64 m_nextFrameMs = 0;
    int m_pongsAwaited = 0;
    bool m_answered = false;
    bool m_hangUpSent = false;
};

} // namespace dispatch::caller
