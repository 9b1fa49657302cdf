// The one JSON field reader every protocol decoder uses: types, bounds and the path of the
// first fault.
#include "common/jsonfields.h"

#include <QJsonDocument>
#include <QTest>

using namespace dispatch;
using json::FieldReader;

namespace {

QJsonObject obj(const char *json)
{
    return QJsonDocument::fromJson(json).object();
}

} // namespace

class TestJsonFields : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void typesAreCheckedAndAbsenceIsNoFault()
    {
        FieldReader r;
        const QJsonObject o =
            obj(R"({"s": "x", "n": 2.5, "b": true, "o": {}, "a": [1], "z": null})");
        QCOMPARE(r.string(o, QLatin1String("s"), 10), std::optional<QString>("x"));
        QCOMPARE(r.number(o, QLatin1String("n"), 0, 5), std::optional<double>(2.5));
        QCOMPARE(r.boolean(o, QLatin1String("b")), std::optional<bool>(true));
        QVERIFY(r.object(o, QLatin1String("o")));
        QVERIFY(r.array(o, QLatin1String("a"), 1));
        QVERIFY(!r.string(o, QLatin1String("missing"), 10));
        QVERIFY(!r.boolean(o, QLatin1String("z"))); // null is absent
        QVERIFY(r.ok());
    }

    void firstFaultIsKeptWithItsPath_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<QString>("message");
        QTest::newRow("string") << R"({"s": 1})"
                                << "field 's' must be a string";
        QTest::newRow("bool") << R"({"b": "yes"})"
                              << "field 'b' must be true or false";
        QTest::newRow("object") << R"({"o": []})"
                                << "field 'o' must be an object";
        QTest::newRow("array") << R"({"a": {}})"
                               << "field 'a' must be an array";
        QTest::newRow("too long") << R"({"s": "abcdef"})"
                                  << "field 's' is longer than 3 characters";
        QTest::newRow("too many") << R"({"a": [1, 2]})"
                                  << "field 'a' has more than 1 items";
    }

    void firstFaultIsKeptWithItsPath()
    {
        QFETCH(QString, json);
        QFETCH(QString, message);
        FieldReader r;
        const QJsonObject o = QJsonDocument::fromJson(json.toUtf8()).object();
        (void)r.string(o, QLatin1String("s"), 3);
        (void)r.boolean(o, QLatin1String("b"));
        (void)r.object(o, QLatin1String("o"));
        (void)r.array(o, QLatin1String("a"), 1);
        (void)r.string(o, QLatin1String("s"), 3); // a second fault does not replace the first
        QVERIFY(r.error());
        QCOMPARE(r.error()->code, QString("bad_field"));
        QCOMPARE(r.error()->message, message);
    }

    void nestedItemsAndRejectNameTheirPath()
    {
        FieldReader top;
        FieldReader content = top.nested(QLatin1String("serverContent"));
        FieldReader part = content.item(QLatin1String("parts"), 3);
        part.reject(QStringLiteral("must be an object"));
        QVERIFY(top.ok()); // not yet merged
        content.merge(part);
        top.merge(content);
        QCOMPARE(top.error()->message, QString("field 'serverContent.parts[3]' must be an object"));
        FieldReader other = top.nested(QLatin1String("x"));
        other.fail(QLatin1String("y"), QStringLiteral("is wrong"));
        top.merge(other);
        QCOMPARE(top.error()->message, QString("field 'serverContent.parts[3]' must be an object"));
    }

    void objectsStopAtTheFirstItemThatIsNotOne()
    {
        FieldReader top;
        FieldReader turn = top.nested(QLatin1String("turn"));
        const auto list = turn.objects(obj(R"({"parts": [{"a": 1}, {"b": 2}, 7, {"c": 3}]})"),
                                       QLatin1String("parts"), 10);
        QCOMPARE(list.size(), 2);
        top.merge(turn);
        QCOMPARE(top.error()->message, QString("field 'turn.parts[2]' must be an object"));
        FieldReader fine;
        QVERIFY(fine.objects(obj(R"({})"), QLatin1String("parts"), 10).isEmpty());
        QVERIFY(fine.ok());
    }

    void protoCountTakesNumbersAndDecimalStrings_data()
    {
        QTest::addColumn<QString>("json");
        QTest::addColumn<qint64>("expected"); // -1: refused
        QTest::newRow("number") << R"({"c": 42})" << qint64(42);
        QTest::newRow("string") << R"({"c": "9007199254740993"})" << qint64(9007199254740993);
        QTest::newRow("zero") << R"({"c": 0})" << qint64(0);
        QTest::newRow("negative") << R"({"c": -1})" << qint64(-1);
        QTest::newRow("negative string") << R"({"c": "-1"})" << qint64(-1);
        QTest::newRow("fraction") << R"({"c": 1.5})" << qint64(-1);
        QTest::newRow("huge") << R"({"c": 1e300})" << qint64(-1);
        QTest::newRow("words") << R"({"c": "many"})" << qint64(-1);
        QTest::newRow("bool") << R"({"c": true})" << qint64(-1);
    }

    void protoCountTakesNumbersAndDecimalStrings()
    {
        QFETCH(QString, json);
        QFETCH(qint64, expected);
        FieldReader r;
        const auto c =
            r.protoCount(QJsonDocument::fromJson(json.toUtf8()).object(), QLatin1String("c"));
        if (expected < 0) {
            QVERIFY(!c);
            QCOMPARE(r.error()->message, QString("field 'c' must be a non-negative integer"));
        } else {
            QCOMPARE(c, std::optional<qint64>(expected));
            QVERIFY(r.ok());
        }
    }
};

QTEST_GUILESS_MAIN(TestJsonFields)
#include "tst_jsonfields.moc"
