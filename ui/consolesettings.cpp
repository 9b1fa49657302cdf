#include "consolesettings.h"

#include <QFile>
#include <QSaveFile>
#include <QSettings>

namespace dispatch {

namespace {
// "gemini/models", not the old "gemini/model": the old dialog saved its first list item (a 2025
// preview) whenever OK was pressed, and the value was never applied, so it says nothing about
// what a site chose. Reading it now would pin those consoles to that preview model.
const QLatin1String Keys[] = {QLatin1String("listen"),      QLatin1String("tls/cert"),
                              QLatin1String("tls/key"),     QLatin1String("gemini/models"),
                              QLatin1String("map/tileUrl"), QLatin1String("audio/output"),
                              QLatin1String("audio/input"), QLatin1String("ui/language"),
                              QLatin1String("ui/theme"),    QLatin1String("map/addressPoints")};
const QLatin1String GeometryKey("ui/windowGeometry");
const QLatin1String StateKey("ui/windowState");
} // namespace

ConsoleSettings ConsoleSettings::load(QSettings &s)
{
    ConsoleSettings c;
    QString *fields[] = {&c.listen,  &c.tlsCertPath,    &c.tlsKeyPath,    &c.geminiModel,
                         &c.tileUrl, &c.outputDeviceId, &c.inputDeviceId, &c.language,
                         &c.theme,   &c.addressPoints};
    for (size_t i = 0; i < std::size(Keys); ++i)
        *fields[i] = s.value(Keys[i], *fields[i]).toString();
    c.windowGeometry = s.value(GeometryKey).toByteArray();
    c.windowState = s.value(StateKey).toByteArray();
    return c;
}

void ConsoleSettings::save(QSettings &s) const
{
    const QString *fields[] = {&listen,  &tlsCertPath,    &tlsKeyPath,    &geminiModel,
                               &tileUrl, &outputDeviceId, &inputDeviceId, &language,
                               &theme,   &addressPoints};
    for (size_t i = 0; i < std::size(Keys); ++i)
        s.setValue(Keys[i], *fields[i]);
    s.remove(QLatin1String("gemini/model")); // see Keys
    if (!windowGeometry.isEmpty())
        s.setValue(GeometryKey, windowGeometry);
    if (!windowState.isEmpty())
        s.setValue(StateKey, windowState);
    s.sync();
}

bool ConsoleSettings::operator==(const ConsoleSettings &o) const
{
    return listen == o.listen && tlsCertPath == o.tlsCertPath && tlsKeyPath == o.tlsKeyPath &&
           geminiModel == o.geminiModel && tileUrl == o.tileUrl &&
           outputDeviceId == o.outputDeviceId && inputDeviceId == o.inputDeviceId &&
           language == o.language && theme == o.theme && addressPoints == o.addressPoints &&
           windowGeometry == o.windowGeometry && windowState == o.windowState;
}

ApiKeyFile::ApiKeyFile(QString dataDir)
    : m_path(dataDir + QStringLiteral("/gemini-api-key"))
{}

bool ApiKeyFile::exists() const
{
    return QFile::exists(m_path);
}

QByteArray ApiKeyFile::read() const
{
    QFile f(m_path);
    if (!f.open(QIODevice::ReadOnly))
        return {};
    return f.readAll().trimmed();
}

bool ApiKeyFile::write(const QByteArray &key) const
{
    if (key.trimmed().isEmpty())
        return !QFile::exists(m_path) || QFile::remove(m_path);
    QSaveFile f(m_path);
    if (!f.open(QIODevice::WriteOnly))
        return false;
    // Restrict before any byte of the key is written.
    f.setPermissions(QFile::ReadOwner | QFile::WriteOwner);
    f.write(key.trimmed());
    return f.commit() && QFile::setPermissions(m_path, QFile::ReadOwner | QFile::WriteOwner);
}

} // namespace dispatch
