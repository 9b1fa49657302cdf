#pragma once

#include "dashboard/hostlink.h"

#include <QCoreApplication>
#include <QString>

namespace dispatch {

// The dispatcher's words for the state of a remote console's link to its host (the link gives
// only a code and technical data).
class HostLinkText
{
    Q_DECLARE_TR_FUNCTIONS(HostLinkText)

public:
    // One line for the status bar.
    static QString of(remote::HostLink::State state, const remote::HostLinkStatus &status);
    // For the alarm banner: what it means for the calls on screen. Empty while connected.
    static QString banner(remote::HostLink::State state, const remote::HostLinkStatus &status);
};

} // namespace dispatch
