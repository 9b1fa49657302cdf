// The capability table (every known row, the conservative row for unknown models) and the
// process-wide model list with its fallback rule.
#include "gemini/modelcapabilities.h"
#include "gemini/modelchoice.h"

#include <QTest>

using namespace dispatch::gemini;

class TestModelCapabilities : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void knownRows_data();
    void knownRows();
    void unknownModelIsConservative();
    void idsAreNormalized();
    void everyRowIsListedOnce();
    void currentStableModel();
    void choiceParsesAList();
    void choiceSkipsShutDownModels();
    void choiceFallsBackOnRefusal();
    void choiceKeepsTheLastModel();
    void choiceEverythingShutDown();
};

namespace {

using Behavior = ToolBehavior;

} // namespace

void TestModelCapabilities::knownRows_data()
{
    QTest::addColumn<QString>("model");
    QTest::addColumn<LiveBackend>("backend");
    QTest::addColumn<ModelStatus>("status");
    QTest::addColumn<bool>("blocking");
    QTest::addColumn<bool>("nonBlocking");
    QTest::addColumn<Behavior>("defaultBehavior");
    QTest::addColumn<bool>("scheduling");
    QTest::addColumn<bool>("proactivity");
    QTest::addColumn<bool>("affective");
    QTest::addColumn<ThinkingControl>("thinking");
    QTest::addColumn<bool>("mediaResolution");
    QTest::addColumn<bool>("text");
    QTest::addColumn<ResumptionKind>("resumption");
    QTest::addColumn<qint64>("inputTokens");
    QTest::addColumn<qint64>("outputTokens");
    QTest::addColumn<bool>("manualActivity");

    const auto api = LiveBackend::GeminiApi;
    const auto replay = ResumptionKind::ClientReplay;
    // clang-format off
    QTest::newRow("3.8 live")
        << "gemini-3.8-live" << api << ModelStatus::Stable << true << true << Behavior::NonBlocking
        << true << false << false << ThinkingControl::Level << true << false << replay
        << qint64(131072) << qint64(65536)
        << true;
    QTest::newRow("3.8 extended thinking")
        << "gemini-3.8-live-extended-thinking" << api << ModelStatus::Stable << false << true
        << Behavior::NonBlocking << true << false << false << ThinkingControl::Level << true
        << false << replay << qint64(0) << qint64(0)
        << true;
    QTest::newRow("3.1 preview")
        << "gemini-3.1-flash-live-preview" << api << ModelStatus::Preview << true << false
        << Behavior::Blocking << false << false << false << ThinkingControl::Level << true
        << false << replay << qint64(131072) << qint64(0)
        << true;
    QTest::newRow("2.5 native audio 12-2025")
        << "gemini-2.5-flash-native-audio-preview-12-2025" << api << ModelStatus::Preview << true
        << true << Behavior::Blocking << true << true << true << ThinkingControl::Budget << true
        << false << replay << qint64(131072) << qint64(8192)
        << true;
    QTest::newRow("2.5 native audio latest")
        << "gemini-2.5-flash-native-audio-latest" << api << ModelStatus::Preview << true << true
        << Behavior::Blocking << true << true << true << ThinkingControl::Budget << true << false
        << replay << qint64(131072) << qint64(8192)
        << true;
    QTest::newRow("vertex 2.5 native audio")
        << "gemini-live-2.5-flash-native-audio" << LiveBackend::Vertex << ModelStatus::Stable
        << true << false << Behavior::Blocking << false << true << true << ThinkingControl::Budget
        << true << false << ResumptionKind::Transparent << qint64(32768) << qint64(8192)
        << true;
    QTest::newRow("vertex 3.8 live")
        << "gemini-3.8-live" << LiveBackend::Vertex << ModelStatus::Stable << true << false
        << Behavior::Blocking << false << false << false << ThinkingControl::Level << true << false
        << ResumptionKind::Transparent << qint64(131072) << qint64(65536)
        << true;
    QTest::newRow("2.0 half-cascade")
        << "gemini-2.0-flash-live-001" << api << ModelStatus::ShutDown << true << true
        << Behavior::Blocking << true << false << false << ThinkingControl::None << false << true
        << replay << qint64(0) << qint64(0)
        << false;
    QTest::newRow("2.5 half-cascade")
        << "gemini-live-2.5-flash-preview" << api << ModelStatus::ShutDown << true << true
        << Behavior::Blocking << true << false << false << ThinkingControl::None << false << true
        << replay << qint64(0) << qint64(0)
        << false;
    // clang-format on
}

void TestModelCapabilities::knownRows()
{
    QFETCH(QString, model);
    QFETCH(LiveBackend, backend);
    const ModelCapabilities m = modelCapabilities(model, backend);
    QCOMPARE(m.id, model);
    QCOMPARE(toString(m.backend), toString(backend));
    QVERIFY(m.isKnown());
    QFETCH(ModelStatus, status);
    QCOMPARE(toString(m.status), toString(status));
    QTEST(m.acceptsBlockingTools, "blocking");
    QTEST(m.acceptsNonBlockingTools, "nonBlocking");
    QTEST(m.defaultToolBehavior, "defaultBehavior");
    QTEST(m.toolResponseScheduling, "scheduling");
    QTEST(m.proactivity, "proactivity");
    QTEST(m.affectiveDialog, "affective");
    QTEST(m.thinking, "thinking");
    QTEST(m.mediaResolution, "mediaResolution");
    QTEST(m.textModality, "text");
    QTEST(m.resumption, "resumption");
    QTEST(m.inputTokenLimit, "inputTokens");
    QTEST(m.outputTokenLimit, "outputTokens");
    QTEST(m.manualActivity, "manualActivity");
    QVERIFY(m.inputTranscription);
    QVERIFY(m.outputTranscription);
    QVERIFY(!m.transcriptionOptions); // UNCONFIRMED everywhere: never sent
    QCOMPARE(m.shutDownOn.isValid(), m.isShutDown());
    if (m.isShutDown())
        QCOMPARE(m.shutDownOn, QDate(2025, 12, 9));
    // What the triage setup asks for: non-blocking wherever accepted, never an unaccepted value.
    const ToolBehavior wanted = m.toolBehaviorFor(true);
    QCOMPARE(wanted == ToolBehavior::NonBlocking, m.acceptsNonBlockingTools);
    QCOMPARE(m.toolBehaviorFor(false) == ToolBehavior::Blocking, m.acceptsBlockingTools);
}

void TestModelCapabilities::unknownModelIsConservative()
{
    for (const QString &model : {QStringLiteral("gemini-9-live"), QStringLiteral("")}) {
        const ModelCapabilities m = modelCapabilities(model);
        QCOMPARE(toString(m.status), "unknown");
        QVERIFY(!m.isKnown());
        QVERIFY(!m.isShutDown());
        QVERIFY(m.acceptsBlockingTools);
        QVERIFY(!m.acceptsNonBlockingTools);
        QCOMPARE(m.defaultToolBehavior, ToolBehavior::Blocking);
        QVERIFY(!m.toolResponseScheduling);
        QVERIFY(!m.proactivity);
        QVERIFY(!m.affectiveDialog);
        QCOMPARE(m.thinking, ThinkingControl::None);
        QVERIFY(!m.mediaResolution);
        QVERIFY(!m.transcriptionOptions);
        QVERIFY(!m.textModality);
        QVERIFY(m.inputTranscription);
        QVERIFY(m.outputTranscription);
        QCOMPARE(m.resumption, ResumptionKind::ClientReplay);
        QCOMPARE(m.inputTokenLimit, 0);
        QVERIFY(!m.manualActivity); // the server's VAD, as every model accepted so far
    }
    // A known id on a backend without a row is unknown there too.
    QVERIFY(!modelCapabilities("gemini-3.1-flash-live-preview", LiveBackend::Vertex).isKnown());
    QVERIFY(!modelCapabilities("gemini-live-2.5-flash-native-audio").isKnown());
}

void TestModelCapabilities::idsAreNormalized()
{
    QCOMPARE(normalizedModelId(" models/Gemini-3.8-Live "), "gemini-3.8-live");
    QCOMPARE(normalizedModelId("projects/p/locations/us-central1/publishers/google/models/"
                               "gemini-live-2.5-flash-native-audio"),
             "gemini-live-2.5-flash-native-audio");
    QCOMPARE(toString(modelCapabilities("models/gemini-3.8-live").status), "stable");
    QCOMPARE(toString(ModelStatus::ShutDown), "shut_down");
    QCOMPARE(toString(LiveBackend::Vertex), "vertex");
}

void TestModelCapabilities::everyRowIsListedOnce()
{
    QSet<QString> seen;
    for (const ModelCapabilities &m : knownModels()) {
        const QString key = toString(m.backend) + QLatin1Char('/') + m.id;
        QVERIFY2(!seen.contains(key), qPrintable(key));
        seen.insert(key);
        QCOMPARE(normalizedModelId(m.id), m.id);
        QVERIFY(m.isKnown());
    }
    QCOMPARE(seen.size(), 9);
}

void TestModelCapabilities::currentStableModel()
{
    const QString model = dispatch::gemini::currentStableModel();
    QCOMPARE(model, "gemini-3.8-live");
    QCOMPARE(toString(modelCapabilities(model).status), "stable");
    // Vertex: the GA native-audio model, a documented Vertex id with a row of its own.
    const QString vertex = dispatch::gemini::currentStableModel(LiveBackend::Vertex);
    QCOMPARE(vertex, "gemini-live-2.5-flash-native-audio");
    QCOMPARE(toString(modelCapabilities(vertex, LiveBackend::Vertex).status), "stable");
}

void TestModelCapabilities::choiceParsesAList()
{
    QCOMPARE(ModelChoice::parseList(" a, b,,c ,"), (QStringList{"a", "b", "c"}));
    QVERIFY(ModelChoice::parseList(" , ").isEmpty());
    const ModelChoice choice({"a", "a", " b "});
    QCOMPARE(choice.configured(), (QStringList{"a", "b"}));
    QCOMPARE(choice.current(), "a");
    QCOMPARE(choice.reasonCode(), "first_choice");
    QCOMPARE(choice.describe(), "a (first choice)");
}

void TestModelCapabilities::choiceSkipsShutDownModels()
{
    QTest::ignoreMessage(QtWarningMsg, "model gemini-2.0-flash-live-001 skipped: shut down on "
                                       "2025-12-09");
    const ModelChoice choice({"gemini-2.0-flash-live-001", "gemini-3.8-live"});
    QCOMPARE(choice.current(), "gemini-3.8-live");
    QCOMPARE(choice.skipped().size(), 1);
    QCOMPARE(choice.skipped().first().reason, "shut_down");
    QCOMPARE(choice.reasonCode(), "fallback");
    QCOMPARE(choice.describe(), "gemini-3.8-live (gemini-2.0-flash-live-001: shut down)");
}

void TestModelCapabilities::choiceFallsBackOnRefusal()
{
    ModelChoice choice({"gemini-3.8-live", "gemini-3.1-flash-live-preview", "x"});
    // Not a model refusal: stays.
    QVERIFY(choice.refuse("gemini-3.8-live", CloseCategory::Internal));
    QCOMPARE(choice.current(), "gemini-3.8-live");
    QVERIFY(choice.confirm("gemini-3.8-live"));
    QVERIFY(!choice.confirm("gemini-3.8-live")); // logged once

    QTest::ignoreMessage(QtWarningMsg, "model gemini-3.8-live refused ( model_not_found ): trying "
                                       "gemini-3.1-flash-live-preview");
    QVERIFY(choice.refuse("gemini-3.8-live", CloseCategory::ModelNotFound));
    QCOMPARE(choice.current(), "gemini-3.1-flash-live-preview");
    QCOMPARE(choice.confirmed(), QString());
    // Another session refused with the old model: nothing moves, the current one is worth a try.
    QVERIFY(choice.refuse("gemini-3.8-live", CloseCategory::ModelNotFound));
    QCOMPARE(choice.current(), "gemini-3.1-flash-live-preview");
    QCOMPARE(choice.describe(), "gemini-3.1-flash-live-preview (gemini-3.8-live: model not found)");

    QTest::ignoreMessage(QtWarningMsg, "model gemini-3.1-flash-live-preview refused ( bad_request "
                                       "): trying x");
    QVERIFY(choice.refuse("gemini-3.1-flash-live-preview", CloseCategory::BadRequest));
    QCOMPARE(choice.current(), "x");
    QCOMPARE(choice.skipped().size(), 2);
    QCOMPARE(choice.skipped().at(1).reason, "bad_request");
    QCOMPARE(choice.reasonCode(), "fallback");
}

void TestModelCapabilities::choiceKeepsTheLastModel()
{
    QTest::ignoreMessage(QtWarningMsg, "model gemini-3.8-live refused ( model_not_found ): trying "
                                       "y");
    QTest::ignoreMessage(QtWarningMsg, "model gemini-2.0-flash-live-001 skipped: shut down");
    ModelChoice choice({"gemini-3.8-live", "gemini-2.0-flash-live-001", "y"});
    QVERIFY(choice.refuse("gemini-3.8-live", CloseCategory::ModelNotFound));
    QCOMPARE(choice.current(), "y");
    QCOMPARE(choice.skipped().size(), 2);
    // The last one: refused, but it stays (each new call tries it again).
    QVERIFY(!choice.refuse("y", CloseCategory::ModelNotFound));
    QCOMPARE(choice.current(), "y");
    QVERIFY(!choice.exhausted());
}

void TestModelCapabilities::choiceEverythingShutDown()
{
    QTest::ignoreMessage(QtWarningMsg, "model gemini-live-2.5-flash-preview skipped: shut down "
                                       "on 2025-12-09");
    ModelChoice choice({"gemini-live-2.5-flash-preview"});
    QVERIFY(choice.exhausted());
    QCOMPARE(choice.current(), QString());
    QCOMPARE(choice.reasonCode(), "none_left");
    QVERIFY(!choice.refuse("gemini-live-2.5-flash-preview", CloseCategory::ModelNotFound));
}

QTEST_GUILESS_MAIN(TestModelCapabilities)
#include "tst_modelcapabilities.moc"
