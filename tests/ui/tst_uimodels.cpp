#include "alertstate.h"
#include "callheader.h"
#include "callqueuemodel.h"
#include "calls/callstore.h"
#include "transcriptmodel.h"
#include "vitalshistory.h"

#include <QSignalSpy>
#include <QTest>

using namespace dispatch;

class TestUiModels : public QObject
{
    Q_OBJECT

    QDateTime m_now = QDateTime(QDate(2026, 11, 22), QTime(4, 0), Qt::UTC);
    Clock clock()
    {
        return [this] { return m_now; };
    }

private Q_SLOTS:
    // The engine sends codes with numbers; the words are the console's. Its technical detail
    // (English, for logs) is never shown.
    void aiLinkCodesBecomeText_data()
    {
        QTest::addColumn<TriageLink>("link");
        QTest::addColumn<QString>("text");
        using S = TriageLinkState;
        using R = TriageLinkReason;
        using F = TriageFailureKind;
        QTest::newRow("live") << TriageLink{S::Live, R::None, F::None, {}, "handed over"}
                              << "AI (Gemini) listening";
        QTest::newRow("waiting") << TriageLink{S::Local, R::WaitingForSlot, F::None, {2, 3}}
                                 << "local triage (waiting for an AI slot (2 of 3 in use))";
        QTest::newRow("breaker") << TriageLink{S::Local, R::BreakerOpen, F::Quota, {120}, "429"}
                                 << "local triage (AI unavailable (quota exceeded); retrying "
                                    "in 120 s)";
        QTest::newRow("fallback") << TriageLink{S::Local, R::Fallback, F::ApiKey, {}, "1007 …"}
                                  << "local triage (fallback: API key refused)";
        QTest::newRow("failed") << TriageLink{S::Failed, R::None, F::ModelNotFound}
                                << "AI failed (model not found)";
        QTest::newRow("meanwhile")
            << TriageLink{S::Resuming, R::LocalMeanwhile, F::None, {}, "connection lost"}
            << "AI reconnecting (local triage meanwhile)";
        QTest::newRow("no key") << TriageLink{S::Local, R::NoApiKey} << "local triage (no API key)";
        QTest::newRow("selected") << TriageLink{S::Local, R::LocalSelected}
                                  << "local triage (local triage selected)";
        QTest::newRow("none") << TriageLink{} << QString();
    }

    void aiLinkCodesBecomeText()
    {
        QFETCH(TriageLink, link);
        QFETCH(QString, text);
        QCOMPARE(CallHeader::aiLinkText(link), text);
    }

    void answerClockTurnsAmberThenRed()
    {
        CallStore store({}, clock());
        CallQueueModel model(store);
        store.addCall("a", std::nullopt);
        const QModelIndex cell = model.index(0, CallQueueModel::RingTime);
        QCOMPARE(model.data(cell, CallQueueModel::AnswerUrgencyRole).toInt(), 0);
        m_now = m_now.addMSecs(14'999);
        QCOMPARE(model.data(cell, CallQueueModel::AnswerUrgencyRole).toInt(), 0);
        m_now = m_now.addMSecs(1);
        QCOMPARE(model.data(cell, CallQueueModel::AnswerUrgencyRole).toInt(), 1);
        m_now = m_now.addMSecs(5'000);
        QCOMPARE(model.data(cell, CallQueueModel::AnswerUrgencyRole).toInt(), 2);
        QCOMPARE(model.data(cell).toString(), QString("0:20"));
        store.answer("a", Actor::dispatcher("me"));
        QCOMPARE(model.data(cell, CallQueueModel::AnswerUrgencyRole).toInt(), 0);
    }

    void queueFollowsTheStore()
    {
        CallStore store({}, clock());
        CallQueueModel model(store);
        QSignalSpy changed(&model, &QAbstractItemModel::dataChanged);
        store.addCall("a", GeoLocation{1.5, 2.5, 10.0, m_now});
        store.addCall("b", std::nullopt);
        QCOMPARE(model.rowCount(), 2);
        QCOMPARE(model.nextRingingCall(), QString("a"));
        store.answer("a", Actor::dispatcher("me"));
        QCOMPARE(model.nextRingingCall(), QString("b"));
        QVERIFY(changed.count() >= 1);
        TriageReport r;
        r.severity = 4;
        r.responseType = ResponseType::Fire;
        store.setTriage("a", r);
        QCOMPARE(model.data(model.index(0, CallQueueModel::Severity)).toInt(), 4);
        QCOMPARE(model.data(model.index(0, CallQueueModel::ResponseType)).toString(),
                 QString("fire"));
        QCOMPARE(model.data(model.index(0, CallQueueModel::Location)).toString(),
                 QString("1.50000, 2.50000"));
        QCOMPARE(model.data(model.index(1, CallQueueModel::Location)).toString(),
                 QString("unknown"));
        QCOMPARE(model.data(model.index(0, CallQueueModel::AiLink)).toString(), QString());
        store.setTriageLink("a", TriageLink{TriageLinkState::Local, TriageLinkReason::NoApiKey});
        QCOMPARE(model.data(model.index(0, CallQueueModel::AiLink)).toString(),
                 QString("local triage"));
    }

    void transcriptReplacesPartials()
    {
        CallStore store({}, clock());
        TranscriptModel model(store);
        store.addCall("a", std::nullopt);
        model.setCall("a");
        store.addTranscript("a", {m_now, Speaker::Caller, "my hus", false});
        store.addTranscript("a", {m_now, Speaker::Caller, "my husband", true});
        store.addTranscript("a", {m_now, Speaker::CallerText, "he is blue", true});
        QCOMPARE(model.rowCount(), 2);
        QVERIFY(model.data(model.index(0)).toString().contains("my husband"));
        QVERIFY(!model.data(model.index(0)).toString().contains(QChar(0x2026)));
        QVERIFY(model.data(model.index(1)).toString().contains("Caller (typed)"));
        store.addTranscript("b", {m_now, Speaker::Caller, "other call", true}); // unknown: refused
        QCOMPARE(model.rowCount(), 2);
    }

    void alertStateTracksRingingAndCriticals()
    {
        CallStore store({}, clock());
        AlertState alerts(store);
        QSignalSpy ringing(&alerts, &AlertState::ringingChanged);
        store.addCall("a", std::nullopt);
        QVERIFY(alerts.anyRinging());
        store.answer("a", Actor::dispatcher("me"));
        QVERIFY(!alerts.anyRinging());
        QCOMPARE(ringing.count(), 2);
        store.flagCritical("a", "not breathing", 5);
        QVERIFY(alerts.hasUnacknowledgedCritical("a"));
        QCOMPARE(alerts.critical("a").reason, QString("not breathing"));
        alerts.acknowledge("a");
        QVERIFY(!alerts.hasUnacknowledgedCritical("a"));
    }

    void vitalsHistoryIsBoundedPerCall()
    {
        CallStore store({}, clock());
        VitalsHistory history(store);
        store.addCall("a", std::nullopt);
        for (int i = 0; i < VitalsHistory::MaxSamples + 10; ++i) {
            VitalsSample s;
            s.heartRate = 60 + i % 40;
            store.addVitals("a", s);
        }
        QCOMPARE(history.samples("a").size(), VitalsHistory::MaxSamples);
        QVERIFY(history.samples("none").isEmpty());
    }
};

QTEST_MAIN(TestUiModels)
#include "tst_uimodels.moc"
