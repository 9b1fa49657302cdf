#pragma once

#include <QString>
#include <QVariantList>

class QSqlQuery;

namespace dispatch {

// Prepares `sql` on `q`, binds `binds` positionally and executes it. On failure returns false
// and sets *error to the driver's text. The one way storage runs a parameterized statement.
bool runPrepared(QSqlQuery &q, const QString &sql, const QVariantList &binds, QString *error);

} // namespace dispatch
