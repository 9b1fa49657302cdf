#include "corpusfiles.h"
#include "skiporfail.h"
#include "threadnice.h"
#include "triage/decoderpool.h"
#include "triage/speechrecognizer.h"
#include "triage/triagerules.h"

#include <QDir>
#include <QFile>
#include <QSet>
#include <QSignalSpy>
#include <QTest>

using namespace dispatch;

class TestSpeechRecognizer : public QObject
{
    Q_OBJECT

private:
    std::shared_ptr<DecoderPool> m_pool;
    QByteArray m_cardiac;

    static QStringList texts(const QSignalSpy &spy, bool finalOnly)
    {
        QStringList out;
        for (const auto &args : spy) {
            const auto seg = args.at(0).value<RecognizedSegment>();
            if (!finalOnly || seg.final)
                out.append(seg.text);
        }
        return out;
    }

private Q_SLOTS:
    void initTestCase()
    {
        m_cardiac = corpusPcm("cardiac_arrest.wav");
        if (m_cardiac.isEmpty())
            DISPATCH_SKIP_OR_FAIL("corpus not found: set DISPATCH_SHARED_DIR");
        if (!QFile::exists(defaultSpeechModelDir()))
            DISPATCH_SKIP_OR_FAIL("pocketsphinx model not installed");
        auto rules = loadTriageRules(defaultTriageRulesPath());
        QVERIFY(rules.ok());
        DecoderPoolConfig config;
        config.keyphrases = rules->keyphrases();
        config.maxFullDecoders = 8;
        m_pool = std::make_shared<DecoderPool>(config);
    }

    void fullTranscriptOfACall()
    {
        SpeechRecognizerConfig config;
        config.realtime = false;
        SpeechRecognizer rec(m_pool, config);
        QSignalSpy segments(&rec, &SpeechRecognizer::segmentRecognized);
        QSignalSpy started(&rec, &SpeechRecognizer::speechStarted);
        QSignalSpy progressed(&rec, &SpeechRecognizer::progressed);
        QSignalSpy finished(&rec, &SpeechRecognizer::finished);
        QSignalSpy modes(&rec, &SpeechRecognizer::modeChanged);
        rec.start();
        for (const QByteArray &c : chunks(m_cardiac))
            rec.addAudio(c);
        rec.finish();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);

        QCOMPARE(modes.count(), 1);
        QCOMPARE(toString(modes.at(0).at(0).value<RecognitionMode>()),
                 toString(RecognitionMode::FullTranscript));
        QCOMPARE(started.count(), 1);
        QVERIFY(started.at(0).at(0).toLongLong() < 2000);
        QVERIFY(progressed.count() > 10);
        const QStringList finals = texts(segments, true);
        QVERIFY2(finals.size() >= 3, qPrintable(finals.join(" | ")));
        const QString all = finals.join(' ');
        QVERIFY2(all.contains("not breathing"), qPrintable(all));
        QVERIFY2(all.contains("collapsed"), qPrintable(all));
        QVERIFY(texts(segments, false).size() > finals.size()); // partials came first
        const auto stats = finished.at(0).at(0).value<RecognizerStats>();
        QCOMPARE(stats.processedMs, m_cardiac.size() / 32);
        QCOMPARE(stats.droppedMs, 0);
        QVERIFY(stats.realTimeFactor() > 0 && stats.realTimeFactor() < 2);
        qInfo("full recognition: rtf %.3f, cpu rtf %.3f", stats.realTimeFactor(),
              stats.cpuRealTimeFactor());
    }

    // N-best: each final full-recognition utterance carries up to nbest - 1 alternatives,
    // each different from the best hypothesis and from each other; partials and nbest 1 none.
    void alternatives_data()
    {
        QTest::addColumn<int>("nbest");
        QTest::newRow("off") << 1;
        QTest::newRow("three") << 3;
        QTest::newRow("six") << 6;
    }

    void alternatives()
    {
        QFETCH(int, nbest);
        SpeechRecognizerConfig config;
        config.realtime = false;
        config.nbest = nbest;
        SpeechRecognizer rec(m_pool, config);
        QSignalSpy segments(&rec, &SpeechRecognizer::segmentRecognized);
        QSignalSpy finished(&rec, &SpeechRecognizer::finished);
        rec.start();
        for (const QByteArray &c : chunks(m_cardiac))
            rec.addAudio(c);
        rec.finish();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        int finals = 0;
        int withAlternatives = 0;
        for (const auto &args : segments) {
            const auto seg = args.at(0).value<RecognizedSegment>();
            if (!seg.final) {
                QVERIFY(seg.alternatives.isEmpty());
                continue;
            }
            ++finals;
            withAlternatives += !seg.alternatives.isEmpty();
            QVERIFY2(seg.alternatives.size() <= nbest - 1, qPrintable(seg.alternatives.join('|')));
            QVERIFY2(!seg.alternatives.contains(seg.text), qPrintable(seg.text));
            QCOMPARE(QSet<QString>(seg.alternatives.cbegin(), seg.alternatives.cend()).size(),
                     seg.alternatives.size());
            for (const QString &alt : seg.alternatives)
                QVERIFY2(!alt.isEmpty() && !alt.contains('<') && !alt.contains('['),
                         qPrintable(alt));
        }
        QVERIFY(finals >= 3);
        // Utterances of several words have alternatives when asked for.
        if (nbest > 1)
            QVERIFY2(withAlternatives >= finals - 1, qPrintable(QString::number(withAlternatives)));
        else
            QCOMPARE(withAlternatives, 0);
    }

    void keywordSpottingWhenForced()
    {
        SpeechRecognizerConfig config;
        config.realtime = false;
        config.forceKeywordSpotting = true;
        SpeechRecognizer rec(m_pool, config);
        QSignalSpy segments(&rec, &SpeechRecognizer::segmentRecognized);
        QSignalSpy finished(&rec, &SpeechRecognizer::finished);
        QSignalSpy modes(&rec, &SpeechRecognizer::modeChanged);
        rec.start();
        for (const QByteArray &c : chunks(m_cardiac))
            rec.addAudio(c);
        rec.finish();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(toString(modes.at(0).at(0).value<RecognitionMode>()),
                 toString(RecognitionMode::KeywordSpotting));
        const QString all = texts(segments, true).join(", ");
        QVERIFY2(all.contains("not breathing"), qPrintable(all));
        for (const auto &args : segments)
            QCOMPARE(toString(args.at(0).value<RecognizedSegment>().mode),
                     toString(RecognitionMode::KeywordSpotting));
    }

    void degradesVisiblyWhenFallingBehind()
    {
        SpeechRecognizerConfig config;
        config.realtime = true;
        config.degradeBacklogMs = 1000;
        config.hardBacklogMs = 3000;
        SpeechRecognizer rec(m_pool, config);
        QSignalSpy modes(&rec, &SpeechRecognizer::modeChanged);
        QSignalSpy finished(&rec, &SpeechRecognizer::finished);
        // 14 s arriving at once: far more backlog than a live call may have.
        for (const QByteArray &c : chunks(m_cardiac))
            rec.addAudio(c);
        rec.start();
        rec.finish();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(modes.count(), 2);
        QCOMPARE(toString(modes.at(1).at(0).value<RecognitionMode>()),
                 toString(RecognitionMode::KeywordSpotting));
        QVERIFY2(modes.at(1).at(1).toString().contains("falling behind"),
                 qPrintable(modes.at(1).at(1).toString()));
        QCOMPARE(finished.at(0).at(0).value<RecognizerStats>().modeSwitches, 1);
    }

    // Issue 17: a call answered late hands over its ring-time audio at once. That backlog is
    // decoded with full recognition faster than real time; it is not "falling behind".
    void ringTimeBacklogDecodedInFull()
    {
        SpeechRecognizerConfig config;
        config.realtime = true;
        config.degradeBacklogMs = 1000;
        config.hardBacklogMs = 3000; // the same 14 s via addAudio() degrade (test above)
        config.degradeRtf = 100;     // only the backlog size could degrade here: deterministic
        SpeechRecognizer rec(m_pool, config);
        QSignalSpy segments(&rec, &SpeechRecognizer::segmentRecognized);
        QSignalSpy modes(&rec, &SpeechRecognizer::modeChanged);
        QSignalSpy finished(&rec, &SpeechRecognizer::finished);
        for (const QByteArray &c : chunks(m_cardiac))
            rec.addBacklogAudio(c);
        rec.start();
        rec.finish();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
        QCOMPARE(modes.count(), 1);
        QCOMPARE(toString(modes.at(0).at(0).value<RecognitionMode>()),
                 toString(RecognitionMode::FullTranscript));
        const QString all = texts(segments, true).join(' ');
        QVERIFY2(all.contains("not breathing"), qPrintable(all));
        const auto stats = finished.at(0).at(0).value<RecognizerStats>();
        QCOMPARE(stats.droppedMs, 0);
        QCOMPARE(stats.processedMs, m_cardiac.size() / 32);
    }

    void ringTimeBacklogIsNotBoundedOrDropped()
    {
        SpeechRecognizerConfig config;
        config.maxQueuedMs = 1000;
        config.maxDrainMs = 500;
        SpeechRecognizer rec(m_pool, config); // not started: the queue stays as it is left
        for (const QByteArray &c : chunks(m_cardiac.left(5 * 32000)))
            rec.addBacklogAudio(c);
        for (const QByteArray &c : chunks(m_cardiac.left(2 * 32000)))
            rec.addAudio(c);
        QCOMPARE(rec.queuedMs(), 6000); // the backlog plus the live bound
        QCOMPARE(rec.stats().droppedMs, 1000);
        rec.finish();
        QCOMPARE(rec.queuedMs(), 5500); // undecoded ring-time audio stays; live drains to 0.5 s
    }

    void boundedQueueCountsDrops()
    {
        SpeechRecognizerConfig config;
        config.maxQueuedMs = 1000;
        SpeechRecognizer rec(m_pool, config); // not started: nothing drains the queue
        for (const QByteArray &c : chunks(m_cardiac.left(5 * 32000)))
            rec.addAudio(c);
        QCOMPARE(rec.queuedMs(), 1000);
        const RecognizerStats stats = rec.stats();
        QCOMPARE(stats.audioMs, 5000);
        QCOMPARE(stats.droppedMs, 4000);
    }

    void finishDrainsAtMostMaxDrainMs()
    {
        SpeechRecognizerConfig config;
        config.maxDrainMs = 2000;
        SpeechRecognizer rec(m_pool, config); // not started: the queue stays as finish() left it
        for (const QByteArray &c : chunks(m_cardiac.left(10 * 32000)))
            rec.addAudio(c);
        QCOMPARE(rec.queuedMs(), 10000);
        rec.finish();
        QCOMPARE(rec.queuedMs(), 2000);
        const RecognizerStats stats = rec.stats();
        QCOMPARE(stats.audioMs, 10000);
        QCOMPARE(stats.droppedMs, 8000);
    }

    void workerRunsAtLowerPriority()
    {
#ifndef Q_OS_LINUX
        QSKIP("per-thread nice is Linux only");
#endif
        const auto niceValues = [] {
            QList<int> out;
            for (const dispatch::test::ThreadNice &t : dispatch::test::threadNiceValues())
                out << t.nice;
            return out;
        };
        QVERIFY(!niceValues().contains(7));
        SpeechRecognizerConfig config;
        config.workerNice = 7;
        SpeechRecognizer rec(m_pool, config);
        QSignalSpy finished(&rec, &SpeechRecognizer::finished);
        rec.start();
        QTRY_VERIFY(niceValues().contains(7));
        QVERIFY(niceValues().contains(0)); // the test's own thread is untouched
        rec.addAudio(m_cardiac.left(32000));
        rec.finish();
        QTRY_COMPARE_WITH_TIMEOUT(finished.count(), 1, 60000);
    }

    void budgetOfFullDecoders()
    {
        DecoderPoolConfig poolConfig;
        poolConfig.keyphrases = {"not breathing", "fire"};
        poolConfig.maxFullDecoders = 1;
        poolConfig.prewarm = 0;
        auto pool = std::make_shared<DecoderPool>(poolConfig);
        SpeechRecognizer first(pool, {});
        SpeechRecognizer second(pool, {});
        QSignalSpy firstMode(&first, &SpeechRecognizer::modeChanged);
        QSignalSpy secondMode(&second, &SpeechRecognizer::modeChanged);
        first.start();
        QTRY_COMPARE_WITH_TIMEOUT(firstMode.count(), 1, 20000);
        second.start();
        QTRY_COMPARE_WITH_TIMEOUT(secondMode.count(), 1, 20000);
        QCOMPARE(toString(firstMode.at(0).at(0).value<RecognitionMode>()),
                 toString(RecognitionMode::FullTranscript));
        QCOMPARE(toString(secondMode.at(0).at(0).value<RecognitionMode>()),
                 toString(RecognitionMode::KeywordSpotting));
        QVERIFY(secondMode.at(0).at(1).toString().contains("budget"));
        QCOMPARE(pool->fullInUse(), 1);
    }

    void missingModelFailsVisibly()
    {
        DecoderPoolConfig poolConfig;
        poolConfig.modelDir = "/nonexistent/model";
        poolConfig.prewarm = 0;
        auto pool = std::make_shared<DecoderPool>(poolConfig);
        SpeechRecognizer rec(pool, {});
        QSignalSpy modes(&rec, &SpeechRecognizer::modeChanged);
        QSignalSpy finished(&rec, &SpeechRecognizer::finished);
        rec.start();
        QTRY_COMPARE(modes.count(), 1);
        QCOMPARE(toString(modes.at(0).at(0).value<RecognitionMode>()),
                 toString(RecognitionMode::Failed));
        QVERIFY(modes.at(0).at(1).toString().contains("not found"));
        rec.addAudio(QByteArray(640, '\0'));
        rec.finish();
        QTRY_COMPARE(finished.count(), 1);
    }
};

QTEST_GUILESS_MAIN(TestSpeechRecognizer)
#include "tst_speechrecognizer.moc"
