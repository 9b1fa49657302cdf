#pragma once

#include "phone/joinlinks.h"

#include <QDialog>

class QComboBox;
class QLabel;

namespace dispatch {

class QrCodeView;

// How a phone on the same network joins: the phone page's URL (one per address of this host),
// its QR code, and the certificate fingerprint to compare on the phone.
class JoinDialog : public QDialog
{
    Q_OBJECT

public:
    explicit JoinDialog(const JoinInfo &info, QWidget *parent = nullptr);
    QString shownUrl() const;

private:
    void showUrl(int index);

    JoinInfo m_info;
    QComboBox *m_urls;
    QrCodeView *m_qr;
    QLabel *m_url;
};

// Paints a QR code of a text with a quiet zone, black on white whatever the theme.
class QrCodeView : public QWidget
{
    Q_OBJECT

public:
    explicit QrCodeView(QWidget *parent = nullptr);
    void setText(const QString &text);
    bool hasCode() const { return m_size > 0; }
    QSize sizeHint() const override { return {280, 280}; }

protected:
    void paintEvent(QPaintEvent *event) override;

private:
    int m_size = 0;
    std::vector<bool> m_modules;
};

} // namespace dispatch
