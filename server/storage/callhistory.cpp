#include "storage/callhistory.h"
#include "storage/preparedquery.h"
#include "storage/sqldialect.h"

#include "common/jsonfields.h"
#include "geo/addressjson.h"

#include <QDir>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSqlError>
#include <QSqlQuery>

#include <cmath>

namespace dispatch {

namespace {

QDateTime time(const QVariant &v)
{
    return v.isNull() ? QDateTime() : QDateTime::fromMSecsSinceEpoch(v.toLongLong(), Qt::UTC);
}

std::optional<double> optionalDouble(const QVariant &v)
{
    return v.isNull() ? std::nullopt : std::optional<double>(v.toDouble());
}

QJsonObject object(const QVariant &v)
{
    return QJsonDocument::fromJson(v.toString().toUtf8()).object();
}

bool run(QSqlQuery &q, const QString &sql, const QVariantList &binds, QString *error)
{
    q.setForwardOnly(true);
    return runPrepared(q, sql, binds, error);
}

} // namespace

CallHistory::CallHistory(QSqlDatabase db, QString dataDir)
    : m_db(std::move(db))
    , m_dataDir(std::move(dataDir))
{}

QString CallHistory::absolute(const QString &relative) const
{
    return QDir(m_dataDir).filePath(relative);
}

Parsed<QList<StoredCall>> CallHistory::selectCalls(const QString &where, const QVariantList &binds,
                                                   int limit) const
{
    QSqlQuery q(m_db);
    QString error;
    const QString sql =
        QStringLiteral("SELECT id, call_id, state, end_reason, ringing_at, answered_at, ended_at, "
                       "first_triage_at, answered_by, interrupted, last_latitude, "
                       "last_longitude, last_accuracy_m, last_location_at, severity, "
                       "response_type, media_dir, disposition, critical_acknowledged_by, "
                       "critical_acknowledged_at, follow_up, follow_up_by, follow_up_at, "
                       "late_triage_json, address_json, late_transcript_json FROM calls WHERE ") +
        where + QStringLiteral(" ORDER BY ringing_at DESC, id DESC LIMIT %1").arg(limit);
    if (!run(q, sql, binds, &error))
        return ProtocolError{QStringLiteral("db"), error};
    QList<StoredCall> calls;
    while (q.next()) {
        StoredCall c;
        c.key = q.value(0).toLongLong();
        c.callId = q.value(1).toString();
        c.state = q.value(2).toString();
        c.endReason = q.value(3).toString();
        c.ringingAt = time(q.value(4));
        c.answeredAt = time(q.value(5));
        c.endedAt = time(q.value(6));
        c.firstTriageAt = time(q.value(7));
        c.answeredBy = q.value(8).toString();
        c.interrupted = q.value(9).toInt() != 0;
        if (!q.value(10).isNull())
            c.lastLocation = GeoLocation{q.value(10).toDouble(), q.value(11).toDouble(),
                                         optionalDouble(q.value(12)), time(q.value(13))};
        if (!q.value(14).isNull())
            c.severity = q.value(14).toInt();
        c.responseType = q.value(15).toString();
        c.mediaDir = absolute(q.value(16).toString());
        c.disposition = q.value(17).toString();
        c.criticalAcknowledgedBy = q.value(18).toString();
        c.criticalAcknowledgedAt = time(q.value(19));
        c.followUp = q.value(20).toString();
        c.followUpBy = q.value(21).toString();
        c.followUpAt = time(q.value(22));
        c.lateTriage = QJsonDocument::fromJson(q.value(23).toString().toUtf8()).object();
        if (const QJsonObject address = object(q.value(24)); !address.isEmpty()) {
            json::FieldReader reader(QStringLiteral("address_json"));
            c.address = geo::addressFromJson(reader, address);
        }
        for (const QJsonValue &v : QJsonDocument::fromJson(q.value(25).toByteArray()).array()) {
            const QJsonObject o = v.toObject();
            c.lateTranscript.append({time(o.value(QLatin1String("at")).toVariant()),
                                     o.value(QLatin1String("speaker")).toString(),
                                     o.value(QLatin1String("text")).toString()});
        }
        calls.append(c);
    }
    return calls;
}

Parsed<QList<StoredCall>> CallHistory::list(const QDateTime &from, const QDateTime &to,
                                            int limit) const
{
    return selectCalls(QStringLiteral("ringing_at >= ? AND ringing_at < ?"),
                       {from.toMSecsSinceEpoch(), to.toMSecsSinceEpoch()}, qBound(1, limit, 10000));
}

QString HistoryQuery::validate() const
{
    if (!from.isValid() || !to.isValid() || from >= to)
        return QStringLiteral("the time range is empty");
    if (near && (near->latitude < -90 || near->latitude > 90 || near->longitude < -180 ||
                 near->longitude > 180))
        return QStringLiteral("the place is not a valid latitude/longitude");
    if (near && !(near->radiusKm > 0 && near->radiusKm <= 500))
        return QStringLiteral("the radius must be between 0 and 500 km");
    if (box && (box->south > box->north || box->south < -90 || box->north > 90 ||
                box->west < -180 || box->east > 180 || box->west > box->east))
        return QStringLiteral("the box must be south,west,north,east with south <= north and "
                              "west <= east");
    if (minSeverity < 0 || minSeverity > 5)
        return QStringLiteral("the minimum severity must be 0-5");
    return {};
}

Parsed<QList<StoredCall>> CallHistory::search(const HistoryQuery &query) const
{
    if (const QString why = query.validate(); !why.isEmpty())
        return ProtocolError{QStringLiteral("bad_query"), why};
    QStringList where{QStringLiteral("ringing_at >= ? AND ringing_at < ?")};
    QVariantList binds{query.from.toMSecsSinceEpoch(), query.to.toMSecsSinceEpoch()};
    if (query.near) {
        // Equirectangular distance: exact enough for the <= 500 km a dispatcher searches in,
        // and plain arithmetic (SQLite's math functions are optional at build time).
        constexpr double kmPerDegree = 111.195;
        const double latSpan = query.near->radiusKm / kmPerDegree;
        const double cosLat = std::max(0.01, std::cos(query.near->latitude * M_PI / 180.0));
        where << QStringLiteral("last_latitude BETWEEN ? AND ?")
              << QStringLiteral("((last_latitude - ?) * (last_latitude - ?) + "
                                "(last_longitude - ?) * (last_longitude - ?) * ? * ?) * ? <= ?");
        binds << query.near->latitude - latSpan << query.near->latitude + latSpan
              << query.near->latitude << query.near->latitude << query.near->longitude
              << query.near->longitude << cosLat << cosLat << kmPerDegree * kmPerDegree
              << query.near->radiusKm * query.near->radiusKm;
    }
    if (query.box) {
        where << QStringLiteral("last_latitude BETWEEN ? AND ? AND last_longitude BETWEEN ? AND ?");
        binds << query.box->south << query.box->north << query.box->west << query.box->east;
    }
    if (!query.responseType.isEmpty()) {
        where << QStringLiteral("response_type = ?");
        binds << query.responseType;
    }
    if (query.minSeverity > 0) {
        where << QStringLiteral("severity >= ?");
        binds << query.minSeverity;
    }
    if (const QString text = query.text.trimmed(); !text.isEmpty()) {
        QString escaped = text;
        escaped.replace(QLatin1Char('\\'), QStringLiteral("\\\\"))
            .replace(QLatin1Char('%'), QStringLiteral("\\%"))
            .replace(QLatin1Char('_'), QStringLiteral("\\_"));
        const QString pattern = QLatin1Char('%') + escaped + QLatin1Char('%');
        // Case-insensitive on both backends (SQLite folds ASCII letters only).
        const SqlDialect &dialect = SqlDialect::of(m_db);
        where << QStringLiteral("(EXISTS (SELECT 1 FROM transcript_segments t WHERE t.call = "
                                "calls.id AND t.text %1 ? ESCAPE '\\') OR EXISTS (SELECT 1 FROM "
                                "triage_reports r WHERE r.call = calls.id AND %2 %1 ? ESCAPE "
                                "'\\'))")
                     .arg(dialect.caseInsensitiveLike(),
                          dialect.jsonText(QStringLiteral("r.report_json"),
                                           QStringLiteral("situation_summary")));
        binds << pattern << pattern;
    }
    return selectCalls(where.join(QStringLiteral(" AND ")), binds, qBound(1, query.limit, 10000));
}

Parsed<QList<StoredCall>> CallHistory::openFollowUps(int limit) const
{
    // The newest `limit` (a backlog beyond that is for the history view), handed back oldest
    // first, the order they rang in.
    const auto found =
        selectCalls(QStringLiteral("follow_up = 'open'"), {}, qBound(1, limit, 10000));
    if (!found)
        return found.error();
    QList<StoredCall> calls;
    for (auto it = found->crbegin(); it != found->crend(); ++it) {
        auto whole = load(it->key);
        if (!whole)
            return whole.error();
        calls.append(whole.value());
    }
    return calls;
}

Parsed<StoredCall> CallHistory::loadLatest(const QString &callId) const
{
    const auto found = selectCalls(QStringLiteral("call_id = ?"), {callId}, 1);
    if (!found)
        return found.error();
    if (found->isEmpty())
        return ProtocolError{QStringLiteral("not_found"),
                             QStringLiteral("no recorded call %1").arg(callId)};
    return load(found->constFirst().key);
}

Parsed<StoredCall> CallHistory::load(qint64 key) const
{
    auto found = selectCalls(QStringLiteral("id = ?"), {key}, 1);
    if (!found)
        return found.error();
    if (found->isEmpty())
        return ProtocolError{QStringLiteral("not_found"), QStringLiteral("no call %1").arg(key)};
    StoredCall c = found->constFirst();
    QString error;
    QSqlQuery q(m_db);
    auto fail = [&] { return ProtocolError{QStringLiteral("db"), error}; };

    if (!run(q,
             QStringLiteral("SELECT at, kind, detail FROM timeline_events WHERE call = ? "
                            "ORDER BY id"),
             {key}, &error))
        return fail();
    while (q.next())
        c.timeline.append({time(q.value(0)), q.value(1).toString(), q.value(2).toString()});

    if (!run(q,
             QStringLiteral("SELECT at, source, origin, severity, response_type, report_json, "
                            "replaced_ai_json FROM triage_reports WHERE call = ? ORDER BY id"),
             {key}, &error))
        return fail();
    while (q.next()) {
        StoredCall::Triage t{time(q.value(0)),
                             q.value(1).toString(),
                             q.value(2).toString() == QLatin1String("human"),
                             q.value(3).toInt(),
                             q.value(4).toString(),
                             object(q.value(5)),
                             std::nullopt};
        if (!q.value(6).isNull())
            t.replacedAi = object(q.value(6));
        c.triage.append(t);
    }

    if (!run(q,
             QStringLiteral("SELECT at, speaker, text FROM transcript_segments WHERE call = ? "
                            "ORDER BY id"),
             {key}, &error))
        return fail();
    while (q.next())
        c.transcript.append({time(q.value(0)), q.value(1).toString(), q.value(2).toString()});

    if (!run(q,
             QStringLiteral("SELECT at, heart_rate, heart_rate_confidence, breathing_rate, "
                            "breathing_confidence, phone_timestamp_ms FROM vitals_samples "
                            "WHERE call = ? ORDER BY id"),
             {key}, &error))
        return fail();
    while (q.next()) {
        VitalsSample v;
        v.receivedAt = time(q.value(0));
        v.heartRate = optionalDouble(q.value(1));
        v.heartRateConfidence = optionalDouble(q.value(2));
        v.breathingRate = optionalDouble(q.value(3));
        v.breathingConfidence = optionalDouble(q.value(4));
        v.phoneTimestampMs = q.value(5).toLongLong();
        c.vitals.append(v);
    }

    if (!run(q,
             QStringLiteral("SELECT at, latitude, longitude, accuracy_m FROM locations "
                            "WHERE call = ? ORDER BY id"),
             {key}, &error))
        return fail();
    while (q.next())
        c.track.append(GeoLocation{q.value(1).toDouble(), q.value(2).toDouble(),
                                   optionalDouble(q.value(3)), time(q.value(0))});

    if (!run(q,
             QStringLiteral("SELECT track, path, started_at, sample_rate, bytes, duration_ms, "
                            "lost_bytes, finalized FROM recordings WHERE call = ? "
                            "ORDER BY id"),
             {key}, &error))
        return fail();
    while (q.next())
        c.recordings.append({q.value(0).toString(), absolute(q.value(1).toString()),
                             time(q.value(2)), q.value(3).toInt(), q.value(4).toLongLong(),
                             q.value(5).toLongLong(), q.value(6).toLongLong(),
                             q.value(7).toInt() != 0});

    if (!run(q, QStringLiteral("SELECT at, path, bytes FROM frames WHERE call = ? ORDER BY id"),
             {key}, &error))
        return fail();
    while (q.next())
        c.frames.append(
            {time(q.value(0)), absolute(q.value(1).toString()), q.value(2).toLongLong()});
    return c;
}

} // namespace dispatch
