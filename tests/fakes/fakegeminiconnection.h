#pragma once

#include "fakeclientschema.h"
#include "fakeenergyvad.h"
#include "fakegeminiserver.h"

#include <QByteArray>
#include <QJsonObject>
#include <QList>
#include <QObject>
#include <QPointer>
#include <QTimer>

QT_BEGIN_NAMESPACE
class QWebSocket;
QT_END_NAMESPACE

namespace dispatch::fakes {

// One WebSocket of the fake: the setup handshake, realtime input with VAD, model turns as a queue
// of steps (so barge-in and blocking tool calls fall out naturally), resumption and lifetime.
class FakeGeminiConnection : public QObject
{
    Q_OBJECT

public:
    FakeGeminiConnection(QWebSocket *socket, int id, FakeApiVersion version, bool authorized,
                         std::optional<FakeFault> faultAtSetup, FakeGeminiServer *server);
    ~FakeGeminiConnection() override;

    int id() const { return m_id; }
    bool isOpen() const { return !m_closed; }

    void applyFault(FakeFault fault);
    void sendRaw(const QByteArray &payload, bool binary);
    void startToolCall(const QList<FakeToolCall> &calls);

private:
    struct Step
    {
        enum class Kind
        {
            Audio,
            Text,
            OutputTranscript,
            ToolCall,
            GenerationComplete,
            TurnComplete
        };
        Kind kind = Kind::Audio;
        QByteArray audio;
        QString text;
        QList<FakeToolCall> calls;
    };

    struct PendingTurn
    {
        QString transcript;
        bool fromAudio = false;
        qint64 audioMs = 0;
    };

    void onMessage(const QByteArray &bytes);
    void onSetup(const QJsonObject &setup);
    void onRealtimeInput(const QJsonObject &input);
    void onClientContent(const QJsonObject &content);
    void onToolResponse(const QJsonObject &response);
    void onAudio(const QJsonObject &blob);
    void speechStarted();
    bool dropsShortAnswer();
    void userTurnEnded(PendingTurn turn);
    void startModelTurn(const PendingTurn &turn);
    void runNextStep();
    void scheduleNextStep();
    void interrupt();
    void sendResumptionUpdate();
    void sendGoAway();
    void send(const QJsonObject &message);
    void closeWith(int code, const QString &reason);
    void onDisconnected();

    QPointer<QWebSocket> m_socket;
    FakeGeminiServer *m_server;
    int m_id;
    FakeApiVersion m_version;
    bool m_authorized;
    std::optional<FakeFault> m_faultAtSetup;
    bool m_closed = false;

    // From setup.
    bool m_setupDone = false;
    QString m_model;
    bool m_textModality = false;
    bool m_automaticActivityDetection = true;
    bool m_interruptsOnActivity = true;
    bool m_inputTranscription = false;
    bool m_outputTranscription = false;
    bool m_resumption = false;
    bool m_transparent = false; // Vertex sessionResumption.transparent
    qint64 m_messageIndex = -1; // of the newest client message (0 = setup)
    QByteArray m_sessionAudio;  // transparent: the audio the session's state holds
    int m_userTurns = 0;

    // Input turns.
    FakeEnergyVad m_vad;
    bool m_explicitActivity = false;     // between activityStart and activityEnd (VAD disabled)
    bool m_turnIncludesAllInput = false; // turnCoverage TURN_INCLUDES_ALL_INPUT
    qint64 m_turnAudioMs = 0;            // audio of the explicit turn so far
    qint64 m_audioSinceModelTurnMs = -1; // audio time since the last turnComplete (-1: none yet)
    qint64 m_speechStartAfterModelTurnMs = -1; // where the current automatic turn began

    // Model turns.
    QList<Step> m_steps;
    bool m_generating = false;
    QStringList m_pendingCallIds;
    QList<PendingTurn> m_deferredTurns;
    QTimer m_stepTimer;
    QTimer m_resumptionTimer;
    QTimer m_lifetimeTimer;
    QTimer m_goAwayTimer;
};

} // namespace dispatch::fakes
