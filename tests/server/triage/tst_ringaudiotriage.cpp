// Issue 18: what a caller said while the call rang must not be lost when nobody answered. At
// an abandoned (or lost, unanswered) call's end the coordinator hands its ring-time backlog to
// the ring-audio backend (the local engine in the console) and stores what comes back on the
// ended call; the router (Gemini) never sees the call.
#include "calls/callstore.h"
#include "triage/triagebackend.h"
#include "triage/triagecoordinator.h"

#include <QSignalSpy>
#include <QTest>

using namespace dispatch;

namespace {

class RecordingBackend : public TriageBackend
{
public:
    QStringList started;
    QStringList ended;
    qint64 backlogBytes = 0;

    void startCall(const QString &id, const MediaBacklog &backlog) override
    {
        started << id;
        backlogBytes += backlog.audioBytes();
    }
    void addAudio(const QString &, const QByteArray &) override {}
    void addFrame(const QString &, const QByteArray &) override {}
    void addVitals(const QString &, const VitalsSample &) override {}
    void addCallerText(const QString &, const QString &) override {}
    void endCall(const QString &id) override { ended << id; }
};

TriageReport report(const QString &summary)
{
    TriageReport r;
    r.severity = 5;
    r.critical = true;
    r.criticalReason = "not breathing";
    r.responseType = ResponseType::Medical;
    r.situationSummary = summary;
    r.source = TriageSource::Local;
    return r;
}

} // namespace

class TestRingAudioTriage : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void abandonedRingAudioIsAssessedAfterTheEnd()
    {
        CallStore store;
        RecordingBackend router;
        RecordingBackend local;
        TriageCoordinator coordinator(store, router);
        coordinator.setRingAudioBackend(&local);
        store.addCall("ab", std::nullopt);
        const QByteArray pcm(6400, '\x02');
        for (int i = 0; i < 5; ++i)
            QVERIFY(store.addAudio("ab", pcm) == CallStore::Result::Ok);
        QVERIFY(local.started.isEmpty()); // nothing while it rings
        QVERIFY(store.end("ab", EndReason::CallerHungUp) == CallStore::Result::Ok);

        QCOMPARE(local.started, QStringList{"ab"});
        QCOMPARE(local.backlogBytes, 5 * pcm.size());
        QCOMPARE(local.ended, QStringList{"ab"}); // no more comes: finish what you have
        QVERIFY(router.started.isEmpty());        // no AI session for a call nobody answered
        QVERIFY(coordinator.isAssessingRingAudio("ab"));

        Q_EMIT local.transcriptProduced("ab",
                                        {store.now(), Speaker::Caller, "not breathing", true});
        Q_EMIT local.reportProduced("ab", report("caller says he is not breathing"));
        const Call *c = store.call("ab");
        QVERIFY(c->triage);
        QCOMPARE(c->triage->situationSummary, QString("caller says he is not breathing"));
        QCOMPARE(c->transcript.size(), 1);
        QVERIFY(c->followUp == FollowUp::Open);
        // Its critical flag raises no alarm on an ended call (the report says critical).
        QSignalSpy flagged(&store, &CallStore::criticalFlagged);
        Q_EMIT local.criticalFlagged("ab", "not breathing", 5);
        QCOMPARE(flagged.count(), 0);

        Q_EMIT local.callFinished("ab");
        QVERIFY(!coordinator.isAssessingRingAudio("ab"));
        Q_EMIT local.reportProduced("ab", report("stray"));
        QCOMPARE(store.call("ab")->triage->situationSummary,
                 QString("caller says he is not breathing"));
    }

    // Only an unanswered call that needs a follow-up and said something: not a silent abandoned
    // call, not an answered call (its audio went to triage at answer), not a routine end.
    void onlyUnansweredCallsWithRingAudioAreAssessed()
    {
        CallStore store;
        RecordingBackend router;
        RecordingBackend local;
        TriageCoordinator coordinator(store, router);
        coordinator.setRingAudioBackend(&local);
        const QByteArray pcm(3200, '\x03');
        store.addCall("silent", std::nullopt);
        store.end("silent", EndReason::CallerHungUp);
        store.addCall("answered", std::nullopt);
        store.addAudio("answered", pcm);
        store.answer("answered", Actor::dispatcher("alice"));
        store.end("answered", EndReason::CallerLost);
        store.addCall("shutdown", std::nullopt);
        store.addAudio("shutdown", pcm);
        store.end("shutdown", EndReason::ServerShutdown);
        QVERIFY(local.started.isEmpty());
        QCOMPARE(router.started, QStringList{"answered"});

        // A report of the same engine for a call it runs for the router is not this path's.
        Q_EMIT local.reportProduced("answered", report("router's"));
        QVERIFY(!store.call("answered")->triage);

        // Lost while it rang: assessed like an abandoned call.
        store.addCall("lost", std::nullopt);
        store.addAudio("lost", pcm);
        store.end("lost", EndReason::CallerLost);
        QCOMPARE(local.started, QStringList{"lost"});
    }

    void withoutARingAudioBackendNothingIsAssessed()
    {
        CallStore store;
        RecordingBackend router;
        TriageCoordinator coordinator(store, router);
        store.addCall("ab", std::nullopt);
        store.addAudio("ab", QByteArray(3200, '\x04'));
        store.end("ab", EndReason::CallerHungUp);
        QVERIFY(router.started.isEmpty());
        QVERIFY(!coordinator.isAssessingRingAudio("ab"));
    }
};

QTEST_GUILESS_MAIN(TestRingAudioTriage)
#include "tst_ringaudiotriage.moc"
