// The follow-up of an abandoned or lost call and the late assessment of its ring-time audio go
// into the database beside the rest of its record: the call row (history), the timeline, the
// audit trail. The call's seal, made at its end, still verifies after them.
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "fakeclocks.h"
#include "storage/auditchain.h"
#include "storage/database.h"
#include "storage/storage.h"
#include "storagetesthelpers.h"

#include <QDir>
#include <QJsonDocument>
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
        return c;
    }
    StorageConfig config(const QString &dir)
    {
        StorageConfig c;
        c.dataDir = dir;
        c.health.freeBytesProbe = [](const QString &) { return qint64(1) << 40; };
        c.recorder.monotonic = m_clocks.monotonic();
        return c;
    }

private Q_SLOTS:
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
        // Listings carry it too (the history table's End column).
        const auto listed = storage.history()->list(m_now.addDays(-1), m_now.addDays(1));
        QVERIFY(listed);
        QCOMPARE(listed->size(), 2);

        // Audited with who resolved it; the chain and every call's seal still verify.
        Database check(QDir(dir.path()).filePath(Database::fileName()));
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
        const auto verified = verifyAuditLog(dir.path());
        QVERIFY2(verified.status == AuditVerification::Status::Valid,
                 qPrintable(verified.reason + verified.modified.join("; ")));
    }
};

QTEST_GUILESS_MAIN(TestFollowUpRecord)
#include "tst_followuprecord.moc"
