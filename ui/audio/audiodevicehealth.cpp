#include "audiodevicehealth.h"

#include <QStringList>

namespace dispatch {

QString AudioDeviceHealth::alarmText() const
{
    QStringList problems;
    if (!speakerWorks)
        problems << tr("You cannot HEAR callers: no working speaker (%1). Plug in a headset or "
                       "pick an output in Settings (Ctrl+,).")
                        .arg(speakerProblem);
    if (!microphonePresent)
        problems << tr("Callers cannot HEAR YOU: no microphone. Plug in a headset or pick an "
                       "input in Settings (Ctrl+,).");
    else if (!microphoneWorks)
        problems << tr("Callers cannot HEAR YOU: the microphone failed (%1). Pick another input "
                       "in Settings (Ctrl+,).")
                        .arg(microphoneProblem);
    return problems.join(QLatin1Char(' '));
}

} // namespace dispatch
