// History search over calls recorded through the real store and storage: each filter includes
// what matches and excludes what does not, bad queries are refused, and a text search over a
// busy week stays fast enough to run on the UI thread.
#include "historyfixture.h"
#include "skiporfail.h"
#include "threadnice.h"

#include <QElapsedTimer>
#include <QLoggingCategory>
#include <QTemporaryDir>
#include <QTest>

using namespace dispatch;
using namespace dispatch::test;

namespace {

QStringList ids(const Parsed<QList<StoredCall>> &found)
{
    QStringList out;
    if (!found)
        return {QStringLiteral("error: ") + found.error().message};
    for (const StoredCall &c : found.value())
        out << c.callId;
    return out;
}

} // namespace

class TestHistorySearch : public QObject
{
    Q_OBJECT

private:
    QTemporaryDir m_dir;
    std::unique_ptr<HistoryFixture> m_fixture;

    HistoryQuery allTime() const
    {
        HistoryQuery q;
        q.from = QDateTime(QDate(2026, 1, 1), QTime(0, 0), Qt::UTC);
        q.to = QDateTime(QDate(2027, 1, 1), QTime(0, 0), Qt::UTC);
        return q;
    }
    QStringList run(const HistoryQuery &q) const
    {
        return ids(m_fixture->storage().history()->search(q));
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = testDatabaseUnavailable(); !why.isEmpty())
            DISPATCH_SKIP_OR_FAIL(qPrintable(why));
        QVERIFY(m_dir.isValid());
        m_fixture = std::make_unique<HistoryFixture>(m_dir.path());
        QString why;
        QVERIFY2(m_fixture->record(&why), qPrintable(why));
    }

    void searchesRunOnAHistoryThreadThatGivesWay()
    {
        // The window's searches run on their own thread, lowered below the threads that carry
        // calls (main) and write them (storage): a search waits for a CPU, a chunk does not.
        std::optional<Parsed<QList<StoredCall>>> result;
        m_fixture->storage().searchHistory(
            allTime(), this, [&](const Parsed<QList<StoredCall>> &found) { result = found; });
        QVERIFY(QTest::qWaitFor([&] { return result.has_value(); }, 10'000));
        QVERIFY(bool(*result));
        QHash<QString, int> niceByThread; // thread name -> nice
        for (const ThreadNice &t : threadNiceValues())
            niceByThread.insert(t.name, t.nice);
        QVERIFY2(niceByThread.contains("history"), qPrintable(niceByThread.keys().join(',')));
        QCOMPARE(niceByThread.value("history"), 5);
        QCOMPARE(niceByThread.value("storage", -1), 0);
    }

    void timeRangeNewestFirst()
    {
        QCOMPARE(run(allTime()), QStringList({"med-berlin", "no-location", "police-munich",
                                              "fire-potsdam", "old-berlin"}));
        HistoryQuery recent = allTime();
        recent.from = m_fixture->medBerlinRang.addSecs(-3600);
        QCOMPARE(run(recent),
                 QStringList({"med-berlin", "no-location", "police-munich", "fire-potsdam"}));
        recent.to = m_fixture->medBerlinRang; // exclusive end
        QCOMPARE(run(recent), QStringList({"no-location", "police-munich", "fire-potsdam"}));
        recent.limit = 1;
        QCOMPARE(run(recent), QStringList({"no-location"}));
    }

    void nearAPlace()
    {
        HistoryQuery q = allTime();
        q.near = HistoryQuery::Near{52.5200, 13.4050, 2.0}; // Berlin Mitte, 2 km
        QCOMPARE(run(q), QStringList({"med-berlin", "old-berlin"}));
        q.near->radiusKm = 30; // Potsdam is ~26 km away
        QCOMPARE(run(q), QStringList({"med-berlin", "fire-potsdam", "old-berlin"}));
        q.near->radiusKm = 20;
        QCOMPARE(run(q), QStringList({"med-berlin", "old-berlin"}));
        q.near = HistoryQuery::Near{48.14, 11.58, 1.0}; // Munich
        QCOMPARE(run(q), QStringList({"police-munich"}));
    }

    void insideABox()
    {
        HistoryQuery q = allTime();
        q.box = HistoryQuery::Box{52.3, 12.9, 52.45, 13.2}; // around Potsdam only
        QCOMPARE(run(q), QStringList({"fire-potsdam"}));
        q.box = HistoryQuery::Box{47.0, 5.0, 55.0, 15.0}; // Germany: not the call without location
        QCOMPARE(run(q),
                 QStringList({"med-berlin", "police-munich", "fire-potsdam", "old-berlin"}));
        q.near = HistoryQuery::Near{52.52, 13.405, 2.0}; // both: AND
        QCOMPARE(run(q), QStringList({"med-berlin", "old-berlin"}));
    }

    void responseTypeAndSeverity()
    {
        HistoryQuery q = allTime();
        q.responseType = "medical";
        QCOMPARE(run(q), QStringList({"med-berlin", "old-berlin"}));
        q.responseType = "fire";
        QCOMPARE(run(q), QStringList({"fire-potsdam"}));
        q.responseType.clear();
        q.minSeverity = 4; // med-berlin is 5 after the override, old-berlin 4
        QCOMPARE(run(q), QStringList({"med-berlin", "old-berlin"}));
        q.minSeverity = 5;
        QCOMPARE(run(q), QStringList({"med-berlin"}));
        q.minSeverity = 3;
        q.responseType = "police"; // police-munich is severity 2
        QCOMPARE(run(q), QStringList());
    }

    void textInTranscriptOrSummary()
    {
        HistoryQuery q = allTime();
        q.text = "NOT BREATHING"; // transcript, case-insensitive
        QCOMPARE(run(q), QStringList({"med-berlin"}));
        q.text = "burglary"; // only in the triage summary
        QCOMPARE(run(q), QStringList({"police-munich"}));
        q.text = "fell down";
        QCOMPARE(run(q), QStringList({"old-berlin"}));
        q.text = "medical"; // a response type inside the report JSON is not a summary
        QCOMPARE(run(q), QStringList());
        q.text = "100%"; // LIKE wildcards are literal
        QCOMPARE(run(q), QStringList());
        q.text = "_";
        QCOMPARE(run(q), QStringList());
    }

    void badQueriesAreRefused()
    {
        HistoryQuery q = allTime();
        q.to = q.from;
        QVERIFY(!m_fixture->storage().history()->search(q));
        q = allTime();
        q.near = HistoryQuery::Near{95, 0, 1};
        QVERIFY(!m_fixture->storage().history()->search(q));
        q.near = HistoryQuery::Near{52, 13, 0};
        QVERIFY(!m_fixture->storage().history()->search(q));
        q = allTime();
        q.box = HistoryQuery::Box{53, 13, 52, 14};
        const auto refused = m_fixture->storage().history()->search(q);
        QVERIFY(!refused);
        QCOMPARE(refused.error().code, QString("bad_query"));
    }

    // A busy week (2000 calls, 20 segments each) searched by text finds the one call. The scan
    // is bounded by the time range and the result by the limit; the time it takes is printed
    // and recorded in docs/PERFORMANCE.md, not asserted (a timed unit test only measures how
    // busy the CI machine is).
    void textSearchOverABusyWeek()
    {
        QLoggingCategory::setFilterRules("dispatch.*.info=false\ndispatch.*.debug=false");
        QTemporaryDir dir;
        HistoryFixture busy(dir.path());
        QVERIFY(busy.storage().open());
        const QDateTime weekStart = busy.now();
        for (int i = 0; i < 2000; ++i) {
            const QString id = QStringLiteral("busy-%1").arg(i);
            busy.store().addCall(id, GeoLocation{52.0 + i * 0.0001, 13.0, 10.0, busy.now()});
            busy.store().answer(id, Actor::dispatcher("console"));
            for (int s = 0; s < 20; ++s)
                busy.store().addTranscript(
                    id, {busy.now(), Speaker::Caller,
                         QStringLiteral("segment %1 of call %2 with ordinary words").arg(s).arg(i),
                         true});
            if (i == 1234)
                busy.store().addTranscript(id,
                                           {busy.now(), Speaker::Caller, "a yellow kayak", true});
            busy.store().end(id, EndReason::CallerHungUp);
            busy.advance(300'000); // 5 min apart: ~7 days
        }
        QVERIFY(busy.storage().flush());
        HistoryQuery q;
        q.from = weekStart;
        q.to = busy.now();
        q.text = "yellow kayak";
        QElapsedTimer timer;
        timer.start();
        const auto found = busy.storage().history()->search(q);
        const qint64 ms = timer.elapsed();
        QVERIFY(found);
        QCOMPARE(ids(found), QStringList({"busy-1234"}));
        qInfo("text search over 2000 calls / 40000 segments: %lld ms", ms);
        q.text.clear();
        q.near = HistoryQuery::Near{52.05, 13.0, 1.0};
        timer.restart();
        QVERIFY(busy.storage().history()->search(q));
        qInfo("radius search over 2000 calls: %lld ms", timer.elapsed());
    }
};

QTEST_GUILESS_MAIN(TestHistorySearch)
#include "tst_historysearch.moc"
