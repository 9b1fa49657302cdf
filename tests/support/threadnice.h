#pragma once

#include <QDir>
#include <QFile>
#include <QList>
#include <QString>

namespace dispatch::test {

struct ThreadNice
{
    QString name; // the thread's name (comm)
    int nice = 0;
};

// The name and nice value of every thread of this process (Linux: /proc/self/task/<tid>/stat,
// "pid (comm) state ..." with nice in field 19).
inline QList<ThreadNice> threadNiceValues()
{
    QList<ThreadNice> out;
    const QDir tasks(QStringLiteral("/proc/self/task"));
    for (const QString &tid : tasks.entryList(QDir::Dirs | QDir::NoDotAndDotDot)) {
        QFile stat(tasks.filePath(tid + QStringLiteral("/stat")));
        if (!stat.open(QIODevice::ReadOnly))
            continue;
        const QByteArray line = stat.readAll();
        const qsizetype open = line.indexOf('(');
        const qsizetype close = line.lastIndexOf(')');
        const QList<QByteArray> fields = line.mid(close + 2).split(' ');
        if (open > 0 && close > open && fields.size() > 16)
            out.append(
                {QString::fromUtf8(line.mid(open + 1, close - open - 1)), fields.at(16).toInt()});
    }
    return out;
}

} // namespace dispatch::test
