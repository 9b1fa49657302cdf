#include "historyload.h"

#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "domain/triagereport.h"
#include "history/callhistorymodel.h"
#include "history/historysearch.h"
#include "history/historywindow.h"
#include "storage/storage.h"

#include <QCoreApplication>
#include <QTimer>

#include <memory>

namespace dispatch {

bool populateHistory(const HistoryLoadConfig &config, HistoryLoadResult *result, QString *why)
{
    QElapsedTimer elapsed;
    elapsed.start();
    const qint64 spanMs = qint64(config.spanDays) * 24 * 3600 * 1000;
    // Each call lasts CallMs (ring, answer, talk, end); the next rings spacingMs after it rang,
    // and the last one rang an hour ago.
    constexpr qint64 CallMs = 4000 + 3 * 3000 + 20'000;
    const qint64 spacingMs = qMax<qint64>(CallMs, spanMs / qMax(1, config.calls));
    // A test clock (wall and monotonic), as the history fixture keeps one: weeks in seconds.
    QDateTime now =
        QDateTime::currentDateTimeUtc().addMSecs(-spacingMs * config.calls - 3600 * 1000);
    qint64 monotonicMs = 1'000'000;
    auto advance = [&](qint64 ms) {
        now = now.addMSecs(ms);
        monotonicMs += ms;
    };
    const Clock clock = [&now] { return now; };
    CallStoreConfig storeConfig;
    storeConfig.monotonic = [&monotonicMs] { return monotonicMs; };
    CallStore store(storeConfig, clock);
    MetricsRegistry metrics;
    StorageConfig c;
    c.dataDir = config.dataDir;
    c.recorder.monotonic = storeConfig.monotonic;
    auto storage = std::make_unique<Storage>(c, store, metrics, clock);
    if (const auto opened = storage->open(); !opened) {
        *why = opened.error().message;
        return false;
    }
    result->firstRang = now;
    const Actor dispatcher = Actor::dispatcher(QStringLiteral("bench"));
    for (int i = 0; i < config.calls; ++i) {
        const QString id = QStringLiteral("hist-%1").arg(i);
        const bool matching = i % 100 < config.matchingPercent;
        const QDateTime rang = now;
        bool ok =
            store.addCall(id, GeoLocation{40.3 + (i % 200) * 0.002, -3.8 + (i / 200 % 100) * 0.002,
                                          12.0, now}) == CallStore::Result::Ok;
        advance(4000);
        ok = ok && store.answer(id, dispatcher) == CallStore::Result::Ok;
        const QStringList said =
            matching ? QStringList{QStringLiteral("my husband collapsed in the kitchen"),
                                   QStringLiteral("he is %1 very badly").arg(config.matchingText),
                                   QStringLiteral("we are at the third floor, door on the left")}
                     : QStringList{QStringLiteral("a car hit the traffic light"),
                                   QStringLiteral("nobody is hurt but the road is blocked"),
                                   QStringLiteral("it is at the corner by the bakery")};
        for (const QString &text : said) {
            advance(3000);
            ok = ok && store.addTranscript(id, {now, Speaker::Caller, text, true}) ==
                           CallStore::Result::Ok;
        }
        TriageReport report;
        report.source = TriageSource::Local;
        report.severity = 1 + i % 5;
        report.responseType = matching ? ResponseType::Medical : ResponseType::Police;
        report.situationSummary =
            matching
                ? QStringLiteral("Adult collapsed, %1 with difficulty").arg(config.matchingText)
                : QStringLiteral("Traffic collision, road blocked");
        report.producedAt = now;
        ok = ok && store.setTriage(id, report) == CallStore::Result::Ok;
        advance(20'000);
        ok = ok && store.end(id, EndReason::DispatcherEnded, dispatcher,
                             Disposition::UnitsDispatched) == CallStore::Result::Ok;
        if (!ok) {
            *why = QStringLiteral("call %1 was refused by the call store").arg(id);
            return false;
        }
        result->lastRang = rang;
        now = rang.addMSecs(spacingMs);
        monotonicMs += spacingMs - CallMs;
        if (i % 250 == 249) {
            // What the storage thread finished (seals, stats) comes back here, as it would
            // between the events of a running console.
            QCoreApplication::processEvents();
        }
    }
    if (!storage->flush()) {
        *why = QStringLiteral("the history could not be committed");
        return false;
    }
    result->rowsWritten = qint64(storage->writer()->stats().rowsWritten);
    storage.reset(); // closes the database and releases the data dir's lock
    result->elapsedMs = elapsed.elapsed();
    return true;
}

HistorySearchLoop::HistorySearchLoop(HistoryWindow &window, const QDateTime &from,
                                     const QDateTime &to, const QString &text, int pauseMs,
                                     QObject *parent)
    : QObject(parent)
    , m_window(window)
    , m_pauseMs(pauseMs)
{
    m_window.search()->clearFilters();
    m_window.search()->setCustomRange(from, to);
    m_window.search()->setText(text);
    connect(&m_window, &HistoryWindow::searchFinished, this, &HistorySearchLoop::finished);
}

bool HistorySearchLoop::start(QString *why)
{
    m_running = true;
    m_timer.start();
    if (!m_window.runSearch()) {
        m_running = false;
        *why = m_window.statusText();
        return false;
    }
    return true;
}

QString HistorySearchLoop::lastStatus() const
{
    return m_window.statusText();
}

void HistorySearchLoop::finished()
{
    if (!m_running)
        return;
    m_durationsUs.append(m_timer.nsecsElapsed() / 1000);
    m_lastResults = m_window.model()->rowCount();
    if (m_pauseMs > 0)
        QTimer::singleShot(m_pauseMs, this, &HistorySearchLoop::next);
    else
        next();
}

void HistorySearchLoop::next()
{
    if (!m_running)
        return;
    m_timer.start();
    if (!m_window.runSearch())
        m_running = false;
}

} // namespace dispatch
