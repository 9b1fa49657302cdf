#pragma once

// The history side of bench_uistall: a data dir filled with many ended calls through the real
// CallStore -> Storage path (as tests/server/storage/historyfixture.h records its calls), and a
// history search kept running in the real history window.
#include <QDateTime>
#include <QElapsedTimer>
#include <QList>
#include <QObject>
#include <QString>

namespace dispatch {

class HistoryWindow;

struct HistoryLoadConfig
{
    QString dataDir;
    int calls = 20'000;
    // Said by most calls (the others talk about something else), in a transcript segment and
    // in the triage summary: the text a search for "most of them" types.
    QString matchingText = QStringLiteral("breathing");
    int matchingPercent = 90;
    // The calls rang one after another over this many days before now (inside the default
    // 30-day retention, so the sweep at start keeps them).
    int spanDays = 20;
};

struct HistoryLoadResult
{
    QDateTime firstRang;
    QDateTime lastRang;
    qint64 elapsedMs = 0;
    qint64 rowsWritten = 0;
};

// Opens a Storage on config.dataDir with a test clock, records the calls (ring, answer, three
// transcript segments, a triage report, a dispatcher's end) and closes it again, so the
// database afterwards is what a console finds after weeks of service. False with `why` set
// when the storage could not be opened or a call was refused.
bool populateHistory(const HistoryLoadConfig &config, HistoryLoadResult *result, QString *why);

// Keeps a search running in a history window as a dispatcher typing in its filter would: the
// moment the latest one's results are shown (or pauseMs later), the next starts. Each is timed
// from the start to the results on screen (the window's searchFinished).
class HistorySearchLoop : public QObject
{
    Q_OBJECT

public:
    HistorySearchLoop(HistoryWindow &window, const QDateTime &from, const QDateTime &to,
                      const QString &text, int pauseMs = 0, QObject *parent = nullptr);

    // False (with the window's status as `why`) when the form or the storage refused it.
    bool start(QString *why);
    void stop() { m_running = false; }

    const QList<qint64> &durationsUs() const { return m_durationsUs; }
    int lastResultCount() const { return m_lastResults; }
    QString lastStatus() const;

private:
    void finished();
    void next();

    HistoryWindow &m_window;
    int m_pauseMs = 0;
    QElapsedTimer m_timer;
    QList<qint64> m_durationsUs;
    int m_lastResults = 0;
    bool m_running = false;
};

} // namespace dispatch
