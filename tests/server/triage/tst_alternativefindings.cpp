// Critical findings heard only in the recognizer's alternative hypotheses (issue 17, third
// slice): they raise the critical flag and severity, never the response type, never lower
// anything, and an explicit negation or reassurance in the best hypothesis still wins.
#include "triage/alternativefindings.h"

#include <QTest>

using namespace dispatch;

namespace {

const TriageRules &shipped()
{
    static const TriageRules rules = [] {
        auto parsed = loadTriageRules(defaultTriageRulesPath());
        if (!parsed)
            qFatal("rules: %s", qPrintable(parsed.error().message));
        return parsed.value();
    }();
    return rules;
}

// Segments separated by "|"; alternatives of the last segment separated by "|".
TriageInput heard(const QString &best, const QString &alternatives)
{
    TriageInput in;
    for (const QString &l : best.split(u'|'))
        in.segments.append(TranscriptSegment{{}, Speaker::Caller, l, true});
    if (!alternatives.isEmpty())
        in.alternatives.insert(in.segments.size() - 1, alternatives.split(u'|'));
    return in;
}

bool hasEvidence(const TriageReport &r, const QString &field, const QString &contains)
{
    for (const auto &e : r.provenance)
        if (e.field == field && (e.evidence.contains(contains) || e.detail.contains(contains)))
            return true;
    return false;
}

} // namespace

class TestAlternativeFindings : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    // Each row: the best hypotheses of a call (segments split by "|") and the alternatives of
    // its last segment. Either the alternatives raise the call to critical, severity 5, with
    // the response type of the best hypotheses alone, or they change nothing at all.
    void assessment_data()
    {
        QTest::addColumn<QString>("best");
        QTest::addColumn<QString>("alternatives");
        QTest::addColumn<bool>("raises");
        auto row = [](const char *name, const char *best, const char *alts, bool raises) {
            QTest::newRow(name) << QString::fromUtf8(best) << QString::fromUtf8(alts) << raises;
        };
        // The misheard key phrase is in an alternative.
        row("garbled best", "my father fell in the kitchen and he is not bring",
            "my father fell in the kitchen and he is not breathing", true);
        row("second alternative", "my wife is on the floor she has no palms",
            "my wife is on the floor she has no pals|my wife is on the floor she has no pulse",
            true);
        row("type from best", "the car is on fire", "the car is on fire and he has been shot",
            true);
        // A one-word substitution is the recognizer's commonest confusion: not enough.
        row("one word", "my neighbors shut caught fire", "my neighbors shot caught fire", false);
        row("nothing critical", "my neighbor's dog is barking",
            "my neighbor's dog is parking|my neighbors dog is barking", false);
        // The alternative itself negates or hedges the finding: no finding.
        row("negated in alternative", "he fell down the stairs",
            "he fell down the stairs he is not bleeding a lot", false);
        row("hedged in alternative", "she feels really dizzy",
            "she feels really dizzy she might pass out", false);
        // The best hypothesis negates the same finding, or one of its kind: it wins.
        row("negated in best", "he is not bleeding", "he is bleeding a lot", false);
        row("same kind negated", "he is not hurt", "he is bleeding a lot", false);
        row("no shots", "there were no shots fired", "there were shots fired", false);
        // A reassurance in the best hypothesis of the same segment caps it, as it would cap
        // the finding heard in the best hypothesis itself...
        row("reassured same segment", "she is breathing now", "she is not breathing now", false);
        // ...but a reassurance said before it does not.
        row("reassured before", "she is breathing|she went quiet", "she is not breathing", true);
        // Already critical from the best hypothesis: nothing to add.
        row("already critical", "he is not breathing", "he is not breathing and he is blue", false);
    }

    void assessment()
    {
        QFETCH(QString, best);
        QFETCH(QString, alternatives);
        QFETCH(bool, raises);
        const TriageInput with = heard(best, alternatives);
        const TriageInput without = heard(best, {});
        const TriageReport r = assessTriage(shipped(), with);
        const TriageReport plain = assessTriage(shipped(), without);
        const QString why = r.situationSummary + " | " + r.criticalReason;
        QCOMPARE(toString(r.responseType), toString(plain.responseType));
        if (raises) {
            QVERIFY2(!plain.critical, qPrintable(plain.situationSummary));
            QVERIFY2(r.critical, qPrintable(why));
            QCOMPARE(r.severity, 5);
        } else {
            QCOMPARE(r.critical, plain.critical);
            QCOMPARE(r.severity, plain.severity);
            QCOMPARE(r.criticalReason, plain.criticalReason);
        }
    }

    // A later retraction of the whole call still caps a finding from an alternative.
    void retractionStillCaps()
    {
        TriageInput in = heard("he is not bring|sorry i called by mistake", "");
        in.alternatives.insert(0, {QStringLiteral("he is not breathing")});
        const TriageReport r = assessTriage(shipped(), in);
        QVERIFY2(!r.critical, qPrintable(r.situationSummary));
        QCOMPARE(r.severity, 1);
    }

    // The dispatcher sees why: the reason and the provenance name the alternative hypothesis.
    void provenance()
    {
        const TriageReport r =
            assessTriage(shipped(), heard("my father fell and he is not bring",
                                          "my father fell and he is not breathing"));
        QVERIFY(r.critical);
        QVERIFY2(r.criticalReason.contains("alternative hypothesis"), qPrintable(r.criticalReason));
        QVERIFY(hasEvidence(r, "alternative", "he is not breathing"));
        const TriageReport negated =
            assessTriage(shipped(), heard("he is not bleeding", "he is bleeding a lot"));
        QVERIFY(hasEvidence(negated, "ignored", "best one negates it"));
    }

    // Support: how many alternatives must state a finding (rules "alternatives.min_support").
    void minSupport_data()
    {
        QTest::addColumn<int>("minSupport");
        QTest::addColumn<bool>("critical");
        QTest::newRow("off") << 0 << false;
        QTest::newRow("one") << 1 << true;
        QTest::newRow("two") << 2 << true;
        QTest::newRow("three") << 3 << false;
    }

    void minSupport()
    {
        QFETCH(int, minSupport);
        QFETCH(bool, critical);
        TriageRules rules = shipped();
        rules.alternatives.minSupport = minSupport;
        const TriageInput in = heard("my wife is on the floor",
                                     "my wife is on the floor not breathing|my wife is on the "
                                     "floor she is not breathing|my wife is on the floor");
        QCOMPARE(assessTriage(rules, in).critical, critical);
        const QList<AlternativeFinding> f = alternativeFindings(rules, in);
        QCOMPARE(f.size(), 1);
        QCOMPARE(f.constFirst().rule->id, QStringLiteral("not_breathing"));
        QCOMPARE(f.constFirst().support, 2);
    }

    // Alternatives of a typed message or a keyword-spotted segment, or of no segment, are
    // ignored; findings come in segment order whatever the hash order.
    void onlyRecognizedSpeech()
    {
        TriageInput in;
        in.segments.append(TranscriptSegment{{}, Speaker::CallerText, "hello", true});
        in.segments.append(TranscriptSegment{{}, Speaker::Caller, "he is on the floor", true});
        in.segments.append(TranscriptSegment{{}, Speaker::Caller, "she is quiet", true});
        in.alternatives.insert(0, {QStringLiteral("he has been shot")});
        in.alternatives.insert(7, {QStringLiteral("he has been shot")});
        QVERIFY(alternativeFindings(shipped(), in).isEmpty());
        // Keyword spotting alone never raises the critical flag, alternatives or not.
        TriageInput spotted = heard("[keywords] floor", "he has been shot");
        QVERIFY(alternativeFindings(shipped(), spotted).isEmpty());
        spotted = heard("floor", "he has been shot");
        spotted.keywordSpottingOnly = true;
        QVERIFY(!assessTriage(shipped(), spotted).critical);
        in.alternatives.insert(2, {QStringLiteral("she is not breathing")});
        in.alternatives.insert(1, {QStringLiteral("he is bleeding a lot")});
        const QList<AlternativeFinding> f = alternativeFindings(shipped(), in);
        QCOMPARE(f.size(), 2);
        QCOMPARE(f.at(0).segment, 1);
        QCOMPARE(f.at(1).segment, 2);
    }
};

QTEST_GUILESS_MAIN(TestAlternativeFindings)
#include "tst_alternativefindings.moc"
