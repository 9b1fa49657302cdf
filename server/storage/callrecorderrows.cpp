#include "geo/addressjson.h"
#include "storage/batchwriter.h"
#include "storage/callrecorder.h"
#include "storage/callrecording_p.h"
#include "storage/recordingfiles.h"
#include "storage/storagelog.h"

#include <QDir>

// The call's database rows: the call row, timeline, locations, vitals, transcript and triage.
// After the end only an unanswered call's follow-up and the late assessment of its ring-time
// audio come; they are written beside the sealed rows (see onTimeline, onTranscript, onTriage).
namespace dispatch {

using namespace callrecording;

CallRecorder::Recording *CallRecorder::recording(const QString &callId)
{
    if (const auto it = m_recordings.find(callId); it != m_recordings.end())
        return it->second.get();
    // The first event of a call: events can arrive before callAdded reaches us (the Rang
    // timeline entry, or an auto-answer wired ahead of us), so any event creates the record.
    const Call *call = m_store.call(callId);
    if (!call)
        return nullptr;
    auto rec = std::make_unique<Recording>();
    rec->key = m_nextKey();
    rec->callId = callId;
    rec->ringAt = call->ringingSince;
    // Read once from the wall clock (the call may have rung before this recorder saw it), then
    // kept on the monotonic one: a clock step during the call moves neither track nor frames.
    rec->ringMonotonicMs =
        m_config.monotonic() - qMax<qint64>(0, call->ringingSince.msecsTo(m_clock()));
    rec->mediaDir = QStringLiteral("recordings/%1/%2_%3")
                        .arg(call->ringingSince.toUTC().toString(QStringLiteral("yyyy-MM-dd")))
                        .arg(rec->key)
                        .arg(recordingfiles::safeName(callId));
    m_writer.enqueue(QStringLiteral("INSERT INTO calls (id, call_id, state, ringing_at, "
                                    "media_dir, node) VALUES (?, ?, ?, ?, ?, ?)"),
                     {rec->key, callId, toString(call->state), ms(call->ringingSince),
                      rec->mediaDir, text(m_config.node)});
    Recording *raw = rec.get();
    m_recordings.emplace(callId, std::move(rec));
    writeCallRow(*raw);
    qCInfo(lcStorage) << "recording call" << callId << "as" << raw->key << "in" << raw->mediaDir;
    // Handed over at once: a call the console has seen is in the database before any of its
    // audio is on disk (storage jobs run in order), so a crash can always be traced back to a
    // call.
    m_writer.commitSoon();
    return raw;
}

void CallRecorder::adoptEnded(const StoredCall &stored)
{
    auto rec = std::make_unique<Recording>();
    rec->key = stored.key;
    rec->callId = stored.callId;
    rec->ringAt = stored.ringingAt;
    rec->mediaDir = QDir(m_config.dataDir).relativeFilePath(stored.mediaDir);
    rec->ended = true;
    for (const StoredCall::Segment &s : stored.lateTranscript)
        rec->lateTranscript.append(lateSegmentJson(s.at, s.speaker, s.text));
    m_recordings.insert_or_assign(stored.callId, std::move(rec));
}

CallRecorder::Recording *CallRecorder::liveRecording(const QString &callId)
{
    Recording *rec = recording(callId);
    return rec && !rec->ended ? rec : nullptr;
}

void CallRecorder::writeCallRow(const Recording &rec)
{
    const Call *c = m_store.call(rec.callId);
    if (!c)
        return;
    const std::optional<GeoLocation> &where = c->location;
    m_writer.enqueue(
        QStringLiteral("UPDATE calls SET state = ?, end_reason = ?, answered_at = ?, ended_at = ?, "
                       "first_triage_at = ?, answered_by = ?, last_latitude = ?, "
                       "last_longitude = ?, last_accuracy_m = ?, last_location_at = ?, "
                       "severity = ?, response_type = ?, disposition = ?, "
                       "critical_acknowledged_by = ?, critical_acknowledged_at = ?, "
                       "follow_up = ?, follow_up_by = ?, follow_up_at = ?, address_json = ? "
                       "WHERE id = ?"),
        {toString(c->state),
         text(toString(c->endReason)),
         ms(c->answeredAt),
         ms(c->endedAt),
         ms(c->firstTriageAt),
         text(c->answeredBy),
         where ? QVariant(where->latitude) : QVariant(),
         where ? QVariant(where->longitude) : QVariant(),
         where ? optional(where->accuracyMeters) : QVariant(),
         where ? ms(where->receivedAt) : QVariant(),
         c->triage ? QVariant(c->triage->severity) : QVariant(),
         c->triage ? QVariant(toString(c->triage->responseType)) : QVariant(),
         text(toString(c->disposition)),
         c->criticalAlert.isAcknowledged() ? QVariant(toString(c->criticalAlert.acknowledgedBy))
                                           : QVariant(),
         ms(c->criticalAlert.acknowledgedAt),
         text(toString(c->followUp)),
         text(c->followUpBy),
         ms(c->followUpAt),
         c->address.status == geo::AddressStatus::NoData
             ? QVariant()
             : QVariant(compactJson(geo::addressToJson(c->address))),
         rec.key});
}

void CallRecorder::onTimeline(const QString &callId, const CallEvent &event)
{
    Recording *rec = recording(callId);
    if (!rec)
        return;
    m_writer.enqueue(QStringLiteral("INSERT INTO timeline_events (call, at, kind, detail) "
                                    "VALUES (?, ?, ?, ?)"),
                     {rec->key, ms(event.at), toString(event.kind), text(event.detail)});
    if (rec->ended) {
        // After the end only an unanswered call's follow-up and late assessment come: the
        // timeline and the call row are not sealed, so they are written as they come.
        writeCallRow(*rec);
        m_writer.requestFlush();
        return;
    }
    rec->dirty = true;
}

void CallRecorder::onLocation(const QString &callId, const GeoLocation &location)
{
    Recording *rec = liveRecording(callId);
    if (!rec)
        return;
    m_writer.enqueue(QStringLiteral("INSERT INTO locations (call, at, latitude, longitude, "
                                    "accuracy_m) VALUES (?, ?, ?, ?, ?)"),
                     {rec->key, ms(location.receivedAt.isValid() ? location.receivedAt : m_clock()),
                      location.latitude, location.longitude, optional(location.accuracyMeters)},
                     BatchWriter::Priority::Droppable);
    rec->dirty = true;
}

void CallRecorder::onVitals(const QString &callId, const VitalsSample &v)
{
    Recording *rec = liveRecording(callId);
    if (!rec)
        return;
    m_writer.enqueue(
        QStringLiteral("INSERT INTO vitals_samples (call, at, heart_rate, heart_rate_confidence, "
                       "breathing_rate, breathing_confidence, phone_timestamp_ms) "
                       "VALUES (?, ?, ?, ?, ?, ?, ?)"),
        {rec->key, ms(v.receivedAt.isValid() ? v.receivedAt : m_clock()), optional(v.heartRate),
         optional(v.heartRateConfidence), optional(v.breathingRate),
         optional(v.breathingConfidence), v.phoneTimestampMs},
        BatchWriter::Priority::Droppable);
}

void CallRecorder::onTranscript(const QString &callId, const TranscriptSegment &segment)
{
    Recording *rec = recording(callId);
    if (!rec || !segment.final)
        return; // partial segments are replaced by their final one
    if (rec->ended) {
        // What an abandoned caller said while the call rang, recognized after its end: the
        // transcript rows are sealed, so these go on the call row (bounded: ring-time audio is
        // at most the backlog's 30 s).
        if (rec->lateTranscript.size() >= MaxLateSegments)
            return;
        rec->lateTranscript.append(lateSegmentJson(segment.at.isValid() ? segment.at : m_clock(),
                                                   toString(segment.speaker), segment.text));
        m_writer.enqueue(
            QStringLiteral("UPDATE calls SET late_transcript_json = ? WHERE id = ?"),
            {QString::fromUtf8(QJsonDocument(rec->lateTranscript).toJson(QJsonDocument::Compact)),
             rec->key});
        m_writer.requestFlush();
        return;
    }
    const QVariantList row{ms(segment.at.isValid() ? segment.at : m_clock()),
                           toString(segment.speaker),
                           segment.text.isNull() ? QString::fromLatin1("") : segment.text};
    rec->transcriptDigest.add(row); // the columns of transcriptDigestColumns(), in order
    m_writer.enqueue(QStringLiteral("INSERT INTO transcript_segments (call, at, speaker, text) "
                                    "VALUES (?, ?, ?, ?)"),
                     QVariantList{rec->key} + row);
}

void CallRecorder::onTriage(const QString &callId, const TriageReport &report)
{
    Recording *rec = recording(callId);
    if (!rec)
        return;
    if (rec->ended) {
        // An abandoned call's ring-time audio assessed after its end: its triage rows are
        // sealed, so the latest assessment goes on the call row (with severity and response).
        m_writer.enqueue(QStringLiteral("UPDATE calls SET late_triage_json = ? WHERE id = ?"),
                         {compactJson(toJson(report)), rec->key});
        writeCallRow(*rec);
        m_writer.requestFlush();
        return;
    }
    const bool human = report.source == TriageSource::Dispatcher;
    const QString json = compactJson(toJson(report));
    const QVariantList row{ms(report.producedAt.isValid() ? report.producedAt : m_clock()),
                           toString(report.source),
                           human ? QStringLiteral("human") : QStringLiteral("ai"),
                           report.severity,
                           toString(report.responseType),
                           json,
                           human ? text(rec->lastAiReport) : QVariant()};
    rec->triageDigest.add(row); // the columns of triageDigestColumns(), in order
    m_writer.enqueue(QStringLiteral("INSERT INTO triage_reports (call, at, source, origin, "
                                    "severity, response_type, report_json, replaced_ai_json) "
                                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?)"),
                     QVariantList{rec->key} + row);
    if (!human)
        rec->lastAiReport = json;
    rec->dirty = true;
}

} // namespace dispatch
