#pragma once

#include "consolesettings.h"

#include <QDialog>

#include <functional>

class QComboBox;
class QFormLayout;
class QLabel;
class QLineEdit;

namespace dispatch {

// Settings for the console: the Gemini key (stored 0600, never shown), model, listen address,
// certificate, map tiles, audio devices, language and theme. Theme and audio devices apply at
// once; the rest at the next start (the dialog says which).
class SettingsDialog : public QDialog
{
    Q_OBJECT

public:
    SettingsDialog(const ConsoleSettings &current, const ApiKeyFile &keyFile,
                   QWidget *parent = nullptr);

    ConsoleSettings settings() const;
    // The key typed in the dialog: nullopt when untouched, empty when cleared.
    std::optional<QByteArray> newApiKey() const { return m_newKey; }
    // On a host: a "Manage tokens..." row that calls `open` (remote consoles' tokens).
    void setTokenManager(const std::function<void(QWidget *parent)> &open);

private:
    QFormLayout *m_form;
    QLineEdit *m_key;
    QLabel *m_keyState;
    QComboBox *m_model;
    QLineEdit *m_listen;
    QLineEdit *m_cert;
    QLineEdit *m_keyPath;
    QLineEdit *m_tiles;
    QLineEdit *m_addressPoints;
    QComboBox *m_output;
    QComboBox *m_input;
    QComboBox *m_language;
    QComboBox *m_theme;
    std::optional<QByteArray> m_newKey;
};

} // namespace dispatch
