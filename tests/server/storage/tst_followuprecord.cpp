// The follow-up of an abandoned or lost call and the late assessment of its ring-time audio go
// into the database beside the rest of its record: the call row (history), the timeline, the
// audit trail. The call's seal, made at its end, still verifies after them.
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
#include <QFile>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSignalSpy>
#include <QSqlQuery>
#include <QTemporaryDir>
#include <QTest>

using namespace dispatch;
using namespace dispatch::test;

class TestFollowUpRecord : public QObject
{
    Q_OBJECT

private:
    FakeClocks m_clocks{1'000'000, QDateTime(QDate(2026, 12, 7), QTime(11, 0), Qt::UTC)};
    QDateTime &m_now = m_clocks.wall;
    Clock clock() { return m_clocks.wallClock(); }
    CallStoreConfig storeConfig()
    {
        CallStoreConfig c;
        c.monotonic = m_clocks.monotonic();
        // The site's address points: one house near the test calls.
        c.addressLookup = [](const GeoLocation &) {
            geo::AddressMatch m;
            m.status = geo::AddressStatus::Found;
            m.address.number = "12";
            m.address.streetName = "Calle Mayor";
            m.address.community = "Madrid";
            m.distanceMeters = 6.5;
            m.radiusMeters = 50;
            return m;
        };
        return c;
    }
    static QVariant scalar(const QString &dir, const QString &sql)
    {
        Database check(testDatabase(dir));
        if (!check.open(Database::Mode::ReadOnly))
            return QVariant();
        return queryValue(check.handle(), sql);
    }
    static int count(const QString &dir, const QString &sql) { return scalar(dir, sql).toInt(); }
    static QString queryText(const QString &dir, const QString &sql)
    {
        return scalar(dir, sql).toString();
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

    void followUpAndLateTriageRoundTrip()
    {
        QTemporaryDir dir;
        CallStore store(storeConfig(), clock());
        MetricsRegistry metrics;
        Storage storage(config(dir.path()), store, metrics, clock());
        QVERIFY(storage.open());

        store.addCall("ab-1", GeoLocation{40.4, -3.7, 8.0, m_now});
        for (int i = 0; i < 10; ++i) {
            m_clocks.advance(100);
            store.addAudio("ab-1", testPcm(1600, i));
        }
        QVERIFY(store.end("ab-1", EndReason::CallerHungUp) == CallStore::Result::Ok);
        m_clocks.advance(2000);
        // The offline engine's assessment of the ring-time audio, after the end.
        QVERIFY(store.addTranscript("ab-1", {m_now, Speaker::Caller, "my husband collapsed",
                                             true}) == CallStore::Result::Ok);
        TriageReport late;
        late.severity = 5;
        late.critical = true;
        late.responseType = ResponseType::Medical;
        late.situationSummary = "husband collapsed, not breathing";
        late.source = TriageSource::Local;
        QVERIFY(store.setTriage("ab-1", late) == CallStore::Result::Ok);
        m_clocks.advance(60'000);
        const QDateTime resolvedAt = m_now;
        QVERIFY(store.resolveFollowUp("ab-1", FollowUp::CalledBack, Actor::dispatcher("alice")) ==
                CallStore::Result::Ok);
        // A lost caller nobody has called back yet.
        store.addCall("lost-1", std::nullopt);
        store.answer("lost-1", Actor::dispatcher("bob"));
        store.end("lost-1", EndReason::CallerLost);
        QVERIFY(storage.flush());

        const auto ab = storage.history()->loadLatest("ab-1");
        QVERIFY2(ab, qPrintable(ab.error().message));
        QCOMPARE(ab->endReason, QString("abandoned"));
        QCOMPARE(ab->followUp, QString("called_back"));
        QCOMPARE(ab->followUpBy, QString("alice"));
        QCOMPARE(ab->followUpAt, resolvedAt);
        QCOMPARE(ab->severity, std::optional<int>(5));
        QCOMPARE(ab->responseType, QString("medical"));
        QCOMPARE(ab->lateTriage.value("situation_summary").toString(),
                 QString("husband collapsed, not breathing"));
        QVERIFY(ab->firstTriageAt.isValid());
        QStringList kinds;
        for (const StoredCall::Event &e : ab->timeline)
            kinds << e.kind;
        QCOMPARE(kinds, QStringList({"rang", "ended", "first_triage", "followed_up"}));
        QCOMPARE(ab->timeline.constLast().detail, QString("called_back"));
        const auto lost = storage.history()->loadLatest("lost-1");
        QVERIFY(lost);
        QCOMPARE(lost->followUp, QString("open"));
        QCOMPARE(lost->followUpBy, QString());
        QVERIFY(!lost->followUpAt.isValid());
        QVERIFY(lost->lateTriage.isEmpty());
        // What the abandoned caller said while it rang, beside the sealed transcript.
        QCOMPARE(ab->lateTranscript.size(), 1);
        QCOMPARE(ab->lateTranscript.constFirst().text, QString("my husband collapsed"));
        QCOMPARE(ab->lateTranscript.constFirst().speaker, QString("caller"));
        QVERIFY(ab->transcript.isEmpty());
        QVERIFY(lost->lateTranscript.isEmpty());
        // The site address of the last location.
        QVERIFY(ab->address.found());
        QCOMPARE(ab->address.address.streetLine(), QString("12 Calle Mayor"));
        QCOMPARE(ab->address.distanceMeters, 6.5);
        QVERIFY(lost->address.status == geo::AddressStatus::NoData); // never had a location
        // The export carries the follow-up, the ring-time transcript and assessment, and the
        // site address (as a civic location beside the caller's fixes).
        QTemporaryDir target;
        const auto exported = storage.exportCall("ab-1", target.path(), "dispatcher:alice");
        QVERIFY2(exported, qPrintable(exported.error().message));
        QFile doc(exported->constFirst().path);
        QVERIFY(doc.open(QIODevice::ReadOnly));
        const QJsonObject eido = QJsonDocument::fromJson(doc.readAll()).object();
        const QJsonObject ext = eido.value("x-dispatchConsole").toObject();
        QCOMPARE(ext.value("follow_up").toString(), QString("called_back"));
        QCOMPARE(ext.value("follow_up_by").toString(), QString("alice"));
        QCOMPARE(ext.value("site_address").toObject().value("status").toString(), QString("found"));
        QStringList noteKinds;
        QString ringTranscript;
        for (const QJsonValue &n : eido.value("notesComponent").toArray()) {
            noteKinds << n.toObject().value("notesTypeText").toString();
            if (noteKinds.constLast() == "transcript_while_ringing")
                ringTranscript = n.toObject().value("notesActionComment").toString();
        }
        QCOMPARE(ringTranscript, QString("my husband collapsed"));
        QVERIFY(noteKinds.contains("triage_while_ringing"));
        QString civic;
        for (const QJsonValue &l : eido.value("locationComponent").toArray()) {
            if (l.toObject().value("$id").toString().endsWith(":site-address"))
                civic = l.toObject().value("locationByValue").toString();
        }
        QVERIFY2(civic.contains("<ca:RD>Calle Mayor</ca:RD>") &&
                     civic.contains("<ca:HNO>12</ca:HNO>") &&
                     civic.contains("<ca:A3>Madrid</ca:A3>"),
                 qPrintable(civic));
        // Listings carry it too (the history table's End column).
        const auto listed = storage.history()->list(m_now.addDays(-1), m_now.addDays(1));
        QVERIFY(listed);
        QCOMPARE(listed->size(), 2);

        // Audited with who resolved it; the chain and every call's seal still verify.
        Database check(testDatabase(dir.path()));
        QVERIFY(check.open(Database::Mode::ReadOnly));
        QSqlQuery q(check.handle());
        QVERIFY(q.exec("SELECT actor, details FROM audit_log WHERE action = 'follow_up'"));
        QVERIFY(q.next());
        QCOMPARE(q.value(0).toString(), QString("dispatcher:alice"));
        QCOMPARE(QJsonDocument::fromJson(q.value(1).toString().toUtf8()).object(),
                 QJsonObject({{"resolution", "called_back"}}));
        QVERIFY(!q.next());
        QCOMPARE(queryValue(check.handle(), "SELECT COUNT(*) FROM audit_log WHERE action = "
                                            "'triage_report' AND call_id = 'ab-1'")
                     .toInt(),
                 1);
        const auto verified = verifyTestAudit(dir.path());
        QVERIFY2(verified.status == AuditVerification::Status::Valid,
                 qPrintable(verified.reason + verified.modified.join("; ")));
    }

    // A restart must not make the room forget a caller who hung up before anyone answered: the
    // calls whose follow-up is open come back into the queue as they were, and what is done
    // with them then updates their rows (no second row, no second triage row).
    void openFollowUpsComeBackAfterARestart()
    {
        QTemporaryDir dir;
        {
            CallStore store(storeConfig(), clock());
            MetricsRegistry metrics;
            Storage storage(config(dir.path()), store, metrics, clock());
            QVERIFY(storage.open());
            store.addCall("ab-2", GeoLocation{40.4, -3.7, 8.0, m_now});
            store.addAudio("ab-2", testPcm(1600, 1));
            QVERIFY(store.end("ab-2", EndReason::CallerHungUp) == CallStore::Result::Ok);
            m_clocks.advance(1500);
            store.addTranscript("ab-2", {m_now, Speaker::Caller, "he is not breathing", true});
            TriageReport late;
            late.severity = 5;
            late.critical = true;
            late.responseType = ResponseType::Medical;
            late.situationSummary = "not breathing";
            late.source = TriageSource::Local;
            late.producedAt = m_now;
            QVERIFY(store.setTriage("ab-2", late) == CallStore::Result::Ok);
            // Answered, flagged, acknowledged, then the caller vanished.
            store.addCall("lost-2", GeoLocation{40.41, -3.71, 20.0, m_now});
            store.answer("lost-2", Actor::dispatcher("bob"));
            TriageReport fire;
            fire.severity = 4;
            fire.critical = true;
            fire.responseType = ResponseType::Fire;
            fire.situationSummary = "kitchen fire";
            fire.source = TriageSource::Local;
            fire.producedAt = m_now;
            store.setTriage("lost-2", fire);
            store.flagCritical("lost-2", "fire", 4);
            m_clocks.advance(1000);
            QVERIFY(store.acknowledgeCritical("lost-2", Actor::supervisor("carol")) ==
                    CallStore::Result::Ok);
            store.end("lost-2", EndReason::CallerLost);
            // Called back already: stays in history only.
            store.addCall("done-2", std::nullopt);
            store.end("done-2", EndReason::CallerHungUp);
            QVERIFY(store.resolveFollowUp("done-2", FollowUp::CalledBack,
                                          Actor::dispatcher("alice")) == CallStore::Result::Ok);
            // Answered and ended normally: no follow-up.
            store.addCall("ok-2", std::nullopt);
            store.answer("ok-2", Actor::dispatcher("bob"));
            store.end("ok-2", EndReason::DispatcherEnded, Actor::dispatcher("bob"));
            QVERIFY(storage.flush());
        }
        const QString ackBefore =
            queryText(dir.path(), "SELECT critical_acknowledged_by FROM calls WHERE call_id = "
                                  "'lost-2'");
        QCOMPARE(ackBefore, QString("supervisor:carol"));
        const int triageRows = count(dir.path(), "SELECT COUNT(*) FROM triage_reports");

        m_clocks.advance(3'600'000); // an hour later the console starts again
        CallStore store(storeConfig(), clock());
        QSignalSpy added(&store, &CallStore::callAdded);
        MetricsRegistry metrics;
        Storage storage(config(dir.path()), store, metrics, clock());
        const auto opened = storage.open();
        QVERIFY(opened);
        QCOMPARE(opened->restoredFollowUps, 2);
        QCOMPARE(added.size(), 2);
        QCOMPARE(added.at(0).at(0).toString(), QString("ab-2")); // in the order they rang
        QCOMPARE(added.at(1).at(0).toString(), QString("lost-2"));
        QVERIFY(!store.call("done-2"));
        QVERIFY(!store.call("ok-2"));

        const Call *ab = store.call("ab-2");
        QVERIFY(ab);
        QVERIFY(ab->state == CallState::Ended);
        QVERIFY(ab->endReason == EndReason::Abandoned);
        QVERIFY(ab->followUp == FollowUp::Open);
        QVERIFY(ab->triage);
        QCOMPARE(ab->triage->severity, 5);
        QVERIFY(ab->triage->critical);
        QCOMPARE(ab->triage->situationSummary, QString("not breathing"));
        QCOMPARE(ab->transcript.size(), 1);
        QCOMPARE(ab->transcript.constFirst().text, QString("he is not breathing"));
        QVERIFY(ab->location);
        QCOMPARE(ab->location->latitude, 40.4);
        QVERIFY(ab->address.found());
        QCOMPARE(ab->address.address.streetLine(), QString("12 Calle Mayor"));
        QVERIFY(!ab->answeredAt.isValid());
        const Call *lost = store.call("lost-2");
        QVERIFY(lost);
        QVERIFY(lost->endReason == EndReason::CallerLost);
        QCOMPARE(lost->answeredBy, QString("bob"));
        QVERIFY(lost->criticalAlert.isAcknowledged());
        QCOMPARE(toString(lost->criticalAlert.acknowledgedBy), QString("supervisor:carol"));
        QVERIFY(!lost->hasUnacknowledgedCritical());

        // Resolving one now updates its row, which keeps everything it held.
        m_clocks.advance(5000);
        QVERIFY(store.resolveFollowUp("lost-2", FollowUp::Handled, Actor::dispatcher("alice")) ==
                CallStore::Result::Ok);
        QVERIFY(storage.flush());
        QCOMPARE(count(dir.path(), "SELECT COUNT(*) FROM calls"), 4);
        QCOMPARE(count(dir.path(), "SELECT COUNT(*) FROM triage_reports"), triageRows);
        const auto reread = storage.history()->loadLatest("lost-2");
        QVERIFY(reread);
        QCOMPARE(reread->followUp, QString("handled"));
        QCOMPARE(reread->followUpBy, QString("alice"));
        QCOMPARE(reread->criticalAcknowledgedBy, ackBefore);
        QCOMPARE(reread->answeredBy, QString("bob"));
        QCOMPARE(reread->severity, std::optional<int>(4));
        QCOMPARE(reread->responseType, QString("fire"));
        QVERIFY(reread->address.found());
        QCOMPARE(reread->timeline.constLast().kind, QString("followed_up"));
        const auto abStored = storage.history()->loadLatest("ab-2");
        QVERIFY(abStored);
        QCOMPARE(abStored->followUp, QString("open"));
        QCOMPARE(abStored->lateTranscript.size(), 1);
        const auto verified = verifyTestAudit(dir.path());
        QVERIFY2(verified.status == AuditVerification::Status::Valid,
                 qPrintable(verified.reason + verified.modified.join("; ")));
    }
};

QTEST_GUILESS_MAIN(TestFollowUpRecord)
#include "tst_followuprecord.moc"
