#include "tokensdialog.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QFormLayout>
#include <QGuiApplication>
#include <QHBoxLayout>
#include <QHeaderView>
#include <QLabel>
#include <QLineEdit>
#include <QMessageBox>
#include <QPushButton>
#include <QSpinBox>
#include <QTableWidget>
#include <QVBoxLayout>

namespace dispatch {

namespace {

enum Column
{
    Name,
    RoleColumn,
    Created,
    Expires,
    State,
    ColumnCount
};

} // namespace

TokensDialog::TokensDialog(QString tokenStorePath, QString connectUrl, QString fingerprint,
                           QWidget *parent)
    : QDialog(parent)
    , m_store(std::move(tokenStorePath))
    , m_connectUrl(std::move(connectUrl))
    , m_fingerprint(std::move(fingerprint))
    , m_table(new QTableWidget(0, ColumnCount, this))
    , m_name(new QLineEdit(this))
    , m_role(new QComboBox(this))
    , m_days(new QSpinBox(this))
    , m_token(new QLineEdit(this))
    , m_command(new QLineEdit(this))
    , m_message(new QLabel(this))
{
    setWindowTitle(tr("Remote consoles and tokens"));
    m_table->setHorizontalHeaderLabels(
        {tr("Name"), tr("Role"), tr("Issued"), tr("Expires"), tr("State")});
    m_table->setSelectionBehavior(QAbstractItemView::SelectRows);
    m_table->setSelectionMode(QAbstractItemView::SingleSelection);
    m_table->setEditTriggers(QAbstractItemView::NoEditTriggers);
    m_table->horizontalHeader()->setStretchLastSection(true);
    m_table->verticalHeader()->hide();
    m_table->setAccessibleName(tr("Issued tokens"));

    m_name->setPlaceholderText(tr("e.g. ana.garcia"));
    m_name->setAccessibleName(tr("Name of the person"));
    m_role->addItem(tr("Dispatcher"), QVariant::fromValue(static_cast<int>(Role::Dispatcher)));
    m_role->addItem(tr("Supervisor (watches; acts only after taking a call over)"),
                    QVariant::fromValue(static_cast<int>(Role::Supervisor)));
    m_days->setRange(0, 3650);
    m_days->setSpecialValueText(tr("never"));
    m_days->setSuffix(tr(" days"));
    m_days->setValue(90);
    auto *issueButton = new QPushButton(tr("&Issue token"), this);
    auto *revokeButton = new QPushButton(tr("&Revoke selected"), this);
    m_token->setReadOnly(true);
    m_token->setAccessibleName(tr("New token"));
    m_command->setReadOnly(true);
    m_command->setAccessibleName(tr("Command for the remote console"));
    m_message->setWordWrap(true);

    auto *form = new QFormLayout;
    form->addRow(tr("&Name:"), m_name);
    form->addRow(tr("R&ole:"), m_role);
    form->addRow(tr("E&xpires after:"), m_days);
    form->addRow(QString(), issueButton);
    form->addRow(tr("New &token (shown once):"), m_token);
    form->addRow(tr("On the remote &console run:"), m_command);

    auto *layout = new QVBoxLayout(this);
    layout->addWidget(m_table, 1);
    layout->addWidget(revokeButton, 0, Qt::AlignRight);
    layout->addLayout(form);
    layout->addWidget(m_message);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);

    connect(issueButton, &QPushButton::clicked, this, [this] {
        issue(m_name->text().trimmed(), static_cast<Role>(m_role->currentData().toInt()),
              m_days->value());
    });
    connect(m_name, &QLineEdit::returnPressed, issueButton, &QPushButton::click);
    connect(revokeButton, &QPushButton::clicked, this, [this] {
        const int row = m_table->currentRow();
        if (row < 0)
            return;
        const QString name = m_table->item(row, Name)->text();
        const auto answer = QMessageBox::question(
            this, tr("Revoke token"),
            tr("Revoke the token of %1? Their consoles are disconnected at once.").arg(name));
        if (answer == QMessageBox::Yes)
            revoke(name);
    });
    // The token must not outlive the dialog on screen.
    connect(this, &QDialog::finished, this, [this] {
        m_token->clear();
        m_command->clear();
    });
    resize(760, 520);
    reload();
}

void TokensDialog::reload()
{
    const auto records = m_store.list();
    m_table->setRowCount(0);
    if (!records) {
        showError(records.error().message);
        return;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    for (const TokenRecord &r : records.value()) {
        const int row = m_table->rowCount();
        m_table->insertRow(row);
        const QString state = r.revoked         ? tr("revoked")
                              : r.isActive(now) ? tr("active")
                                                : tr("expired");
        const QStringList cells{
            r.name, r.role == Role::Supervisor ? tr("supervisor") : tr("dispatcher"),
            QLocale().toString(r.created.toLocalTime(), QLocale::ShortFormat),
            r.expires.isValid() ? QLocale().toString(r.expires.toLocalTime(), QLocale::ShortFormat)
                                : tr("never"),
            state};
        for (int c = 0; c < ColumnCount; ++c)
            m_table->setItem(row, c, new QTableWidgetItem(cells.at(c)));
    }
    m_table->resizeColumnsToContents();
}

void TokensDialog::showError(const QString &message)
{
    m_message->setStyleSheet(QStringLiteral("color: #e53935;"));
    m_message->setText(message);
}

bool TokensDialog::issue(const QString &name, Role role, int expiresDays)
{
    if (!TokenStore::isValidName(name)) {
        showError(tr("A name is 1-64 letters, digits or . _ @ -"));
        return false;
    }
    const QDateTime now = QDateTime::currentDateTimeUtc();
    auto token =
        m_store.issue(name, role, expiresDays > 0 ? now.addDays(expiresDays) : QDateTime(), now);
    if (!token) {
        showError(token.error().message);
        return false;
    }
    m_token->setText(QString::fromLatin1(token.value()));
    m_command->setText(QStringLiteral("DISPATCH_REMOTE_TOKEN=%1 dispatch-console --connect %2%3")
                           .arg(QString::fromLatin1(token.value()), m_connectUrl,
                                m_fingerprint.isEmpty()
                                    ? QString()
                                    : QStringLiteral(" --fingerprint ") + m_fingerprint));
    m_message->setStyleSheet(QString());
    m_message->setText(tr("Token for %1 issued. Give it to them now: it is stored only as a hash "
                          "and cannot be shown again.")
                           .arg(name));
    m_name->clear();
    reload();
    Q_EMIT issued(name);
    return true;
}

bool TokensDialog::revoke(const QString &name)
{
    auto done = m_store.revoke(name);
    if (!done) {
        showError(done.error().message);
        return false;
    }
    m_message->setStyleSheet(QString());
    m_message->setText(tr("Token of %1 revoked.").arg(name));
    reload();
    Q_EMIT revoked(name);
    return true;
}

QString TokensDialog::shownToken() const
{
    return m_token->text();
}

int TokensDialog::rowCount() const
{
    return m_table->rowCount();
}

} // namespace dispatch
