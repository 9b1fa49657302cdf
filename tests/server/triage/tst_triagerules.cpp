#include "triage/triagerules.h"

#include <QTest>

using namespace dispatch;

namespace {

QByteArray minimal(const QByteArray &concepts, const QByteArray &extra = {})
{
    return R"({"version": 1, "text": {"negators": ["not", "no"], "clause_breaks": ["but"]},
               "concepts": )" +
           concepts + extra + "}";
}

} // namespace

class TestTriageRules : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void shippedRulesLoad()
    {
        auto rules = loadTriageRules(defaultTriageRulesPath());
        QVERIFY2(rules.ok(), qPrintable(rules.error().message));
        QVERIFY(rules->concepts.size() > 50);
        QVERIFY(rules->concept("not_breathing"));
        QVERIFY(rules->concept("not_breathing")->critical);
        const QStringList kws = rules->keyphrases();
        QVERIFY(kws.contains("not breathing"));
        QVERIFY(!kws.contains("right now"));         // a context cue, not a keyword
        QCOMPARE(rules->alternatives.minSupport, 1); // N-best findings are on
        for (const QString &k : kws)
            QVERIFY2(!k.contains('*'), qPrintable(k));
    }

    void stems_data()
    {
        QTest::addColumn<QString>("a");
        QTest::addColumn<QString>("b");
        QTest::newRow("breathing/breathe") << "breathing"
                                           << "breathe";
        QTest::newRow("breathes") << "breathes"
                                  << "breathe";
        QTest::newRow("stabbed/stab") << "stabbed"
                                      << "stab";
        QTest::newRow("stabbing/stab") << "stabbing"
                                       << "stab";
        QTest::newRow("hitting/hit") << "hitting"
                                     << "hit";
        QTest::newRow("stopped/stop") << "stopped"
                                      << "stops";
        QTest::newRow("bleeding/bleeds") << "bleeding"
                                         << "bleeds";
        QTest::newRow("collapsed/collapse") << "collapsed"
                                            << "collapse";
        QTest::newRow("pills/pill") << "pills"
                                    << "pill";
        QTest::newRow("injuries/injury") << "injuries"
                                         << "injury";
        QTest::newRow("seizures/seizure") << "seizures"
                                          << "seizure";
    }
    void stems()
    {
        QFETCH(QString, a);
        QFETCH(QString, b);
        QCOMPARE(stemWord(a), stemWord(b));
    }

    void tokenizeContractions()
    {
        TextRules rules;
        rules.clauseBreaks.insert("but");
        int clause = 0;
        const auto tokens =
            tokenize("He's not breathing, but she isn't. My neighbor’s house!", rules, 0, clause);
        QStringList stems;
        for (const auto &t : tokens)
            stems.append(t.stem);
        QCOMPARE(stems, QStringList({"he", "is", "not", "breath", "she", "is", "not", "my",
                                     "neighbor", "hous"}));
        QCOMPARE(tokens.at(3).clause, tokens.at(0).clause);
        QVERIFY(tokens.at(4).clause > tokens.at(3).clause); // "," and "but"
        QVERIFY(tokens.at(7).clause > tokens.at(6).clause); // "."
    }

    void wildcard()
    {
        TextRules rules;
        int clause = 0;
        const auto tokens = tokenize("i cannot feel his pulse", rules, 0, clause);
        QCOMPARE(matchPattern(tokens, 1, phrasePattern("can not feel * pulse", rules)), 0);
        rules.replacements.insert("cannot", "can not");
        clause = 0;
        const auto t2 = tokenize("i cannot feel his pulse", rules, 0, clause);
        QCOMPARE(matchPattern(t2, 1, phrasePattern("can not feel * pulse", rules)), 5);
        QCOMPARE(matchPattern(t2, 1, phrasePattern("can not feel pulse", rules)), 0);
    }

    void invalid_data()
    {
        QTest::addColumn<QByteArray>("json");
        QTest::addColumn<QString>("code");
        QTest::addColumn<QString>("mentions");
        QTest::newRow("not json") << QByteArray("{\"version\": 1,\n oops}") << "bad_json"
                                  << "line 2";
        QTest::newRow("array root") << QByteArray("[]") << "bad_json"
                                    << "object";
        QTest::newRow("wrong version")
            << QByteArray(R"({"version": 2, "text": {}, "concepts": []})") << "bad_field"
            << "version";
        QTest::newRow("no concepts") << QByteArray(R"({"version": 1, "text": {}})") << "bad_field"
                                     << "concepts";
        QTest::newRow("concept without id") << minimal(R"([{"phrases": ["fire"]}])") << "bad_field"
                                            << "concepts[0].id";
        QTest::newRow("empty phrases") << minimal(R"([{"id": "a", "phrases": []}])") << "bad_field"
                                       << "concepts[0].phrases";
        QTest::newRow("phrase not a string")
            << minimal(R"([{"id": "a", "phrases": ["ok", 3]}])") << "bad_field"
            << "concepts[0].phrases[1]";
        QTest::newRow("phrase of punctuation")
            << minimal(R"([{"id": "a", "phrases": ["?!"]}])") << "bad_field"
            << "no words";
        QTest::newRow("leading wildcard")
            << minimal(R"([{"id": "a", "phrases": ["* pulse"]}])") << "bad_field"
            << "*";
        QTest::newRow("clause break inside phrase")
            << minimal(R"([{"id": "a", "phrases": ["awake but talking"]}])") << "bad_field"
            << "never match";
        QTest::newRow("severity out of range")
            << minimal(R"([{"id": "a", "phrases": ["x"], "severity": 9}])") << "bad_field"
            << "concepts[0].severity";
        QTest::newRow("fractional severity")
            << minimal(R"([{"id": "a", "phrases": ["x"], "severity": 2.5}])") << "bad_field"
            << "whole";
        QTest::newRow("unknown response type")
            << minimal(R"([{"id": "a", "phrases": ["x"], "response": {"coast_guard": 1}}])")
            << "bad_field"
            << "coast_guard";
        QTest::newRow("critical without reason")
            << minimal(R"([{"id": "a", "phrases": ["x"], "critical": true}])") << "bad_field"
            << "critical_reason";
        QTest::newRow("duplicate id")
            << minimal(R"([{"id": "a", "phrases": ["x"]}, {"id": "a", "phrases": ["y"]}])")
            << "duplicate"
            << "concepts[1]";
        QTest::newRow("negated_as unknown")
            << minimal(R"([{"id": "a", "phrases": ["x"], "negatable": true, "negated_as": "zz"}])")
            << "bad_reference"
            << "zz";
        QTest::newRow("negated_as without negatable")
            << minimal(R"([{"id": "a", "phrases": ["x"], "negated_as": "a"}])") << "bad_field"
            << "negatable";
        QTest::newRow("deescalate unknown tag")
            << minimal(R"([{"id": "a", "phrases": ["x"], "deescalate": {"tags": ["nope"]}}])")
            << "bad_reference"
            << "nope";
        QTest::newRow("combination unknown concept")
            << minimal(R"([{"id": "a", "phrases": ["x"]}])",
                       R"(, "combinations": [{"id": "c", "requires": ["a", "b"], "summary": "s"}])")
            << "bad_reference"
            << "combinations[0].requires";
        QTest::newRow("vitals bad measure")
            << minimal(
                   R"([{"id": "a", "phrases": ["x"]}])",
                   R"(, "vitals": [{"id": "v", "measure": "temperature", "below": 1, "summary": "s"}])")
            << "bad_field"
            << "temperature";
        QTest::newRow("vitals without threshold")
            << minimal(R"([{"id": "a", "phrases": ["x"]}])",
                       R"(, "vitals": [{"id": "v", "measure": "heart_rate", "summary": "s"}])")
            << "bad_field"
            << "below";
        QTest::newRow("confidence above 1")
            << minimal(
                   R"([{"id": "a", "phrases": ["x"]}])",
                   R"(, "vitals": [{"id": "v", "measure": "heart_rate", "below": 4, "min_confidence": 3, "summary": "s"}])")
            << "bad_field"
            << "min_confidence";
        QTest::newRow("alternatives support negative")
            << minimal(R"([{"id": "a", "phrases": ["x"]}])",
                       R"(, "alternatives": {"min_support": -1})")
            << "bad_field"
            << "alternatives.min_support";
        QTest::newRow("alternatives support not a number")
            << minimal(R"([{"id": "a", "phrases": ["x"]}])",
                       R"(, "alternatives": {"min_support": "one"})")
            << "bad_field"
            << "alternatives.min_support";
        QTest::newRow("multi-word negator")
            << QByteArray(R"({"version": 1, "text": {"negators": ["no one"]}, "concepts": []})")
            << "bad_field"
            << "single words";
    }
    void invalid()
    {
        QFETCH(QByteArray, json);
        QFETCH(QString, code);
        QFETCH(QString, mentions);
        auto parsed = parseTriageRules(json);
        QVERIFY(!parsed.ok());
        QCOMPARE(parsed.error().code, code);
        QVERIFY2(parsed.error().message.contains(mentions), qPrintable(parsed.error().message));
    }

    void missingFile()
    {
        auto parsed = loadTriageRules("/nonexistent/rules.json");
        QCOMPARE(parsed.error().code, QStringLiteral("io_error"));
    }
};

QTEST_GUILESS_MAIN(TestTriageRules)
#include "tst_triagerules.moc"
