#include "common/logsafe.h"

#include <QTest>

using namespace dispatch;

class TestLogSafe : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void escapes_data()
    {
        QTest::addColumn<QString>("in");
        QTest::addColumn<QString>("out");
        QTest::newRow("plain") << "https://wall.local:8443"
                               << "https://wall.local:8443";
        QTest::newRow("ANSI colour") << "\x1b[31mred\x1b[0m"
                                     << "\\x1b[31mred\\x1b[0m";
        QTest::newRow("OSC title") << "\x1b]0;owned\x07"
                                   << "\\x1b]0;owned\\x07";
        QTest::newRow("forged line") << "x\r\n2026-01-01 admin logged in"
                                     << "x\\r\\n2026-01-01 admin logged in";
        QTest::newRow("C1 CSI") << QString("a") + QChar(0x9B) + "2J"
                                << "a\\x9b2J";
        QTest::newRow("DEL and tab") << QString("a\x7f\tb") << "a\\x7f\\tb";
        QTest::newRow("right-to-left override") << QString("abc") + QChar(0x202E) + "gpj.exe"
                                                << "abc\\u202egpj.exe";
        QTest::newRow("backslash stays unambiguous") << "a\\x1b"
                                                     << "a\\\\x1b";
        QTest::newRow("accents and emoji kept") << QString::fromUtf8("Ca\xC3\xB1"
                                                                     "ada \xF0\x9F\x9A\x91")
                                                << QString::fromUtf8("Ca\xC3\xB1"
                                                                     "ada \xF0\x9F\x9A\x91");
        QTest::newRow("lone surrogate") << QString(QChar(0xD800)) << "\\ud800";
    }
    void escapes()
    {
        QFETCH(QString, in);
        QFETCH(QString, out);
        QCOMPARE(logSafe(in), out);
    }

    void truncates()
    {
        const QString longText(5000, QLatin1Char('A'));
        const QString cut = logSafe(longText, 100);
        QVERIFY(cut.startsWith(QString(100, QLatin1Char('A')) + "...(4900 more"));
        QVERIFY(cut.size() < 140);
        const QString bytes = logSafe(QByteArray(1'000'000, 'B') + "\x1b", 50);
        QVERIFY(bytes.size() < 100);
        QVERIFY(bytes.contains("1000001 bytes in all"));
        QCOMPARE(logSafe(QByteArray("ok\xff")), QString::fromUtf8("ok\xEF\xBF\xBD"));
    }
};

QTEST_GUILESS_MAIN(TestLogSafe)
#include "tst_logsafe.moc"
