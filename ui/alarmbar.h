#pragma once

#include <QToolBar>

namespace dispatch {

class ElidedLabel;

// A red banner across the window under the toolbar, for a condition that stays until it is
// fixed (storage failing, the host link down): it cannot be switched off or moved, and it
// shows only while there is something to say.
class AlarmBar : public QToolBar
{
    Q_OBJECT

public:
    AlarmBar(const QString &title, const QString &objectName, QWidget *parent);

    // Empty hides the banner. Returns true when the banner was raised (it was hidden), so the
    // caller can ask the window system for attention.
    bool setAlarm(const QString &text);
    QString alarm() const;

private:
    ElidedLabel *m_text = nullptr;
};

} // namespace dispatch
