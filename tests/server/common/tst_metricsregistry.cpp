// MetricsRegistry histograms (Prometheus text) and the relay-latency mark of common/relaylatency.h.

#include "common/metricsregistry.h"
#include "common/relaylatency.h"

#include <QTest>

#include <memory>

using namespace dispatch;

class TstMetricsRegistry : public QObject
{
    Q_OBJECT

private Q_SLOTS:
    void bucketsAreLessOrEqual()
    {
        Histogram h({0.001, 0.005, 0.01});
        h.observe(0.0005); // <= 0.001
        h.observe(0.001);  // exactly on a bound: that bucket (Prometheus "le")
        h.observe(0.002);  // <= 0.005
        h.observe(0.5);    // +Inf only
        QCOMPARE(h.cumulativeCount(0), quint64(2));
        QCOMPARE(h.cumulativeCount(1), quint64(3));
        QCOMPARE(h.cumulativeCount(2), quint64(3));
        QCOMPARE(h.cumulativeCount(3), quint64(4));
        QCOMPARE(h.count(), quint64(4));
        QVERIFY(qAbs(h.sum() - 0.5035) < 1e-12);
    }

    void boundsAreSortedAndUnique()
    {
        Histogram h({0.01, 0.001, 0.01});
        QCOMPARE(h.upperBounds(), (std::vector<double>{0.001, 0.01}));
        h.observe(0.005);
        QCOMPARE(h.cumulativeCount(0), quint64(0));
        QCOMPARE(h.cumulativeCount(1), quint64(1));
    }

    void rendersPrometheusHistogram()
    {
        MetricsRegistry registry;
        Histogram *h = registry.histogram(QStringLiteral("x_seconds"), QStringLiteral("X time"),
                                          {0.001, 0.01});
        QCOMPARE(registry.histogram(QStringLiteral("x_seconds"), QStringLiteral("again"), {5.0}),
                 h);
        h->observe(0.0005);
        h->observe(0.002);
        h->observe(3);
        const QByteArray text = registry.renderPrometheus();
        QVERIFY2(text.contains("# HELP x_seconds X time\n# TYPE x_seconds histogram\n"),
                 text.constData());
        QVERIFY2(text.contains("x_seconds_bucket{le=\"0.001\"} 1\n"
                               "x_seconds_bucket{le=\"0.01\"} 2\n"
                               "x_seconds_bucket{le=\"+Inf\"} 3\n"
                               "x_seconds_sum 3.0025\n"
                               "x_seconds_count 3\n"),
                 text.constData());
    }

    void gaugeLivesAsLongAsItsHandle()
    {
        MetricsRegistry registry;
        int sampled = 0;
        {
            GaugeHandle handle = registry.addGauge("g", "a gauge", [&sampled] {
                ++sampled;
                return MetricsRegistry::Samples{{QString(), 7.0}};
            });
            QVERIFY(registry.renderPrometheus().contains("\ng 7\n"));
            GaugeHandle moved = std::move(handle); // moving keeps it registered
            QVERIFY(registry.hasGauge("g"));
        }
        QVERIFY(!registry.hasGauge("g"));
        const int before = sampled;
        QVERIFY(!registry.renderPrometheus().contains("\ng "));
        QCOMPARE(sampled, before); // a removed sampler is never called again
    }

    void oldHandleDoesNotRemoveANewerGauge()
    {
        MetricsRegistry registry;
        auto first = std::make_unique<GaugeHandle>(registry.addGauge("g", "old", [] {
            return MetricsRegistry::Samples{{QString(), 1.0}};
        }));
        GaugeHandle second = registry.addGauge("g", "new", [] {
            return MetricsRegistry::Samples{{QString(), 2.0}};
        });
        first.reset();
        QVERIFY(registry.hasGauge("g"));
        QVERIFY(registry.renderPrometheus().contains("\ng 2\n"));
    }

    void relayLatencyNeedsAnArrivalMark()
    {
        MetricsRegistry registry;
        Histogram *h = relayLatencyHistogram(registry);
        QCOMPARE(AudioArrival::currentNs(), qint64(0));
        QVERIFY(!observeRelayLatency(h)); // not inside a delivery: nothing measured
        QCOMPARE(h->count(), quint64(0));
        {
            const AudioArrival now; // the real clock: a mark is set
            QVERIFY(AudioArrival::currentNs() > 0);
        }
        {
            const qint64 arrivedNs = 5'000'000'000;
            const AudioArrival arrival(arrivedNs);
            QCOMPARE(AudioArrival::currentNs(), arrivedNs);
            QVERIFY(observeRelayLatency(h, arrivedNs + 3'000'000)); // relayed 3 ms later
            QVERIFY(!observeRelayLatency(nullptr, arrivedNs + 3'000'000));
        }
        QCOMPARE(AudioArrival::currentNs(), qint64(0));
        QCOMPARE(h->count(), quint64(1));
        QVERIFY2(qAbs(h->sum() - 0.003) < 1e-9, QByteArray::number(h->sum()).constData());
        // 3 ms: nothing at or below the 2 ms bucket.
        const auto &bounds = h->upperBounds();
        const auto at2ms = std::find(bounds.begin(), bounds.end(), 0.002) - bounds.begin();
        QCOMPARE(h->cumulativeCount(static_cast<std::size_t>(at2ms)), quint64(0));
        QVERIFY(registry.renderPrometheus().contains(
            "dispatch_relay_latency_seconds_bucket{le=\"0.0001\"} 0\n"));
        QVERIFY(registry.renderPrometheus().contains("dispatch_relay_latency_seconds_count 1\n"));
    }

    void arrivalMarksNest()
    {
        const AudioArrival outer(1'000'000);
        {
            const AudioArrival inner(1'100'000);
            QCOMPARE(AudioArrival::currentNs(), qint64(1'100'000));
        }
        QCOMPARE(AudioArrival::currentNs(), qint64(1'000'000));
    }
};

QTEST_GUILESS_MAIN(TstMetricsRegistry)
#include "tst_metricsregistry.moc"
