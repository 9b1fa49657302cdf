#include "storage/preparedquery.h"

#include <QSqlError>
#include <QSqlQuery>

namespace dispatch {

bool runPrepared(QSqlQuery &q, const QString &sql, const QVariantList &binds, QString *error)
{
    bool ok = q.prepare(sql);
    for (int i = 0; ok && i < binds.size(); ++i)
        q.bindValue(i, binds.at(i));
    ok = ok && q.exec();
    if (!ok)
        *error = q.lastError().text();
    return ok;
}

} // namespace dispatch
