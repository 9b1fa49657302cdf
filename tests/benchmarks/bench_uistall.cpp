// UI stall benchmark: the real MainWindow (offscreen) with N active calls streaming 20 ms audio
// chunks, 1 Hz vitals, moving locations and periodic triage, as the network would deliver them
// on the main thread. A 5 ms probe timer measures every gap in the event loop; a gap over the
// threshold is a stall the dispatcher would feel.
//
// With --storage the real Storage (built as app/main.cpp builds it) records every call: rows,
// WAV recordings (batched writes, fdatasync), audit entries, camera frames with --frames. With
// --history N the database first holds N ended calls, and during the run the history window
// keeps a search running (the next starts as soon as the last one's results are shown).
//
// Besides the probe's gaps it measures the audio path: per chunk, the time from when the chunk
// was due (its 20 ms slot; a chunk the event loop could not take on time waits, as it would in
// the socket) to when the last of its consumers on the main thread has it (the recorder's
// hand-over, the UI); and the storage thread's queue wait, from a marker job posted every 20 ms
// to the queue the recordings are written from until the storage thread runs it.
//
//   bench_uistall [--calls 50] [--seconds 30] [--threshold-ms 50] [--storage DIR [--keep-data]
//                 [--history N [--history-text T] [--search-pause-ms MS]] [--slow-disk MS]
//                 [--frames]] [--check]
// Exit status 0 when no stall exceeded the threshold and no audio was lost; with --check
// (the ctest smoke) timing is not judged: it fails only when audio was lost, the calls were not
// recorded whole, or no history search finished.
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "diskhold.h"
#include "history/historywindow.h"
#include "historyload.h"
#include "host/phoneserver.h"
#include "mainwindow.h"
#include "storage/storage.h"
#include "storage/storagethread.h"
#include "theme.h"

#include <QApplication>
#include <QBuffer>
#include <QCommandLineParser>
#include <QDir>
#include <QElapsedTimer>
#include <QEventLoop>
#include <QFileInfo>
#include <QImage>
#include <QPainter>
#include <QRegularExpression>
#include <QTemporaryDir>
#include <QTimer>

#include <algorithm>
#include <chrono>
#include <cmath>
#include <cstdio>
#include <memory>

using namespace dispatch;

namespace {

// Nanoseconds on the monotonic clock, comparable across threads.
qint64 steadyNs()
{
    return std::chrono::duration_cast<std::chrono::nanoseconds>(
               std::chrono::steady_clock::now().time_since_epoch())
        .count();
}

// p in [0, 1] of sorted values (0 when there are none).
qint64 percentile(const QList<qint64> &sorted, double p)
{
    if (sorted.isEmpty())
        return 0;
    return sorted.at(std::min<qsizetype>(sorted.size() - 1, qsizetype(p * sorted.size())));
}

QByteArray msText(qint64 us)
{
    return QByteArray::number(us / 1000.0, 'f', 2) + "ms";
}

// "p50=..ms p99=..ms max=..ms" under a prefix, for microseconds.
QByteArray spread(const char *prefix, QList<qint64> us)
{
    std::sort(us.begin(), us.end());
    const QByteArray p(prefix);
    return p + "_p50=" + msText(percentile(us, 0.5)) + ' ' + p +
           "_p99=" + msText(percentile(us, 0.99)) + ' ' + p +
           "_max=" + msText(us.isEmpty() ? 0 : us.constLast());
}

// Every counter or gauge whose name says something was lost, dropped or shed, with its value,
// for those that are not zero.
QStringList lossCounters(const MetricsRegistry &metrics)
{
    static const QRegularExpression loss(QStringLiteral("^(dispatch_[a-z_]*(lost|dropped|shed)"
                                                        "[a-z_]*)(\\{[^}]*\\})? ([0-9.e+-]+)$"));
    QStringList found;
    for (const QByteArray &line : metrics.renderPrometheus().split('\n')) {
        const auto m = loss.match(QString::fromUtf8(line));
        if (m.hasMatch() && m.captured(4).toDouble() != 0)
            found.append(m.captured(1) + m.captured(3) + QLatin1Char('=') + m.captured(4));
    }
    return found;
}

// The calling thread's scheduler statistics (Linux schedstat: time on a CPU, time runnable
// but waiting for one), zero where the kernel does not keep them.
struct SchedStat
{
    qint64 runNs = 0;
    qint64 waitNs = 0;
};

SchedStat mainThreadSchedStat()
{
    SchedStat s;
    if (std::FILE *f = std::fopen("/proc/thread-self/schedstat", "r")) {
        long long run = 0;
        long long wait = 0;
        if (std::fscanf(f, "%lld %lld", &run, &wait) == 2)
            s = {run, wait};
        std::fclose(f);
    }
    return s;
}

QByteArray cameraJpeg()
{
    QImage image(320, 240, QImage::Format_RGB32);
    QPainter painter(&image);
    painter.fillRect(image.rect(), QColor(40, 60, 90));
    painter.setPen(Qt::white);
    painter.drawText(image.rect(), Qt::AlignCenter, QStringLiteral("bench camera"));
    painter.end();
    QByteArray jpeg;
    QBuffer buffer(&jpeg);
    buffer.open(QIODevice::WriteOnly);
    image.save(&buffer, "JPEG", 70);
    return jpeg;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions(
        {{"calls", "Active calls.", "N", "50"},
         {"seconds", "Duration.", "S", "30"},
         {"threshold-ms", "Stall threshold.", "MS", "50"},
         {"storage", "Record every call with the real Storage, in a new data dir inside DIR.",
          "DIR"},
         {"keep-data", "Keep the data dir made by --storage."},
         {"history", "Ended calls in the database before the run; a search runs throughout.", "N",
          "0"},
         {"history-text", "What the history search looks for (9 in 10 calls say \"breathing\").",
          "TEXT", "breathing"},
         {"search-pause-ms", "Pause between a search's results and the next search.", "MS", "0"},
         {"slow-disk", "Hold the storage thread MS ms once a second (a stalling disk).", "MS", "0"},
         {"frames", "A camera frame per call per second."},
         {"check", "Judge correctness only (recorded whole, searched, nothing lost), not time."}});
    parser.process(app);
    const int calls = parser.value("calls").toInt();
    const int seconds = parser.value("seconds").toInt();
    const int threshold = parser.value("threshold-ms").toInt();
    const int historyCalls = parser.value("history").toInt();
    const int slowDiskMs = parser.value("slow-disk").toInt();
    const bool check = parser.isSet("check");
    const bool withStorage = parser.isSet("storage");
    if (!withStorage && (historyCalls > 0 || slowDiskMs > 0)) {
        std::fprintf(stderr, "--history and --slow-disk need --storage\n");
        return 2;
    }

    // The data dir and, beside it (outside it, as the app insists), the audit key.
    std::unique_ptr<QTemporaryDir> workDir;
    QString dataDir;
    if (withStorage) {
        QDir().mkpath(parser.value("storage"));
        workDir = std::make_unique<QTemporaryDir>(
            QDir(parser.value("storage")).filePath(QStringLiteral("uistall-XXXXXX")));
        if (!workDir->isValid()) {
            std::fprintf(stderr, "cannot create a data dir in %s\n",
                         qPrintable(parser.value("storage")));
            return 2;
        }
        workDir->setAutoRemove(!parser.isSet("keep-data"));
        dataDir = workDir->filePath(QStringLiteral("data"));
        std::fprintf(stderr, "data dir: %s\n", qPrintable(dataDir));
    }
    HistoryLoadResult history;
    if (historyCalls > 0) {
        HistoryLoadConfig load;
        load.dataDir = dataDir;
        load.calls = historyCalls;
        QString why;
        if (!populateHistory(load, &history, &why)) {
            std::fprintf(stderr, "history not recorded: %s\n", qPrintable(why));
            return 2;
        }
        std::fprintf(stderr, "history: %d calls (%lld rows) recorded in %.1f s\n", historyCalls,
                     static_cast<long long>(history.rowsWritten), history.elapsedMs / 1000.0);
    }

    applyTheme(app, Theme::Dark);
    CallStore store;
    MetricsRegistry metrics;
    PhoneServer server(PhoneServerConfig{}, store, metrics);
    if (!server.start())
        return 2;
    std::unique_ptr<Storage> storage;
    if (withStorage) {
        StorageConfig storageConfig;
        storageConfig.dataDir = dataDir;
        storageConfig.auditKeyPath = workDir->filePath(QStringLiteral("audit.key"));
        storage = std::make_unique<Storage>(storageConfig, store, metrics);
        if (const auto opened = storage->open(); !opened) {
            std::fprintf(stderr, "storage: %s\n", qPrintable(opened.error().message));
            return 2;
        }
    }
    MainWindow window(store, server);
    // The run ends by quitting with live calls: confirmed, as a dispatcher would at shift end.
    window.setQuitConfirmation([](const MainWindow::LiveCalls &) { return true; });
    if (storage) {
        window.setDataDir(dataDir);
        window.setStorage(storage.get());
    }
    window.resize(1600, 1000);
    window.show();

    for (int i = 0; i < calls; ++i) {
        const QString id = QStringLiteral("bench-%1").arg(i);
        store.addCall(id, GeoLocation{40.4 + i * 0.001, -3.7 + i * 0.001, 15.0, store.now()});
        store.answer(id, Actor::dispatcher(QStringLiteral("bench")));
    }
    window.selectCall(QStringLiteral("bench-0"));

    QElapsedTimer clock;
    clock.start();
    constexpr qint64 WarmUpNs = 2'000'000'000; // page load, first paint, first search
    std::unique_ptr<HistorySearchLoop> searches;
    if (historyCalls > 0) {
        window.openHistory();
        if (!window.historyWindow()) {
            std::fprintf(stderr, "the history window did not open\n");
            return 2;
        }
        searches = std::make_unique<HistorySearchLoop>(
            *window.historyWindow(), history.firstRang.addDays(-1),
            QDateTime::currentDateTimeUtc().addDays(1), parser.value("history-text"),
            parser.value("search-pause-ms").toInt());
        QString why;
        if (!searches->start(&why)) {
            std::fprintf(stderr, "history search refused: %s\n", qPrintable(why));
            return 2;
        }
    }

    // A 20 ms chunk of speech-like audio per call per slot.
    QByteArray chunk(640, Qt::Uninitialized);
    for (int s = 0; s < 320; ++s) {
        const auto v = static_cast<qint16>(8000 * std::sin(2 * M_PI * 220 * s / 16000.0));
        chunk[2 * s] = static_cast<char>(v & 0xff);
        chunk[2 * s + 1] = static_cast<char>((v >> 8) & 0xff);
    }
    const QByteArray jpeg = parser.isSet("frames") ? cameraJpeg() : QByteArray();

    // The audio path on the main thread: a chunk is due at its slot; the last receiver of
    // audioReceived (connected after the recorder and the UI) notes when all have it.
    constexpr qint64 SlotNs = 20'000'000;
    qint64 audioStartNs = 0; // slot k is due at audioStartNs + k * SlotNs
    qint64 dueNs = 0;
    QList<qint64> audioDelaysUs;
    audioDelaysUs.reserve(qsizetype(calls) * seconds * 50 + 1024);
    QObject::connect(&store, &CallStore::audioReceived, &app, [&] {
        if (dueNs >= WarmUpNs)
            audioDelaysUs.append(std::max<qint64>(0, clock.nsecsElapsed() - dueNs) / 1000);
    });

    qint64 ticks = 0; // slots delivered
    QTimer audioTick;
    audioTick.setTimerType(Qt::PreciseTimer);
    // Re-armed for the next slot each time: an interval timer that fired late keeps the late
    // phase for good (Qt reschedules from "now"), which would count as delay in every chunk after.
    audioTick.setSingleShot(true);
    QObject::connect(&audioTick, &QTimer::timeout, [&] {
        // Every slot that is due (1 ms early at most: timer rounding), late ones in a burst as
        // a socket would hand them over after a stall.
        while (audioStartNs + (ticks + 1) * SlotNs <= clock.nsecsElapsed() + 1'000'000) {
            ++ticks;
            dueNs = audioStartNs + ticks * SlotNs;
            for (int i = 0; i < calls; ++i) {
                const QString id = QStringLiteral("bench-%1").arg(i);
                store.addAudio(id, chunk);
                if (ticks % 50 == i % 50) { // once a second per call, spread over the second
                    VitalsSample v;
                    v.heartRate = 80 + (ticks / 50 + i) % 40;
                    v.heartRateConfidence = 0.8;
                    v.breathingRate = 16;
                    v.breathingConfidence = 0.7;
                    v.receivedAt = store.now();
                    store.addVitals(id, v);
                    store.updateLocation(id, GeoLocation{40.4 + i * 0.001 + ticks * 1e-6,
                                                         -3.7 + i * 0.001, 10.0, store.now()});
                    if (!jpeg.isEmpty())
                        store.addFrame(id, jpeg);
                }
                if (ticks % 250 == i % 250) { // a triage update every 5 s per call
                    TriageReport r;
                    r.severity = 1 + (ticks / 250 + i) % 5;
                    r.responseType = ResponseType::Medical;
                    r.situationSummary = QStringLiteral("benchmark report %1").arg(ticks);
                    store.setTriage(id, r);
                    store.addTranscript(id, {store.now(), Speaker::Caller,
                                             QStringLiteral("words %1").arg(ticks), true});
                }
            }
        }
        const qint64 untilNextNs = audioStartNs + (ticks + 1) * SlotNs - clock.nsecsElapsed();
        audioTick.start(int(std::max<qint64>(0, (untilNextNs + 999'999) / 1'000'000)));
    });
    audioStartNs = clock.nsecsElapsed();
    audioTick.start(20); // its deadline is taken after audioStartNs: never before the slot

    // The storage thread's queue: a marker every 20 ms on the queue the recordings are written
    // from, timed from its post to when the storage thread runs it. --slow-disk holds that
    // thread once a second, as tst_slowdisk does.
    QObject markers;
    QList<qint64> storageWaitsUs;
    QTimer storageProbe;
    QTimer slowDisk;
    // --slow-disk: the storage thread is held until the main thread lets it go, slowDiskMs
    // later on its own clock (or at the end of the run).
    dispatch::test::DiskHold disk;
    if (storage) {
        StorageThread &jobs = storage->writer()->jobs();
        QObject::connect(&storageProbe, &QTimer::timeout, [&] {
            const qint64 posted = steadyNs();
            const bool counted = clock.nsecsElapsed() >= WarmUpNs;
            jobs.post(&markers, [posted, counted, &storageWaitsUs] {
                const qint64 waitedUs = (steadyNs() - posted) / 1000;
                return StorageThread::Completion([waitedUs, counted, &storageWaitsUs] {
                    if (counted)
                        storageWaitsUs.append(waitedUs);
                });
            });
        });
        storageProbe.start(20);
        if (slowDiskMs > 0) {
            QObject::connect(&slowDisk, &QTimer::timeout, [&app, &jobs, &disk, slowDiskMs] {
                disk.hold(jobs);
                QTimer::singleShot(slowDiskMs, &app, [&disk] { disk.release(); });
            });
            slowDisk.start(1000);
        }
    }

    // The probe: any gap between its 5 ms ticks beyond the threshold is a stall.
    qint64 last = 0;
    qint64 worst = 0;
    int stalls = 0;
    QList<qint64> gaps;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    SchedStat lastSched = mainThreadSchedStat();
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        const qint64 gap = now - last;
        last = now;
        const SchedStat sched = mainThreadSchedStat();
        const SchedStat during{sched.runNs - lastSched.runNs, sched.waitNs - lastSched.waitNs};
        lastSched = sched;
        if (now < WarmUpNs / 1'000'000)
            return;
        gaps.append(gap);
        worst = std::max(worst, gap);
        if (gap > threshold) {
            ++stalls;
            // Where it happened, for finding out why: the searches shown so far, and how the
            // main thread spent the gap: running, runnable but waiting for a CPU, or neither
            // (blocked: I/O, a lock).
            std::fprintf(stderr,
                         "stall: %lld ms ending at %.3f s (searches finished: %lld); main "
                         "thread ran %.1f ms, waited for a CPU %.1f ms, was blocked %.1f ms\n",
                         static_cast<long long>(gap), now / 1000.0,
                         static_cast<long long>(searches ? searches->durationsUs().size() : 0),
                         during.runNs / 1e6, during.waitNs / 1e6,
                         std::max<double>(0, gap - (during.runNs + during.waitNs) / 1e6));
        }
    });
    probe.start(5);
    QTimer::singleShot(seconds * 1000 + WarmUpNs / 1'000'000, &app, &QCoreApplication::quit);
    app.exec();
    audioTick.stop();
    storageProbe.stop();
    slowDisk.stop();
    disk.release(); // a hold still on when the run ended
    if (check && searches && searches->durationsUs().isEmpty()) {
        // Correctness, not time: however loaded the machine, one search has to come back.
        QEventLoop wait;
        QObject::connect(window.historyWindow(), &HistoryWindow::searchFinished, &wait,
                         &QEventLoop::quit);
        QTimer::singleShot(60'000, &wait, &QEventLoop::quit);
        wait.exec();
    }
    if (searches)
        searches->stop();

    // The calls end and everything queued is written: what the database says was recorded is
    // compared with what was sent.
    const qint64 sentBytesPerCall = ticks * chunk.size();
    qint64 recordedBytes = 0;
    qint64 lostBytes = 0;
    qint64 walBytes = 0;
    qint64 rowsWritten = 0;
    int wholeRecordings = 0;
    if (storage) {
        walBytes = QFileInfo(QDir(dataDir).filePath(QStringLiteral("dispatch.sqlite-wal"))).size();
        for (int i = 0; i < calls; ++i)
            store.end(QStringLiteral("bench-%1").arg(i), EndReason::DispatcherEnded,
                      Actor::dispatcher(QStringLiteral("bench")));
        storage->flush();
        storage->flush(); // the seals' audit rows
        for (int i = 0; i < calls; ++i) {
            const auto stored = storage->history()->loadLatest(QStringLiteral("bench-%1").arg(i));
            if (!stored)
                continue;
            for (const StoredCall::Recording &r : stored->recordings) {
                if (r.track != CallRecorder::callerTrack())
                    continue;
                recordedBytes += r.bytes;
                lostBytes += r.lostBytes;
                if (r.bytes == sentBytesPerCall && r.finalized)
                    ++wholeRecordings;
            }
        }
        rowsWritten = qint64(storage->writer()->stats().rowsWritten);
    }
    const QStringList losses = lossCounters(metrics);
    for (const QString &l : losses)
        std::fprintf(stderr, "lost: %s\n", qPrintable(l));

    std::sort(gaps.begin(), gaps.end());
    const qint64 gapP50 = percentile(gaps, 0.5);
    const qint64 gapP99 = percentile(gaps, 0.99);
    QByteArray line = QByteArray("calls=") + QByteArray::number(calls) +
                      " seconds=" + QByteArray::number(seconds) +
                      " audio_messages=" + QByteArray::number(ticks * calls) +
                      " probe_ticks=" + QByteArray::number(gaps.size()) +
                      " gap_p50=" + QByteArray::number(gapP50) +
                      "ms gap_p99=" + QByteArray::number(gapP99) +
                      "ms gap_max=" + QByteArray::number(worst) + "ms stalls_over_" +
                      QByteArray::number(threshold) + "ms=" + QByteArray::number(stalls);
    line += ' ' + spread("audio_delay", audioDelaysUs);
    line += " storage=" + QByteArray(storage ? "on" : "off");
    if (storage) {
        line += ' ' + spread("storage_wait", storageWaitsUs);
        line += " recorded_bytes=" + QByteArray::number(recordedBytes) +
                " whole_recordings=" + QByteArray::number(wholeRecordings) + '/' +
                QByteArray::number(calls) + " rows_written=" + QByteArray::number(rowsWritten) +
                " wal_bytes=" + QByteArray::number(walBytes) +
                " slow_disk=" + QByteArray::number(slowDiskMs) + "ms";
    }
    if (searches) {
        line += " history=" + QByteArray::number(historyCalls) +
                " searches=" + QByteArray::number(searches->durationsUs().size()) + ' ' +
                spread("search", searches->durationsUs()) +
                " search_results=" + QByteArray::number(searches->lastResultCount()) +
                " search_pause=" + parser.value("search-pause-ms").toUtf8() + "ms";
    }
    line += " lost_audio_bytes=" + QByteArray::number(lostBytes) +
            " loss_counters=" + QByteArray::number(losses.size());
    std::printf("%s\n", line.constData());

    bool ok = losses.isEmpty() && lostBytes == 0;
    if (storage && wholeRecordings != calls) {
        std::fprintf(stderr, "only %d of %d calls were recorded whole (%lld bytes each)\n",
                     wholeRecordings, calls, static_cast<long long>(sentBytesPerCall));
        ok = false;
    }
    if (searches && searches->durationsUs().isEmpty()) {
        std::fprintf(stderr, "no history search finished: %s\n",
                     qPrintable(searches->lastStatus()));
        ok = false;
    }
    if (!check && stalls > 0)
        ok = false;
    return ok ? 0 : 1;
}
