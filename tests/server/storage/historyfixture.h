#pragma once

// A small, known call history recorded through the real CallStore -> Storage path, for the
// history search (storage) and history window (UI) suites. Times come from a test clock.
#include "calls/callstore.h"
#include "common/metricsregistry.h"
#include "domain/triagereport.h"
#include "storage/storage.h"
#include "storagetesthelpers.h"
#include "testdatabase.h"

#include <memory>

namespace dispatch::test {

class HistoryFixture
{
public:
    // "old-berlin" rings at `start`, the others two days later, "med-berlin" (the newest and
    // the detailed one) last.
    static constexpr int AudioSeconds = 6;

    explicit HistoryFixture(const QString &dataDir,
                            QDateTime start = QDateTime(QDate(2026, 11, 20), QTime(8, 0), Qt::UTC))
        : m_now(std::move(start))
        , m_store(storeConfig(), clock())
    {
        StorageConfig c;
        c.dataDir = dataDir;
        c.database = testDatabase(dataDir);
        c.recorder.monotonic = monotonic();
        c.health.freeBytesProbe = [this](const QString &) { return m_freeBytes; };
        m_storage = std::make_unique<Storage>(c, m_store, m_metrics, clock());
    }

    Clock clock()
    {
        return [this] { return m_now; };
    }
    // Durations (frame periods, talk-back alignment) run on this one; advance() moves both.
    MonotonicClock monotonic()
    {
        return [this] { return m_monotonicMs; };
    }
    CallStoreConfig storeConfig()
    {
        CallStoreConfig c;
        c.monotonic = monotonic();
        return c;
    }
    QDateTime now() const { return m_now; }
    void advance(qint64 ms)
    {
        m_now = m_now.addMSecs(ms);
        m_monotonicMs += ms;
    }
    CallStore &store() { return m_store; }
    // What the disk reports as free from now on (see StorageHealth::check()).
    void setFreeBytes(qint64 bytes) { m_freeBytes = bytes; }
    Storage &storage() { return *m_storage; }

    // Opens storage and records the calls; false (with `why`) if anything failed. With a
    // JPEG, med-berlin gets one camera frame per second.
    bool record(QString *why, const QByteArray &frameJpeg = {})
    {
        m_frameJpeg = frameJpeg;
        if (const auto opened = m_storage->open(); !opened) {
            *why = opened.error().message;
            return false;
        }
        // Two days before the others, same place as med-berlin.
        simpleCall("old-berlin", GeoLocation{52.5205, 13.4095, 10.0, m_now}, ResponseType::Medical,
                   4, "my mother fell down the stairs", "Elderly fall, conscious");
        advance(2LL * 24 * 3600 * 1000);
        simpleCall("fire-potsdam", GeoLocation{52.3906, 13.0645, 20.0, m_now}, ResponseType::Fire,
                   3, "there is smoke in the kitchen", "Kitchen fire, everyone outside");
        advance(60'000);
        simpleCall("police-munich", GeoLocation{48.1372, 11.5756, 15.0, m_now},
                   ResponseType::Police, 2, "someone broke into the garage",
                   "Burglary in progress");
        advance(60'000);
        m_store.addCall(QStringLiteral("no-location"), std::nullopt);
        m_store.answer(QStringLiteral("no-location"), Actor::dispatcher(QStringLiteral("console")));
        m_store.addTranscript(QStringLiteral("no-location"),
                              {m_now, Speaker::Caller, QStringLiteral("hello? hello?"), true});
        m_store.end(QStringLiteral("no-location"), EndReason::CallerHungUp);
        advance(60'000);
        recordMedBerlin();
        if (!m_storage->flush()) {
            *why = QStringLiteral("flush failed");
            return false;
        }
        return true;
    }

    QDateTime medBerlinRang;

private:
    TriageReport report(TriageSource source, ResponseType type, int severity,
                        const QString &summary) const
    {
        TriageReport t;
        t.source = source;
        t.severity = severity;
        t.responseType = type;
        t.situationSummary = summary;
        t.producedAt = m_now;
        return t;
    }

    void simpleCall(const QString &id, const GeoLocation &at, ResponseType type, int severity,
                    const QString &said, const QString &summary)
    {
        m_store.addCall(id, at);
        m_store.answer(id, Actor::dispatcher(QStringLiteral("console")));
        m_store.addAudio(id, testPcm(16000, 1));
        m_store.addTranscript(id, {m_now, Speaker::Caller, said, true});
        m_store.setTriage(id, report(TriageSource::Local, type, severity, summary));
        advance(1000);
        m_store.end(id, EndReason::CallerHungUp);
    }

    // The detailed call: 6 s of caller audio, a talk-back burst, AI triage then a dispatcher
    // override, a critical flag, hold/resume and four transcript segments 1 s apart.
    void recordMedBerlin()
    {
        const QString id = QStringLiteral("med-berlin");
        medBerlinRang = m_now;
        m_store.addCall(id, GeoLocation{52.5200, 13.4050, 8.0, m_now});
        m_store.addAudio(id, testPcm(16000, 2)); // 1 s ringing
        advance(1000);
        m_store.answer(id, Actor::dispatcher(QStringLiteral("alice")));
        const QStringList said{
            QStringLiteral("my father collapsed"), QStringLiteral("he is not breathing"),
            QStringLiteral("yes I can start CPR"), QStringLiteral("the ambulance is here")};
        for (int s = 1; s < AudioSeconds; ++s) {
            m_store.addAudio(id, testPcm(16000, 2 + s));
            if (!m_frameJpeg.isEmpty())
                m_store.addFrame(id, m_frameJpeg);
            if (s - 1 < said.size())
                m_store.addTranscript(id, {m_now, Speaker::Caller, said.at(s - 1), true});
            if (s == 2) {
                m_store.setTriage(id, report(TriageSource::Gemini, ResponseType::Medical, 4,
                                             QStringLiteral("Adult collapsed")));
                m_store.flagCritical(id, QStringLiteral("not breathing"), 5);
            }
            if (s == 3) {
                m_store.overrideTriage(id,
                                       report(TriageSource::Dispatcher, ResponseType::Medical, 5,
                                              QStringLiteral("Cardiac arrest, CPR instructions")),
                                       Actor::dispatcher(QStringLiteral("alice")));
                m_store.sendTalkBack(id, testPcm(8000, 77));
                m_store.hold(id, Actor::dispatcher(QStringLiteral("alice")));
                m_store.resume(id, Actor::dispatcher(QStringLiteral("alice")));
            }
            advance(1000);
        }
        m_store.end(id, EndReason::DispatcherEnded, Actor::dispatcher("alice"),
                    Disposition::UnitsDispatched);
    }

    QDateTime m_now;
    qint64 m_monotonicMs = 1'000'000;
    qint64 m_freeBytes = qint64(1) << 40;
    QByteArray m_frameJpeg;
    CallStore m_store;
    MetricsRegistry m_metrics;
    std::unique_ptr<Storage> m_storage;
};

} // namespace dispatch::test
