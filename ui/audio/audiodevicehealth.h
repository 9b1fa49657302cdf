#pragma once

#include <QCoreApplication>
#include <QString>

namespace dispatch {

// Whether this console can hear callers and be heard by them, as CallAudio last saw its
// devices. A dispatcher who cannot hear or cannot talk must be told as loudly as a failing
// disk: the banner text says what is wrong and what to do.
struct AudioDeviceHealth
{
    Q_DECLARE_TR_FUNCTIONS(AudioDeviceHealth)

public:
    bool speakerWorks = true;
    QString speakerProblem; // the device's failure, as the audio worker described it
    bool microphonePresent = true;
    bool microphoneWorks = true; // false only after opening it failed
    QString microphoneProblem;

    bool canTalk() const { return microphonePresent && microphoneWorks; }
    // Empty while both directions work.
    QString alarmText() const;
};

} // namespace dispatch
