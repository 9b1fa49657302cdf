#include "faultharness.h"

#include "consoleprocess.h"
#include "corpusfiles.h"
#include "fakegeminiserver.h"
#include "floodharness.h"
#include "storage/callhistory.h"
#include "storage/database.h"
#include "tcprelay.h"
#include "testaudio.h"
#include "testclient.h"

#include <QDir>
#include <QElapsedTimer>
#include <QJsonArray>
#include <QJsonDocument>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QProcess>
#include <QRandomGenerator>
#include <QRegularExpression>
#include <QScopeGuard>
#include <QSqlQuery>
#include <QStorageInfo>
#include <QTemporaryDir>
#include <QTest>
#include <QTimer>
#include <QtEndian>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>

namespace dispatch::bench {

using namespace dispatch::fakes;
using namespace dispatch::test;

namespace {

constexpr int ChunkSamples = 320; // 20 ms at 16 kHz
constexpr int ChunkBytes = 2 * ChunkSamples;
constexpr qint16 TagA = 1234; // quiet enough for the fake's energy VAD to hear silence
constexpr qint16 TagB = -1234;
const QString ApiKey = QStringLiteral("test-key");
const QString Token = QStringLiteral("t");

constexpr int TagSamples = 7;

// Small values only: a tag must not make a silent chunk loud enough for the fake's VAD.
qint16 tagCheck(int call, int chunk)
{
    return static_cast<qint16>((call * 7 + chunk * 13 + (chunk >> 6) * 3) & 63);
}

// The audio of call `call`: 3 s of corpus speech and 1 s of silence in turn (so the fake's VAD
// ends a user turn every 4 s), every 20 ms chunk starting with a 7-sample tag naming the call
// and the chunk (values below 64 after the marker). Wherever a byte of it turns up (a recording, a
// stream to the AI) its position in the call's audio can be recovered exactly.
QByteArray callAudio(int call, int chunks, const QByteArray &speech)
{
    QByteArray out(qsizetype(chunks) * ChunkBytes, '\0');
    const qsizetype speechChunks = speech.size() / ChunkBytes;
    for (int k = 0; k < chunks; ++k) {
        char *chunk = out.data() + qsizetype(k) * ChunkBytes;
        const int cycle = k / 200;
        const int inCycle = k % 200;
        if (inCycle < 150 && speechChunks > 0) {
            const qsizetype from = (qsizetype(cycle) * 150 + inCycle + call * 37) % speechChunks;
            memcpy(chunk, speech.constData() + from * ChunkBytes, ChunkBytes);
        }
        const qint16 tag[TagSamples] = {TagA,
                                        TagB,
                                        static_cast<qint16>(call),
                                        static_cast<qint16>(k & 63),
                                        static_cast<qint16>((k >> 6) & 63),
                                        static_cast<qint16>(k >> 12),
                                        tagCheck(call, k)};
        for (int i = 0; i < TagSamples; ++i)
            qToLittleEndian<qint16>(tag[i], chunk + 2 * i);
    }
    return out;
}

// A run of one call's audio found in some stream: bytes [from, to) of that call's audio.
struct Segment
{
    int call = -1;
    qint64 from = 0;
    qint64 to = 0;
};

// Splits `pcm` into runs that match the calls' audio byte for byte (resynchronising on tags).
// Bytes that match nothing are counted in *unmatched.
QList<Segment> locate(const QByteArray &pcm, const QList<QByteArray> &audio, qint64 *unmatched)
{
    QList<Segment> out;
    const auto *s = reinterpret_cast<const uchar *>(pcm.constData());
    const qsizetype n = pcm.size() / 2;
    const auto sample = [s](qsizetype i) { return qFromLittleEndian<qint16>(s + 2 * i); };
    qsizetype pos = 0;
    while (pos < n) {
        qsizetype t = pos;
        int call = -1;
        int chunk = -1;
        for (; t + TagSamples <= n; ++t) {
            if (sample(t) != TagA || sample(t + 1) != TagB)
                continue;
            const int c = sample(t + 2);
            const int k = sample(t + 3) + (sample(t + 4) << 6) + (sample(t + 5) << 12);
            if (c >= 0 && c < audio.size() && k >= 0 && sample(t + 6) == tagCheck(c, k) &&
                qsizetype(k) * ChunkBytes < audio[c].size()) {
                call = c;
                chunk = k;
                break;
            }
        }
        if (call < 0)
            break;
        const QByteArray &ref = audio[call];
        const qint64 tagAt = qint64(chunk) * ChunkBytes;
        // Extend backwards over the bytes before the tag, then forwards while they match.
        qsizetype start = t;
        while (start > pos && tagAt - 2 * (t - start + 1) >= 0 &&
               pcm.at(2 * (start - 1)) == ref.at(tagAt - 2 * (t - start + 1)) &&
               pcm.at(2 * (start - 1) + 1) == ref.at(tagAt - 2 * (t - start + 1) + 1))
            --start;
        if (unmatched)
            *unmatched += 2 * (start - pos);
        qsizetype end = t;
        qint64 refAt = tagAt;
        while (end < n && refAt + 1 < ref.size() && pcm.at(2 * end) == ref.at(refAt) &&
               pcm.at(2 * end + 1) == ref.at(refAt + 1)) {
            ++end;
            refAt += 2;
        }
        out.append({call, tagAt - 2 * (t - start), refAt});
        pos = end;
    }
    if (unmatched)
        *unmatched += 2 * (n - pos);
    return out;
}

// Union of [from, to) ranges: covered bytes and the first hole below `limit` (or -1).
struct Coverage
{
    qint64 covered = 0;
    qint64 total = 0; // with overlaps
    qint64 firstHole = -1;
    qint64 end = 0; // highest byte covered
};

Coverage coverage(QList<Segment> segments, qint64 limit)
{
    Coverage c;
    std::sort(segments.begin(), segments.end(),
              [](const Segment &a, const Segment &b) { return a.from < b.from; });
    qint64 reach = 0;
    for (const auto &seg : segments) {
        c.total += seg.to - seg.from;
        if (seg.from > reach && c.firstHole < 0 && reach < limit)
            c.firstHole = reach;
        if (seg.to > reach) {
            c.covered += seg.to - std::max(seg.from, reach);
            reach = seg.to;
        }
    }
    if (c.firstHole < 0 && reach < limit)
        c.firstHole = reach;
    c.end = reach;
    return c;
}

struct HttpResult
{
    int status = 0;
    QByteArray body;
};

HttpResult httpGet(QNetworkAccessManager &net, const QUrl &url, bool bearer)
{
    QNetworkRequest request(url);
    if (bearer)
        request.setRawHeader("Authorization", "Bearer " + Token.toUtf8());
    std::unique_ptr<QNetworkReply> reply(net.get(request));
    (void)QTest::qWaitFor([&] { return reply->isFinished(); }, 10'000);
    return {reply->attribute(QNetworkRequest::HttpStatusCodeAttribute).toInt(), reply->readAll()};
}

QUrl httpUrl(const QUrl &base, const QString &path)
{
    QUrl url = base;
    url.setPath(path);
    return url;
}

// Sum of every sample of a Prometheus metric (all label sets).
double metricValue(const QByteArray &text, const QByteArray &name)
{
    double sum = 0;
    for (const QByteArray &line : text.split('\n')) {
        if (!line.startsWith(name))
            continue;
        const QByteArray rest = line.mid(name.size());
        if (!rest.startsWith(' ') && !rest.startsWith('{'))
            continue;
        sum += line.mid(line.lastIndexOf(' ') + 1).toDouble();
    }
    return sum;
}

// One simulated phone: signal and audio sockets, 20 ms chunks on a clock, and what the phone
// page (resources/phone/call.js) does: the audio socket opens with the call's secret
// (call_credential), and after a network blip it reconnects, sends call_initiated again with
// the secret, waits for audio_received (1 s at most), resends what the dead socket swallowed,
// then sends what it buffered meanwhile.
class SimPhone : public QObject
{
public:
    SimPhone(QString callId, QUrl base, QByteArray audio)
        : m_callId(std::move(callId))
        , m_base(std::move(base))
        , m_audio(std::move(audio))
    {
        m_tick.setInterval(20);
        connect(&m_tick, &QTimer::timeout, this, [this] { produce(); });
    }

    void start()
    {
        openSignal(); // the audio socket follows the call's secret
        m_clock.start();
        m_tick.start();
    }

    // Cut from the network for `awayMs`: what it records meanwhile is buffered (5 s at most,
    // as the phone page does) and sent after it reconnects.
    void vanish(int awayMs)
    {
        m_awayUntil = m_clock.elapsed() + awayMs;
        ++m_vanishes;
    }

    bool allProduced() const { return m_produced >= m_audio.size(); }
    bool drained() const { return allProduced() && m_pending.isEmpty(); }

    void hangUp()
    {
        m_ended = true;
        m_tick.stop();
        if (m_signal)
            m_signal->sendJson({{QStringLiteral("type"), QStringLiteral("call_ended")}});
    }

    QString callId() const { return m_callId; }
    qint64 sent() const { return m_sent; }
    qint64 droppedWhileAway() const { return m_dropped; }
    qint64 resent() const { return m_resent; }
    // false: behave like a phone that ignores audio_received (what it wrote into a dead socket
    // is lost), to measure what the resend saves.
    void setResendLostAudio(bool on) { m_resendLostAudio = on; }
    int reconnects() const { return m_reconnects; }

private:
    void openSignal()
    {
        m_signal = std::make_unique<TestClient>();
        auto *client = m_signal.get();
        connect(&client->socket(), &QWebSocket::connected, this, [this, client] {
            if (client != m_signal.get())
                return;
            QJsonObject initiated{{QStringLiteral("type"), QStringLiteral("call_initiated")}};
            if (!m_secret.isEmpty())
                initiated.insert(QStringLiteral("call_secret"), m_secret);
            client->sendJson(initiated);
        });
        connect(&client->socket(), &QWebSocket::textMessageReceived, this,
                [this](const QString &text) {
                    const QJsonObject m = QJsonDocument::fromJson(text.toUtf8()).object();
                    if (m_secret.isEmpty() && m.value(QLatin1String("type")).toString() ==
                                                  QLatin1String("call_credential")) {
                        m_secret = m.value(QLatin1String("call_secret")).toString();
                        openAudio();
                    }
                });
        connect(&client->socket(), &QWebSocket::disconnected, this, [this, client] {
            if (client == m_signal.get() && !m_ended)
                QTimer::singleShot(backoff(), this, [this] { reopen(true); });
        });
        client->open(wsUrl(m_base, QStringLiteral("/ws/signal"),
                           QStringLiteral("call_id=%1&role=caller").arg(m_callId)));
    }

    void openAudio()
    {
        m_audioClient = std::make_unique<TestClient>();
        auto *client = m_audioClient.get();
        connect(&client->socket(), &QWebSocket::connected, this, [this] {
            if (m_audioOpened) {
                m_awaitingResume = true;
                QTimer::singleShot(1000, this, [this] { resume(-1); });
            }
            m_audioOpened = true;
            flush();
        });
        connect(
            &client->socket(), &QWebSocket::textMessageReceived, this, [this](const QString &text) {
                const QJsonObject m = QJsonDocument::fromJson(text.toUtf8()).object();
                if (m.value(QLatin1String("type")).toString() == QLatin1String("audio_received"))
                    resume(m.value(QLatin1String("bytes")).toInteger(-1));
            });
        connect(&client->socket(), &QWebSocket::disconnected, this, [this, client] {
            if (client == m_audioClient.get() && !m_ended)
                QTimer::singleShot(backoff(), this, [this] { reopen(false); });
        });
        client->open(wsUrl(m_base, QStringLiteral("/ws/audio"),
                           QStringLiteral("call_id=%1&call_secret=%2").arg(m_callId, m_secret)));
    }

    int backoff() const { return int(std::max<qint64>(300, m_awayUntil - m_clock.elapsed())); }

    void reopen(bool signal)
    {
        if (m_ended)
            return;
        if (m_clock.elapsed() < m_awayUntil) {
            QTimer::singleShot(backoff(), this, [this, signal] { reopen(signal); });
            return;
        }
        if (signal) {
            ++m_reconnects;
            m_signal.release()->deleteLater();
            openSignal();
        } else {
            m_audioClient.release()->deleteLater();
            openAudio();
        }
    }

    void produce()
    {
        const qint64 due =
            std::min<qint64>(m_audio.size(), m_clock.elapsed() / 20 * ChunkBytes + ChunkBytes);
        while (m_produced < due) {
            m_pending.append(m_audio.mid(m_produced, ChunkBytes));
            m_produced += ChunkBytes;
        }
        while (m_pending.size() > 250) { // 5 s, the phone page's bound
            m_dropped += m_pending.takeFirst().size();
        }
        flush();
    }

    void resume(qint64 received)
    {
        if (!m_awaitingResume)
            return;
        m_awaitingResume = false;
        qint64 missing = received < 0 ? 0 : std::min(m_sent - received, m_historyBytes);
        if (missing > 0 && m_resendLostAudio) {
            m_sent -= missing;
            m_resent += missing;
            while (missing > 0) {
                QByteArray chunk = m_history.takeLast();
                m_historyBytes -= chunk.size();
                if (chunk.size() > missing) {
                    m_history.append(chunk.left(chunk.size() - missing));
                    m_historyBytes += chunk.size() - missing;
                    chunk = chunk.right(missing);
                }
                missing -= chunk.size();
                m_pending.prepend(chunk);
            }
        }
        flush();
    }

    void flush()
    {
        if (!m_audioClient || m_clock.elapsed() < m_awayUntil || m_awaitingResume)
            return;
        QWebSocket &socket = m_audioClient->socket();
        while (!m_pending.isEmpty() && socket.state() == QAbstractSocket::ConnectedState) {
            const QByteArray chunk = m_pending.takeFirst();
            socket.sendBinaryMessage(chunk);
            m_sent += chunk.size();
            m_history.append(chunk);
            m_historyBytes += chunk.size();
            while (m_historyBytes - m_history.first().size() >= 5 * 32000)
                m_historyBytes -= m_history.takeFirst().size();
        }
    }

    QString m_callId;
    QString m_secret; // from call_credential
    QUrl m_base;
    QByteArray m_audio;
    std::unique_ptr<TestClient> m_signal;
    std::unique_ptr<TestClient> m_audioClient;
    QTimer m_tick;
    QElapsedTimer m_clock;
    QList<QByteArray> m_pending;
    QList<QByteArray> m_history; // the last 5 s sent
    qint64 m_historyBytes = 0;
    qint64 m_resent = 0;
    bool m_audioOpened = false;
    bool m_awaitingResume = false;
    bool m_resendLostAudio = true;
    qint64 m_produced = 0;
    qint64 m_sent = 0;
    qint64 m_dropped = 0;
    qint64 m_awayUntil = -1;
    int m_vanishes = 0;
    int m_reconnects = 0;
    bool m_ended = false;
};

QList<FakeToolCall> reportFor(int turn)
{
    return {
        {QStringLiteral("report_triage"),
         QJsonObject{{QStringLiteral("situation_summary"),
                      QStringLiteral("Adult collapsed, assessment %1").arg(turn)},
                     {QStringLiteral("detected_keywords"), QJsonArray{QStringLiteral("collapsed")}},
                     {QStringLiteral("caller_emotional_state"), QStringLiteral("panicked")},
                     {QStringLiteral("recommended_response_type"), QStringLiteral("medical")},
                     {QStringLiteral("severity"), 4 + turn % 2},
                     {QStringLiteral("can_speak"), true}}}};
}

// Mounts a size-limited tmpfs (root only); unmounts in the destructor.
class SmallDisk
{
public:
    explicit SmallDisk(const QString &size)
    {
        m_path = QDir(m_base.path()).filePath(QStringLiteral("disk"));
        QDir().mkpath(m_path);
        m_mounted = QProcess::execute(QStringLiteral("mount"),
                                      {QStringLiteral("-t"), QStringLiteral("tmpfs"),
                                       QStringLiteral("-o"), QStringLiteral("size=") + size,
                                       QStringLiteral("tmpfs"), m_path}) == 0;
    }
    ~SmallDisk()
    {
        if (m_mounted)
            QProcess::execute(QStringLiteral("umount"), {QStringLiteral("-l"), m_path});
    }
    bool mounted() const { return m_mounted; }
    QString path() const { return m_path; }

private:
    QTemporaryDir m_base;
    QString m_path;
    bool m_mounted = false;
};

class FaultRun : public QObject
{
public:
    FaultRun(QString scenario, FaultOptions options)
        : m_options(std::move(options))
        , m_random(m_options.seed)
        , m_console(m_options.consoleBinary)
    {
        m_result.scenario = std::move(scenario);
        m_result.calls = m_options.calls;
    }

    FaultResult run();

private:
    void problem(const QString &what) { m_result.problems.append(what); }
    void note(const QString &what) { m_result.notes.append(what); }
    void log(const QString &what) const
    {
        if (m_options.verbose)
            qInfo("[%7.1f s] %s", m_clock.elapsed() / 1000.0, qPrintable(what));
    }
    bool startConsole(const QStringList &extra);
    void onDashboard(const QString &text);
    void scheduleFaults();
    void injectRandom1011();
    void pollHealth();
    void refuseForQuotaIfDue(const QString &callId);
    void collectRecords();
    void collectAi();
    void collectReports();
    void checkFlood();

    FaultOptions m_options;
    FaultResult m_result;
    QRandomGenerator m_random;
    QElapsedTimer m_clock;
    FakeGeminiServer m_fake;
    std::unique_ptr<TcpRelay> m_aiRelay;
    std::unique_ptr<TcpRelay> m_phoneRelay;
    std::unique_ptr<SmallDisk> m_disk;
    std::unique_ptr<HostilePeer> m_hostile;
    ConsoleProcess m_console;
    QString m_dataDir;
    QUrl m_base;
    QNetworkAccessManager m_net;
    TestClient m_dashboard;
    QList<QByteArray> m_audio; // each call's audio
    std::vector<std::unique_ptr<SimPhone>> m_phones;
    QTimer m_faultTimer;
    QTimer m_drain;
    QTimer m_healthTimer;

    std::map<int, QByteArray> m_aiStreams; // by fake connection id
    QHash<int, int> m_connectionCall;      // fake connection id -> call index
    QSet<int> m_openConnections;
    QHash<QString, QList<qint64>> m_reportTimes; // ms since start, by call id
    QHash<QString, QStringList> m_links;         // ai_link states by call id
    QHash<QString, qint64> m_failedAt;           // ai_link failed, by call id
    QHash<QString, int> m_incoming;              // incoming_call messages by call id
    QHash<QString, int> m_callerDrops;           // caller_connection false by call id
    QHash<QString, qint64> m_endedAt;
    QHash<QString, int> m_quotaDue; // ai-quota: calls to refuse once they have had a report
    qint64 m_startedAt = 0;
    qint64 m_streamedAt = 0; // every phone had sent all its audio
    int m_faults = 0;
    bool m_storageAlarmSeen = false;
    bool m_storageAlarmInMetrics = false;
    bool m_healthFailedToAnswer = false;
    QByteArray m_lastMetrics;
};

bool FaultRun::startConsole(const QStringList &extra)
{
    QProcessEnvironment env = QProcessEnvironment::systemEnvironment();
    env.insert(QStringLiteral("GEMINI_API_KEY"), ApiKey);
    env.remove(QStringLiteral("DISPATCH_GEMINI_ENDPOINT"));
    if (!env.contains(QStringLiteral("QT_LOGGING_RULES")))
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("dispatch.*.debug=false"));
    m_console.process().setProcessEnvironment(env);
    // Drain stderr so that a chatty console never blocks on a full pipe.
    m_drain.setInterval(250);
    connect(&m_drain, &QTimer::timeout, this, [this] { (void)m_console.standardError(); });
    m_base = m_console.start(extra);
    m_drain.start();
    return m_base.isValid();
}

void FaultRun::onDashboard(const QString &text)
{
    const QJsonObject m = QJsonDocument::fromJson(text.toUtf8()).object();
    const QString type = m.value(QLatin1String("type")).toString();
    const QString id = m.value(QLatin1String("call_id")).toString();
    const qint64 now = m_clock.elapsed();
    if (type == QLatin1String("triage_update")) {
        m_reportTimes[id].append(now);
        refuseForQuotaIfDue(id);
        log(QStringLiteral("%1 report from %2: %3")
                .arg(id, m[QLatin1String("report")][QLatin1String("source")].toString(),
                     m[QLatin1String("report")][QLatin1String("situation_summary")].toString()));
    } else if (type == QLatin1String("ai_link")) {
        const QString state = m.value(QLatin1String("state")).toString();
        m_links[id].append(state);
        if (state == QLatin1String("failed") && !m_failedAt.contains(id))
            m_failedAt.insert(id, now);
        log(QStringLiteral("%1 ai_link %2 %3")
                .arg(id, state, m.value(QLatin1String("detail")).toString()));
    } else if (type == QLatin1String("incoming_call")) {
        ++m_incoming[id];
    } else if (type == QLatin1String("caller_connection")) {
        if (!m.value(QLatin1String("connected")).toBool())
            ++m_callerDrops[id];
    } else if (type == QLatin1String("call_ended")) {
        m_endedAt.insert(id, now);
    }
}

void FaultRun::injectRandom1011()
{
    const QList<int> open(m_openConnections.cbegin(), m_openConnections.cend());
    if (!open.isEmpty()) {
        const int id = open.at(int(m_random.bounded(qsizetype(open.size()))));
        if (m_fake.injectOn(id, FakeFault::InternalError)) {
            ++m_faults;
            log(QStringLiteral("1011 on AI connection %1").arg(id));
        }
    }
}

void FaultRun::scheduleFaults()
{
    const QString &s = m_result.scenario;
    const double every = m_options.faultEveryS * 1000.0;
    if (s == QLatin1String("ai-1011") || s == QLatin1String("ai-tcp-drop")) {
        m_faultTimer.setSingleShot(true);
        connect(&m_faultTimer, &QTimer::timeout, this, [this, s, every] {
            if (s == QLatin1String("ai-1011")) {
                // A random connection per fault; about one fault per call every `every` ms.
                injectRandom1011();
            } else {
                const int cut = m_aiRelay->dropAll();
                m_faults += cut > 0 ? 1 : 0;
                log(QStringLiteral("cut %1 AI connections").arg(cut));
            }
            const double scale = s == QLatin1String("ai-1011") ? 1.0 / m_options.calls : 1.0;
            m_faultTimer.start(int(every * scale * (0.5 + m_random.generateDouble())));
        });
        const double scale = s == QLatin1String("ai-1011") ? 1.0 / m_options.calls : 1.0;
        m_faultTimer.start(int(every * scale * (0.5 + m_random.generateDouble())));
    } else if (s == QLatin1String("ai-quota")) {
        // Half the calls (rounded up) are refused for quota mid-call, one after the other, each
        // once it has had a Gemini report (so that the failover has something to follow).
        const int refused = (m_options.calls + 1) / 2;
        for (int i = 0; i < refused; ++i) {
            const int at = int(m_options.seconds * 1000 * (0.3 + 0.2 * i / std::max(1, refused)));
            QTimer::singleShot(at, this, [this, i] {
                m_quotaDue.insert(m_phones[size_t(i)]->callId(), i);
                refuseForQuotaIfDue(m_phones[size_t(i)]->callId());
            });
        }
    } else if (s == QLatin1String("phone-vanish")) {
        for (double f : {0.3, 0.65}) {
            QTimer::singleShot(int(m_options.seconds * 1000 * f), this, [this] {
                for (auto &phone : m_phones)
                    phone->vanish(int(m_options.vanishS * 1000));
                const int cut = m_phoneRelay->dropAll();
                ++m_faults;
                log(QStringLiteral("phones vanish: cut %1 sockets").arg(cut));
            });
        }
    } else if (s == QLatin1String("flood")) {
        QTimer::singleShot(2000, this, [this] {
            m_hostile = std::make_unique<HostilePeer>(
                m_base, QHostAddress(QStringLiteral("127.0.0.2")), m_options.floodConnections);
            m_hostile->start();
            ++m_faults;
            log(QStringLiteral("flood from 127.0.0.2 started"));
        });
    } else if (s == QLatin1String("disk-full")) {
        QTimer::singleShot(int(m_options.seconds * 1000 * 0.7), this, [this] {
            QFile::remove(QDir(m_dataDir).filePath(QStringLiteral("ballast")));
            ++m_faults;
            log(QStringLiteral("ballast removed: space is back"));
        });
    }
}

void FaultRun::refuseForQuotaIfDue(const QString &callId)
{
    if (!m_quotaDue.contains(callId) || m_reportTimes.value(callId).isEmpty())
        return;
    const int call = m_quotaDue.take(callId);
    for (auto it = m_connectionCall.cbegin(); it != m_connectionCall.cend(); ++it) {
        if (it.value() == call && m_fake.injectOn(it.key(), FakeFault::ResourceExhausted)) {
            ++m_faults;
            log(QStringLiteral("RESOURCE_EXHAUSTED on call %1").arg(call));
        }
    }
}

void FaultRun::pollHealth()
{
    const HttpResult health = httpGet(m_net, httpUrl(m_base, QStringLiteral("/health")), false);
    if (health.status == 0) {
        m_healthFailedToAnswer = true;
        return;
    }
    const QJsonObject h = QJsonDocument::fromJson(health.body).object();
    const bool storageOk =
        h[QLatin1String("checks")][QLatin1String("storage")][QLatin1String("ok")].toBool(true);
    if (!storageOk && !m_storageAlarmSeen) {
        m_storageAlarmSeen = true;
        log(QStringLiteral("storage alarm: %1")
                .arg(h[QLatin1String("checks")][QLatin1String("storage")][QLatin1String("detail")]
                         .toString()));
    }
    const HttpResult metrics = httpGet(m_net, httpUrl(m_base, QStringLiteral("/metrics")), true);
    if (metrics.status == 200 && metrics.body.contains("dispatch_storage_ok 0"))
        m_storageAlarmInMetrics = true;
}

FaultResult FaultRun::run()
{
    m_clock.start();
    const QString &s = m_result.scenario;
    const int chunksPerCall = int(m_options.seconds * 50);
    // The corpus call without its pauses: turns end only in the silences callAudio() adds.
    QByteArray speech;
    for (const QByteArray &chunk :
         chunks(corpusPcm(QStringLiteral("cardiac_arrest.wav")), ChunkBytes)) {
        double sum = 0;
        for (qsizetype i = 0; i + 1 < chunk.size(); i += 2) {
            const double v = qFromLittleEndian<qint16>(chunk.constData() + i);
            sum += v * v;
        }
        if (chunk.size() == ChunkBytes && std::sqrt(sum / ChunkSamples) >= 1000)
            speech += chunk;
    }
    const QByteArray tone = pcm16k(1000, 6000);
    for (int i = 0; i < m_options.calls; ++i)
        m_audio.append(callAudio(i, chunksPerCall, speech.isEmpty() ? tone : speech));

    // The fake AI: a report on every user turn, so reports should keep coming all call long.
    m_fake.config().expectedApiKey = ApiKey;
    m_fake.config().resumptionUpdateIntervalMs = 1000;
    for (int turn = 1; turn <= chunksPerCall / 150 + 50; ++turn)
        m_fake.scriptToolCall(turn, reportFor(turn));
    if (s.startsWith(QLatin1String("ai-lifetime"))) {
        const qint64 lifetime = qint64(m_options.lifetimeS * 1000);
        if (s == QLatin1String("ai-lifetime")) {
            // The real service: goAway with 50 s left at 9:00 of 10 min; scaled the same way.
            m_fake.config().goAwayTimeLeftMs = std::max<qint64>(500, lifetime / 12);
            m_fake.config().connectionLifetimeMs = lifetime - m_fake.config().goAwayTimeLeftMs;
        } else {
            m_fake.config().goAwayBeforeLifetimeEnd = false;
            m_fake.config().connectionLifetimeMs = lifetime;
        }
    }
    if (!m_fake.listen()) {
        problem(QStringLiteral("the fake AI could not listen"));
        return m_result;
    }
    connect(&m_fake, &FakeGeminiServer::connectionOpened, this,
            [this](int id) { m_openConnections.insert(id); });
    connect(&m_fake, &FakeGeminiServer::connectionClosed, this, [this](int id, int code) {
        m_openConnections.remove(id);
        log(QStringLiteral("AI connection %1 (call %2) closed %3")
                .arg(id)
                .arg(m_connectionCall.value(id, -1))
                .arg(code));
    });
    if (m_options.verbose) {
        connect(&m_fake, &FakeGeminiServer::userTurnEnded, this, [this](int id, int turn) {
            log(QStringLiteral("AI %1: user turn %2").arg(id).arg(turn));
        });
        connect(
            &m_fake, &FakeGeminiServer::toolCallSent, this, [this](int id, const QStringList &ids) {
                log(QStringLiteral("AI %1: tool call %2").arg(id).arg(ids.join(QLatin1Char(','))));
            });
        connect(&m_fake, &FakeGeminiServer::toolResponseReceived, this,
                [this](int id, const QStringList &ids) {
                    log(QStringLiteral("AI %1: tool response %2")
                            .arg(id)
                            .arg(ids.join(QLatin1Char(','))));
                });
        connect(&m_fake, &FakeGeminiServer::clientMessageReceived, this,
                [this](int id, const QString &kind) {
                    if (kind != QLatin1String("realtimeInput"))
                        log(QStringLiteral("AI %1: client sent %2").arg(id).arg(kind));
                });
        connect(&m_fake, &FakeGeminiServer::modelTurnCompleted, this, [this](int id, int turn) {
            log(QStringLiteral("AI %1: model turn %2 complete").arg(id).arg(turn));
        });
        connect(&m_fake, &FakeGeminiServer::modelTurnInterrupted, this,
                [this](int id) { log(QStringLiteral("AI %1: model turn interrupted").arg(id)); });
    }
    connect(&m_fake, &FakeGeminiServer::audioDataReceived, this,
            [this](int id, const QByteArray &pcm) {
                QByteArray &stream = m_aiStreams[id];
                stream += pcm;
                if (!m_connectionCall.contains(id)) {
                    const auto found = locate(stream, m_audio, nullptr);
                    if (!found.isEmpty())
                        m_connectionCall.insert(id, found.first().call);
                }
            });
    QUrl aiUrl = m_fake.baseUrl();
    if (s == QLatin1String("ai-tcp-drop")) {
        m_aiRelay = std::make_unique<TcpRelay>(QHostAddress::LocalHost, m_fake.port());
        aiUrl.setPort(m_aiRelay->port());
    }

    QStringList extra{QStringLiteral("--auto-answer"),
                      QStringLiteral("--dashboard-token"),
                      Token,
                      QStringLiteral("--triage"),
                      QStringLiteral("gemini"),
                      QStringLiteral("--gemini-endpoint"),
                      aiUrl.toString(),
                      QStringLiteral("--gemini-max-sessions"),
                      QString::number(std::max(3, m_options.calls))};
    m_dataDir = m_console.dataDir();
    if (s == QLatin1String("disk-full")) {
        // Room for the database and about 40 % of the calls' audio; the rest fills it up.
        const qint64 budget = qint64(m_options.calls) * chunksPerCall * ChunkBytes * 4 / 10;
        m_disk =
            std::make_unique<SmallDisk>(QStringLiteral("%1k").arg((budget + (8 << 20)) / 1024));
        if (!m_disk->mounted()) {
            problem(QStringLiteral("cannot mount a tmpfs (needs root)"));
            return m_result;
        }
        m_dataDir = m_disk->path();
        extra << QStringLiteral("--data-dir") << m_dataDir << QStringLiteral("--min-free-mb")
              << QStringLiteral("0");
    }
    if (!startConsole(extra)) {
        problem(QStringLiteral("the console did not start: ") +
                QString::fromUtf8(m_console.standardError().right(2000)));
        return m_result;
    }
    if (m_disk) {
        QFile ballast(QDir(m_dataDir).filePath(QStringLiteral("ballast")));
        const qint64 budget = qint64(m_options.calls) * chunksPerCall * ChunkBytes * 4 / 10;
        const qint64 size = QStorageInfo(m_dataDir).bytesAvailable() - budget;
        if (!ballast.open(QIODevice::WriteOnly) || size <= 0 ||
            ballast.write(QByteArray(size, 'b')) != size) {
            problem(QStringLiteral("could not write the ballast"));
            return m_result;
        }
        ballast.close();
        log(QStringLiteral("tmpfs with %1 KiB free for recordings")
                .arg(QStorageInfo(m_dataDir).bytesAvailable() / 1024));
    }

    connect(&m_dashboard.socket(), &QWebSocket::textMessageReceived, this,
            [this](const QString &text) { onDashboard(text); });
    m_dashboard.open(wsUrl(m_base, QStringLiteral("/ws/dashboard")),
                     {{"Authorization", "Bearer " + Token.toUtf8()}});
    if (m_dashboard.waitForType(QStringLiteral("hello")).isEmpty()) {
        problem(QStringLiteral("the dashboard got no hello"));
        return m_result;
    }

    QUrl phoneBase = m_base;
    if (s == QLatin1String("phone-vanish")) {
        m_phoneRelay = std::make_unique<TcpRelay>(QHostAddress::LocalHost, quint16(m_base.port()));
        phoneBase.setPort(m_phoneRelay->port());
    }
    m_startedAt = m_clock.elapsed();
    for (int i = 0; i < m_options.calls; ++i) {
        m_phones.push_back(std::make_unique<SimPhone>(QStringLiteral("fault-%1-%2").arg(s).arg(i),
                                                      phoneBase, m_audio.at(i)));
        m_phones.back()->setResendLostAudio(m_options.phoneResends);
        m_phones.back()->start();
    }
    scheduleFaults();
    if (m_disk) {
        m_healthTimer.setInterval(1000);
        connect(&m_healthTimer, &QTimer::timeout, this, [this] { pollHealth(); });
        m_healthTimer.start();
    }

    // Stream every call to its end, let the AI catch up (replays), then hang up.
    const auto allDrained = [this] {
        return std::all_of(m_phones.cbegin(), m_phones.cend(),
                           [](const auto &p) { return p->drained(); });
    };
    (void)QTest::qWaitFor(allDrained, int(m_options.seconds * 1000) + 60'000);
    m_faultTimer.stop();
    m_healthTimer.stop();
    m_streamedAt = m_clock.elapsed();
    if (!allDrained())
        problem(QStringLiteral("the phones could not send all their audio"));
    const auto aiCaughtUp = [this] {
        QHash<int, QList<Segment>> byCall;
        for (const auto &[id, stream] : m_aiStreams) {
            for (const auto &seg : locate(stream, m_audio, nullptr))
                byCall[seg.call].append(seg);
        }
        for (int i = 0; i < m_options.calls; ++i) {
            if (m_failedAt.contains(m_phones[size_t(i)]->callId()))
                continue;
            if (coverage(byCall.value(i), m_phones[size_t(i)]->sent()).covered <
                m_phones[size_t(i)]->sent())
                return false;
        }
        return true;
    };
    log(QStringLiteral("phones drained"));
    (void)QTest::qWaitFor(aiCaughtUp, 20'000);
    log(QStringLiteral("AI caught up"));
    if (m_hostile)
        checkFlood();
    if (m_disk)
        pollHealth(); // after the space came back
    for (auto &phone : m_phones)
        phone->hangUp();
    (void)QTest::qWaitFor([this] { return m_endedAt.size() >= m_options.calls; }, 15'000);
    log(QStringLiteral("calls ended"));
    // The ended calls have let go of their AI sessions before the final figures are read.
    (void)QTest::qWaitFor(
        [this] {
            const QByteArray metrics =
                httpGet(m_net, httpUrl(m_base, QStringLiteral("/metrics")), true).body;
            return !metrics.isEmpty() &&
                   metricValue(metrics, "dispatch_gemini_sessions{kind=\"in_use\"}") == 0;
        },
        10'000);

    const HttpResult health = httpGet(m_net, httpUrl(m_base, QStringLiteral("/health")), false);
    const QJsonObject h = QJsonDocument::fromJson(health.body).object();
    m_lastMetrics = httpGet(m_net, httpUrl(m_base, QStringLiteral("/metrics")), true).body;
    m_result.aiDuplicatesCounted =
        qint64(metricValue(m_lastMetrics, "dispatch_gemini_duplicate_audio_bytes_total"));
    const bool live = h.value(QLatin1String("live")).toBool();
    if (m_disk && !h.value(QLatin1String("ready")).toBool())
        problem(QStringLiteral("not ready after the space came back: ") +
                QString::fromUtf8(QJsonDocument(h[QLatin1String("checks")].toObject())
                                      .toJson(QJsonDocument::Compact)));
    log(QStringLiteral("stopping the console"));
    QElapsedTimer stopping;
    stopping.start();
    const int exitCode = m_console.stop(30'000);
    note(QStringLiteral("the console took %1 s to exit after SIGTERM")
             .arg(stopping.elapsed() / 1000.0, 0, 'f', 1));
    log(QStringLiteral("console stopped"));
    if (m_options.verbose) {
        const QList<QByteArray> lines = m_console.standardError().split('\n');
        for (qsizetype i = std::max<qsizetype>(0, lines.size() - 25); i < lines.size(); ++i)
            log(QStringLiteral("console: ") + QString::fromUtf8(lines.at(i)));
    }
    m_drain.stop();
    m_result.healthy = live && exitCode == 0 && !m_healthFailedToAnswer;
    if (!m_result.healthy) {
        const QProcess &process = m_console.process();
        problem(QStringLiteral("console unhealthy (live %1, exit code %2, %3); its last log "
                               "lines:\n%4")
                    .arg(live)
                    .arg(exitCode)
                    .arg(process.exitStatus() == QProcess::CrashExit ? QStringLiteral("crashed")
                                                                     : QStringLiteral("exited"))
                    .arg(QString::fromUtf8(m_console.standardError().right(4000))));
    }
    m_result.seconds = m_clock.elapsed() / 1000.0;

    for (const auto &phone : m_phones)
        m_result.audioSent += phone->sent();
    collectRecords();
    collectAi();
    collectReports();
    return m_result;
}

void FaultRun::collectRecords()
{
    Database db(QDir(m_dataDir).filePath(Database::fileName()));
    if (!db.open(Database::Mode::ReadOnly)) {
        problem(QStringLiteral("the database does not open"));
        return;
    }
    QSqlQuery integrity(db.handle());
    if (!integrity.exec(QStringLiteral("PRAGMA integrity_check")) || !integrity.next() ||
        integrity.value(0).toString() != QLatin1String("ok"))
        problem(QStringLiteral("database integrity check failed"));
    CallHistory history(db.handle(), m_dataDir);
    const auto listed = history.list(QDateTime::currentDateTimeUtc().addDays(-1),
                                     QDateTime::currentDateTimeUtc().addDays(1));
    m_result.dbCalls = listed ? int(listed->size()) : -1;
    if (m_result.dbCalls != m_options.calls)
        problem(
            QStringLiteral("%1 call rows for %2 calls").arg(m_result.dbCalls).arg(m_options.calls));
    for (int i = 0; i < m_options.calls; ++i) {
        const SimPhone &phone = *m_phones[size_t(i)];
        const auto call = history.loadLatest(phone.callId());
        if (!call) {
            problem(QStringLiteral("%1 is not in the database").arg(phone.callId()));
            continue;
        }
        m_result.dbEvents += int(call->timeline.size());
        if (call->endReason != QLatin1String("caller_hung_up"))
            problem(QStringLiteral("%1 ended %2").arg(phone.callId(), call->endReason));
        QList<Segment> segments;
        for (const auto &rec : call->recordings) {
            if (rec.track != QLatin1String("caller"))
                continue;
            m_result.audioMarkedLost += rec.lostBytes;
            if (!rec.finalized)
                problem(QStringLiteral("%1: recording not finalized").arg(phone.callId()));
            const auto wav = readWavFile(rec.path);
            if (!wav) {
                problem(
                    QStringLiteral("%1: unreadable recording %2").arg(phone.callId(), rec.path));
                continue;
            }
            if (wav->pcm16.size() != rec.bytes)
                problem(QStringLiteral("%1: recording has %2 bytes, its row says %3")
                            .arg(phone.callId())
                            .arg(wav->pcm16.size())
                            .arg(rec.bytes));
            qint64 unmatched = 0;
            for (const auto &seg : locate(wav->pcm16, m_audio, &unmatched)) {
                if (seg.call == i)
                    segments.append(seg);
                else
                    problem(QStringLiteral("%1's recording holds audio of call %2")
                                .arg(phone.callId())
                                .arg(seg.call));
            }
            if (unmatched > 0)
                problem(QStringLiteral("%1: %2 recorded bytes match nothing the phone sent")
                            .arg(phone.callId())
                            .arg(unmatched));
        }
        const Coverage c = coverage(segments, phone.sent());
        m_result.audioRecorded += c.total;
        if (c.total != c.covered)
            problem(QStringLiteral("%1: %2 bytes recorded twice")
                        .arg(phone.callId())
                        .arg(c.total - c.covered));
        const qint64 lost = phone.sent() - std::min(c.covered, phone.sent());
        m_result.lostRecording += lost;
        if (phone.resent() > 0)
            note(QStringLiteral("%1: resent %2 bytes after audio_received")
                     .arg(phone.callId())
                     .arg(phone.resent()));
        if (phone.droppedWhileAway() > 0)
            note(QStringLiteral("%1: phone buffer overflowed, %2 bytes never sent")
                     .arg(phone.callId())
                     .arg(phone.droppedWhileAway()));
    }
    const qint64 unaccounted = m_result.lostRecording - m_result.audioMarkedLost;
    if (unaccounted != 0)
        problem(QStringLiteral("recordings: %1 bytes missing, %2 marked lost")
                    .arg(m_result.lostRecording)
                    .arg(m_result.audioMarkedLost));
    if (m_result.scenario != QLatin1String("disk-full") && m_result.audioMarkedLost > 0)
        problem(QStringLiteral("%1 recorded bytes marked lost").arg(m_result.audioMarkedLost));
    if (m_result.scenario == QLatin1String("disk-full")) {
        if (!m_storageAlarmSeen)
            problem(QStringLiteral("no storage alarm in /health while the disk was full"));
        if (!m_storageAlarmInMetrics)
            problem(QStringLiteral("no dispatch_storage_ok 0 in /metrics while the disk was full"));
        if (m_result.audioMarkedLost == 0)
            problem(QStringLiteral("the disk never filled up (no recording lost bytes)"));
    }
}

void FaultRun::collectAi()
{
    QHash<int, QList<Segment>> byCall;
    qint64 unmatched = 0;
    qint64 received = 0;
    for (const auto &[id, stream] : m_aiStreams) {
        received += stream.size();
        for (const auto &seg : locate(stream, m_audio, &unmatched))
            byCall[seg.call].append(seg);
    }
    if (unmatched > 0)
        problem(QStringLiteral("the AI received %1 bytes that match nothing the phones sent")
                    .arg(unmatched));
    for (int i = 0; i < m_options.calls; ++i) {
        const SimPhone &phone = *m_phones[size_t(i)];
        const Coverage c = coverage(byCall.value(i), phone.sent());
        m_result.audioToAi += std::min(c.covered, phone.sent());
        m_result.aiDuplicates += c.total - c.covered;
        if (m_failedAt.contains(phone.callId())) {
            // Failed over: what the AI got must be the call's audio from the start, without holes.
            if (c.firstHole >= 0 && c.firstHole < c.end)
                problem(QStringLiteral("%1: a hole in the AI's audio at byte %2 before failover")
                            .arg(phone.callId())
                            .arg(c.firstHole));
            note(QStringLiteral("%1 failed over after %2 s of audio to the AI")
                     .arg(phone.callId())
                     .arg(c.end / 32000.0, 0, 'f', 1));
            continue;
        }
        const qint64 lost = phone.sent() - std::min(c.covered, phone.sent());
        m_result.lostAi += lost;
        if (lost > 0)
            problem(QStringLiteral("%1: the AI never received %2 bytes (first hole at %3 s)")
                        .arg(phone.callId())
                        .arg(lost)
                        .arg(c.firstHole / 32000.0, 0, 'f', 2));
    }
    if (received != m_fake.totalAudioBytes())
        problem(QStringLiteral("fake byte count mismatch"));
}

void FaultRun::collectReports()
{
    const QString &s = m_result.scenario;
    for (int i = 0; i < m_options.calls; ++i) {
        const QString id = m_phones[size_t(i)]->callId();
        const QList<qint64> times = m_reportTimes.value(id);
        m_result.reports += int(times.size());
        // Until the phones stopped talking: later waits (the AI catching up) are not gaps.
        const qint64 end = std::min(m_endedAt.value(id, m_clock.elapsed()), m_streamedAt);
        qint64 previous = m_startedAt;
        qint64 gap = 0;
        for (qint64 t : times) {
            gap = std::max(gap, t - previous);
            previous = t;
        }
        gap = std::max(gap, end - previous);
        m_result.maxReportGapS = std::max(m_result.maxReportGapS, gap / 1000.0);
        if (times.isEmpty())
            problem(QStringLiteral("%1: no triage report at all").arg(id));
        if (m_failedAt.contains(id)) {
            const qint64 failed = m_failedAt.value(id);
            const bool after = std::any_of(times.cbegin(), times.cend(),
                                           [failed](qint64 t) { return t >= failed; });
            // The call keeps its last assessment either way; a new one from the local engine
            // is expected in measured runs (in a short run it may not have heard enough yet).
            if (!after && m_options.requireLateReports)
                problem(QStringLiteral("%1: no report after the failover").arg(id));
            else if (!after)
                note(QStringLiteral("%1: no new report after the failover yet").arg(id));
            if (!m_links.value(id).contains(QStringLiteral("local")))
                problem(QStringLiteral("%1: ai_link never went local").arg(id));
        } else if (s == QLatin1String("ai-quota") && i < (m_options.calls + 1) / 2) {
            problem(QStringLiteral("%1: refused for quota but never failed over").arg(id));
        }
        if (m_options.requireLateReports && !m_failedAt.contains(id) &&
            s != QLatin1String("ai-quota") && times.size() >= 1 && m_faults > 0) {
            // Reports must keep coming after the faults: one in the last third of the call.
            const qint64 lastThird = m_startedAt + qint64(m_options.seconds * 1000 * 2 / 3);
            if (times.last() < lastThird)
                problem(QStringLiteral("%1: reports stopped at %2 s")
                            .arg(id)
                            .arg((times.last() - m_startedAt) / 1000.0, 0, 'f', 1));
        }
        if (m_incoming.value(id) != 1)
            problem(
                QStringLiteral("%1: %2 incoming_call messages").arg(id).arg(m_incoming.value(id)));
    }
    if (m_result.scenario == QLatin1String("phone-vanish") && m_callerDrops.isEmpty())
        problem(QStringLiteral("no caller_connection false: the phones never vanished"));
    if (m_faults == 0 && !s.startsWith(QLatin1String("ai-lifetime")))
        problem(QStringLiteral("no fault was injected"));
    if (s.startsWith(QLatin1String("ai-lifetime")) && m_fake.connectionCount() <= m_options.calls)
        problem(QStringLiteral("no AI connection reached its lifetime"));
    note(QStringLiteral("faults %1, AI connections %2, duplicates counted by the console %3")
             .arg(m_faults)
             .arg(m_fake.connectionCount())
             .arg(m_result.aiDuplicatesCounted));
}

void FaultRun::checkFlood()
{
    // The console drops a connection without a complete request after 10 s.
    (void)QTest::qWaitFor(
        [this] {
            return m_hostile->floodDone() && m_hostile->oversizedDone() &&
                   m_hostile->halfOpenDone();
        },
        20'000);
    const HostilePeer::Stats st = m_hostile->stats();
    const QByteArray metrics =
        httpGet(m_net, httpUrl(m_base, QStringLiteral("/metrics")), true).body;
    const qint64 refusedMetric = qint64(metricValue(metrics, "dispatch_connections_refused_total"));
    const QByteArray log = m_console.standardError();
    const qsizetype refusedLogged = log.count("refused WebSocket");
    const qsizetype tcpRefusedLogged = log.count("refused TCP connection");
    const qint64 tcpRefused =
        qint64(metricValue(metrics, "dispatch_tcp_connections_refused_total"));
    note(QStringLiteral("flood: %1 attempts: %2 upgraded and kept, %8 closed 1008 right after the "
                        "upgrade, %3 refused 429, %4 other status, %5 no answer; /metrics refused "
                        "%6; %7 refusal log lines")
             .arg(st.attempts)
             .arg(st.upgraded)
             .arg(st.refused)
             .arg(st.otherStatus)
             .arg(st.noAnswer)
             .arg(refusedMetric)
             .arg(refusedLogged)
             .arg(st.closedAfterUpgrade));
    note(QStringLiteral("half-open: %1 of %2 closed by the server within the run")
             .arg(st.halfOpenClosed)
             .arg(st.halfOpen));
    for (int i = 0; i < 2; ++i) {
        note(QStringLiteral("100 MB %1 frame: the server read %2 bytes, close code %3")
                 .arg(i == 0 ? QStringLiteral("binary /ws/audio")
                             : QStringLiteral("text /ws/signal"))
                 .arg(st.oversizedWritten[i])
                 .arg(st.oversizedClose[i]));
        if (!st.oversizedCut[i])
            problem(QStringLiteral("the server read a whole 100 MB frame"));
        else if (st.oversizedClose[i] != 1009)
            problem(QStringLiteral("an oversized frame was not closed with 1009 (got %1)")
                        .arg(st.oversizedClose[i]));
    }
    if (st.upgraded > 64)
        problem(QStringLiteral("%1 upgrades from one address (limit 64)").arg(st.upgraded));
    if (st.refused + st.closedAfterUpgrade + tcpRefused == 0)
        problem(QStringLiteral("nothing was refused"));
    note(QStringLiteral("%1 TCP connections dropped below HTTP (over the per-address TCP limit, "
                        "or no complete request in time), %2 of them logged")
             .arg(tcpRefused)
             .arg(tcpRefusedLogged));
    if (refusedMetric != st.refused + st.closedAfterUpgrade + tcpRefused)
        problem(QStringLiteral("/metrics counts %1 refusals, the peer saw %2 and %3 were dropped "
                               "below HTTP")
                    .arg(refusedMetric)
                    .arg(st.refused + st.closedAfterUpgrade)
                    .arg(tcpRefused));
    if (tcpRefusedLogged > tcpRefused)
        problem(QStringLiteral("%1 TCP refusals logged, %2 counted")
                    .arg(tcpRefusedLogged)
                    .arg(tcpRefused));
    if (st.halfOpenClosed < st.halfOpen)
        problem(QStringLiteral("%1 of %2 half-open sockets are still open")
                    .arg(st.halfOpen - st.halfOpenClosed)
                    .arg(st.halfOpen));
    // Refusal lines are bounded per address (phone/refusallog.h); the lines plus the refusals they
    // say were left out never exceed what the peer saw (the metric above counts every one).
    qint64 leftOut = 0;
    static const QRegularExpression more(QStringLiteral("and (\\d+) more refusals"));
    for (auto it = more.globalMatch(QString::fromUtf8(log)); it.hasNext();)
        leftOut += it.next().captured(1).toLongLong();
    if (refusedLogged + tcpRefusedLogged + leftOut > refusedMetric)
        problem(QStringLiteral("%1 refusals logged (+%2 left out), only %3 counted")
                    .arg(refusedLogged + tcpRefusedLogged)
                    .arg(leftOut)
                    .arg(refusedMetric));

    if (refusedLogged + tcpRefusedLogged == 0)
        problem(QStringLiteral("no refusal was logged"));
    m_hostile->closeAll();
}

} // namespace

QStringList faultScenarios()
{
    return {QStringLiteral("ai-lifetime"), QStringLiteral("ai-lifetime-nogoaway"),
            QStringLiteral("ai-1011"),     QStringLiteral("ai-quota"),
            QStringLiteral("ai-tcp-drop"), QStringLiteral("phone-vanish"),
            QStringLiteral("disk-full"),   QStringLiteral("flood")};
}

FaultResult runFaultScenario(const QString &scenario, const FaultOptions &options)
{
    FaultRun run(scenario, options);
    return run.run();
}

QString faultTable(const QList<FaultResult> &results)
{
    QString out =
        QStringLiteral("| scenario | calls | audio sent | recorded (+marked lost) | to AI "
                       "(+dup) | lost rec/AI | reports | max report gap | DB calls/events "
                       "| verdict |\n|---|---|---|---|---|---|---|---|---|---|\n");
    for (const auto &r : results) {
        out +=
            QStringLiteral("| %1 | %2 | %3 | %4 (+%5) | %6 (+%7) | %8 / %9 | %10 | %11 s | %12 / "
                           "%13 | %14 |\n")
                .arg(r.scenario)
                .arg(r.calls)
                .arg(r.audioSent)
                .arg(r.audioRecorded)
                .arg(r.audioMarkedLost)
                .arg(r.audioToAi)
                .arg(r.aiDuplicates)
                .arg(r.lostRecording - r.audioMarkedLost)
                .arg(r.lostAi)
                .arg(r.reports)
                .arg(r.maxReportGapS, 0, 'f', 1)
                .arg(r.dbCalls)
                .arg(r.dbEvents)
                .arg(r.passed() ? QStringLiteral("PASS") : QStringLiteral("FAIL"));
    }
    return out;
}

} // namespace dispatch::bench
