// UI stall benchmark: the real MainWindow (offscreen) with N active calls streaming 20 ms audio
// chunks, 1 Hz vitals, moving locations and periodic triage, as the network would deliver them
// on the main thread. A 5 ms probe timer measures every gap in the event loop; a gap over the
// threshold is a stall the dispatcher would feel.
//
//   bench_uistall [--calls 50] [--seconds 30] [--threshold-ms 50]
// Exit status 0 when no stall exceeded the threshold.
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "host/phoneserver.h"
#include "mainwindow.h"
#include "theme.h"

#include <QApplication>
#include <QCommandLineParser>
#include <QElapsedTimer>
#include <QTimer>

#include <algorithm>
#include <cmath>
#include <cstdio>

using namespace dispatch;

int main(int argc, char *argv[])
{
    QCoreApplication::setAttribute(Qt::AA_ShareOpenGLContexts);
    QApplication app(argc, argv);
    QCommandLineParser parser;
    parser.addOptions({{"calls", "Active calls.", "N", "50"},
                       {"seconds", "Duration.", "S", "30"},
                       {"threshold-ms", "Stall threshold.", "MS", "50"}});
    parser.process(app);
    const int calls = parser.value("calls").toInt();
    const int seconds = parser.value("seconds").toInt();
    const int threshold = parser.value("threshold-ms").toInt();

    applyTheme(app, Theme::Dark);
    CallStore store;
    MetricsRegistry metrics;
    PhoneServer server(PhoneServerConfig{}, store, metrics);
    if (!server.start())
        return 2;
    MainWindow window(store, server);
    // The run ends by quitting with live calls: confirmed, as a dispatcher would at shift end.
    window.setQuitConfirmation([](const MainWindow::LiveCalls &) { return true; });
    window.resize(1600, 1000);
    window.show();

    for (int i = 0; i < calls; ++i) {
        const QString id = QStringLiteral("bench-%1").arg(i);
        store.addCall(id, GeoLocation{40.4 + i * 0.001, -3.7 + i * 0.001, 15.0, store.now()});
        store.answer(id, Actor::dispatcher(QStringLiteral("bench")));
    }
    window.selectCall(QStringLiteral("bench-0"));

    // A 20 ms chunk of speech-like audio per call per tick.
    QByteArray chunk(640, Qt::Uninitialized);
    for (int s = 0; s < 320; ++s) {
        const auto v = static_cast<qint16>(8000 * std::sin(2 * M_PI * 220 * s / 16000.0));
        chunk[2 * s] = static_cast<char>(v & 0xff);
        chunk[2 * s + 1] = static_cast<char>((v >> 8) & 0xff);
    }
    qint64 ticks = 0;
    QTimer audioTick;
    audioTick.setTimerType(Qt::PreciseTimer);
    QObject::connect(&audioTick, &QTimer::timeout, [&] {
        ++ticks;
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
    });
    audioTick.start(20);

    // The probe: any gap between its 5 ms ticks beyond the threshold is a stall.
    QElapsedTimer clock;
    clock.start();
    qint64 last = 0;
    qint64 worst = 0;
    int stalls = 0;
    QList<qint64> gaps;
    QTimer probe;
    probe.setTimerType(Qt::PreciseTimer);
    QObject::connect(&probe, &QTimer::timeout, [&] {
        const qint64 now = clock.elapsed();
        const qint64 gap = now - last;
        last = now;
        if (now < 2000)
            return; // warm-up: page load, first paint
        gaps.append(gap);
        worst = std::max(worst, gap);
        if (gap > threshold)
            ++stalls;
    });
    probe.start(5);
    QTimer::singleShot(seconds * 1000 + 2000, &app, &QCoreApplication::quit);
    app.exec();

    std::sort(gaps.begin(), gaps.end());
    auto pct = [&](double p) {
        return gaps.isEmpty()
                   ? 0
                   : gaps.at(std::min<qsizetype>(gaps.size() - 1, qsizetype(p * gaps.size())));
    };
    std::printf("calls=%d seconds=%d audio_messages=%lld probe_ticks=%lld gap_p50=%lldms "
                "gap_p99=%lldms gap_max=%lldms stalls_over_%dms=%d\n",
                calls, seconds, static_cast<long long>(ticks * calls),
                static_cast<long long>(gaps.size()), static_cast<long long>(pct(0.5)),
                static_cast<long long>(pct(0.99)), static_cast<long long>(worst), threshold,
                stalls);
    return stalls == 0 ? 0 : 1;
}
