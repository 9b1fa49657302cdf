#include "calls/callstore.h"
#include "calls/localcallactions.h"
#include "fakeclocks.h"

#include <QSignalSpy>
#include <QTest>

using namespace dispatch;

class TestCallStore : public QObject
{
    Q_OBJECT

private:
    QDateTime m_now = QDateTime(QDate(2026, 11, 22), QTime(3, 0), Qt::UTC);
    Clock fakeClock()
    {
        return [this] { return m_now; };
    }
    FakeClocks m_clocks;

private Q_SLOTS:
    void stateMachine_data()
    {
        QTest::addColumn<int>("from");
        QTest::addColumn<int>("to");
        QTest::addColumn<bool>("valid");
        auto row = [](const char *name, CallState f, CallState t, bool v) {
            QTest::newRow(name) << int(f) << int(t) << v;
        };
        row("ring->answer", CallState::Ringing, CallState::Answered, true);
        row("ring->end", CallState::Ringing, CallState::Ended, true);
        row("ring->hold", CallState::Ringing, CallState::OnHold, false);
        row("answer->hold", CallState::Answered, CallState::OnHold, true);
        row("answer->end", CallState::Answered, CallState::Ended, true);
        row("answer->ring", CallState::Answered, CallState::Ringing, false);
        row("hold->answer", CallState::OnHold, CallState::Answered, true);
        row("hold->end", CallState::OnHold, CallState::Ended, true);
        row("end->answer", CallState::Ended, CallState::Answered, false);
        row("end->ring", CallState::Ended, CallState::Ringing, false);
    }
    void stateMachine()
    {
        QFETCH(int, from);
        QFETCH(int, to);
        QFETCH(bool, valid);
        QCOMPARE(isValidTransition(CallState(from), CallState(to)), valid);
    }

    void fullCallTimeline()
    {
        CallStore store({}, fakeClock());
        QSignalSpy added(&store, &CallStore::callAdded);
        QSignalSpy ended(&store, &CallStore::callEnded);
        GeoLocation where{52.52, 13.405, 12.0, m_now};
        QCOMPARE(store.addCall(QStringLiteral("c1"), where), CallStore::Result::Ok);
        QCOMPARE(added.count(), 1);
        QCOMPARE(store.addCall(QStringLiteral("c1"), where), CallStore::Result::AlreadyExists);

        m_now = m_now.addMSecs(12500);
        QCOMPARE(store.answer(QStringLiteral("c1"), Actor::dispatcher(QStringLiteral("alice"))),
                 CallStore::Result::Ok);
        QCOMPARE(store.answer(QStringLiteral("c1"), Actor::dispatcher(QStringLiteral("bob"))),
                 CallStore::Result::InvalidTransition);
        const Call *c = store.call(QStringLiteral("c1"));
        QVERIFY(c);
        QCOMPARE(c->answeredBy, QStringLiteral("alice"));
        QCOMPARE(c->answerMilliseconds(m_now), 12500);

        QCOMPARE(store.hold(QStringLiteral("c1"), Actor::supervisor("carol")),
                 CallStore::Result::Ok);
        QCOMPARE(store.resume(QStringLiteral("c1"), Actor::admin("admin@10.0.0.5")),
                 CallStore::Result::Ok);
        QCOMPARE(store.resume(QStringLiteral("c1"), Actor::dispatcher("alice")),
                 CallStore::Result::InvalidTransition);
        // The timeline names who did each thing, not the call's owner (alice).
        const QList<CallEvent> &events = store.call(QStringLiteral("c1"))->timeline;
        QCOMPARE(toString(events.at(events.size() - 2).actor), QString("supervisor:carol"));
        QCOMPARE(toString(events.constLast().actor), QString("admin:admin@10.0.0.5"));

        TriageReport report;
        report.severity = 4;
        report.source = TriageSource::Gemini;
        m_now = m_now.addSecs(3);
        QCOMPARE(store.setTriage(QStringLiteral("c1"), report), CallStore::Result::Ok);
        QCOMPARE(c->firstTriageAt, m_now);

        QCOMPARE(
            store.end(QStringLiteral("c1"), EndReason::DispatcherEnded, Actor::dispatcher("alice")),
            CallStore::Result::Ok);
        QCOMPARE(ended.count(), 1);
        QCOMPARE(
            store.end(QStringLiteral("c1"), EndReason::DispatcherEnded, Actor::dispatcher("alice")),
            CallStore::Result::CallEnded);
        QCOMPARE(store.addAudio(QStringLiteral("c1"), QByteArray(320, 'a')),
                 CallStore::Result::CallEnded);

        QStringList kinds;
        for (const auto &e : c->timeline)
            kinds << toString(e.kind);
        QCOMPARE(kinds,
                 (QStringList{"rang", "answered", "held", "resumed", "first_triage", "ended"}));
    }

    void callerHangUpWhileRingingIsAbandoned()
    {
        CallStore store({}, fakeClock());
        store.addCall(QStringLiteral("c2"), std::nullopt);
        store.end(QStringLiteral("c2"), EndReason::CallerHungUp);
        QCOMPARE(toString(store.call(QStringLiteral("c2"))->endReason),
                 QStringLiteral("abandoned"));
    }

    void unknownCallsAreRefused()
    {
        CallStore store({}, fakeClock());
        QCOMPARE(store.answer(QStringLiteral("nope"), Actor::dispatcher(QString())),
                 CallStore::Result::UnknownCall);
        QCOMPARE(store.addAudio(QStringLiteral("nope"), QByteArray(2, 0)),
                 CallStore::Result::UnknownCall);
    }

    void backlogIsBoundedAndHandedOverAtAnswer()
    {
        CallStoreConfig config;
        config.backlogAudioBytes = 1000;
        config.backlogFrames = 2;
        config.monotonic = m_clocks.monotonic();
        CallStore store(config, m_clocks.wallClock());
        store.addCall(QStringLiteral("c3"), std::nullopt);
        for (int i = 0; i < 10; ++i)
            store.addAudio(QStringLiteral("c3"), QByteArray(300, char('0' + i)));
        for (int i = 0; i < 5; ++i) {
            store.addFrame(QStringLiteral("c3"), QByteArray(10, char('a' + i)));
            store.addFrame(QStringLiteral("c3"), QByteArray(10, 'x')); // same second: dropped
            m_clocks.advance(1000);
        }

        QList<QByteArray> gotAudio;
        QList<QByteArray> gotFrames;
        qint64 dropped = 0;
        connect(&store, &CallStore::callAnswered, this,
                [&](const QString &, const MediaBacklog &b) {
                    gotAudio = b.audio();
                    gotFrames = b.frames();
                    dropped = b.droppedAudioBytes();
                });
        store.answer(QStringLiteral("c3"), Actor::dispatcher(QStringLiteral("alice")));
        QCOMPARE(gotAudio.size(), 3); // 900 bytes: the newest three chunks
        QCOMPARE(gotAudio.constFirst().at(0), '7');
        QCOMPARE(gotAudio.constLast().at(0), '9');
        QCOMPARE(dropped, 2100);
        QCOMPARE(gotFrames.size(), 2);
        QCOMPARE(gotFrames.constFirst().at(0), 'd');
        QCOMPARE(gotFrames.constLast().at(0), 'e');
        QCOMPARE(store.call(QStringLiteral("c3"))->audioBytes, 3000);
    }

    // The frame interval is a duration: a wall clock set back an hour (NTP, a person) must not
    // make the backlog drop every frame for the next hour, nor one set forward let a burst in.
    void backlogFrameIntervalIgnoresWallClockSteps()
    {
        CallStoreConfig config;
        config.backlogFrames = 10;
        config.monotonic = m_clocks.monotonic();
        CallStore store(config, m_clocks.wallClock());
        store.addCall(QStringLiteral("steps"), std::nullopt);
        store.addFrame(QStringLiteral("steps"), QByteArray(10, 'a'));
        m_clocks.wall = m_clocks.wall.addSecs(-3600);
        m_clocks.monotonicMs += 1000;
        store.addFrame(QStringLiteral("steps"), QByteArray(10, 'b')); // a second later: kept
        m_clocks.wall = m_clocks.wall.addSecs(7200);
        m_clocks.monotonicMs += 10;
        store.addFrame(QStringLiteral("steps"), QByteArray(10, 'c')); // 10 ms later: dropped

        QList<QByteArray> frames;
        connect(&store, &CallStore::callAnswered, this,
                [&](const QString &, const MediaBacklog &b) { frames = b.frames(); });
        store.answer(QStringLiteral("steps"), Actor::dispatcher(QStringLiteral("alice")));
        QCOMPARE(frames, QList<QByteArray>({QByteArray(10, 'a'), QByteArray(10, 'b')}));
    }

    void dispatcherOverrideIsNotReplacedByAi()
    {
        CallStore store({}, fakeClock());
        store.addCall(QStringLiteral("c4"), std::nullopt);
        TriageReport human;
        human.source = TriageSource::Dispatcher;
        human.severity = 5;
        store.setTriage(QStringLiteral("c4"), human);
        TriageReport ai;
        ai.source = TriageSource::Local;
        ai.severity = 2;
        store.setTriage(QStringLiteral("c4"), ai);
        const Call *c = store.call(QStringLiteral("c4"));
        QCOMPARE(c->triage->severity, 5);
        QCOMPARE(c->triageHistory.size(), 2);
        QVERIFY(c->firstTriageAt.isValid());
    }

    void partialTranscriptIsReplaced()
    {
        CallStore store({}, fakeClock());
        store.addCall(QStringLiteral("c5"), std::nullopt);
        store.addTranscript(QStringLiteral("c5"), {m_now, Speaker::Caller, "my hus", false});
        store.addTranscript(QStringLiteral("c5"), {m_now, Speaker::Caller, "my husband", false});
        store.addTranscript(QStringLiteral("c5"),
                            {m_now, Speaker::Caller, "my husband collapsed", true});
        store.addTranscript(QStringLiteral("c5"), {m_now, Speaker::Caller, "he is", false});
        const auto &t = store.call(QStringLiteral("c5"))->transcript;
        QCOMPARE(t.size(), 2);
        QCOMPARE(t.at(0).text, QStringLiteral("my husband collapsed"));
        QVERIFY(!t.at(1).final);
    }

    void triageLinkAndPrearrivalOffers()
    {
        CallStore store({}, fakeClock());
        QSignalSpy links(&store, &CallStore::triageLinkChanged);
        QSignalSpy offers(&store, &CallStore::prearrivalOffered);
        store.addCall(QStringLiteral("c6"), std::nullopt);
        QCOMPARE(toString(store.call(QStringLiteral("c6"))->triageLink.state), "none");
        const TriageLink live{TriageLinkState::Live};
        QCOMPARE(store.setTriageLink(QStringLiteral("c6"), live), CallStore::Result::Ok);
        QCOMPARE(store.setTriageLink(QStringLiteral("c6"), live), CallStore::Result::Ok);
        QCOMPARE(links.count(), 1); // unchanged: no signal
        store.setTriageLink(
            QStringLiteral("c6"),
            {TriageLinkState::Local, TriageLinkReason::Fallback, TriageFailureKind::Quota});
        QCOMPARE(links.count(), 2);
        QVERIFY(store.call(QStringLiteral("c6"))->triageLink.reason == TriageLinkReason::Fallback);

        for (int i = 0; i < Call::MaxPrearrivalOffers + 3; ++i)
            store.addPrearrival(QStringLiteral("c6"), {QDateTime(), "cpr", "CPR", {"push"}});
        QCOMPARE(offers.count(), Call::MaxPrearrivalOffers + 3);
        QCOMPARE(store.call(QStringLiteral("c6"))->prearrival.size(), Call::MaxPrearrivalOffers);
        QCOMPARE(store.call(QStringLiteral("c6"))->prearrival.constLast().at, m_now);

        store.end(QStringLiteral("c6"), EndReason::DispatcherEnded, Actor::dispatcher("alice"));
        QCOMPARE(store.setTriageLink(QStringLiteral("c6"), live), CallStore::Result::CallEnded);
        QCOMPARE(store.addPrearrival(QStringLiteral("c6"), {}), CallStore::Result::CallEnded);
        QCOMPARE(store.setTriageLink(QStringLiteral("nope"), live), CallStore::Result::UnknownCall);
    }

    void endedCallsArePruned()
    {
        CallStoreConfig config;
        config.maxEndedCallsKept = 2;
        CallStore store(config, fakeClock());
        QSignalSpy removed(&store, &CallStore::callRemoved);
        store.addCall(QStringLiteral("live"), std::nullopt);
        for (int i = 0; i < 4; ++i) {
            const QString id = QStringLiteral("e%1").arg(i);
            store.addCall(id, std::nullopt);
            store.end(id, EndReason::DispatcherEnded, Actor::dispatcher("alice"));
        }
        QCOMPARE(removed.count(), 2);
        QVERIFY(store.call(QStringLiteral("live")));
        QVERIFY(!store.call(QStringLiteral("e0")));
        QVERIFY(store.call(QStringLiteral("e3")));
        QCOMPARE(store.calls().size(), 3);
    }

    // The console's actions are refused with codes (ui/ words them), never with engine text.
    void refusedActionsCarryCodes()
    {
        CallStore store;
        LocalCallActions ana(store, Actor::dispatcher("ana"));
        LocalCallActions ben(store, Actor::dispatcher("ben"));
        QList<CallRefusal> refusals;
        QObject::connect(&ben, &CallActions::refused, &ben,
                         [&refusals](const CallRefusal &r) { refusals << r; });
        QCOMPARE(store.addCall("r1", std::nullopt), CallStore::Result::Ok);
        ana.answer("r1");
        ben.answer("r1");
        QCOMPARE(refusals.size(), 1);
        QVERIFY(refusals.at(0).reason == CallRefusal::Reason::AnsweredByOther);
        QVERIFY(refusals.at(0).action == CallRefusal::Action::Answer);
        QCOMPARE(refusals.at(0).who, QString("ana"));
        ben.acceptLocation("r1");
        QVERIFY(refusals.at(1).reason == CallRefusal::Reason::NoLocation);
        ben.hold("nope");
        QVERIFY(refusals.at(2).reason == CallRefusal::Reason::UnknownCall);
        QCOMPARE(refusals.at(2).callId, QString("nope"));
        ben.end("r1", Disposition::None);
        ben.resume("r1");
        QVERIFY(refusals.at(3).reason == CallRefusal::Reason::CallEnded);
        QVERIFY(refusals.at(3).action == CallRefusal::Action::Resume);
    }

    // Ending asks for a disposition when the call is serious: severity 4-5 or critical now, or
    // a critical flag at any time (a later, milder report does not lift it).
    void seriousCallsNeedADisposition()
    {
        CallStore store;
        store.addCall("n1", std::nullopt);
        QVERIFY(!needsDisposition(*store.call("n1"))); // untriaged
        TriageReport r;
        r.severity = 3;
        store.setTriage("n1", r);
        QVERIFY(!needsDisposition(*store.call("n1")));
        r.severity = 4;
        store.setTriage("n1", r);
        QVERIFY(needsDisposition(*store.call("n1")));
        r.severity = 2;
        r.critical = true;
        store.setTriage("n1", r);
        QVERIFY(needsDisposition(*store.call("n1")));
        r.critical = false;
        store.setTriage("n1", r);
        QVERIFY(!needsDisposition(*store.call("n1")));
        store.flagCritical("n1", "weapon", 2);
        QVERIFY(needsDisposition(*store.call("n1")));
        QCOMPARE(store.end("n1", EndReason::DispatcherEnded, Actor::dispatcher("alice"),
                           Disposition::FalseAlarm),
                 CallStore::Result::Ok);
        QVERIFY(store.call("n1")->disposition == Disposition::FalseAlarm);
    }

    void transferTargetsAreSortedOnlineFirst()
    {
        const auto sorted = sortedTransferTargets({{"zoe", false},
                                                   {"ben", true},
                                                   {"Ana", false},
                                                   {"ben", false},
                                                   {"", true},
                                                   {"cy", true}});
        QCOMPARE(sorted.size(), 4);
        QVERIFY(sorted.at(0) == (TransferTarget{"ben", true})); // one entry, online wins
        QVERIFY(sorted.at(1) == (TransferTarget{"cy", true}));
        QVERIFY(sorted.at(2) == (TransferTarget{"Ana", false}));
        QVERIFY(sorted.at(3) == (TransferTarget{"zoe", false}));
        CallStore store;
        LocalCallActions actions(store, Actor::dispatcher("console"));
        QSignalSpy changed(&actions, &CallActions::transferTargetsChanged);
        actions.setTransferTargets({{"zoe", false}, {"ben", true}});
        actions.setTransferTargets({{"ben", true}, {"zoe", false}}); // the same list
        QCOMPARE(changed.size(), 1);
        QCOMPARE(actions.transferTargets().at(0).name, QString("ben"));
    }
};

QTEST_GUILESS_MAIN(TestCallStore)
#include "tst_callstore.moc"
