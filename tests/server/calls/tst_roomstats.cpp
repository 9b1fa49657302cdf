#include "calls/callstore.h"
#include "calls/roomstats.h"

#include <QTest>

using namespace dispatch;

namespace {

TriageReport triage(int severity)
{
    TriageReport r;
    r.severity = severity;
    r.situationSummary = QStringLiteral("x");
    return r;
}

} // namespace

class TestRoomStats : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void emptyRoomHasNoShares()
    {
        const RoomStats s = RoomStats::compute({}, QDateTime::currentDateTime());
        QCOMPARE(s.ringing + s.active + s.onHold + s.callsToday, 0);
        QVERIFY(!s.answeredWithin15Share && !s.answeredWithin20Share && !s.meanAnswerMs &&
                !s.meanAnswerToTriageMs);
    }

    void countsAndTimesFromTheStore()
    {
        // A fake clock, moved by hand: the morning of one local day.
        QDateTime now(QDate(2025, 3, 4), QTime(9, 0));
        CallStore store({}, [&now] { return now; });
        auto later = [&now](int ms) { now = now.addMSecs(ms); };

        // Yesterday's call does not count today, but its state does.
        now = now.addDays(-1);
        store.addCall("yesterday", std::nullopt);
        later(5'000);
        store.answer("yesterday", Actor::dispatcher("ana"));
        now = QDateTime(QDate(2025, 3, 4), QTime(9, 0));

        store.addCall("fast", std::nullopt); // answered after 10 s, triage 4 s later
        later(10'000);
        store.answer("fast", Actor::dispatcher("ana"));
        later(4'000);
        store.setTriage("fast", triage(3));

        store.addCall("slow", std::nullopt); // answered after 18 s, triage 2 s later, held
        later(18'000);
        store.answer("slow", Actor::dispatcher("ben"));
        later(2'000);
        store.setTriage("slow", triage(5));
        store.hold("slow", Actor::system());

        store.addCall("late", std::nullopt); // answered after 25 s, no triage yet
        later(25'000);
        store.answer("late", Actor::dispatcher("ana"));

        store.addCall("gone", std::nullopt); // the caller gave up after 7 s
        later(7'000);
        store.end("gone", EndReason::Abandoned);

        store.addCall("waiting", std::nullopt); // still ringing, 16 s so far
        later(16'000);

        const RoomStats s = RoomStats::compute(store.calls(), store.now());
        QCOMPARE(s.ringing, 1);
        QCOMPARE(s.active, 3); // yesterday, fast, late
        QCOMPARE(s.onHold, 1);
        QCOMPARE(s.callsToday, 5);
        QCOMPARE(s.answeredToday, 3);
        QCOMPARE(s.abandonedToday, 1);
        // 15 s: fast of {fast, slow, late, gone, waiting (past 15 s)}.
        QCOMPARE(*s.answeredWithin15Share, 1.0 / 5);
        // 20 s: fast and slow of {fast, slow, late, gone}; waiting is not decided yet.
        QCOMPARE(*s.answeredWithin20Share, 2.0 / 4);
        QCOMPARE(*s.meanAnswerMs, qint64((10'000 + 18'000 + 25'000) / 3));
        QCOMPARE(*s.meanAnswerToTriageMs, qint64((4'000 + 2'000) / 2));

        // Five more seconds: the waiting call misses 20 s too.
        later(5'000);
        const RoomStats after = RoomStats::compute(store.calls(), store.now());
        QCOMPARE(*after.answeredWithin20Share, 2.0 / 5);
    }
};

QTEST_GUILESS_MAIN(TestRoomStats)
#include "tst_roomstats.moc"
