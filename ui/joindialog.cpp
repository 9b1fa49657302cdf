#include "joindialog.h"

#include "common/qrcode.h"

#include <QComboBox>
#include <QDialogButtonBox>
#include <QLabel>
#include <QPainter>
#include <QVBoxLayout>

namespace dispatch {

QrCodeView::QrCodeView(QWidget *parent)
    : QWidget(parent)
{
    setMinimumSize(200, 200);
    setAccessibleName(tr("QR code of the phone page"));
}

void QrCodeView::setText(const QString &text)
{
    const auto matrix = text.isEmpty() ? std::nullopt : qr::encode(text.toUtf8());
    m_size = matrix ? matrix->size : 0;
    m_modules = matrix ? matrix->modules : std::vector<bool>();
    update();
}

void QrCodeView::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    const int side = std::min(width(), height());
    const QRect square((width() - side) / 2, (height() - side) / 2, side, side);
    p.fillRect(square, Qt::white);
    if (m_size == 0) {
        p.setPen(Qt::black);
        p.drawText(square, Qt::AlignCenter, tr("No address to show"));
        return;
    }
    const int quiet = 4;
    const double module = double(side) / (m_size + 2 * quiet);
    for (int y = 0; y < m_size; ++y) {
        for (int x = 0; x < m_size; ++x) {
            if (m_modules[static_cast<size_t>(y * m_size + x)])
                p.fillRect(QRectF(square.left() + (x + quiet) * module,
                                  square.top() + (y + quiet) * module, module + 0.5, module + 0.5),
                           Qt::black);
        }
    }
}

JoinDialog::JoinDialog(const JoinInfo &info, QWidget *parent)
    : QDialog(parent)
    , m_info(info)
    , m_urls(new QComboBox(this))
    , m_qr(new QrCodeView(this))
    , m_url(new QLabel(this))
{
    setWindowTitle(tr("Join from a phone"));
    auto *layout = new QVBoxLayout(this);
    auto *intro = new QLabel(tr("On a phone on the same network, scan the code or open the "
                                "address. The phone needs no app and no account."),
                             this);
    intro->setWordWrap(true);
    layout->addWidget(intro);
    for (const QUrl &u : info.urls)
        m_urls->addItem(u.toString());
    m_urls->setVisible(info.urls.size() > 1);
    m_urls->setAccessibleName(tr("Address of this console"));
    layout->addWidget(m_urls);
    layout->addWidget(m_qr, 1);
    m_url->setTextInteractionFlags(Qt::TextSelectableByMouse);
    m_url->setAlignment(Qt::AlignCenter);
    QFont big = font();
    big.setPointSizeF(big.pointSizeF() * 1.3);
    m_url->setFont(big);
    layout->addWidget(m_url);
    auto *fingerprint = new QLabel(
        info.tlsFingerprint.isEmpty()
            ? tr("This console serves plain HTTP: phones can join only on this machine.")
            : tr("The phone will warn about the certificate. Check that its SHA-256 fingerprint "
                 "is:\n%1")
                  .arg(info.tlsFingerprint),
        this);
    fingerprint->setWordWrap(true);
    fingerprint->setTextInteractionFlags(Qt::TextSelectableByMouse);
    layout->addWidget(fingerprint);
    auto *buttons = new QDialogButtonBox(QDialogButtonBox::Close, this);
    connect(buttons, &QDialogButtonBox::rejected, this, &QDialog::reject);
    layout->addWidget(buttons);
    connect(m_urls, &QComboBox::currentIndexChanged, this, &JoinDialog::showUrl);
    showUrl(0);
}

void JoinDialog::showUrl(int index)
{
    const QString url = m_info.urls.value(index).toString();
    m_url->setText(url.isEmpty() ? tr("No network address") : url);
    m_qr->setText(url);
}

QString JoinDialog::shownUrl() const
{
    return m_url->text();
}

} // namespace dispatch
