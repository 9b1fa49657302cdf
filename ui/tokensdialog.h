#pragma once

#include "auth/tokenstore.h"

#include <QDialog>

class QComboBox;
class QLabel;
class QLineEdit;
class QSpinBox;
class QTableWidget;

namespace dispatch {

// The host's dashboard tokens, one per person: issue (the token is shown once, with the
// command a remote console runs), list and revoke. Tokens live hashed in the TokenStore file;
// a revocation closes the person's open connections too (revoked is emitted for that).
class TokensDialog : public QDialog
{
    Q_OBJECT

public:
    // `connectUrl` and `fingerprint` go into the command shown for a remote console.
    TokensDialog(QString tokenStorePath, QString connectUrl, QString fingerprint,
                 QWidget *parent = nullptr);

    // What the buttons do; false (and a message shown) when refused.
    bool issue(const QString &name, Role role, int expiresDays);
    bool revoke(const QString &name);
    // The token issued last, as shown once (empty after the dialog is closed).
    QString shownToken() const;
    int rowCount() const;

Q_SIGNALS:
    void issued(const QString &name);
    void revoked(const QString &name);

private:
    void reload();
    void showError(const QString &message);

    TokenStore m_store;
    QString m_connectUrl;
    QString m_fingerprint;
    QTableWidget *m_table;
    QLineEdit *m_name;
    QComboBox *m_role;
    QSpinBox *m_days;
    QLineEdit *m_token;
    QLineEdit *m_command;
    QLabel *m_message;
};

} // namespace dispatch
