#include "triage/jsonreportextractor.h"

#include <QJsonDocument>
#include <QTest>

using namespace dispatch;

namespace {

QStringList compactAll(const QList<QJsonObject> &objects)
{
    QStringList out;
    for (const auto &o : objects)
        out << QString::fromUtf8(QJsonDocument(o).toJson(QJsonDocument::Compact));
    return out;
}

} // namespace

class TestJsonReportExtractor : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void streams_data();
    void streams();
    void everyPairOfCuts();
    void oversizedObjectIsDroppedAndCounted();
    void neverClosingJunkIsBounded();
    void nestedJunkCostsLinearTime();
    void resetForgetsPartialObject();
};

// moc does not understand raw string literals: keep the bodies out of its sight.
#ifndef Q_MOC_RUN

void TestJsonReportExtractor::streams_data()
{
    QTest::addColumn<QString>("stream");
    QTest::addColumn<QStringList>("expected");
    QTest::addColumn<int>("invalid");

    QTest::newRow("plain") << R"({"severity":5,"can_speak":false})"
                           << QStringList{R"({"can_speak":false,"severity":5})"} << 0;
    QTest::newRow("code fence")
        << "```json\n{\n  \"situation_summary\": \"Man collapsed\",\n  \"severity\": 5\n}\n```\n"
        << QStringList{R"({"severity":5,"situation_summary":"Man collapsed"})"} << 0;
    QTest::newRow("junk before and between")
        << R"(Here is my assessment: {"a":1} and an update {"a":2}. Done.)"
        << QStringList{R"({"a":1})", R"({"a":2})"} << 0;
    QTest::newRow("braces in strings")
        << R"({"s":"a } b { c","t":"}}}"})" << QStringList{R"({"s":"a } b { c","t":"}}}"})"} << 0;
    QTest::newRow("escaped quotes")
        << R"({"s":"he said \"it is on fire}\" then ran"})"
        << QStringList{R"({"s":"he said \"it is on fire}\" then ran"})"} << 0;
    QTest::newRow("escaped backslash before quote")
        << R"({"path":"C:\\"} {"b":true})" << QStringList{R"({"path":"C:\\"})", R"({"b":true})"}
        << 0;
    QTest::newRow("nested") << R"({"a":{"b":{"c":[1,{"d":2}]}}})"
                            << QStringList{R"({"a":{"b":{"c":[1,{"d":2}]}}})"} << 0;
    QTest::newRow("top-level array")
        << R"([{"a":1},{"b":2}])" << QStringList{R"({"a":1})", R"({"b":2})"} << 0;
    QTest::newRow("junk braces then object")
        << R"(I think {maybe} it is {"a":1})" << QStringList{R"({"a":1})"} << 1;
    QTest::newRow("object wrapped in junk braces")
        << R"({ note: {"a":1} })" << QStringList{R"({"a":1})"} << 1;
    QTest::newRow("two fenced blocks") << "```json\n{\"a\":1}\n```\ntext\n```\n{\"b\":2}\n```"
                                       << QStringList{R"({"a":1})", R"({"b":2})"} << 0;
    QTest::newRow("unicode") << QString::fromUtf8(R"(«{"s":"Пожар ❤ 🚒"}»)")
                             << QStringList{QString::fromUtf8(R"({"s":"Пожар ❤ 🚒"})")} << 0;
    QTest::newRow("empty object") << "{}" << QStringList{"{}"} << 0;
    QTest::newRow("unterminated") << R"({"a":1, "b": "still talking)" << QStringList{} << 0;
    QTest::newRow("no json at all") << "The caller is calm." << QStringList{} << 0;
    QTest::newRow("stray closing braces") << R"(}} {"a":1} })" << QStringList{R"({"a":1})"} << 0;
}

void TestJsonReportExtractor::streams()
{
    QFETCH(QString, stream);
    QFETCH(QStringList, expected);
    QFETCH(int, invalid);

    JsonReportExtractor whole;
    QCOMPARE(compactAll(whole.feed(stream)), expected);
    QCOMPARE(whole.invalidObjects(), invalid);

    // Split at every offset: the result must not depend on chunking.
    for (qsizetype cut = 0; cut <= stream.size(); ++cut) {
        JsonReportExtractor x;
        QList<QJsonObject> got = x.feed(stream.left(cut));
        got += x.feed(stream.mid(cut));
        QVERIFY2(compactAll(got) == expected, qPrintable(QString("cut at %1").arg(cut)));
        QCOMPARE(x.invalidObjects(), invalid);
    }

    // One character at a time.
    JsonReportExtractor single;
    QList<QJsonObject> got;
    for (const QChar c : stream)
        got += single.feed(QString(c));
    QCOMPARE(compactAll(got), expected);
}

void TestJsonReportExtractor::everyPairOfCuts()
{
    const QString stream = R"(x{"s":"\"}{"}y{"n":[{}]}```)";
    const QStringList expected{R"({"s":"\"}{"})", R"({"n":[{}]})"};
    for (qsizetype a = 0; a <= stream.size(); ++a) {
        for (qsizetype b = a; b <= stream.size(); ++b) {
            JsonReportExtractor x;
            QList<QJsonObject> got = x.feed(stream.left(a));
            got += x.feed(stream.mid(a, b - a));
            got += x.feed(stream.mid(b));
            QVERIFY2(compactAll(got) == expected, qPrintable(QString("%1/%2").arg(a).arg(b)));
        }
    }
}

void TestJsonReportExtractor::oversizedObjectIsDroppedAndCounted()
{
    JsonReportExtractor x(100);
    const QString big = R"({"summary":")" + QString(300, 'x') + R"(","inner":{"a":1}})";
    QList<QJsonObject> got;
    for (qsizetype i = 0; i < big.size(); i += 7)
        got += x.feed(big.mid(i, 7));
    QVERIFY(got.isEmpty()); // not even the inner object leaks out
    QCOMPARE(x.droppedObjects(), 1);
    QVERIFY(x.droppedChars() > 100);
    QVERIFY(x.bufferedChars() <= 100);
    QCOMPARE(compactAll(x.feed(R"( then {"ok":true})")), QStringList{R"({"ok":true})"});
}

void TestJsonReportExtractor::neverClosingJunkIsBounded()
{
    JsonReportExtractor x(50);
    for (int i = 0; i < 100; ++i)
        x.feed("{ unbalanced prose ");
    QVERIFY(x.bufferedChars() <= 50);
    QVERIFY(x.droppedObjects() >= 1);
    // After giving up on the unbalanced text, it resynchronises.
    for (int i = 0; i < 60; ++i)
        x.feed("..........");
    QCOMPARE(compactAll(x.feed(R"({"a":1})")), QStringList{R"({"a":1})"});
}

void TestJsonReportExtractor::nestedJunkCostsLinearTime()
{
    // Rescanning from each inner brace of {a{a{a...}}} would lex n^2/2 characters.
    const int n = 20000;
    const QString junk = QString("{a").repeated(n) + QString("}").repeated(n);
    JsonReportExtractor x;
    const auto got = x.feed(junk + R"( then {"severity":3})");
    QCOMPARE(compactAll(got), QStringList{R"({"severity":3})"});
    QVERIFY(x.abandonedCandidates() >= 1);
    QVERIFY2(x.scannedChars() <= (JsonReportExtractor::RescanBudgetFactor + 2) * x.fedChars(),
             qPrintable(QString::number(x.scannedChars())));
    // A little junk is still looked into: the object nested in it is found.
    JsonReportExtractor small;
    QCOMPARE(compactAll(small.feed(R"({junk {"a":1} more})")), QStringList{R"({"a":1})"});
    QCOMPARE(small.abandonedCandidates(), 0);
}

void TestJsonReportExtractor::resetForgetsPartialObject()
{
    JsonReportExtractor x;
    QVERIFY(x.feed(R"({"a":"half)").isEmpty());
    x.reset();
    QCOMPARE(x.bufferedChars(), 0);
    QCOMPARE(compactAll(x.feed(R"({"b":2})")), QStringList{R"({"b":2})"});
}

#endif // Q_MOC_RUN

QTEST_GUILESS_MAIN(TestJsonReportExtractor)
#include "tst_jsonreportextractor.moc"
