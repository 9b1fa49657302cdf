#pragma once

#include <QTimer>
#include <QWidget>

class QLabel;
class QPushButton;

namespace dispatch {

class CallAudio;

// The caller's level and scrolling waveform, mute, push-to-talk (button, or hold F6) and open mic
// (Ctrl+T). Repaints at 30 Hz from the levels CallAudio keeps, never per audio chunk.
class AudioPanel : public QWidget
{
    Q_OBJECT

public:
    explicit AudioPanel(CallAudio &audio, QWidget *parent = nullptr);

    // Held down anywhere in the window, it talks to the caller (a key, not a QShortcut).
    static constexpr Qt::Key HoldToTalkKey = Qt::Key_F6;
    QPushButton *holdToTalkButton() const { return m_talk; }
    QString statusText() const; // "Listening", "TALKING to the caller"... and the devices

protected:
    void paintEvent(QPaintEvent *event) override;
    bool eventFilter(QObject *watched, QEvent *event) override;

private:
    void refreshStatus();

    CallAudio &m_audio;
    QPushButton *m_mute;
    QPushButton *m_talk;
    QPushButton *m_openMic;
    QLabel *m_status;
    QTimer m_repaint;
    QRect m_waveRect;
};

} // namespace dispatch
