#pragma once

// Small helpers shared by the storage suites: PCM with recognisable content, reading WAV files
// and single values back from a database.
#include "storage/wavwriter.h"

#include <QFile>
#include <QSqlDatabase>
#include <QSqlError>
#include <QSqlQuery>
#include <QtEndian>

namespace dispatch::test {

// `samples` 16-bit samples whose values encode (seed, index), so a misplaced chunk shows.
inline QByteArray testPcm(int samples, int seed)
{
    QByteArray out(samples * 2, '\0');
    for (int i = 0; i < samples; ++i)
        qToLittleEndian<qint16>(qint16((seed * 131 + i) % 32000), out.data() + 2 * i);
    return out;
}

inline QByteArray readFile(const QString &path)
{
    QFile f(path);
    return f.open(QIODevice::ReadOnly) ? f.readAll() : QByteArray();
}

inline QVariant queryValue(QSqlDatabase db, const QString &sql)
{
    QSqlQuery q(db);
    if (!q.exec(sql) || !q.next())
        return QVariant(QStringLiteral("error: ") + q.lastError().text());
    return q.value(0);
}

} // namespace dispatch::test
