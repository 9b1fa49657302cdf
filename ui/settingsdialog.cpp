#include "settingsdialog.h"

#include "gemini/modelcapabilities.h"

#include <QAudioDevice>
#include <QComboBox>
#include <QDialogButtonBox>
#include <QFileDialog>
#include <QFormLayout>
#include <QHBoxLayout>
#include <QLabel>
#include <QLineEdit>
#include <QMediaDevices>
#include <QPushButton>

namespace dispatch {

namespace {

QWidget *withBrowse(QLineEdit *edit, QWidget *parent, const QString &title)
{
    auto *row = new QWidget(parent);
    auto *layout = new QHBoxLayout(row);
    layout->setContentsMargins(0, 0, 0, 0);
    auto *browse = new QPushButton(SettingsDialog::tr("Browse..."), row);
    QObject::connect(browse, &QPushButton::clicked, row, [edit, row, title] {
        const QString path = QFileDialog::getOpenFileName(row, title, edit->text());
        if (!path.isEmpty())
            edit->setText(path);
    });
    layout->addWidget(edit, 1);
    layout->addWidget(browse);
    return row;
}

void fillDevices(QComboBox *box, const QList<QAudioDevice> &devices, const QString &selected)
{
    box->addItem(SettingsDialog::tr("System default"), QString());
    for (const QAudioDevice &d : devices)
        box->addItem(d.description(), QString::fromUtf8(d.id()));
    const int index = box->findData(selected);
    box->setCurrentIndex(index >= 0 ? index : 0);
}

void selectData(QComboBox *box, const QString &value)
{
    const int index = box->findData(value);
    box->setCurrentIndex(index >= 0 ? index : 0);
}

} // namespace

SettingsDialog::SettingsDialog(const ConsoleSettings &current, const ApiKeyFile &keyFile,
                               QWidget *parent)
    : QDialog(parent)
    , m_key(new QLineEdit(this))
    , m_keyState(new QLabel(this))
    , m_model(new QComboBox(this))
    , m_listen(new QLineEdit(current.listen, this))
    , m_cert(new QLineEdit(current.tlsCertPath, this))
    , m_keyPath(new QLineEdit(current.tlsKeyPath, this))
    , m_tiles(new QLineEdit(current.tileUrl, this))
    , m_addressPoints(new QLineEdit(current.addressPoints, this))
    , m_output(new QComboBox(this))
    , m_input(new QComboBox(this))
    , m_language(new QComboBox(this))
    , m_theme(new QComboBox(this))
{
    setWindowTitle(tr("Settings"));
    auto *form = new QFormLayout(this);
    m_form = form;

    m_key->setEchoMode(QLineEdit::Password);
    m_key->setPlaceholderText(keyFile.exists() ? tr("A key is stored (type to replace it)")
                                               : tr("No key: calls are triaged offline"));
    m_key->setAccessibleName(tr("Gemini API key"));
    m_keyState->setText(
        tr("Stored only in %1, readable by you alone; never shown or logged.").arg(keyFile.path()));
    m_keyState->setWordWrap(true);
    auto *clearKey = new QPushButton(tr("Remove stored key"), this);
    clearKey->setEnabled(keyFile.exists());
    connect(clearKey, &QPushButton::clicked, this, [this, clearKey] {
        m_key->clear();
        m_newKey = QByteArray();
        m_key->setPlaceholderText(tr("The key will be removed"));
        clearKey->setEnabled(false);
    });
    connect(m_key, &QLineEdit::textEdited, this,
            [this](const QString &text) { m_newKey = text.toUtf8(); });
    auto *keyRow = new QWidget(this);
    auto *keyLayout = new QHBoxLayout(keyRow);
    keyLayout->setContentsMargins(0, 0, 0, 0);
    keyLayout->addWidget(m_key, 1);
    keyLayout->addWidget(clearKey);

    // The models the engine's capability table knows and the service still serves, the
    // current stable one first; empty (the default) follows the engine's choice, so a console
    // whose settings were never touched moves with it to the next stable model.
    m_model->setEditable(true);
    m_model->addItem(QString());
    m_model->addItem(gemini::currentStableModel());
    for (const gemini::ModelCapabilities &m : gemini::knownModels()) {
        if (m.backend == gemini::LiveBackend::GeminiApi && !m.isShutDown() &&
            m.id != gemini::currentStableModel())
            m_model->addItem(m.id);
    }
    m_model->lineEdit()->setPlaceholderText(
        tr("Default: %1 (a comma-separated list is tried in order)")
            .arg(gemini::currentStableModel()));
    m_model->setCurrentText(current.geminiModel);
    m_listen->setPlaceholderText(QStringLiteral("0.0.0.0:8443"));
    m_tiles->setPlaceholderText(tr("Empty: offline basemap"));
    m_addressPoints->setPlaceholderText(tr("GeoJSON file; applies at the next start"));
    fillDevices(m_output, QMediaDevices::audioOutputs(), current.outputDeviceId);
    fillDevices(m_input, QMediaDevices::audioInputs(), current.inputDeviceId);
    m_language->addItem(tr("System language"), QString());
    m_language->addItem(QStringLiteral("English"), QStringLiteral("en"));
    m_language->addItem(QStringLiteral("Español"), QStringLiteral("es"));
    selectData(m_language, current.language);
    m_theme->addItem(tr("Dark (night shift)"), QStringLiteral("dark"));
    m_theme->addItem(tr("Light"), QStringLiteral("light"));
    selectData(m_theme, current.theme);

    form->addRow(tr("Gemini API &key:"), keyRow);
    form->addRow(QString(), m_keyState);
    form->addRow(tr("Gemini &model:"), m_model);
    form->addRow(tr("&Listen on:"), m_listen);
    form->addRow(tr("TLS &certificate:"), withBrowse(m_cert, this, tr("Certificate (PEM)")));
    form->addRow(tr("TLS private ke&y:"), withBrowse(m_keyPath, this, tr("Private key (PEM)")));
    form->addRow(tr("Map &tile server:"), m_tiles);
    form->addRow(tr("Site &address points:"), m_addressPoints);
    form->addRow(tr("&Speaker:"), m_output);
    form->addRow(tr("M&icrophone:"), m_input);
    form->addRow(tr("Lan&guage:"), m_language);
    form->addRow(tr("T&heme:"), m_theme);
    auto *note = new QLabel(tr("The key, model, listen address, certificate, map tiles and "
                               "language take effect the next time the console starts."),
                            this);
    note->setWordWrap(true);
    form->addRow(note);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Ok | QDialogButtonBox::Cancel, this);
    connect(buttons, &QDialogButtonBox::accepted, this, &QDialog::accept);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    form->addRow(buttons);
}

void SettingsDialog::setTokenManager(const std::function<void(QWidget *)> &open)
{
    auto *manage = new QPushButton(tr("Manage &tokens..."), this);
    manage->setToolTip(tr("Issue and revoke the tokens of remote consoles and supervisors"));
    connect(manage, &QPushButton::clicked, this, [this, open] { open(this); });
    // Above the note and the buttons, which are the last two rows.
    m_form->insertRow(m_form->rowCount() - 2, tr("Remote consoles:"), manage);
}

ConsoleSettings SettingsDialog::settings() const
{
    ConsoleSettings s;
    s.listen = m_listen->text().trimmed();
    s.tlsCertPath = m_cert->text().trimmed();
    s.tlsKeyPath = m_keyPath->text().trimmed();
    s.geminiModel = m_model->currentText().trimmed();
    s.tileUrl = m_tiles->text().trimmed();
    s.addressPoints = m_addressPoints->text().trimmed();
    s.outputDeviceId = m_output->currentData().toString();
    s.inputDeviceId = m_input->currentData().toString();
    s.language = m_language->currentData().toString();
    s.theme = m_theme->currentData().toString();
    return s;
}

} // namespace dispatch
