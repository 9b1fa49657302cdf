#pragma once

#include <QCryptographicHash>
#include <QJsonObject>
#include <QSqlDatabase>
#include <QString>
#include <QStringList>
#include <QVariantList>

namespace dispatch {

// A call's records, sealed into the audit chain when the call ends (action "call_sealed",
// actor "system"): the SHA-256 of every recording file, and running digests of the rows of
// its transcript and triage history as they were written. The chain is keyed, so whoever
// edits a WAV file, a transcript line or a triage report afterwards cannot make the seal
// match again. Details of the entry:
//   {"call_key": 12,
//    "recordings": [{"track": "caller", "path": "recordings/...", "bytes": 123, "sha256": ".."}],
//    "transcript": {"rows": 40, "sha256": ".."}, "triage": {"rows": 6, "sha256": ".."}}

// SHA-256 over rows in order, each row's values length-prefixed (NULL distinct from empty), so
// the same digest is computed from the values bound when the rows were queued and from the
// values read back from the database.
class RowDigest
{
public:
    void add(const QVariantList &row);
    qint64 rows() const { return m_rows; }
    QString hex() const;
    QJsonObject toJson() const; // {"rows", "sha256"}: how a seal records it

private:
    QCryptographicHash m_hash{QCryptographicHash::Sha256};
    qint64 m_rows = 0;
};

// The columns a digest covers, in order (the recorder binds exactly these).
QString transcriptDigestColumns(); // "at, speaker, text"
QString triageDigestColumns();     // "at, source, origin, severity, response_type, ..."

// Lower-case hex SHA-256 of a file, read in chunks; empty (and `error` set) if unreadable.
QString fileSha256(const QString &path, qint64 *bytes = nullptr, QString *error = nullptr);

struct SealCheck
{
    qint64 sealed = 0; // sealed calls whose records were compared
    qint64 purged = 0; // sealed calls deleted since by retention (audited as retention_delete)
    QStringList problems;
};

// Compares every sealed call still in the database (and its files under dataDir) with its
// seal. Run only on a chain that verified: the seals are only as good as the chain.
SealCheck verifyCallSeals(QSqlDatabase &db, const QString &dataDir);

} // namespace dispatch
