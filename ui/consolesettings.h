#pragma once

#include <QByteArray>
#include <QString>

class QSettings;

namespace dispatch {

// What a dispatcher or administrator sets in the Settings dialog. Stored with QSettings (the
// user's config dir); the command line wins over it. The API key is not in here: it lives in a
// 0600 file in the data dir (ApiKeyFile).
struct ConsoleSettings
{
    QString listen; // ADDR:PORT, empty: the built-in default
    QString tlsCertPath;
    QString tlsKeyPath;
    QString geminiModel;    // empty: the built-in default
    QString tileUrl;        // empty: offline basemap
    QString addressPoints;  // the site's address points (GeoJSON), empty: none
    QString outputDeviceId; // QAudioDevice::id(), empty: system default
    QString inputDeviceId;
    QString language; // "en", "es", empty: the system's
    QString theme = QStringLiteral("dark");
    // Where the console window was left (QWidget::saveGeometry, QMainWindow::saveState); empty
    // on the first start. save() leaves stored values alone while these are empty.
    QByteArray windowGeometry;
    QByteArray windowState;

    static ConsoleSettings load(QSettings &settings);
    void save(QSettings &settings) const;
    bool operator==(const ConsoleSettings &o) const;
};

// The Gemini API key on disk: <data dir>/gemini-api-key, owner read/write only. Never logged,
// never shown in clear.
class ApiKeyFile
{
public:
    explicit ApiKeyFile(QString dataDir);

    bool exists() const;
    QByteArray read() const;
    bool write(const QByteArray &key) const; // empty clears it
    QString path() const { return m_path; }

private:
    QString m_path;
};

} // namespace dispatch
