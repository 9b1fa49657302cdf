// A critical flag and its acknowledgement in the engine: who acknowledged and when is kept with
// the call, a new flag re-opens it, and a dispatcher's override can set or clear critical.
#include "calls/callstore.h"
#include "calls/localcallactions.h"

#include <QSignalSpy>
#include <QTest>

using namespace dispatch;

class TestCriticalAlerts : public QObject
{
    Q_OBJECT

private:
    QDateTime m_now = QDateTime(QDate(2026, 11, 22), QTime(3, 0), Qt::UTC);
    Clock fakeClock()
    {
        return [this] { return m_now; };
    }
    static int count(const Call &c, CallEventKind kind)
    {
        return int(std::count_if(c.timeline.cbegin(), c.timeline.cend(),
                                 [kind](const CallEvent &e) { return e.kind == kind; }));
    }

private Q_SLOTS:
    void acknowledgementNamesWhoAndWhen()
    {
        CallStore store({}, fakeClock());
        QVERIFY(store.addCall("c", std::nullopt) == CallStore::Result::Ok);
        QVERIFY(store.answer("c", Actor::dispatcher("ana")) == CallStore::Result::Ok);
        QVERIFY(!store.call("c")->criticalAlert.isRaised());
        // Nothing to acknowledge yet.
        QVERIFY(store.acknowledgeCritical("c", Actor::dispatcher("ana")) ==
                CallStore::Result::InvalidTransition);

        const QDateTime raised = m_now.addSecs(5);
        m_now = raised;
        QVERIFY(store.flagCritical("c", "not breathing", 5) == CallStore::Result::Ok);
        QVERIFY(store.call("c")->hasUnacknowledgedCritical());
        QCOMPARE(store.call("c")->criticalAlert.raisedAt, raised);
        QCOMPARE(store.call("c")->criticalAlert.reason, QString("not breathing"));

        QSignalSpy acknowledged(&store, &CallStore::criticalAcknowledged);
        QSignalSpy timeline(&store, &CallStore::timelineAppended);
        m_now = m_now.addSecs(7);
        QVERIFY(store.acknowledgeCritical("c", Actor::supervisor("sam")) == CallStore::Result::Ok);
        const CriticalAlert &alert = store.call("c")->criticalAlert;
        QVERIFY(alert.isAcknowledged() && !alert.isOpen());
        QVERIFY(!store.call("c")->hasUnacknowledgedCritical());
        QVERIFY(alert.acknowledgedBy == Actor::supervisor("sam"));
        QCOMPARE(alert.acknowledgedAt, m_now);
        QCOMPARE(acknowledged.count(), 1);
        QCOMPARE(acknowledged.at(0).at(0).toString(), QString("c"));
        QCOMPARE(acknowledged.at(0).at(2).toDateTime(), m_now);
        QCOMPARE(timeline.count(), 1);
        const CallEvent event = store.call("c")->timeline.constLast();
        QVERIFY(event.kind == CallEventKind::CriticalAcknowledged);
        QCOMPARE(event.detail, QString("sam"));
        QVERIFY(event.actor == Actor::supervisor("sam"));

        // A second acknowledgement (another console was slower) keeps the first one's.
        m_now = m_now.addSecs(1);
        QVERIFY(store.acknowledgeCritical("c", Actor::dispatcher("ana")) == CallStore::Result::Ok);
        QVERIFY(store.call("c")->criticalAlert.acknowledgedBy == Actor::supervisor("sam"));
        QCOMPARE(acknowledged.count(), 1);
        QCOMPARE(count(*store.call("c"), CallEventKind::CriticalAcknowledged), 1);
    }

    void aNewFlagReopensIt()
    {
        CallStore store({}, fakeClock());
        QVERIFY(store.addCall("c", std::nullopt) == CallStore::Result::Ok);
        QVERIFY(store.flagCritical("c", "weapon", 4) == CallStore::Result::Ok);
        QVERIFY(store.acknowledgeCritical("c", Actor::dispatcher("ana")) == CallStore::Result::Ok);
        m_now = m_now.addSecs(30);
        QVERIFY(store.flagCritical("c", "shots fired", 5) == CallStore::Result::Ok);
        const CriticalAlert &alert = store.call("c")->criticalAlert;
        QVERIFY(alert.isOpen());
        QVERIFY(!alert.acknowledgedAt.isValid());
        QCOMPARE(alert.reason, QString("shots fired"));
        QCOMPARE(alert.severity, 5);
        QCOMPARE(alert.raisedAt, m_now);
        QVERIFY(store.acknowledgeCritical("c", Actor::dispatcher("ben")) == CallStore::Result::Ok);
        QVERIFY(store.call("c")->criticalAlert.acknowledgedBy == Actor::dispatcher("ben"));
        QCOMPARE(count(*store.call("c"), CallEventKind::CriticalAcknowledged), 2);
    }

    void refusedOnUnknownAndEndedCalls()
    {
        CallStore store({}, fakeClock());
        QVERIFY(store.acknowledgeCritical("nobody", Actor::dispatcher("ana")) ==
                CallStore::Result::UnknownCall);
        QVERIFY(store.addCall("c", std::nullopt) == CallStore::Result::Ok);
        QVERIFY(store.flagCritical("c", "not breathing", 5) == CallStore::Result::Ok);
        QVERIFY(store.end("c", EndReason::CallerHungUp) == CallStore::Result::Ok);
        // An ended call alarms no more, and its flag cannot be acknowledged after the fact.
        QVERIFY(!store.call("c")->hasUnacknowledgedCritical());
        QVERIFY(store.acknowledgeCritical("c", Actor::dispatcher("ana")) ==
                CallStore::Result::CallEnded);

        // The console's actions word the refusals as codes.
        LocalCallActions actions(store, Actor::dispatcher("ana"));
        QSignalSpy refused(&actions, &CallActions::refused);
        actions.acknowledgeCritical("c");
        actions.acknowledgeCritical("nobody");
        QCOMPARE(refused.count(), 2);
        const auto first = refused.at(0).at(0).value<CallRefusal>();
        QVERIFY(first.reason == CallRefusal::Reason::CallEnded);
        QVERIFY(first.action == CallRefusal::Action::AcknowledgeCritical);
        QVERIFY(refused.at(1).at(0).value<CallRefusal>().reason ==
                CallRefusal::Reason::UnknownCall);
    }

    void localActionsAcknowledgeAsTheOperator()
    {
        CallStore store({}, fakeClock());
        LocalCallActions actions(store, Actor::dispatcher("console"));
        QSignalSpy refused(&actions, &CallActions::refused);
        QVERIFY(store.addCall("c", std::nullopt) == CallStore::Result::Ok);
        QVERIFY(store.flagCritical("c", "not breathing", 5) == CallStore::Result::Ok);
        actions.acknowledgeCritical("c");
        QVERIFY(store.call("c")->criticalAlert.acknowledgedBy == Actor::dispatcher("console"));
        QCOMPARE(refused.count(), 0);
    }

    // The override replaces type, severity, critical and summary and keeps the note; the AI's
    // report stays in the history beside it and later AI reports do not replace it. Clearing
    // critical acknowledges an open flag in the overrider's name.
    void overrideReplacesTheAssessment()
    {
        CallStore store({}, fakeClock());
        QVERIFY(store.addCall("c", std::nullopt) == CallStore::Result::Ok);
        QVERIFY(store.answer("c", Actor::dispatcher("ana")) == CallStore::Result::Ok);
        TriageReport ai;
        ai.source = TriageSource::Gemini;
        ai.situationSummary = "Man collapsed, not breathing";
        ai.responseType = ResponseType::Medical;
        ai.severity = 5;
        ai.critical = true;
        ai.criticalReason = "not breathing";
        QVERIFY(store.setTriage("c", ai) == CallStore::Result::Ok);
        QVERIFY(store.flagCritical("c", "not breathing", 5) == CallStore::Result::Ok);

        TriageReport human = ai;
        human.source = TriageSource::Gemini; // whatever the caller of the command says
        human.situationSummary = "Fainted, breathing normally, conscious now";
        human.responseType = ResponseType::Police;
        human.severity = 2;
        human.critical = false;
        human.note = "spoke with him myself";
        QSignalSpy acknowledged(&store, &CallStore::criticalAcknowledged);
        QVERIFY(store.overrideTriage("c", human, Actor::dispatcher("ana")) ==
                CallStore::Result::Ok);
        const Call *c = store.call("c");
        QVERIFY(c->triage->source == TriageSource::Dispatcher);
        QCOMPARE(c->triage->situationSummary, human.situationSummary);
        QVERIFY(c->triage->responseType == ResponseType::Police);
        QCOMPARE(c->triage->severity, 2);
        QVERIFY(!c->triage->critical);
        QCOMPARE(c->triage->note, QString("spoke with him myself"));
        QCOMPARE(c->triageHistory.size(), 2);
        QVERIFY(c->triageHistory.at(0).source == TriageSource::Gemini);
        QCOMPARE(c->triageHistory.at(0).situationSummary, ai.situationSummary);
        QCOMPARE(acknowledged.count(), 1);
        QVERIFY(c->criticalAlert.acknowledgedBy == Actor::dispatcher("ana"));
        QCOMPARE(count(*c, CallEventKind::TriageOverridden), 1);

        // A later AI report goes to the history only.
        QVERIFY(store.setTriage("c", ai) == CallStore::Result::Ok);
        QCOMPARE(store.call("c")->triage->note, QString("spoke with him myself"));
        QCOMPARE(store.call("c")->triageHistory.size(), 3);

        // The dispatcher may set critical too: that is their call, it raises no alarm.
        human.critical = true;
        human.criticalReason = "agonal breathing";
        QVERIFY(store.overrideTriage("c", human, Actor::dispatcher("ana")) ==
                CallStore::Result::Ok);
        QVERIFY(store.call("c")->triage->critical);
        QVERIFY(!store.call("c")->hasUnacknowledgedCritical());
        QCOMPARE(acknowledged.count(), 1);
    }

    // A call restored from another store (a remote console's mirror) keeps the acknowledgement
    // it had, and alarms only when it was open; without one the timeline says what it is.
    void restoreKeepsTheAcknowledgement()
    {
        CallStore host({}, fakeClock());
        QVERIFY(host.addCall("c", std::nullopt) == CallStore::Result::Ok);
        QVERIFY(host.flagCritical("c", "not breathing", 5) == CallStore::Result::Ok);
        m_now = m_now.addSecs(3);
        QVERIFY(host.acknowledgeCritical("c", Actor::dispatcher("ana")) == CallStore::Result::Ok);

        CallStore mirror({}, fakeClock());
        QSignalSpy flagged(&mirror, &CallStore::criticalFlagged);
        QVERIFY(mirror.restore(*host.call("c")) == CallStore::Result::Ok);
        QCOMPARE(flagged.count(), 0);
        QCOMPARE(mirror.call("c")->criticalAlert.acknowledgedAt, m_now);

        Call fromTimeline = *host.call("c");
        fromTimeline.id = "t";
        fromTimeline.criticalAlert = {};
        CallStore older({}, fakeClock());
        QSignalSpy olderFlagged(&older, &CallStore::criticalFlagged);
        QVERIFY(older.restore(fromTimeline) == CallStore::Result::Ok);
        QCOMPARE(olderFlagged.count(), 0);
        QVERIFY(older.call("t")->criticalAlert.isAcknowledged());
        QCOMPARE(older.call("t")->criticalAlert.acknowledgedBy.name, QString("ana"));

        fromTimeline.id = "open";
        fromTimeline.timeline.removeLast(); // the acknowledgement
        QVERIFY(older.restore(fromTimeline) == CallStore::Result::Ok);
        QCOMPARE(olderFlagged.count(), 1);
        QVERIFY(older.call("open")->hasUnacknowledgedCritical());
    }
};

QTEST_GUILESS_MAIN(TestCriticalAlerts)
#include "tst_criticalalerts.moc"
