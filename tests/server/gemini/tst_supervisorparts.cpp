// The pure parts of the session supervisor: the triage setup, the replay buffer, the backoff and
// the vitals text.
#include "common/reconnectpolicy.h"
#include "gemini/activitytrack.h"
#include "gemini/audioreplaybuffer.h"
#include "gemini/consumedaudiotracker.h"
#include "gemini/toolregistry.h"
#include "testaudio.h"
#include "triage/tools/flagcriticaltool.h"
#include "triage/tools/reporttriagetool.h"
#include "triage/triagesetup.h"
#include "triage/vitalstext.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace dispatch;
using namespace dispatch::gemini;

class TestSupervisorParts : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void toolBehaviorFollowsTheTable_data();
    void toolBehaviorFollowsTheTable();
    void triageSetupOnTheWire();
    void textReportSetup();
    void replayBufferOffsets();
    void consumedIndexNamesTheCoveredAudio();
    void replayBufferBound();
    void backoffGrowsWithJitter();
    void vitalsPolicy();
    void voiceActivityFindsShortAnswers();
    void activityTrackPlacesBoundariesForAConnection();
};

namespace {

ToolRegistry triageTools()
{
    ToolRegistry r;
    r.add(makeReportTriageTool({}));
    r.add(makeFlagCriticalTool({}));
    return r;
}

QJsonObject setupJson(const LiveSetup &setup)
{
    const auto bytes = encodeSetup(setup);
    return bytes ? QJsonDocument::fromJson(bytes.value()).object()["setup"].toObject()
                 : QJsonObject();
}

QByteArray bytes(int n, char c)
{
    return QByteArray(n, c);
}

} // namespace

void TestSupervisorParts::toolBehaviorFollowsTheTable_data()
{
    // What the triage setup sends as `behavior`, from the model's row (modelcapabilities.h).
    QTest::addColumn<QString>("model");
    QTest::addColumn<QString>("behavior"); // empty: no field (the model's default)
    QTest::addColumn<bool>("vertex");
    QTest::newRow("default (3.8)") << defaultTriageModel() << "NON_BLOCKING" << false;
    QTest::newRow("3.8 thinking") << "gemini-3.8-live-extended-thinking"
                                  << "NON_BLOCKING" << false;
    QTest::newRow("2.5 native") << "gemini-2.5-flash-native-audio-preview-12-2025"
                                << "NON_BLOCKING" << false;
    QTest::newRow("prefixed") << "models/gemini-2.5-flash-native-audio-latest"
                              << "NON_BLOCKING" << false;
    QTest::newRow("3.1") << "gemini-3.1-flash-live-preview"
                         << "" << false;
    QTest::newRow("unknown") << "my-model"
                             << "" << false;
    // A Vertex id on the Gemini API has no row there: the conservative one.
    QTest::newRow("vertex id") << "gemini-live-2.5-flash-native-audio"
                               << "" << false;
    // Vertex: NON_BLOCKING reportedly ignored, so 3.8 gets blocking tools there (no field).
    QTest::newRow("vertex 3.8") << "gemini-3.8-live"
                                << "" << true;
    QTest::newRow("vertex 2.5") << "gemini-live-2.5-flash-native-audio"
                                << "" << true;
}

void TestSupervisorParts::toolBehaviorFollowsTheTable()
{
    QFETCH(QString, model);
    QFETCH(QString, behavior);
    QFETCH(bool, vertex);
    TriageSetupOptions options;
    options.model = model;
    options.backend = vertex ? LiveBackend::Vertex : LiveBackend::GeminiApi;
    const QJsonObject s = setupJson(buildTriageSetup(options, triageTools()));
    const QJsonArray declarations = s["tools"][0]["functionDeclarations"].toArray();
    QCOMPARE(declarations.size(), 2);
    for (const QJsonValue &d : declarations)
        QCOMPARE(d["behavior"].toString(), behavior);
}

void TestSupervisorParts::triageSetupOnTheWire()
{
    const ToolRegistry tools = triageTools();
    TriageSetupOptions options;
    const QJsonObject s = setupJson(buildTriageSetup(options, tools));
    QCOMPARE(s["model"].toString(), "models/gemini-3.8-live"); // the current stable model
    QCOMPARE(s["generationConfig"]["responseModalities"].toArray(), QJsonArray{"AUDIO"});
    QVERIFY(s.contains("inputAudioTranscription"));
    QVERIFY(s.contains("outputAudioTranscription"));
    QVERIFY(!s["generationConfig"].toObject().contains("inputAudioTranscription"));
    QCOMPARE(s["contextWindowCompression"].toObject(),
             (QJsonObject{{"slidingWindow", QJsonObject{}}}));
    QCOMPARE(s["sessionResumption"].toObject(), QJsonObject{});
    QCOMPARE(s["realtimeInputConfig"]["activityHandling"].toString(), "NO_INTERRUPTION");
    // 3.8 takes manual activity: our VAD ends turns, and every input is in a turn.
    QCOMPARE(s["realtimeInputConfig"]["automaticActivityDetection"]["disabled"].toBool(false),
             true);
    QCOMPARE(s["realtimeInputConfig"]["turnCoverage"].toString(), "TURN_INCLUDES_ALL_INPUT");
    const QString instruction = s["systemInstruction"]["parts"][0]["text"].toString();
    QVERIFY(instruction.contains("report_triage"));
    QVERIFY(instruction.contains("flag_critical"));
    QVERIFY(instruction.contains("do not speak"));
    const QJsonArray declarations = s["tools"][0]["functionDeclarations"].toArray();
    QCOMPARE(declarations.size(), 2);
    for (const QJsonValue &d : declarations)
        QCOMPARE(d["behavior"].toString(), "NON_BLOCKING");

    // Resuming carries the handle; 3.x gets blocking tools.
    options.model = "gemini-3.1-flash-live-preview";
    const QJsonObject resumed = setupJson(buildTriageSetup(options, tools, "h-7"));
    QCOMPARE(resumed["sessionResumption"]["handle"].toString(), "h-7");
    for (const QJsonValue &d : resumed["tools"][0]["functionDeclarations"].toArray())
        QVERIFY(!d.toObject().contains("behavior"));

    // A model the table does not know keeps the server's detection (the conservative row).
    options.model = "gemini-9-live-unknown";
    const QJsonObject unknown = setupJson(buildTriageSetup(options, tools));
    QCOMPARE(unknown["realtimeInputConfig"]["automaticActivityDetection"]["disabled"].toBool(true),
             false);
    QVERIFY(!unknown["realtimeInputConfig"].toObject().contains("turnCoverage"));
}

namespace {

using test::phoneLine;

// Feeds `pcm` in 20 ms chunks; returns the boundaries added, as "+offset" / "-offset".
QStringList feedChunks(ActivityTrack &track, const QByteArray &pcm, qint64 &offset)
{
    const qint64 before = track.endSeq();
    for (qsizetype at = 0; at < pcm.size(); at += 640) {
        const QByteArray chunk = pcm.mid(at, 640);
        track.feed(chunk, offset);
        offset += chunk.size();
    }
    QStringList out;
    for (qint64 seq = before; seq < track.endSeq(); ++seq)
        out.append((track.at(seq).start ? "+" : "-") + QString::number(track.at(seq).offset));
    return out;
}

} // namespace

void TestSupervisorParts::voiceActivityFindsShortAnswers()
{
    ActivityTrack track;
    qint64 offset = 0;
    // A second of line noise: no activity, the floor settles near the noise.
    QCOMPARE(feedChunks(track, phoneLine(1000, 0), offset), QStringList{});
    // "Yes": 300 ms of speech, then silence. Starts where the speech began (within the onset),
    // ends after the hangover.
    const qint64 speechAt = offset;
    const QStringList yes = feedChunks(track, phoneLine(300, 3000), offset);
    QCOMPARE(yes.size(), 1);
    QCOMPARE(yes.first(), "+" + QString::number(speechAt));
    QVERIFY(track.active());
    const QStringList end = feedChunks(track, phoneLine(1000, 0), offset);
    QCOMPARE(end.size(), 1);
    const qint64 endAt = end.first().mid(1).toLongLong();
    QCOMPARE(endAt, speechAt + (300 + 500) * 32); // speech + hangover
    QVERIFY(!track.active());

    // A 200 ms pause inside a sentence does not end the activity.
    QStringList sentence = feedChunks(track, phoneLine(600, 2500), offset);
    sentence += feedChunks(track, phoneLine(200, 0), offset);
    sentence += feedChunks(track, phoneLine(600, 2500), offset);
    QCOMPARE(sentence.size(), 1);
    QVERIFY(sentence.first().startsWith('+'));

    // Louder hiss than the floor but noise-like (crossings every other sample) is not speech.
    ActivityTrack hiss;
    qint64 at = 0;
    feedChunks(hiss, phoneLine(1000, 0, 30), at);
    QCOMPARE(feedChunks(hiss, phoneLine(1000, 0, 150), at), QStringList{});

    // Odd chunk sizes give the same boundaries as 20 ms chunks.
    ActivityTrack odd;
    const QByteArray all = phoneLine(1000, 0) + phoneLine(300, 3000) + phoneLine(1000, 0);
    ActivityTrack even;
    qint64 evenOffset = 0;
    const QStringList expected = feedChunks(even, all, evenOffset);
    QStringList got;
    for (qsizetype pos = 0; pos < all.size(); pos += 1000)
        odd.feed(all.mid(pos, 1000), pos);
    for (qint64 seq = 0; seq < odd.endSeq(); ++seq)
        got.append((odd.at(seq).start ? "+" : "-") + QString::number(odd.at(seq).offset));
    QCOMPARE(got, expected);
}

void TestSupervisorParts::activityTrackPlacesBoundariesForAConnection()
{
    ActivityTrack track;
    qint64 offset = 0;
    feedChunks(track, phoneLine(1000, 0), offset);
    const qint64 start = offset;
    feedChunks(track, phoneLine(400, 3000), offset);
    QCOMPARE(track.endSeq(), 1); // open
    const ActivityTrack::Boundary opening = track.at(0);
    QVERIFY(opening.start);
    QCOMPARE(opening.offset, start);
    // A start is due before the chunk that holds it; an end once the audio before it went.
    QVERIFY(ActivityTrack::due(opening, start, start + 640));
    QVERIFY(ActivityTrack::due(opening, start - 320, start + 320));
    QVERIFY(!ActivityTrack::due(opening, start - 640, start));
    const ActivityTrack::Boundary closing{start + 6400, false};
    QVERIFY(!ActivityTrack::due(closing, start + 5760, start + 6400));
    QVERIFY(ActivityTrack::due(closing, start + 6400, start + 7040));

    // A connection whose replay starts before the activity gets its start in place; one that
    // starts inside it opens it first; the head state survives a release.
    QCOMPARE(track.seqFor(start - 640), 0);
    QVERIFY(!track.openBefore(track.seqFor(start - 640)));
    QCOMPARE(track.seqFor(start), 0); // a start at the replay point is still ahead
    QCOMPARE(track.seqFor(start + 640), 1);
    QVERIFY(track.openBefore(track.seqFor(start + 640)));
    feedChunks(track, phoneLine(1000, 0), offset);
    QCOMPARE(track.endSeq(), 2);
    const qint64 endAt = track.at(1).offset;
    QCOMPARE(track.seqFor(endAt), 2); // ended at the replay point: nothing open
    QVERIFY(!track.openBefore(2));
    track.releaseBefore(start + 640, 1); // the start only: the end was not sent yet
    QCOMPARE(track.firstSeq(), 1);
    QVERIFY(track.openBefore(1));
    track.releaseBefore(offset, 2);
    QCOMPARE(track.firstSeq(), 2);
    QVERIFY(!track.openBefore(2));
}

void TestSupervisorParts::textReportSetup()
{
    TriageSetupOptions options;
    options.model = "gemini-live-2.5-flash-preview";
    options.textReports = true;
    const QJsonObject s = setupJson(buildTriageSetup(options, triageTools()));
    QCOMPARE(s["generationConfig"]["responseModalities"].toArray(), QJsonArray{"TEXT"});
    QVERIFY(s.contains("inputAudioTranscription"));
    QVERIFY(!s.contains("outputAudioTranscription"));
    QVERIFY(s["systemInstruction"]["parts"][0]["text"].toString().contains("JSON object"));
}

void TestSupervisorParts::replayBufferOffsets()
{
    AudioReplayBuffer b(1000);
    QCOMPARE(b.append(bytes(100, 'a')), 0);
    QCOMPARE(b.append(bytes(100, 'b')), 100);
    QCOMPARE(b.append(bytes(100, 'c')), 200);
    QCOMPARE(b.endOffset(), 300);
    QCOMPARE(b.since(0).join(), bytes(100, 'a') + bytes(100, 'b') + bytes(100, 'c'));
    QCOMPARE(b.since(150).join(), bytes(50, 'b') + bytes(100, 'c'));
    QCOMPARE(b.since(151).join(), bytes(50, 'b') + bytes(100, 'c')); // whole samples
    QVERIFY(b.since(300).isEmpty());
    b.releaseBefore(150); // only whole chunks that end by then
    QCOMPARE(b.startOffset(), 100);
    QCOMPARE(b.since(0).join(), bytes(100, 'b') + bytes(100, 'c'));
    b.releaseBefore(300);
    QCOMPARE(b.heldBytes(), 0);
    QCOMPARE(b.startOffset(), 300);
    QCOMPARE(b.overflowBytes(), 0);
}

void TestSupervisorParts::replayBufferBound()
{
    AudioReplayBuffer b(250);
    b.append(bytes(100, 'a'));
    b.append(bytes(100, 'b'));
    b.append(bytes(100, 'c'));
    QCOMPARE(b.overflowBytes(), 100);
    QCOMPARE(b.startOffset(), 100);
    QCOMPARE(b.heldBytes(), 200);
    QCOMPARE(b.since(0).join(), bytes(100, 'b') + bytes(100, 'c'));
}

void TestSupervisorParts::backoffGrowsWithJitter()
{
    ReconnectPolicy p;
    p.initialDelayMs = 100;
    p.multiplier = 2;
    p.maxDelayMs = 1000;
    p.jitter = 0.5;
    QCOMPARE(backoffDelayMs(p, 1, 0.5), 100);
    QCOMPARE(backoffDelayMs(p, 2, 0.5), 200);
    QCOMPARE(backoffDelayMs(p, 3, 0.5), 400);
    QCOMPARE(backoffDelayMs(p, 5, 0.5), 1000); // capped
    QCOMPARE(backoffDelayMs(p, 2, 0.0), 100);  // -50 %
    QCOMPARE(backoffDelayMs(p, 2, 1.0), 300);  // +50 %
    p.jitter = 0;
    QCOMPARE(backoffDelayMs(p, 40, 0.9), 1000);
}

void TestSupervisorParts::vitalsPolicy()
{
    VitalsTextPolicy policy;
    VitalsSample weak;
    weak.heartRate = 140;
    weak.heartRateConfidence = 0.2;
    QVERIFY(!confidentVitals(weak, policy)); // low confidence: not evidence

    VitalsSample s;
    s.heartRate = 118;
    s.heartRateConfidence = 0.82;
    s.breathingRate = 6;
    s.breathingConfidence = 0.3;
    const auto c = confidentVitals(s, policy);
    QVERIFY(c);
    QVERIFY(!c->breathingRate);
    QCOMPARE(vitalsText(*c), "[vitals] Camera estimate from the caller's phone: heart rate 118 bpm "
                             "(confidence 0.82).");
    QVERIFY(vitalsChangedMeaningfully(*c, std::nullopt, policy));
    VitalsSample close = *c;
    close.heartRate = 124;
    QVERIFY(!vitalsChangedMeaningfully(close, *c, policy));
    close.heartRate = 130;
    QVERIFY(vitalsChangedMeaningfully(close, *c, policy));
    VitalsSample breathing = *c;
    breathing.breathingRate = 12;
    breathing.breathingConfidence = 0.9;
    QVERIFY(vitalsChangedMeaningfully(breathing, *c, policy)); // a reading appeared
}

void TestSupervisorParts::consumedIndexNamesTheCoveredAudio()
{
    // Setup is message 0; audio messages 1, 2, 4 (3 is a text) end at 640, 1280, 1920.
    ConsumedAudioTracker t;
    t.reset(0);
    t.sent(1, 640);
    t.sent(2, 1280);
    t.sent(4, 1920);
    QCOMPARE(t.consumed(0), 0);    // only the setup
    QCOMPARE(t.consumed(1), 640);  // the first audio message
    QCOMPARE(t.consumed(3), 1280); // up to the text: the second audio message
    QCOMPARE(t.pending(), 1);
    QCOMPARE(t.consumed(2), 1280); // never back
    QCOMPARE(t.consumed(9), 1920);
    QCOMPARE(t.pending(), 0);
    // A resumed connection: its state covers up to the replay start, indices restart.
    t.reset(1920);
    QCOMPARE(t.consumed(0), 1920);
    t.sent(1, 2560);
    QCOMPARE(t.consumed(1), 2560);
}

QTEST_GUILESS_MAIN(TestSupervisorParts)
#include "tst_supervisorparts.moc"
