#include "screenshot.h"

#include <QCoreApplication>
#include <QTextStream>
#include <QTimer>
#include <QWidget>

namespace dispatch {

void scheduleScreenshot(QWidget *window, const QString &path, int afterMs, QTextStream &err)
{
    if (path.isEmpty())
        return;
    QTimer::singleShot(afterMs, window, [window, path, &err] {
        const bool saved = window->grab().save(path, "PNG");
        if (!saved)
            err << QCoreApplication::translate("main", "Cannot write %1").arg(path) << Qt::endl;
        QCoreApplication::exit(saved ? 0 : 1);
    });
}

} // namespace dispatch
