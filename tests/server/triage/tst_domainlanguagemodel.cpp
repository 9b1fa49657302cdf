#include "triage/domainlanguagemodel.h"

#include <QHash>
#include <QTest>

#include <cmath>

using namespace dispatch;

class TestDomainLanguageModel : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void sentencesFromPhrases()
    {
        const QStringList s = domainSentences({"Not breathing", "can't find * pulse"}, {});
        QVERIFY(s.contains("not breathing"));
        QVERIFY(s.contains("he is not breathing"));
        QVERIFY(s.contains("can't find his pulse"));
        QCOMPARE(s.size(), QSet<QString>(s.cbegin(), s.cend()).size()); // no duplicates
    }

    // Every history's distribution sums to one: seen words plus the backoff mass.
    void arpaIsNormalized()
    {
        const QStringList sentences{"he is not breathing", "she is not breathing", "he is bleeding",
                                    "not breathing please hurry"};
        const QByteArray arpa = buildArpa(sentences);
        QVERIFY(arpa.startsWith("\\data\\\n"));
        QVERIFY(arpa.endsWith("\\end\\\n"));
        QHash<QString, double> p1, bow1, p2;
        int section = 0;
        for (const QByteArray &line : arpa.split('\n')) {
            if (line.startsWith("\\1-grams"))
                section = 1;
            else if (line.startsWith("\\2-grams"))
                section = 2;
            else if (line.startsWith("\\3-grams"))
                section = 3;
            const QList<QByteArray> f = line.split(' ');
            if (section == 1 && f.size() >= 2 && !line.startsWith('\\')) {
                p1[QString::fromUtf8(f.at(1))] = std::pow(10.0, f.at(0).toDouble());
                if (f.size() == 3)
                    bow1[QString::fromUtf8(f.at(1))] = std::pow(10.0, f.at(2).toDouble());
            } else if (section == 2 && f.size() >= 3) {
                p2[QString::fromUtf8(f.at(1) + ' ' + f.at(2))] = std::pow(10.0, f.at(0).toDouble());
            }
        }
        double unigrams = 0;
        for (auto it = p1.cbegin(); it != p1.cend(); ++it)
            if (it.key() != "<s>")
                unigrams += it.value();
        QVERIFY2(std::abs(unigrams - 1) < 1e-3, qPrintable(QString::number(unigrams)));
        // P(. | "is") over the vocabulary, with backoff for unseen pairs.
        double sum = 0;
        for (auto it = p1.cbegin(); it != p1.cend(); ++it) {
            if (it.key() == "<s>")
                continue;
            const QString pair = "is " + it.key();
            sum += p2.contains(pair) ? p2.value(pair) : bow1.value("is") * it.value();
        }
        QVERIFY2(std::abs(sum - 1) < 1e-3, qPrintable(QString::number(sum)));
    }
};

QTEST_GUILESS_MAIN(TestDomainLanguageModel)
#include "tst_domainlanguagemodel.moc"
