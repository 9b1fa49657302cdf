#include "calls/callstore.h"
#include "triage/rulesengine.h"
#include "triage/triagebackend.h"
#include "triage/triagecoordinator.h"
#include "triage/triagerules.h"

#include <QJsonObject>

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
    // Issue 18: after a late answer the offline engine falls back to keyword spotting and its
    // keyword hits alone can make a confident critical report. The store (and so every
    // console) gets such a report marked, never as a plain assessment.
    void degradedReportsAreMarkedLowConfidence()
    {
        CallStore store;
        RecordingBackend backend;
        TriageCoordinator coordinator(store, backend);
        store.addCall("c1", std::nullopt);
        store.answer("c1", "alice");

        const auto rules = loadTriageRules(defaultTriageRulesPath());
        QVERIFY(rules);
        TriageInput in;
        in.segments = {{store.now(), Speaker::Caller, "[keywords] shot not breathing", true}};
        in.keywordSpottingOnly = true;
        const TriageReport spotted = assessTriage(rules.value(), in);
        QCOMPARE(toString(spotted.confidence),
                 toString(TriageConfidence::Normal)); // the rules do not know

        // The rules' own provenance is enough, even before the backend says it is degraded.
        Q_EMIT backend.reportProduced("c1", spotted);
        QCOMPARE(toString(store.call("c1")->triage->confidence),
                 toString(TriageConfidence::KeywordsOnly));

        QSignalSpy degraded(&coordinator, &TriageCoordinator::degradedChanged);
        Q_EMIT backend.degradedChanged("c1", true, "backlog of 14 s at answer");
        QCOMPARE(degraded.count(), 1);
        Q_EMIT backend.reportProduced("c1", spotted);
        QCOMPARE(toString(store.call("c1")->triage->confidence),
                 toString(TriageConfidence::KeywordsOnly));
        QCOMPARE(store.call("c1")->triage->confidenceReason, QString("backlog of 14 s at answer"));

        // Degraded without a keyword transcript (no recognizer at all): low confidence.
        TriageReport vitalsOnly;
        vitalsOnly.severity = 3;
        Q_EMIT backend.reportProduced("c1", vitalsOnly);
        QCOMPARE(toString(store.call("c1")->triage->confidence), toString(TriageConfidence::Low));

        // A dispatcher's override is never marked.
        TriageReport mine;
        mine.source = TriageSource::Dispatcher;
        mine.severity = 5;
        Q_EMIT backend.reportProduced("c1", mine);
        QCOMPARE(toString(store.call("c1")->triage->confidence),
                 toString(TriageConfidence::Normal));

        // Recovered: full-transcript reports are normal again.
        Q_EMIT backend.degradedChanged("c1", false, "recovered");
        in.keywordSpottingOnly = false;
        in.segments = {{store.now(), Speaker::Caller, "he is not breathing", true}};
        Q_EMIT backend.reportProduced("c1", assessTriage(rules.value(), in));
        QCOMPARE(toString(store.call("c1")->triage->confidence),
                 toString(TriageConfidence::Normal));
        QVERIFY(store.call("c1")->triage->confidenceReason.isEmpty());
    }

    // Remote consoles see it too: the report's wire form carries the confidence.
    void confidenceTravelsOnTheWire()
    {
        TriageReport r;
        r.severity = 5;
        r.critical = true;
        r.source = TriageSource::Local;
        r.confidence = TriageConfidence::KeywordsOnly;
        r.confidenceReason = "backlog of 14 s at answer";
        const QJsonObject wire = toJson(r);
        QCOMPARE(wire.value("confidence").toString(), QString("keywords_only"));
        const auto back = triageReportFromWire(wire);
        QVERIFY(back);
        QCOMPARE(toString(back->confidence), toString(TriageConfidence::KeywordsOnly));
        QCOMPARE(back->confidenceReason, r.confidenceReason);

        r.confidence = TriageConfidence::Normal;
        QVERIFY(!toJson(r).contains("confidence")); // unchanged shape for normal reports
        QCOMPARE(toString(triageReportFromWire(toJson(r))->confidence),
                 toString(TriageConfidence::Normal));

        QJsonObject future = wire;
        future.insert("confidence", "guesswork"); // unknown: never read as more certain
        QCOMPARE(toString(triageReportFromWire(future)->confidence),
                 toString(TriageConfidence::Low));
    }

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

        store.answer("c1", "alice");
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

        store.end("c1", EndReason::DispatcherEnded);
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
