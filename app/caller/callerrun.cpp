#include "callerrun.h"

#include "audiotools/wavfile.h"

#include <QJsonDocument>
#include <QSslCertificate>
#include <QTimer>
#include <QUuid>

#include <map>

namespace dispatch::caller {

CallerRun::CallerRun(CallerOptions options, QTextStream &out, QTextStream &err, QObject *parent)
    : QObject(parent)
    , m_options(std::move(options))
    , m_out(out)
    , m_err(err)
    , m_ssl(QSslConfiguration::defaultConfiguration())
{}

CallerRun::~CallerRun() = default;

ExitCode CallerRun::prepare()
{
    auto bad = [this](const QString &why) {
        m_err << "dispatch-caller: " << why << Qt::endl;
        return ExitCode::BadInput;
    };
    const CallerOptions &o = m_options;
    if (!o.wavPath.isEmpty()) {
        const auto wav = readWavFileAs16k(o.wavPath);
        if (!wav)
            return bad(wav.error().message);
        m_script.pcm = wav->pcm16;
    }
    if (!o.trackPath.isEmpty()) {
        const auto track = loadTrack(o.trackPath);
        if (!track.ok())
            return bad(track.error);
        m_script.track = track.value;
    }
    if (!o.vitalsPath.isEmpty()) {
        const auto vitals = loadVitals(o.vitalsPath);
        if (!vitals.ok())
            return bad(vitals.error);
        m_script.vitals = vitals.value;
    }
    if (!o.framesPath.isEmpty()) {
        const auto frames = loadFrames(o.framesPath);
        if (!frames.ok())
            return bad(frames.error);
        m_script.frames = frames.value;
    }
    if (!o.caPath.isEmpty()) {
        const QList<QSslCertificate> certificates = QSslCertificate::fromPath(o.caPath);
        if (certificates.isEmpty())
            return bad(QStringLiteral("no PEM certificate in %1").arg(o.caPath));
        m_ssl.addCaCertificates(certificates);
    }
    m_script.fast = o.fast;
    m_script.location = o.location;
    m_script.move = o.move;
    m_script.vitalsDemo = o.vitalsDemo;
    m_script.repeatFrame = o.repeatFrame;
    m_script.text = o.text;
    m_script.hangupAfterMs = o.hangupAfterMs;
    m_script.expectAnswer = o.expectAnswer;
    m_script.answerTimeoutMs = o.answerTimeoutMs;
    m_script.connectTimeoutMs = o.connectTimeoutMs;
    return ExitCode::Ok;
}

void CallerRun::start()
{
    m_clock.start();
    for (int i = 0; i < m_options.count; ++i) {
        QString id = m_options.callId;
        if (id.isEmpty())
            id = QUuid::createUuid().toString(QUuid::WithoutBraces);
        else if (m_options.count > 1)
            id += QStringLiteral("-%1").arg(i + 1);
        auto call = std::make_unique<SimulatedCall>(m_options.server, id, m_script, m_ssl,
                                                    m_options.insecure);
        connect(call.get(), &SimulatedCall::eventOccurred, this, &CallerRun::onEvent);
        SimulatedCall *raw = call.get();
        connect(raw, &SimulatedCall::finished, this, [this, raw] { onCallFinished(raw); });
        m_calls.push_back(std::move(call));
        QTimer::singleShot(i * m_options.staggerMs, raw, &SimulatedCall::start);
    }
}

void CallerRun::hangUpAll()
{
    for (const auto &call : m_calls)
        call->hangUp();
}

void CallerRun::onEvent(const QString &callId, const QString &event, const QJsonObject &details)
{
    const double t = double(m_clock.elapsed()) / 1000.0;
    if (m_options.json) {
        QJsonObject line = details;
        line.insert(QStringLiteral("t"), t);
        line.insert(QStringLiteral("call_id"), callId);
        line.insert(QStringLiteral("event"), event);
        m_out << QJsonDocument(line).toJson(QJsonDocument::Compact) << Qt::endl;
        return;
    }
    QString text;
    for (auto it = details.begin(); it != details.end(); ++it) {
        const QJsonValue v = it.value();
        const QString shown =
            v.isString() ? v.toString()
            : v.isObject()
                ? QString::fromUtf8(QJsonDocument(v.toObject()).toJson(QJsonDocument::Compact))
                : QString::number(v.toDouble());
        text += QLatin1Char(' ') + it.key() + QLatin1Char('=') + shown;
    }
    m_out << QStringLiteral("[%1 s] %2: %3%4").arg(t, 0, 'f', 3).arg(callId, event, text)
          << Qt::endl;
}

void CallerRun::onCallFinished(SimulatedCall *call)
{
    const CallReport &r = call->report();
    if (m_options.json)
        m_out << QJsonDocument(r.toJson()).toJson(QJsonDocument::Compact) << Qt::endl;
    else
        m_out << r.toText() << Qt::endl;
    if (r.outcome != ExitCode::Ok && (m_exitCode == 0 || int(r.outcome) < m_exitCode))
        m_exitCode = int(r.outcome);
    if (++m_finished == int(m_calls.size())) {
        printTotal();
        // Let the close frames go out before the event loop stops.
        QTimer::singleShot(50, this, [this] { Q_EMIT finished(m_exitCode); });
    }
}

void CallerRun::printTotal()
{
    std::map<int, int> byOutcome;
    qint64 audio = 0;
    qint64 talkBack = 0;
    int answered = 0;
    for (const auto &call : m_calls) {
        const CallReport &r = call->report();
        ++byOutcome[int(r.outcome)];
        audio += r.audioBytesSent;
        talkBack += r.talkBackBytes;
        answered += r.answerMs >= 0 ? 1 : 0;
    }
    const int ok = byOutcome[0];
    const int calls = int(m_calls.size());
    if (m_options.json) {
        m_out << QJsonDocument(QJsonObject{{QStringLiteral("event"), QStringLiteral("total")},
                                           {QStringLiteral("calls"), calls},
                                           {QStringLiteral("ok"), ok},
                                           {QStringLiteral("failed"), calls - ok},
                                           {QStringLiteral("answered"), answered},
                                           {QStringLiteral("audio_bytes_sent"), audio},
                                           {QStringLiteral("talk_back_bytes"), talkBack},
                                           {QStringLiteral("status"), m_exitCode}})
                     .toJson(QJsonDocument::Compact)
              << Qt::endl;
        return;
    }
    m_out << QStringLiteral("total: %1 calls, %2 ok, %3 failed (connect %4, not answered %5, "
                            "server error %6, ended unexpectedly %7), %8 answered; sent %9 audio "
                            "bytes; exit %10")
                 .arg(calls)
                 .arg(ok)
                 .arg(calls - ok)
                 .arg(byOutcome[int(ExitCode::ConnectFailed)])
                 .arg(byOutcome[int(ExitCode::NotAnswered)])
                 .arg(byOutcome[int(ExitCode::ServerError)])
                 .arg(byOutcome[int(ExitCode::EndedUnexpectedly)])
                 .arg(answered)
                 .arg(audio)
                 .arg(m_exitCode)
          << Qt::endl;
}

} // namespace dispatch::caller
