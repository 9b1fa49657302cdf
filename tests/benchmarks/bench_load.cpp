// bench-load: N simulated phones against the real console, with the fake Gemini Live server as
// the AI. Both run as child processes; the phones are dispatch-caller's SimulatedCall, all in
// this one event-driven process. Results and commands: docs/PERFORMANCE.md ("Load", "Soak").
//
//   bench-load --calls 100 --seconds 30                 one load point
//   bench-load --curve 10,50,100,250,500 --seconds 30    the curve, one row per N
//   bench-load --calls 100 --soak-minutes 30 --speed 3   soak: churning calls, RSS/fd samples
//   bench-load --calls 20 --seconds 20 --check           CI smoke: exit 1 on a correctness fault
//
// Each phone: call_initiated with a location, 20 ms audio chunks in real time (a corpus WAV,
// looped), one small JPEG a second, vitals every second. The console answers every call
// (--auto-answer) and gives each one a Gemini session (budget >= N).

#include "consoleprocess.h"
#include "corpusfiles.h"
#include "gemini/livemessages.h"
#include "simulatedcall.h"
#include "testaudio.h"

#include <QBuffer>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFile>
#include <QGuiApplication>
#include <QImage>
#include <QNetworkAccessManager>
#include <QNetworkReply>
#include <QPainter>
#include <QProcess>
#include <QRegularExpression>
#include <QTest>
#include <QTextStream>
#include <QTimer>

#include <unistd.h>

#include <algorithm>
#include <cmath>
#include <map>
#include <memory>
#include <optional>
#include <vector>

using namespace dispatch;
using dispatch::caller::CallScript;
using dispatch::caller::SimulatedCall;
using dispatch::test::ConsoleProcess;

namespace {

const QString Token = QStringLiteral("load-token");
const QString ApiKey = QStringLiteral("test-key");

QTextStream &out()
{
    static QTextStream s(stdout);
    return s;
}

// ---- the console process, seen from /proc ----
struct ProcSample
{
    double cpuSeconds = 0;      // utime + stime, all threads
    double mainCpuSeconds = 0;  // the server (main) thread only
    double mainWaitSeconds = 0; // ... runnable but waiting for a CPU (schedstat)
    double rssMiB = 0;
    int fds = 0;
};

// utime + stime of a /proc stat file, in seconds.
double cpuSecondsOf(const QString &statPath)
{
    QFile stat(statPath);
    if (!stat.open(QIODevice::ReadOnly))
        return 0;
    const QByteArray line = stat.readAll();
    // Fields after the ")" of the command name: state is field 3, utime 14, stime 15.
    const QList<QByteArray> f = line.mid(line.lastIndexOf(')') + 2).split(' ');
    if (f.size() <= 13)
        return 0;
    return static_cast<double>(f.at(11).toLongLong() + f.at(12).toLongLong()) /
           static_cast<double>(sysconf(_SC_CLK_TCK));
}

ProcSample procSample(qint64 pid)
{
    ProcSample s;
    s.cpuSeconds = cpuSecondsOf(QStringLiteral("/proc/%1/stat").arg(pid));
    s.mainCpuSeconds = cpuSecondsOf(QStringLiteral("/proc/%1/task/%1/stat").arg(pid));
    QFile schedstat(QStringLiteral("/proc/%1/task/%1/schedstat").arg(pid));
    if (schedstat.open(QIODevice::ReadOnly)) {
        const QList<QByteArray> f = schedstat.readAll().trimmed().split(' ');
        if (f.size() >= 2)
            s.mainWaitSeconds = static_cast<double>(f.at(1).toLongLong()) / 1e9;
    }
    QFile status(QStringLiteral("/proc/%1/status").arg(pid));
    if (status.open(QIODevice::ReadOnly)) {
        for (const QByteArray &line : status.readAll().split('\n'))
            if (line.startsWith("VmRSS:"))
                s.rssMiB = line.mid(6).trimmed().split(' ').first().toDouble() / 1024.0;
    }
    s.fds = static_cast<int>(QDir(QStringLiteral("/proc/%1/fd").arg(pid))
                                 .entryList(QDir::NoDotAndDotDot | QDir::AllEntries | QDir::System)
                                 .size());
    return s;
}

QString loadAverage()
{
    QFile f(QStringLiteral("/proc/loadavg"));
    if (!f.open(QIODevice::ReadOnly))
        return QStringLiteral("?");
    const QList<QByteArray> parts = f.readAll().split(' ');
    return QString::fromLatin1(parts.mid(0, 3).join(' '));
}

// ---- /metrics ----
struct Metrics
{
    std::map<QString, double> values;                      // "name{labels}" -> value
    std::vector<std::pair<double, double>> latencyBuckets; // (le, cumulative), +Inf = inf
    double sum(const QString &prefix) const
    {
        double total = 0;
        for (const auto &[k, v] : values)
            if (k.startsWith(prefix))
                total += v;
        return total;
    }
};

Metrics parseMetrics(const QByteArray &text)
{
    Metrics m;
    static const QRegularExpression le(QStringLiteral("le=\"([^\"]+)\""));
    for (const QByteArray &raw : text.split('\n')) {
        if (raw.isEmpty() || raw.startsWith('#'))
            continue;
        const int space = raw.lastIndexOf(' ');
        const QString key = QString::fromUtf8(raw.left(space));
        const double v = raw.mid(space + 1).toDouble();
        m.values[key] = v;
        if (key.startsWith(QLatin1String("dispatch_relay_latency_seconds_bucket"))) {
            const QString bound = le.match(key).captured(1);
            m.latencyBuckets.emplace_back(
                bound == QLatin1String("+Inf") ? INFINITY : bound.toDouble(), v);
        }
    }
    return m;
}

// Quantile from the bucket deltas, interpolated inside the bucket (as Prometheus does).
double quantile(const Metrics &a, const Metrics &b, double q, double *maxBound)
{
    if (a.latencyBuckets.size() != b.latencyBuckets.size() || b.latencyBuckets.empty())
        return NAN;
    std::vector<double> cum;
    for (std::size_t i = 0; i < b.latencyBuckets.size(); ++i)
        cum.push_back(b.latencyBuckets[i].second - a.latencyBuckets[i].second);
    const double total = cum.back();
    if (total <= 0)
        return NAN;
    *maxBound = 0;
    for (std::size_t i = 0; i < cum.size(); ++i) {
        if (cum[i] - (i ? cum[i - 1] : 0) > 0)
            *maxBound = b.latencyBuckets[i].first;
    }
    const double rank = q * total;
    for (std::size_t i = 0; i < cum.size(); ++i) {
        if (cum[i] >= rank) {
            const double lo = i ? b.latencyBuckets[i - 1].first : 0;
            const double hi = b.latencyBuckets[i].first;
            if (std::isinf(hi))
                return lo;
            const double below = i ? cum[i - 1] : 0;
            const double inBucket = cum[i] - below;
            return lo + (hi - lo) * (inBucket > 0 ? (rank - below) / inBucket : 0);
        }
    }
    return NAN;
}

// ---- the fake Gemini child ----
class FakeGemini
{
public:
    bool start(const QString &binary)
    {
        m_process.setProgram(binary);
        m_process.setArguments({QStringLiteral("--port"), QStringLiteral("0"),
                                QStringLiteral("--key"), ApiKey, QStringLiteral("--stats-ms"),
                                QStringLiteral("250")});
        m_process.setProcessChannelMode(QProcess::ForwardedErrorChannel);
        QObject::connect(&m_process, &QProcess::readyReadStandardOutput, &m_process,
                         [this] { read(); });
        m_process.start();
        return m_process.waitForStarted() &&
               QTest::qWaitFor([this] { return !m_url.isEmpty(); }, 10'000);
    }
    void stop()
    {
        m_process.terminate();
        if (!m_process.waitForFinished(5000))
            m_process.kill();
        m_process.waitForFinished(2000);
    }
    QUrl url() const { return m_url; }
    qint64 audioBytes() const { return m_audioBytes; }
    int connections() const { return m_connections; }
    int statsSeen() const { return m_statsSeen; }
    qint64 pid() const { return m_process.processId(); }

private:
    void read()
    {
        m_buffer += m_process.readAllStandardOutput();
        qsizetype nl;
        while ((nl = m_buffer.indexOf('\n')) >= 0) {
            const QString line = QString::fromUtf8(m_buffer.left(nl));
            m_buffer.remove(0, nl + 1);
            static const QRegularExpression listening(QStringLiteral("listening on (\\S+)"));
            static const QRegularExpression stats(
                QStringLiteral("stats connections=(\\d+) live=(\\d+) audio_bytes=(\\d+)"));
            if (const auto m = listening.match(line); m.hasMatch())
                m_url = QUrl(m.captured(1));
            else if (const auto s = stats.match(line); s.hasMatch()) {
                m_connections = s.captured(1).toInt();
                m_audioBytes = s.captured(3).toLongLong();
                ++m_statsSeen;
            }
        }
    }
    QProcess m_process;
    QByteArray m_buffer;
    QUrl m_url;
    qint64 m_audioBytes = 0;
    int m_connections = 0;
    int m_statsSeen = 0;
};

// ---- the load generator's own punctuality ----
class LatenessProbe
{
public:
    LatenessProbe()
    {
        m_timer.setTimerType(Qt::PreciseTimer);
        m_timer.setInterval(20);
        QObject::connect(&m_timer, &QTimer::timeout, &m_timer, [this] {
            const qint64 now = m_clock.nsecsElapsed();
            if (m_last > 0)
                m_late.push_back(static_cast<double>(now - m_last) / 1e6 - 20.0);
            m_last = now;
        });
        m_clock.start();
        m_timer.start();
    }
    void reset()
    {
        m_late.clear();
        m_last = 0;
    }
    double p99() const
    {
        if (m_late.empty())
            return 0;
        std::vector<double> v = m_late;
        std::sort(v.begin(), v.end());
        return v[static_cast<std::size_t>(0.99 * static_cast<double>(v.size() - 1))];
    }
    double max() const
    {
        return m_late.empty() ? 0 : *std::max_element(m_late.begin(), m_late.end());
    }

private:
    QTimer m_timer;
    QElapsedTimer m_clock;
    qint64 m_last = 0;
    std::vector<double> m_late;
};

struct Options
{
    QString consoleBin;
    QString fakeBin;
    int seconds = 30;
    int warmupSeconds = 5;
    int rampPerSecond = 50;
    double soakMinutes = 0;
    double speed = 1;
    double callSeconds = 60; // soak: call length in call time before it hangs up and is replaced
    QString triage = QStringLiteral("auto");
    bool check = false;
    double maxRssGrowthMiB = 64;
    int maxFdGrowth = 50;
};

QByteArray smallJpeg()
{
    QImage image(160, 120, QImage::Format_RGB32);
    image.fill(QColor(40, 90, 160));
    QPainter p(&image);
    p.fillRect(40, 30, 80, 60, QColor(220, 200, 60));
    p.end();
    QByteArray jpeg;
    QBuffer buffer(&jpeg);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPEG", 70);
    return jpeg;
}

// Audio for `seconds` of call time: the corpus call looped, or a tone if the corpus is missing.
QByteArray callAudio(double seconds)
{
    QByteArray one = corpusPcm(QStringLiteral("cardiac_arrest.wav"));
    if (one.isEmpty())
        one = test::pcm16k(3000, 3000) + QByteArray(16000 * 2, 0);
    else
        one += QByteArray(16000 * 2, 0); // 1 s of silence between repeats
    const auto want = static_cast<qsizetype>(seconds * 32000) / 640 * 640;
    QByteArray pcm;
    pcm.reserve(want);
    while (pcm.size() < want)
        pcm += one;
    pcm.truncate(want);
    return pcm;
}

class LoadRun
{
public:
    // budget: the console's Gemini sessions (a churning soak needs room for the sessions of
    // calls that are still closing when their replacements arrive).
    LoadRun(const Options &o, int calls, int budget)
        : m_o(o)
        , m_calls(calls)
        , m_budget(budget)
        , m_console(o.consoleBin)
    {}

    // Starts the fake and the console; false (with a message) if either fails.
    bool startProcesses()
    {
        if (!m_fake.start(m_o.fakeBin)) {
            out() << "FAIL: fake-gemini did not start (" << m_o.fakeBin << ")" << Qt::endl;
            return false;
        }
        auto env = QProcessEnvironment::systemEnvironment();
        env.insert(QStringLiteral("GEMINI_API_KEY"), ApiKey);
        env.insert(QStringLiteral("QT_LOGGING_RULES"), QStringLiteral("*.info=false"));
        m_console.process().setProcessEnvironment(env);
        m_console.process().setProcessChannelMode(QProcess::SeparateChannels);
        m_base = m_console.start(
            {QStringLiteral("--auto-answer"), QStringLiteral("--dashboard-token"), Token,
             QStringLiteral("--triage"), m_o.triage, QStringLiteral("--gemini-endpoint"),
             m_fake.url().toString(), QStringLiteral("--gemini-max-sessions"),
             QString::number(std::min(1000, std::max(3, m_budget))),
             QStringLiteral("--max-connections-per-address"), QString::number(3 * m_calls + 64),
             // Every simulated phone shares one address: the per-address call caps are off.
             QStringLiteral("--max-ringing-per-address"), QStringLiteral("0"),
             QStringLiteral("--max-new-calls-per-minute"), QStringLiteral("0"),
             // --speed sends audio faster than real time on purpose.
             QStringLiteral("--max-caller-audio-rate"), QStringLiteral("0")});
        if (m_base.isEmpty()) {
            out() << "FAIL: the console did not start: " << m_console.standardError().right(2000)
                  << Qt::endl;
            return false;
        }
        // Drain the console's stderr so a chatty log never blocks it.
        QObject::connect(&m_console.process(), &QProcess::readyReadStandardError,
                         &m_console.process(), [this] {
                             m_stderrTail += m_console.process().readAllStandardError();
                             if (m_stderrTail.size() > 64 * 1024)
                                 m_stderrTail = m_stderrTail.right(32 * 1024);
                         });
        m_pid = m_console.process().processId();
        QTest::qWait(1500);
        m_idle = procSample(m_pid);
        return true;
    }

    // Call k uses scripts[k % size] (a soak staggers call lengths so calls do not all end in
    // the same second); the scripts must outlive the calls.
    void startCall(const std::vector<CallScript> &scripts)
    {
        const CallScript &script = scripts[static_cast<std::size_t>(m_nextId) % scripts.size()];
        const QString id = QStringLiteral("load-%1").arg(m_nextId++);
        QUrl ws = m_base;
        ws.setScheme(QStringLiteral("ws"));
        auto call = std::make_unique<SimulatedCall>(ws, id, script, QSslConfiguration(), true);
        SimulatedCall *raw = call.get();
        QObject::connect(raw, &SimulatedCall::eventOccurred, raw,
                         [this](const QString &, const QString &event, const QJsonObject &) {
                             if (event == QLatin1String("dispatcher_ready"))
                                 ++m_answered;
                         });
        QObject::connect(raw, &SimulatedCall::finished, raw, [this, raw] {
            ++m_finished;
            m_sentByFinished += raw->report().audioBytesSent;
            if (raw->report().outcome != caller::ExitCode::Ok) {
                ++m_failedCalls;
                if (m_failures.size() < 5)
                    m_failures << raw->report().toText();
            }
            if (m_onFinished)
                m_onFinished();
        });
        raw->start();
        m_live.push_back(std::move(call));
    }

    // Starts `n` calls at the ramp rate; returns when all are answered (false on timeout).
    bool ramp(int n, const std::vector<CallScript> &scripts, int timeoutMs)
    {
        const int target = m_answered + n;
        int started = 0;
        QTimer t;
        QObject::connect(&t, &QTimer::timeout, &t, [&] {
            const int batch = std::max(1, m_o.rampPerSecond / 50);
            for (int i = 0; i < batch && started < n; ++i, ++started)
                startCall(scripts);
            if (started >= n)
                t.stop();
        });
        t.start(20);
        return QTest::qWaitFor([&] { return m_answered >= target || !consoleRunning(); },
                               timeoutMs) &&
               m_answered >= target;
    }

    qint64 phoneAudioSent() const
    {
        qint64 total = m_sentByFinished;
        for (const auto &c : m_live)
            if (!c->isDone())
                total += c->report().audioBytesSent;
        return total;
    }

    QByteArray fetchMetrics(qint64 *ms = nullptr)
    {
        QNetworkRequest request(QUrl(m_base.toString() + QStringLiteral("/metrics")));
        request.setRawHeader("Authorization", "Bearer " + Token.toUtf8());
        QElapsedTimer clock;
        clock.start();
        std::unique_ptr<QNetworkReply> reply(m_nam.get(request));
        QEventLoop loop;
        QObject::connect(reply.get(), &QNetworkReply::finished, &loop, &QEventLoop::quit);
        QTimer::singleShot(30'000, &loop, &QEventLoop::quit);
        loop.exec();
        if (ms)
            *ms = clock.elapsed();
        return reply->isFinished() ? reply->readAll() : QByteArray();
    }

    bool consoleRunning() { return m_console.process().state() == QProcess::Running; }

    // Hangs every live call up and waits for them to finish; then the fake's last count.
    void endCalls()
    {
        for (auto &c : m_live)
            if (!c->isDone())
                c->hangUp();
        (void)QTest::qWaitFor([this] { return m_finished >= m_nextId; }, 60'000);
        waitForFakeCount();
    }

    // The fake may still be reading its sockets: waits until its count holds for 2 s.
    void waitForFakeCount()
    {
        QElapsedTimer stable;
        stable.start();
        qint64 last = m_fake.audioBytes();
        (void)QTest::qWaitFor(
            [&] {
                if (m_fake.audioBytes() != last) {
                    last = m_fake.audioBytes();
                    stable.restart();
                }
                return stable.elapsed() >= 2000;
            },
            30'000);
    }

    int stop()
    {
        const int rc = m_console.stop(30'000);
        m_fake.stop();
        return rc;
    }

    const Options &m_o;
    int m_calls;
    int m_budget;
    ConsoleProcess m_console;
    FakeGemini m_fake;
    QNetworkAccessManager m_nam;
    QUrl m_base;
    qint64 m_pid = 0;
    ProcSample m_idle;
    std::vector<std::unique_ptr<SimulatedCall>> m_live;
    std::function<void()> m_onFinished;
    int m_nextId = 0;
    int m_answered = 0;
    int m_finished = 0;
    int m_failedCalls = 0;
    qint64 m_sentByFinished = 0;
    QStringList m_failures;
    QByteArray m_stderrTail;
};

CallScript makeScript(double callSeconds, double speed, const QByteArray &jpeg)
{
    CallScript s;
    s.pcm = callAudio(callSeconds);
    s.speed = speed;
    s.location = caller::Position{40.4168, -3.7038, 12.0};
    s.vitalsDemo = true;
    s.frames = {jpeg};
    s.repeatFrame = true;
    s.expectAnswer = true;
    s.answerTimeoutMs = 120'000;
    s.connectTimeoutMs = 60'000;
    return s;
}

struct RowResult
{
    bool valid = true;
    bool ok = true;
    bool correct = true; // no drop, no loss, no failed call, clean exit
    double rssMiB = 0;   // max over the window
};

void printHeader()
{
    out() << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10 %11 %12 %13 %14 %15 %16 %17")
                 .arg(QStringLiteral("calls"), 6)
                 .arg(QStringLiteral("p50ms"), 7)
                 .arg(QStringLiteral("p99ms"), 7)
                 .arg(QStringLiteral("max<=ms"), 8)
                 .arg(QStringLiteral("cpu%"), 6)
                 .arg(QStringLiteral("rssMiB"), 7)
                 .arg(QStringLiteral("KiB/call"), 9)
                 .arg(QStringLiteral("fds"), 6)
                 .arg(QStringLiteral("drops"), 6)
                 .arg(QStringLiteral("ai_rx%"), 7)
                 .arg(QStringLiteral("fake%"), 6)
                 .arg(QStringLiteral("aiq_KiB"), 8)
                 .arg(QStringLiteral("lost_B"), 10)
                 .arg(QStringLiteral("unsent_B"), 10)
                 .arg(QStringLiteral("rest_B"), 10)
                 .arg(QStringLiteral("genlate99"), 9)
                 .arg(QStringLiteral("load"), 16)
          << Qt::endl;
}

const QString QueuedGauge = QStringLiteral("dispatch_gemini_queued_bytes");

// The unsent counter counts socket bytes; lost_B counts PCM bytes.
double wireBytesPerPcmByte()
{
    return gemini::realtimeAudioWireBytesPerPcmByte();
}

// After the hang-ups: the console's AI connections drain their queues (bounded) or give up and
// count the rest as unsent. Waits until nothing is queued any more, then returns /metrics.
Metrics metricsOnceDrained(LoadRun &run, qint64 *waitedMs)
{
    QElapsedTimer clock;
    clock.start();
    Metrics m = parseMetrics(run.fetchMetrics());
    while (m.sum(QueuedGauge) > 0 && clock.elapsed() < 60'000 && run.consoleRunning()) {
        QTest::qWait(1000);
        m = parseMetrics(run.fetchMetrics());
    }
    *waitedMs = clock.elapsed();
    return m;
}

// One point of the curve: N calls, a warm-up, a steady window, then the end of every call.
RowResult runPoint(const Options &o, int n, const QByteArray &jpeg)
{
    RowResult r;
    LoadRun run(o, n, n);
    if (!run.startProcesses())
        return {false, false};
    const double callSeconds =
        n / static_cast<double>(o.rampPerSecond) + o.warmupSeconds + o.seconds + 60;
    const std::vector<CallScript> script{makeScript(callSeconds, 1.0, jpeg)};
    LatenessProbe probe;
    if (!run.ramp(n, script, 60'000 + n * 200)) {
        out() << "FAIL: " << run.m_answered << " of " << n << " calls answered" << Qt::endl;
        for (const QString &f : run.m_failures)
            out() << "  " << f << Qt::endl;
        run.endCalls();
        run.stop();
        return {false, false};
    }
    QTest::qWait(o.warmupSeconds * 1000);

    // Steady window.
    probe.reset();
    qint64 metricsMsA = 0;
    qint64 metricsMsB = 0;
    // /proc and byte counts bracket the window exactly; /metrics (which can take seconds when
    // the console is overloaded) is fetched after each bracket.
    const ProcSample pa = procSample(run.m_pid);
    const ProcSample fa = procSample(run.m_fake.pid());
    const qint64 sentA = run.phoneAudioSent();
    const qint64 rxA = run.m_fake.audioBytes();
    QElapsedTimer window;
    window.start();
    const Metrics a = parseMetrics(run.fetchMetrics(&metricsMsA));
    std::vector<double> rss;
    while (window.elapsed() < o.seconds * 1000 && run.consoleRunning()) {
        QTest::qWait(1000);
        rss.push_back(procSample(run.m_pid).rssMiB);
    }
    const ProcSample pb = procSample(run.m_pid);
    const ProcSample fb = procSample(run.m_fake.pid());
    const qint64 sentB = run.phoneAudioSent();
    const qint64 rxB = run.m_fake.audioBytes();
    const double wallS = static_cast<double>(window.elapsed()) / 1000.0;
    const Metrics b = parseMetrics(run.fetchMetrics(&metricsMsB));
    const QString load = loadAverage();
    const double genLate99 = probe.p99();

    QElapsedTimer hangUp;
    hangUp.start();
    run.endCalls();
    const qint64 endCallsMs = hangUp.elapsed();
    qint64 drainWaitMs = 0;
    const Metrics end = metricsOnceDrained(run, &drainWaitMs);
    run.waitForFakeCount();
    const qint64 sentTotal = run.phoneAudioSent();
    const qint64 rxTotal = run.m_fake.audioBytes();
    const int rc = run.stop();

    double maxBound = NAN;
    const double p50 = quantile(a, b, 0.50, &maxBound);
    const double p99 = quantile(a, b, 0.99, &maxBound);
    const double drops = (b.sum(QStringLiteral("dispatch_messages_dropped_total")) -
                          a.sum(QStringLiteral("dispatch_messages_dropped_total"))) +
                         (end.sum(QStringLiteral("dispatch_gemini_replay_overflow_bytes_total")));
    const double rxPct =
        sentB > sentA ? 100.0 * static_cast<double>(rxB - rxA) / static_cast<double>(sentB - sentA)
                      : 0;
    const qint64 lost = sentTotal - rxTotal;
    const auto unsentWire =
        static_cast<qint64>(end.sum(QStringLiteral("dispatch_gemini_unsent_bytes_total")));
    const auto unsentPcm =
        static_cast<qint64>(static_cast<double>(unsentWire) / wireBytesPerPcmByte());
    const double queuedKiB = b.sum(QueuedGauge) / 1024.0;
    const double fakeCpu = 100.0 * (fb.cpuSeconds - fa.cpuSeconds) / wallS;
    const double rssMax = rss.empty() ? pb.rssMiB : *std::max_element(rss.begin(), rss.end());
    const double perCallKiB = (pb.rssMiB - run.m_idle.rssMiB) * 1024.0 / n;
    const double cpu = 100.0 * (pb.cpuSeconds - pa.cpuSeconds) / wallS;
    // The server thread's cost per call: where one core runs out (the relay is single-threaded).
    const double mainCpuPerCallMs = 1000.0 * (pb.mainCpuSeconds - pa.mainCpuSeconds) / wallS / n;

    out() << QStringLiteral("%1 %2 %3 %4 %5 %6 %7 %8 %9 %10 %11 %12 %13 %14 %15 %16 %17")
                 .arg(n, 6)
                 .arg(p50 * 1000, 7, 'f', 3)
                 .arg(p99 * 1000, 7, 'f', 3)
                 .arg(maxBound * 1000, 8, 'g', 4)
                 .arg(cpu, 6, 'f', 1)
                 .arg(rssMax, 7, 'f', 1)
                 .arg(perCallKiB, 9, 'f', 0)
                 .arg(pb.fds, 6)
                 .arg(drops, 6, 'f', 0)
                 .arg(rxPct, 7, 'f', 1)
                 .arg(fakeCpu, 6, 'f', 1)
                 .arg(queuedKiB, 8, 'f', 0)
                 .arg(lost, 10)
                 .arg(unsentPcm, 10)
                 .arg(lost - unsentPcm, 10)
                 .arg(genLate99, 9, 'f', 1)
                 .arg(load, 16)
          << Qt::endl;
    const QString countKey = QStringLiteral("dispatch_relay_latency_seconds_count");
    const double relayed = (b.values.count(countKey) ? b.values.at(countKey) : 0) -
                           (a.values.count(countKey) ? a.values.at(countKey) : 0);
    out() << "       relayed " << static_cast<qint64>(relayed) << " chunks; server thread "
          << QString::number(100.0 * (pb.mainCpuSeconds - pa.mainCpuSeconds) / wallS, 'f', 1)
          << "% of a core (" << QString::number(mainCpuPerCallMs, 'f', 2)
          << " ms CPU per call-second), waited for a CPU "
          << QString::number(100.0 * (pb.mainWaitSeconds - pa.mainWaitSeconds) / wallS, 'f', 1)
          << "% of the time"
          << " in " << wallS << " s; /metrics answered in " << metricsMsA << "/" << metricsMsB
          << " ms; console exit " << rc << "; sent " << sentTotal << " B, AI got " << rxTotal
          << " B; failed calls " << run.m_failedCalls << Qt::endl;
    out() << "       AI queues " << QString::number(a.sum(QueuedGauge) / 1024.0, 'f', 0)
          << " KiB at the window's start, " << QString::number(queuedKiB, 'f', 0)
          << " KiB at its end; after hang-up the fake's count held still after " << endCallsMs
          << " ms (2 s of it still), AI queues empty " << drainWaitMs
          << " ms later; unsent (aborted with bytes queued) " << unsentWire << " socket B = ~"
          << unsentPcm << " PCM B at " << QString::number(wireBytesPerPcmByte(), 'f', 3)
          << " socket B per PCM B (audio messages)" << Qt::endl;
    for (const QString &f : run.m_failures)
        out() << "       " << f << Qt::endl;

    // The phones catch up after a late tick, so jitter alone does not invalidate a row; a
    // generator that cannot send N x 32 kB/s of audio does.
    const double sentPct = 100.0 * static_cast<double>(sentB - sentA) / (n * 32000.0 * wallS);
    r.valid = sentPct >= 98.0;
    out() << "       generator: sent " << QString::number(sentPct, 'f', 1)
          << "% of real-time audio, tick lateness p99 " << QString::number(genLate99, 'f', 1)
          << " ms, max " << QString::number(probe.max(), 'f', 1) << " ms" << Qt::endl;
    if (!r.valid)
        out() << "       INVALID: the generator could not keep real time: this row measures "
                 "the machine, not the console"
              << Qt::endl;
    r.rssMiB = pb.rssMiB;
    const bool correct = rc == 0 && lost <= 0 && drops == 0 && run.m_failedCalls == 0 &&
                         (pb.fds - run.m_idle.fds) < 5 * n + o.maxFdGrowth;
    const bool targets = p99 < 0.005 && perCallKiB < 1024 && drops == 0 && lost <= 0;
    r.correct = correct;
    r.ok = o.check ? correct : (correct && targets);
    out() << "       verdict: " << (correct ? "correct" : "INCORRECT") << ", targets "
          << (targets ? "met" : "MISSED") << " (p99 < 5 ms, < 1 MiB/call, no drops)" << Qt::endl;
    if (!correct && !run.m_stderrTail.isEmpty())
        out() << "       console stderr tail:\n" << run.m_stderrTail.right(1500) << Qt::endl;
    return r;
}

// Soak: `n` calls at a time, each hanging up after 0.5-1.5 x callSeconds of call time and
// replaced at once; audio runs `speed` times faster than real time. RSS and fds sampled every 5 s.
int runSoak(const Options &o, int n, const QByteArray &jpeg)
{
    LoadRun run(o, n, n + n / 2);
    if (!run.startProcesses())
        return 1;
    // Lengths from 0.5 to 1.5 x callSeconds (mean callSeconds), sharing one audio buffer.
    std::vector<CallScript> script;
    const CallScript longest = makeScript(o.callSeconds * 1.5 + 5, o.speed, jpeg);
    for (int i = 0; i < 8; ++i) {
        script.push_back(longest);
        script.back().hangupAfterMs =
            static_cast<int>(o.callSeconds * (0.5 + i / 7.0) * 1000 / o.speed);
    }
    const qint64 wallMs = static_cast<qint64>(o.soakMinutes * 60'000 / o.speed);
    bool running = true;
    run.m_onFinished = [&] {
        if (running)
            QTimer::singleShot(0, [&] {
                if (running)
                    run.startCall(script);
            });
    };
    out() << "soak: " << n << " calls, " << o.soakMinutes << " min of call time at " << o.speed
          << "x (" << wallMs / 1000 << " s wall), calls of " << o.callSeconds
          << " s call time; load " << loadAverage() << Qt::endl;
    out() << "   t_s  rssMiB   fds  calls_done  live" << Qt::endl;
    if (!run.ramp(n, script, 60'000 + n * 200)) {
        out() << "FAIL: calls not answered" << Qt::endl;
        return 1;
    }
    QElapsedTimer clock;
    clock.start();
    std::vector<std::pair<double, ProcSample>> samples;
    while (clock.elapsed() < wallMs && run.consoleRunning()) {
        QTest::qWait(5000);
        const ProcSample s = procSample(run.m_pid);
        samples.emplace_back(static_cast<double>(clock.elapsed()) / 1000.0, s);
        out() << QStringLiteral("%1 %2 %3 %4 %5")
                     .arg(samples.back().first, 6, 'f', 0)
                     .arg(s.rssMiB, 7, 'f', 1)
                     .arg(s.fds, 5)
                     .arg(run.m_finished, 11)
                     .arg(run.m_nextId - run.m_finished, 5)
              << Qt::endl;
    }
    running = false;
    const QString load = loadAverage();
    run.endCalls();
    qint64 drainWaitMs = 0;
    const Metrics end = metricsOnceDrained(run, &drainWaitMs);
    run.waitForFakeCount();
    const qint64 sent = run.phoneAudioSent();
    const qint64 rx = run.m_fake.audioBytes();
    const int rc = run.stop();
    if (samples.size() < 4) {
        out() << "FAIL: too few samples" << Qt::endl;
        return 1;
    }
    // Least-squares slope over the second half (after the caches and pools have filled).
    const std::size_t from = samples.size() / 2;
    double sx = 0, sy = 0, sxx = 0, sxy = 0, fy = 0, fxy = 0;
    const double cnt = static_cast<double>(samples.size() - from);
    for (std::size_t i = from; i < samples.size(); ++i) {
        const double x = samples[i].first / 60.0;
        sx += x;
        sy += samples[i].second.rssMiB;
        fy += samples[i].second.fds;
        sxx += x * x;
        sxy += x * samples[i].second.rssMiB;
        fxy += x * samples[i].second.fds;
    }
    const double den = cnt * sxx - sx * sx;
    const double rssSlope = den > 0 ? (cnt * sxy - sx * sy) / den : 0;
    const double fdSlope = den > 0 ? (cnt * fxy - sx * fy) / den : 0;
    const ProcSample &first = samples.front().second;
    const ProcSample &last = samples.back().second;
    const double drops = end.sum(QStringLiteral("dispatch_messages_dropped_total")) +
                         end.sum(QStringLiteral("dispatch_gemini_replay_overflow_bytes_total"));
    // A call that ends before its AI session is live never sends its audio (by design: the
    // session closes with the call). What the console did send must all arrive.
    const auto relayed =
        static_cast<qint64>(end.sum(QStringLiteral("dispatch_gemini_audio_bytes_sent_total")) -
                            end.sum(QStringLiteral("dispatch_gemini_duplicate_audio_bytes_total")));
    const qint64 lost = relayed - rx;
    out() << "calls completed " << run.m_finished << " (failed " << run.m_failedCalls
          << "); audio sent by phones " << sent << " B, relayed by the console " << relayed
          << " B (not relayed: " << sent - relayed
          << " B of calls that ended before their AI session was live), AI got " << rx
          << " B (lost " << lost << ", of which unsent at close "
          << static_cast<qint64>(end.sum(QStringLiteral("dispatch_gemini_unsent_bytes_total")) /
                                 wireBytesPerPcmByte())
          << "); drops " << drops << "; console exit " << rc << Qt::endl;
    out() << "RSS start " << first.rssMiB << " MiB, end " << last.rssMiB
          << " MiB, slope (2nd half) " << rssSlope << " MiB/min wall; fds start " << first.fds
          << ", end " << last.fds << ", slope " << fdSlope << " /min; load " << load << Qt::endl;
    for (const QString &f : run.m_failures)
        out() << "  " << f << Qt::endl;
    // Growth is judged on the second half: the first fills the decoder pool, the shadows and
    // the list of recently ended calls.
    const double halfMinutes = (samples.back().first - samples[from].first) / 60.0;
    out() << "second half: RSS " << samples[from].second.rssMiB << " -> " << last.rssMiB
          << " MiB, fds " << samples[from].second.fds << " -> " << last.fds << Qt::endl;
    const bool ok = rc == 0 && lost <= 0 && drops == 0 && run.m_failedCalls == 0 &&
                    rssSlope * halfMinutes < o.maxRssGrowthMiB &&
                    fdSlope * halfMinutes < o.maxFdGrowth;
    out() << (ok ? "PASS" : "FAIL") << Qt::endl;
    return ok ? 0 : 1;
}

} // namespace

int main(int argc, char *argv[])
{
    QGuiApplication app(argc, argv); // QImage's JPEG writer (offscreen platform is fine)
    QCommandLineParser parser;
    parser.addHelpOption();
    auto opt = [&parser](const char *name, const char *help, const char *def) {
        QCommandLineOption o(QString::fromLatin1(name), QString::fromLatin1(help),
                             QStringLiteral("v"), QString::fromLatin1(def));
        parser.addOption(o);
        return o;
    };
    const auto callsOpt = opt("calls", "Concurrent calls.", "20");
    const auto curveOpt = opt("curve", "Comma-separated N values, one run each.", "");
    const auto secondsOpt = opt("seconds", "Steady measurement window (s).", "30");
    const auto warmupOpt = opt("warmup", "Seconds after the last answer before measuring.", "5");
    const auto rampOpt = opt("ramp", "Calls started per second.", "50");
    const auto soakOpt = opt("soak-minutes", "Soak length in call time (0 = no soak).", "0");
    const auto speedOpt = opt("speed", "Soak: call time runs this many times faster.", "3");
    const auto callLenOpt = opt("call-seconds", "Soak: call length in call time.", "60");
    const auto triageOpt = opt("triage", "The console's --triage (auto = the default).", "auto");
    const auto consoleOpt = opt("console", "dispatch-console binary.", DISPATCH_CONSOLE_BIN);
    const auto fakeOpt = opt("fake-gemini", "fake-gemini binary.", FAKE_GEMINI_BIN);
    const QCommandLineOption checkOpt(
        QStringLiteral("check"),
        QStringLiteral("CI: fail only on correctness (drops, lost audio, exit, fd growth)."));
    parser.addOption(checkOpt);
    parser.process(app);

    Options o;
    o.consoleBin = parser.value(consoleOpt);
    o.fakeBin = parser.value(fakeOpt);
    o.seconds = std::max(1, parser.value(secondsOpt).toInt());
    o.warmupSeconds = std::max(0, parser.value(warmupOpt).toInt());
    o.rampPerSecond = std::max(1, parser.value(rampOpt).toInt());
    o.soakMinutes = parser.value(soakOpt).toDouble();
    o.speed = std::clamp(parser.value(speedOpt).toDouble(), 1.0, 3.5); // 200 msg/s socket limit
    o.callSeconds = std::max(5.0, parser.value(callLenOpt).toDouble());
    o.triage = parser.value(triageOpt);
    o.check = parser.isSet(checkOpt);

    const QByteArray jpeg = smallJpeg();
    out() << "bench-load on " << QSysInfo::prettyProductName() << ", "
          << sysconf(_SC_NPROCESSORS_ONLN) << " cores, load " << loadAverage() << ", triage "
          << o.triage << ", frame " << jpeg.size() << " B" << Qt::endl;

    if (o.soakMinutes > 0)
        return runSoak(o, std::max(1, parser.value(callsOpt).toInt()), jpeg);

    QList<int> points;
    for (const QString &p : parser.value(curveOpt).split(u',', Qt::SkipEmptyParts))
        points << p.trimmed().toInt();
    if (points.isEmpty())
        points << parser.value(callsOpt).toInt();
    printHeader();
    bool allOk = true;
    std::optional<std::pair<int, RowResult>> previous;
    for (int n : points) {
        if (n <= 0)
            continue;
        const RowResult r = runPoint(o, n, jpeg);
        allOk = allOk && r.ok;
        // KiB/call above includes what does not grow with N (the capped local shadows, the
        // decoder pool): the slope between two rows is what one more call costs.
        if (previous && previous->second.valid && r.valid && n > previous->first)
            out() << "       marginal memory: "
                  << QString::number((r.rssMiB - previous->second.rssMiB) * 1024.0 /
                                         (n - previous->first),
                                     'f', 0)
                  << " KiB per call from N = " << previous->first << " to " << n << Qt::endl;
        previous = std::make_pair(n, r);
        if (!o.check && !r.correct && points.size() > 1)
            out() << "       (the curve breaks at N = " << n << ")" << Qt::endl;
    }
    return allOk ? 0 : 1;
}
