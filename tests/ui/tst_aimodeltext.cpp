// The status bar's words for the Gemini model in use: first choice, fallback after a refusal,
// shut-down models skipped, nothing left; and for the local shadows.
#include "aimodeltext.h"
#include "gemini/closeclassification.h"
#include "gemini/modelchoice.h"

#include <QTest>

using namespace dispatch;
using namespace dispatch::gemini;

class TestAiModelText : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void firstChoiceIsNamed()
    {
        ModelChoice choice({"gemini-3.8-live", "gemini-3.1-flash-live-preview"});
        QCOMPARE(AiModelText::label(choice), QString("model gemini-3.8-live"));
        QVERIFY(AiModelText::tooltip(choice).contains("no call has used it yet"));
        QVERIFY(choice.confirm("gemini-3.8-live"));
        QVERIFY(
            AiModelText::tooltip(choice).contains("gemini-3.8-live is in use and has answered"));
    }

    void aRetiredModelShowsTheFallbackAndWhy()
    {
        ModelChoice choice({"gemini-3.8-live", "gemini-3.1-flash-live-preview"});
        QVERIFY(choice.refuse("gemini-3.8-live", CloseCategory::ModelNotFound));
        QCOMPARE(AiModelText::label(choice),
                 QString("model gemini-3.1-flash-live-preview (fallback)"));
        QVERIFY2(AiModelText::tooltip(choice).contains("gemini-3.8-live: not found by the service"),
                 qPrintable(AiModelText::tooltip(choice)));
    }

    void shutDownModelsAreSkippedAndSaidSo()
    {
        ModelChoice choice({"gemini-2.0-flash-live-001", "gemini-3.8-live"});
        QCOMPARE(AiModelText::label(choice), QString("model gemini-3.8-live (fallback)"));
        QVERIFY(AiModelText::tooltip(choice).contains(
            "gemini-2.0-flash-live-001: shut down by Google"));
    }

    void nothingLeftIsSaid()
    {
        ModelChoice choice({"gemini-2.0-flash-live-001"});
        QCOMPARE(AiModelText::label(choice), QString("no Gemini model left"));
    }

    void shadowsAreCountedWithTheirLimitAndWhy();
};

// The status bar's local shadows: how many calls, the limit, and the engine's reason in words.
void TestAiModelText::shadowsAreCountedWithTheirLimitAndWhy()
{
    CallStore store;
    ShadowStatus s{3, 5, ShadowLimitReason::Cpu};
    AiModelText::StatusLine line = AiModelText::statusLine(store, 8, nullptr, s);
    QCOMPARE(line.text, QString("AI: 0 of 8 Gemini sessions, 0 local · 3 of 5 calls shadowed"));
    QVERIFY2(line.tooltip.contains("limited by the free CPU"), qPrintable(line.tooltip));
    s.reason = ShadowLimitReason::Cap;
    QVERIFY(AiModelText::statusLine(store, 8, nullptr, s)
                .tooltip.contains("limited by the configured maximum"));
    s.reason = ShadowLimitReason::Latency;
    QVERIFY(AiModelText::statusLine(store, 8, nullptr, s).tooltip.contains("relayed late"));
    // Off, none running: not mentioned; no engine here (a remote console): not either.
    QCOMPARE(
        AiModelText::statusLine(store, 8, nullptr, ShadowStatus{0, 0, ShadowLimitReason::Off}).text,
        QString("AI: 0 of 8 Gemini sessions, 0 local"));
    QCOMPARE(AiModelText::statusLine(store, 8, nullptr).text,
             QString("AI: 0 of 8 Gemini sessions, 0 local"));
}

QTEST_GUILESS_MAIN(TestAiModelText)
#include "tst_aimodeltext.moc"
