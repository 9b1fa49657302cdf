// A call's whole record through the real CallStore and Storage: every signal the store emits
// ends up in the database and the recordings directory, and reads back the same.
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "fakeclocks.h"
#include "skiporfail.h"
#include "storage/auditchain.h"
#include "storage/database.h"
#include "storage/storage.h"
#include "storagetesthelpers.h"
#include "testdatabase.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QProcess>
#include <QSignalSpy>
#include <QTemporaryDir>
#include <QTest>

using namespace dispatch;
using namespace dispatch::test;

class TestCallRecorder : public QObject
{
    Q_OBJECT

private:
    // Wall and monotonic clocks move together unless a test steps the wall clock.
    FakeClocks m_clocks{1'000'000, QDateTime(QDate(2026, 11, 22), QTime(3, 0), Qt::UTC)};
    QDateTime &m_now = m_clocks.wall;
    Clock clock() { return m_clocks.wallClock(); }
    void advance(int ms) { m_clocks.advance(ms); }
    CallStoreConfig storeConfig()
    {
        CallStoreConfig c;
        c.monotonic = m_clocks.monotonic();
        return c;
    }
    StorageConfig config(const QString &dir)
    {
        StorageConfig c;
        c.dataDir = dir;
        c.database = testDatabase(dir);
        c.health.freeBytesProbe = [](const QString &) { return qint64(1) << 40; };
        c.recorder.monotonic = m_clocks.monotonic();
        return c;
    }

private Q_SLOTS:
    void initTestCase()
    {
        if (const QString why = testDatabaseUnavailable(); !why.isEmpty())
            DISPATCH_SKIP_OR_FAIL(qPrintable(why));
    }

    void fullRecordRoundTrips()
    {
        QTemporaryDir dir;
        CallStore store(storeConfig(), clock());
        MetricsRegistry metrics;
        Storage storage(config(dir.path()), store, metrics, clock());
        QVERIFY(storage.open());
        const QString id = "rt-1";

        QCOMPARE(store.addCall(id, GeoLocation{52.52, 13.405, 12.0, m_now}), CallStore::Result::Ok);
        QByteArray callerAudio;
        for (int i = 0; i < 10; ++i) { // 1 s while ringing
            advance(100);
            const QByteArray chunk = testPcm(1600, i);
            callerAudio += chunk;
            store.addAudio(id, chunk);
        }
        store.addFrame(id, QByteArray("\xFF\xD8\xFF ringing frame"));
        advance(300);
        store.addFrame(id, QByteArray("\xFF\xD8\xFF same second, skipped"));
        advance(700);
        QCOMPARE(store.answer(id, Actor::dispatcher("alice")),
                 CallStore::Result::Ok); // hands over the backlog
        for (int i = 10; i < 30; ++i) {
            advance(100);
            const QByteArray chunk = testPcm(1600, i);
            callerAudio += chunk;
            store.addAudio(id, chunk);
        }
        store.addFrame(id, QByteArray("\xFF\xD8\xFF answered frame"));
        VitalsSample v1;
        v1.heartRate = 112;
        v1.heartRateConfidence = 0.8;
        v1.receivedAt = m_now;
        store.addVitals(id, v1);
        VitalsSample v2;
        v2.breathingRate = 6;
        v2.breathingConfidence = 0.5;
        v2.phoneTimestampMs = 1700000000123;
        v2.receivedAt = m_now.addSecs(1);
        store.addVitals(id, v2);
        store.updateLocation(id, GeoLocation{52.521, 13.406, 8.0, m_now});
        store.addTranscript(id, {m_now, Speaker::Caller, "my fath", false}); // partial: not kept
        store.addTranscript(id, {m_now, Speaker::Caller, "my father collapsed", true});
        store.addTranscript(id, {m_now, Speaker::CallerText, "he is not breathing", true});

        TriageReport ai;
        ai.source = TriageSource::Gemini;
        ai.severity = 3;
        ai.responseType = ResponseType::Medical;
        ai.situationSummary = "Adult collapsed";
        ai.producedAt = m_now;
        store.setTriage(id, ai);
        TriageReport human = ai;
        human.source = TriageSource::Dispatcher;
        human.severity = 5;
        human.situationSummary = "Cardiac arrest, CPR instructions";
        human.producedAt = m_now.addSecs(2);
        store.overrideTriage(id, human, Actor::dispatcher("alice"));
        TriageReport later = ai;
        later.severity = 4;
        later.producedAt = m_now.addSecs(3);
        store.setTriage(id, later); // kept in history; the dispatcher still owns the call
        store.flagCritical(id, "not breathing", 5);
        store.hold(id, Actor::system());
        store.resume(id, Actor::system());

        // Talk-back 5 s after ring: the dispatcher track is aligned with silence.
        const qint64 talkOffsetMs = store.call(id)->ringingSince.msecsTo(m_now);
        const QByteArray talk = testPcm(800, 99);
        QCOMPARE(store.sendTalkBack(id, talk), CallStore::Result::Ok);
        advance(1000);
        QCOMPARE(store.end(id, EndReason::DispatcherEnded, Actor::dispatcher("alice")),
                 CallStore::Result::Ok);
        QVERIFY(storage.flush());

        const auto history = storage.history();
        QVERIFY(history);
        const auto loaded = history->loadLatest(id);
        QVERIFY2(loaded, qPrintable(loaded.error().message));
        const StoredCall &c = loaded.value();
        QCOMPARE(c.state, QString("ended"));
        QCOMPARE(c.endReason, QString("dispatcher_ended"));
        QCOMPARE(c.answeredBy, QString("alice"));
        QCOMPARE(c.ringingAt, store.call(id)->ringingSince);
        QCOMPARE(c.answeredAt, store.call(id)->answeredAt);
        QCOMPARE(c.endedAt, store.call(id)->endedAt);
        QCOMPARE(c.firstTriageAt, store.call(id)->firstTriageAt);
        QVERIFY(!c.interrupted);
        QCOMPARE(c.severity, std::optional<int>(5)); // the dispatcher's value
        QVERIFY(c.lastLocation);
        QCOMPARE(c.lastLocation->latitude, 52.521);

        QStringList kinds;
        for (const auto &e : c.timeline)
            kinds << e.kind;
        QCOMPARE(kinds, QStringList({"rang", "answered", "caller_text", "first_triage",
                                     "triage_overridden", "critical_flagged", "held", "resumed",
                                     "ended"}));
        QCOMPARE(c.timeline.constFirst().at, c.ringingAt);

        QCOMPARE(c.triage.size(), 3);
        QCOMPARE(c.triage.at(0).source, QString("gemini"));
        QVERIFY(!c.triage.at(0).human);
        QVERIFY(!c.triage.at(0).replacedAi);
        QVERIFY(c.triage.at(1).human);
        QCOMPARE(c.triage.at(1).severity, 5);
        QVERIFY(c.triage.at(1).replacedAi); // the override keeps the AI values beside it
        QCOMPARE(c.triage.at(1).replacedAi->value("severity").toInt(), 3);
        QCOMPARE(c.triage.at(1).report.value("situation_summary").toString(),
                 QString("Cardiac arrest, CPR instructions"));
        QCOMPARE(c.triage.at(2).severity, 4);

        QCOMPARE(c.transcript.size(), 2);
        QCOMPARE(c.transcript.at(0).text, QString("my father collapsed"));
        QCOMPARE(c.transcript.at(1).speaker, QString("caller_text"));

        QCOMPARE(c.vitals.size(), 2);
        QCOMPARE(c.vitals.at(0).heartRate, std::optional<double>(112));
        QCOMPARE(c.vitals.at(0).breathingRate, std::nullopt);
        QCOMPARE(c.vitals.at(1).breathingRate, std::optional<double>(6));
        QCOMPARE(c.vitals.at(1).phoneTimestampMs, 1700000000123);
        QCOMPARE(c.track.size(), 1); // the location at ring is the call's, not an update
        QCOMPARE(c.track.at(0).accuracyMeters, std::optional<double>(8.0));

        QCOMPARE(c.frames.size(), 2); // one per second: the second ringing frame was skipped
        QCOMPARE(readFile(c.frames.at(0).path), QByteArray("\xFF\xD8\xFF ringing frame"));

        QCOMPARE(c.recordings.size(), 2);
        const auto &caller = c.recordings.at(0);
        QCOMPARE(caller.track, QString("caller"));
        QVERIFY(caller.finalized);
        QCOMPARE(caller.bytes, qint64(callerAudio.size())); // ringing audio exactly once
        QCOMPARE(caller.durationMs, qint64(3000));
        const QByteArray wav = readFile(caller.path);
        QVERIFY(parseWavHeader(wav, wav.size())->finalized());
        QCOMPARE(wav.mid(44), callerAudio);

        const auto &dispatcher = c.recordings.at(1);
        QCOMPARE(dispatcher.track, QString("talkback"));
        const QByteArray talkWav = readFile(dispatcher.path);
        QCOMPARE(talkWav.size() - 44, talkOffsetMs * 32 + talk.size());
        QCOMPARE(talkWav.mid(44, talkOffsetMs * 32), QByteArray(talkOffsetMs * 32, '\0'));
        QVERIFY(talkWav.endsWith(talk));

        QCOMPARE(storage.recorder()->stats().audioBytes, quint64(callerAudio.size()));
        QCOMPARE(storage.recorder()->stats().framesSkipped, quint64(1));
    }

    // Offsets into a recording are durations: a wall clock stepped back an hour during the call
    // (NTP, a person) moves neither the talk-back track nor the frames.
    void wallClockStepDoesNotMoveTheRecording()
    {
        QTemporaryDir dir;
        CallStore store(storeConfig(), clock());
        MetricsRegistry metrics;
        Storage storage(config(dir.path()), store, metrics, clock());
        QVERIFY(storage.open());
        QCOMPARE(store.addCall("step", std::nullopt), CallStore::Result::Ok);
        store.addAudio("step", testPcm(1600, 1));
        QCOMPARE(store.answer("step", Actor::dispatcher("alice")), CallStore::Result::Ok);
        m_clocks.wall = m_clocks.wall.addSecs(-3600);
        advance(2000);
        store.addFrame("step", QByteArray("\xFF\xD8\xFF after the step"));
        const QByteArray talk = testPcm(800, 5);
        QCOMPARE(store.sendTalkBack("step", talk), CallStore::Result::Ok);
        advance(500);
        QCOMPARE(store.end("step", EndReason::DispatcherEnded, Actor::dispatcher("alice")),
                 CallStore::Result::Ok);
        QVERIFY(storage.flush());

        const auto loaded = storage.history()->loadLatest("step");
        QVERIFY2(loaded, qPrintable(loaded.error().message));
        const StoredCall &c = loaded.value();
        QCOMPARE(c.frames.size(), 1);
        QVERIFY2(c.frames.at(0).path.endsWith("/000002000.jpg"), qPrintable(c.frames.at(0).path));
        QCOMPARE(c.recordings.size(), 2);
        QCOMPARE(c.recordings.at(1).track, QString("talkback"));
        const QByteArray talkWav = readFile(c.recordings.at(1).path);
        QCOMPARE(talkWav.size() - 44, 2000 * 32 + talk.size()); // 2 s of silence, then the talk
        QVERIFY(talkWav.endsWith(talk));
    }

    void auditRecordsAiOutputsAndDispatcherActions()
    {
        QTemporaryDir dir;
        CallStore store(storeConfig(), clock());
        MetricsRegistry metrics;
        Storage storage(config(dir.path()), store, metrics, clock());
        QVERIFY(storage.open());
        store.addCall("a-1", std::nullopt);
        store.answer("a-1", Actor::dispatcher("bob"));
        TriageReport ai;
        ai.source = TriageSource::Local;
        ai.severity = 2;
        store.setTriage("a-1", ai);
        store.overrideTriage("a-1", ai, Actor::dispatcher("bob"));
        store.flagCritical("a-1", "weapon mentioned", 4);
        store.hold("a-1", Actor::dispatcher("bob"));
        store.resume("a-1", Actor::dispatcher("bob"));
        AuditSink &sink = storage; // what other subsystems are given
        sink.appendAudit("ai:gemini", "tool_call", "a-1", {{"name", "flag_critical"}});
        sink.appendAudit("dispatcher:bob", "playback", "a-1", {{"track", "caller"}});
        store.transfer("a-1", "dan", Actor::dispatcher("bob"));
        store.updateLocation("a-1", GeoLocation{40.4, -3.7, 10.0, {}});
        store.acceptLocation("a-1", Actor::dispatcher("dan"));
        store.end("a-1", EndReason::DispatcherEnded, Actor::dispatcher("dan"));
        QVERIFY(storage.flush());

        const auto v = verifyTestAudit(dir.path());
        QCOMPARE(v.status, AuditVerification::Status::Valid);
        Database check(testDatabase(dir.path()));
        QVERIFY(check.open(Database::Mode::ReadOnly));
        QSqlQuery q(check.handle());
        QVERIFY(q.exec("SELECT actor || ' ' || action FROM audit_log WHERE call_id = 'a-1' "
                       "ORDER BY seq"));
        QStringList entries;
        while (q.next())
            entries << q.value(0).toString();
        QCOMPARE(entries, QStringList({"dispatcher:bob answer", "ai:local triage_report",
                                       "dispatcher:bob triage_override", "ai critical_flag",
                                       "dispatcher:bob hold", "dispatcher:bob resume",
                                       "ai:gemini tool_call", "dispatcher:bob playback",
                                       "dispatcher:bob transfer", "dispatcher:dan accept_location",
                                       "dispatcher:dan end", "system call_sealed"}));
    }

    void lateRecorderTakesTheBacklog()
    {
        // A recorder that starts after a call began has none of its ringing audio: it takes it
        // from the backlog at answer instead.
        QTemporaryDir dir;
        CallStore store(storeConfig(), clock());
        store.addCall("late", std::nullopt);
        const QByteArray ringing = testPcm(3200, 1);
        store.addAudio("late", ringing);
        MetricsRegistry metrics;
        Storage storage(config(dir.path()), store, metrics, clock());
        QVERIFY(storage.open());
        store.answer("late", Actor::dispatcher("carol"));
        const QByteArray answered = testPcm(1600, 2);
        store.addAudio("late", answered);
        store.end("late", EndReason::CallerHungUp);
        QVERIFY(storage.flush());
        const auto c = storage.history()->loadLatest("late");
        QVERIFY(c);
        QCOMPARE(readFile(c->recordings.at(0).path).mid(44), ringing + answered);
    }

    // Who acknowledged the latest critical flag and when is stored with the call (and the
    // timeline and audit trail name them); an override keeps its note and the AI report it
    // replaced, and history shows both.
    void criticalAcknowledgementAndOverrideAreStored()
    {
        QTemporaryDir dir;
        CallStore store(storeConfig(), clock());
        MetricsRegistry metrics;
        Storage storage(config(dir.path()), store, metrics, clock());
        QVERIFY(storage.open());
        store.addCall("k-1", std::nullopt);
        store.answer("k-1", Actor::dispatcher("ana"));
        TriageReport ai;
        ai.source = TriageSource::Gemini;
        ai.situationSummary = "Collapsed, not breathing";
        ai.responseType = ResponseType::Medical;
        ai.severity = 5;
        ai.critical = true;
        QCOMPARE(store.setTriage("k-1", ai), CallStore::Result::Ok);
        QCOMPARE(store.flagCritical("k-1", "not breathing", 5), CallStore::Result::Ok);
        advance(4000);
        const QDateTime acknowledgedAt = m_now;
        QCOMPARE(store.acknowledgeCritical("k-1", Actor::dispatcher("ana")), CallStore::Result::Ok);
        TriageReport human = ai;
        human.situationSummary = "Fainted, breathing now";
        human.severity = 2;
        human.critical = false;
        human.note = "checked with the caller";
        advance(1000);
        QCOMPARE(store.overrideTriage("k-1", human, Actor::dispatcher("ana")),
                 CallStore::Result::Ok);
        store.end("k-1", EndReason::DispatcherEnded, Actor::dispatcher("ana"));
        QVERIFY(storage.flush());

        const auto stored = storage.history()->loadLatest("k-1");
        QVERIFY(stored);
        QCOMPARE(stored->criticalAcknowledgedBy, QString("dispatcher:ana"));
        QCOMPARE(stored->criticalAcknowledgedAt, acknowledgedAt);
        QVERIFY(std::any_of(stored->timeline.cbegin(), stored->timeline.cend(), [](const auto &e) {
            return e.kind == "critical_acknowledged" && e.detail == "ana";
        }));
        QCOMPARE(stored->triage.size(), 2);
        QVERIFY(!stored->triage.at(0).human);
        QCOMPARE(stored->triage.at(0).report.value("situation_summary").toString(),
                 ai.situationSummary);
        const auto &override = stored->triage.at(1);
        QVERIFY(override.human);
        QCOMPARE(override.severity, 2);
        QCOMPARE(override.report.value("situation_summary").toString(), human.situationSummary);
        QCOMPARE(override.report.value("note").toString(), QString("checked with the caller"));
        QCOMPARE(override.report.value("critical").toBool(), false);
        QVERIFY(override.replacedAi);
        QCOMPARE(override.replacedAi->value("situation_summary").toString(), ai.situationSummary);
        QCOMPARE(override.replacedAi->value("critical").toBool(), true);

        Database check(testDatabase(dir.path()));
        QVERIFY(check.open(Database::Mode::ReadOnly));
        QCOMPARE(queryValue(check.handle(), "SELECT actor FROM audit_log WHERE action = "
                                            "'acknowledge_critical' AND call_id = 'k-1'")
                     .toString(),
                 QString("dispatcher:ana"));
    }

    void interruptedCallIsRepairedAtStartup()
    {
        // A crash snapshot: copy the data dir while a call is live, as kill -9 would leave it,
        // with audio written after the last header update and half a sample at the end.
        QTemporaryDir live;
        QTemporaryDir crashed;
        QByteArray sent;
        {
            CallStore store(storeConfig(), clock());
            MetricsRegistry metrics;
            Storage storage(config(live.path()), store, metrics, clock());
            QVERIFY(storage.open());
            store.addCall("cut", GeoLocation{48.1, 11.5, std::nullopt, m_now});
            store.answer("cut", Actor::dispatcher("dave"));
            for (int i = 0; i < 20; ++i) {
                advance(100);
                sent += testPcm(1600, i);
                store.addAudio("cut", testPcm(1600, i));
            }
            store.addTranscript("cut", {m_now, Speaker::CallerText, "help", true});
            QVERIFY(storage.flush());
            QVERIFY(QProcess::execute("cp", {"-a", live.path() + "/.", crashed.path()}) == 0);
            shareTestDatabase(live.path(), crashed.path()); // PostgreSQL: the same database
            // The lock of a killed console names a dead process; this one is alive, so drop it.
            QVERIFY(QFile::remove(QDir(crashed.path()).filePath("dispatch.lock")));
        }
        QString wav;
        {
            Database db(testDatabase(crashed.path()));
            QVERIFY(db.open(Database::Mode::ReadOnly));
            wav = QDir(crashed.path())
                      .filePath(queryValue(db.handle(), "SELECT path FROM recordings").toString());
        }
        {
            QFile f(wav);
            QVERIFY(f.open(QIODevice::Append));
            const QByteArray tail = testPcm(800, 77);
            sent += tail;
            f.write(tail + QByteArray(1, '\x01'));
        }

        CallStore store(storeConfig(), clock());
        MetricsRegistry metrics;
        advance(60'000);
        Storage storage(config(crashed.path()), store, metrics, clock());
        const auto report = storage.open();
        QVERIFY2(report, qPrintable(report.error().message));
        QCOMPARE(report->interruptedCalls, QStringList{"cut"});
        QCOMPARE(report->repairedRecordings, 1);
        QCOMPARE(report->recoveredAudioBytes, qint64(sent.size()));

        const auto c = storage.history()->loadLatest("cut");
        QVERIFY(c);
        QCOMPARE(c->state, QString("ended"));
        QCOMPARE(c->endReason, QString("interrupted"));
        QVERIFY(c->interrupted);
        QCOMPARE(c->timeline.constLast().kind, QString("ended"));
        QCOMPARE(c->timeline.constLast().detail, QString("interrupted"));
        // It ended at the last thing known about it, not at the restart.
        QVERIFY(c->endedAt < m_now.addSecs(-50));
        QCOMPARE(c->transcript.size(), 1);
        QCOMPARE(c->recordings.at(0).bytes, qint64(sent.size()));
        QVERIFY(c->recordings.at(0).finalized);
        const QByteArray file = readFile(wav);
        QVERIFY(parseWavHeader(file, file.size())->finalized());
        QCOMPARE(file.mid(44), sent);
        QVERIFY(storage.flush());
        QCOMPARE(verifyTestAudit(crashed.path()).status, AuditVerification::Status::Valid);

        // A phone reusing the id after the restart gets a new record, not the old one.
        store.addCall("cut", std::nullopt);
        store.end("cut", EndReason::CallerHungUp);
        QVERIFY(storage.flush());
        const auto again = storage.history()->loadLatest("cut");
        QVERIFY(again->key != c->key);
        QCOMPARE(again->endReason, QString("abandoned"));
    }

    void exportsAnEidoIncident()
    {
        QTemporaryDir dir;
        QTemporaryDir target;
        CallStore store(storeConfig(), clock());
        MetricsRegistry metrics;
        Storage storage(config(dir.path()), store, metrics, clock());
        QVERIFY(storage.open());
        store.addCall("ex-1", GeoLocation{40.4413, -80.0003, 15.0, m_now});
        store.answer("ex-1", Actor::dispatcher("erin"));
        store.addAudio("ex-1", testPcm(16000, 3));
        store.addTranscript("ex-1", {m_now, Speaker::Caller, "there is smoke upstairs", true});
        TriageReport t;
        t.source = TriageSource::Gemini;
        t.severity = 4;
        t.responseType = ResponseType::Fire;
        t.situationSummary = "House fire, occupants inside";
        store.setTriage("ex-1", t);
        store.end("ex-1", EndReason::CallerHungUp);

        const auto files = storage.exportCall("ex-1", target.path(), "dispatcher:erin");
        QVERIFY2(files, qPrintable(files.error().message));
        QCOMPARE(files->size(), 2);
        const QJsonObject doc = QJsonDocument::fromJson(readFile(files->at(0).path)).object();
        QCOMPARE(doc.value("eidoVersion").toString(), QString("1.0"));
        const QJsonObject incident = doc.value("incidentComponent").toArray().at(0).toObject();
        QCOMPARE(incident.value("incidentCommonPriorityNumber").toInt(), 4);
        QCOMPARE(incident.value("incidentTypeInternalText").toString(),
                 QString("House fire, occupants inside"));
        const QJsonObject call = doc.value("callComponent").toArray().at(0).toObject();
        QCOMPARE(call.value("callStateRegistryText").toString(), QString("callEnded"));
        QVERIFY(call.value("answerDate").toString().startsWith("2026-11-22T"));
        const QString pidf = doc.value("locationComponent")
                                 .toArray()
                                 .at(0)
                                 .toObject()
                                 .value("locationByValue")
                                 .toString();
        QVERIFY(pidf.contains("<gml:pos>40.4413000 -80.0003000</gml:pos>"));
        QVERIFY(pidf.contains(">15.0</gs:radius>"));
        QStringList agencyTypes;
        for (const auto &a : doc.value("agencyComponent").toArray())
            agencyTypes << a.toObject().value("agencyType").toArray().at(0).toString();
        QCOMPARE(agencyTypes, QStringList({"psap", "fire"}));
        bool transcriptNote = false;
        for (const auto &n : doc.value("notesComponent").toArray())
            transcriptNote |=
                n.toObject().value("notesActionComment").toString() == "there is smoke upstairs";
        QVERIFY(transcriptNote);
        QCOMPARE(readFile(files->at(1).path),
                 readFile(storage.history()->loadLatest("ex-1")->recordings.at(0).path));
        // The export is audited with the files' checksums; a second export into the same
        // directory is refused (and audited as refused).
        QVERIFY(!storage.exportCall("ex-1", target.path(), "dispatcher:erin"));
        Database check(testDatabase(dir.path()));
        QVERIFY(check.open(Database::Mode::ReadOnly));
        const QJsonObject details =
            QJsonDocument::fromJson(queryValue(check.handle(),
                                               "SELECT details FROM audit_log WHERE action = "
                                               "'export' ORDER BY seq LIMIT 1")
                                        .toString()
                                        .toUtf8())
                .object();
        QVERIFY(details.value("ok").toBool());
        QCOMPARE(details.value("files").toArray().at(1).toObject().value("sha256").toString(),
                 files->at(1).sha256);
    }

    // How the dispatcher closed a call is kept with its end: on the call's row (history), in
    // the audited end and in the export. A routine end, without one, keeps none anywhere.
    void dispositionIsRecordedWithTheEnd()
    {
        QTemporaryDir dir;
        QTemporaryDir target;
        CallStore store(storeConfig(), clock());
        MetricsRegistry metrics;
        Storage storage(config(dir.path()), store, metrics, clock());
        QVERIFY(storage.open());
        for (const char *id : {"d-1", "d-2"}) {
            store.addCall(id, std::nullopt);
            store.answer(id, Actor::dispatcher("fay"));
        }
        store.flagCritical("d-1", "not breathing", 5);
        QCOMPARE(store.end("d-1", EndReason::DispatcherEnded, Actor::dispatcher("fay"),
                           Disposition::UnitsDispatched),
                 CallStore::Result::Ok);
        QVERIFY(store.call("d-1")->disposition == Disposition::UnitsDispatched);
        store.end("d-2", EndReason::DispatcherEnded, Actor::dispatcher("fay"));
        QVERIFY(storage.flush());

        QCOMPARE(storage.history()->loadLatest("d-1")->disposition, QString("units_dispatched"));
        QCOMPARE(storage.history()->loadLatest("d-2")->disposition, QString());
        Database check(testDatabase(dir.path()));
        QVERIFY(check.open(Database::Mode::ReadOnly));
        auto endDetails = [&](const char *id) {
            return QJsonDocument::fromJson(
                       queryValue(check.handle(),
                                  QString("SELECT details FROM audit_log WHERE action = 'end' "
                                          "AND call_id = '%1'")
                                      .arg(id))
                           .toString()
                           .toUtf8())
                .object();
        };
        QCOMPARE(endDetails("d-1"), QJsonObject({{"reason", "dispatcher_ended"},
                                                 {"disposition", "units_dispatched"}}));
        QCOMPARE(endDetails("d-2"), QJsonObject({{"reason", "dispatcher_ended"}}));
        const auto files = storage.exportCall("d-1", target.path(), "dispatcher:fay");
        QVERIFY2(files, qPrintable(files.error().message));
        const QJsonObject doc = QJsonDocument::fromJson(readFile(files->at(0).path)).object();
        QCOMPARE(doc.value("x-dispatchConsole").toObject().value("disposition").toString(),
                 QString("units_dispatched"));
    }
};

QTEST_GUILESS_MAIN(TestCallRecorder)
#include "tst_callrecorder.moc"
