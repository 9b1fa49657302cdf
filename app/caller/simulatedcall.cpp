#include "simulatedcall.h"

#include <QDateTime>
#include <QJsonArray>
#include <QJsonDocument>
#include <QUrlQuery>

namespace dispatch::caller {

namespace {

constexpr int RealTimeChunkBytes = 640; // 20 ms of 16 kHz s16le
constexpr int FastChunkBytes = 32000;   // 1 s per message in --fast mode
constexpr int RealTimeTickMs = 20;
constexpr int FastTickMs = 10; // 100 s of audio a second: within the server's limits
constexpr int MoveIntervalMs = 2000;
constexpr int DemoVitalsIntervalMs = 1000;
constexpr int FrameIntervalMs = 1000;
constexpr int FlushTimeoutMs = 3000;  // waiting for the media sockets' pongs
constexpr int EndAckTimeoutMs = 5000; // waiting for the console's call_ended

QJsonObject positionJson(const Position &p)
{
    QJsonObject o{{QStringLiteral("lat"), p.lat}, {QStringLiteral("lng"), p.lng}};
    if (p.accuracy)
        o.insert(QStringLiteral("accuracy"), *p.accuracy);
    return o;
}

QString outcomeName(ExitCode code)
{
    switch (code) {
    case ExitCode::Ok:
        return QStringLiteral("ok");
    case ExitCode::BadInput:
        return QStringLiteral("bad_input");
    case ExitCode::Usage:
        return QStringLiteral("usage");
    case ExitCode::ConnectFailed:
        return QStringLiteral("connect_failed");
    case ExitCode::NotAnswered:
        return QStringLiteral("not_answered");
    case ExitCode::ServerError:
        return QStringLiteral("server_error");
    case ExitCode::EndedUnexpectedly:
        return QStringLiteral("ended_unexpectedly");
    }
    return QStringLiteral("unknown");
}

} // namespace

bool CallScript::hasPlannedEnd() const
{
    return hangupAfterMs >= 0 || !pcm.isEmpty() || !track.isEmpty() || !vitals.isEmpty() ||
           (!frames.isEmpty() && !repeatFrame);
}

QJsonObject CallReport::toJson() const
{
    return {{QStringLiteral("event"), QStringLiteral("summary")},
            {QStringLiteral("call_id"), callId},
            {QStringLiteral("status"), int(outcome)},
            {QStringLiteral("result"), outcomeName(outcome)},
            {QStringLiteral("detail"), detail},
            {QStringLiteral("answer_ms"), answerMs},
            {QStringLiteral("duration_ms"), durationMs},
            {QStringLiteral("audio_bytes_sent"), audioBytesSent},
            {QStringLiteral("frames_sent"), framesSent},
            {QStringLiteral("vitals_sent"), vitalsSent},
            {QStringLiteral("locations_sent"), locationsSent},
            {QStringLiteral("texts_sent"), textsSent},
            {QStringLiteral("talk_back_bytes"), talkBackBytes},
            {QStringLiteral("talk_back_chunks"), talkBackChunks},
            {QStringLiteral("end_reason"), endReason},
            {QStringLiteral("errors"), QJsonArray::fromStringList(errors)}};
}

QString CallReport::toText() const
{
    QString s =
        QStringLiteral("call %1: %2 (%3)").arg(callId, outcomeName(outcome)).arg(int(outcome));
    if (!detail.isEmpty())
        s += QStringLiteral(" - ") + detail;
    s += answerMs >= 0 ? QStringLiteral("; answered after %1 ms").arg(answerMs)
                       : QStringLiteral("; not answered");
    s += QStringLiteral("; sent %1 s audio (%2 bytes), %3 frames, %4 vitals, %5 locations, "
                        "%6 texts; talk-back %7 bytes; ended %8; %9 s")
             .arg(double(audioBytesSent) / 32000.0, 0, 'f', 1)
             .arg(audioBytesSent)
             .arg(framesSent)
             .arg(vitalsSent)
             .arg(locationsSent)
             .arg(textsSent)
             .arg(talkBackBytes)
             .arg(endReason.isEmpty() ? QStringLiteral("-") : endReason)
             .arg(double(durationMs) / 1000.0, 0, 'f', 1);
    return s;
}

SimulatedCall::SimulatedCall(const QUrl &server, const QString &callId, const CallScript &script,
                             const QSslConfiguration &ssl, bool insecure, QObject *parent)
    : QObject(parent)
    , m_server(server)
    , m_script(script)
    , m_ssl(ssl)
    , m_insecure(insecure)
{
    m_report.callId = callId;
    for (QTimer *t : {&m_connectTimer, &m_answerTimer, &m_hangupTimer, &m_endTimer})
        t->setSingleShot(true);
    m_ticker.setTimerType(Qt::PreciseTimer);
    m_ticker.setInterval(script.fast ? FastTickMs : RealTimeTickMs);
    connect(&m_ticker, &QTimer::timeout, this, &SimulatedCall::tick);
    connect(&m_connectTimer, &QTimer::timeout, this, [this] {
        finish(ExitCode::ConnectFailed,
               QStringLiteral("no connection within %1 ms").arg(m_script.connectTimeoutMs));
    });
    connect(&m_answerTimer, &QTimer::timeout, this, [this] {
        finish(ExitCode::NotAnswered,
               QStringLiteral("no answer within %1 ms").arg(m_script.answerTimeoutMs));
    });
    connect(&m_hangupTimer, &QTimer::timeout, this, [this] {
        if (m_script.expectAnswer && !m_answered)
            finish(ExitCode::NotAnswered, QStringLiteral("not answered before --hangup-after"));
        else
            hangUp();
    });
}

SimulatedCall::~SimulatedCall() = default;

QWebSocket *SimulatedCall::makeSocket(const QString &channel, const QString &path)
{
    auto *socket = new QWebSocket(QString(), QWebSocketProtocol::VersionLatest, this);
    socket->setSslConfiguration(m_ssl);
    connect(socket, &QWebSocket::connected, this, &SimulatedCall::onConnected);
    connect(socket, &QWebSocket::disconnected, this,
            [this, channel, socket] { onDisconnected(channel, socket); });
    // Qt 6.4 names the signal error(); 6.5 renamed it errorOccurred().
    connect(socket, QOverload<QAbstractSocket::SocketError>::of(&QWebSocket::error), this,
            [this, socket](QAbstractSocket::SocketError) {
                if (m_state == State::Connecting)
                    finish(ExitCode::ConnectFailed, socket->errorString());
            });
    connect(socket, &QWebSocket::sslErrors, this, [this, socket](const QList<QSslError> &errors) {
        if (m_insecure) {
            socket->ignoreSslErrors(errors);
            return;
        }
        QStringList why;
        for (const QSslError &e : errors)
            why << e.errorString();
        finish(ExitCode::ConnectFailed,
               QStringLiteral("TLS: %1 (give the console's certificate with --ca FILE, or "
                              "--insecure for tests)")
                   .arg(why.join(QStringLiteral("; "))));
    });
    connect(socket, &QWebSocket::pong, this, [this](quint64, const QByteArray &) {
        if (m_state == State::HangingUp && m_pongsAwaited > 0 && --m_pongsAwaited == 0)
            sendHangUp();
    });
    connect(socket, &QWebSocket::textMessageReceived, this, [this, channel](const QString &text) {
        if (channel == QLatin1String("signal")) {
            onSignalText(text);
            return;
        }
        const QJsonObject m = QJsonDocument::fromJson(text.toUtf8()).object();
        if (m.value(QLatin1String("type")).toString() == QLatin1String("error"))
            onServerError(channel, m);
    });
    if (channel == QLatin1String("audio")) {
        connect(socket, &QWebSocket::binaryMessageReceived, this, [this](const QByteArray &pcm) {
            if (m_report.talkBackChunks++ == 0)
                emitEvent(QStringLiteral("talk_back_started"),
                          {{QStringLiteral("bytes"), pcm.size()}});
            m_report.talkBackBytes += pcm.size();
        });
    }
    QUrl url = m_server;
    url.setPath(path);
    QUrlQuery query;
    query.addQueryItem(QStringLiteral("call_id"), m_report.callId);
    if (channel == QLatin1String("signal"))
        query.addQueryItem(QStringLiteral("role"), QStringLiteral("caller"));
    else if (!m_secret.isEmpty())
        query.addQueryItem(QStringLiteral("call_secret"), m_secret);
    url.setQuery(query);
    socket->open(url);
    return socket;
}

void SimulatedCall::start()
{
    if (m_state != State::Idle)
        return;
    m_state = State::Connecting;
    m_clock.start();
    m_connectTimer.start(m_script.connectTimeoutMs);
    // The signal socket first: the console answers call_initiated with the call's secret, and
    // the audio and vitals sockets open with it (so that talk-back reaches this phone).
    m_signal = makeSocket(QStringLiteral("signal"), QStringLiteral("/ws/signal"));
}

void SimulatedCall::onConnected()
{
    if (m_state != State::Connecting)
        return;
    if (++m_connected == 1) {
        sendCallInitiated();
        return;
    }
    if (m_connected < 3)
        return;
    m_connectTimer.stop();
    m_state = State::Live;
    emitEvent(QStringLiteral("connected"), {{QStringLiteral("ms"), m_clock.elapsed()}});
    if (!m_script.text.isEmpty()) {
        sendJson(m_signal, {{QStringLiteral("type"), QStringLiteral("caller_text")},
                            {QStringLiteral("text"), m_script.text}});
        ++m_report.textsSent;
    }
    if (m_script.expectAnswer && !m_answered)
        m_answerTimer.start(m_script.answerTimeoutMs);
    if (m_script.hangupAfterMs >= 0)
        m_hangupTimer.start(m_script.hangupAfterMs);
    m_ticker.start();
    tick();
}

void SimulatedCall::sendCallInitiated()
{
    QJsonObject initiated{{QStringLiteral("type"), QStringLiteral("call_initiated")}};
    std::optional<Position> first = m_script.location;
    if (!first && !m_script.track.isEmpty() && m_script.track.first().atMs == 0) {
        first = m_script.track.first().position;
        m_trackIndex = 1;
    }
    if (first) {
        initiated.insert(QStringLiteral("location"), positionJson(*first));
        ++m_report.locationsSent;
    }
    sendJson(m_signal, initiated);
    m_media.start();
    emitEvent(QStringLiteral("call_initiated"));
}

void SimulatedCall::onCredential(const QString &secret)
{
    if (!m_secret.isEmpty() || secret.isEmpty() || m_state != State::Connecting)
        return;
    m_secret = secret;
    m_audio = makeSocket(QStringLiteral("audio"), QStringLiteral("/ws/audio"));
    m_vitals = makeSocket(QStringLiteral("vitals"), QStringLiteral("/ws/vitals"));
}

void SimulatedCall::onSignalText(const QString &text)
{
    const QJsonObject m = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = m.value(QLatin1String("type")).toString();
    if (type == QLatin1String("call_credential")) {
        onCredential(m.value(QLatin1String("call_secret")).toString());
    } else if (type == QLatin1String("dispatcher_ready")) {
        if (!m_answered) {
            m_answered = true;
            m_report.answerMs = m_media.isValid() ? m_media.elapsed() : 0;
            m_answerTimer.stop();
        }
        emitEvent(QStringLiteral("dispatcher_ready"),
                  {{QStringLiteral("answer_ms"), m_report.answerMs}});
        maybeHangUpAtScriptEnd();
    } else if (type == QLatin1String("call_state")) {
        emitEvent(QStringLiteral("call_state"),
                  {{QStringLiteral("state"), m.value(QLatin1String("state"))}});
    } else if (type == QLatin1String("call_ended")) {
        m_report.endReason = m.value(QLatin1String("reason")).toString();
        emitEvent(QStringLiteral("call_ended"), {{QStringLiteral("reason"), m_report.endReason}});
        if (m_state == State::HangingUp)
            finish(ExitCode::Ok, QString());
        else if (m_script.hasPlannedEnd())
            finish(ExitCode::EndedUnexpectedly,
                   QStringLiteral("the console ended the call: %1").arg(m_report.endReason));
        else
            finish(ExitCode::Ok, QString());
    } else if (type == QLatin1String("error")) {
        onServerError(QStringLiteral("signal"), m);
    } else if (type != QLatin1String("pong")) {
        emitEvent(QStringLiteral("message"), {{QStringLiteral("message"), m}});
    }
}

void SimulatedCall::onServerError(const QString &channel, const QJsonObject &message)
{
    const QString code = message.value(QLatin1String("code")).toString();
    const QString text = message.value(QLatin1String("message")).toString();
    m_report.errors << QStringLiteral("%1: %2 %3").arg(channel, code, text);
    emitEvent(QStringLiteral("error"), {{QStringLiteral("channel"), channel},
                                        {QStringLiteral("code"), code},
                                        {QStringLiteral("message"), text}});
    finish(ExitCode::ServerError, QStringLiteral("%1 on %2: %3").arg(code, channel, text));
}

void SimulatedCall::onDisconnected(const QString &channel, QWebSocket *socket)
{
    if (m_state == State::Done)
        return;
    const QString why = QStringLiteral("%1 connection closed (%2 %3)")
                            .arg(channel)
                            .arg(int(socket->closeCode()))
                            .arg(socket->closeReason());
    if (m_state == State::Connecting) {
        finish(ExitCode::ConnectFailed, socket->error() != QAbstractSocket::UnknownSocketError
                                            ? socket->errorString()
                                            : why);
        return;
    }
    const bool media = socket != m_signal;
    if (media && (m_hangUpSent || socket->closeCode() == QWebSocketProtocol::CloseCodeNormal)) {
        // The console closes the media sockets when the call ends; the reason comes on the
        // signal socket, which is a separate connection and may be a little behind.
        if (!m_hangUpSent) {
            disconnect(&m_endTimer, nullptr, this, nullptr);
            connect(&m_endTimer, &QTimer::timeout, this,
                    [this, why] { finish(ExitCode::EndedUnexpectedly, why); });
            m_endTimer.start(EndAckTimeoutMs);
        }
        return;
    }
    if (!media && m_hangUpSent) {
        finish(ExitCode::Ok, QStringLiteral("closed after the hang-up"));
        return;
    }
    emitEvent(QStringLiteral("connection_lost"), {{QStringLiteral("channel"), channel}});
    finish(ExitCode::EndedUnexpectedly, why);
}

void SimulatedCall::tick()
{
    if (m_state != State::Live)
        return;
    const auto elapsed =
        static_cast<qint64>(static_cast<double>(m_media.elapsed()) * m_script.speed);
    sendAudio(elapsed);
    sendScheduled(elapsed);
    maybeHangUpAtScriptEnd();
}

void SimulatedCall::sendAudio(qint64 elapsedMs)
{
    const QByteArray &pcm = m_script.pcm;
    if (m_audioOffset >= pcm.size())
        return;
    if (m_script.fast) {
        const qsizetype n = std::min<qsizetype>(FastChunkBytes, pcm.size() - m_audioOffset);
        m_audio->sendBinaryMessage(pcm.mid(m_audioOffset, n));
        m_audioOffset += n;
        m_report.audioBytesSent += n;
        return;
    }
    // Real time: every 20 ms chunk whose time has come (catches up after a late tick).
    const qsizetype due =
        std::min<qsizetype>(pcm.size(), (elapsedMs / 20 + 1) * RealTimeChunkBytes);
    while (m_audioOffset < due) {
        const qsizetype n = std::min<qsizetype>(RealTimeChunkBytes, pcm.size() - m_audioOffset);
        m_audio->sendBinaryMessage(pcm.mid(m_audioOffset, n));
        m_audioOffset += n;
        m_report.audioBytesSent += n;
    }
}

void SimulatedCall::sendScheduled(qint64 elapsedMs)
{
    while (m_trackIndex < m_script.track.size() && m_script.track[m_trackIndex].atMs <= elapsedMs)
        sendLocation(m_script.track[m_trackIndex++].position);
    if (m_script.move && m_script.location && elapsedMs >= m_nextMoveMs) {
        sendLocation(walk(*m_script.location, m_nextMoveMs));
        m_nextMoveMs += MoveIntervalMs;
    }

    auto sendVitals = [this](const VitalsPoint &v) {
        QJsonObject o{{QStringLiteral("type"), QStringLiteral("vitals")},
                      {QStringLiteral("timestamp"), QDateTime::currentMSecsSinceEpoch()}};
        if (v.hr)
            o.insert(QStringLiteral("hr"), *v.hr);
        if (v.hrConfidence)
            o.insert(QStringLiteral("hrConfidence"), *v.hrConfidence);
        if (v.breathing)
            o.insert(QStringLiteral("breathing"), *v.breathing);
        if (v.breathingConfidence)
            o.insert(QStringLiteral("breathingConfidence"), *v.breathingConfidence);
        sendJson(m_vitals, o);
        ++m_report.vitalsSent;
    };
    while (m_vitalsIndex < m_script.vitals.size() &&
           m_script.vitals[m_vitalsIndex].atMs <= elapsedMs)
        sendVitals(m_script.vitals[m_vitalsIndex++]);
    if (m_script.vitalsDemo && elapsedMs >= m_nextDemoVitalsMs) {
        sendVitals(demoVitals(m_nextDemoVitalsMs));
        m_nextDemoVitalsMs += DemoVitalsIntervalMs;
    }

    if (!m_script.frames.isEmpty() && elapsedMs >= m_nextFrameMs &&
        (m_script.repeatFrame || m_frameIndex < m_script.frames.size())) {
        const QByteArray &jpeg = m_script.frames[m_frameIndex % m_script.frames.size()];
        sendJson(m_audio, {{QStringLiteral("type"), QStringLiteral("frame")},
                           {QStringLiteral("data"), QString::fromLatin1(jpeg.toBase64())}});
        ++m_frameIndex;
        ++m_report.framesSent;
        m_nextFrameMs += FrameIntervalMs;
    }
}

void SimulatedCall::sendLocation(const Position &p)
{
    sendJson(m_signal, {{QStringLiteral("type"), QStringLiteral("location_update")},
                        {QStringLiteral("location"), positionJson(p)}});
    ++m_report.locationsSent;
}

void SimulatedCall::sendJson(QWebSocket *socket, const QJsonObject &message)
{
    socket->sendTextMessage(
        QString::fromUtf8(QJsonDocument(message).toJson(QJsonDocument::Compact)));
}

bool SimulatedCall::scriptDone() const
{
    return m_audioOffset >= m_script.pcm.size() && m_trackIndex >= m_script.track.size() &&
           m_vitalsIndex >= m_script.vitals.size() &&
           (m_script.repeatFrame || m_frameIndex >= m_script.frames.size());
}

void SimulatedCall::maybeHangUpAtScriptEnd()
{
    if (m_state != State::Live || m_script.hangupAfterMs >= 0 || !m_script.hasPlannedEnd())
        return;
    if (!scriptDone() || (m_script.expectAnswer && !m_answered))
        return;
    hangUp();
}

void SimulatedCall::hangUp()
{
    if (m_state == State::Connecting || m_state == State::Idle) {
        finish(ExitCode::Ok, QStringLiteral("stopped before the call started"));
        return;
    }
    if (m_state != State::Live)
        return;
    m_state = State::HangingUp;
    m_ticker.stop();
    m_answerTimer.stop();
    m_hangupTimer.stop();
    // The media sockets are separate connections: a ping answered means the console has read
    // everything sent before it, so no audio arrives after the hang-up.
    m_pongsAwaited = 2;
    m_audio->ping();
    m_vitals->ping();
    disconnect(&m_endTimer, nullptr, this, nullptr);
    connect(&m_endTimer, &QTimer::timeout, this, &SimulatedCall::sendHangUp);
    m_endTimer.start(FlushTimeoutMs);
}

void SimulatedCall::sendHangUp()
{
    if (m_state != State::HangingUp || m_hangUpSent)
        return;
    m_hangUpSent = true;
    sendJson(m_signal, {{QStringLiteral("type"), QStringLiteral("call_ended")}});
    emitEvent(QStringLiteral("hung_up"));
    disconnect(&m_endTimer, nullptr, this, nullptr);
    connect(&m_endTimer, &QTimer::timeout, this, [this] {
        finish(ExitCode::Ok, QStringLiteral("the console did not confirm the hang-up"));
    });
    m_endTimer.start(EndAckTimeoutMs);
}

void SimulatedCall::finish(ExitCode outcome, const QString &detail)
{
    if (m_state == State::Done)
        return;
    const bool started = m_state == State::Live || m_state == State::HangingUp ||
                         (m_state == State::Connecting && m_media.isValid());
    const bool callLive = started && !m_hangUpSent && m_report.endReason.isEmpty();
    m_state = State::Done;
    for (QTimer *t : {&m_connectTimer, &m_answerTimer, &m_hangupTimer, &m_ticker, &m_endTimer})
        t->stop();
    if (callLive && m_signal && m_signal->state() == QAbstractSocket::ConnectedState)
        sendJson(m_signal, {{QStringLiteral("type"), QStringLiteral("call_ended")}});
    m_report.outcome = outcome;
    m_report.detail = detail;
    m_report.durationMs = m_clock.isValid() ? m_clock.elapsed() : 0;
    for (QWebSocket *s : {m_signal, m_audio, m_vitals}) {
        if (s && s->state() == QAbstractSocket::ConnectedState)
            s->close();
        else if (s)
            s->abort();
    }
    Q_EMIT finished();
}

void SimulatedCall::emitEvent(const QString &event, const QJsonObject &details)
{
    Q_EMIT eventOccurred(m_report.callId, event, details);
}

} // namespace dispatch::caller
