#include "calls/callstore.h"
#include "triage/triagebackend.h"
#include "triage/triagecoordinator.h"

#include <QSignalSpy>
#include <QTest>

using namespace dispatch;

namespace {

// Records what the coordinator hands it and lets the test play the backend's part.
class RecordingBackend : public TriageBackend
{
public:
    QStringList started;
    QStringList ended;
    qint64 backlogBytes = 0;
    qint64 audioBytes = 0;
    int frames = 0;
    int vitals = 0;
    QStringList texts;

    void startCall(const QString &id, const MediaBacklog &backlog) override
    {
        started << id;
        backlogBytes += backlog.audioBytes();
    }
    void addAudio(const QString &, const QByteArray &pcm) override { audioBytes += pcm.size(); }
    void addFrame(const QString &, const QByteArray &) override { ++frames; }
    void addVitals(const QString &, const VitalsSample &) override { ++vitals; }
    void addCallerText(const QString &, const QString &text) override { texts << text; }
    void endCall(const QString &id) override { ended << id; }
};

} // namespace

class TestTriageCoordinator : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void mediaFlowsOnlyAfterAnswerAndReportsComeBack()
    {
        CallStore store;
        RecordingBackend backend;
        TriageCoordinator coordinator(store, backend);

        store.addCall("c1", std::nullopt);
        store.addAudio("c1", QByteArray(640, 1)); // ringing: goes to the backlog
        store.addAudio("c1", QByteArray(640, 1));
        QVERIFY(backend.started.isEmpty());
        QCOMPARE(backend.audioBytes, 0);

        store.answer("c1", Actor::dispatcher("alice"));
        QCOMPARE(backend.started, QStringList{"c1"});
        QCOMPARE(backend.backlogBytes, 1280);
        store.addAudio("c1", QByteArray(320, 2));
        store.addFrame("c1", QByteArray("\xff\xd8\xff", 3));
        store.addVitals("c1", VitalsSample{});
        store.addTranscript("c1", {store.now(), Speaker::CallerText, "cannot talk", true});
        store.addTranscript("c1", {store.now(), Speaker::Dispatcher, "are you safe", true});
        QCOMPARE(backend.audioBytes, 320);
        QCOMPARE(backend.frames, 1);
        QCOMPARE(backend.vitals, 1);
        QCOMPARE(backend.texts, QStringList{"cannot talk"});

        TriageReport report;
        report.severity = 5;
        report.responseType = ResponseType::Medical;
        Q_EMIT backend.reportProduced("c1", report);
        QCOMPARE(store.call("c1")->triage->severity, 5);
        QSignalSpy flagged(&store, &CallStore::criticalFlagged);
        Q_EMIT backend.criticalFlagged("c1", "not breathing", 5);
        QCOMPARE(flagged.count(), 1);
        Q_EMIT backend.transcriptProduced(
            "c1", {store.now(), Speaker::Caller, "he is not breathing", true});
        QCOMPARE(store.call("c1")->transcript.constLast().text, QString("he is not breathing"));

        store.end("c1", EndReason::DispatcherEnded, Actor::dispatcher("alice"));
        QCOMPARE(backend.ended, QStringList{"c1"});
        store.addAudio("c1", QByteArray(320, 2)); // refused by the store, never forwarded
        QCOMPARE(backend.audioBytes, 320);
    }

    void unansweredCallIsNeverStarted()
    {
        CallStore store;
        RecordingBackend backend;
        TriageCoordinator coordinator(store, backend);
        store.addCall("c2", std::nullopt);
        store.end("c2", EndReason::CallerHungUp);
        QVERIFY(backend.started.isEmpty());
        QVERIFY(backend.ended.isEmpty());
    }
};

QTEST_GUILESS_MAIN(TestTriageCoordinator)
#include "tst_triagecoordinator.moc"
