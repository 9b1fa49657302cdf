// How much batching saves: the same rows committed one per transaction and in batches, with
// synchronous=NORMAL and FULL, and a simulated busy night through the real recorder.
// Run on demand: build/tests/benchmarks/bench_storagewrites [DIR]; results in
// docs/benchmarks/storage-writes.md.
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "storage/batchwriter.h"
#include "storage/database.h"
#include "storage/storage.h"

#include <QCoreApplication>
#include <QDir>
#include <QElapsedTimer>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTextStream>

using namespace dispatch;

namespace {

const QString insertVitals = QStringLiteral(
    "INSERT INTO vitals_samples (call, at, heart_rate, heart_rate_confidence, breathing_rate, "
    "breathing_confidence, phone_timestamp_ms) VALUES (1, ?, 72, 0.9, 14, 0.7, ?)");

double perRowMicros(const QString &dir, const QString &name, const QString &synchronous, int rows,
                    int batch)
{
    Database db(QDir(dir).filePath(name));
    (void)db.open();
    QSqlQuery(db.handle()).exec(QStringLiteral("PRAGMA synchronous=") + synchronous);
    QSqlQuery(db.handle())
        .exec(QStringLiteral("INSERT INTO calls (id, call_id, state, "
                             "ringing_at, media_dir) VALUES (1, 'b', "
                             "'answered', 0, 'recordings/b')"));
    BatchWriter writer(db.handle(), {60'000, 60'000, batch, 1'000'000});
    QElapsedTimer t;
    t.start();
    for (int i = 0; i < rows; ++i) {
        writer.enqueue(insertVitals, {i, i});
        if ((i + 1) % batch == 0)
            writer.flush();
    }
    writer.flush();
    return double(t.nsecsElapsed()) / 1000.0 / rows;
}

} // namespace

int main(int argc, char *argv[])
{
    QCoreApplication app(argc, argv);
    QTemporaryDir tmp;
    const QString dir = argc > 1 ? QString::fromLocal8Bit(argv[1]) : tmp.path();
    QDir().mkpath(dir);
    QTextStream out(stdout);
    const int rows = 5000;
    out << "rows per variant: " << rows << " (vitals rows, prepared statement)\n";
    out << "| synchronous | rows per transaction | µs per row | rows/s |\n|---|---|---|---|\n";
    for (const QString &sync : {QStringLiteral("NORMAL"), QStringLiteral("FULL")}) {
        for (const int batch : {1, 40, 500}) {
            const double us = perRowMicros(
                dir, QStringLiteral("bench-%1-%2.sqlite").arg(sync).arg(batch), sync, rows, batch);
            out << "| " << sync << " | " << batch << " | " << QString::number(us, 'f', 1) << " | "
                << QString::number(1e6 / us, 'f', 0) << " |\n";
        }
    }

    // A busy night, compressed: 20 calls, 60 simulated seconds each with 50 audio chunks (20 ms),
    // one frame, one vitals sample and one location a second, and a transcript line every 3 s,
    // through CallStore -> CallRecorder -> BatchWriter. The batch timer is 250 ms of simulated
    // time: we flush every 250 simulated ms, as the timer would.
    QDateTime now = QDateTime::currentDateTimeUtc();
    CallStore store({}, [&now] { return now; });
    MetricsRegistry metrics;
    StorageConfig config;
    config.dataDir = QDir(dir).filePath(QStringLiteral("night"));
    config.batching.flushIntervalMs = 3'600'000; // flushed by hand below
    Storage storage(config, store, metrics, [&now] { return now; });
    (void)storage.open();
    const int calls = 20;
    for (int c = 0; c < calls; ++c) {
        store.addCall(QStringLiteral("night-%1").arg(c), GeoLocation{52.5, 13.4, 10.0, now});
        store.answer(QStringLiteral("night-%1").arg(c), Actor::dispatcher(QStringLiteral("alice")));
    }
    storage.flush();
    const quint64 rowsBefore = storage.writer()->stats().rowsWritten;
    const quint64 txBefore = storage.writer()->stats().transactions;
    const QByteArray chunk(640, '\x11');
    const QByteArray jpeg = QByteArray("\xFF\xD8\xFF") + QByteArray(30'000, 'j');
    QElapsedTimer t;
    t.start();
    const int seconds = 60;
    for (int tick = 0; tick < seconds * 50; ++tick) { // 20 ms ticks
        now = now.addMSecs(20);
        for (int c = 0; c < calls; ++c) {
            const QString id = QStringLiteral("night-%1").arg(c);
            store.addAudio(id, chunk);
            if (tick % 50 == c % 50) {
                store.addFrame(id, jpeg);
                VitalsSample v;
                v.heartRate = 70 + tick % 30;
                v.receivedAt = now;
                store.addVitals(id, v);
                store.updateLocation(id, GeoLocation{52.5 + tick * 1e-6, 13.4, 10.0, now});
                if (tick % 150 == c % 50)
                    store.addTranscript(id, {now, Speaker::Caller, QStringLiteral("words"), true});
            }
        }
        if (tick % 12 == 11) // every 240-250 ms
            storage.flush();
    }
    storage.flush();
    const double wall = t.nsecsElapsed() / 1e9;
    const quint64 rowsWritten = storage.writer()->stats().rowsWritten - rowsBefore;
    const quint64 transactions = storage.writer()->stats().transactions - txBefore;
    out << "\nbusy night: " << calls << " calls x " << seconds << " s simulated in "
        << QString::number(wall, 'f', 2) << " s wall ("
        << QString::number(wall / seconds * 100, 'f', 1) << "% of one core for real time)\n";
    out << "rows: " << rowsWritten << " (" << rowsWritten / seconds
        << "/s), transactions: " << transactions << " ("
        << QString::number(double(transactions) / seconds, 'f', 1)
        << "/s), audio bytes: " << storage.recorder()->stats().audioBytes << "\n";
    return 0;
}
