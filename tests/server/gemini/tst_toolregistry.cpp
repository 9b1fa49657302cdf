#include "gemini/toolregistry.h"
#include "triage/prearrivalknowledge.h"
#include "triage/tools/flagcriticaltool.h"
#include "triage/tools/prearrivaltool.h"
#include "triage/tools/reporttriagetool.h"

#include <QJsonArray>
#include <QJsonDocument>
#include <QTest>

using namespace dispatch;
using namespace dispatch::gemini;

class TestToolRegistry : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void reportTriageSchema();
    void registryOrderAndDeclarations();
    void registryRefusesBadTools();
    void validate_data();
    void validate();
    void reportTriageDispatch();
    void badArgumentsNeverReachTheHandler();
    void unknownToolGetsAnErrorResponse();
    void flagCriticalDispatch();
    void knowledgeFileIsComplete();
    void prearrivalDispatch();
    void knowledgeParseRefusesBadFiles_data();
    void knowledgeParseRefusesBadFiles();
};

// moc does not understand raw string literals: keep the bodies out of its sight.
#ifndef Q_MOC_RUN

namespace {

QJsonObject obj(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

QString compact(const QJsonObject &o)
{
    return QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
}

PrearrivalKnowledge realKnowledge()
{
    auto k = PrearrivalKnowledge::load(
        QStringLiteral(DISPATCH_SOURCE_DIR "/resources/knowledge/prearrival.json"));
    if (!k)
        qFatal("knowledge file: %s", qPrintable(k.error().message));
    return k.value();
}

} // namespace

void TestToolRegistry::reportTriageSchema()
{
    const Tool tool = makeReportTriageTool({});
    const QJsonObject schema = parametersSchema(tool.declaration);
    QCOMPARE(schema["type"].toString(), "OBJECT");
    QCOMPARE(schema["required"].toArray(),
             (QJsonArray{"situation_summary", "recommended_response_type", "severity"}));
    const QJsonObject props = schema["properties"].toObject();
    QCOMPARE(props.keys(),
             (QStringList{"caller_emotional_state", "can_speak", "detected_keywords",
                          "recommended_response_type", "severity", "situation_summary"}));
    QCOMPARE(
        compact(props["severity"].toObject()),
        R"({"description":"1 = minor, 5 = immediately life-threatening.","maximum":5,"minimum":1,"type":"INTEGER"})");
    QCOMPARE(props["can_speak"]["type"].toString(), "BOOLEAN");
    QCOMPARE(props["situation_summary"]["type"].toString(), "STRING");
    QCOMPARE(props["detected_keywords"]["type"].toString(), "ARRAY");
    QCOMPARE(props["detected_keywords"]["items"].toObject(), (QJsonObject{{"type", "STRING"}}));
    QCOMPARE(props["recommended_response_type"]["format"].toString(), "enum");
    QCOMPARE(props["recommended_response_type"]["enum"].toArray(),
             (QJsonArray{"medical", "police", "fire", "unknown"}));
    QCOMPARE(props["caller_emotional_state"]["enum"].toArray().size(), 5);
}

void TestToolRegistry::registryOrderAndDeclarations()
{
    ToolRegistry r;
    QVERIFY(r.add(makeReportTriageTool({})));
    QVERIFY(r.add(makeFlagCriticalTool({})));
    QVERIFY(r.add(makePrearrivalTool(realKnowledge())));
    QCOMPARE(r.names(),
             (QStringList{"report_triage", "flag_critical", "get_prearrival_instructions"}));
    const auto decls = r.functionDeclarations();
    QCOMPARE(decls.size(), 3);
    QCOMPARE(decls[0].name, "report_triage");
    QVERIFY(!decls[0].nonBlocking);
    QCOMPARE(decls[2].parameters["properties"]["topic"]["enum"].toArray().size(),
             realKnowledge().topics().size());
    QVERIFY(r.declaration("flag_critical"));
    QVERIFY(!r.declaration("nope"));

    // The declarations encode into a valid setup.
    LiveSetup setup;
    setup.model = "gemini-2.5-flash-native-audio-preview-12-2025";
    setup.functionDeclarations = decls;
    QVERIFY(encodeSetup(setup).ok());
}

void TestToolRegistry::registryRefusesBadTools()
{
    ToolRegistry r;
    const auto handler = [](const QJsonObject &) { return toolOutput(true); };
    QVERIFY(r.add(Tool{{"ok_tool", "", {}, false}, handler}));
    QVERIFY(!r.add(Tool{{"ok_tool", "", {}, false}, handler}));  // duplicate
    QVERIFY(!r.add(Tool{{"bad name", "", {}, false}, handler})); // invalid name
    QVERIFY(!r.add(Tool{{"no_handler", "", {}, false}, {}}));
    const ToolParameter e = enumParameter("kind", "", {});
    QVERIFY(!r.add(Tool{{"empty_enum", "", {e}, false}, handler}));
    const ToolParameter a = stringParameter("x", "");
    QVERIFY(!r.add(Tool{{"dup_param", "", {a, a}, false}, handler}));
    QCOMPARE(r.names(), QStringList{"ok_tool"});
}

void TestToolRegistry::validate_data()
{
    QTest::addColumn<QString>("args");
    QTest::addColumn<QString>("expected"); // normalised args, or "error:<substring>"
    const auto row = [](const char *name, const char *args, const char *expected) {
        QTest::newRow(name) << QString(args) << QString(expected);
    };
    row("all fields",
        R"({"situation_summary":"Man collapsed","detected_keywords":["not breathing"],"caller_emotional_state":"panicked","recommended_response_type":"medical","severity":5,"can_speak":true})",
        R"({"caller_emotional_state":"panicked","can_speak":true,"detected_keywords":["not breathing"],"recommended_response_type":"medical","severity":5,"situation_summary":"Man collapsed"})");
    row("enum case-insensitive",
        R"({"situation_summary":"x","recommended_response_type":"FIRE","severity":3})",
        R"({"recommended_response_type":"fire","severity":3,"situation_summary":"x"})");
    row("integral double accepted",
        R"({"situation_summary":"x","recommended_response_type":"police","severity":4.0})",
        R"({"recommended_response_type":"police","severity":4,"situation_summary":"x"})");
    row("severity above range clamped",
        R"({"situation_summary":"x","recommended_response_type":"fire","severity":9})",
        R"({"recommended_response_type":"fire","severity":5,"situation_summary":"x"})");
    row("severity below range clamped",
        R"({"situation_summary":"x","recommended_response_type":"fire","severity":-2})",
        R"({"recommended_response_type":"fire","severity":1,"situation_summary":"x"})");
    row("unknown args dropped, null is absent",
        R"({"situation_summary":"x","recommended_response_type":"fire","severity":2,"mood":"sad","can_speak":null})",
        R"({"recommended_response_type":"fire","severity":2,"situation_summary":"x"})");
    row("keywords bounded",
        R"({"situation_summary":"x","recommended_response_type":"fire","severity":2,"detected_keywords":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q","r","s","t","u","v"]})",
        R"({"detected_keywords":["a","b","c","d","e","f","g","h","i","j","k","l","m","n","o","p","q","r","s","t"],"recommended_response_type":"fire","severity":2,"situation_summary":"x"})");
    row("missing required", R"({"situation_summary":"x","severity":2})",
        "error:argument 'recommended_response_type' is required");
    row("severity as string",
        R"({"situation_summary":"x","recommended_response_type":"fire","severity":"5"})",
        "error:argument 'severity' must be an integer");
    row("severity fractional",
        R"({"situation_summary":"x","recommended_response_type":"fire","severity":2.5})",
        "error:argument 'severity' must be an integer");
    row("summary as number",
        R"({"situation_summary":5,"recommended_response_type":"fire","severity":2})",
        "error:argument 'situation_summary' must be a string");
    row("enum not allowed",
        R"({"situation_summary":"x","recommended_response_type":"ambulance","severity":2})",
        "error:must be one of: medical, police, fire, unknown");
    row("bool as string",
        R"({"situation_summary":"x","recommended_response_type":"fire","severity":2,"can_speak":"no"})",
        "error:argument 'can_speak' must be true or false");
    row("keywords not strings",
        R"({"situation_summary":"x","recommended_response_type":"fire","severity":2,"detected_keywords":[1]})",
        "error:argument 'detected_keywords' must be an array of strings");
    row("keywords a string",
        R"({"situation_summary":"x","recommended_response_type":"fire","severity":2,"detected_keywords":"smoke"})",
        "error:argument 'detected_keywords' must be an array of strings");
}

void TestToolRegistry::validate()
{
    QFETCH(QString, args);
    QFETCH(QString, expected);
    const Tool tool = makeReportTriageTool({});
    const auto result = validateArguments(tool.declaration, obj(args.toUtf8().constData()));
    if (expected.startsWith("error:")) {
        QVERIFY(!result.ok());
        QCOMPARE(result.error().code, "bad_arguments");
        QVERIFY2(result.error().message.contains(expected.mid(6)),
                 qPrintable(result.error().message));
        return;
    }
    QVERIFY2(result.ok(), qPrintable(result.error().message));
    QCOMPARE(compact(result.value()), expected);
}

void TestToolRegistry::reportTriageDispatch()
{
    QList<TriageReport> reports;
    ToolRegistry r;
    r.add(makeReportTriageTool([&reports](const TriageReport &t) { reports.append(t); }));
    const ToolInvocation inv = r.dispatch(
        {"function-call-7", "report_triage",
         obj(R"({"situation_summary":"  Father collapsed, not breathing ","detected_keywords":["collapsed","not breathing"],"caller_emotional_state":"panicked","recommended_response_type":"medical","severity":7,"can_speak":true})")});
    QVERIFY(inv.handled);
    QCOMPARE(inv.response.id, "function-call-7");
    QCOMPARE(inv.response.name, "report_triage");
    QCOMPARE(compact(inv.response.response), R"({"output":{"recorded":true,"severity":5}})");
    QCOMPARE(reports.size(), 1);
    const TriageReport &t = reports.first();
    QCOMPARE(t.situationSummary, "Father collapsed, not breathing");
    QCOMPARE(t.detectedKeywords, (QStringList{"collapsed", "not breathing"}));
    QCOMPARE(toString(t.emotionalState), "panicked");
    QCOMPARE(toString(t.responseType), "medical");
    QCOMPARE(t.severity, 5);
    QCOMPARE(toString(t.source), "gemini");

    // The response encodes into a toolResponse with the same id.
    QVERIFY(encodeToolResponse({inv.response}).value().contains("function-call-7"));
}

void TestToolRegistry::badArgumentsNeverReachTheHandler()
{
    int calls = 0;
    ToolRegistry r;
    r.add(makeReportTriageTool([&calls](const TriageReport &) { ++calls; }));
    const ToolInvocation inv = r.dispatch(
        {"id-1", "report_triage", obj(R"({"situation_summary":"x","severity":"high"})")});
    QVERIFY(!inv.handled);
    QCOMPARE(calls, 0);
    QCOMPARE(inv.response.id, "id-1");
    QVERIFY(inv.response.response["error"].toString().contains("recommended_response_type"));
}

void TestToolRegistry::unknownToolGetsAnErrorResponse()
{
    ToolRegistry r;
    const ToolInvocation inv = r.dispatch({"id-9", "launch_rocket", {}});
    QVERIFY(!inv.handled);
    QCOMPARE(inv.response.id, "id-9");
    QCOMPARE(inv.response.name, "launch_rocket");
    QCOMPARE(compact(inv.response.response), R"({"error":"unknown tool 'launch_rocket'"})");
}

void TestToolRegistry::flagCriticalDispatch()
{
    QList<CriticalFlag> flags;
    ToolRegistry r;
    r.add(makeFlagCriticalTool([&flags](const CriticalFlag &f) { flags.append(f); }));
    QVERIFY(
        r.dispatch({"a", "flag_critical", obj(R"({"reason":"weapon mentioned","severity":11})")})
            .handled);
    QVERIFY(r.dispatch({"b", "flag_critical", obj(R"({"reason":"child not breathing"})")}).handled);
    QVERIFY(!r.dispatch({"c", "flag_critical", obj(R"({"severity":3})")}).handled);
    QCOMPARE(flags.size(), 2);
    QCOMPARE(flags[0].reason, "weapon mentioned");
    QCOMPARE(flags[0].severity, 5);
    QCOMPARE(flags[1].severity, 5);
}

void TestToolRegistry::knowledgeFileIsComplete()
{
    const PrearrivalKnowledge k = realKnowledge();
    for (const char *topic :
         {"cpr", "choking", "bleeding", "burns", "fire_evacuation", "overdose", "childbirth",
          "seizure", "carbon_monoxide", "gas_leak", "intruder_hide"}) {
        const auto e = k.lookup(topic);
        QVERIFY2(e.has_value(), topic);
        QVERIFY(!e->title.isEmpty());
        QVERIFY2(e->steps.size() >= 4, topic);
        QCOMPARE(e->source, "generic guidance, follow local protocol");
    }
    QVERIFY(!k.lookup("cpr")->steps.join(' ').contains("breaths")); // hands-only for lay callers
}

void TestToolRegistry::prearrivalDispatch()
{
    ToolRegistry r;
    QVERIFY(r.add(makePrearrivalTool(realKnowledge())));
    const ToolInvocation inv =
        r.dispatch({"p1", "get_prearrival_instructions", obj(R"({"topic":"CPR"})")});
    QVERIFY(inv.handled);
    const QJsonObject out = inv.response.response["output"].toObject();
    QCOMPARE(out["topic"].toString(), "cpr");
    QVERIFY(out["steps"].toArray().size() >= 4);
    QCOMPARE(out["source"].toString(), "generic guidance, follow local protocol");

    const ToolInvocation bad =
        r.dispatch({"p2", "get_prearrival_instructions", obj(R"({"topic":"snake_bite"})")});
    QVERIFY(!bad.handled);
    QVERIFY(bad.response.response.contains("error"));
}

void TestToolRegistry::knowledgeParseRefusesBadFiles_data()
{
    QTest::addColumn<QByteArray>("bytes");
    QTest::newRow("not json") << QByteArray("{topics:");
    QTest::newRow("no topics") << QByteArray(R"({"version":1})");
    QTest::newRow("topic not object") << QByteArray(R"({"topics":{"cpr":[]}})");
    QTest::newRow("no steps") << QByteArray(R"({"topics":{"cpr":{"title":"t","source":"s"}}})");
    QTest::newRow("empty steps") << QByteArray(
        R"({"topics":{"cpr":{"title":"t","source":"s","steps":[]}}})");
    QTest::newRow("step not string")
        << QByteArray(R"({"topics":{"cpr":{"title":"t","source":"s","steps":[1]}}})");
    QTest::newRow("no source") << QByteArray(R"({"topics":{"cpr":{"title":"t","steps":["a"]}}})");
    QTest::newRow("bad topic name")
        << QByteArray(R"({"topics":{"C P R":{"title":"t","source":"s","steps":["a"]}}})");
    QTest::newRow("huge") << QByteArray(PrearrivalKnowledge::MaxFileBytes + 1, ' ');
}

void TestToolRegistry::knowledgeParseRefusesBadFiles()
{
    QFETCH(QByteArray, bytes);
    const auto k = PrearrivalKnowledge::parse(bytes);
    QVERIFY(!k.ok());
    QVERIFY(!k.error().message.isEmpty());
}

#endif // Q_MOC_RUN

QTEST_GUILESS_MAIN(TestToolRegistry)
#include "tst_toolregistry.moc"
