#include "storage/privatefiles.h"
#include "storage/storagelog.h"

#include <QDir>
#include <QFile>
#include <QFileInfo>

namespace dispatch {

namespace {

constexpr QFileDevice::Permissions OwnerDir =
    QFileDevice::ReadOwner | QFileDevice::WriteOwner | QFileDevice::ExeOwner;
constexpr QFileDevice::Permissions OwnerFile = QFileDevice::ReadOwner | QFileDevice::WriteOwner;
constexpr QFileDevice::Permissions Others = QFileDevice::ReadGroup | QFileDevice::WriteGroup |
                                            QFileDevice::ExeGroup | QFileDevice::ReadOther |
                                            QFileDevice::WriteOther | QFileDevice::ExeOther;

QString octal(QFileDevice::Permissions p)
{
    int mode = 0;
    const std::pair<QFileDevice::Permission, int> bits[] = {
        {QFileDevice::ReadOwner, 0400}, {QFileDevice::WriteOwner, 0200},
        {QFileDevice::ExeOwner, 0100},  {QFileDevice::ReadGroup, 040},
        {QFileDevice::WriteGroup, 020}, {QFileDevice::ExeGroup, 010},
        {QFileDevice::ReadOther, 04},   {QFileDevice::WriteOther, 02},
        {QFileDevice::ExeOther, 01}};
    for (const auto &[flag, value] : bits)
        mode |= p.testFlag(flag) ? value : 0;
    return QStringLiteral("0%1").arg(mode, 3, 8, QLatin1Char('0'));
}

} // namespace

bool ensurePrivateDir(const QString &path, QString *error)
{
    const bool existed = QFileInfo(path).isDir();
    if (!existed && !QDir().mkpath(path)) {
        if (error)
            *error = QStringLiteral("cannot create %1").arg(path);
        return false;
    }
    const QFileDevice::Permissions before = QFile::permissions(path);
    if ((before & Others) == 0 && (before & OwnerDir) == OwnerDir)
        return true;
    if (!QFile::setPermissions(path, OwnerDir)) {
        if (error)
            *error = QStringLiteral("cannot make %1 private (mode 0700)").arg(path);
        qCWarning(lcStorage).noquote()
            << "cannot make" << path << "private (mode 0700); it is" << octal(before);
        return false;
    }
    if (existed)
        qCWarning(lcStorage).noquote() << "tightened" << path << "from mode" << octal(before)
                                       << "to 0700: it holds recordings and call records";
    return true;
}

bool makePrivateFile(const QString &path)
{
    const QFileDevice::Permissions before = QFile::permissions(path);
    if ((before & Others) == 0)
        return true;
    if (!QFile::setPermissions(path, OwnerFile)) {
        qCWarning(lcStorage).noquote() << "cannot make" << path << "private (mode 0600)";
        return false;
    }
    qCInfo(lcStorage).noquote() << "tightened" << path << "from mode" << octal(before) << "to 0600";
    return true;
}

} // namespace dispatch
