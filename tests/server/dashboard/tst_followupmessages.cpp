// The follow-up of abandoned and lost calls on the dashboard protocol: resolve_follow_up from a
// console, follow_up from the host, the follow_up fields of snapshots and hello. Real-looking
// messages both ways, and hostile ones.
#include "dashboard/dashboardcommands.h"
#include "dashboard/dashboardevents.h"

#include <QJsonDocument>
#include <QTest>

using namespace dispatch;
using namespace dispatch::dashboard;

namespace {

QByteArray j(const char *text)
{
    QByteArray b(text);
    b.replace('\'', '"');
    return b;
}

QJsonObject object(const QByteArray &bytes)
{
    return QJsonDocument::fromJson(bytes).object();
}

} // namespace

class TestFollowUpMessages : public QObject
{
    Q_OBJECT

    const QDateTime m_now = QDateTime(QDate(2026, 12, 7), QTime(11, 0), Qt::UTC);

private Q_SLOTS:
    void resolveFollowUpRoundTrips()
    {
        for (FollowUp f : followUpResolutions()) {
            const QByteArray wire = encodeCommand(ResolveFollowUp{"ab-1", f});
            QCOMPARE(object(wire).value("type").toString(), QString("resolve_follow_up"));
            QCOMPARE(object(wire).value("follow_up").toString(), toString(f));
            const auto parsed = parseCommand(wire);
            QVERIFY2(parsed, qPrintable(parsed.error().message));
            const auto *command = std::get_if<ResolveFollowUp>(&parsed.value());
            QVERIFY(command);
            QCOMPARE(command->callId, QString("ab-1"));
            QVERIFY(command->resolution == f);
            QCOMPARE(callIdOf(parsed.value()), QString("ab-1"));
        }
    }

    void hostileResolveFollowUp_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("code");
        QTest::newRow("no resolution")
            << j("{'type':'resolve_follow_up','call_id':'a'}") << "bad_field";
        QTest::newRow("open is no resolution")
            << j("{'type':'resolve_follow_up','call_id':'a','follow_up':'open'}") << "bad_field";
        QTest::newRow("empty") << j("{'type':'resolve_follow_up','call_id':'a','follow_up':''}")
                               << "bad_field";
        QTest::newRow("unknown code")
            << j("{'type':'resolve_follow_up','call_id':'a','follow_up':'went_fishing'}")
            << "bad_field";
        QTest::newRow("a number") << j("{'type':'resolve_follow_up','call_id':'a','follow_up':2}")
                                  << "bad_field";
        QTest::newRow("huge") << QByteArray("{\"type\":\"resolve_follow_up\",\"call_id\":\"a\","
                                            "\"follow_up\":\"" +
                                            QByteArray(5000, 'x') + "\"}")
                              << "bad_field";
        QTest::newRow("no call id")
            << j("{'type':'resolve_follow_up','follow_up':'handled'}") << "bad_field";
    }
    void hostileResolveFollowUp()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, code);
        const auto parsed = parseCommand(json);
        QVERIFY(!parsed);
        QCOMPARE(parsed.error().code, code);
    }

    void followUpEventRoundTrips()
    {
        const QByteArray wire = encodeEvent(FollowUpUpdate{"ab-1", FollowUp::NoAnswer, "ben"});
        QCOMPARE(object(wire), QJsonObject({{"type", "follow_up"},
                                            {"call_id", "ab-1"},
                                            {"follow_up", "no_answer"},
                                            {"by", "ben"}}));
        const auto parsed = parseEvent(wire, m_now);
        QVERIFY2(parsed, qPrintable(parsed.error().message));
        const auto *e = std::get_if<FollowUpUpdate>(&parsed.value());
        QVERIFY(e);
        QCOMPARE(e->callId, QString("ab-1"));
        QVERIFY(e->resolution == FollowUp::NoAnswer);
        QCOMPARE(e->by, QString("ben"));
        // A newer host's code this console does not know is refused, not read as resolved.
        QVERIFY(!parseEvent(j("{'type':'follow_up','call_id':'ab-1','follow_up':'x'}"), m_now));
        QVERIFY(!parseEvent(j("{'type':'follow_up','call_id':'ab-1','follow_up':'open'}"), m_now));
    }

    // Snapshots carry the follow-up of an ended call; hello lists ended calls still waiting for
    // one beside the live calls, and no other ended call.
    void snapshotsAndHelloCarryTheFollowUp()
    {
        Call open;
        open.id = "ab-open";
        open.state = CallState::Ended;
        open.endReason = EndReason::Abandoned;
        open.followUp = FollowUp::Open;
        open.ringingSince = m_now.addSecs(-60);
        open.endedAt = m_now.addSecs(-50);
        Call resolved = open;
        resolved.id = "ab-done";
        resolved.followUp = FollowUp::CalledBack;
        resolved.followUpBy = "alice";
        resolved.followUpAt = m_now.addSecs(-10);
        Call routine;
        routine.id = "routine";
        routine.state = CallState::Ended;
        routine.endReason = EndReason::DispatcherEnded;
        routine.ringingSince = m_now.addSecs(-60);
        routine.endedAt = m_now.addSecs(-5);
        Call live;
        live.id = "live";
        live.ringingSince = m_now.addSecs(-3);

        for (const Call *c : {&open, &resolved, &routine}) {
            const QJsonObject snapshot = callSnapshot(*c, m_now);
            QCOMPARE(snapshot.value("follow_up").toString(), toString(c->followUp));
            const auto back = callFromSnapshot(snapshot, m_now);
            QVERIFY2(back, qPrintable(back.error().message));
            QVERIFY(back->followUp == c->followUp);
            QCOMPARE(back->followUpBy, c->followUpBy);
            QCOMPARE(back->followUpAt, c->followUpAt);
        }
        QVERIFY(!callSnapshot(routine, m_now).contains("follow_up"));

        const auto hello = parseEvent(encodeHello({&open, &resolved, &routine, &live}, m_now,
                                                  Principal{"ana", Role::Dispatcher, {}}),
                                      m_now);
        QVERIFY2(hello, qPrintable(hello.error().message));
        QStringList ids;
        for (const Call &c : std::get<Hello>(hello.value()).calls)
            ids << c.id;
        QCOMPARE(ids, QStringList({"ab-open", "live"}));
    }
};

QTEST_GUILESS_MAIN(TestFollowUpMessages)
#include "tst_followupmessages.moc"
