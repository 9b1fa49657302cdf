#include "audioexitmain.h"
#include "calls/callstore.h"
#include "callwall.h"
#include "callwallmodel.h"
#include "walltiledelegate.h"

#include <QDir>
#include <QTest>

using namespace dispatch;

namespace {

TriageReport triage(int severity, bool critical = false, bool canSpeak = true)
{
    TriageReport r;
    r.severity = severity;
    r.critical = critical;
    r.canSpeak = canSpeak;
    r.responseType = ResponseType::Medical;
    r.situationSummary = QStringLiteral("Man collapsed in the street, not breathing");
    return r;
}

} // namespace

class TestCallWall : public QObject
{
    Q_OBJECT

private:
    QDateTime m_now = QDateTime(QDate(2025, 3, 4), QTime(10, 0));
    void later(int ms) { m_now = m_now.addMSecs(ms); }

    // A room: two ringing calls, four answered ones of different urgency, one ended.
    void fill(CallStore &store)
    {
        store.addCall("ring-old", std::nullopt);
        later(1000);
        store.addCall("mild", std::nullopt);
        store.answer("mild", Actor::dispatcher("ana"));
        store.setTriage("mild", triage(2));
        store.addCall("severe", std::nullopt);
        store.answer("severe", Actor::dispatcher("ben"));
        store.setTriage("severe", triage(5));
        store.addCall("severe-critical", std::nullopt);
        store.answer("severe-critical", Actor::dispatcher("cruz"));
        store.setTriage("severe-critical", triage(5, true, false));
        store.addCall("untriaged", std::nullopt);
        store.answer("untriaged", Actor::dispatcher("dee"));
        store.addCall("done", std::nullopt);
        store.end("done", EndReason::Abandoned);
        later(2000);
        store.addCall("ring-new", std::nullopt);
        later(14'000); // ring-old has rung 17 s: amber
    }

private Q_SLOTS:
    void tilesAreSortedByUrgency()
    {
        CallStore store({}, [this] { return m_now; });
        fill(store);
        CallWallModel model(store);
        model.refresh();
        QStringList order;
        for (int row = 0; row < model.rowCount(); ++row)
            order << model.callIdAt(row);
        // The abandoned call waits for a callback: right after the ringing calls, as in the
        // queue, its clock counting from its end.
        QCOMPARE(order, QStringList({"ring-old", "ring-new", "done", "severe-critical", "severe",
                                     "mild", "untriaged"}));
        const QModelIndex callback = model.index(2);
        QCOMPARE(callback.data(CallWallModel::FollowUpRole).toString(), QString("Abandoned"));
        QCOMPARE(callback.data(CallWallModel::ElapsedMsRole).toLongLong(), 16'000);
        QCOMPARE(model.index(0).data(CallWallModel::FollowUpRole).toString(), QString());
        const QModelIndex first = model.index(0);
        QCOMPARE(first.data(CallWallModel::AnswerUrgencyRole).toInt(), 1);
        QCOMPARE(first.data(CallWallModel::AnswerClockMsRole).toLongLong(), 17'000);
        QCOMPARE(model.index(1).data(CallWallModel::AnswerUrgencyRole).toInt(), 0);
        const QModelIndex critical = model.index(3);
        QVERIFY(critical.data(CallWallModel::CriticalRole).toBool());
        QVERIFY(critical.data(CallWallModel::CannotSpeakRole).toBool());
        QCOMPARE(critical.data(CallWallModel::HandlerRole).toString(), QString("cruz"));
        QCOMPARE(critical.data(CallWallModel::AnswerClockMsRole).toLongLong(), -1);
        QCOMPARE(critical.data(CallWallModel::SeverityRole).toInt(), 5);

        // Past 20 s the oldest ringing call turns red; answering it moves it down, once the
        // coalescing timer has run.
        later(4000);
        model.refresh();
        QCOMPARE(model.index(0).data(CallWallModel::AnswerUrgencyRole).toInt(), 2);
        store.answer("ring-old", Actor::dispatcher("ana"));
        QCOMPARE(model.callIdAt(0), QString("ring-old")); // not yet: coalesced
        QTRY_COMPARE(model.callIdAt(0), QString("ring-new"));
        // Untriaged, it sorts with the other untriaged call, by ring time.
        QCOMPARE(model.callIdAt(model.rowCount() - 2), QString("ring-old"));
        // Called back: off the wall.
        const int rows = model.rowCount();
        QVERIFY(store.resolveFollowUp("done", FollowUp::CalledBack, Actor::dispatcher("ana")) ==
                CallStore::Result::Ok);
        QTRY_COMPARE(model.rowCount(), rows - 1);
        QVERIFY(!model.index(1).data(CallWallModel::FollowUpRole).toString().size());
    }

    void clockFormat()
    {
        QCOMPARE(wallClock(0), QString("0:00"));
        QCOMPARE(wallClock(17'400), QString("0:17"));
        QCOMPARE(wallClock(61'000), QString("1:01"));
        QCOMPARE(wallClock(3'723'000), QString("1:02:03"));
    }

    void wallShowsTilesAndRoomStatistics()
    {
        CallStore store({}, [this] { return m_now; });
        fill(store);
        CallWall wall(store);
        wall.resize(1600, 900);
        wall.show();
        QVERIFY(QTest::qWaitForWindowExposed(&wall));
        const QString stats = wall.statsText();
        QVERIFY2(stats.contains("Ringing 2"), qPrintable(stats));
        QVERIFY2(stats.contains("Active 4"), qPrintable(stats));
        QVERIFY2(stats.contains("Abandoned today 1"), qPrintable(stats));
        QVERIFY2(stats.contains("Callbacks due 1"), qPrintable(stats));
        QCOMPARE(wall.statTargetState(8), -1); // a caller waits for a callback
        QVERIFY2(stats.contains("Mean answer 0.0 s"), qPrintable(stats));
        // The answer-time shares name their NENA targets and say whether they are met: four
        // calls answered at once, one abandoned, one ringing 17 s (past 15 s, not yet 20 s).
        QVERIFY2(stats.contains("≤ 15 s today (target 90%) 67%"), qPrintable(stats));
        QVERIFY2(stats.contains("≤ 20 s today (target 95%) 80%"), qPrintable(stats));
        QCOMPARE(wall.statTargetState(3), -1);
        QCOMPARE(wall.statTargetState(4), -1);
        QCOMPARE(wall.statTargetState(0), 0); // no target
        QDir().mkpath(SCREENSHOT_DIR);
        QVERIFY(wall.grab().save(SCREENSHOT_DIR "/callwall.png"));
    }

    void targetsMetAreShownAsMet()
    {
        CallStore store({}, [this] { return m_now; });
        for (int i = 0; i < 10; ++i) {
            const QString id = QString("quick-%1").arg(i);
            store.addCall(id, std::nullopt);
            later(3000);
            store.answer(id, Actor::dispatcher("ana"));
        }
        CallWall wall(store);
        wall.model()->refresh();
        QCOMPARE(wall.statTargetState(3), 1);
        QCOMPARE(wall.statTargetState(4), 1);
    }

    void tilesFillTheScreenTheWallIsOn_data()
    {
        QTest::addColumn<QSize>("screen");
        QTest::addColumn<int>("columns");
        QTest::newRow("1366x768") << QSize(1366, 768) << 3;
        QTest::newRow("1920x1080") << QSize(1920, 1080) << 4;
        QTest::newRow("3840x2160") << QSize(3840, 2160) << 8;
        QTest::newRow("800x600") << QSize(800, 600) << 1;
    }

    void tilesFillTheScreenTheWallIsOn()
    {
        QFETCH(QSize, screen);
        QFETCH(int, columns);
        CallStore store({}, [this] { return m_now; });
        fill(store);
        CallWall wall(store);
        wall.show(); // at its default size first, then moved to its screen (as maximising does)
        QVERIFY(QTest::qWaitForWindowExposed(&wall));
        wall.resize(screen);
        QTRY_COMPARE(wall.size(), screen);
        const QSize tile = wall.tileSize();
        // As many columns as fit at the minimum width, and together they use the whole width
        // but for the scroll bar's room (a fixed 520 px tile left a third of 1920 empty).
        QVERIFY2(tile.width() >= CallWall::MinTileWidth || columns == 1,
                 qPrintable(QString::number(tile.width())));
        const QString got = QString("%1 px x %2").arg(tile.width()).arg(columns);
        QVERIFY2(tile.width() * columns <= screen.width(), qPrintable(got));
        QVERIFY2(tile.width() * columns >= screen.width() - 60, qPrintable(got));
        QCOMPARE(tile.height(),
                 tile.width() * WallTileDelegate::TileHeight / WallTileDelegate::TileWidth);
        QDir().mkpath(SCREENSHOT_DIR);
        QVERIFY(wall.grab().save(QString(SCREENSHOT_DIR "/callwall-%1x%2.png")
                                     .arg(screen.width())
                                     .arg(screen.height())));
    }
};

DISPATCH_UI_TEST_MAIN(TestCallWall)
#include "tst_callwall.moc"
