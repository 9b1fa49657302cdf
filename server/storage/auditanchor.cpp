#include "storage/auditanchor.h"
#include "storage/auditchain.h"
#include "storage/batchwriter.h"
#include "storage/privatefiles.h"
#include "storage/storagelog.h"
#include "storage/storagethread.h"

#include <QCryptographicHash>
#include <QDir>
#include <QFile>
#include <QFileInfo>
#include <QJsonDocument>
#include <QJsonObject>
#include <QSaveFile>
#include <QSqlError>
#include <QSqlQuery>

namespace dispatch {

namespace {

constexpr auto Format = "dispatch-audit-anchor";

ProtocolError anchorError(const QString &message)
{
    return ProtocolError{QStringLiteral("audit_anchor"), message};
}

void appendField(QByteArray &out, const QByteArray &value)
{
    out += QByteArray::number(value.size());
    out += ':';
    out += value;
    out += '\n';
}

QByteArray canonicalAnchorBytes(const AuditAnchor &a)
{
    QByteArray out("dispatch-audit-anchor-v1\n");
    appendField(out, a.dataDir.toUtf8());
    appendField(out, QByteArray::number(a.entries));
    appendField(out, a.head.toLatin1());
    appendField(out, QByteArray::number(a.keyedFrom));
    appendField(out, a.keyId.toLatin1());
    appendField(out, a.updated.toUTC().toString(Qt::ISODateWithMs).toLatin1());
    return out;
}

QString absoluteDir(const QString &dir)
{
    const QFileInfo info(dir);
    const QString canonical = info.canonicalFilePath();
    return canonical.isEmpty() ? info.absoluteFilePath() : canonical;
}

} // namespace

QString defaultAuditAnchorPath(const QString &keyPath, const QString &dataDir)
{
    const QByteArray tag =
        QCryptographicHash::hash(absoluteDir(dataDir).toUtf8(), QCryptographicHash::Sha256)
            .toHex()
            .left(16);
    return QDir(QFileInfo(keyPath).absolutePath())
        .filePath(QStringLiteral("audit-%1.anchor").arg(QString::fromLatin1(tag)));
}

Parsed<std::optional<AuditAnchor>> readAuditAnchor(const QString &path, const AuditKey &key)
{
    QFile file(path);
    if (!file.exists())
        return std::optional<AuditAnchor>();
    if (!file.open(QIODevice::ReadOnly))
        return anchorError(
            QStringLiteral("cannot read the audit anchor %1: %2").arg(path, file.errorString()));
    QJsonParseError error{};
    const QJsonDocument doc = QJsonDocument::fromJson(file.read(64 * 1024), &error);
    const QJsonObject o = doc.object();
    if (error.error != QJsonParseError::NoError || !doc.isObject() ||
        o.value(QLatin1String("format")).toString() != QLatin1String(Format) ||
        o.value(QLatin1String("version")).toInt() != 1)
        return anchorError(QStringLiteral("%1 is not an audit anchor").arg(path));
    AuditAnchor a;
    a.entries = o.value(QLatin1String("entries")).toInteger(-1);
    a.head = o.value(QLatin1String("head")).toString();
    a.keyedFrom = o.value(QLatin1String("keyed_from")).toInteger(0);
    a.keyId = o.value(QLatin1String("key_id")).toString();
    a.dataDir = o.value(QLatin1String("data_dir")).toString();
    a.updated =
        QDateTime::fromString(o.value(QLatin1String("updated")).toString(), Qt::ISODateWithMs);
    if (a.entries < 0 || a.head.size() != 64)
        return anchorError(QStringLiteral("%1 is not an audit anchor").arg(path));
    const QString mac = o.value(QLatin1String("mac")).toString();
    if (!key.isNull() && a.keyId == key.id() && key.mac(canonicalAnchorBytes(a)) != mac)
        return anchorError(QStringLiteral("the audit anchor %1 was altered (its MAC does not "
                                          "verify)")
                               .arg(path));
    return std::optional<AuditAnchor>(a);
}

Parsed<bool> writeAuditAnchor(const QString &path, const AuditAnchor &anchor, const AuditKey &key)
{
    const QString dir = QFileInfo(path).absolutePath();
    if (!QFileInfo(dir).isDir()) {
        QString error;
        if (!ensurePrivateDir(dir, &error))
            return anchorError(error);
    }
    const QJsonObject o{
        {QStringLiteral("format"), QLatin1String(Format)},
        {QStringLiteral("version"), 1},
        {QStringLiteral("data_dir"), anchor.dataDir},
        {QStringLiteral("entries"), anchor.entries},
        {QStringLiteral("head"), anchor.head},
        {QStringLiteral("keyed_from"), anchor.keyedFrom},
        {QStringLiteral("key_id"), anchor.keyId},
        {QStringLiteral("updated"), anchor.updated.toUTC().toString(Qt::ISODateWithMs)},
        {QStringLiteral("mac"), key.mac(canonicalAnchorBytes(anchor))},
    };
    QSaveFile file(path);
    if (!file.open(QIODevice::WriteOnly))
        return anchorError(
            QStringLiteral("cannot write the audit anchor %1: %2").arg(path, file.errorString()));
    file.setPermissions(QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    file.write(QJsonDocument(o).toJson(QJsonDocument::Indented));
    if (!file.commit())
        return anchorError(
            QStringLiteral("cannot write the audit anchor %1: %2").arg(path, file.errorString()));
    QFile::setPermissions(path, QFileDevice::ReadOwner | QFileDevice::WriteOwner);
    return true;
}

QString findingName(AnchorComparison::Finding finding)
{
    switch (finding) {
    case AnchorComparison::Finding::Consistent:
        return QStringLiteral("consistent");
    case AnchorComparison::Finding::Truncated:
        return QStringLiteral("truncated");
    case AnchorComparison::Finding::Rewritten:
        return QStringLiteral("rewritten");
    case AnchorComparison::Finding::Emptied:
        return QStringLiteral("emptied");
    }
    return QString();
}

AnchorComparison compareWithAnchor(qint64 entries, const QString &hashAtAnchor, qint64 keyedFrom,
                                   const AuditAnchor &anchor)
{
    using Finding = AnchorComparison::Finding;
    if (anchor.entries > 0 && entries == 0)
        return {Finding::Emptied,
                QStringLiteral("the audit trail is empty, but its anchor (%1) recorded %2 entries")
                    .arg(anchor.updated.toString(Qt::ISODate))
                    .arg(anchor.entries)};
    if (entries < anchor.entries)
        return {Finding::Truncated,
                QStringLiteral("the audit trail ends at entry %1, but its anchor (%2) recorded "
                               "%3: the newest %4 entries were removed")
                    .arg(entries)
                    .arg(anchor.updated.toString(Qt::ISODate))
                    .arg(anchor.entries)
                    .arg(anchor.entries - entries)};
    if (anchor.entries > 0 && hashAtAnchor != anchor.head)
        return {Finding::Rewritten,
                QStringLiteral("entry %1 is not the one anchored (%2): the chain was replaced or "
                               "recomputed")
                    .arg(anchor.entries)
                    .arg(anchor.updated.toString(Qt::ISODate))};
    if (anchor.keyedFrom > 0 && keyedFrom != anchor.keyedFrom)
        return {Finding::Rewritten,
                QStringLiteral("the chain was keyed from entry %1 on, now from %2: it was "
                               "recomputed")
                    .arg(anchor.keyedFrom)
                    .arg(keyedFrom)};
    return {};
}

namespace {

struct CommittedHead
{
    qint64 entries = 0;
    QString hash;
    qint64 keyedFrom = 0;
};

Parsed<CommittedHead> committedHead(const QSqlDatabase &db)
{
    QSqlQuery q(db);
    if (!q.exec(QStringLiteral("SELECT seq, hash FROM audit_log ORDER BY seq DESC LIMIT 1")))
        return anchorError(QStringLiteral("cannot read the audit head: %1")
                               .arg(db.isValid() ? q.lastError().text()
                                                 : QStringLiteral("no database connection")));
    CommittedHead head;
    if (q.next()) {
        head.entries = q.value(0).toLongLong();
        head.hash = q.value(1).toString();
    }
    q.finish();
    if (q.exec(QStringLiteral("SELECT MIN(seq) FROM audit_log WHERE version = 2")) && q.next())
        head.keyedFrom = q.value(0).toLongLong();
    return head;
}

// Reads the committed head through `db` and writes the anchor if the chain moved since the
// last write. Returns the anchor written, or nothing when the chain did not move.
template<typename Written>
Parsed<std::optional<AuditAnchor>> refreshAnchor(const QSqlDatabase &db, const AuditKey &key,
                                                 const QString &path, const QString &dataDir,
                                                 Written &written)
{
    const auto head = committedHead(db);
    if (!head)
        return head.error();
    const std::lock_guard lock(written.mutex);
    if (head->entries == written.entries && head->hash == written.head)
        return std::optional<AuditAnchor>();
    AuditAnchor anchor;
    anchor.entries = head->entries;
    anchor.head = head->entries > 0 ? head->hash : auditGenesisHash();
    anchor.keyedFrom = head->keyedFrom;
    anchor.keyId = key.id();
    anchor.dataDir = dataDir;
    anchor.updated = QDateTime::currentDateTimeUtc();
    if (const auto done = writeAuditAnchor(path, anchor, key); !done)
        return done.error();
    written.entries = head->entries;
    written.head = head->hash;
    return std::optional<AuditAnchor>(anchor);
}

bool reportAnchorWrite(const Parsed<std::optional<AuditAnchor>> &result)
{
    if (!result) {
        qCCritical(lcStorage).noquote() << "AUDIT ANCHOR NOT WRITTEN:" << result.error().message;
        return false;
    }
    // Logged too: the journal (often shipped off the host) keeps a second copy of the anchor.
    if (const auto &anchor = result.value())
        qCInfo(lcStorage).noquote()
            << "audit anchor:" << anchor->entries << "entries, head" << anchor->head;
    return true;
}

} // namespace

AuditAnchorKeeper::AuditAnchorKeeper(QSqlDatabase db, AuditKey key, QString anchorPath,
                                     QString dataDir, int intervalMs, QObject *parent)
    : QObject(parent)
    , m_db(std::move(db))
    , m_key(std::move(key))
    , m_path(std::move(anchorPath))
    , m_dataDir(absoluteDir(dataDir))
{
    m_timer.setSingleShot(true);
    m_timer.setInterval(intervalMs);
    connect(&m_timer, &QTimer::timeout, this, [this] { writeSoon(); });
}

AuditAnchorKeeper::~AuditAnchorKeeper() = default;

AnchorComparison AuditAnchorKeeper::checkAtStart(bool *hadAnchor)
{
    if (hadAnchor)
        *hadAnchor = false;
    const auto read = readAuditAnchor(m_path, m_key);
    if (!read)
        return {AnchorComparison::Finding::Rewritten, read.error().message};
    if (!read.value())
        return {};
    if (hadAnchor)
        *hadAnchor = true;
    const AuditAnchor &anchor = *read.value();
    if (!anchor.keyId.isEmpty() && anchor.keyId != m_key.id())
        return {AnchorComparison::Finding::Rewritten,
                QStringLiteral("the anchor %1 was written with another audit key (%2, not %3)")
                    .arg(m_path, anchor.keyId, m_key.id())};
    const auto head = committedHead(m_db);
    if (!head)
        return {};
    QString hashAtAnchor;
    QSqlQuery q(m_db);
    q.prepare(
        QStringLiteral("SELECT %1 FROM audit_log WHERE seq IN (?, ?)").arg(auditEntryColumns()));
    q.addBindValue(anchor.entries);
    q.addBindValue(head->entries);
    if (q.exec()) {
        while (q.next()) {
            const AuditEntry e = auditEntryFromRow(q);
            // The anchored entry and the head must carry their key's MAC: a table rebuilt with
            // plain hashes fails here at once, not only in a full --verify-audit.
            if (e.version == AuditEntry::KeyedVersion && auditEntryHash(e, m_key) != e.hash)
                return {AnchorComparison::Finding::Rewritten,
                        QStringLiteral("entry %1 does not carry this key's MAC: the chain was "
                                       "recomputed")
                            .arg(e.seq)};
            if (e.seq == anchor.entries)
                hashAtAnchor = e.hash;
        }
    }
    return compareWithAnchor(head->entries, hashAtAnchor, head->keyedFrom, anchor);
}

void AuditAnchorKeeper::noteCommitted()
{
    if (!m_timer.isActive())
        m_timer.start();
}

bool AuditAnchorKeeper::writeNow()
{
    m_timer.stop();
    return reportAnchorWrite(refreshAnchor(m_db, m_key, m_path, m_dataDir, *m_written));
}

void AuditAnchorKeeper::writeSoon()
{
    if (!m_background) {
        writeNow();
        return;
    }
    m_background->postRead(this, [key = m_key, path = m_path, dataDir = m_dataDir,
                                  written = m_written](QSqlDatabase &db) {
        auto result = refreshAnchor(db, key, path, dataDir, *written);
        return StorageThread::Completion([result] { reportAnchorWrite(result); });
    });
}

} // namespace dispatch
