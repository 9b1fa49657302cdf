#pragma once

#include "common/parseresult.h"
#include "domain/call.h"

#include <QDateTime>
#include <QJsonObject>
#include <QList>
#include <QSqlDatabase>
#include <QString>

#include <optional>

namespace dispatch {

// A call as the database keeps it (values only). Enum-like fields are the stored strings
// ("answered", "caller_hung_up", "interrupted", ...).
struct StoredCall
{
    struct Event
    {
        QDateTime at;
        QString kind;
        QString detail;
    };
    struct Triage
    {
        QDateTime at;
        QString source; // local, gemini, dispatcher
        bool human = false;
        int severity = 0;
        QString responseType;
        QJsonObject report;
        std::optional<QJsonObject> replacedAi; // for an override: the AI values it replaced
    };
    struct Segment
    {
        QDateTime at;
        QString speaker;
        QString text;
    };
    struct Recording
    {
        QString track; // caller, talkback
        QString path;  // absolute
        QDateTime startedAt;
        int sampleRate = 16000;
        qint64 bytes = 0;
        qint64 durationMs = 0;
        qint64 lostBytes = 0;
        bool finalized = false;
    };
    struct Frame
    {
        QDateTime at;
        QString path; // absolute
        qint64 bytes = 0;
    };

    qint64 key = 0;
    QString callId;
    QString state;
    QString endReason;
    QString disposition; // the dispatcher's code ("units_dispatched", ...); empty: none given
    // Who acknowledged the latest critical flag ("dispatcher:alice") and when; empty/invalid
    // while it was not (or the call was never flagged).
    QString criticalAcknowledgedBy;
    QDateTime criticalAcknowledgedAt;
    QString followUp; // "open", "called_back", ... (domain/followup.h); empty: none needed
    QString followUpBy;
    QDateTime followUpAt;
    // An abandoned call's ring-time audio assessed after its end (not in `triage`, whose rows
    // were sealed at the end); empty when there is none.
    QJsonObject lateTriage;
    QDateTime ringingAt;
    QDateTime answeredAt;
    QDateTime endedAt;
    QDateTime firstTriageAt;
    QString answeredBy;
    bool interrupted = false;
    std::optional<GeoLocation> lastLocation;
    geo::AddressMatch address; // the site address of lastLocation (NoData: none looked up)
    std::optional<int> severity;
    QString responseType;
    QString mediaDir; // absolute

    // Filled by CallHistory::load(), empty in listings.
    QList<Event> timeline;
    QList<Triage> triage;
    QList<Segment> transcript;
    // What an abandoned caller said while the call rang, recognized after its end (beside the
    // sealed transcript, like lateTriage).
    QList<Segment> lateTranscript;
    QList<VitalsSample> vitals;
    QList<GeoLocation> track;
    QList<Recording> recordings;
    QList<Frame> frames;
};

// What a history search asks for. Every filter is optional except the time range; filters
// combine with AND. Locations use the call's last known position.
struct HistoryQuery
{
    QDateTime from; // rang at or after
    QDateTime to;   // rang before
    struct Near
    {
        double latitude = 0;
        double longitude = 0;
        double radiusKm = 1;
    };
    std::optional<Near> near;
    struct Box
    {
        double south = 0;
        double west = 0;
        double north = 0;
        double east = 0;
    };
    std::optional<Box> box;
    QString responseType; // "medical", "police", ...; empty: any
    int minSeverity = 0;  // 0: any (calls never triaged included)
    QString text;         // substring of a final transcript segment or a triage summary
    int limit = 200;

    // A clear message for a query that cannot be run (bad range, radius, box); empty if valid.
    QString validate() const;
};

// Reads calls back from the database: listings for a history view, whole calls for playback
// and export. Read-only; safe beside the recorder (WAL readers do not block the writer).
class CallHistory
{
public:
    CallHistory(QSqlDatabase db, QString dataDir);

    // Calls that rang in [from, to), newest first, without their detail lists.
    Parsed<QList<StoredCall>> list(const QDateTime &from, const QDateTime &to,
                                   int limit = 500) const;
    // Calls matching every filter, newest first, without their detail lists. The time range
    // bounds the scan (indexed), text is a case-insensitive (ASCII) substring match.
    Parsed<QList<StoredCall>> search(const HistoryQuery &query) const;
    // One whole call by its database key.
    Parsed<StoredCall> load(qint64 key) const;
    // Whole calls whose follow-up is still open (abandoned or lost callers nobody has called
    // back yet): the newest `limit` of them, oldest first.
    Parsed<QList<StoredCall>> openFollowUps(int limit) const;
    // The newest call with this phone call id (ids can repeat across restarts).
    Parsed<StoredCall> loadLatest(const QString &callId) const;

private:
    Parsed<QList<StoredCall>> selectCalls(const QString &where, const QVariantList &binds,
                                          int limit) const;
    QString absolute(const QString &relative) const;

    QSqlDatabase m_db;
    QString m_dataDir;
};

} // namespace dispatch
