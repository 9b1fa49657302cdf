#pragma once

#include "common/parseresult.h"
#include "storage/callhistory.h"

#include <QDateTime>
#include <QJsonObject>
#include <QStringList>

namespace dispatch {

struct IncidentExportContext
{
    QString agencyId = QStringLiteral("psap.invalid"); // our PSAP's identifier (a domain name)
    QString agentId;                                   // who exports
    QDateTime exportedAt;
    QString softwareVersion;
};

// The call as a NENA EIDO (NENA-STA-021, JSON) incident document, as far as our fields go:
// incidentComponent (type and priority from the current triage, AI or dispatcher), callComponent
// (timestamps, state), agentComponent (who answered), locationComponent (every fix, PIDF-LO by
// value), notesComponent (transcript, triage history with overrides, timeline), agencyComponent
// (our PSAP and the responder type the triage recommends). Data EIDO has no place for
// (recordings with their checksums, vitals, provenance) goes under "x-dispatchConsole".
QJsonObject eidoIncident(const StoredCall &call, const IncidentExportContext &context);

struct ExportedFile
{
    QString path;
    qint64 bytes = 0;
    QString sha256;
};

// Writes incident.json and copies the call's recordings into targetDir (created if needed;
// an existing incident.json is never overwritten). Returns what was written, with checksums
// for the chain of custody.
Parsed<QList<ExportedFile>> exportIncident(const StoredCall &call,
                                           const IncidentExportContext &context,
                                           const QString &targetDir);

} // namespace dispatch
