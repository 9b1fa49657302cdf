#include "audiopanel.h"

#include "callaudio.h"

#include <QApplication>
#include <QHBoxLayout>
#include <QKeyEvent>
#include <QLabel>
#include <QPainter>
#include <QPushButton>
#include <QVBoxLayout>

namespace dispatch {

AudioPanel::AudioPanel(CallAudio &audio, QWidget *parent)
    : QWidget(parent)
    , m_audio(audio)
    , m_mute(new QPushButton(tr("Mute caller"), this))
    , m_talk(new QPushButton(tr("Hold to talk (F6)"), this))
    , m_openMic(new QPushButton(tr("Open mic"), this))
    , m_status(new QLabel(this))
{
    setAccessibleName(tr("Call audio"));
    m_mute->setCheckable(true);
    m_mute->setShortcut(QKeySequence(Qt::CTRL | Qt::SHIFT | Qt::Key_M));
    m_mute->setToolTip(tr("Mute the caller's audio on this console (Ctrl+Shift+M)"));
    m_openMic->setCheckable(true);
    m_openMic->setShortcut(QKeySequence(Qt::CTRL | Qt::Key_T));
    m_openMic->setToolTip(tr("Talk to the caller until switched off (Ctrl+T)"));
    m_talk->setToolTip(tr("Talk to the caller while held (or hold F6)"));
    m_status->setWordWrap(true);

    auto *buttons = new QHBoxLayout;
    buttons->addWidget(m_mute);
    buttons->addWidget(m_talk);
    buttons->addWidget(m_openMic);
    buttons->addStretch(1);
    auto *layout = new QVBoxLayout(this);
    layout->addSpacing(64); // the waveform is painted here
    layout->addLayout(buttons);
    layout->addWidget(m_status);

    connect(m_mute, &QPushButton::toggled, &m_audio, &CallAudio::setMuted);
    connect(m_talk, &QPushButton::pressed, this, [this] { m_audio.setPushToTalk(true); });
    connect(m_talk, &QPushButton::released, this, [this] { m_audio.setPushToTalk(false); });
    connect(m_openMic, &QPushButton::toggled, &m_audio, &CallAudio::setOpenMic);
    connect(&m_audio, &CallAudio::talkingChanged, this, [this](bool talking) {
        if (!talking && m_openMic->isChecked())
            m_openMic->setChecked(false);
        refreshStatus();
    });
    connect(&m_audio, &CallAudio::statusChanged, this, &AudioPanel::refreshStatus);
    qApp->installEventFilter(this);
    m_repaint.setInterval(33);
    connect(&m_repaint, &QTimer::timeout, this, [this] { update(m_waveRect); });
    m_repaint.start();
    refreshStatus();
}

bool AudioPanel::eventFilter(QObject *watched, QEvent *event)
{
    if ((event->type() == QEvent::KeyPress || event->type() == QEvent::KeyRelease) &&
        window()->isActiveWindow()) {
        auto *key = static_cast<QKeyEvent *>(event);
        if (key->key() == HoldToTalkKey && !key->isAutoRepeat()) {
            m_audio.setPushToTalk(event->type() == QEvent::KeyPress);
            return true;
        }
    }
    return QWidget::eventFilter(watched, event);
}

QString AudioPanel::statusText() const
{
    return m_status->text();
}

void AudioPanel::refreshStatus()
{
    QStringList parts;
    if (!m_audio.isTalking())
        parts << tr("Listening");
    else if (m_audio.deviceHealth().canTalk())
        parts << tr("TALKING to the caller");
    else // never "talking" when nothing leaves this console
        parts << tr("NOT TRANSMITTING: no working microphone");
    if (!m_audio.outputStatus().isEmpty())
        parts << m_audio.outputStatus();
    if (!m_audio.inputStatus().isEmpty())
        parts << m_audio.inputStatus();
    m_status->setText(parts.join(QStringLiteral(" · ")));
}

void AudioPanel::paintEvent(QPaintEvent *)
{
    QPainter p(this);
    m_waveRect = QRect(8, 4, width() - 16, 60);
    p.fillRect(m_waveRect, palette().base());
    const auto &levels = m_audio.callerLevels();
    const double step = double(m_waveRect.width()) / CallAudio::WaveformPoints;
    const int mid = m_waveRect.center().y();
    p.setPen(QColor(0x66, 0xbb, 0x6a));
    const qsizetype offset = CallAudio::WaveformPoints - levels.size();
    for (qsizetype i = 0; i < levels.size(); ++i) {
        const int x = m_waveRect.left() + int((offset + i) * step);
        const int h = int(levels.at(i).peak * (m_waveRect.height() / 2 - 2));
        p.drawLine(x, mid - h, x, mid + h);
    }
    // Level meter of the newest chunk (caller), and the dispatcher's own level while talking.
    const double level = levels.isEmpty() ? 0 : levels.constLast().rms * 3;
    const QRect meter(m_waveRect.right() - 10, m_waveRect.top(), 8, m_waveRect.height());
    p.fillRect(meter, palette().window());
    const int filled = int(std::min(1.0, level) * meter.height());
    p.fillRect(meter.adjusted(0, meter.height() - filled, 0, 0),
               level > 0.9 ? QColor(0xe5, 0x39, 0x35) : QColor(0x66, 0xbb, 0x6a));
    if (m_audio.isTalking()) {
        p.setPen(QColor(0xff, 0x70, 0x43));
        p.drawText(m_waveRect.adjusted(6, 2, 0, 0), Qt::AlignTop | Qt::AlignLeft,
                   tr("● talking  %1%").arg(qRound(m_audio.talkLevel().rms * 300)));
    }
}

} // namespace dispatch
