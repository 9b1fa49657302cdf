#include "storage/incidentexport.h"

#include "geo/addressjson.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonArray>
#include <QJsonDocument>
#include <QSaveFile>

namespace dispatch {

namespace {

QJsonValue stamp(const QDateTime &t)
{
    return t.isValid() ? QJsonValue(t.toUTC().toString(Qt::ISODateWithMs)) : QJsonValue();
}

QJsonObject ref(const QString &id)
{
    return {{QStringLiteral("$ref"), id}};
}

// A geodetic fix as PIDF-LO (RFC 4119 / 5491): a circle when the accuracy is known.
QString pidfLo(const GeoLocation &g, const QString &entity)
{
    const QString pos =
        QStringLiteral("%1 %2").arg(g.latitude, 0, 'f', 7).arg(g.longitude, 0, 'f', 7);
    const QString shape =
        g.accuracyMeters
            ? QStringLiteral("<gs:Circle srsName=\"urn:ogc:def:crs:EPSG::4326\"><gml:pos>%1"
                             "</gml:pos><gs:radius uom=\"urn:ogc:def:uom:EPSG::9001\">%2"
                             "</gs:radius></gs:Circle>")
                  .arg(pos)
                  .arg(*g.accuracyMeters, 0, 'f', 1)
            : QStringLiteral("<gml:Point srsName=\"urn:ogc:def:crs:EPSG::4326\"><gml:pos>%1"
                             "</gml:pos></gml:Point>")
                  .arg(pos);
    return QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?><presence "
                          "xmlns=\"urn:ietf:params:xml:ns:pidf\" "
                          "xmlns:gp=\"urn:ietf:params:xml:ns:pidf:geopriv10\" "
                          "xmlns:gml=\"http://www.opengis.net/gml\" "
                          "xmlns:gs=\"http://www.opengis.net/pidflo/1.0\" entity=\"%1\">"
                          "<tuple id=\"caller\"><status><gp:geopriv><gp:location-info>%2"
                          "</gp:location-info><gp:method>GPS</gp:method></gp:geopriv></status>"
                          "<timestamp>%3</timestamp></tuple></presence>")
        .arg(entity, shape, stamp(g.receivedAt).toString());
}

// The site address found for the last location as a civic PIDF-LO (RFC 4119/5139 element
// names, from the NENA parts; the house number prefix has no element and is left out),
// method "Derived": the console found it near the caller's fix, nobody confirmed it.
QString civicPidfLo(const geo::SiteAddress &a, const QDateTime &at, const QString &entity)
{
    const std::pair<const char *, const QString *> elements[] = {{"A1", &a.state},
                                                                 {"A3", &a.community},
                                                                 {"PRD", &a.preDirectional},
                                                                 {"STPS", &a.preType},
                                                                 {"RD", &a.streetName},
                                                                 {"STS", &a.postType},
                                                                 {"POD", &a.postDirectional},
                                                                 {"HNO", &a.number},
                                                                 {"HNS", &a.numberSuffix},
                                                                 {"PC", &a.postCode},
                                                                 {"BLD", &a.building},
                                                                 {"FLR", &a.floor},
                                                                 {"ROOM", &a.room},
                                                                 {"UNIT", &a.unit}};
    QString civic;
    for (const auto &[name, value] : elements) {
        if (!value->isEmpty())
            civic += QStringLiteral("<ca:%1>%2</ca:%1>")
                         .arg(QLatin1String(name), value->toHtmlEscaped());
    }
    return QStringLiteral("<?xml version=\"1.0\" encoding=\"UTF-8\"?><presence "
                          "xmlns=\"urn:ietf:params:xml:ns:pidf\" "
                          "xmlns:gp=\"urn:ietf:params:xml:ns:pidf:geopriv10\" "
                          "xmlns:ca=\"urn:ietf:params:xml:ns:pidf:geopriv10:civicAddr\" "
                          "entity=\"%1\"><tuple id=\"site-address\"><status><gp:geopriv>"
                          "<gp:location-info><ca:civicAddress>%2</ca:civicAddress>"
                          "</gp:location-info><gp:method>Derived</gp:method></gp:geopriv>"
                          "</status><timestamp>%3</timestamp></tuple></presence>")
        .arg(entity.toHtmlEscaped(), civic, stamp(at).toString());
}

QString agencyTypeFor(const QString &responseType)
{
    if (responseType == QLatin1String("medical"))
        return QStringLiteral("ems");
    if (responseType == QLatin1String("police"))
        return QStringLiteral("law");
    if (responseType == QLatin1String("fire"))
        return QStringLiteral("fire");
    return QString();
}

QString callStateText(const StoredCall &c)
{
    if (c.interrupted)
        return QStringLiteral("callInterrupted");
    if (c.endReason == QLatin1String("abandoned"))
        return QStringLiteral("callAbandoned");
    if (c.endedAt.isValid())
        return QStringLiteral("callEnded");
    return c.answeredAt.isValid() ? QStringLiteral("callAnswered") : QStringLiteral("callRinging");
}

// Call ids come from phones: never let one name a path outside the target directory.
QString fileStem(const QString &callId)
{
    QString out = callId.left(100);
    for (QChar &c : out) {
        if (c == QLatin1Char('/') || c == QLatin1Char('\\') || c.unicode() < 0x20)
            c = QLatin1Char('_');
    }
    return out.startsWith(QLatin1Char('.')) ? QLatin1Char('_') + out : out;
}

QString sha256Of(const QString &path)
{
    QFile f(path);
    if (!f.open(QIODevice::ReadOnly))
        return QString();
    QCryptographicHash h(QCryptographicHash::Sha256);
    h.addData(&f);
    return QString::fromLatin1(h.result().toHex());
}

} // namespace

QJsonObject eidoIncident(const StoredCall &c, const IncidentExportContext &ctx)
{
    const QString incidentId = QStringLiteral("urn:emergency:uid:incidentid:%1-%2:%3")
                                   .arg(c.key)
                                   .arg(c.callId, ctx.agencyId);
    const QString callUrn =
        QStringLiteral("urn:emergency:uid:callid:%1:%2").arg(c.callId, ctx.agencyId);
    const QJsonValue updated = stamp(ctx.exportedAt);
    auto header = [&](const QString &id, const QJsonValue &when) {
        return QJsonObject{{QStringLiteral("$id"), id},
                           {QStringLiteral("lastUpdateTimeStamp"), when},
                           {QStringLiteral("updatedByAgencyReference"), ref(ctx.agencyId)}};
    };

    // The current assessment: the last dispatcher override if any, else the last AI report.
    const StoredCall::Triage *current = nullptr;
    for (const auto &t : c.triage) {
        if (!current || t.human || !current->human)
            current = &t;
    }
    QJsonObject incident = header(incidentId + QStringLiteral(":incident:0"), updated);
    incident.insert(QStringLiteral("incidentTrackingIdentifier"), incidentId);
    incident.insert(
        QStringLiteral("incidentStatusCommonRegistryText"),
        QJsonArray{c.endedAt.isValid() ? QStringLiteral("Closed") : QStringLiteral("Open")});
    if (current) {
        incident.insert(QStringLiteral("incidentTypeInternalCode"), current->responseType);
        incident.insert(QStringLiteral("incidentTypeInternalText"),
                        current->report.value(QLatin1String("situation_summary")).toString());
        incident.insert(QStringLiteral("incidentCommonPriorityNumber"), current->severity);
        incident.insert(QStringLiteral("incidentPriorityInternalText"),
                        QStringLiteral("severity %1 of 5 (%2)")
                            .arg(current->severity)
                            .arg(current->human ? QStringLiteral("dispatcher")
                                                : QStringLiteral("AI: ") + current->source));
    }

    QJsonObject call = header(callUrn, stamp(c.endedAt.isValid() ? c.endedAt : c.ringingAt));
    call.insert(QStringLiteral("standardPrimaryCallType"), QStringLiteral("emergency"));
    call.insert(QStringLiteral("direction"), QStringLiteral("incoming"));
    call.insert(QStringLiteral("callStartTimestamp"), stamp(c.ringingAt));
    call.insert(QStringLiteral("answerDate"), stamp(c.answeredAt));
    call.insert(QStringLiteral("callEndTimestamp"), stamp(c.endedAt));
    call.insert(QStringLiteral("callStateRegistryText"), callStateText(c));
    QJsonArray agents;
    QJsonArray agentRefs;
    if (!c.answeredBy.isEmpty()) {
        QJsonObject agent = header(c.answeredBy, stamp(c.answeredAt));
        agent.insert(QStringLiteral("agentRoleRegistryText"),
                     QJsonArray{QStringLiteral("Call Taking")});
        agent.insert(QStringLiteral("agencyReference"), ref(ctx.agencyId));
        agents.append(agent);
        agentRefs.append(ref(c.answeredBy));
    }
    call.insert(QStringLiteral("agentReference"), agentRefs);

    QJsonArray locations;
    QJsonArray locationRefs;
    const QList<GeoLocation> fixes =
        c.track.isEmpty() && c.lastLocation ? QList<GeoLocation>{*c.lastLocation} : c.track;
    for (qsizetype i = 0; i < fixes.size(); ++i) {
        const QString id = callUrn + QStringLiteral(":location:%1").arg(i);
        QJsonObject loc = header(id, stamp(fixes.at(i).receivedAt));
        loc.insert(QStringLiteral("locationTypeDescriptionRegistryText"), QStringLiteral("Caller"));
        loc.insert(QStringLiteral("locationByValue"), pidfLo(fixes.at(i), callUrn));
        locations.append(loc);
        locationRefs.append(ref(id));
    }
    if (c.address.found() && c.lastLocation) {
        const QString id = callUrn + QStringLiteral(":location:site-address");
        QJsonObject loc = header(id, stamp(c.lastLocation->receivedAt));
        loc.insert(QStringLiteral("locationTypeDescriptionRegistryText"),
                   QStringLiteral("Site address nearest the caller"));
        loc.insert(QStringLiteral("locationByValue"),
                   civicPidfLo(c.address.address, c.lastLocation->receivedAt, callUrn));
        locations.append(loc);
        locationRefs.append(ref(id));
    }
    call.insert(QStringLiteral("locationReference"), locationRefs);

    QJsonArray notes;
    auto note = [&](const QDateTime &at, const QString &author, const QString &kind,
                    const QString &text) {
        QJsonObject n =
            header(incidentId + QStringLiteral(":note:%1").arg(notes.size()), stamp(at));
        n.insert(QStringLiteral("notesDateTimeStamp"), stamp(at));
        n.insert(QStringLiteral("notesAuthorText"), author);
        n.insert(QStringLiteral("notesTypeText"), kind);
        n.insert(QStringLiteral("notesActionComment"), text);
        notes.append(n);
    };
    for (const auto &s : c.transcript)
        note(s.at, s.speaker, QStringLiteral("transcript"), s.text);
    for (const auto &t : c.triage) {
        QString text =
            QStringLiteral("severity %1, %2: %3")
                .arg(t.severity)
                .arg(t.responseType, t.report.value(QLatin1String("situation_summary")).toString());
        if (t.replacedAi)
            text +=
                QStringLiteral(" (overrides AI: severity %1, %2)")
                    .arg(t.replacedAi->value(QLatin1String("severity")).toInt())
                    .arg(
                        t.replacedAi->value(QLatin1String("recommended_response_type")).toString());
        note(t.at, t.human ? QStringLiteral("dispatcher") : QStringLiteral("ai:") + t.source,
             t.human ? QStringLiteral("triage_override") : QStringLiteral("triage"), text);
    }
    // An abandoned call's ring-time audio, recognized and assessed after its end.
    for (const auto &s : c.lateTranscript)
        note(s.at, s.speaker, QStringLiteral("transcript_while_ringing"), s.text);
    if (!c.lateTriage.isEmpty())
        note(c.endedAt,
             QStringLiteral("ai:") + c.lateTriage.value(QLatin1String("source")).toString(),
             QStringLiteral("triage_while_ringing"),
             QStringLiteral("severity %1, %2: %3")
                 .arg(c.lateTriage.value(QLatin1String("severity")).toInt())
                 .arg(c.lateTriage.value(QLatin1String("recommended_response_type")).toString(),
                      c.lateTriage.value(QLatin1String("situation_summary")).toString()));
    for (const auto &e : c.timeline)
        note(e.at, QStringLiteral("system"), QStringLiteral("timeline"),
             e.detail.isEmpty() ? e.kind : e.kind + QStringLiteral(": ") + e.detail);

    QJsonArray agencies;
    QJsonObject psap = header(ctx.agencyId, updated);
    psap.insert(QStringLiteral("agencyRoleDescriptionRegistryText"),
                QJsonArray{QStringLiteral("CallReceiving")});
    psap.insert(QStringLiteral("agencyType"), QJsonArray{QStringLiteral("psap")});
    agencies.append(psap);
    if (current && !agencyTypeFor(current->responseType).isEmpty()) {
        const QString type = agencyTypeFor(current->responseType);
        QJsonObject responder = header(type + QLatin1Char('.') + ctx.agencyId, updated);
        responder.insert(QStringLiteral("agencyRoleDescriptionRegistryText"),
                         QJsonArray{QStringLiteral("Responding")});
        responder.insert(QStringLiteral("agencyType"), QJsonArray{type});
        agencies.append(responder);
    }

    QJsonArray recordings;
    for (const auto &r : c.recordings)
        recordings.append(QJsonObject{
            {QStringLiteral("track"), r.track},
            {QStringLiteral("file"), QStringLiteral("%1-%2.wav").arg(fileStem(c.callId), r.track)},
            {QStringLiteral("format"),
             QStringLiteral("audio/wav; codecs=1; rate=%1; channels=1").arg(r.sampleRate)},
            {QStringLiteral("started_at"), stamp(r.startedAt)},
            {QStringLiteral("duration_ms"), r.durationMs},
            {QStringLiteral("bytes"), r.bytes},
            {QStringLiteral("lost_bytes"), r.lostBytes}});
    QJsonArray vitals;
    for (const auto &v : c.vitals) {
        QJsonObject o{{QStringLiteral("at"), stamp(v.receivedAt)}};
        if (v.heartRate)
            o.insert(QStringLiteral("heart_rate"), *v.heartRate);
        if (v.breathingRate)
            o.insert(QStringLiteral("breathing_rate"), *v.breathingRate);
        vitals.append(o);
    }

    QJsonObject doc = header(incidentId, updated);
    doc.insert(QStringLiteral("eidoVersion"), QStringLiteral("1.0"));
    doc.insert(QStringLiteral("issuingElementIdentification"),
               QStringLiteral("dispatch-console %1").arg(ctx.softwareVersion));
    if (!ctx.agentId.isEmpty())
        doc.insert(QStringLiteral("updatedByAgentReference"), ref(ctx.agentId));
    doc.insert(QStringLiteral("incidentComponent"), QJsonArray{incident});
    doc.insert(QStringLiteral("callComponent"), QJsonArray{call});
    doc.insert(QStringLiteral("agentComponent"), agents);
    doc.insert(QStringLiteral("locationComponent"), locations);
    doc.insert(QStringLiteral("notesComponent"), notes);
    doc.insert(QStringLiteral("agencyComponent"), agencies);
    doc.insert(QStringLiteral("x-dispatchConsole"),
               QJsonObject{{QStringLiteral("call_key"), c.key},
                           {QStringLiteral("call_id"), c.callId},
                           {QStringLiteral("end_reason"), c.endReason},
                           {QStringLiteral("disposition"), c.disposition},
                           {QStringLiteral("interrupted"), c.interrupted},
                           {QStringLiteral("follow_up"), c.followUp},
                           {QStringLiteral("follow_up_by"), c.followUpBy},
                           {QStringLiteral("follow_up_at"),
                            c.followUpAt.isValid() ? stamp(c.followUpAt) : QJsonValue()},
                           {QStringLiteral("site_address"), geo::addressToJson(c.address)},
                           {QStringLiteral("recordings"), recordings},
                           {QStringLiteral("vitals"), vitals}});
    doc.insert(
        QStringLiteral("@context"),
        QJsonObject{{QStringLiteral("@vocab"),
                     QStringLiteral("./JSON-LD_Contexts/EmergencyIncidentDataObjectType.jsonld")}});
    return doc;
}

Parsed<QList<ExportedFile>> exportIncident(const StoredCall &call,
                                           const IncidentExportContext &context,
                                           const QString &targetDir)
{
    auto fail = [](const QString &why) { return ProtocolError{QStringLiteral("export"), why}; };
    const QDir dir(targetDir);
    if (!QDir().mkpath(targetDir))
        return fail(QStringLiteral("cannot create %1").arg(targetDir));
    const QString documentPath =
        dir.filePath(QStringLiteral("%1-incident.json").arg(fileStem(call.callId)));
    if (QFileInfo::exists(documentPath))
        return fail(
            QStringLiteral("%1 exists already; export into an empty directory").arg(documentPath));
    QList<ExportedFile> files;
    for (const auto &r : call.recordings) {
        const QString target =
            dir.filePath(QStringLiteral("%1-%2.wav").arg(fileStem(call.callId), r.track));
        QFile::remove(target);
        if (!QFile::copy(r.path, target))
            return fail(QStringLiteral("cannot copy %1 to %2").arg(r.path, target));
        // Owner-only like the recording itself, whatever mode an old recording had: whoever
        // receives the export decides who else reads it.
        QFile::setPermissions(target, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
        files.append({target, QFileInfo(target).size(), sha256Of(target)});
    }
    const QByteArray json =
        QJsonDocument(eidoIncident(call, context)).toJson(QJsonDocument::Indented);
    QSaveFile out(documentPath);
    if (!out.open(QIODevice::WriteOnly) ||
        !out.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner) ||
        out.write(json) != json.size() || !out.commit())
        return fail(QStringLiteral("cannot write %1: %2").arg(documentPath, out.errorString()));
    QFile::setPermissions(documentPath, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    files.prepend(
        {documentPath, json.size(),
         QString::fromLatin1(QCryptographicHash::hash(json, QCryptographicHash::Sha256).toHex())});
    return files;
}

} // namespace dispatch
