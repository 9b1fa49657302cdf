// Issue 18, "states nobody is told about": a call that ends unanswered or loses its caller
// needs a follow-up (someone calls back). The store opens it at the end, keeps the call, takes
// the late assessment of its ring-time audio, and lets a person resolve it exactly once.
#include "calls/callstore.h"
#include "calls/localcallactions.h"

#include <QSignalSpy>
#include <QTest>

using namespace dispatch;

class TestFollowUp : public QObject
{
    Q_OBJECT

private:
    QDateTime m_now = QDateTime(QDate(2026, 12, 7), QTime(11, 0), Qt::UTC);
    Clock fakeClock()
    {
        return [this] { return m_now; };
    }
    static TriageReport report(int severity, const QString &summary)
    {
        TriageReport r;
        r.severity = severity;
        r.situationSummary = summary;
        r.responseType = ResponseType::Medical;
        r.source = TriageSource::Local;
        return r;
    }

private Q_SLOTS:
    void codesRoundTrip()
    {
        for (FollowUp f :
             {FollowUp::Open, FollowUp::CalledBack, FollowUp::NoAnswer, FollowUp::Handled})
            QVERIFY(followUpFromString(toString(f)) == f);
        QVERIFY(!followUpFromString(QString()));
        QVERIFY(!followUpFromString("went_fishing"));
        QVERIFY(!isFollowUpResolution(FollowUp::Open));
        QVERIFY(!isFollowUpResolution(FollowUp::None));
        QCOMPARE(followUpResolutions().size(), 3);
        QCOMPARE(toString(CallEventKind::FollowedUp), QString("followed_up"));
        QVERIFY(callEventKindFromString("followed_up") == CallEventKind::FollowedUp);
    }

    // A caller who hangs up while it rings: abandoned, follow-up open, the ring-time media
    // handed on once; then a dispatcher's resolution goes on the timeline, naming who.
    void abandonedCallOpensAFollowUpAndIsResolvedOnce()
    {
        CallStore store({}, fakeClock());
        QStringList unanswered;
        qsizetype backlogBytes = 0;
        connect(&store, &CallStore::unansweredCallEnded, this,
                [&](const QString &id, const MediaBacklog &backlog) {
                    unanswered << id;
                    backlogBytes = backlog.audioBytes();
                });
        QSignalSpy resolved(&store, &CallStore::followUpResolved);
        QVERIFY(store.addCall("ab-1", std::nullopt) == CallStore::Result::Ok);
        const QByteArray pcm(3200, '\x01');
        QVERIFY(store.addAudio("ab-1", pcm) == CallStore::Result::Ok);
        QVERIFY(store.addAudio("ab-1", pcm) == CallStore::Result::Ok);
        m_now = m_now.addSecs(9);
        QVERIFY(store.end("ab-1", EndReason::CallerHungUp) == CallStore::Result::Ok);
        const Call *c = store.call("ab-1");
        QVERIFY(c->endReason == EndReason::Abandoned);
        QVERIFY(c->followUp == FollowUp::Open);
        QCOMPARE(unanswered, QStringList{"ab-1"});
        QCOMPARE(backlogBytes, 2 * pcm.size());

        m_now = m_now.addSecs(60);
        QVERIFY(store.resolveFollowUp("ab-1", FollowUp::CalledBack, Actor::dispatcher("alice")) ==
                CallStore::Result::Ok);
        c = store.call("ab-1");
        QVERIFY(c->followUp == FollowUp::CalledBack);
        QCOMPARE(c->followUpBy, QString("alice"));
        QCOMPARE(c->followUpAt, m_now);
        QCOMPARE(resolved.count(), 1);
        QCOMPARE(resolved.at(0).at(2).toString(), QString("alice"));
        const CallEvent &last = c->timeline.constLast();
        QVERIFY(last.kind == CallEventKind::FollowedUp);
        QCOMPARE(last.detail, QString("called_back"));
        QVERIFY(last.actor == Actor::dispatcher("alice"));

        // Twice is refused, whatever the second resolution says.
        QVERIFY(store.resolveFollowUp("ab-1", FollowUp::Handled, Actor::dispatcher("bob")) ==
                CallStore::Result::InvalidTransition);
        QVERIFY(store.call("ab-1")->followUp == FollowUp::CalledBack);
        QCOMPARE(resolved.count(), 1);
    }

    // A phone that vanishes past the grace: caller lost, open too, answered or not. Only an
    // unanswered one hands on its ring-time media (an answered one's went to triage at answer).
    void lostCallersNeedAFollowUp()
    {
        CallStore store({}, fakeClock());
        QSignalSpy unanswered(&store, &CallStore::unansweredCallEnded);
        QVERIFY(unanswered.isValid());
        store.addCall("lost-ringing", std::nullopt);
        store.addCall("lost-answered", std::nullopt);
        QVERIFY(store.answer("lost-answered", Actor::dispatcher("alice")) == CallStore::Result::Ok);
        QVERIFY(store.end("lost-ringing", EndReason::CallerLost) == CallStore::Result::Ok);
        QVERIFY(store.end("lost-answered", EndReason::CallerLost) == CallStore::Result::Ok);
        QVERIFY(store.call("lost-ringing")->followUp == FollowUp::Open);
        QVERIFY(store.call("lost-answered")->followUp == FollowUp::Open);
        QCOMPARE(unanswered.count(), 1);
        QCOMPARE(unanswered.at(0).at(0).toString(), QString("lost-ringing"));
    }

    // What cannot be resolved: unknown and live calls, calls ended for other reasons, and
    // "resolutions" that are not one.
    void invalidResolutionsAreRefused()
    {
        CallStore store({}, fakeClock());
        QSignalSpy resolved(&store, &CallStore::followUpResolved);
        const Actor alice = Actor::dispatcher("alice");
        QVERIFY(store.resolveFollowUp("nope", FollowUp::Handled, alice) ==
                CallStore::Result::UnknownCall);
        store.addCall("live", std::nullopt);
        QVERIFY(store.resolveFollowUp("live", FollowUp::Handled, alice) ==
                CallStore::Result::InvalidTransition);
        store.answer("live", alice);
        QVERIFY(store.resolveFollowUp("live", FollowUp::Handled, alice) ==
                CallStore::Result::InvalidTransition);
        for (auto [id, reason] : {std::pair{"hung-up", EndReason::CallerHungUp},
                                  std::pair{"ended", EndReason::DispatcherEnded},
                                  std::pair{"shutdown", EndReason::ServerShutdown},
                                  std::pair{"admin", EndReason::AdminTerminated}}) {
            store.addCall(id, std::nullopt);
            store.answer(id, alice);
            QVERIFY(store.end(id, reason, alice) == CallStore::Result::Ok);
            QVERIFY2(store.call(id)->followUp == FollowUp::None, id);
            QVERIFY2(store.resolveFollowUp(id, FollowUp::Handled, alice) ==
                         CallStore::Result::InvalidTransition,
                     id);
        }
        store.addCall("ab", std::nullopt);
        store.end("ab", EndReason::Abandoned);
        for (FollowUp notAResolution : {FollowUp::None, FollowUp::Open})
            QVERIFY(store.resolveFollowUp("ab", notAResolution, alice) ==
                    CallStore::Result::InvalidTransition);
        QVERIFY(store.call("ab")->followUp == FollowUp::Open);
        QCOMPARE(resolved.count(), 0);
    }

    // The ring-time audio is assessed after the end: an unanswered call with a follow-up takes
    // AI reports and transcript; any other ended call does not, and nobody overrides an ended
    // call's assessment.
    void anAbandonedCallTakesItsLateAssessment()
    {
        CallStore store({}, fakeClock());
        const Actor alice = Actor::dispatcher("alice");
        store.addCall("ab", std::nullopt);
        store.end("ab", EndReason::CallerHungUp);
        QVERIFY(store.addTranscript("ab", {m_now, Speaker::Caller, "he is not breathing", true}) ==
                CallStore::Result::Ok);
        QVERIFY(store.setTriage("ab", report(5, "not breathing")) == CallStore::Result::Ok);
        QCOMPARE(store.call("ab")->triage->situationSummary, QString("not breathing"));
        QCOMPARE(store.call("ab")->transcript.size(), 1);
        QVERIFY(store.call("ab")->firstTriageAt.isValid());
        QVERIFY(store.overrideTriage("ab", report(2, "mine"), alice) ==
                CallStore::Result::CallEnded);
        // Resolved: still its record, still takes a report that was on its way.
        QVERIFY(store.resolveFollowUp("ab", FollowUp::NoAnswer, alice) == CallStore::Result::Ok);
        QVERIFY(store.setTriage("ab", report(4, "later")) == CallStore::Result::Ok);

        store.addCall("done", std::nullopt);
        store.answer("done", alice);
        store.end("done", EndReason::DispatcherEnded, alice);
        QVERIFY(store.setTriage("done", report(3, "late")) == CallStore::Result::CallEnded);
        QVERIFY(store.addTranscript("done", {m_now, Speaker::Caller, "late", true}) ==
                CallStore::Result::CallEnded);
        // An answered call that lost its caller had its triage live: nothing late either.
        store.addCall("lost", std::nullopt);
        store.answer("lost", alice);
        store.end("lost", EndReason::CallerLost);
        QVERIFY(store.setTriage("lost", report(3, "late")) == CallStore::Result::CallEnded);
    }

    // However many calls end after it, a call waiting for its follow-up stays in memory (the
    // queue shows it) until resolved; then it is pruned like any ended call.
    void openFollowUpsAreNotPruned()
    {
        CallStoreConfig config;
        config.maxEndedCallsKept = 1;
        CallStore store(config, fakeClock());
        store.addCall("ab", std::nullopt);
        store.end("ab", EndReason::Abandoned);
        for (const char *id : {"e1", "e2", "e3"}) {
            store.addCall(id, std::nullopt);
            store.end(id, EndReason::ServerShutdown);
        }
        QVERIFY(store.call("ab"));
        QVERIFY(!store.call("e1"));
        QVERIFY(!store.call("e2"));
        QSignalSpy removed(&store, &CallStore::callRemoved);
        QVERIFY(store.resolveFollowUp("ab", FollowUp::Handled, Actor::dispatcher("alice")) ==
                CallStore::Result::Ok);
        QCOMPARE(removed.count(), 1); // the oldest ended call went: "ab" itself
        QVERIFY(!store.call("ab"));
        QVERIFY(store.call("e3"));
    }

    // The console's own actions: a refused resolution comes back as a code naming the action.
    void localActionsResolveAndRefuse()
    {
        CallStore store({}, fakeClock());
        LocalCallActions actions(store, Actor::dispatcher("console"));
        QList<CallRefusal> refused;
        connect(&actions, &CallActions::refused, this,
                [&refused](const CallRefusal &r) { refused << r; });
        store.addCall("live", std::nullopt);
        actions.resolveFollowUp("live", FollowUp::CalledBack);
        QCOMPARE(refused.count(), 1);
        const CallRefusal refusal = refused.constFirst();
        QVERIFY(refusal.action == CallRefusal::Action::FollowUp);
        QVERIFY(refusal.reason == CallRefusal::Reason::NotNow);
        store.end("live", EndReason::CallerHungUp);
        actions.resolveFollowUp("live", FollowUp::CalledBack);
        QCOMPARE(refused.count(), 1);
        QCOMPARE(store.call("live")->followUpBy, QString("console"));
    }
};

QTEST_GUILESS_MAIN(TestFollowUp)
#include "tst_followup.moc"
