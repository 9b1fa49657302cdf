#include "alertstate.h"
#include "audioexitmain.h"
#include "callheader.h"
#include "callqueuemodel.h"
#include "calls/callstore.h"
#include "callurgencyorder.h"
#include "recentcalls.h"
#include "theme.h"
#include "transcriptmodel.h"
#include "vitalshistory.h"

#include <QSignalSpy>
#include <QTest>

using namespace dispatch;

class TestUiModels : public QObject
{
    Q_OBJECT

    QDateTime m_now = QDateTime(QDate(2026, 11, 22), QTime(4, 0), Qt::UTC);
    Clock clock()
    {
        return [this] { return m_now; };
    }

private Q_SLOTS:
    void contrastRatioFollowsWcag()
    {
        // WCAG 2's own reference points: black on white is 21:1, a colour on itself 1:1,
        // and #767676 is the darkest grey that still passes 4.5:1 on white.
        QCOMPARE(qRound(contrastRatio(Qt::black, Qt::white) * 10), 210);
        QCOMPARE(contrastRatio(QColor(0x12, 0x34, 0x56), QColor(0x12, 0x34, 0x56)), 1.0);
        QVERIFY(contrastRatio(QColor(0x76, 0x76, 0x76), Qt::white) >= 4.5);
        QVERIFY(contrastRatio(QColor(0x77, 0x77, 0x77), Qt::white) < 4.5);
    }

    void everyAlarmAndSeverityFillHasReadableText()
    {
        QList<QPair<QString, QColor>> fills = {
            {"untriaged", untriagedColor()},
            {"amber alarm", amberAlarmColor()},
            {"red alarm", redAlarmColor()},
        };
        for (int severity = 1; severity <= 5; ++severity)
            fills.append({QString("severity %1").arg(severity), severityColor(severity)});
        for (const auto &[name, fill] : fills) {
            const double ratio = contrastRatio(textColorOn(fill), fill);
            QVERIFY2(
                ratio >= 4.5,
                qPrintable(QString("%1 %2: %3:1").arg(name, fill.name()).arg(ratio, 0, 'f', 2)));
        }
        QVERIFY2(contrastRatio(lowConfidenceTextColor(), lowConfidenceColor()) >= 4.5,
                 "low-confidence badge");
    }

    void queueCellsUseTheReadableTextColour()
    {
        CallStore store({}, clock());
        CallQueueModel model(store);
        store.addCall("amber", std::nullopt);
        m_now = m_now.addSecs(16); // past 15 s: the ring clock turns amber (data() reads now)
        const QModelIndex ring = model.index(0, CallQueueModel::RingTime);
        const QColor fill = ring.data(Qt::BackgroundRole).value<QBrush>().color();
        const QColor text = ring.data(Qt::ForegroundRole).value<QBrush>().color();
        QCOMPARE(fill, amberAlarmColor());
        QVERIFY2(contrastRatio(text, fill) >= 4.5, qPrintable(text.name()));
    }

    // The engine sends codes with numbers; the words are the console's. Its technical detail
    // (English, for logs) is never shown.
    void aiLinkCodesBecomeText_data()
    {
        QTest::addColumn<TriageLink>("link");
        QTest::addColumn<QString>("text");
        using S = TriageLinkState;
        using R = TriageLinkReason;
        using F = TriageFailureKind;
        QTest::newRow("live") << TriageLink{S::Live, R::None, F::None, {}, "handed over"}
                              << "AI (Gemini) listening";
        QTest::newRow("waiting") << TriageLink{S::Local, R::WaitingForSlot, F::None, {2, 3}}
                                 << "local triage (waiting for an AI slot (2 of 3 in use))";
        QTest::newRow("breaker") << TriageLink{S::Local, R::BreakerOpen, F::Quota, {120}, "429"}
                                 << "local triage (AI unavailable (quota exceeded); retrying "
                                    "in 120 s)";
        QTest::newRow("fallback") << TriageLink{S::Local, R::Fallback, F::ApiKey, {}, "1007 …"}
                                  << "local triage (fallback: API key refused)";
        QTest::newRow("vertex credentials")
            << TriageLink{S::Local, R::BreakerOpen, F::Credentials, {600}, "HTTP 401"}
            << "local triage (AI unavailable (Vertex AI refused the service-account "
               "credentials); retrying in 600 s)";
        QTest::newRow("failed") << TriageLink{S::Failed, R::None, F::ModelNotFound}
                                << "AI failed (model not found)";
        QTest::newRow("meanwhile")
            << TriageLink{S::Resuming, R::LocalMeanwhile, F::None, {}, "connection lost"}
            << "AI reconnecting (local triage meanwhile)";
        QTest::newRow("no key") << TriageLink{S::Local, R::NoApiKey} << "local triage (no API key)";
        QTest::newRow("selected") << TriageLink{S::Local, R::LocalSelected}
                                  << "local triage (local triage selected)";
        QTest::newRow("none") << TriageLink{} << QString();
    }

    void aiLinkCodesBecomeText()
    {
        QFETCH(TriageLink, link);
        QFETCH(QString, text);
        QCOMPARE(CallHeader::aiLinkText(link), text);
    }

    void answerClockTurnsAmberThenRed()
    {
        CallStore store({}, clock());
        CallQueueModel model(store);
        store.addCall("a", std::nullopt);
        const QModelIndex cell = model.index(0, CallQueueModel::RingTime);
        QCOMPARE(model.data(cell, CallQueueModel::AnswerUrgencyRole).toInt(), 0);
        m_now = m_now.addMSecs(14'999);
        QCOMPARE(model.data(cell, CallQueueModel::AnswerUrgencyRole).toInt(), 0);
        m_now = m_now.addMSecs(1);
        QCOMPARE(model.data(cell, CallQueueModel::AnswerUrgencyRole).toInt(), 1);
        m_now = m_now.addMSecs(5'000);
        QCOMPARE(model.data(cell, CallQueueModel::AnswerUrgencyRole).toInt(), 2);
        QCOMPARE(model.data(cell).toString(), QString("0:20"));
        store.answer("a", Actor::dispatcher("me"));
        QCOMPARE(model.data(cell, CallQueueModel::AnswerUrgencyRole).toInt(), 0);
    }

    // A remote console that lost its host stops its clocks at the last moment it knew, greyed,
    // and counts on in the host's time once the link is back.
    void frozenClocksStopAndGrey()
    {
        CallStore store({}, clock());
        CallQueueModel model(store);
        store.addCall("a", std::nullopt);
        const QModelIndex ring = model.index(0, CallQueueModel::RingTime);
        m_now = m_now.addSecs(5);
        QCOMPARE(model.data(ring).toString(), QString("0:05"));
        const QVariant liveColour = model.data(ring, Qt::ForegroundRole);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        model.setFrozen(true);
        QCOMPARE(changed.count(), 1);
        m_now = m_now.addSecs(30);
        QCOMPARE(model.data(ring).toString(), QString("0:05"));
        const QVariant frozenColour = model.data(ring, Qt::ForegroundRole);
        QVERIFY(frozenColour != liveColour);
        QVERIFY(model.data(ring, Qt::ToolTipRole).toString().contains("host cannot be reached"));
        model.setFrozen(false);
        QCOMPARE(model.data(ring).toString(), QString("0:35"));
        // Live again: the clock's own colours (now red past 20 s), not the frozen grey.
        QVERIFY(model.data(ring, Qt::ForegroundRole) != frozenColour);
        QCOMPARE(model.data(ring, Qt::BackgroundRole).value<QBrush>().color(), redAlarmColor());
    }

    // The queue names the place by the site's address when there is one: a street is what a
    // dispatcher reads at a glance, coordinates are the fallback.
    void queueShowsTheSiteAddress()
    {
        CallStoreConfig config;
        config.addressLookup = [](const GeoLocation &l) {
            geo::AddressMatch m;
            m.radiusMeters = 50;
            if (l.latitude > 1) {
                m.status = geo::AddressStatus::Found;
                m.address.number = "7";
                m.address.streetName = "Elm";
                m.address.postType = "St";
                m.address.unit = "4B";
                m.address.community = "Springfield";
            } else {
                m.status = geo::AddressStatus::NoneWithin;
            }
            return m;
        };
        CallStore store(config, clock());
        CallQueueModel model(store);
        store.addCall("a", GeoLocation{1.5, 2.5, 10.0, m_now});
        store.addCall("b", GeoLocation{0.5, 2.5, 10.0, m_now});
        QCOMPARE(model.data(model.index(0, CallQueueModel::Location)).toString(),
                 QString("7 Elm St, Unit 4B"));
        QCOMPARE(model.data(model.index(1, CallQueueModel::Location)).toString(),
                 QString("0.5000, 2.5000"));
        store.updateLocation("a", GeoLocation{0.7, 2.5, 10.0, m_now}); // moved away from it
        QCOMPARE(model.data(model.index(0, CallQueueModel::Location)).toString(),
                 QString("0.7000, 2.5000"));
    }

    void queueFollowsTheStore()
    {
        CallStore store({}, clock());
        CallQueueModel model(store);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        store.addCall("a", GeoLocation{1.5, 2.5, 10.0, m_now});
        store.addCall("b", std::nullopt);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.data(model.index(0, CallQueueModel::State)).toString(), QString("Ringing"));
        store.answer("a", Actor::dispatcher("me"));
        QCOMPARE(model.data(model.index(0, CallQueueModel::State)).toString(),
                 QString("Active · me"));
        QVERIFY(changed.count() >= 1);
        TriageReport r;
        r.severity = 4;
        r.responseType = ResponseType::Fire;
        store.setTriage("a", r);
        QCOMPARE(model.data(model.index(0, CallQueueModel::Severity)).toInt(), 4);
        QCOMPARE(model.data(model.index(0, CallQueueModel::ResponseType)).toString(),
                 QString("fire"));
        QCOMPARE(model.data(model.index(0, CallQueueModel::Location)).toString(),
                 QString("1.5000, 2.5000"));
        QCOMPARE(model.data(model.index(1, CallQueueModel::Location)).toString(),
                 QString("unknown"));
        QCOMPARE(model.data(model.index(0, CallQueueModel::AiLink)).toString(), QString());
        store.setTriageLink("a", TriageLink{TriageLinkState::Local, TriageLinkReason::NoApiKey});
        QCOMPARE(model.data(model.index(0, CallQueueModel::AiLink)).toString(),
                 QString("local triage"));
    }

    // The live queue's order, one situation a row. A call is "id state severity alert age":
    // state ring/answered/hold/ended; severity "-" (untriaged), a number, or a number and "k"
    // (keywords only); alert "crit" (unacknowledged), "ack" (acknowledged) or "-"; age: seconds
    // since it started ringing.
    void queueIsInUrgencyOrder_data()
    {
        QTest::addColumn<QStringList>("calls");
        QTest::addColumn<QStringList>("order");
        QTest::newRow("critical pinned above ringing")
            << QStringList{"r ring - - 90", "c answered 2 crit 10"} << QStringList{"c", "r"};
        QTest::newRow("criticals among themselves by age")
            << QStringList{"c1 answered 5 crit 10", "r ring - - 90", "c2 ring - crit 40"}
            << QStringList{"c2", "c1", "r"};
        QTest::newRow("ringing oldest first")
            << QStringList{"r1 ring - - 10", "r2 ring - - 50", "r3 ring - - 30"}
            << QStringList{"r2", "r3", "r1"};
        QTest::newRow("ringing above handled calls of any severity")
            << QStringList{"a answered 5 - 100", "h hold 5 - 200", "r ring - - 5"}
            << QStringList{"r", "h", "a"};
        QTest::newRow("handled by severity, high first")
            << QStringList{"a1 answered 1 - 50", "a5 answered 5 - 10", "h3 hold 3 - 30",
                           "a4 answered 4 - 20"}
            << QStringList{"a5", "a4", "h3", "a1"};
        QTest::newRow("untriaged below 3, above 2")
            << QStringList{"u answered - - 100", "s3 answered 3 - 10", "s2 answered 2 - 50"}
            << QStringList{"s3", "u", "s2"};
        // Issue 18's question: an unconfirmed lead errs high, just below a confirmed call of
        // its severity; a low lead is no reassurance (never below "unknown").
        QTest::newRow("a 5? lead ranks above a confirmed 4, below a confirmed 5")
            << QStringList{"k answered 5k - 10", "s4 answered 4 - 50", "s5 answered 5 - 5",
                           "s3 answered 3 - 60"}
            << QStringList{"s5", "k", "s4", "s3"};
        QTest::newRow("a low lead ranks as unknown")
            << QStringList{"k1 answered 1k - 10", "s3 answered 3 - 5", "s2 answered 2 - 50",
                           "u answered - - 20"}
            << QStringList{"s3", "u", "k1", "s2"};
        QTest::newRow("ties by age, answered and held alike")
            << QStringList{"y answered 4 - 10", "o hold 4 - 60", "m answered 4 - 30"}
            << QStringList{"o", "m", "y"};
        QTest::newRow("acknowledged critical ranks by its severity")
            << QStringList{"c answered 5 ack 10", "r ring - - 5", "o answered 5 - 60"}
            << QStringList{"r", "o", "c"};
        QTest::newRow("ended calls are not in the queue")
            << QStringList{"e ended 5 - 100", "r ring - - 5"} << QStringList{"r"};
        // Issue 18: someone must call back, so right after the ringing calls, oldest first.
        QTest::newRow("abandoned calls wait after the ringing ones")
            << QStringList{"a answered 5 - 300", "ab2 abandoned - - 100", "r ring - - 5",
                           "ab1 abandoned 2 - 200"}
            << QStringList{"r", "ab1", "ab2", "a"};
    }

    void queueIsInUrgencyOrder()
    {
        QFETCH(QStringList, calls);
        QFETCH(QStringList, order);
        CallStore store({}, clock());
        AlertState alerts(store);
        CallQueueModel model(store);
        CallUrgencyOrder urgency(model, store, alerts);
        const QDateTime base = m_now;
        for (const QString &spec : calls) {
            const QStringList f = spec.split(' ');
            QCOMPARE(f.size(), 5);
            m_now = base.addSecs(-f[4].toInt());
            QCOMPARE(store.addCall(f[0], std::nullopt), CallStore::Result::Ok);
        }
        m_now = base;
        for (const QString &spec : calls) {
            const QStringList f = spec.split(' ');
            const QString &id = f[0];
            if (f[1] != "ring" && f[1] != "abandoned")
                QCOMPARE(store.answer(id, Actor::dispatcher("me")), CallStore::Result::Ok);
            if (f[1] == "hold")
                QCOMPARE(store.hold(id, Actor::dispatcher("me")), CallStore::Result::Ok);
            if (f[2] != "-") {
                TriageReport r;
                r.severity = QString(f[2]).remove('k').toInt();
                if (f[2].endsWith('k'))
                    r.confidence = TriageConfidence::KeywordsOnly;
                QCOMPARE(store.setTriage(id, r), CallStore::Result::Ok);
            }
            if (f[3] != "-")
                QCOMPARE(store.flagCritical(id, "not breathing", 5), CallStore::Result::Ok);
            if (f[3] == "ack")
                QCOMPARE(store.acknowledgeCritical(id, Actor::dispatcher("me")),
                         CallStore::Result::Ok);
            if (f[1] == "ended")
                QCOMPARE(store.end(id, EndReason::CallerHungUp), CallStore::Result::Ok);
            if (f[1] == "abandoned")
                QCOMPARE(store.end(id, EndReason::Abandoned), CallStore::Result::Ok);
        }
        QStringList shown;
        for (int row = 0; row < urgency.rowCount(); ++row)
            shown << urgency.callIdAt(row);
        QCOMPARE(shown, order);
        // The order is a property of the calls, not of the order they changed in.
        urgency.invalidate();
        shown.clear();
        for (int row = 0; row < urgency.rowCount(); ++row)
            shown << urgency.callIdAt(row);
        QCOMPARE(shown, order);
    }

    // The queue re-sorts as calls change: a new critical alert pins, its acknowledgement
    // unpins, an answer moves a call out of the ringing block, an end takes it out.
    void queueOrderFollowsTheCalls()
    {
        CallStore store({}, clock());
        AlertState alerts(store);
        CallQueueModel model(store);
        CallUrgencyOrder urgency(model, store, alerts);
        auto shown = [&] {
            QStringList ids;
            for (int row = 0; row < urgency.rowCount(); ++row)
                ids << urgency.callIdAt(row);
            return ids;
        };
        store.addCall("a", std::nullopt);
        m_now = m_now.addSecs(5);
        store.addCall("b", std::nullopt);
        QCOMPARE(shown(), QStringList({"a", "b"}));
        QCOMPARE(urgency.topRingingCall(), QString("a"));
        store.answer("a", Actor::dispatcher("me"));
        QCOMPARE(shown(), QStringList({"b", "a"}));
        QCOMPARE(urgency.topRingingCall(), QString("b"));
        store.flagCritical("a", "not breathing", 5);
        QCOMPARE(shown(), QStringList({"a", "b"}));
        QCOMPARE(urgency.topRingingCall(), QString("b"));
        QCOMPARE(store.acknowledgeCritical("a", Actor::dispatcher("me")), CallStore::Result::Ok);
        QCOMPARE(shown(), QStringList({"b", "a"}));
        // Abandoned: it waits for a call back, above the handled calls, until followed up.
        store.end("b", EndReason::CallerHungUp);
        QCOMPARE(shown(), QStringList({"b", "a"}));
        QVERIFY(urgency.topRingingCall().isEmpty());
        store.resolveFollowUp("b", FollowUp::CalledBack, Actor::dispatcher("me"));
        QCOMPARE(shown(), QStringList({"a"}));
        QCOMPARE(urgency.rowOf("b"), -1);
    }

    // Ended calls, most recent end first, only the last few.
    void recentCallsAreTheLastEnded()
    {
        CallStore store({}, clock());
        CallQueueModel model(store);
        RecentCalls recent(model, store, 3);
        for (const char *id : {"e1", "e2", "e3", "e4", "e5", "live"})
            store.addCall(id, std::nullopt);
        auto shown = [&] {
            QStringList ids;
            for (int row = 0; row < recent.rowCount(); ++row)
                ids << recent.callIdAt(row);
            return ids;
        };
        QVERIFY(shown().isEmpty());
        const Actor me = Actor::dispatcher("me");
        for (const char *id : {"e2", "e1", "e3"}) {
            m_now = m_now.addSecs(1);
            store.end(id, EndReason::DispatcherEnded, me);
        }
        QCOMPARE(shown(), QStringList({"e3", "e1", "e2"}));
        // An abandoned call is not recent before its follow-up: it waits in the queue.
        store.addCall("ab", std::nullopt);
        store.end("ab", EndReason::CallerHungUp);
        QCOMPARE(recent.rowOf("ab"), -1);
        QCOMPARE(shown(), QStringList({"e3", "e1", "e2"}));
        for (const char *id : {"e5", "e4"}) {
            m_now = m_now.addSecs(1);
            store.end(id, EndReason::DispatcherEnded, me);
        }
        QCOMPARE(shown(), QStringList({"e4", "e5", "e3"}));
        QCOMPARE(recent.rowOf("live"), -1);
        QCOMPARE(recent.rowOf("e2"), -1);
    }

    void transcriptReplacesPartials()
    {
        CallStore store({}, clock());
        TranscriptModel model(store);
        store.addCall("a", std::nullopt);
        model.setCall("a");
        store.addTranscript("a", {m_now, Speaker::Caller, "my hus", false});
        store.addTranscript("a", {m_now, Speaker::Caller, "my husband", true});
        store.addTranscript("a", {m_now, Speaker::CallerText, "he is blue", true});
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(model.data(model.index(0)).toString().contains("my husband"));
        QVERIFY(!model.data(model.index(0)).toString().contains(QChar(0x2026)));
        QVERIFY(model.data(model.index(1)).toString().contains("Caller (typed)"));
        store.addTranscript("b", {m_now, Speaker::Caller, "other call", true}); // unknown: refused
        QCOMPARE(model.rowCount(), 2);
    }

    void alertStateTracksRingingAndCriticals()
    {
        CallStore store({}, clock());
        AlertState alerts(store);
        QSignalSpy ringing(&alerts, &AlertState::ringingChanged);
        store.addCall("a", std::nullopt);
        QVERIFY(alerts.anyRinging());
        store.answer("a", Actor::dispatcher("me"));
        QVERIFY(!alerts.anyRinging());
        QCOMPARE(ringing.count(), 2);
        store.flagCritical("a", "not breathing", 5);
        QVERIFY(alerts.hasUnacknowledgedCritical("a"));
        QCOMPARE(alerts.critical("a").reason, QString("not breathing"));
        QSignalSpy acknowledged(&alerts, &AlertState::criticalAcknowledged);
        QCOMPARE(store.acknowledgeCritical("a", Actor::dispatcher("me")), CallStore::Result::Ok);
        QVERIFY(!alerts.hasUnacknowledgedCritical("a"));
        QCOMPARE(acknowledged.count(), 1);
        // A new flag re-opens it; the call's end stops it alarming.
        QSignalSpy raised(&alerts, &AlertState::criticalRaised);
        store.flagCritical("a", "no pulse", 5);
        QCOMPARE(raised.count(), 1);
        QCOMPARE(alerts.unacknowledgedCalls(), QList<QString>({"a"}));
        QCOMPARE(store.end("a", EndReason::CallerHungUp), CallStore::Result::Ok);
        QCOMPARE(acknowledged.count(), 2);
        QVERIFY(alerts.unacknowledgedCalls().isEmpty());
    }

    void vitalsHistoryIsBoundedPerCall()
    {
        CallStore store({}, clock());
        VitalsHistory history(store);
        store.addCall("a", std::nullopt);
        for (int i = 0; i < VitalsHistory::MaxSamples + 10; ++i) {
            VitalsSample s;
            s.heartRate = 60 + i % 40;
            store.addVitals("a", s);
        }
        QCOMPARE(history.samples("a").size(), VitalsHistory::MaxSamples);
        QVERIFY(history.samples("none").isEmpty());
    }
};

DISPATCH_UI_TEST_MAIN(TestUiModels)
#include "tst_uimodels.moc"
